# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""EXPLAIN ANALYZE of the project's tally pieces on a loaded snapshot (read-only).

.venv/bin/python bench/experiments/explain_tally.py DB WAVE [QUERY ...]
"""

import sys
import time

import endorse_analysis as ea

db, wave = sys.argv[1], sys.argv[2]
queries = sys.argv[3:] or [
    "SELECT * FROM contest_counts($w)",
    "SELECT * FROM potential_voters($w)",
    "SELECT * FROM ballot($w)",
    "SELECT * FROM contests($w)",
]
con = ea.connect(db)
for q in queries:
    start = time.perf_counter()
    con.execute(q, {"w": wave}).fetchall()
    print(f"== {q}: {time.perf_counter() - start:.2f} s (plain run)")
    plan = con.execute("EXPLAIN ANALYZE " + q, {"w": wave}).fetchall()
    print(plan[0][1])
