"""One benchmark step, run in its own process so that its peak memory is its own.

    python bench/steps.py STEP --db FILE [...]

Prints one JSON object on the last line of stdout: the seconds of each repetition
(the timed part only: no interpreter start, no imports, no data reading for pandas),
the resident memory before the timed part and the process's peak (VmHWM). run.py
drives it; it can also be run by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The floor: only what any tally must do. E per race (members counted per state and
# district, then joined to the races), the latest vote per member and race, and the
# counts per choice. No status classification, no ballot rules, no decision.
FLOOR_SQL = """
WITH w AS (
    SELECT opens_at, coalesce(signup_closes_at, closes_at) AS deadline
    FROM waves WHERE wave_id = $w
), eligible AS (
    SELECT m.state, m.district, count(*) AS n
    FROM members m, w
    WHERE m.state IS NOT NULL AND m.signed_up_at < w.deadline
      AND (m.opted_out_at IS NULL OR m.opted_out_at >= w.opens_at)
    GROUP BY ALL
), pv AS (
    SELECT r.race_id, sum(e.n) AS eligible_voters
    FROM races r JOIN eligible e ON e.state = r.state
        AND (r.office <> 'house' OR e.district = r.district
             OR (e.district IS NULL AND r.district = 0))
    GROUP BY ALL
), latest AS (
    SELECT race_id, arg_max(choice, (cast_at, vote_id)) AS choice
    FROM votes WHERE wave_id = $w
    GROUP BY race_id, member_id
), counts AS (
    SELECT race_id, choice, count(*) AS votes FROM latest GROUP BY ALL
)
SELECT c.race_id, c.choice, c.votes, pv.eligible_voters
FROM counts c LEFT JOIN pv USING (race_id)
ORDER BY c.race_id, c.choice
"""


def memory_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc (VmRSS, VmHWM)."""
    values = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, kb = line.split()[:2]
                values[key] = int(kb) / 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak
    return values.get("VmRSS:", 0.0), values.get("VmHWM:", 0.0)


def emit(payload: dict) -> None:
    payload["rss_end_mb"], payload["peak_rss_mb"] = memory_mb()
    print(json.dumps(payload))


def step_load(args) -> None:
    from endorse_analysis import load_folder

    base, _ = memory_mb()
    start, cpu = time.perf_counter(), time.process_time()
    if args.profile:
        import cProfile

        cProfile.runctx(
            "load_folder(folder, db)",
            globals(),
            {"load_folder": load_folder, "folder": Path(args.folder), "db": Path(args.db)},
            filename=args.profile,
        )
    else:
        result = load_folder(
            Path(args.folder), Path(args.db), threads=args.threads, memory_limit=args.memory_limit
        )
    emit(
        {
            "step": "load",
            **({} if args.profile else _resources(result.resources)),
            "seconds": [time.perf_counter() - start],
            "cpu_seconds": [time.process_time() - cpu],
            "rss_before_mb": base,
        }
    )


def _resources(resources) -> dict:
    return {"threads": resources.threads, "memory_limit": resources.memory_limit}


# The load's floor: DuckDB's own read of the two big files into two tables, types
# detected, no checks, nothing else; the same threads, memory and kind of file as the load.
LOAD_FLOOR_FILES = ("members", "votes")


def step_load_floor(args) -> None:
    import shutil
    import tempfile

    import duckdb

    from endorse_analysis.ingest.resources import load_resources

    folder, db = Path(args.folder), Path(args.db)
    paths = [folder / f"{name}.csv" for name in LOAD_FLOOR_FILES]
    size = sum(p.stat().st_size for p in folder.glob("*.csv"))
    resources = load_resources(size, args.threads, args.memory_limit)
    scratch = Path(tempfile.mkdtemp(prefix="floor-", dir=db.parent))
    base = memory_mb()[0]
    db.unlink(missing_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    con = duckdb.connect(
        str(db),
        config={
            "threads": resources.threads,
            "memory_limit": resources.memory_limit,
            "temp_directory": str(scratch),
        },
    )
    con.execute("SET enable_progress_bar = false")
    for name, path in zip(LOAD_FLOOR_FILES, paths, strict=True):
        # the table names are this module's constants, never data
        sql = f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, header = true)"  # noqa: S608
        con.execute(sql, [str(path)])
    con.execute("CHECKPOINT")
    con.close()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    db.unlink(missing_ok=True)
    shutil.rmtree(scratch, ignore_errors=True)
    emit(
        {
            "step": "load_floor",
            "seconds": [seconds],
            "cpu_seconds": [cpu_seconds],
            "rss_before_mb": base,
            **_resources(resources),
        }
    )


