# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""Operator timings of one query (DuckDB 2.0 JSON profile), largest first.

.venv/bin/python bench/experiments/profile_ops.py DB WAVE "SELECT * FROM contest_counts($w)"
"""

import json
import sys
import tempfile
from pathlib import Path

import endorse_analysis as ea

db, wave, query = sys.argv[1], sys.argv[2], sys.argv[3]
con = ea.connect(db)
out = Path(tempfile.mkdtemp()) / "profile.json"
con.execute("SET enable_profiling = 'json'")
con.execute(f"SET profiling_output = '{out}'")
con.execute(query, {"w": wave}).fetchall()
profile = json.loads(out.read_text())
ops = []


def walk(node):
    extra = node.get("extra_info", {})
    what = (
        extra.get("Conditions")
        or extra.get("Table")
        or extra.get("Groups")
        or extra.get("Aggregates")
        or ""
    )
    if isinstance(what, list):
        what = " ".join(map(str, what))
    ops.append(
        (
            node.get("timing") or 0.0,
            node.get("name"),
            node.get("intermediate_rows") or 0,
            str(what)[:90],
        )
    )
    for child in node.get("children", []):
        walk(child)


for root in profile["operator"]:
    walk(root)
q = profile["query"]
print(
    f"{query}: total {q['total_time']:.2f} s, cpu {q['cpu_time']:.2f} s, "
    f"peak buffer {profile['system']['peak_buffer_memory'] / 2**20:.0f} MB"
)
for t, name, rows, what in sorted(ops, key=lambda o: -o[0])[:12]:
    print(f"{t:7.2f} s  {name:20s} {rows:>11,} rows  {what}")
