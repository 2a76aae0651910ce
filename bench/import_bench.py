"""The ActionKit import at scale, beside the plainest full read of the same rows.

    .venv/bin/python bench/import_bench.py --votes 10000000 --members 5000000 \\
        --json bench/out/import.json

Starts a private MariaDB server (tests/mariadb_server.py) under bench/out/, puts the cached
demo program of that scale (bench/run.py's demo_folder) into ActionKit's tables
(synthetic/actionkit.py: LOAD DATA, then the keys), then measures in child processes
(bench/steps.py), alternating, --repeat times each:

- read: the plainest full read of every table the import reads (steps.PLAIN_READS: the
  same columns, no filter, no join) through connectorx into Arrow (one more, first, only
  warms the server's buffer pool);
- import: `import actionkit` whole: the reads, the mapping, members.csv and votes.csv.

Each step's CPU seconds are counted for both processes, ours and the server's: on a shared
machine they are steadier than wall time. Then, once, the plain read of core_action
through each driver installed (connectorx, mysqlclient, pymysql; `pip install -e
'.[bench]'`): how the driver was chosen. Prints the markdown table of BENCHMARKS.md's
import section; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench.run import OUT, child, demo_folder, log, machine  # noqa: E402

DRIVERS = {"connectorx": "connectorx", "mysqlclient": "MySQLdb", "pymysql": "pymysql"}
TARGET_RATIO, TARGET_PEAK_MB = 2.0, 4096


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=10_000_000)
    parser.add_argument("--members", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--buffer-pool", default="6G", help="the server's InnoDB buffer pool")
    parser.add_argument("--json", type=Path, default=OUT / "import.json")
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the tables a last run filled"
    )
    args = parser.parse_args(argv)

    import mariadb_server

    program, _ = demo_folder(args.votes, args.members, args.seed)
    work = OUT / f"import-v{args.votes}-m{args.members}"
    filled = work / "filled.json"
    reuse = args.reuse and filled.is_file()
    if not reuse:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    result: dict = {"machine": machine(), "votes": args.votes, "members": args.members}
    server = mariadb_server.start(
        work / "server", buffer_pool=args.buffer_pool, bulk=True, reuse=reuse
    )
    try:
        if reuse:
            result.update(json.loads(filled.read_text()))
        else:
            log(f"filling ActionKit's tables on port {server.port}")
            start = time.perf_counter()
            files = mariadb_server.create_actionkit(server, "ak", program, work / "tables")
            result["fill_seconds"] = time.perf_counter() - start
            result["config"] = str(files.config)
            result["table_rows"] = {
                table: int(server.sql(f"SELECT count(*) FROM {table}", "ak"))  # noqa: S608
                for table in files.tables
            }
            filled.write_text(
                json.dumps({k: result[k] for k in ("fill_seconds", "config", "table_rows")})
            )
        env = {**os.environ, "ACTIONKIT_DSN": server.dsn("ak")}

        def measured(step: list[str]) -> tuple[dict, float]:
            """A child step, with the server's CPU seconds during it (the other half of
            the work, and steadier than wall time on a shared machine)."""
            before = cpu_seconds(server.process.pid)
            payload, peak = child(step, env)
            payload["server_cpu"] = cpu_seconds(server.process.pid) - before
            return payload, peak

        log("warm-up: a plain read fills the server's buffer pool (not counted)")
        measured(["read", "--driver", "connectorx"])
        reads, imports = [], []
        for n in range(args.repeat):
            log(f"run {n + 1}: plain read")
            reads.append(measured(["read", "--driver", "connectorx"]))
            log(f"run {n + 1}: import")
            out = work / "imported"
            shutil.rmtree(out, ignore_errors=True)
            imports.append(measured(["import", "--config", result["config"], "--out", str(out)]))
        result["read"] = _summary(reads)
        result["import"] = _summary(imports)
        result["drivers"] = {}
        for driver, module in DRIVERS.items():
            if importlib.util.find_spec(module) is None:
                result["drivers"][driver] = None
                continue
            log(f"core_action through {driver}")
            result["drivers"][driver] = _summary(
                [measured(["read", "--driver", driver, "--tables", "core_action"])]
            )
    finally:
        server.stop()
    result["ratio"] = result["import"]["median"] / result["read"]["median"]
    result["cpu_ratio"] = result["import"]["total_cpu"] / result["read"]["total_cpu"]
    result["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(markdown(result))


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _summary(runs: list[tuple[dict, float]]) -> dict:
    seconds = [payload["seconds"][0] for payload, _ in runs]
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "runs": seconds,
        "cpu_median": statistics.median(p["cpu_seconds"][0] for p, _ in runs),
        "server_cpu": statistics.median(p["server_cpu"] for p, _ in runs),
        "total_cpu": statistics.median(p["cpu_seconds"][0] + p["server_cpu"] for p, _ in runs),
        "peak_rss_mb": max(p["peak_rss_mb"] for p, _ in runs),  # the child's own VmHWM
        "rows": runs[-1][0]["rows"],
    }


def markdown(result: dict) -> str:
    """The table of BENCHMARKS.md's import section."""
    read, imported = result["read"], result["import"]
    m = result["machine"]
    lines = [
        f"Machine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('memory_gb', '?')} GB; "
        f"Python {m['python']}, DuckDB {m['duckdb']}; MariaDB 10.11 on the same machine.",
        "",
        f"ActionKit tables from the demo program of {result['votes']:,} votes and "
        f"{result['members']:,} members (filled in {result['fill_seconds']:.0f} s, keys "
        "included): " + ", ".join(f"{t} {n:,}" for t, n in result["table_rows"].items()) + ".",
        "",
        "| | seconds, median (min–max) | CPU s, ours | CPU s, server | CPU s, both | peak RSS MB |",
        "|---|---|---|---|---|---|",
        _row("plain read, connectorx → Arrow (every table, all rows)", read),
        _row("**import actionkit** (reads, mapping, members.csv + votes.csv)", imported),
        "",
        f"Import ÷ plain read: **{result['ratio']:.2f}** by wall time, "
        f"**{result['cpu_ratio']:.2f}** by CPU seconds of both processes "
        f"(target ≤ {TARGET_RATIO:g}); load average at the end "
        f"{' '.join(result['loadavg_end'])}; "
        f"import peak RSS {imported['peak_rss_mb']:,.0f} MB (target < {TARGET_PEAK_MB:,} MB); "
        f"wrote {imported['rows']['members']:,} members and {imported['rows']['votes']:,} votes.",
        "",
        "The plain read of core_action "
        f"({result['table_rows']['core_action']:,} rows: id, user_id, page_id, created_at) "
        "through each driver, into Arrow:",
        "",
        "| driver | seconds | CPU s, ours | CPU s, server | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for driver, figures in result["drivers"].items():
        if figures is None:
            lines.append(f"| {driver} | not installed | | | |")
        else:
            lines.append(
                f"| {driver} | {figures['median']:.1f} | {figures['cpu_median']:.1f} | "
                f"{figures['server_cpu']:.1f} | {figures['peak_rss_mb']:,.0f} |"
            )
    return "\n".join(lines)


def _row(name: str, figures: dict) -> str:
    return (
        f"| {name} | {figures['median']:.1f} ({figures['min']:.1f}–{figures['max']:.1f}) | "
        f"{figures['cpu_median']:.1f} | {figures['server_cpu']:.1f} | "
        f"{figures['total_cpu']:.1f} | {figures['peak_rss_mb']:,.0f} |"
    )


if __name__ == "__main__":
    main()