def step_tally(args) -> None:
    from datetime import datetime

    import endorse_analysis as ea
    from bench.compare import ours

    runs, cpus, result = [], [], None
    base = memory_mb()[0]
    as_of = datetime.fromisoformat(args.as_of) if args.as_of else None
    for _ in range(args.repeat):
        # A fresh connection per run: nothing is cached between runs. As of an instant,
        # the connection classifies the votes afresh: it is timed too.
        con = None if as_of else ea.connect(args.db)
        start, cpu = time.perf_counter(), time.process_time()
        con = con or ea.connect(args.db, as_of=as_of, waves=[args.wave])  # as `tally --as-of`
        result = ours(con, args.wave)
        runs.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        con.close()
    if args.result:
        Path(args.result).write_bytes(pickle.dumps(result))
    emit(
        {
            "step": "tally",
            "seconds": runs,
            "cpu_seconds": cpus,
            "rss_before_mb": base,
            "contests": len(result[0]),
        }
    )


def step_pandas(args) -> None:
    import endorse_analysis as ea
    from bench import pandas_tally

    con = ea.connect(args.db)
    start = time.perf_counter()
    tables = pandas_tally.read_tables(con)
    read_seconds = time.perf_counter() - start
    con.close()
    base = memory_mb()[0]
    runs, cpus, result = [], [], None
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = pandas_tally.tally(tables, args.wave)
        runs.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    if args.result:
        Path(args.result).write_bytes(pickle.dumps(result))
    emit(
        {
            "step": "pandas",
            "seconds": runs,
            "cpu_seconds": cpus,
            "read_seconds": read_seconds,
            "rss_before_mb": base,
            "contests": len(result[0]),
        }
    )


def step_floor(args) -> None:
    import duckdb

    runs, cpus, rows = [], [], None
    base = memory_mb()[0]
    for _ in range(args.repeat):
        con = duckdb.connect(args.db, read_only=True)
        con.execute("SET enable_progress_bar = false")
        start, cpu = time.perf_counter(), time.process_time()
        rows = con.execute(args.sql or FLOOR_SQL, {"w": args.wave}).df()
        runs.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        con.close()
    if args.result:
        Path(args.result).write_bytes(pickle.dumps(rows))
    emit(
        {
            "step": "floor",
            "seconds": runs,
            "cpu_seconds": cpus,
            "rss_before_mb": base,
            "rows": len(rows),
        }
    )


