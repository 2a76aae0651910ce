# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""The loader with the proposed parser change, checked against the current loader.

Proposed (src/endorse_analysis/sql/parse_macros.sql): test the shape of an integer and
of a timestamp with one regexp_full_match instead of translate() (+ a 52-literal IN
list): the same strings pass (see ts_shape_regex.py), 5-6x cheaper per value.

Loads FOLDER twice in this process, current and patched, with the statement timing of
load_phases.py, and checks that every stored table is identical (EXCEPT ALL both ways;
the snapshot's loaded_at aside).

    .venv/bin/python bench/experiments/load_patched.py FOLDER OUTDIR [patched|current]
"""

from __future__ import annotations

import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_phases  # noqa: E402

import endorse_analysis.load as load  # noqa: E402
from endorse_analysis.sqlfiles import sql as original_sql  # noqa: E402

INT_OLD = """CASE WHEN unsigned_text(v) <> '' AND translate(unsigned_text(v), '0123456789', '') = ''
         THEN TRY_CAST(v AS BIGINT) END;"""
INT_NEW = """CASE WHEN regexp_full_match(v, '[+-]?[0-9]+') THEN TRY_CAST(v AS BIGINT) END;"""
TS_OLD = "CASE WHEN timestamp_shape_ok(translate(v, '0123456789', '9999999999'))"
TS_NEW = (
    "CASE WHEN regexp_full_match(v, '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}"
    "(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?')"
)


def patched_sql(name: str) -> str:
    text = original_sql(name)
    if name == "parse_macros":
        assert INT_OLD in text and TS_OLD in text, "parse_macros.sql changed; update the patch"
        text = text.replace(INT_OLD, INT_NEW).replace(TS_OLD, TS_NEW)
    return text


def timed_load(folder: Path, db: Path) -> tuple[float, dict[str, float]]:
    load_phases.TIMES.clear()
    start, cpu = time.perf_counter(), time.process_time()
    load.load_folder(folder, db)
    total = time.perf_counter() - start
    print(
        f"  (cpu {time.process_time() - cpu:.1f} s, peak RSS so far "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    phases: dict[str, float] = defaultdict(float)
    for seconds, query in load_phases.TIMES:
        phases[load_phases.label(query)] += seconds
    return total, phases


def main() -> int:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    only = sys.argv[3:]  # e.g. "patched": time only that one, no comparison
    out.mkdir(parents=True, exist_ok=True)
    load.duckdb = load_phases.Shim()
    results = {}
    for name in only or ("current", "patched"):
        load.sql = patched_sql if name == "patched" else original_sql
        results[name] = timed_load(folder, out / f"{name}.duckdb")
        print(f"{name}: load_folder {results[name][0]:.2f} s")
    if only:
        for phase, seconds in sorted(results[only[0]][1].items(), key=lambda kv: -kv[1])[:8]:
            print(f"  {phase:45s} {seconds:7.2f} s")
        return 0
    for phase in sorted(results["current"][1], key=lambda p: -results["current"][1][p])[:6]:
        print(
            f"  {phase:45s} current {results['current'][1][phase]:7.2f} s   "
            f"patched {results['patched'][1].get(phase, 0):7.2f} s"
        )
    con = duckdb.connect()
    con.execute(f"ATTACH '{out / 'current.duckdb'}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{out / 'patched.duckdb'}' AS b (READ_ONLY)")
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' ORDER BY 1"
        ).fetchall()
    ]
    same = True
    for t in tables:
        where = " WHERE key <> 'loaded_at'" if t == "snapshot" else ""
        diff = con.execute(
            f"SELECT (SELECT count(*) FROM (FROM a.{t}{where} EXCEPT ALL FROM b.{t}{where})) + "
            f"(SELECT count(*) FROM (FROM b.{t}{where} EXCEPT ALL FROM a.{t}{where}))"
        ).fetchone()[0]
        same &= diff == 0
        print(f"  table {t:13s} rows differing: {diff}")
    print("identical:", same)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
