# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""Phase timing of endorse_analysis.load_folder: every SQL statement the loader sends to
DuckDB, timed (a thin proxy around the connection), plus the Python-side scan of each file.

    .venv/bin/python bench/experiments/load_phases.py FOLDER DB [--top 25]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

import endorse_analysis.load as load

TIMES: list[tuple[float, str]] = []


class TimedConnection:
    def __init__(self, con):
        self._con = con

    def execute(self, query, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._con.execute(query, *args, **kwargs)
        finally:
            TIMES.append((time.perf_counter() - start, " ".join(str(query).split())))

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._con.close()


class Shim:
    def __getattr__(self, name):
        return getattr(duckdb, name)

    @staticmethod
    def connect(*args, **kwargs):
        return TimedConnection(duckdb.connect(*args, **kwargs))


def label(query: str) -> str:
    m = re.match(r"CREATE TEMP TABLE (t_\w+) AS", query)
    if m:
        return f"stage {m.group(1)} (read_csv + parse)"
    m = re.match(r"CREATE TABLE (\w+) AS SELECT COLUMNS", query)
    if m:
        return f"copy {m.group(1)} into the snapshot"
    if "FROM vote_status(NULL)" in query:
        return "status_counts (vote_status of every vote)"
    if query.startswith("-- A member's geography") or "member_places" in query[:300]:
        return "member_geography"
    if query.startswith("CHECKPOINT"):
        return "CHECKPOINT"
    if "GROUP BY ALL HAVING count(*) > 1" in query:
        return "key checks (unique ids)"
    if "does not match any" in query:
        return "reference checks"
    if query.startswith("SELECT count(*) FROM") and "WHERE NOT _ok" in query:
        return "count of unparsed rows"
    if query.startswith("SELECT count(*) FROM"):
        return "row counts"
    return query[:70]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    load.duckdb = Shim()
    scans = []
    real_scan = load.scan_csv

    def timed_scan(path, scratch):
        start = time.perf_counter()
        try:
            return real_scan(path, scratch)
        finally:
            scans.append((time.perf_counter() - start, path.name))

    load.scan_csv = timed_scan
    start = time.perf_counter()
    load.load_folder(args.folder, args.db)
    total = time.perf_counter() - start
    groups: dict[str, float] = defaultdict(float)
    for seconds, query in TIMES:
        groups[label(query)] += seconds
    for seconds, name in scans:
        groups[f"scan_csv {name} (numpy)"] += seconds
    accounted = sum(groups.values())
    print(
        f"load_folder total {total:.2f} s; SQL + scans {accounted:.2f} s; other {total - accounted:.2f} s"
    )
    for name, seconds in sorted(groups.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{seconds:8.2f} s  {100 * seconds / total:5.1f}%  {name}")


if __name__ == "__main__":
    sys.exit(main())