def single_report_seconds(db: str, wave: str, out: Path, repeat: int) -> list[float]:
    """Wall seconds of `endorse-analysis report` for one race, as staff run it after a
    ruling: a new process each time (start-up and imports included), a new folder."""
    import shutil
    import subprocess

    import endorse_analysis as ea

    with ea.connect(db) as con:
        race = str(ea.tally(con, wave)["race_id"].iloc[0])
    command = str(Path(sys.executable).with_name("endorse-analysis"))
    runs = []
    for attempt in range(repeat):
        target = out / f"single{attempt}"
        shutil.rmtree(target, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(
            [command, "report", "--db", db, "--wave", wave, "--race", race, "--out", str(target)],
            check=True,
            capture_output=True,
        )
        runs.append(time.perf_counter() - start)
    return runs


def step_render(args) -> None:
    """render_wave of the wave with 1 and 2 jobs (force=True), then a re-run of the
    unchanged wave (force=False: what a second `reports` does), and single reports."""
    import shutil

    from endorse_analysis import reports as render
    from endorse_analysis.rules import Thresholds

    out = Path(args.out)
    result: dict = {"step": "render", "rss_before_mb": memory_mb()[0], "jobs": {}}
    for jobs in args.jobs:
        target = out / f"jobs{jobs}"
        shutil.rmtree(target, ignore_errors=True)
        entry: dict = {}
        start = time.perf_counter()
        try:
            render.render_wave(args.db, args.wave, target, Thresholds(), jobs=jobs, force=True)
        except Exception as err:  # a failed page still leaves the others' timing
            entry["error"] = repr(err)[:500]
        entry["seconds"] = time.perf_counter() - start
        entry["html_files"] = len(list(target.rglob("*.html")))
        result["jobs"][str(jobs)] = entry
        if args.rerun and jobs == args.jobs[-1]:
            try:
                start = time.perf_counter()
                render.render_wave(args.db, args.wave, target, Thresholds(), jobs=jobs)
                result["rerun_seconds"] = time.perf_counter() - start
            except Exception as err:
                result["rerun_error"] = repr(err)[:500]
    if not args.no_single:
        result["single_report_seconds"] = single_report_seconds(
            args.db, args.wave, out, args.repeat
        )
    emit(result)


def page_methods(notebook: Path) -> list[str]:
    """The page methods a report notebook's cells call (`page.name()`), in cell order."""
    import re

    import nbformat

    calls = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            calls += re.findall(r"^page\.(\w+)\(\)\s*$", cell.source, re.M)
    return calls


def step_page_floor(args) -> None:
    """A page's own work, without the notebook machinery: for every page of the wave (its
    contests, the overview and the docket) the notebook's `setup` from the run's figures,
    then each page method its cells call, with every chart rendered to SVG by vl-convert;
    no kernel, no Papermill, no export, nothing written. The wave's figures are computed
    once before the timing, as a rendering run does."""
    import tempfile

    import endorse_analysis as ea
    from endorse_analysis.api.wave import wave_figures
    from endorse_analysis.notebook import setup
    from endorse_analysis.present import charts
    from endorse_analysis.reports import plan

    base = memory_mb()[0]
    with ea.connect(args.db) as con:
        figures = wave_figures(con, args.wave, ea.Thresholds())
    scratch = Path(tempfile.mkdtemp(prefix="page-floor-"))
    figures_path = figures.save(scratch / "figures.pickle")
    notebooks = plan.notebooks_dir(None)
    pages = [(kind, None) for kind in ("overview", "docket")]
    pages += [("race", race) for race in sorted(figures.contests["race_id"])]
    methods = {kind: page_methods(notebooks / plan.NOTEBOOKS[kind]) for kind, _ in pages}
    text = figures.thresholds.as_text()
    charts.to_svg(_one_chart())  # vl-convert's start, as a warm kernel has it before
    svg_seconds = [0.0]
    to_svg = charts.to_svg

    def timed_svg(chart) -> str:
        started = time.perf_counter()
        svg = to_svg(chart)
        svg_seconds[0] += time.perf_counter() - started
        return svg

    import endorse_analysis.present.pages as pages_module

    pages_module.charts.to_svg = timed_svg
    start, cpu = time.perf_counter(), time.process_time()
    size = 0
    for kind, race in pages:
        page = setup(
            kind, args.db, args.wave, text["support_threshold"], text["min_turnout"],
            text["min_votes"], "", str(figures_path), race=race or "",
        )  # fmt: skip
        for name in methods[kind]:
            shown = getattr(page, name)()
            size += len(getattr(shown, "data", "") or "")
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pages_module.charts.to_svg = to_svg
    emit(
        {
            "step": "page_floor",
            "seconds": [seconds],
            "cpu_seconds": [cpu_seconds],
            "svg_seconds": svg_seconds[0],
            "pages": len(pages),
            "html_chars": size,
            "rss_before_mb": base,
        }
    )


def _one_chart():
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})).mark_bar().encode(x="x", y="y")


def step_verify(args) -> None:
    """`endorse-analysis verify` of a rendered wave folder, and its floor: reading and
    hashing (SHA-256) every file the manifest lists, nothing compared."""
    import hashlib

    from endorse_analysis import reports
    from endorse_analysis.reports.manifest import read_manifest

    folder = Path(args.out)
    base = memory_mb()[0]
    floors, runs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        for entry in read_manifest(folder)["files"]:
            hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest()
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        changed = reports.verify(folder)
        runs.append(time.perf_counter() - start)
        if changed:
            raise RuntimeError(f"verify found {len(changed)} difference(s): {changed[:3]}")
    emit({"step": "verify", "seconds": runs, "floor_seconds": floors, "rss_before_mb": base})


# The plainest full read of the rows the ActionKit import reads: the same columns of the
# same tables, no filter, no join, no aggregate (bench/import_bench.py).
PLAIN_READS = {
    "core_page": "SELECT id, name FROM core_page",
    "core_action": "SELECT id, user_id, page_id, created_at FROM core_action",
    "core_actionfield": "SELECT id, parent_id, value FROM core_actionfield",
    "core_user": "SELECT id, created_at, updated_at, state, subscription_status FROM core_user",
    "core_location": "SELECT user_id, us_district FROM core_location",
    "core_usergeofield": "SELECT id, user_id, value FROM core_usergeofield",
    "core_subscriptionhistory": "SELECT user_id, created_at FROM core_subscriptionhistory",
}
BATCH = 100_000  # rows per fetch of the DB-API drivers


