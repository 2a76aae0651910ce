"""One snapshot per rendering run, whatever happens to the database file meanwhile.

In: the path of a database. Out: for the length of a run, a private hard link to the
file as it was when the run began (a copy where a link cannot be made), in a private
folder beside it that also holds the figures handed to every page. A load that replaces
the database renames a new file over the path; the link keeps the old one, so every
page of the run reads the same snapshot.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from endorse_analysis.api.snapshot import check_snapshot
from endorse_analysis.files import remove_stale

PIN_MARK = ".pin-"


def _pin_prefix(db: Path) -> str:
    return f".{db.name}{PIN_MARK}"


@contextlib.contextmanager
def pinned_snapshot(db: str | os.PathLike) -> Iterator[Path]:
    """The run's own, unchanging path to the snapshot (same file name, private folder)."""
    db = Path(db)
    check_snapshot(db)  # refused by the name the user gave, not the pin's
    remove_stale(db.parent, _pin_prefix(db))
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{_pin_prefix(db)}{os.getpid()}-", dir=db.parent))
    except OSError:  # a read-only folder: pin a copy elsewhere
        folder = Path(tempfile.mkdtemp(prefix=f"endorse-pin-{os.getpid()}-"))
    pinned = folder / db.name
    try:
        try:
            os.link(db, pinned)
        except OSError:  # another file system, or links not allowed
            shutil.copy2(db, pinned)
        yield pinned
    finally:
        shutil.rmtree(folder, ignore_errors=True)
