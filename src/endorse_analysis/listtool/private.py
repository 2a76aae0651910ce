"""Owner-only output folders: the lists and mailings handed to the list tool.

In: the folder asked for, the kind of folder (its manifest's mark) and what goes in it.
Out: the folder, built whole beside its place (0700, its files 0600) and renamed into
place; a folder of the same kind written before is replaced, anything else is refused:
a folder holding other files, and a place in, beside or around a rendered report (these
folders hold member ids, which no report may show).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.files import CannotWrite, fsync_path, remove_stale
from endorse_analysis.reports.names import MANIFEST, safe_name
from endorse_analysis.sqlfiles import sql_text

FOLDER_MODE, FILE_MODE = 0o700, 0o600
TMP_MARK, OLD_MARK = ".tmp-", ".old-"


class FolderRefused(ValueError):
    """The folder cannot go where asked: said in one sentence."""


@contextlib.contextmanager
def private_folder(out: Path, kind: str, what: str) -> Iterator[Path]:
    """A new owner-only folder to fill; when the block ends without an error it replaces
    `out` whole (a folder of `kind` written before, or nothing), else it is removed.
    `what` names the contents in a refusal ("the lists", "the mailings")."""
    out = Path(out)
    check_destination(out, kind, what)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out.parent, f".{out.name}{TMP_MARK}")
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    tmp.mkdir(mode=FOLDER_MODE)
    os.chmod(tmp, FOLDER_MODE)  # whatever the umask: nobody else may even list it
    try:
        yield tmp
        fsync_path(tmp)
        _swap(tmp, out)
    except CannotWrite as err:
        shown = (
            out / Path(err.path).relative_to(tmp)
            if Path(err.path).is_relative_to(tmp)
            else err.path
        )
        raise FolderRefused(
            f"could not write {shown}: {err.reason}; {what} there were not changed"
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_private(path: Path, text: str) -> None:
    """A new file readable by its owner only."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise CannotWrite(path, err) from None


def write_member_lists(
    con: duckdb.DuckDBPyConnection,
    wave_id: str,
    contests: list[tuple[str, str | None]],
    folder: Path,
    names: dict[str, str],
) -> dict[str, dict[str, tuple[str, int]]]:
    """For each (race_id, candidate_id) of `contests`, the lists of sql/lists.sql named in
    `names` (list -> file suffix: "announcement" -> "recipients") as one `user_id` column
    each: `<race>.<suffix>.csv`. A contest with no candidate gets no volunteers list.
    Returns, per race, each list's file name and number of members."""
    frame = pd.DataFrame(contests, columns=["race_id", "candidate_id"], dtype="object")
    con.register("endorsed_frame", frame)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE endorsed AS SELECT CAST(race_id AS VARCHAR) AS race_id, "
        "CAST(candidate_id AS VARCHAR) AS candidate_id FROM endorsed_frame"
    )
    con.unregister("endorsed_frame")
    con.execute(sql_text("endorse_analysis.listtool", "lists"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE list_rows AS SELECT * FROM member_lists(?)", [wave_id]
    )
    written: dict[str, dict[str, tuple[str, int]]] = {}
    for race_id, candidate_id in contests:
        files = written.setdefault(race_id, {})
        for kind, suffix in names.items():
            if kind == "volunteers" and candidate_id is None:
                continue
            name = f"{safe_name(race_id)}.{suffix}.csv"  # '.' never occurs in a safe name
            path = str(folder / name).replace("'", "''")
            try:
                count = con.execute(
                    f"COPY (SELECT DISTINCT user_id FROM list_rows WHERE race_id = $r "
                    f"AND list = $l ORDER BY user_id) TO '{path}' (FORMAT csv, HEADER)",
                    {"r": race_id, "l": kind},
                ).fetchone()[0]
                os.chmod(folder / name, FILE_MODE)
            except (OSError, duckdb.IOException) as err:
                raise CannotWrite(folder / name, err) from None
            files[kind] = (name, int(count))
    con.execute("DROP TABLE list_rows")
    return written


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished folder at `out`; a folder of the same kind already there goes."""
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    fsync_path(out.parent)
    shutil.rmtree(old, ignore_errors=True)


def _manifest(folder: Path) -> dict:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return found if isinstance(found, dict) else {}


def is_rendered_wave(folder: Path) -> bool:
    """Whether `folder` is a rendered wave (its manifest lists reports)."""
    return "reports" in _manifest(folder)


def check_destination(out: Path, kind: str, what: str) -> None:
    """Refuse a folder that is not ours to replace, or that a report would publish."""
    resolved = out.resolve()
    if out.exists() and not out.is_dir():
        raise FolderRefused(f"{out} is a file, not a folder")
    parent = resolved.parent
    beside = [p for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else []
    inside = [p for p in resolved.iterdir() if p.is_dir()] if resolved.is_dir() else []
    if any(is_rendered_wave(p) for p in [resolved, *resolved.parents, *beside, *inside]):
        raise FolderRefused(
            f"{out} is in, beside or around rendered reports: {what} hold member ids and are "
            "never part of a report"
        )
    if out.is_dir() and any(out.iterdir()) and _manifest(out).get("kind") != kind:
        raise FolderRefused(
            f"{out} already holds other files: {what} go into a new folder of their own"
        )
