"""The benchmark suite: load, tally against pandas and the floor, rendering.

    .venv/bin/python bench/run.py --votes 1000000 --members 500000 --json bench/out/small.json

Generates the demo data at the given scale with `write_demo` (cached in bench/out/), then
measures each step in its own child process, --repeat times, and reports the median, min
and max of the seconds and the peak resident memory of each step:

- load: `endorse_analysis.load_folder` of the CSV folder (a child process per repetition;
  peak RSS from the kernel's rusage of that child);
- tally: `endorse_analysis.tally` + `choices` of one whole wave (all contests), a fresh
  connection per repetition; the pandas implementation of the same rules
  (bench/pandas_tally.py) on the same tables, read into pandas before the timing; and
  the floor, one hand-tuned DuckDB query (steps.FLOOR_SQL). The project's and pandas'
  results must be identical (per contest and per option), else the run fails;
- render (unless --no-render): `reports.render_wave` of the wave with 1 and 2 jobs
  (force=True), a re-run of the unchanged wave, and `endorse-analysis report` of one race
  in a new process, --repeat times (what staff run after a ruling).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
STEPS = ROOT / "bench" / "steps.py"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child(args: list[str], env: dict | None = None) -> tuple[dict, float]:
    """Run steps.py in a child process; return its JSON and its peak RSS (MB, rusage).
    `env` replaces the child's environment (None: this one's)."""
    proc = subprocess.Popen(
        [sys.executable, str(STEPS), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    out, err = "", ""
    # communicate() then wait4 would lose the rusage: read the pipes, then reap with wait4.
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"step {args[0]} failed ({proc.returncode}):\n{err[-3000:]}")
    payload = json.loads(out.strip().splitlines()[-1])
    return payload, usage.ru_maxrss / 1024


def summary(values: list[float], cpu: list[float] | None = None) -> dict:
    out = {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": values,
    }
    if cpu:
        out["cpu_median"] = statistics.median(cpu)  # user + system seconds, all threads
        out["cpu_runs"] = cpu
    return out


def pressure() -> str | None:
    """/proc/pressure/cpu 'some avg60': how much other work competed for the CPU."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return dict(kv.split("=") for kv in first.split()[1:]).get("avg60")


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["loadavg_start"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    import duckdb
    import numpy
    import pandas

    info.update(duckdb=duckdb.__version__, pandas=pandas.__version__, numpy=numpy.__version__)
    return info


def demo_folder(votes: int, members: int, seed: int) -> tuple[Path, float | None]:
    """The cached CSV folder of this scale; generated (in a child) when missing."""
    folder = OUT / f"demo-v{votes}-m{members}-s{seed}"
    mark = folder / ".complete"
    if mark.is_file():
        return folder, json.loads(mark.read_text()).get("seconds")
    log(f"generating {votes:,} votes, {members:,} members into {folder}")
    code = (
        "import json, sys, time; from pathlib import Path\n"
        "from endorse_analysis.synthetic import write_demo\n"
        "v, m, s, d = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])\n"
        "t = time.perf_counter(); counts = write_demo(d, seed=s, members=m, votes=v)\n"
        "(d / '.complete').write_text(json.dumps({'votes': v, 'members': m, 'seed': s,"
        " 'counts': counts, 'seconds': time.perf_counter() - t}))\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(votes), str(members), str(seed), str(folder)],
        check=True,
        cwd=ROOT,
    )
    return folder, json.loads(mark.read_text()).get("seconds")


def biggest_wave(db: Path) -> tuple[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT v.wave_id, count(*) FROM votes v JOIN waves USING (wave_id) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        ).fetchone()
    finally:
        con.close()


def _closes_at(db: Path, wave: str) -> str:
    """The wave's close (naive UTC, ISO 8601): an as-of tally there counts what the final
    one counts, but classifies the wave's votes afresh."""
    import endorse_analysis as ea

    with ea.connect(db, macros=False) as con:
        (closes,) = con.execute("SELECT closes_at FROM waves WHERE wave_id = ?", [wave]).fetchone()
    if closes.tzinfo is not None:
        closes = closes.astimezone(UTC).replace(tzinfo=None)
    return closes.isoformat()


def render_step(args: argparse.Namespace, result: dict, db: Path, wave: str, tag: str) -> None:
    result["report_seconds_per_race"] = None
    result["wave_render_seconds"] = None
    result["rerun_seconds"] = None
    if args.no_render:
        result["render"] = {"skipped": "--no-render"}
        return
    log("render")
    try:
        payload, peak = child(
            [
                "render",
                "--db",
                str(db),
                "--wave",
                args.render_wave or wave,
                "--out",
                str(OUT / f"render-{tag}"),
                "--jobs",
                *map(str, args.jobs),
                "--rerun",
            ]
        )
        payload["peak_rss_mb"] = peak
    except RuntimeError as err:
        payload = {"error": str(err)[-1500:]}
    result["render"] = payload
    jobs = payload.get("jobs", {})
    # per page: every HTML page the wave render wrote (contests, overview, docket)
    per = {j: v["seconds"] / v["html_files"] for j, v in jobs.items() if v.get("html_files")}
    if per:
        result["report_seconds_per_race"] = per
        result["reports_per_minute"] = {j: 60 / s for j, s in per.items()}
        result["wave_render_seconds"] = {j: v["seconds"] for j, v in jobs.items() if "seconds" in v}
    result["rerun_seconds"] = payload.get("rerun_seconds")
    singles = payload.get("single_report_seconds")
    result["single_report_seconds"] = summary(singles) if singles else None
    result.setdefault("peak_rss_mb", {})["render"] = payload.get("peak_rss_mb")


def run(args: argparse.Namespace) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    tag = f"v{args.votes}-m{args.members}-s{args.seed}"
    folder, generate_seconds = demo_folder(args.votes, args.members, args.seed)
    db = OUT / f"bench-{tag}.duckdb"
    result: dict = {
        "votes": args.votes,
        "members": args.members,
        "seed": args.seed,
        "repeat": args.repeat,
        "machine": machine(),
        "command": " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
        "generate_seconds": generate_seconds,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }

    # --- load and its floor: one child per repetition, taken in turns ----------------
    # so that whatever else the machine does weighs on both alike.
    limits = [f"--{k}={v}" for k, v in (("threads", args.threads),
              ("memory-limit", args.memory_limit)) if v]  # fmt: skip
    runs: dict[str, dict[str, list]] = {
        step: {"seconds": [], "cpu": [], "peaks": []} for step in ("load", "load_floor")
    }
    floor_db = OUT / f"floor-{tag}.duckdb"
    for i in range(args.repeat):
        for step, target in (("load", db), ("load_floor", floor_db)):
            log(f"{step} {i + 1}/{args.repeat}")
            payload, peak = child([step, "--folder", str(folder), "--db", str(target), *limits])
            runs[step]["seconds"].append(payload["seconds"][0])
            runs[step]["cpu"].append(payload["cpu_seconds"][0])
            runs[step]["peaks"].append(peak)
            result["load_threads"] = payload["threads"]
            result["load_memory_limit"] = payload["memory_limit"]
    for step, measured in runs.items():
        result[step] = {
            **summary(measured["seconds"], measured["cpu"]),
            "peak_rss_mb": max(measured["peaks"]),
            "peaks": measured["peaks"],
            "cpu_pressure_avg60": pressure(),
        }
    result["load_seconds"] = result["load"]["median"]
    result["load_vs_floor"] = result["load"]["median"] / result["load_floor"]["median"]
    result["input_mb"] = sum(p.stat().st_size for p in folder.glob("*.csv")) / 1e6
    if args.load_only:
        result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        return result

    wave, wave_votes = (args.wave, None) if args.wave else biggest_wave(db)
    result["wave"], result["wave_votes"] = wave, wave_votes

    # --- tally: ours, pandas, floor --------------------------------------------------
    common = ["--db", str(db), "--wave", wave, "--repeat", str(args.repeat)]
    ours_file, pandas_file, floor_file = (
        OUT / f"result-{tag}-{n}.pkl" for n in ("ours", "pandas", "floor")
    )
    log(f"tally of wave {wave} ({args.repeat}x)")
    payload, peak = child(["tally", *common, "--result", str(ours_file)])
    result["tally"] = {
        **summary(payload["seconds"], payload["cpu_seconds"]),
        "peak_rss_mb": peak,
        "contests": payload["contests"],
        "cpu_pressure_avg60": pressure(),
    }
    closes = _closes_at(db, wave)
    log(f"tally of wave {wave} as of its close, {closes} ({args.repeat}x)")
    payload, peak = child(["tally", *common, "--as-of", closes])
    result["tally_as_of"] = {
        **summary(payload["seconds"], payload["cpu_seconds"]),
        "peak_rss_mb": peak,
        "as_of": closes,
    }
    log("floor query")
    payload, peak = child(["floor", *common, "--result", str(floor_file)])
    result["floor"] = {
        **summary(payload["seconds"], payload["cpu_seconds"]),
        "peak_rss_mb": peak,
        "cpu_pressure_avg60": pressure(),
    }
    if not args.no_pandas:
        log("pandas tally")
        payload, peak = child(["pandas", *common, "--result", str(pandas_file)])
        result["pandas_tally"] = {
            **summary(payload["seconds"], payload["cpu_seconds"]),
            "peak_rss_mb": peak,
            "cpu_pressure_avg60": pressure(),
            "rss_before_mb": payload["rss_before_mb"],
            "read_seconds": payload["read_seconds"],
        }
        from bench.compare import differences

        diff = differences(
            pickle.loads(ours_file.read_bytes()), pickle.loads(pandas_file.read_bytes())
        )
        result["identical"] = not diff
        result["differences"] = diff
    floor_rows = pickle.loads(floor_file.read_bytes())
    ours_contests = pickle.loads(ours_file.read_bytes())[0]
    e_ours = dict(zip(ours_contests["race_id"], ours_contests["eligible_voters"], strict=True))
    e_floor = dict(zip(floor_rows["race_id"], floor_rows["eligible_voters"], strict=False))
    result["floor_eligible_voters_agree"] = all(
        int(e_ours[r]) == int(e_floor[r])
        for r in e_floor
        if r in e_ours and e_floor[r] == e_floor[r]
    )

    result["tally_seconds"] = result["tally"]["median"]
    result["floor_seconds"] = result["floor"]["median"]
    result["pandas_tally_seconds"] = result.get("pandas_tally", {}).get("median")
    result["tally_vs_floor"] = result["tally_seconds"] / result["floor_seconds"]
    result["tally_as_of_vs_floor"] = result["tally_as_of"]["median"] / result["floor_seconds"]
    if result["pandas_tally_seconds"]:
        result["pandas_vs_tally"] = result["pandas_tally_seconds"] / result["tally_seconds"]

    # --- rendering --------------------------------------------------------------------
    render_step(args, result, db, wave, tag)

    peaks = [
        result["load"]["peak_rss_mb"],
        result["tally"]["peak_rss_mb"],
        result["floor"]["peak_rss_mb"],
    ]
    if "pandas_tally" in result:
        peaks.append(result["pandas_tally"]["peak_rss_mb"])
    result["peak_rss_mb"] = {
        "load": result["load"]["peak_rss_mb"],
        "tally": result["tally"]["peak_rss_mb"],
        "floor": result["floor"]["peak_rss_mb"],
        "pandas_tally": result.get("pandas_tally", {}).get("peak_rss_mb"),
        "render": result.get("render", {}).get("peak_rss_mb"),
    }
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    result["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def table(r: dict) -> str:
    def fmt(s: dict) -> str:
        return (
            f"{s['median']:.2f} s (min {s['min']:.2f}, max {s['max']:.2f}; "
            f"cpu {s.get('cpu_median', float('nan')):.2f} s)"
        )

    lines = [
        f"scale: {r['votes']:,} votes, {r['members']:,} members; wave {r['wave']} "
        f"({r['tally']['contests']} contests); {r['repeat']} runs each",
        f"load          {fmt(r['load'])}  peak {r['load']['peak_rss_mb']:.0f} MB",
        f"tally         {fmt(r['tally'])}  peak {r['tally']['peak_rss_mb']:.0f} MB",
        f"floor         {fmt(r['floor'])}  peak {r['floor']['peak_rss_mb']:.0f} MB",
    ]
    if "pandas_tally" in r:
        p = r["pandas_tally"]
        lines.append(f"pandas tally  {fmt(p)}  peak {p['peak_rss_mb']:.0f} MB")
        lines.append(f"identical results: {r['identical']}")
    lines.append(f"tally / floor = {r['tally_vs_floor']:.2f}x")
    if r.get("pandas_vs_tally"):
        lines.append(f"pandas / tally = {r['pandas_vs_tally']:.2f}x")
    lines.append(f"render: {json.dumps(r.get('render'))[:800]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--wave", help="the wave to tally (default: the one with most votes)")
    parser.add_argument("--render-wave", help="the wave to render (default: the tallied wave)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--threads", help="the load's DuckDB threads (default: every core)")
    parser.add_argument("--memory-limit", help="the load's DuckDB memory (default: the load's)")
    parser.add_argument(
        "--load-only", action="store_true", help="measure the load and its floor only"
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="re-measure only the rendering, into the existing --json file of this scale",
    )
    args = parser.parse_args(argv)
    if args.render_only:
        result = json.loads(args.json.read_text())
        tag = f"v{args.votes}-m{args.members}-s{args.seed}"
        render_step(args, result, OUT / f"bench-{tag}.duckdb", result["wave"], tag)
        result["render_measured"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(json.dumps(result["render"])[:1500])
        return 0
    result = run(args)
    print(table(result) if not args.load_only else json.dumps(result, default=str)[:2000])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    if result.get("identical") is False:
        print("the pandas tally differs from endorse_analysis.tally:", file=sys.stderr)
        for line in result["differences"]:
            print("  " + line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
