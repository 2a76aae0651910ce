"""A rendering run: every page of a wave (or one race's) from one pinned snapshot.

In: the database, a wave, the thresholds and an optional instant (as text, read in the
snapshot's time zone). Out: the wave folder of `names`: pages, index and manifest.

A run holds the wave folder's lock (a second run is refused), pins the snapshot (a load
meanwhile changes nothing the run reads), computes the wave's figures once and hands
them to every page, and writes the manifest last. A wave folder holds one snapshot and
one set of parameters: `reports` with others re-renders the whole wave; `report` for
one race into a folder of others is refused.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from endorse_analysis.api.snapshot import connect, parse_as_of
from endorse_analysis.api.wave import WaveFigures, wave_figures
from endorse_analysis.files import CannotWrite, exclusive_lock, write_atomic
from endorse_analysis.present.formats import index_csv
from endorse_analysis.present.html import index_html
from endorse_analysis.present.visible import visible as terminal_text
from endorse_analysis.reports import plan
from endorse_analysis.reports.execute import (
    COLD,
    IN_PROCESS,
    WARM,
    early_workers,
    inside_ipython,
    prepare_in_process,
    run_tasks,
)
from endorse_analysis.reports.folder import (
    foreign_files,
    not_plain,
    refuse_lists_nearby,
    remove_temporaries,
    stale_pages,
)
from endorse_analysis.reports.manifest import read_manifest, run_block, write_manifest
from endorse_analysis.reports.names import (
    INDEX,
    INDEX_CSV,
    MANIFEST,
    RACES_DIR,
    RenderError,
    lock_path,
    wave_folder,
)
from endorse_analysis.reports.pin import pinned_snapshot
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import known_ids
from endorse_analysis.version import __version__

FIGURES_FILE = "figures.pickle"


@dataclass
class Run:
    """One run's fixed ground: the pinned snapshot, the figures, the folder, the notebooks."""

    db: Path  # the pinned snapshot
    figures: WaveFigures
    figures_path: Path
    folder: Path
    notebooks: Path
    kernel: str  # execute.COLD, WARM or IN_PROCESS

    def task(self, kind: str, race: str | None = None) -> dict:
        return plan.task(
            kind,
            race,
            figures=self.figures,
            folder=self.folder,
            notebook=self.notebooks / plan.NOTEBOOKS[kind],
            db=self.db,
            figures_path=self.figures_path,
            kernel=self.kernel,
        )


def _start(
    pinned: Path,
    wave: str,
    out: str | os.PathLike,
    thresholds: Thresholds | None,
    as_of: str | None,
    notebooks: str | os.PathLike | None,
    kernel: str,
) -> Run:
    """Compute the wave's figures once from the pinned snapshot, and hand them on."""
    nb_dir = plan.notebooks_dir(notebooks)
    if not (nb_dir / plan.NOTEBOOKS["race"]).is_file():
        raise RenderError(f"the race report notebook {nb_dir / plan.NOTEBOOKS['race']} is missing")
    instant = None
    if as_of:
        with connect(pinned) as con:
            instant = parse_as_of(con, as_of)
    with connect(pinned, as_of=instant, waves=[wave]) as con:
        figures = wave_figures(con, wave, thresholds or Thresholds())
    try:
        figures_path = figures.save(pinned.parent / FIGURES_FILE)
    except OSError as err:  # a full disk, a file-size limit
        raise CannotWrite(pinned.parent / FIGURES_FILE, err) from None
    folder = wave_folder(out, wave)
    (folder / RACES_DIR).mkdir(parents=True, exist_ok=True)
    remove_temporaries(folder)
    return Run(pinned, figures, figures_path, folder, nb_dir, kernel)


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _report_entry(task: dict) -> dict:
    return {
        "kind": task["kind"],
        "race_id": task["race_id"],
        "key": task["key"],
        "notebook_sha256": task["notebook_sha256"],
    }


