"""The night the vote closes: list tool to verified pages, each step beside its floor.

    .venv/bin/python bench/night.py --votes 1000000 --members 500000 --json bench/out/night-1m.json
    .venv/bin/python bench/night.py --votes 10000000 --members 5000000 --jobs 2 --repeat 1 \\
        --json bench/out/night-10m.json
    .venv/bin/python bench/night.py --markdown bench/out/night-1m.json bench/out/night-10m.json

The demo program of that scale (bench/run.py's demo_folder: 506 races, four waves) is
written into a private MariaDB server in ActionKit's shape (tests/mariadb_server.py,
synthetic/actionkit.py); then the chain staff run, each step in a child process
(bench/steps.py) and, --repeat times, in turns with its floor measured in the same run:

| step | its floor |
|---|---|
| `import actionkit` (members.csv, votes.csv) | a plain SELECT of the same rows (connectorx) |
| `load` of the imported files + staff's six | DuckDB's own read_csv of members.csv and votes.csv |
| as-of tally of the biggest wave at its close | the hand-written floor query (steps.FLOOR_SQL) |
| `reports` of that whole wave, per page | each page's figures and charts rendered directly |
| `verify` of the rendered wave | reading and hashing every file of its manifest |
| one `report` in a new process | (a target only) |

Each step's peak resident memory is its child's own (VmHWM). `--no-import` skips MariaDB
and loads the demo's own members.csv and votes.csv (for a bounded run at a large scale);
`--no-render` stops after the tally. `--markdown` writes the table and the growth chart
into BENCHMARKS.md between the night markers.
"""

from __future__ import annotations

import argparse
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

from bench.import_bench import cpu_seconds  # noqa: E402
from bench.run import OUT, _closes_at, biggest_wave, demo_folder, log, machine  # noqa: E402
from bench.run import child as _child  # noqa: E402


def child(args: list[str], env: dict | None = None) -> tuple[dict, float]:
    """A step in a child process and its own peak resident memory (VmHWM, read by the
    child itself: the rusage of a child forked from this process starts from this
    process's peak)."""
    payload, _ = _child(args, env)
    return payload, payload["peak_rss_mb"]


# step: (its floor, target ratio of step to floor, or None for a target in seconds)
TARGETS = {
    "import": 2.0,
    "load": 2.0,
    "as_of_tally": 1.5,
    "page": 2.0,
    "verify": None,
}
PAGE_TARGET_SECONDS = 0.15  # per page with 2 jobs, or within PAGE ratio of its floor
SINGLE_REPORT_TARGET = 1.5
# Why a step stays above its target: what it does that its floor does not (from the
# profiles in BENCHMARKS.md); printed under the table beside each target missed.
WHY = {
    "import": (
        "the plain SELECT only reads; the import also parses every DATETIME from text (zero "
        "dates), applies the server's time zone, maps each answer to its choice page by page, "
        "dates opt-outs from the change history, checks every row and writes members.csv and "
        "votes.csv in the users' and actions' order (about 0.9 CPU s at 1M)"
    ),
    "load": (
        "DuckDB's read_csv parses the types it guesses and stores them; the load reads every "
        "column as text so that a bad value is named by file, line and column, parses each "
        "timestamp by the contract's rules (offsets, Z, ranges), gives members their keys, "
        "classifies every vote once and stores the counts every tally reads. At 1M the strict "
        "reading of votes.csv (0.72 CPU s), the keyed copy of the votes (0.66) and the "
        "classification (0.74) are each about as much as the whole floor"
    ),
    "as_of_tally": (
        "the floor query counts every member's latest vote as valid; the as-of tally first "
        "gives each of the wave's votes cast before the instant one of six statuses, joining "
        "it to its member, wave, race and ballot (about 0.23 of its 0.40 CPU s at 1M), then "
        "counts the potential voters again from the members as of that instant"
    ),
    "page": (
        "beside its figures and charts, a page is run by Papermill (the parameters injected, "
        "the executed notebook written), its cells run in a warm kernel in one request, and "
        "written as HTML and .ipynb; the two jobs share two cores with the run's parent"
    ),
    "single_report": (
        "a new process imports Python, pandas and DuckDB (0.6 s), Altair and IPython (0.5 s), "
        "computes the whole wave's figures (the turnout chart compares the race with every "
        "contest of the wave) and draws the first page of a process (0.45 s); all of it holds "
        "the GIL, so only vl-convert's start runs beside it"
    ),
}
BENCHMARKS = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- night:begin -->", "<!-- night:end -->"


