"""The rule macros work on their own, in plain SQL on a fresh connection, for every wave
of the sample and of the demo, and give what the API gives: an analyst's query cannot see
another wave's counts or miss its own. These are the macros docs/analysts.md documents."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

import endorse_analysis as ea
from endorse_analysis.rules import Thresholds

CASES = [
    ("sample_db", None),
    ("sample_db", datetime(2026, 3, 10)),
    ("sample_db", datetime(2026, 4, 12)),
    ("small_demo_db", None),
    ("small_demo_db", datetime(2026, 4, 16)),
]


@pytest.mark.parametrize("db, as_of", CASES)
def test_macros_equal_the_api_for_every_wave_in_any_order(request, db, as_of):
    path = request.getfixturevalue(db)
    t = Thresholds()
    params = t.sql_parameters()
    with ea.connect(path) as con:
        waves = tuple(r[0] for r in con.execute("SELECT wave_id FROM waves ORDER BY 1").fetchall())
    assert len(waves) >= 2
    for order in (waves, tuple(reversed(waves))):
        with ea.connect(path, as_of=as_of) as con:  # a fresh connection
            for wave in order:
                by_sql = con.execute(
                    "SELECT race_id, ballots_counted, eligible_voters, top_votes, decision, "
                    "final_decision FROM tally($w, $sp, $sq, $tp, $tq, $mp, $mq) ORDER BY 1",
                    {"w": wave, **params},
                ).fetchall()
                api = ea.tally(con, wave, t)
                assert by_sql == [
                    tuple(None if v is None else v for v in row)
                    for row in api[
                        ["race_id", "ballots_counted", "eligible_voters", "top_votes",
                         "decision", "final_decision"]
                    ].astype(object).where(api.notna(), None).itertuples(index=False)
                ]  # fmt: skip
                choices = con.execute("SELECT * FROM choices(?)", [wave]).df()
                assert choices.equals(ea.choices(con, wave))
                voters = con.execute(
                    "SELECT * FROM potential_voters(?) ORDER BY race_id", [wave]
                ).df()
                assert voters.equals(ea.potential_voters(con, wave))
                audit = con.execute("SELECT * FROM audit(?)", [wave]).df()
                assert audit.equals(ea.audit(con, wave))


def test_counts_are_whole_numbers(sample_db):
    with ea.connect(sample_db) as con:
        types = dict(
            con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                "tally('2026-03', 3, 5, 1, 10, 1, 1))"
            ).fetchall()
        )
        audit_types = dict(
            con.execute(
                "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM audit(NULL))"
            ).fetchall()
        )
    for column in ("candidates_on_ballot", "eligible_voters", "ballots_counted", "top_votes",
                   "counted", "superseded", "not_eligible"):  # fmt: skip
        assert types[column] == "BIGINT", column
    assert audit_types["votes"] == "BIGINT"


ANALYST_MACROS = [
    "potential_voters('2026-03')",
    "choices('2026-03')",
    "reach_by_district('2026-03')",
    "statewide_voters('2026-03')",
    "contest_traits('2026-03')",
    "member_funnel()",
    "member_retention()",
    "member_tenure()",
    "vote_changes(NULL)",
    "signup_rush_counts(7, 8)",
]


@pytest.mark.parametrize("macro", ANALYST_MACROS)
def test_the_analysts_macros_count_in_bigint_on_a_fresh_connection(sample_db, macro):
    """Each works first thing on a fresh connection; a count is a BIGINT, which pandas reads
    as an integer (HUGEINT would become a float)."""
    with ea.connect(sample_db) as con:
        described = con.execute(f"DESCRIBE SELECT * FROM {macro}").fetchall()
        assert con.execute(f"SELECT count(*) FROM {macro}").fetchone()[0] > 0
    for name, kind, *_ in described:
        assert kind != "HUGEINT" and not kind.startswith("DECIMAL"), (macro, name, kind)


def test_an_old_snapshot_is_refused_in_one_line(sample_db, tmp_path):
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as con:
        con.execute("CREATE TABLE snapshot (key VARCHAR, value VARCHAR)")
        con.execute("INSERT INTO snapshot VALUES ('package_version', '0.0.1')")
    with pytest.raises(ea.DatabaseError) as refused:
        ea.connect(old)
    message = str(refused.value)
    assert "0.0.1" in message and "load the folder again" in message and "\n" not in message


def test_a_load_writes_every_table_and_column_the_format_names(sample_db):
    """schema.stored_columns() is what an old snapshot is checked against: it must be
    exactly what a load writes."""
    from endorse_analysis.ingest.schema import stored_columns

    with duckdb.connect(str(sample_db), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' "
            "ORDER BY table_name, column_index"
        ).fetchall()
    written: dict[str, list[str]] = {}
    for table, column in rows:
        written.setdefault(table, []).append(column)
    assert {t: tuple(c) for t, c in written.items()} == stored_columns()


def _temporary_tally(con) -> int:
    return con.execute(
        "SELECT count(*) FROM duckdb_functions() "
        "WHERE database_name = 'temp' AND function_name = 'tally'"
    ).fetchone()[0]


def test_a_snapshot_stores_its_rules_and_a_reader_of_other_rules_installs_its_own(
    sample_db, tmp_path
):
    """A reader of the same rules uses the ones the load stored; one whose rules differ
    (the record's digest) defines its own, which come first."""
    import shutil

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(sample_db, copy)
    with ea.connect(copy) as con:
        assert _temporary_tally(con) == 0
        expected = ea.tally(con, "2026-03")
    with duckdb.connect(str(copy)) as con:  # stored rules of another version: no contest
        con.execute(
            "CREATE OR REPLACE MACRO contests(w) AS TABLE "
            "SELECT wave_id, race_id FROM votes WHERE false"
        )
        con.execute("UPDATE snapshot SET value = 'other rules' WHERE key = 'rules'")
    with ea.connect(copy) as con:
        assert _temporary_tally(con) == 1
        assert ea.tally(con, "2026-03").equals(expected)
    with ea.connect(copy, as_of=datetime(2026, 3, 10)) as con:
        assert len(ea.tally(con, "2026-03")) > 0
