"""Render decision reports: Papermill execution, HTML export, index page, manifest.

Layout of a rendered wave (`<out>/<wave>/`, the wave id spelled with `safe_name`):

    index.html              every contest, its decision and reason, linked to its report
    overview.html/.ipynb    the wave overview (notebooks/wave_overview.ipynb)
    vetting_docket.*        the vetting docket, when notebooks/vetting_docket.ipynb exists
    races/<race>.html/.ipynb  one decision report per contest (race id spelled with safe_name)
    manifest.json           every file above with SHA-256 and size, the input fingerprint,
                            the parameters, the package version, and what each report was
                            rendered from (so an unchanged report is skipped on a re-run)
    .cache/                 the wave tally handed to every report (not part of the manifest)

Notebooks run in warm kernels (`kernels.WarmKernel`) unless `cold=True`; with `jobs > 1`
each worker is a separate process (spawn) driving its own kernel from one thread.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

from endorse_analysis.rules import Thresholds, decimal_text, percent

# jsonschema (under nbformat) builds some forty parsers at import when the optional
# rfc3987_syntax is installed: seconds for every process that renders. nbformat never
# checks the "iri" format it serves, so this process does without it.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

RENDER_VERSION = "1"  # bump when the HTML wrapper or task layout changes: re-renders all
MANIFEST = "manifest.json"
CACHE_DIR = ".cache"
RACES_DIR = "races"
WAVE_TALLY_FILE = "wave_tally.parquet"
NOTEBOOKS = {
    "race": "race_report.ipynb",
    "overview": "wave_overview.ipynb",
    "docket": "vetting_docket.ipynb",
}
KERNEL_REPORTS_BEFORE_RECYCLE = 40
CELL_TIMEOUT = 600
_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_MAX_NAME = 150
# Only these output types reach the HTML: no JavaScript, no widgets, no Vega specs.
_DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
]
_REMOTE = re.compile(r"""(?:\bsrc|<link[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


class RenderError(ValueError):
    """A report could not be rendered (said in one sentence; the CLI prints it)."""


# --- names and paths -------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A filename-safe, injective spelling of an id: letters, digits, `-` and `_` are kept,
    every other character becomes `%XX` per UTF-8 byte (so `a/b` is `a%2Fb`, `../x` is
    `%2E%2E%2Fx`). The empty id is `%`. A very long spelling keeps its first 100
    characters and adds `%%` and a SHA-256 of the id (neither can come from escaping)."""
    if text == "":
        return "%"
    parts = []
    for ch in text:
        if ch in _SAFE:
            parts.append(ch)
        else:
            parts.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    name = "".join(parts)
    if len(name) > _MAX_NAME:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        name = name[:100] + "%%" + digest
    return name


def _inside(path: Path, root: Path) -> Path:
    """`path` resolved; refuse it unless it lies inside `root`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise RenderError(f"refusing to write {path}: it is outside the output folder {root}")
    return resolved


def wave_folder(out: str | os.PathLike, wave: str) -> Path:
    out_dir = Path(out)
    return _inside(out_dir / safe_name(wave), out_dir)


def notebooks_dir() -> Path:
    """`$ENDORSE_NOTEBOOKS`, else the project's notebooks/ folder."""
    env = os.environ.get("ENDORSE_NOTEBOOKS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "notebooks"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomic(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(tmp, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as handle:
        handle.write(data)
    os.replace(tmp, path)


def threshold_parameters(thresholds: Thresholds) -> dict[str, str]:
    return {
        "support_threshold": decimal_text(thresholds.support),
        "min_turnout": decimal_text(thresholds.turnout),
        "min_votes": decimal_text(thresholds.min_votes),
    }


# --- HTML ------------------------------------------------------------------------------


def _template(name: str) -> Template:
    return Template((Path(__file__).parent / "templates" / name).read_text(encoding="utf-8"))


def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.display_data_priority = list(_DISPLAY_PRIORITY)
    quiet = logging.getLogger("endorse_analysis.nbconvert")
    quiet.setLevel(logging.ERROR)  # e.g. "alternative text is missing" for each chart
    exporter.log = quiet
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove_cell", "hide"},
        remove_all_outputs_tags={"remove_output"},
        remove_input_tags={"remove_input"},
    )
    exporter.register_preprocessor(tags, enabled=True)
    return exporter


_EXPORTER: Any = None


def notebook_html(nb: Any, title: str, subtitle: str = "", index_href: str = "index.html") -> str:
    """An executed notebook as one offline page: no code, no prompts, no scripts loaded."""
    import nbformat

    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = _exporter()
    # a shallow copy: the parameter cells have no output to show (and papermill gives the
    # injected one a random id that would make every export differ); stderr is left out
    cells = []
    for cell in nb.cells:
        if {"parameters", "injected-parameters"} & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "code":
            outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            cell = nbformat.NotebookNode({**cell, "outputs": outputs})
        cells.append(cell)
    nb = nbformat.NotebookNode({**nb, "cells": cells})
    body, _resources = _EXPORTER.from_notebook_node(nb)
    page = _template("report.html").substitute(
        title=html.escape(title),
        subtitle=html.escape(subtitle),
        index_href=html.escape(index_href),
        body=body,
    )
    if _REMOTE.search(page):
        raise RenderError(f"the report {title!r} would load a resource from the network")
    return page


_BADGES = {
    "ENDORSE": "endorse",
    "REVIEW": "review",
    "NO_ENDORSEMENT": "none",
    "NO_CANDIDATES": "nocand",
}


def _area(row: dict) -> str:
    office, state, district = row["office"], row["state"], row["district"]
    if office == "house":
        return f"House {state}-{'AL' if district == 0 else district}"
    return f"{office.capitalize()} {state}"


def _ruling_cell(row: dict) -> str:
    """A staff ruling under the computed decision: the final decision, who, when, why."""
    if row.get("ruling_decision") is None:
        return ""
    e = html.escape
    kind = "override" if row.get("ruling_override") else "ruling"
    what = row["ruling_decision"] + (
        f" {row['ruling_candidate']}" if row.get("ruling_candidate") else ""
    )
    when = row["ruling_at"].strftime("%Y-%m-%d") if row.get("ruling_at") else ""
    note = f": {row['ruling_note']}" if row.get("ruling_note") else ""
    return (
        f'<div class="ruling"><b>final: {e(what)}</b> ({e(kind)} by {e(str(row["ruling_by"]))}'
        f" on {e(when)}{e(note)})</div>"
    )


def index_html(
    wave: str,
    wave_name: str,
    rows: list[dict],
    names: dict[str, str],
    links: dict[str, str | None],
    extras: list[tuple[str, str]],
    info: dict[str, Any],
) -> str:
    """The wave's index page; every value from the data is escaped."""
    e = html.escape
    counts: dict[str, int] = {}
    body = []
    for row in rows:
        counts[row["decision"]] = counts.get(row["decision"], 0) + 1
        race = row["race_id"]
        link = links.get(race)
        race_cell = (
            f'<a href="{e(link)}">{e(race)}</a>'
            if link
            else f'{e(race)} <span class="missing">(report not rendered)</span>'
        )
        n, votes = row["ballots_counted"], row["top_votes"]
        top = row["top_choice"]
        top_text = "–" if top is None else f"{names.get(top, top)} ({top})"
        support = "–" if votes is None else f"{votes:,} of {n:,} ({percent(votes, n)})"
        e_voters = row["eligible_voters"]
        turnout = f"{n:,} of {e_voters:,} ({percent(n, e_voters)})"
        decision = row["decision"]
        body.append(
            "<tr>"
            f"<td>{race_cell}</td><td>{e(_area(row))}</td>"
            f'<td><span class="badge {_BADGES.get(decision, "none")}">{e(decision)}</span>'
            f"{_ruling_cell(row)}</td>"
            f"<td>{e(top_text)}</td><td class=num>{e(support)}</td>"
            f"<td class=num>{e(turnout)}</td><td>{e(row['reason'])}</td>"
            "</tr>"
        )
    summary = ", ".join(
        f'<span class="badge {_BADGES.get(d, "none")}">{e(d)}</span> {c}'
        for d, c in sorted(counts.items())
    )
    extra_links = " · ".join(f'<a href="{e(href)}">{e(label)}</a>' for label, href in extras)
    if info.get("as_of") is not None:
        extra_links = (
            f'<b class="badge review">PROVISIONAL</b> counts only votes cast, sign-ups and '
            f"opt-outs before {e(info['as_of'].isoformat(sep=' '))} UTC · " + extra_links
        )
    params = info["parameters"]
    return _template("index.html").substitute(
        title=e(f"Endorsement decisions — {wave_name or wave}"),
        wave=e(wave),
        wave_name=e(wave_name or wave),
        contests=len(rows),
        summary=summary or "no contests",
        extras=extra_links,
        rows="\n".join(body),
        support=e(params["support_threshold"]),
        turnout=e(params["min_turnout"]),
        min_votes=e(params["min_votes"]),
        fingerprint=e(info.get("fingerprint", "")),
        loaded_at=e(info.get("loaded_at", "")),
        version=e(info.get("version", "")),
    )


# --- executing one notebook (in a worker process or in-process) ------------------------

_WORKER: dict[str, Any] = {"kernel": None}


def duckdb_limits(jobs: int) -> dict[str, str]:
    """ENDORSE_THREADS / ENDORSE_MEMORY_LIMIT for each report's DuckDB connection, so that
    `jobs` kernels together use the machine's cores and about half of its memory."""
    cores = os.cpu_count() or 1
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        total_mb = 4096
    return {
        "ENDORSE_THREADS": str(max(1, cores // max(1, jobs))),
        "ENDORSE_MEMORY_LIMIT": f"{max(256, total_mb // 2 // max(1, jobs))}MB",
    }


def _set_limits(limits: dict[str, str]) -> None:
    """Kernels inherit these from this process (a fresh kernel gets them at its start)."""
    os.environ.update(limits)


def _warm_kernel() -> Any:
    from endorse_analysis import kernels

    kernel = _WORKER.get("kernel")
    limits = {k: os.environ.get(k) for k in ("ENDORSE_THREADS", "ENDORSE_MEMORY_LIMIT")}
    if kernel is not None and _WORKER.get("limits") != limits:
        shutdown_worker_kernel()  # started for another number of jobs
        kernel = None
    if kernel is None:
        _WORKER["limits"] = limits
        kernels.register_engine()
        kernel = kernels.WarmKernel(max_reports=KERNEL_REPORTS_BEFORE_RECYCLE)
        _WORKER["kernel"] = kernel
        if not _WORKER.get("atexit"):
            import atexit

            atexit.register(shutdown_worker_kernel)  # kept warm for the next call until exit
            _WORKER["atexit"] = True
    else:
        kernel.reset()
    return kernel


def shutdown_worker_kernel() -> None:
    kernel = _WORKER.pop("kernel", None)
    _WORKER["kernel"] = None
    if kernel is not None:
        kernel.shutdown()


def _worker_init(limits: dict[str, str]) -> None:
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    _set_limits(limits)


def execute(notebook: Path, output: Path, parameters: dict[str, str], cold: bool) -> Any:
    """Run `notebook` with `parameters` and write the executed copy to `output`
    (also when a cell fails: then papermill's PapermillExecutionError is raised)."""
    import papermill

    from endorse_analysis.kernels import KERNEL_ARGUMENTS

    logging.getLogger("papermill").setLevel(logging.ERROR)
    common = dict(
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=CELL_TIMEOUT,
    )
    if cold:
        return papermill.execute_notebook(
            str(notebook), str(output), extra_arguments=list(KERNEL_ARGUMENTS), **common
        )
    from endorse_analysis.kernels import ENGINE_NAME

    kernel = _warm_kernel()
    try:
        nb = papermill.execute_notebook(
            str(notebook), str(output), engine_name=ENGINE_NAME, warm_kernel=kernel, **common
        )
    except papermill.PapermillExecutionError:
        kernel.reports += 1  # a cell error leaves the kernel usable
        raise
    except BaseException:
        kernel.reports = kernel.max_reports  # dead, timed out or interrupted: restart it
        raise
    kernel.reports += 1
    return nb


def _render_task(task: dict) -> dict:
    """Execute one notebook and export it; returns what happened (never raises)."""
    started = time.perf_counter()
    ipynb, page = Path(task["ipynb"]), Path(task["html"])
    partial = ipynb.with_name(f".{ipynb.stem}.partial-{os.getpid()}.ipynb")
    result = {"name": task["name"], "ok": False, "error": None, "seconds": 0.0, "fatal": False}
    try:
        nb = execute(Path(task["notebook"]), partial, task["parameters"], task["cold"])
        text = notebook_html(nb, task["title"], task["subtitle"], task["index_href"])
        os.replace(partial, ipynb)
        _write_atomic(page, text)
        result["ok"] = True
    except Exception as err:  # noqa: BLE001 - reported per report, the batch goes on
        from endorse_analysis.kernels import KernelError

        result["error"] = _one_line(err)
        result["fatal"] = isinstance(err, KernelError)  # no kernel: stop the batch
        if partial.exists():
            os.replace(partial, ipynb)  # keep the failed notebook to look at
        page.unlink(missing_ok=True)
    result["seconds"] = time.perf_counter() - started
    return result


def _one_line(err: BaseException) -> str:
    name = getattr(err, "ename", None) or type(err).__name__
    value = getattr(err, "evalue", None) or str(err)
    text = f"{name}: {value}".strip()
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return " ".join(text.split())[:300]


def _run_tasks(tasks: list[dict], jobs: int, label: str) -> list[dict]:
    from tqdm import tqdm

    results: list[dict] = []
    if not tasks:
        return results
    workers = max(1, min(jobs, len(tasks)))
    limits = duckdb_limits(workers)
    bar = tqdm(total=len(tasks), desc=label, unit="report", file=sys.stderr, disable=None)
    try:
        if workers == 1:  # in this process; its warm kernel stays for the next call
            _set_limits(limits)
            for task in tasks:
                results.append(_render_task(task))
                bar.update()
                if results[-1]["fatal"]:
                    break
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=_worker_init, initargs=(limits,)
            ) as pool:
                futures = [pool.submit(_render_task, task) for task in tasks]
                for future in as_completed(futures):
                    if future.cancelled():
                        continue
                    results.append(future.result())
                    bar.update()
                    if results[-1]["fatal"]:
                        for other in futures:
                            other.cancel()
    finally:
        bar.close()
    return results


# --- the wave: tasks, skipping, index, manifest ----------------------------------------


def _notebook_path(kind: str, notebooks: Path | None) -> Path:
    return (notebooks or notebooks_dir()) / NOTEBOOKS[kind]


@functools.lru_cache(maxsize=16)
def _notebook_facts(notebook: Path, mtime_ns: int, size: int) -> tuple[str, frozenset | None]:
    """A notebook's SHA-256 and the names its `parameters` cell assigns (None: no such cell).
    Read as plain JSON: importing nbformat costs seconds on some machines."""
    data = notebook.read_bytes()
    declared = None
    for cell in json.loads(data).get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            names = re.findall(r"^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=", source, re.M)
            declared = frozenset(names) or None
            break
    return hashlib.sha256(data).hexdigest(), declared


def notebook_facts(notebook: Path) -> tuple[str, frozenset | None]:
    stat = notebook.stat()
    return _notebook_facts(notebook.resolve(), stat.st_mtime_ns, stat.st_size)


_CODE_SHA: str | None = None


def code_fingerprint() -> str:
    """SHA-256 over the package's own code, SQL and templates: a report made by other code
    is not 'unchanged'."""
    global _CODE_SHA
    if _CODE_SHA is None:
        root = Path(__file__).resolve().parent
        digest = hashlib.sha256()
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".sql", ".html", ".csv"):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
        _CODE_SHA = digest.hexdigest()
    return _CODE_SHA


def _task_key(kind: str, race: str | None, fingerprint: str, params: dict, nb_sha: str) -> str:
    from endorse_analysis.version import __version__

    stable = {k: v for k, v in params.items() if k not in ("db_path", "wave_tally_path")}
    blob = json.dumps(
        [RENDER_VERSION, __version__, code_fingerprint(), kind, race, fingerprint, stable, nb_sha],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


class _Wave:
    """Everything about one wave that every report shares, read once from the snapshot."""

    def __init__(
        self,
        db: str | os.PathLike,
        wave: str,
        out: str | os.PathLike,
        thresholds,
        as_of: str | None = None,
    ):
        from endorse_analysis.database import connect, parse_as_of, snapshot_info
        from endorse_analysis.tally import plain_records, tally

        self.db = Path(db).resolve()
        self.wave = wave
        self.thresholds = thresholds or Thresholds()
        self.as_of = as_of or ""
        instant = None
        if self.as_of:
            with connect(self.db) as con:
                instant = parse_as_of(con, self.as_of)
        self.as_of_instant = instant
        with connect(self.db, as_of=instant) as con:
            self.tally = tally(con, wave, self.thresholds)  # raises UnknownWave
            self.info = snapshot_info(con)
            self.names = dict(con.execute("SELECT candidate_id, name FROM candidates").fetchall())
            self.known_races = {r[0] for r in con.execute("SELECT race_id FROM races").fetchall()}
            self.wave_name = con.execute(
                "SELECT name FROM waves WHERE wave_id = ?", [wave]
            ).fetchone()[0]
        self.rows = sorted(plain_records(self.tally), key=lambda r: r["race_id"])
        self.out = Path(out)
        self.folder = wave_folder(self.out, wave)
        self.fingerprint = self.info.get("fingerprint", "")
        self.manifest = _read_manifest(self.folder)

    def write_wave_tally(self) -> Path:
        """Make the wave's folders and write the tally every report of the wave reads."""
        (self.folder / RACES_DIR).mkdir(parents=True, exist_ok=True)
        path = _inside(self.folder / CACHE_DIR / WAVE_TALLY_FILE, self.folder)
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.tally.to_parquet(tmp, index=False)
        os.replace(tmp, path)
        return path

    def parameters(self, kind: str, race: str | None, wave_tally: Path, notebook: Path) -> dict:
        params = {"db_path": str(self.db), "wave": self.wave}
        if race is not None:
            params["race"] = race
        params.update(threshold_parameters(self.thresholds))
        params["wave_tally_path"] = str(wave_tally)
        params["as_of"] = self.as_of
        declared = notebook_facts(notebook)[1]
        if declared is not None:
            params = {k: v for k, v in params.items() if k in declared}
        return params

    def task(self, kind: str, race: str | None, notebook: Path, wave_tally: Path, cold: bool):
        if race is None:
            stem = "overview" if kind == "overview" else "vetting_docket"
            base = self.folder / stem
            title = f"{'Wave overview' if kind == 'overview' else 'Vetting docket'} — {self.wave}"
        else:
            base = self.folder / RACES_DIR / safe_name(race)
            title = f"{race} — {self.wave_name or self.wave}"
        ipynb = _inside(base.with_name(base.name + ".ipynb"), self.folder)
        page = _inside(base.with_name(base.name + ".html"), self.folder)
        params = self.parameters(kind, race, wave_tally, notebook)
        nb_sha = notebook_facts(notebook)[0]
        return {
            "name": f"{kind}:{race}" if race is not None else kind,
            "kind": kind,
            "race_id": race,
            "notebook": str(notebook),
            "parameters": params,
            "ipynb": str(ipynb),
            "html": str(page),
            "title": title,
            "subtitle": f"wave {self.wave}",
            "index_href": "index.html" if race is None else "../index.html",
            "cold": cold,
            "key": _task_key(kind, race, self.fingerprint, params, nb_sha),
            "notebook_sha256": nb_sha,
        }

    def unchanged(self, task: dict) -> bool:
        old = (self.manifest or {}).get("reports", {}).get(task["name"])
        if not old or old.get("key") != task["key"]:
            return False
        hashes = {f["path"]: f["sha256"] for f in (self.manifest or {}).get("files", [])}
        for path in (task["ipynb"], task["html"]):
            rel = Path(path).relative_to(self.folder).as_posix()
            if not Path(path).is_file() or hashes.get(rel) != _sha256(Path(path)):
                return False
        return True


def _read_manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _listed_files(folder: Path) -> list[Path]:
    files = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.as_posix() == MANIFEST:
            continue
        if rel.parts[0] == CACHE_DIR or any(p.startswith(".") for p in rel.parts):
            continue  # the wave-tally cache and half-written temporary files
        files.append(path)
    return files


def _write_manifest(wave: _Wave, reports: dict[str, dict]) -> Path:
    from endorse_analysis.version import __version__

    folder = wave.folder
    manifest = {
        "manifest_version": 1,
        "package": "endorse-analysis",
        "version": __version__,
        "rendered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "wave_id": wave.wave,
        "input_fingerprint": wave.fingerprint,
        "code_fingerprint": code_fingerprint(),
        "snapshot_loaded_at": wave.info.get("loaded_at"),
        "parameters": wave.thresholds.as_json(),
        "files": [
            {
                "path": path.relative_to(folder).as_posix(),
                "sha256": _sha256(path),
                "size": path.stat().st_size,
            }
            for path in _listed_files(folder)
        ],
        "reports": dict(sorted(reports.items())),
    }
    path = folder / MANIFEST
    _write_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return path


def _report_entry(task: dict) -> dict:
    return {
        "kind": task["kind"],
        "race_id": task["race_id"],
        "key": task["key"],
        "notebook_sha256": task["notebook_sha256"],
        "parameters": {k: v for k, v in task["parameters"].items() if k != "db_path"},
    }


def _remove_stale(wave: _Wave, current: Iterable[dict]) -> None:
    """Delete the files of reports recorded earlier that are no longer contests."""
    names = {t["name"] for t in current}
    for name, entry in ((wave.manifest or {}).get("reports") or {}).items():
        if name in names or entry.get("kind") != "race":
            continue
        base = wave.folder / RACES_DIR / safe_name(entry.get("race_id") or "")
        for suffix in (".ipynb", ".html"):
            target = base.with_name(base.name + suffix)
            if target.resolve().is_relative_to(wave.folder.resolve()):
                target.unlink(missing_ok=True)


def _say(text: str) -> None:
    print(text, file=sys.stderr)


def _failures(results: list[dict], tasks: dict[str, dict]) -> str:
    failed = [r for r in results if not r["ok"]]
    shown = "; ".join(f"{r['name']} ({r['error']})" for r in failed[:3])
    more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    where = Path(tasks[failed[0]["name"]]["ipynb"]).parent
    return (
        f"{len(failed)} report(s) failed: {shown}{more}; "
        f"the executed notebooks are kept in {where} to see why"
    )


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
    """Every contest's report of `wave`, the overview, the docket (if its notebook
    exists), the index page and the manifest, from one loaded snapshot. Returns index.html."""
    nb_dir = Path(notebooks) if notebooks else None
    race_nb = _notebook_path("race", nb_dir)
    if not race_nb.is_file():
        raise RenderError(f"the race report notebook {race_nb} is missing")
    state = _Wave(db, wave, out, thresholds, as_of)
    wave_tally = state.write_wave_tally()
    tasks = []
    for kind in ("overview", "docket"):
        notebook = _notebook_path(kind, nb_dir)
        if notebook.is_file():
            tasks.append(state.task(kind, None, notebook, wave_tally, cold))
    tasks += [state.task("race", r["race_id"], race_nb, wave_tally, cold) for r in state.rows]
    by_name = {t["name"]: t for t in tasks}
    todo = [t for t in tasks if force or not state.unchanged(t)]
    skipped = len(tasks) - len(todo)
    if skipped:
        _say(
            f"reports: {skipped} of {len(tasks)} unchanged (same data, parameters and "
            "notebook), skipped; --force re-renders them"
        )
    _remove_stale(state, tasks)
    started = time.perf_counter()
    results = _run_tasks(todo, jobs, f"reports {wave}")
    if todo:
        wall = time.perf_counter() - started
        _say(
            f"reports: rendered {len(todo)} in {wall:.1f} s ({wall / len(todo):.2f} s each, "
            f"{jobs} job(s), {'cold' if cold else 'warm'} kernels)"
        )
    failed = {r["name"] for r in results if not r["ok"]}
    reports = {t["name"]: _report_entry(t) for t in tasks if t["name"] not in failed}
    links: dict[str, str | None] = {}
    for task in tasks:
        if task["kind"] == "race":
            ok = task["name"] not in failed and Path(task["html"]).is_file()
            rel = Path(task["html"]).relative_to(state.folder).as_posix()
            links[task["race_id"]] = quote(rel) if ok else None
    extras = []
    for task in tasks:
        if task["kind"] != "race" and task["name"] not in failed:
            label = "Wave overview" if task["kind"] == "overview" else "Vetting docket"
            extras.append((label, quote(Path(task["html"]).name)))
    info = {
        "parameters": threshold_parameters(state.thresholds),
        "as_of": state.as_of_instant,
        "fingerprint": state.fingerprint,
        "loaded_at": state.info.get("loaded_at", ""),
        "version": state.info.get("version", "") or _version(),
    }
    index = state.folder / "index.html"
    _write_atomic(
        index, index_html(wave, state.wave_name, state.rows, state.names, links, extras, info)
    )
    _write_manifest(state, reports)
    if failed:
        raise RenderError(_failures(results, by_name))
    return index


def _version() -> str:
    from endorse_analysis.version import __version__

    return __version__


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
    """One contest's decision report (executed notebook and HTML); returns the HTML path."""
    nb_dir = Path(notebooks) if notebooks else None
    race_nb = _notebook_path("race", nb_dir)
    if not race_nb.is_file():
        raise RenderError(f"the race report notebook {race_nb} is missing")
    state = _Wave(db, wave, out, thresholds, as_of)
    if race not in state.known_races:
        raise RenderError(f"race {race!r} is not in the database")
    if race not in {r["race_id"] for r in state.rows}:
        raise RenderError(
            f"race {race!r} is not a contest of wave {wave!r} "
            "(no vote, endorsement or vetting row in that wave)"
        )
    wave_tally = state.write_wave_tally()
    task = state.task("race", race, race_nb, wave_tally, cold)
    result = _run_tasks([task], 1, f"report {race}")[0]
    reports = dict((state.manifest or {}).get("reports") or {})
    if not result["ok"]:
        reports.pop(task["name"], None)
        _write_manifest(state, reports)
        raise RenderError(_failures([result], {task["name"]: task}))
    reports[task["name"]] = _report_entry(task)
    _write_manifest(state, reports)
    return Path(task["html"])


def verify(folder: str | os.PathLike) -> list[str]:
    """Compare a rendered wave folder with its manifest: one line per changed, missing or
    added file; empty when everything matches."""
    root = Path(folder)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise RenderError(f"no {MANIFEST} in {root}: not a rendered wave folder")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed = {f["path"]: f for f in manifest["files"]}
    except (ValueError, KeyError, TypeError) as err:
        raise RenderError(f"{manifest_path} is not a readable manifest ({err})") from None
    lines = []
    present = {p.relative_to(root).as_posix(): p for p in _listed_files(root)}
    for rel, entry in sorted(listed.items()):
        path = present.get(rel)
        if path is None:
            lines.append(f"missing: {rel}")
        elif path.stat().st_size != entry.get("size") or _sha256(path) != entry.get("sha256"):
            lines.append(f"changed: {rel}")
    for rel in sorted(set(present) - set(listed)):
        lines.append(f"added: {rel} (not in the manifest)")
    return lines
