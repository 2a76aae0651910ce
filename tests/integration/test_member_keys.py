"""The member keys a load assigns: one integer per member, in the file's order, carried by
each of that member's votes, NULL on a vote whose member is not on the list; and the
classification on those keys counts what `vote_status` lists, vote by vote."""

from __future__ import annotations

import duckdb
import pytest

import endorse_analysis as ea


@pytest.mark.parametrize("db", ["sample_db", "small_demo_db"])
def test_every_vote_carries_its_members_key(request, db):
    with duckdb.connect(str(request.getfixturevalue(db)), read_only=True) as con:
        keys, distinct, lowest, highest = con.execute(
            "SELECT count(*), count(DISTINCT member_key), min(member_key), max(member_key) "
            "FROM members"
        ).fetchone()
        assert keys == distinct and lowest == 0 and highest == keys - 1
        wrong = con.execute(
            "SELECT count(*) FROM votes v LEFT JOIN members m ON m.member_id = v.member_id "
            "WHERE v.member_key IS DISTINCT FROM m.member_key"
        ).fetchone()[0]
        assert wrong == 0
        unknown = con.execute("SELECT count(*) FROM votes WHERE member_key IS NULL").fetchone()
        listed = con.execute(
            "SELECT count(*) FROM votes WHERE member_id NOT IN (SELECT member_id FROM members)"
        ).fetchone()
        assert unknown == listed


@pytest.mark.parametrize("db", ["sample_db", "small_demo_db"])
def test_the_counts_equal_the_statuses_vote_by_vote(request, db):
    with ea.connect(request.getfixturevalue(db)) as con:
        listed = con.execute(
            "SELECT wave_id, race_id, status, choice, CAST(cast_at AS DATE), count(*) "
            "FROM vote_status(NULL) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        counted = con.execute("SELECT * FROM classified_vote_counts(NULL) ORDER BY ALL").fetchall()
        stored = con.execute("SELECT * FROM vote_counts ORDER BY ALL").fetchall()
    assert counted == listed
    assert stored == listed
