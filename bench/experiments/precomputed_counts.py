# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""Proposal: the load writes the per-contest counts once; a tally then reads a few
thousand rows instead of classifying millions of votes.

A snapshot never changes after its load, and a vote's status does not depend on the
thresholds, so the counts per (wave_id, race_id, status, choice) are a fact of the
snapshot. The load already classifies every vote (rules.status_counts runs
vote_status(NULL) and counts per status); grouping by (wave, race, status, choice)
instead of by status costs the same pass and leaves a table of a few thousand rows.
Likewise E (potential voters) per contest.

On a scratch copy of a snapshot this times:
  1. the load's current step:   SELECT status, count(*) FROM vote_status(NULL) GROUP BY status
  2. the proposed step:          CREATE TABLE vote_counts AS ... GROUP BY wave, race, status, choice
                                 + CREATE TABLE contest_electorate (E per contest, every wave)
  3. ea.tally + ea.choices of the wave, current vs reading those tables (a fresh
     connection each), and checks that the two give identical frames (every column,
     reasons included).

    .venv/bin/python bench/experiments/precomputed_counts.py DB WAVE [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

import endorse_analysis as ea
from endorse_analysis.rules import install_macros

# the module, not the function endorse_analysis.tally that the package exports
tally_module = importlib.import_module("endorse_analysis.tally")

LOAD_NOW = "SELECT status, count(*) FROM vote_status(NULL) GROUP BY status"
LOAD_PROPOSED = [
    # what tally.sql's contest_counts(w) gives, for every wave at once
    "CREATE TABLE vote_counts AS SELECT wave_id, race_id, status, choice, count(*) AS votes "
    "FROM vote_status(NULL) WHERE race_id IN (SELECT race_id FROM races) GROUP BY ALL",
    # the status totals the load reports, from it (+ the votes whose race is unknown)
    "SELECT status, sum(votes) FROM (SELECT status, votes FROM vote_counts UNION ALL "
    "SELECT 'unknown_race', count(*) FROM votes WHERE race_id NOT IN (SELECT race_id FROM races)) "
    "GROUP BY status",
    "CREATE TABLE contest_electorate (wave_id VARCHAR, race_id VARCHAR, eligible_voters BIGINT)",
]
ELECTORATE = "INSERT INTO contest_electorate SELECT * FROM potential_voters(?)"

# What a reading connection would do instead (tally.py's _count_wave, and the
# potential_voters macro as the tally uses it).
PROPOSED_MACRO = """
CREATE OR REPLACE TEMP MACRO potential_voters(w) AS TABLE
SELECT wave_id, race_id, eligible_voters FROM contest_electorate WHERE wave_id = w;
"""


def proposed_count_wave(con: duckdb.DuckDBPyConnection, wave_id: str) -> None:
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wave_counts "
        "(wave_id VARCHAR, race_id VARCHAR, status VARCHAR, choice VARCHAR, votes BIGINT)"
    )
    if (
        con.execute("SELECT count(*) FROM wave_counts WHERE wave_id = ?", [wave_id]).fetchone()[0]
        == 0
    ):
        con.execute(
            "INSERT INTO wave_counts SELECT * FROM vote_counts WHERE wave_id = ?", [wave_id]
        )


def timed(f, repeat: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("wave")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(dir=args.db.parent, prefix="precomputed-"))
    db = scratch / "copy.duckdb"
    shutil.copy(args.db, db)
    try:
        con = duckdb.connect(str(db), config={"threads": 2, "memory_limit": "3GB"})
        con.execute("SET enable_progress_bar = false")
        install_macros(con)
        now, runs, _ = timed(lambda: con.execute(LOAD_NOW).fetchall(), 1)
        print(f"load, current  status_counts:            {now:7.2f} s")
        start = time.perf_counter()
        for statement in LOAD_PROPOSED:
            con.execute(statement).fetchall()
        waves = [w for (w,) in con.execute("SELECT wave_id FROM waves").fetchall()]
        for wave in waves:
            con.execute(ELECTORATE, [wave])
        con.execute("CHECKPOINT")
        print(
            f"load, proposed vote_counts + electorate: {time.perf_counter() - start:7.2f} s "
            f"({con.execute('SELECT count(*) FROM vote_counts').fetchone()[0]:,} + "
            f"{con.execute('SELECT count(*) FROM contest_electorate').fetchone()[0]:,} rows)"
        )
        con.close()

        def run_current():
            c = ea.connect(db)
            try:
                return ea.tally(c, args.wave), ea.choices(c, args.wave)
            finally:
                c.close()

        original = tally_module._count_wave

        def run_proposed():
            c = ea.connect(db)
            c.execute(PROPOSED_MACRO)
            tally_module._count_wave = proposed_count_wave
            try:
                return ea.tally(c, args.wave), ea.choices(c, args.wave)
            finally:
                tally_module._count_wave = original
                c.close()

        cur, cur_runs, a = timed(run_current, args.repeat)
        new, new_runs, b = timed(run_proposed, args.repeat)
        pd.testing.assert_frame_equal(a[0], b[0])
        pd.testing.assert_frame_equal(a[1], b[1])
        print(
            f"tally+choices, current:  median {cur:6.2f} s  runs {[round(x, 2) for x in cur_runs]}"
        )
        print(
            f"tally+choices, proposed: median {new:6.2f} s  runs {[round(x, 2) for x in new_runs]}"
        )
        print(
            f"identical frames (every column, reasons included): True; "
            f"{len(a[0])} contests, {len(a[1])} options"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
