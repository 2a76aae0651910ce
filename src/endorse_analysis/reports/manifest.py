"""The manifest of a rendered wave, and `verify`, which checks a folder against it.

In: a wave folder. Out: `manifest.json` (every file with its SHA-256 and size, the run's
snapshot and parameters, what each page was rendered from), or, for `verify`, one line
per thing that is not as the manifest says: a file changed, missing or not listed
(hidden ones too), a page whose figures differ from the manifest's parameters or from
the index, a page of a contest the index no longer has.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.files import NotAFile, regular_file, sha256_file, write_atomic
from endorse_analysis.reports.names import INDEX, MANIFEST, RACES_DIR, RenderError
from endorse_analysis.version import __version__

MANIFEST_VERSION = 2
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# The mark of a folder of mailings: its manifest has the same run and files, no reports.
MAILINGS_KIND = "mailings"
# The figures every page states about its run; they must equal the manifest's.
RUN_FIGURES = (
    "wave_id",
    "support_threshold",
    "min_turnout",
    "min_votes",
    "as_of",
    "input_fingerprint",
    "snapshot_id",
)
_FIGURES = re.compile(r'<script type="application/json" id="endorse-figures">(.*?)</script>', re.S)


def run_block(figures: WaveFigures) -> dict[str, object]:
    """What a whole wave folder was rendered from: one snapshot, one set of parameters."""
    return {
        **figures.run_figures(),
        "snapshot_loaded_at": figures.snapshot.get("loaded_at"),
        "timezone": figures.snapshot.get("timezone"),
    }


def listed_files(folder: Path) -> list[Path]:
    """Every file of the folder but the manifest, hidden ones included."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST
    )


def write_manifest(folder: Path, run: dict[str, object], reports: dict[str, dict]) -> Path:
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "package": "endorse-analysis",
        "version": __version__,
        "rendered_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run": run,
        "files": [
            {
                "path": path.relative_to(folder).as_posix(),
                "sha256": sha256_file(path),
                "size": path.stat().st_size,
            }
            for path in listed_files(folder)
        ],
        "reports": dict(sorted(reports.items())),
    }
    path = folder / MANIFEST
    write_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return path


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, or None when there is none; a manifest that is not a
    regular file of the expected shape is an error, said in one line."""
    path = folder / MANIFEST
    try:
        info = regular_file(path, follow_links=False)
    except NotAFile as err:
        raise RenderError(f"{err}; remove it or choose another --out") from None
    if info is None:
        return None
    if info.st_size > MAX_MANIFEST_BYTES:
        raise RenderError(f"{path} is too large to be a manifest")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as err:
        raise RenderError(f"{path} is not a readable manifest ({type(err).__name__})") from None
    problem = _shape_problem(manifest)
    if problem:
        raise RenderError(f"{path} is not a manifest of this tool: {problem}")
    return manifest


def _shape_problem(manifest: object) -> str | None:
    if not isinstance(manifest, dict):
        return "not an object"
    version = manifest.get("manifest_version")
    if type(version) is not int or version != MANIFEST_VERSION:
        return f"manifest_version is not {MANIFEST_VERSION}"
    if not isinstance(manifest.get("run"), dict):
        return "no run"
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict)
        and isinstance(f.get("path"), str)
        and isinstance(f.get("sha256"), str)
        and type(f.get("size")) is int
        for f in files
    ):
        return "files is not a list of path, sha256 and size"
    if not all(_inside(f["path"]) for f in files):
        return "files names a path outside the folder"
    reports = manifest.get("reports")
    if reports is None and manifest.get("kind") == MAILINGS_KIND:
        reports = {}  # a folder of mailings (listtool/mailings.py): drafts, no reports
    if not isinstance(reports, dict) or not all(isinstance(r, dict) for r in reports.values()):
        return "reports is not an object of reports"
    return None


def _inside(rel: str) -> bool:
    """Whether a manifest's path names a file inside the wave folder."""
    parts = Path(rel).parts
    return bool(parts) and not Path(rel).is_absolute() and ".." not in parts and "\0" not in rel


def page_figures(path: Path) -> dict | None:
    """The figures a page embeds, or None when it has none (or they are not an object)."""
    try:
        found = _FIGURES.search(path.read_text(encoding="utf-8", errors="replace"))
        figures = json.loads(found.group(1)) if found else None
    except (OSError, ValueError, RecursionError):
        return None
    return figures if isinstance(figures, dict) else None


def _contests(figures: dict) -> dict[object, dict]:
    """The contests a page's figures list, by race id (none when they are not a list)."""
    contests = figures.get("contests")
    if not isinstance(contests, list):
        return {}
    return {
        c.get("race_id") if isinstance(c.get("race_id"), str) else repr(c.get("race_id")): c
        for c in contests
        if isinstance(c, dict)
    }


def verify(folder: str | os.PathLike) -> list[str]:
    """Compare a rendered wave folder with its manifest; one line per difference, none
    when the folder is exactly what was rendered and every page agrees with the index."""
    root = Path(folder)
    if not (root / MANIFEST).exists():
        raise RenderError(f"no {MANIFEST} in {root}: not a rendered wave folder")
    manifest = read_manifest(root)
    lines = _file_lines(root, manifest)
    lines += _figure_lines(root, manifest)
    return lines


def _file_lines(root: Path, manifest: dict) -> list[str]:
    listed = {f["path"]: f for f in manifest["files"]}
    present = {p.relative_to(root).as_posix(): p for p in listed_files(root)}
    lines = []
    for rel, entry in sorted(listed.items()):
        path = present.get(rel)
        if path is None:
            lines.append(f"missing: {rel}")
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            lines.append(f"changed: {rel}")
    for rel in sorted(set(present) - set(listed)):
        lines.append(f"added: {rel} (not in the manifest)")
    return lines


def _figure_lines(root: Path, manifest: dict) -> list[str]:
    """Every page's figures against the manifest's run and against the index."""
    run = manifest["run"]
    lines = []
    index_contests = None
    pages = sorted(
        f["path"]
        for f in manifest["files"]
        if f["path"].endswith(".html") and (root / f["path"]).is_file()
    )
    if INDEX in pages:
        index_contests = _contests(page_figures(root / INDEX) or {})
    for rel in pages:
        figures = page_figures(root / rel)
        if figures is None:
            lines.append(f"no figures: {rel}")
            continue
        for key in RUN_FIGURES:
            if figures.get(key) != run.get(key):
                lines.append(
                    f"parameters differ: {rel} has {key} {figures.get(key)!r}, "
                    f"the manifest {run.get(key)!r}"
                )
        lines += _against_index(rel, figures, index_contests)
    return lines


def _against_index(rel: str, figures: dict, index_contests: dict | None) -> list[str]:
    if index_contests is None:
        return []
    if rel.startswith(RACES_DIR + "/"):
        race = figures.get("race_id")
        mine = index_contests.get(race) if isinstance(race, str) else None
        if mine is None:
            return [f"stale: {rel} is a page of {race!r}, not a contest of the index"]
        contest = {k: v for k, v in figures.items() if k in mine}
        if contest != mine:
            differ = sorted(k for k in mine if figures.get(k) != mine[k])
            return [f"figures differ: {rel} and the index disagree on {', '.join(differ)}"]
        return []
    contests = _contests(figures)
    if contests and contests != index_contests:
        return [f"figures differ: {rel} and the index list different contests or figures"]
    return []
