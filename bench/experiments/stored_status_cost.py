# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""What storing each vote's status at load would cost, against what the load pays now.

The load already runs vote_status(NULL) over every vote to count statuses (rules.
status_counts). Writing the status into the snapshot instead (votes + a status column)
makes a wave's tally a plain GROUP BY (see tally_variants.py, 'status stored at load').
This times, on a scratch copy of a snapshot: the current count, the count + a stored copy
of (vote_id, status), and a votes table rewritten with its status.

    .venv/bin/python bench/experiments/stored_status_cost.py DB
"""

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from endorse_analysis.rules import install_macros

src = Path(sys.argv[1])
scratch = Path(tempfile.mkdtemp(dir=src.parent))
db = scratch / "copy.duckdb"
shutil.copy(src, db)
con = duckdb.connect(str(db), config={"threads": 2, "memory_limit": "3GB"})
con.execute("SET enable_progress_bar = false")
install_macros(con)
cases = {
    "status_counts (now)": ["SELECT status, count(*) FROM vote_status(NULL) GROUP BY status"],
    "store vote_id, status": [
        "CREATE OR REPLACE TABLE vote_statuses AS SELECT vote_id, status FROM vote_status(NULL)",
        "SELECT status, count(*) FROM vote_statuses GROUP BY status",
        "CHECKPOINT",
    ],
    "rewrite votes with status": [
        "CREATE OR REPLACE TABLE votes_s AS SELECT * FROM vote_status(NULL)",
        "SELECT status, count(*) FROM votes_s GROUP BY status",
        "CHECKPOINT",
    ],
}
try:
    for name, statements in cases.items():
        times = []
        for _ in range(2):
            start = time.perf_counter()
            for s in statements:
                con.execute(s).fetchall()
            times.append(time.perf_counter() - start)
        print(f"{statistics.median(times):7.2f} s (min {min(times):.2f})  {name}")
finally:
    con.close()
    shutil.rmtree(scratch, ignore_errors=True)