def _figures(runs: list[tuple[dict, float]], key: str = "seconds") -> dict:
    """Median, min and max of the first timing of each run, CPU seconds and peak RSS."""
    seconds = [payload[key][0] for payload, _ in runs]
    cpu = [payload["cpu_seconds"][0] for payload, _ in runs if "cpu_seconds" in payload]
    return _summary(seconds, cpu, runs)


def _steps_payload(runs: list[tuple[dict, float]]) -> dict:
    """A child that timed several repetitions itself (tally, floor): median of them all."""
    seconds = [s for payload, _ in runs for s in payload["seconds"]]
    cpu = [s for payload, _ in runs for s in payload.get("cpu_seconds", [])]
    return _summary(seconds, cpu, runs)


def _summary(seconds: list[float], cpu: list[float], runs: list[tuple[dict, float]]) -> dict:
    return {
        "median": statistics.median(seconds),
        "min": min(seconds),
        "max": max(seconds),
        "runs": seconds,
        "cpu_median": statistics.median(cpu) if cpu else None,
        "peak_rss_mb": max(peak for _, peak in runs),
    }


def run(args: argparse.Namespace) -> dict:
    from endorse_analysis.listtool.contract import STAFF_FILES

    program, _ = demo_folder(args.votes, args.members, args.seed)
    work = OUT / f"night-v{args.votes}-m{args.members}{args.tag}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result: dict = {
        "machine": machine(),
        "votes": args.votes,
        "members": args.members,
        "repeat": args.repeat,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "steps": {},
    }
    night = work / "program"  # what the night loads: the import's two files + staff's six
    night.mkdir()
    for name in STAFF_FILES:
        shutil.copyfile(program / name, night / name)

    if args.no_import:  # the demo's own members.csv and votes.csv stand for the import's
        result["fill_seconds"] = None
        for name in ("members.csv", "votes.csv"):
            shutil.copyfile(program / name, night / name)
    else:
        _import(args, result, program, work, night)
    _night(args, result, work, night)
    result["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def _import(args: argparse.Namespace, result: dict, program: Path, work: Path, night: Path) -> None:
    """ActionKit's tables in a private MariaDB, then the import in turns with its floor."""
    import mariadb_server

    steps = result["steps"]
    server = mariadb_server.start(work / "server", buffer_pool=args.buffer_pool, bulk=True)
    try:
        log(f"filling ActionKit's tables on port {server.port}")
        start = time.perf_counter()
        files = mariadb_server.create_actionkit(server, "ak", program, work / "tables")
        result["fill_seconds"] = time.perf_counter() - start
        env = {**os.environ, "ACTIONKIT_DSN": server.dsn("ak")}

        def measured(step: list[str]) -> tuple[dict, float]:
            before = cpu_seconds(server.process.pid)
            payload, peak = child(step, env)
            payload["server_cpu"] = cpu_seconds(server.process.pid) - before
            return payload, peak

        log("warm-up read (fills the server's buffer pool; not counted)")
        measured(["read"])
        reads, imports = [], []
        for n in range(args.repeat):
            log(f"run {n + 1}: plain read, then import actionkit")
            reads.append(measured(["read"]))
            imports.append(measured(["import", "--config", str(files.config), "--out", str(night)]))
        steps["import"] = {"step": _figures(imports), "floor": _figures(reads)}
        for key, runs in (("step", imports), ("floor", reads)):
            steps["import"][key]["server_cpu"] = statistics.median(p["server_cpu"] for p, _ in runs)
    finally:
        server.stop()


def _night(args: argparse.Namespace, result: dict, work: Path, night: Path) -> None:
    """The load, the as-of tally and (unless --no-render) the pages and verify."""
    steps = result["steps"]
    db = work / "night.duckdb"
    floor_db = work / "floor.duckdb"
    loads, floors = [], []
    for n in range(args.repeat):
        log(f"run {n + 1}: load floor (read_csv), then load")
        floors.append(child(["load_floor", "--folder", str(night), "--db", str(floor_db)]))
        loads.append(child(["load", "--folder", str(night), "--db", str(db)]))
    steps["load"] = {"step": _figures(loads), "floor": _figures(floors)}
    steps["load"]["step"]["threads"] = loads[-1][0].get("threads")
    steps["load"]["step"]["memory_limit"] = loads[-1][0].get("memory_limit")

    wave, wave_votes = biggest_wave(db)
    result["wave"], result["wave_votes"] = wave, wave_votes
    closes = _closes_at(db, wave)
    tallies, tally_floors = [], []
    for n in range(args.repeat):
        log(f"run {n + 1}: floor query, then the as-of tally of {wave}")
        base = ["--db", str(db), "--wave", wave, "--repeat", "3"]
        tally_floors.append(child(["floor", *base]))
        tallies.append(child(["tally", *base, "--as-of", closes]))
    steps["as_of_tally"] = {"step": _steps_payload(tallies), "floor": _steps_payload(tally_floors)}

    if args.no_render:
        result["render"] = "skipped (--no-render)"
    else:
        _render(args, result, db, wave, work)


def _render(args: argparse.Namespace, result: dict, db: Path, wave: str, work: Path) -> None:
    """Every page of the wave with each --jobs, its page floor in between, then verify
    and one `report` in a new process."""
    steps = result["steps"]
    log("page floor: every page's figures and charts rendered directly")
    floor, floor_peak = child(["page_floor", "--db", str(db), "--wave", wave])
    out = work / "reports"
    renders = {}
    for jobs in args.jobs:
        log(f"reports of {wave} with {jobs} job(s)")
        payload, peak = child(
            [
                "render", "--db", str(db), "--wave", wave, "--out", str(out),
                "--jobs", str(jobs), "--repeat", str(args.repeat),
                *([] if jobs == args.jobs[-1] else ["--no-single"]),
            ]
        )  # fmt: skip
        renders[str(jobs)] = (payload, peak)
    pages = floor["pages"]
    steps["page"] = {
        "floor": {
            "per_page": floor["seconds"][0] / pages,
            "cpu_per_page": floor["cpu_seconds"][0] / pages,
            "svg_per_page": floor["svg_seconds"] / pages,
            "pages": pages,
            "peak_rss_mb": floor_peak,
        },
        "jobs": {},
    }
    for jobs, (payload, peak) in renders.items():
        entry = payload["jobs"][jobs]
        steps["page"]["jobs"][jobs] = {
            "wave_seconds": entry["seconds"],
            "pages": entry["html_files"],
            "per_page": entry["seconds"] / max(1, entry["html_files"]),
            "error": entry.get("error"),
            "peak_rss_mb": peak,
        }
    singles = renders[str(args.jobs[-1])][0].get("single_report_seconds") or []
    if singles:
        steps["single_report"] = {
            "median": statistics.median(singles),
            "min": min(singles),
            "max": max(singles),
            "runs": singles,
        }
    folder = next((out / f"jobs{args.jobs[-1]}").rglob("manifest.json")).parent
    log(f"verify {folder}")
    payload, peak = child(["verify", "--out", str(folder), "--repeat", "3"])
    steps["verify"] = {
        "step": {"median": statistics.median(payload["seconds"]), "peak_rss_mb": peak},
        "floor": {"median": statistics.median(payload["floor_seconds"])},
    }


# --- the table and the chart of BENCHMARKS.md --------------------------------------------


def _ratio(step: dict) -> float | None:
    if not step.get("floor") or not step["floor"].get("median"):
        return None
    return step["step"]["median"] / step["floor"]["median"]


def _cpu_ratio(step: dict) -> float | None:
    mine, floor = step["step"].get("cpu_median"), step["floor"].get("cpu_median")
    if not mine or not floor:
        return None
    mine += step["step"].get("server_cpu") or 0
    floor += step["floor"].get("server_cpu") or 0
    return mine / floor


def _verdict(ratio: float | None, target: float) -> str:
    if ratio is None:
        return "–"
    if ratio <= target:
        return f"met ({ratio:.2f} ≤ {target:g})"
    over = ratio / target - 1
    return (
        f"**missed by {over:.0%}** ({ratio:.2f} > {target:g})"
        if over >= 0.005
        else (f"**missed by {over:.1%}** ({ratio:.3f} > {target:g})")
    )


def _scale(r: dict) -> str:
    return f"{r['votes']:,} votes / {r['members']:,} members"


LABELS = {
    "import": "import",
    "load": "load",
    "as_of_tally": "as-of tally",
    "page": "pages",
    "single_report": "one report",
}


def rows(r: dict) -> list[str]:
    """The night's table of one run: each step beside its floor, ratios beside targets."""
    s = r["steps"]
    lines = [
        f"**{_scale(r)}** (wave {r['wave']}, {r['wave_votes']:,} votes; "
        + (
            f"ActionKit tables filled in {r['fill_seconds']:.0f} s, not part of the night; "
            if r.get("fill_seconds")
            else "no import (`--no-import`: the demo's own files loaded); "
        )
        + f"{r['repeat']} run(s) each, in turns with the floor; load average at the end "
        f"{' '.join(r['loadavg_end'])})",
        "",
        "| step | seconds, median (min–max) | its floor | floor s | ratio (wall) | "
        "ratio (CPU) | target | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    names = {
        "import": ("`import actionkit`", "plain SELECT of the same rows"),
        "load": ("`load`", "DuckDB's `read_csv` of members + votes"),
        "as_of_tally": ("as-of tally of the wave", "the floor query"),
    }
    missed: list[str] = []
    for key, (name, floor_name) in names.items():
        if key not in s:
            continue
        step = s[key]
        ratio = _ratio(step)
        if ratio is not None and ratio > TARGETS[key]:
            missed.append(key)
        cpu = _cpu_ratio(step)
        mine = step["step"]
        lines.append(
            f"| {name} | {mine['median']:.2f} ({mine['min']:.2f}–{mine['max']:.2f}) | "
            f"{floor_name} | {step['floor']['median']:.2f} | {ratio:.2f} | "
            f"{'–' if cpu is None else f'{cpu:.2f}'} | {_verdict(ratio, TARGETS[key])} | "
            f"{mine['peak_rss_mb']:,.0f} |"
        )
    page = s.get("page")
    if page:
        floor = page["floor"]
        for jobs, entry in sorted(page["jobs"].items()):
            # the floor runs in one process: with n jobs it would take 1/n of its time
            floor_then = floor["per_page"] / int(jobs)
            ratio = entry["per_page"] / floor_then
            seconds = entry["per_page"] <= PAGE_TARGET_SECONDS
            verdict = _verdict(ratio, TARGETS["page"])
            if int(jobs) == 2 and ratio > TARGETS["page"] and not seconds:
                missed.append("page")
            if int(jobs) == 2:
                verdict += (
                    f"; {entry['per_page']:.2f} s {'≤' if seconds else '>'} "
                    f"{PAGE_TARGET_SECONDS:g} s"
                )
            lines.append(
                f"| `reports`, s per page, {jobs} job(s) ({entry['pages']} pages, "
                f"{entry['wave_seconds']:.0f} s) | {entry['per_page']:.3f} | a page's "
                f"figures + charts rendered directly (of which SVG "
                f"{floor['svg_per_page']:.3f}){'' if jobs == '1' else f' ÷ {jobs}'} | "
                f"{floor_then:.3f} | {ratio:.2f} | – | {verdict} | {entry['peak_rss_mb']:,.0f} |"
            )
    verify = s.get("verify")
    if verify:
        ratio = _ratio(verify)
        lines.append(
            f"| `verify` | {verify['step']['median']:.2f} | read + SHA-256 of every listed "
            f"file | {verify['floor']['median']:.2f} | {ratio:.2f} | – | – | "
            f"{verify['step']['peak_rss_mb']:,.0f} |"
        )
    single = s.get("single_report")
    if single:
        met = single["median"] <= SINGLE_REPORT_TARGET
        missed += [] if met else ["single_report"]
        lines.append(
            f"| one `report` in a new process | {single['median']:.2f} "
            f"({single['min']:.2f}–{single['max']:.2f}) | – | – | – | – | "
            f"{'met' if met else '**missed**'} (≤ {SINGLE_REPORT_TARGET:g} s) | – |"
        )
    reasons = [f"- **{LABELS[key]}**: {WHY[key]}." for key in missed if WHY.get(key)]
    return lines + (["", "Why a target is missed:", "", *reasons] if reasons else [])


def growth_chart(results: list[dict]) -> list[str]:
    """Seconds of each step at each scale, as bars of text (steps × scale)."""
    width = 48
    entries = []
    for r in results:
        s = r["steps"]
        scale = f"{r['votes'] / 1e6:g}M"
        for key, label in (("import", "import"), ("load", "load"), ("as_of_tally", "as-of")):
            if key not in s:
                continue
            step, floor = s[key]["step"]["median"], s[key]["floor"]["median"]
            entries.append((f"{label} {scale}", step, floor))
        if "page" in s:
            wave = max(s["page"]["jobs"].items(), key=lambda kv: int(kv[0]))[1]
            entries.append((f"reports {scale}", wave["wave_seconds"], None))
    top = max(max(v, f or 0) for _, v, f in entries) or 1
    lines = ["```", "seconds (█ the step, ░ its floor), one line per step and scale"]
    for label, value, floor in entries:
        bar = "█" * max(1, round(value / top * width))
        lines.append(f"{label:>14} {bar} {value:.1f}")
        if floor is not None:
            lines.append(f"{'':>14} {'░' * max(1, round(floor / top * width))} {floor:.1f}")
    lines.append("```")
    return lines


def markdown(results: list[dict]) -> str:
    m = results[0]["machine"]
    lines = [
        f"Machine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('memory_gb', '?')} GB, "
        + (
            "**shared with other engineers' test runs** (read the ratios: each step and its "
            "floor ran in turns in the same run). "
            if any(float(r["loadavg_end"][1]) > 2.5 for r in results)
            else "otherwise idle during these runs (each step and its floor in turns). "
        )
        + f"Python {m['python']}, DuckDB {m['duckdb']}, MariaDB on the same machine.",
        "",
    ]
    for r in results:
        lines += rows(r) + [""]
    lines += growth_chart(results)
    return "\n".join(lines)


def write_markdown(paths: list[Path]) -> None:
    results = [json.loads(p.read_text()) for p in paths]
    block = markdown(results)
    text = BENCHMARKS.read_text()
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + BEGIN + "\n" + block + "\n" + END + rest.split(END, 1)[1]
    else:
        text += f"\n{BEGIN}\n{block}\n{END}\n"
    BENCHMARKS.write_text(text)
    print(block)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-render", action="store_true", help="stop after the tally")
    parser.add_argument(
        "--no-import",
        action="store_true",
        help="no MariaDB: load the demo's own members.csv and votes.csv",
    )
    parser.add_argument("--buffer-pool", default="2G", help="the server's InnoDB buffer pool")
    parser.add_argument("--json", type=Path, default=OUT / "night.json")
    parser.add_argument("--tag", default="", help="a suffix of the work folder's name")
    parser.add_argument(
        "--markdown", type=Path, nargs="+", help="write these runs' table into BENCHMARKS.md"
    )
    args = parser.parse_args(argv)
    if args.markdown:
        write_markdown(args.markdown)
        return
    result = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2))
    print(markdown([result]))


if __name__ == "__main__":
    main()
