"""Write the figures of bench/run.py's JSON files into BENCHMARKS.md (between the markers),
so that every figure there comes from the script.

    .venv/bin/python bench/markdown.py bench/out/small.json bench/out/large.json [--doc FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
GROWTH_BEGIN, GROWTH_END = "<!-- growth:begin -->", "<!-- growth:end -->"


def s(step: dict | None) -> str:
    if not step or "median" not in step:
        return "–"
    return f"{step['median']:.2f} ({step['min']:.2f}–{step['max']:.2f})"


def cpu(step: dict | None) -> str:
    return f"{step['cpu_median']:.1f}" if step and "cpu_median" in step else "–"


def mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def ratio(r: dict, key: str) -> str:
    return f"{r[key]:.2f}" if r.get(key) is not None else "–"


def _limits(r: dict) -> str:
    if "load_threads" not in r:
        return "–"
    return f"{r['load_threads']}, {r['load_memory_limit']}"


def growth(results: list[dict]) -> str:
    """How the load, its floor, the tally and memory grow with the input (--load-only runs
    and full runs alike), smallest first."""
    rows = [
        "| votes / members | input MB | load s | floor s | load ÷ floor | load peak RSS MB "
        "| threads, memory limit | tally s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(results, key=lambda r: r["votes"]):
        rows.append(
            f"| {r['votes']:,} / {r['members']:,} | {r.get('input_mb', 0):,.0f} "
            f"| {s(r['load'])} | {s(r.get('load_floor'))} | {ratio(r, 'load_vs_floor')} "
            f"| {mb(r['load']['peak_rss_mb'])} | {_limits(r)} | {s(r.get('tally'))} |"
        )
    commands = [f"    {r['command']}" for r in sorted(results, key=lambda r: r["votes"])]
    return "\n".join(["Commands:", "", *commands, "", *rows])


def render_cell(r: dict, key: str) -> str:
    value = r.get(key)
    if value is None:
        return "null"
    if isinstance(value, dict):
        return ", ".join(f"{j} job(s): {v:.2f}" for j, v in value.items())
    return f"{value:.2f}"


def section(results: list[dict]) -> str:
    head = (
        "| | "
        + " | ".join(f"{r['votes']:,} votes / {r['members']:,} members" for r in results)
        + " |"
    )
    rule = "|---|" + "---|" * len(results)
    rows = [head, rule]

    def row(label: str, cells: list[str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    row(
        "wave tallied (votes in it, contests)",
        [f"{r['wave']} ({r['wave_votes']:,}, {r['tally']['contests']})" for r in results],
    )
    row("**load** s, median (min–max)", [s(r["load"]) for r in results])
    row("load CPU s (user+sys, all threads)", [cpu(r["load"]) for r in results])
    row("load peak RSS MB", [mb(r["load"]["peak_rss_mb"]) for r in results])
    row("load threads, memory limit", [_limits(r) for r in results])
    row(
        "**load floor** (`read_csv` of members + votes) s",
        [s(r.get("load_floor")) for r in results],
    )
    row("load ÷ floor (target ≤ 2.5)", [ratio(r, "load_vs_floor") for r in results])
    row("**tally** (`tally` + `choices`) s", [s(r["tally"]) for r in results])
    row("tally CPU s", [cpu(r["tally"]) for r in results])
    row("tally peak RSS MB", [mb(r["tally"]["peak_rss_mb"]) for r in results])
    row(
        "**tally as of the close** (connect `--as-of` for the wave + tally) s",
        [s(r.get("tally_as_of")) for r in results],
    )
    row("**floor** query s", [s(r["floor"]) for r in results])
    row("floor CPU s", [cpu(r["floor"]) for r in results])
    row("floor peak RSS MB", [mb(r["floor"]["peak_rss_mb"]) for r in results])
    row("**pandas** tally s", [s(r.get("pandas_tally")) for r in results])
    row("pandas CPU s", [cpu(r.get("pandas_tally")) for r in results])
    row(
        "pandas peak RSS MB (tables + tally)",
        [mb(r.get("pandas_tally", {}).get("peak_rss_mb")) for r in results],
    )
    row(
        "pandas: reading the tables (not timed above) s",
        [
            f"{r['pandas_tally']['read_seconds']:.2f}" if "pandas_tally" in r else "–"
            for r in results
        ],
    )
    row("pandas result identical to ours", [str(r.get("identical", "–")) for r in results])
    row("tally ÷ floor (target ≤ 1.5)", [f"{r['tally_vs_floor']:.2f}" for r in results])
    row("as-of tally ÷ floor (target ≤ 1.5)", [ratio(r, "tally_as_of_vs_floor") for r in results])
    row(
        "pandas ÷ tally (target ≥ 5)",
        [f"{r['pandas_vs_tally']:.2f}" if r.get("pandas_vs_tally") else "–" for r in results],
    )
    row(
        "tally ÷ floor, by CPU seconds",
        [f"{r['tally']['cpu_median'] / r['floor']['cpu_median']:.2f}" for r in results],
    )
    row(
        "pandas ÷ tally, by CPU seconds",
        [
            f"{r['pandas_tally']['cpu_median'] / r['tally']['cpu_median']:.2f}"
            if "pandas_tally" in r
            else "–"
            for r in results
        ],
    )
    row(
        "report s per page (render_wave, force)",
        [render_cell(r, "report_seconds_per_race") for r in results],
    )
    row("reports per minute", [render_cell(r, "reports_per_minute") for r in results])
    row(
        "wave render s (pages)",
        [
            ", ".join(
                f"{j} job(s): {v['seconds']:.1f} ({v['html_files']})"
                for j, v in r.get("render", {}).get("jobs", {}).items()
                if "seconds" in v
            )
            or (
                "null ("
                + (
                    r.get("render", {}).get("skipped") or r.get("render", {}).get("error", "failed")
                )[:80]
                + ")"
            )
            for r in results
        ],
    )
    row("re-run of the unchanged wave s", [render_cell(r, "rerun_seconds") for r in results])
    row(
        "one `report` in a new process s (target ≤ 2)",
        [s(r.get("single_report_seconds")) for r in results],
    )
    row(
        "render peak RSS MB (driver process)",
        [mb(r.get("peak_rss_mb", {}).get("render")) for r in results],
    )
    row(
        "CPU pressure avg60 during load / tally / pandas (%)",
        [
            " / ".join(
                str(r.get(k, {}).get("cpu_pressure_avg60", "–"))
                for k in ("load", "tally", "pandas_tally")
            )
            for r in results
        ],
    )
    row(
        "load average at start → end",
        [
            " ".join(r["machine"].get("loadavg_start", []))
            + " → "
            + " ".join(r.get("loadavg_end", []))
            for r in results
        ],
    )

    m = results[0]["machine"]
    lines = [
        f"Machine: {m.get('cpu', '?')}, {m['cores']} cores, {m.get('memory_gb', '?')} GB "
        f"(from /proc). Python {m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']}, "
        f"numpy {m['numpy']}.",
        "",
        "Commands:",
        "",
        *[f"    {r['command']}" for r in results],
        *[
            f"    {r['command'].replace(' --no-render', '')} --render-only"
            f"   # render re-measured {r['render_measured']}"
            for r in results
            if r.get("render_measured")
        ],
        "",
        "Seconds are wall-clock medians of the runs, min–max in brackets; CPU is user +",
        "system seconds of the timed part (all threads). Runs: "
        + ", ".join(f"{r['repeat']} ({r['started']} → {r['finished']})" for r in results)
        + ".",
        "",
        *rows,
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("json", nargs="+", type=Path)
    parser.add_argument(
        "--growth", nargs="+", type=Path, default=[], help="runs for the growth table"
    )
    parser.add_argument(
        "--doc", type=Path, default=Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
    )
    args = parser.parse_args()
    results = [json.loads(p.read_text()) for p in args.json]
    text = args.doc.read_text() if args.doc.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    text = f"{before}{BEGIN}\n{section(results)}\n{END}{after}"
    if args.growth:
        before, rest = text.split(GROWTH_BEGIN, 1)
        _, after = rest.split(GROWTH_END, 1)
        runs = [json.loads(p.read_text()) for p in args.growth]
        text = f"{before}{GROWTH_BEGIN}\n{growth(runs)}\n{GROWTH_END}{after}"
    args.doc.write_text(text)


if __name__ == "__main__":
    main()
