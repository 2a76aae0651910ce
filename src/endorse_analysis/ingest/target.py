"""Where a load may write, and the lock that makes it the only writer there.

In: the --db path a load was given and the input folder. Out: the real path to replace,
held under an exclusive lock for the length of the load, with the temporaries of earlier
loads removed; or a one-line `TargetError` saying why the path is refused.

- A load writes only a new path or a snapshot that some version of this tool wrote
  (recognised by its `snapshot` record, read through a read-only connection), and never
  inside the input folder: any other file, a folder, a FIFO or a device is refused.
- A symbolic link is followed: the snapshot it points to is replaced (beside itself, by a
  rename) and the link stays a link. A link to nothing is refused.
- The lock is `.<name>.lock` beside the real path (flock: the kernel drops it when the
  process ends, killed or not). A second load of the same path is refused at once. Since
  no other load can run meanwhile, every temporary of the path is a leftover, removed
  whatever process id its name holds (another PID namespace may reuse the number).
- A `<name>.wal` left by a process killed while writing the old snapshot is settled
  before the swap, so the new file never meets the old file's write-ahead log.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from endorse_analysis.files import NotAFile, exclusive_lock, regular_file, remove_entries

TMP_MARK = ".tmp-"


class TargetError(ValueError):
    """The --db path of a load is refused: said in one sentence."""


def table_columns(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """(table, column) of every table in the database's main schema."""
    rows = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()
    return {(table, column) for table, column in rows}


def written_by_this_tool(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database is a snapshot that some version of this tool wrote: every
    version records itself in a `snapshot` table of keys and values."""
    return {("snapshot", "key"), ("snapshot", "value")} <= table_columns(con)


def temporary_prefix(target: Path) -> str:
    """The names of a load's temporaries beside `target` start with this."""
    return f"{target.name}{TMP_MARK}"


def wal_path(target: Path) -> Path:
    return target.with_name(target.name + ".wal")


@contextlib.contextmanager
def claimed(db_path: Path, folder: Path) -> Iterator[Path]:
    """The real path a load of `folder` may replace, held under the load's lock, with
    the temporaries of earlier loads removed."""
    target = real_target(db_path, folder)
    _check_kind(target)  # before a lock file is made beside what cannot be replaced
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(target.with_name(f".{target.name}.lock"), f"loading into {target}"):
        remove_entries(target.parent, temporary_prefix(target))
        _check_replaceable(target)
        yield target


def real_target(db_path: Path, folder: Path) -> Path:
    """The path a load writes: `db_path` with every symbolic link followed, refused when
    it dangles or lies inside the input folder."""
    if db_path.is_symlink() and not db_path.exists():
        raise TargetError(f"{db_path} is a symbolic link to nothing; give the path it should name")
    target = Path(os.path.realpath(db_path))
    inside = Path(os.path.realpath(folder))
    if target == inside or inside in target.parents:
        raise TargetError(
            f"{db_path} is inside the input folder {folder}; a load never writes there, "
            "choose a path outside it"
        )
    return target


def _check_kind(target: Path) -> bool:
    """Whether something is at `target`; refuse anything but a regular file."""
    try:
        return regular_file(target) is not None
    except NotAFile:
        raise TargetError(
            f"{target} is not a file; a load replaces only a snapshot it wrote"
        ) from None


def _check_replaceable(target: Path) -> None:
    """Refuse a path that holds anything but a snapshot this tool wrote."""
    wal = wal_path(target)
    if not _check_kind(target):
        wal.unlink(missing_ok=True)  # a log with no database has nothing to belong to
        return
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            ours = written_by_this_tool(con)
    except duckdb.Error as err:
        if "lock" in str(err).lower():
            raise TargetError(
                f"{target} is open in another process that writes to it; close it, then load again"
            ) from None
        if wal.exists():
            raise TargetError(
                f"{wal} is left from an interrupted write and {target} cannot be opened with "
                "it; move the .wal file away, then load again"
            ) from None
        ours = False
    if not ours:
        raise TargetError(
            f"{target} is not a snapshot of endorse-analysis; a load replaces only a snapshot "
            "it wrote: remove the file or choose another path"
        )


def settle_wal(target: Path) -> None:
    """Fold what the old snapshot's leftover write-ahead log holds into it, so that the
    log goes with it and never meets the new file (a reader sees the same data before and
    after). Done under the lock, just before the swap."""
    wal = wal_path(target)
    if not wal.exists():
        return
    try:
        with duckdb.connect(str(target)) as con:
            con.execute("CHECKPOINT")
    except duckdb.Error as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise TargetError(
            f"{wal} is left from an interrupted write and could not be settled ({first}); "
            "close what has the database open, or move the .wal file away, then load again"
        ) from None
    wal.unlink(missing_ok=True)  # what DuckDB did not take for a log of this file
