"""The rule macros work on their own, in plain SQL on a fresh connection, for every wave,
and give what the API gives: an analyst's query cannot see another wave's counts or miss
its own."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

import endorse_analysis as ea
from endorse_analysis.rules import Thresholds

WAVES = ("2026-03", "2026-04")


@pytest.mark.parametrize("as_of", [None, datetime(2026, 3, 10), datetime(2026, 4, 12)])
def test_macros_equal_the_api_for_every_wave_in_any_order(sample_db, as_of):
    t = Thresholds()
    params = t.sql_parameters()
    for order in (WAVES, tuple(reversed(WAVES))):
        with ea.connect(sample_db, as_of=as_of) as con:  # a fresh connection
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
