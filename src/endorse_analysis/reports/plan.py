"""What a rendering run will do: one task per page, each with the key that says whether
the page on disk is still what this run would render.

In: the run's `WaveFigures`, the wave folder and the notebooks. Out: task dicts (plain
data, so that worker processes can take them). A task's key covers everything that can
change its page: the snapshot (its input, time zone, load time and the version that
built it), the wave, thresholds and instant, the notebook, the package's version and
code. A page whose key and files match the manifest is not rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from pathlib import Path

from endorse_analysis.api.wave import WaveFigures, instant_text
from endorse_analysis.files import sha256_file
from endorse_analysis.reports.manifest import page_figures
from endorse_analysis.reports.names import page_base
from endorse_analysis.version import __version__

RENDER_FORMAT = "2"  # bump when the page wrapper or the task layout changes
NOTEBOOKS = {
    "race": "race_report.ipynb",
    "overview": "wave_overview.ipynb",
    "docket": "vetting_docket.ipynb",
}
TITLES = {"overview": "Wave overview", "docket": "Vetting docket"}


def notebooks_dir(override: str | os.PathLike | None = None) -> Path:
    """The report notebooks: `override`, else $ENDORSE_NOTEBOOKS, else the package's own."""
    chosen = override or os.environ.get("ENDORSE_NOTEBOOKS")
    return Path(chosen) if chosen else Path(__file__).resolve().parent / "notebooks"


@functools.lru_cache(maxsize=16)
def _notebook_facts(notebook: Path, mtime_ns: int, size: int) -> tuple[str, frozenset | None]:
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
    """A notebook's SHA-256 and the names its `parameters` cell assigns (None: no such
    cell). Read as plain JSON: importing nbformat costs seconds on some machines."""
    stat = notebook.stat()
    return _notebook_facts(notebook.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the package's own code, SQL, templates and notebooks: a page made by
    other code is not 'unchanged'."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".sql", ".html", ".csv", ".ipynb"):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def task_key(kind: str, race: str | None, figures: WaveFigures, notebook_sha: str) -> str:
    blob = json.dumps(
        [RENDER_FORMAT, __version__, code_fingerprint(), kind, race, figures.key, notebook_sha],
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()


def parameters(
    figures: WaveFigures, notebook: Path, race: str | None, db: Path, figures_path: Path
) -> dict[str, str]:
    """The notebook's parameters for this page; only those its parameters cell declares."""
    params = {
        "db_path": str(db),
        "wave": figures.wave_id,
        **({"race": race} if race is not None else {}),
        **figures.thresholds.as_text(),
        "as_of": instant_text(figures.as_of) or "",
        "figures_path": str(figures_path),
    }
    declared = notebook_facts(notebook)[1]
    return params if declared is None else {k: v for k, v in params.items() if k in declared}


def task(
    kind: str,
    race: str | None,
    *,
    figures: WaveFigures,
    folder: Path,
    notebook: Path,
    db: Path,
    figures_path: Path,
    kernel: str,
) -> dict:
    """Everything a worker needs to render one page, as plain data."""
    base = page_base(folder, kind, race)
    wave_name = figures.wave["name"] or figures.wave_id
    title = f"{race} — {wave_name}" if race is not None else f"{TITLES[kind]} — {wave_name}"
    nb_sha = notebook_facts(notebook)[0]
    return {
        "name": f"{kind}:{race}" if race is not None else kind,
        "kind": kind,
        "race_id": race,
        "notebook": str(notebook),
        "parameters": parameters(figures, notebook, race, db, figures_path),
        "ipynb": str(base.with_name(base.name + ".ipynb")),
        "html": str(base.with_name(base.name + ".html")),
        "title": title,
        "subtitle": f"wave {figures.wave_id}",
        "index_href": "index.html" if race is None else "../index.html",
        "kernel": kernel,
        "key": task_key(kind, race, figures, nb_sha),
        "notebook_sha256": nb_sha,
    }


def unchanged(task: dict, folder: Path, manifest: dict | None) -> bool:
    """The page on disk is what this task would render: same key, files as listed."""
    old = ((manifest or {}).get("reports") or {}).get(task["name"])
    if not isinstance(old, dict) or old.get("key") != task["key"]:
        return False
    hashes = {
        f.get("path"): f.get("sha256")
        for f in (manifest or {}).get("files", [])
        if isinstance(f, dict)
    }
    for path in (Path(task["ipynb"]), Path(task["html"])):
        rel = path.relative_to(folder).as_posix()
        if not path.is_file() or path.is_symlink() or hashes.get(rel) != sha256_file(path):
            return False
    if task["race_id"] is not None:  # a page moved to another race's path is not its own
        return (page_figures(Path(task["html"])) or {}).get("race_id") == task["race_id"]
    return True