def read_rows(driver: str, url: str, query: str) -> int:
    """Read a query's result whole into Arrow through `driver`; the number of rows."""
    import pyarrow as pa

    if driver == "connectorx":
        import connectorx

        return connectorx.read_sql(url, query, return_type="arrow").num_rows
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    login = {"host": parts.hostname, "port": parts.port or 3306, "user": parts.username or ""}
    if driver == "mysqlclient":
        import MySQLdb
        import MySQLdb.cursors

        con = MySQLdb.connect(**login, db=parts.path[1:], cursorclass=MySQLdb.cursors.SSCursor)
    else:
        import pymysql

        con = pymysql.connect(
            **login, database=parts.path[1:], cursorclass=pymysql.cursors.SSCursor
        )
    rows = 0
    try:
        cursor = con.cursor()
        cursor.execute(query)
        names = [d[0] for d in cursor.description]
        batches = []
        while chunk := cursor.fetchmany(BATCH):
            columns = list(zip(*chunk, strict=True))
            batches.append(pa.table({n: pa.array(c) for n, c in zip(names, columns, strict=True)}))
            rows += len(chunk)
        del batches
    finally:
        con.close()
    return rows


def step_read(args) -> None:
    """The plain read of each table (all of PLAIN_READS unless --tables) through --driver."""
    url = os.environ["ACTIONKIT_DSN"]
    base = memory_mb()[0]
    start, cpu = time.perf_counter(), time.process_time()
    rows = {t: read_rows(args.driver, url, PLAIN_READS[t]) for t in args.tables or PLAIN_READS}
    emit(
        {
            "step": "read",
            "driver": args.driver,
            "seconds": [time.perf_counter() - start],
            "cpu_seconds": [time.process_time() - cpu],
            "rss_before_mb": base,
            "rows": rows,
        }
    )


def step_import(args) -> None:
    """`import actionkit`: read, map and write members.csv and votes.csv."""
    from endorse_analysis.listtool.actionkit import import_actionkit
    from endorse_analysis.listtool.config import read_config

    base = memory_mb()[0]
    start, cpu = time.perf_counter(), time.process_time()
    result = import_actionkit(read_config(Path(args.config)), Path(args.out))
    emit(
        {
            "step": "import",
            "seconds": [time.perf_counter() - start],
            "cpu_seconds": [time.process_time() - cpu],
            "rss_before_mb": base,
            "rows": {"members": result.members, "votes": result.votes},
        }
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "step",
        choices=[
            "load",
            "load_floor",
            "tally",
            "pandas",
            "floor",
            "render",
            "read",
            "import",
            "page_floor",
            "verify",
        ],
    )
    parser.add_argument("--db", help="the DuckDB file (load, tally, pandas, floor, render)")
    parser.add_argument("--folder")
    parser.add_argument("--wave")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--result", help="pickle the step's result here")
    parser.add_argument("--profile", help="load: write a cProfile to this file")
    parser.add_argument("--threads", help="load, load_floor: DuckDB threads (default: all)")
    parser.add_argument("--memory-limit", help="load, load_floor: DuckDB memory (e.g. 4GB)")
    parser.add_argument("--sql", help="floor: another query to time instead")
    parser.add_argument("--as-of", help="tally: as of this instant (naive UTC, ISO 8601)")
    parser.add_argument("--out", help="render: output folder")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument("--no-single", action="store_true", help="render: no single report")
    parser.add_argument(
        "--driver", default="connectorx", help="read: connectorx, mysqlclient, pymysql"
    )
    parser.add_argument("--tables", nargs="*", help="read: only these tables")
    parser.add_argument("--config", help="import: program.toml")
    args = parser.parse_args(argv)
    {
        "load": step_load,
        "load_floor": step_load_floor,
        "tally": step_tally,
        "pandas": step_pandas,
        "floor": step_floor,
        "render": step_render,
        "read": step_read,
        "import": step_import,
        "page_floor": step_page_floor,
        "verify": step_verify,
    }[args.step](args)


if __name__ == "__main__":
    main()
