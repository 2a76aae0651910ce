"""The member lists handed back to the list tool after a wave: for each contest whose
final decision is ENDORSE, who gets the announcement and who may volunteer.

In: a snapshot connection, a wave, the thresholds and a folder. Out: that folder, written
whole, owner-only (0700, its files 0600):

    <race>.announcement.csv   the contest's potential voters, opted-out members excluded
    <race>.volunteers.csv     members whose counted ballot chose the endorsed candidate
    manifest.json             the wave, the snapshot, and per contest the counts only

Each list is one `user_id` column, ready for the list tool's import; `<race>` is the race
id spelled by `reports.names.safe_name`. These are the one output of the package that
holds member ids, so they are never written into, or beside, a rendered report.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.snapshot import snapshot_info
from endorse_analysis.api.tally import tally
from endorse_analysis.files import CannotWrite, fsync_path, remove_stale
from endorse_analysis.reports.names import MANIFEST, safe_name
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.sqlfiles import sql_text

LISTS = ("announcement", "volunteers")
KIND = "member-lists"  # the manifest's mark: a folder this module may replace
FOLDER_MODE, FILE_MODE = 0o700, 0o600
TMP_MARK, OLD_MARK = ".tmp-", ".old-"


class ListsRefused(ValueError):
    """The lists cannot go where asked: said in one sentence."""


@dataclass(frozen=True)
class ContestLists:
    """One endorsed contest's lists: the files written and how many members each holds."""

    race_id: str
    candidate_id: str
    files: dict[str, str]
    members: dict[str, int]


def write_lists(
    con: duckdb.DuckDBPyConnection, wave_id: str, out: Path, thresholds: Thresholds | None = None
) -> list[ContestLists]:
    """Write the lists of every endorsed contest of the wave into `out`, replacing a
    folder of lists written before (and nothing else)."""
    thresholds = thresholds or Thresholds()
    out = Path(out)
    _check_destination(out)
    endorsed = [
        (row["race_id"], endorsed_candidate(row))
        for row in plain_records(tally(con, wave_id, thresholds))
        if endorsed_candidate(row) is not None
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out.parent, f".{out.name}{TMP_MARK}")
    tmp = out.with_name(f".{out.name}{TMP_MARK}{os.getpid()}")
    tmp.mkdir(mode=FOLDER_MODE)
    os.chmod(tmp, FOLDER_MODE)  # whatever the umask: nobody else may even list it
    try:
        contests = _write_files(con, wave_id, endorsed, tmp, out)
        manifest = {
            "kind": KIND,
            "wave_id": wave_id,
            "snapshot_id": snapshot_info(con).get("snapshot_id"),
            "thresholds": thresholds.as_text(),
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "member ids: for the list tool's import only, never for a report",
            "contests": [
                {
                    "race_id": c.race_id,
                    "candidate_id": c.candidate_id,
                    "files": c.files,
                    "members": c.members,
                }
                for c in contests
            ],
        }
        try:
            _write_private(tmp / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        except OSError as err:
            raise _cannot_write(out / MANIFEST, err) from None
        fsync_path(tmp)
        _swap(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return contests


def _cannot_write(path: Path, err: BaseException) -> ListsRefused:
    """A list that could not be written whole (a full disk, a file-size limit), named."""
    return ListsRefused(f"{CannotWrite(path, err)}; the lists there were not changed")


def _write_files(
    con: duckdb.DuckDBPyConnection,
    wave_id: str,
    endorsed: list[tuple[str, str]],
    folder: Path,
    out: Path,
) -> list[ContestLists]:
    con.register("endorsed_frame", pd.DataFrame(endorsed, columns=["race_id", "candidate_id"]))
    con.execute("CREATE OR REPLACE TEMP TABLE endorsed AS SELECT * FROM endorsed_frame")
    con.unregister("endorsed_frame")
    con.execute(sql_text("endorse_analysis.listtool", "lists"))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE list_rows AS SELECT * FROM member_lists(?)", [wave_id]
    )
    contests = []
    for race_id, candidate_id in endorsed:
        files, members = {}, {}
        for kind in LISTS:
            name = f"{safe_name(race_id)}.{kind}.csv"  # '.' never occurs in a safe name
            path = str(folder / name).replace("'", "''")
            try:
                members[kind] = con.execute(
                    f"COPY (SELECT DISTINCT user_id FROM list_rows WHERE race_id = $r "
                    f"AND list = $l ORDER BY user_id) TO '{path}' (FORMAT csv, HEADER)",
                    {"r": race_id, "l": kind},
                ).fetchone()[0]
                os.chmod(folder / name, FILE_MODE)
            except (OSError, duckdb.IOException) as err:
                raise _cannot_write(out / name, err) from None
            files[kind] = name
        contests.append(ContestLists(race_id, candidate_id, files, members))
    con.execute("DROP TABLE list_rows")
    return contests


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished folder at `out`; a folder of lists already there goes."""
    old = out.with_name(f".{out.name}{OLD_MARK}{os.getpid()}")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    fsync_path(out.parent)
    shutil.rmtree(old, ignore_errors=True)


def _is_lists_folder(folder: Path) -> bool:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("kind") == KIND
    except (OSError, ValueError, AttributeError):
        return False


def _is_rendered_wave(folder: Path) -> bool:
    try:
        return "reports" in json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False


def _check_destination(out: Path) -> None:
    """Refuse a folder that is not ours to replace, or that a report would publish."""
    resolved = out.resolve()
    if out.exists() and not out.is_dir():
        raise ListsRefused(f"{out} is a file, not a folder")
    if out.is_dir() and any(out.iterdir()) and not _is_lists_folder(out):
        raise ListsRefused(
            f"{out} already holds other files: the lists go into a new folder of their own"
        )
    parent = resolved.parent
    beside = [p for p in parent.iterdir() if p.is_dir()] if parent.is_dir() else []
    if any(_is_rendered_wave(p) for p in [resolved, *resolved.parents, *beside]):
        raise ListsRefused(
            f"{out} is in or beside rendered reports: member lists are never part of a report"
        )
