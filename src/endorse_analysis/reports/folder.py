"""What a run finds in a wave folder before it writes: its own temporaries, files no run
wrote, pages of contests that are gone, and member lists nearby.

In: the output folder and the wave folder (under the run's lock). Out: what to remove,
what to name, what to leave out of the manifest; a refusal when member lists lie in,
beside or under the output folder.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from endorse_analysis.files import NotAFile, regular_file
from endorse_analysis.reports.manifest import MAILINGS_KIND, folder_entries
from endorse_analysis.reports.names import MANIFEST, RACES_DIR, RenderError

# What a run writes before renaming: `.<name>.tmp-<pid>` and `.<page>.partial-<pid>.ipynb`.
_TEMPORARY = re.compile(r"\.(.+\.tmp-\d+|.+\.partial-\d+\.ipynb)")
_LISTS_DEPTH = 3  # how deep under the output folder lists are looked for


def remove_temporaries(folder: Path) -> None:
    """Remove what an earlier run, killed or out of space, left half written (any process
    id: the caller holds the folder's lock)."""
    for rel, info in folder_entries(folder).items():
        if stat.S_ISREG(info.st_mode) and _TEMPORARY.fullmatch(rel.rsplit("/", 1)[-1]):
            (folder / rel).unlink(missing_ok=True)


def foreign_files(folder: Path, manifest: dict | None, written: set[str]) -> list[str]:
    """Plain files of the folder (relative paths) that no run of this tool wrote: not in
    the folder's manifest and not about to be written by this run."""
    listed = {f["path"] for f in (manifest or {}).get("files", [])}
    return sorted(
        rel
        for rel, info in folder_entries(folder).items()
        if stat.S_ISREG(info.st_mode) and rel not in listed and rel not in written
    )


def not_plain(folder: Path) -> list[str]:
    """Entries of the folder that are neither plain files nor folders (links, FIFOs,
    devices, sockets)."""
    return sorted(
        rel
        for rel, info in folder_entries(folder).items()
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode))
    )


def stale_pages(folder: Path, manifest: dict | None, keep: set[str]) -> list[str]:
    """Race pages and notebooks an earlier run wrote (listed in the manifest) that this
    run does not write: their contest is gone."""
    listed = {f["path"] for f in (manifest or {}).get("files", [])}
    entries = folder_entries(folder)
    return sorted(
        rel
        for rel in listed
        if rel.startswith(RACES_DIR + "/")
        and rel not in keep
        and rel in entries
        and stat.S_ISREG(entries[rel].st_mode)
    )


def _is_lists(folder: Path) -> bool:
    """Whether `folder` holds member ids: member lists, or mailings with recipients."""
    from endorse_analysis.listtool.lists import KIND as LISTS_KIND  # it imports reports

    path = folder / MANIFEST
    try:
        info = regular_file(path, follow_links=False)
        if info is None or info.st_size > 1 << 20:
            return False
        kind = json.loads(path.read_text(encoding="utf-8")).get("kind")
        return kind in (LISTS_KIND, MAILINGS_KIND)
    except (NotAFile, OSError, ValueError, AttributeError, RecursionError):
        return False


def _under(folder: Path, depth: int) -> list[Path]:
    """The folders under `folder` to `depth` levels (links not followed)."""
    found, level = [], [folder]
    for _ in range(depth):
        below = []
        for f in level:
            try:
                below += [e for e in f.iterdir() if e.is_dir() and not e.is_symlink()]
            except OSError:
                continue
        found += below
        level = below
    return found


def refuse_lists_nearby(out: Path) -> None:
    """Refuse an output folder inside a folder of member lists, or holding one (beside
    its wave folders or further down): a wave folder is published, and member ids never
    are."""
    resolved = out.resolve()
    near = [resolved, *resolved.parents]
    if resolved.is_dir():
        near += _under(resolved, _LISTS_DEPTH)
    for folder in near:
        if _is_lists(folder):
            raise RenderError(
                f"{out} is in, beside or holds a folder of member lists or mailings ({folder}): "
                "a rendered wave is published, and member ids never are; choose another --out"
            )
