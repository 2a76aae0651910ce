# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""Prototype rewrites of the vote classification behind the tally, checked against the
current macros (identical counts per wave, race, status and choice) and timed.

    .venv/bin/python bench/experiments/tally_variants.py DB [--waves W ...] [--repeat 3]

Works on an in-memory copy of the snapshot (so that variants needing an extra column,
like an integer member key or a stored status, can be tried without touching src/); the
current macros are timed on the same copy. Every variant computes what
`contest_counts(w)` computes: votes per (wave_id, race_id, status, choice).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import duckdb

from endorse_analysis.rules import install_macros

TABLES = (
    "waves",
    "races",
    "candidates",
    "groups",
    "endorsements",
    "vetting",
    "members",
    "votes",
    "states",
    "snapshot",
)

# The per-vote tests of vote_status.sql (the `checked` CTE), parameterised by how the
# member is found: MEMBER_JOIN joins it, MEMBER_KEY is the vote's column to join on.
CHECKED = """
    SELECT v.vote_id, v.wave_id, v.race_id, v.member_id, v.choice, v.cast_at,
        CASE
            WHEN wa.wave_id IS NULL OR r.race_id IS NULL THEN 'unknown_race'
            WHEN m.{mkey} IS NULL THEN 'unknown_member'
            WHEN NOT (member_in_race(m.state, m.district, r.office, r.state, r.district)
                      AND signed_up_for_wave(m.signed_up_at, m.opted_out_at,
                                             wa.opens_at, wa.closes_at, wa.signup_closes_at))
                THEN 'not_eligible'
            WHEN v.cast_at < wa.opens_at OR v.cast_at >= wa.closes_at THEN 'outside_window'
            WHEN v.choice <> 'NO_ENDORSEMENT' AND b.candidate_id IS NULL THEN 'not_on_ballot'
        END AS invalid
    FROM votes v
    LEFT JOIN waves wa ON wa.wave_id = v.wave_id
    LEFT JOIN races r ON r.race_id = v.race_id
    LEFT JOIN members m ON m.{mkey} = v.{mkey}
    LEFT JOIN ballot(w) b
        ON b.wave_id = v.wave_id AND b.race_id = v.race_id AND b.candidate_id = v.choice
    WHERE (w IS NULL OR v.wave_id = w) AND v.race_id IN (SELECT race_id FROM races)
"""

# Counts straight from aggregates: the latest valid vote per member and contest by
# arg_max, and superseded = valid - counted per choice. No join back to the votes.
AGGREGATE = """
CREATE OR REPLACE TEMP MACRO {name}(w) AS TABLE
WITH checked AS MATERIALIZED ({checked}),
per_choice AS (
    SELECT wave_id, race_id, coalesce(invalid, 'valid') AS status, choice, count(*) AS votes
    FROM checked GROUP BY ALL
), counted AS (
    SELECT wave_id, race_id, choice, count(*) AS votes
    FROM (SELECT wave_id, race_id, arg_max(choice, {latest_key}) AS choice
          FROM checked WHERE invalid IS NULL
          GROUP BY wave_id, race_id, member_id)
    GROUP BY ALL
)
SELECT wave_id, race_id, status, choice, votes FROM per_choice WHERE status <> 'valid'
UNION ALL
SELECT wave_id, race_id, 'counted', choice, votes FROM counted
UNION ALL
SELECT p.wave_id, p.race_id, 'superseded', p.choice, p.votes - coalesce(c.votes, 0)
FROM per_choice p LEFT JOIN counted c USING (wave_id, race_id, choice)
WHERE p.status = 'valid' AND p.votes > coalesce(c.votes, 0);
"""

STORED = """
CREATE OR REPLACE TEMP MACRO counts_stored(w) AS TABLE
SELECT wave_id, race_id, status, choice, count(*) AS votes
FROM votes_stored
WHERE wave_id = w AND race_id IN (SELECT race_id FROM races)
GROUP BY ALL;
"""