def _failures(results: list[dict], tasks: dict[str, dict]) -> str:
    failed = [r for r in results if not r["ok"]]
    shown = "; ".join(f"{r['name']} ({r['error']})" for r in failed[:3])
    more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    kept = [Path(tasks[r["name"]]["ipynb"]) for r in failed if r.get("kept")]
    where = (
        f"the executed notebooks of {len(kept)} are kept in {kept[0].parent} to see why"
        if kept
        else "no executed notebook could be kept"
    )
    return f"{len(failed)} report(s) failed: {shown}{more}; {where}; the manifest lists them"


def _failed_entry(task: dict, result: dict) -> dict:
    return {"kind": task["kind"], "race_id": task["race_id"], "failed": result["error"]}


def _survey(run: Run, tasks: list[dict], manifest: dict | None) -> list[str]:
    """Name what the run finds that it did not write (left as it is, out of the
    manifest), and remove the pages of contests that are gone, naming each. Returns the
    files to leave out of the manifest."""
    written = {
        Path(t[k]).relative_to(run.folder).as_posix() for t in tasks for k in ("ipynb", "html")
    }
    written |= {INDEX, INDEX_CSV}
    for rel in stale_pages(run.folder, manifest, written):
        (run.folder / rel).unlink(missing_ok=True)
        _say(f"reports: removed {terminal_text(rel)} (its contest is no longer in the wave)")
    foreign = foreign_files(run.folder, manifest, written)
    _name_foreign(run.folder, foreign, "reports")
    return foreign


def _name_foreign(folder: Path, foreign: list[str], command: str) -> None:
    for rel in foreign:
        _say(
            f"{command}: {terminal_text(rel)} in {folder} was not written by this tool; "
            "it is left as it is, out of the manifest (verify names it)"
        )
    for rel in not_plain(folder):
        _say(
            f"{command}: {terminal_text(rel)} in {folder} is not a plain file; it is left "
            "as it is (verify names it)"
        )


def _render(
    run: Run,
    tasks: list[dict],
    jobs: int,
    force: bool,
    label: str,
    pool: ProcessPoolExecutor | None = None,
) -> list[dict]:
    manifest = read_manifest(run.folder)
    todo = [t for t in tasks if force or not plan.unchanged(t, run.folder, manifest)]
    skipped = len(tasks) - len(todo)
    if skipped:
        _say(
            f"reports: {skipped} of {len(tasks)} unchanged (same snapshot, parameters, "
            "notebook and code), skipped; --force re-renders them"
        )
    started = time.perf_counter()
    results = run_tasks(todo, jobs, label, pool)
    if todo:
        wall = time.perf_counter() - started
        _say(
            f"reports: rendered {len(todo)} in {wall:.1f} s ({wall / len(todo):.2f} s each, "
            f"{jobs} job(s), {todo[0]['kernel']} kernels)"
        )
    return results


def render_wave(
    db: str | os.PathLike,
    wave: str,
    out: str | os.PathLike,
    thresholds: Thresholds | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    cold: bool = False,
    notebooks: str | os.PathLike | None = None,
    as_of: str | None = None,
) -> Path:
    """Every contest's report of `wave`, the overview, the docket, the index page and the
    manifest, all from one pinned snapshot. Returns the path of index.html."""
    folder = wave_folder(out, wave)
    refuse_lists_nearby(Path(out))
    # a new folder, or --force: every page is rendered, so the kernels start right away
    early = jobs if not cold and (force or not (folder / MANIFEST).exists()) else 1
    with exclusive_lock(lock_path(out, wave), f"writing reports into {folder}"):
        with pinned_snapshot(db) as pinned, early_workers(early) as pool:
            run = _start(pinned, wave, out, thresholds, as_of, notebooks, COLD if cold else WARM)
            tasks = [
                run.task(kind)
                for kind in ("overview", "docket")
                if (run.notebooks / plan.NOTEBOOKS[kind]).is_file()
            ]
            tasks += [run.task("race", r) for r in sorted(run.figures.contests["race_id"])]
            foreign = _survey(run, tasks, read_manifest(run.folder))
            results = _render(run, tasks, jobs, force, f"reports {wave}", pool)
            failed = {r["name"]: r for r in results if not r["ok"]}
            _write_index(run, tasks, set(failed))
            reports = {
                t["name"]: _failed_entry(t, failed[t["name"]])
                if t["name"] in failed
                else _report_entry(t)
                for t in tasks
            }
            write_manifest(run.folder, run_block(run.figures), reports, foreign)
    if failed:
        raise RenderError(_failures(results, {t["name"]: t for t in tasks}))
    return run.folder / INDEX


