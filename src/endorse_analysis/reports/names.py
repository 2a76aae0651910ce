"""Where a rendered wave's files go: filename-safe ids and paths that cannot leave the
output folder (docs/rules.md §4).

Layout of a rendered wave (`<out>/<wave>/`, the wave id spelled with `safe_name`):

    index.html               every contest, what staff must do first, linked to its report
    index.csv                the same rows for a spreadsheet
    overview.html / .ipynb   the wave overview
    vetting_docket.html / .ipynb
    races/<race>.html / .ipynb   one decision report per contest
    manifest.json            every file above with its SHA-256, and the run's parameters

and beside it, `<out>/.<wave>.lock`, held while a run writes the folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MANIFEST = "manifest.json"
INDEX = "index.html"
INDEX_CSV = "index.csv"
RACES_DIR = "races"
PAGE_STEMS = {"overview": "overview", "docket": "vetting_docket"}
_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_MAX_NAME = 150


class RenderError(ValueError):
    """A report could not be rendered (said in one sentence; the CLI prints it)."""


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


def inside(path: Path, root: Path) -> Path:
    """`path` resolved; refuse it unless it lies inside `root`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise RenderError(f"refusing to write {path}: it is outside the output folder {root}")
    return resolved


def wave_folder(out: str | os.PathLike, wave: str) -> Path:
    out_dir = Path(out)
    return inside(out_dir / safe_name(wave), out_dir)


def lock_path(out: str | os.PathLike, wave: str) -> Path:
    """The lock a run holds while it writes a wave folder (beside it, not in it)."""
    return Path(out) / f".{safe_name(wave)}.lock"


def page_base(folder: Path, kind: str, race: str | None) -> Path:
    """A page's path without its suffix: races/<race>, overview or vetting_docket."""
    if kind == "race":
        return inside(folder / RACES_DIR / safe_name(race or ""), folder)
    return folder / PAGE_STEMS[kind]