STRUCT_KEY = "(cast_at, vote_id)"
# One HUGEINT: microseconds since the epoch times 2^64, plus vote_id (1 <= vote_id < 2^63).
HUGE_KEY = "CAST(epoch_us(cast_at) AS HUGEINT) * 18446744073709551616 + vote_id"


def copy_snapshot(db: str, member_key: bool, stored: bool) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"threads": 2})
    con.execute("SET enable_progress_bar = false")
    con.execute(f"ATTACH '{db}' AS src (READ_ONLY)")
    for t in TABLES:
        con.execute(f"CREATE TABLE {t} AS FROM src.{t}")
    install_macros(con)
    if member_key:
        # What the load would store: an integer key per member, and on each vote the key
        # of its member (NULL: unknown member).
        con.execute(
            "CREATE TABLE mk AS SELECT member_id, CAST(row_number() OVER () AS INTEGER)"
            " AS member_no FROM members"
        )
        con.execute(
            "CREATE OR REPLACE TABLE members AS SELECT m.*, k.member_no FROM members m "
            "JOIN mk k USING (member_id)"
        )
        con.execute(
            "CREATE OR REPLACE TABLE votes AS SELECT v.*, k.member_no FROM votes v "
            "LEFT JOIN mk k USING (member_id) ORDER BY v.vote_id"
        )
    if stored:
        con.execute(
            "CREATE TABLE votes_stored AS SELECT v.*, s.status FROM votes v "
            "JOIN vote_status(NULL) s USING (vote_id) ORDER BY v.vote_id"
        )
    con.execute("DETACH src")
    return con


def variants(member_key: bool, stored: bool) -> dict[str, str]:
    out = {"current": "SELECT * FROM contest_counts($w)"}
    sqls = [
        AGGREGATE.format(
            name="counts_agg", checked=CHECKED.format(mkey="member_id"), latest_key=STRUCT_KEY
        ),
        AGGREGATE.format(
            name="counts_agg_huge", checked=CHECKED.format(mkey="member_id"), latest_key=HUGE_KEY
        ),
    ]
    out["aggregate (no join back)"] = "SELECT * FROM counts_agg($w)"
    out["aggregate + hugeint latest key"] = "SELECT * FROM counts_agg_huge($w)"
    if member_key:
        sqls.append(
            AGGREGATE.format(
                name="counts_agg_key", checked=CHECKED.format(mkey="member_no"), latest_key=HUGE_KEY
            )
        )
        out["aggregate + hugeint + integer member key"] = "SELECT * FROM counts_agg_key($w)"
    if stored:
        sqls.append(STORED)
        out["status stored at load"] = "SELECT * FROM counts_stored($w)"
    return out, sqls


def rows(con, query: str, wave: str) -> list[tuple]:
    return sorted(con.execute(query, {"w": wave}).fetchall(), key=lambda r: tuple(map(str, r)))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--waves", nargs="*")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-member-key", action="store_true")
    parser.add_argument("--no-stored", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    con = copy_snapshot(args.db, not args.no_member_key, not args.no_stored)
    print(f"copied {args.db} into memory in {time.perf_counter() - start:.1f} s")
    queries, sqls = variants(not args.no_member_key, not args.no_stored)
    for s in sqls:
        con.execute(s)
    waves = args.waves or [
        w
        for (w,) in con.execute(
            "SELECT wave_id FROM votes JOIN waves USING (wave_id) GROUP BY 1 ORDER BY count(*) DESC"
        ).fetchall()
    ]
    ok = True
    for wave in waves:
        reference = rows(con, queries["current"], wave)
        print(f"wave {wave}: {sum(r[4] for r in reference):,} votes in known races")
        for name, query in queries.items():
            same = name == "current" or rows(con, query, wave) == reference
            ok &= same
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                con.execute(query, {"w": wave}).fetchall()
                times.append(time.perf_counter() - t)
            print(
                f"  {name:45s} median {statistics.median(times):6.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f})  identical: {same}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