def _write_index(run: Run, tasks: list[dict], failed: set[str]) -> None:
    links: dict[str, str | None] = {}
    extras = []
    for task in tasks:
        ok = task["name"] not in failed and Path(task["html"]).is_file()
        rel = quote(Path(task["html"]).relative_to(run.folder).as_posix())
        if task["kind"] == "race":
            links[task["race_id"]] = rel if ok else None
        elif ok:
            extras.append((plan.TITLES[task["kind"]], rel))
    write_atomic(run.folder / INDEX, index_html(run.figures, links, extras, __version__, INDEX_CSV))
    write_atomic(run.folder / INDEX_CSV, index_csv(run.figures, links))


def render_race(
    db: str | os.PathLike,
    wave: str,
    race: str,
    out: str | os.PathLike,
    thresholds: Thresholds | None = None,
    *,
    cold: bool = False,
    notebooks: str | os.PathLike | None = None,
    as_of: str | None = None,
) -> Path:
    """One contest's decision report (executed notebook and HTML); returns the HTML path.
    Refused when the wave folder holds pages of another snapshot or other parameters."""
    folder = wave_folder(out, wave)
    refuse_lists_nearby(Path(out))
    # one report: no kernel process to warm up, unless this process is a notebook's
    kernel = COLD if cold or inside_ipython() else IN_PROCESS
    warming = prepare_in_process() if kernel == IN_PROCESS else None
    with exclusive_lock(lock_path(out, wave), f"writing reports into {folder}"):
        with pinned_snapshot(db) as pinned:
            run = _start(pinned, wave, out, thresholds, as_of, notebooks, kernel)
            if warming is not None:
                warming.join()
            contests = sorted(run.figures.contests["race_id"].astype(str))
            if race not in contests:
                with connect(pinned) as con:
                    known = con.execute("SELECT 1 FROM races WHERE race_id = ?", [race]).fetchone()
                hint = known_ids(race, contests, "contests")
                if known is None:
                    raise RenderError(f"race {race!r} is not in the database ({hint})")
                raise RenderError(
                    f"race {race!r} is not a contest of wave {wave!r} "
                    f"(no vote, endorsement or vetting row in that wave; {hint})"
                )
            manifest = read_manifest(run.folder)
            run_now = run_block(run.figures)
            if manifest is not None and manifest["run"] != run_now:
                differ = sorted(k for k in run_now if manifest["run"].get(k) != run_now[k])
                raise RenderError(
                    f"{run.folder} holds the pages of another snapshot or other parameters "
                    f"({', '.join(differ)} differ); render the whole wave with "
                    "`endorse-analysis reports`, or choose another --out"
                )
            task = run.task("race", race)
            foreign = [
                rel
                for rel in foreign_files(run.folder, manifest, set())
                if rel
                not in {Path(task[k]).relative_to(run.folder).as_posix() for k in ("ipynb", "html")}
            ]
            _name_foreign(run.folder, foreign, "report")
            result = _render(run, [task], 1, False, f"report {race}")
            reports = dict((manifest or {}).get("reports") or {})
            ok = not result or result[0]["ok"]
            if ok:
                reports[task["name"]] = _report_entry(task)
            else:
                reports[task["name"]] = _failed_entry(task, result[0])
            write_manifest(run.folder, run_now, reports, foreign)
    if not ok:
        raise RenderError(_failures(result, {task["name"]: task}))
    return Path(task["html"])
