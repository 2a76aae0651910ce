# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""What the staging of votes.csv costs, piece by piece (read, trim, integer and timestamp
parsing), with the loader's own macros; and cheaper timestamp parsers, checked equal.

    .venv/bin/python bench/experiments/parse_costs.py bench/out/demo-v1000000-m500000-s2026/votes.csv
"""

import statistics
import sys
import time

import duckdb

from endorse_analysis.load import TIMESTAMP_SHAPES
from endorse_analysis.sqlfiles import sql

path = sys.argv[1]
con = duckdb.connect(config={"threads": 2})
con.execute("SET enable_progress_bar = false")
con.execute("SET TimeZone = 'UTC'")
shapes = ", ".join(f"'{s}'" for s in TIMESTAMP_SHAPES)
con.execute(f"CREATE TEMP MACRO timestamp_shape_ok(s) AS s IN ({shapes})")
con.execute(sql("parse_macros"))
cols = {f"c{i}": "VARCHAR" for i in range(6)}
READ = (
    f"read_csv('{path}', auto_detect=false, header=false, skip=1, delim=',', quote='\"', "
    f"escape='\"', new_line='\\n', strict_mode=true, null_padding=false, columns={cols})"
)

# Alternative: test the shape of the common case (YYYY-MM-DDTHH:MM:SS±HH:MM, 25 chars)
# with one translate compare, and fall back to the full list only for other lengths.
con.execute("""CREATE TEMP MACRO parse_ts_fast(v) AS
    CASE WHEN (CASE WHEN length(v) = 25
                    THEN translate(v, '0123456789', '9999999999') IN ('9999-99-99T99:99:99+99:99', '9999-99-99T99:99:99-99:99', '9999-99-99 99:99:99+99:99', '9999-99-99 99:99:99-99:99')
                    ELSE timestamp_shape_ok(translate(v, '0123456789', '9999999999')) END)
              AND ts_in_range(v)
         THEN timezone('UTC', TRY_CAST(v AS TIMESTAMPTZ)) END""")

cases = {
    "read_csv only": f"SELECT count(*) FROM {READ}",
    "read + clean() all columns": f"SELECT count(clean(c0)), count(clean(c1)), count(clean(c2)), count(clean(c3)), count(clean(c4)), count(clean(c5)) FROM {READ}",
    "read + parse_int(vote_id)": f"SELECT sum(parse_int(clean(c0))) FROM {READ}",
    "read + parse_ts(cast_at)": f"SELECT max(parse_ts(clean(c5))) FROM {READ}",
    "read + TRY_CAST(cast_at AS TIMESTAMPTZ) only": f"SELECT max(TRY_CAST(clean(c5) AS TIMESTAMPTZ)) FROM {READ}",
    "read + shape check only": f"SELECT count(*) FILTER (WHERE timestamp_shape_ok(translate(clean(c5), '0123456789', '9999999999'))) FROM {READ}",
    "read + parse_ts_fast(cast_at)": f"SELECT max(parse_ts_fast(clean(c5))) FROM {READ}",
}
for name, q in cases.items():
    times = []
    for _ in range(3):
        s = time.perf_counter()
        con.execute(q).fetchall()
        times.append(time.perf_counter() - s)
    print(f"{statistics.median(times):6.2f} s (min {min(times):.2f})  {name}")
same = con.execute(
    f"SELECT count(*) FROM {READ} WHERE parse_ts(clean(c5)) IS DISTINCT FROM parse_ts_fast(clean(c5))"
).fetchone()[0]
print("parse_ts_fast differs from parse_ts on", same, "rows")
