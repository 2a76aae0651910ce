"""The manifest of a rendered wave, and `verify`, which checks a folder against it.

In: a wave folder. Out: `manifest.json` (every file with its SHA-256 and size, the run's
snapshot and parameters, what each page was rendered from), or, for `verify`, one line
per thing that is not as the manifest says: a page the run could not render, a file
changed, missing or not listed (hidden ones too), anything that is not a plain file (a
link, a FIFO, a device), a page whose figures differ from the manifest's parameters or
from the index, a race page at another race's path, missing from the manifest's reports
or linked otherwise from the index, a page of a contest the index no longer has. Lock
files (`.<name>.lock`, held while a command writes) are neither listed nor reported.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.files import NotAFile, regular_file, sha256_file, write_atomic
from endorse_analysis.reports.names import INDEX, MANIFEST, RACES_DIR, RenderError, safe_name
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


def is_lock(rel: str) -> bool:
    """Whether a path is a lock file a command keeps (`.<name>.lock`): never listed, never
    reported."""
    name = rel.rsplit("/", 1)[-1]
    return name.startswith(".") and name.endswith(".lock")


def folder_entries(folder: Path) -> dict[str, os.stat_result]:
    """Every entry under the folder by relative path, with its own status (links not
    followed, linked folders not entered), lock files and the manifest left out."""
    entries = {}
    for top, dirs, files in os.walk(folder, followlinks=False):
        base = Path(top)
        for name in [*dirs, *files]:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if rel == MANIFEST or is_lock(rel):
                continue
            try:
                entries[rel] = path.lstat()
            except OSError:
                continue
    return entries


def listed_files(folder: Path, leave_out: Collection[str] = ()) -> list[Path]:
    """Every plain file of the folder but the manifest, lock files and `leave_out`
    (relative paths), hidden ones included."""
    return sorted(
        folder / rel
        for rel, info in folder_entries(folder).items()
        if stat.S_ISREG(info.st_mode) and rel not in leave_out
    )


def write_manifest(
    folder: Path,
    run: dict[str, object],
    reports: dict[str, dict],
    leave_out: Collection[str] = (),
) -> Path:
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
            for path in listed_files(folder, leave_out)
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
    lines = _failed_lines(manifest)
    lines += _file_lines(root, manifest)
    lines += _figure_lines(root, manifest)
    return lines


def _failed_lines(manifest: dict) -> list[str]:
    """The pages the run could not render, each with its one-line reason."""
    return [
        f"failed: {name} ({entry.get('failed')})"
        for name, entry in sorted(manifest.get("reports", {}).items())
        if entry.get("failed")
    ]


_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_plain(root: Path, rel: str, info: os.stat_result) -> str | None:
    """What an entry is when it is neither a plain file nor a folder; None otherwise."""
    for test, words in _KINDS:
        if test(info.st_mode):
            if test is stat.S_ISLNK and not (root / rel).exists():
                return "a symbolic link to nothing"
            return words
    return None


def _file_lines(root: Path, manifest: dict) -> list[str]:
    listed = {f["path"]: f for f in manifest["files"]}
    entries = folder_entries(root)
    present = {rel: root / rel for rel, info in entries.items() if stat.S_ISREG(info.st_mode)}
    lines = []
    for rel, info in sorted(entries.items()):
        kind = _not_plain(root, rel, info)
        if kind is not None:
            lines.append(f"not a plain file: {rel} ({kind})")
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
        if f["path"].endswith(".html")
        and (root / f["path"]).is_file()
        and not (root / f["path"]).is_symlink()
    )
    index_links = None
    if INDEX in pages:
        index_contests = _contests(page_figures(root / INDEX) or {})
        index_links = _index_links(root / INDEX)
    for rel in pages:
        figures = page_figures(root / rel)
        if figures is None:
            lines.append(f"no figures: {rel}")
            continue
        lines += _race_lines(rel, figures, manifest, index_links)
        for key in RUN_FIGURES:
            if figures.get(key) != run.get(key):
                lines.append(
                    f"parameters differ: {rel} has {key} {figures.get(key)!r}, "
                    f"the manifest {run.get(key)!r}"
                )
        lines += _against_index(rel, figures, index_contests)
    return lines


_LINK = re.compile(r'<td class="inline" data-label="Race"><a href="([^"]*)">([^<]*)</a>')


def _index_links(index: Path) -> dict[str, str]:
    """The index's link to each contest's page, by race id (relative paths)."""
    try:
        text = index.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    return {html.unescape(race): unquote(html.unescape(href)) for href, race in _LINK.findall(text)}


def _race_lines(
    rel: str, figures: dict, manifest: dict, index_links: dict[str, str] | None
) -> list[str]:
    """A race page against its path, the manifest's entry and the index's link."""
    if not rel.startswith(RACES_DIR + "/"):
        return []
    race = figures.get("race_id")
    if not isinstance(race, str):
        return [f"no race: {rel} names no race"]
    lines = []
    own = f"{RACES_DIR}/{safe_name(race)}.html"
    if rel != own:
        lines.append(f"misplaced: {rel} is the page of {race!r}, whose page is {own}")
    entry = manifest["reports"].get(f"race:{race}")
    if not isinstance(entry, dict) or entry.get("race_id") != race or entry.get("failed"):
        lines.append(
            f"not rendered: {rel} is the page of {race!r}, "
            "which the manifest does not list as rendered"
        )
    if index_links is not None and index_links.get(race, rel) != rel:
        lines.append(f"link differs: the index links {race!r} to {index_links[race]}, not {rel}")
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
