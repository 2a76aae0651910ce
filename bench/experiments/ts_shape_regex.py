# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""Is one regular expression the same test as the loader's timestamp shapes, and faster?

The loader tests a timestamp's shape as translate(v, digits, '9'*10) IN (52 shapes). This
checks that regexp_full_match(v, TS_REGEX) accepts exactly the same strings (every shape,
and 200,000 random strings over the characters that matter), then times both on a
votes.csv column.

    .venv/bin/python bench/experiments/ts_shape_regex.py bench/out/demo-v1000000-m500000-s2026/votes.csv
"""

import random
import statistics
import sys
import time

import duckdb

# The loader's former shape list (it now uses TS_REGEX itself).
TIMESTAMP_SHAPES = ["9999-99-99"] + [
    f"9999-99-99{sep}{time}{zone}"
    for sep in ("T", " ")
    for time in ["99:99", "99:99:99"] + ["99:99:99." + "9" * k for k in range(1, 7)]
    for zone in ("", "Z", "+99:99", "-99:99")
]

TS_REGEX = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}"
    "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)

con = duckdb.connect(config={"threads": 2})
shapes = ", ".join(f"'{s}'" for s in TIMESTAMP_SHAPES)
con.execute(f"CREATE MACRO shape_ok(v) AS translate(v, '0123456789', '9999999999') IN ({shapes})")
con.execute(f"CREATE MACRO shape_re(v) AS regexp_full_match(v, '{TS_REGEX}')")

rng = random.Random(6)
alphabet = "0123456789-:T .Z+z٣x\n"
samples = []
for shape in TIMESTAMP_SHAPES:
    base = "".join(rng.choice("0123456789") if c == "9" else c for c in shape)
    samples.append(base)
    for _ in range(40):  # one character changed, dropped or added
        i = rng.randrange(len(base) + 1)
        c = rng.choice(alphabet)
        samples += [base[:i] + c + base[i + 1 :], base[:i] + base[i + 1 :], base[:i] + c + base[i:]]
samples += [
    "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 33))) for _ in range(100_000)
]
con.execute("CREATE TABLE s AS SELECT unnest($1) AS v", [samples])
diff = con.execute("SELECT count(*), count(*) FILTER (WHERE shape_ok(v)) FROM s").fetchone()
bad = con.execute(
    "SELECT v FROM s WHERE shape_ok(v) IS DISTINCT FROM shape_re(v) LIMIT 5"
).fetchall()
print(f"{diff[0]:,} strings, {diff[1]:,} of them valid shapes; disagreements: {bad or 'none'}")

if len(sys.argv) > 1:
    con.execute(
        f"CREATE TABLE t AS SELECT cast_at AS v FROM read_csv('{sys.argv[1]}', all_varchar=true)"
    )
    for name, q in {
        "translate + IN (current)": "SELECT count(*) FILTER (WHERE shape_ok(v)) FROM t",
        "regexp_full_match": "SELECT count(*) FILTER (WHERE shape_re(v)) FROM t",
    }.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            con.execute(q).fetchall()
            times.append(time.perf_counter() - start)
        print(f"{statistics.median(times):6.3f} s (min {min(times):.3f})  {name}")
