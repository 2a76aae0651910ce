"""A list tool's members and votes, staged by its reader, written as the contract's
members.csv and votes.csv (docs/rules.md §2), or refused with every problem named.

In: a DuckDB connection holding `src_members` and `src_votes` (one row per member and per
response, `record` saying where each came from), the program's pages, and the folder to
write. Out: the two files, each written whole (a refused or failed import leaves the
folder's old files as they were), and what was written. The rules of the mapping live in
sql/contract.sql, once for every list tool; the other six input files come from staff's
own sheets, never from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.files import CannotWrite, fsync_path, write_atomic
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.listtool.config import ProgramConfig
from endorse_analysis.sqlfiles import sql_text
from endorse_analysis.vocabulary import MEMBER_DISTRICTS_FILE, ZIP_DISTRICTS

OUTPUT_FILES = ("members.csv", "votes.csv")
STAFF_FILES = (
    "waves.csv",
    "races.csv",
    "candidates.csv",
    "groups.csv",
    "endorsements.csv",
    "vetting.csv",
)
PROBLEMS_PER_CHECK = 100  # enough to show; the count of the rest is still exact


@dataclass(frozen=True)
class Origin:
    """Where staged rows came from, to name them in a problem: a file (or table), how a
    record is named (a line, or an id), and the source's own name of each column."""

    members: str
    votes: str
    unit: str = "line"
    place: Callable[[str, int], int] = lambda table, record: record
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # per file or table
    unique_ids: bool = False  # the source's keys rule out a repeated member or vote id


@dataclass
class ImportResult:
    """What an import wrote, and what it noticed but kept."""

    folder: Path
    members: int
    votes: int
    warnings: list[str]
    notes: list[str] = field(default_factory=list)  # how the source's data was read

    def summary(self) -> str:
        """What was written, after how the source's data was read (one line each)."""
        wrote = (
            f"wrote members.csv ({self.members:,} members) and votes.csv ({self.votes:,} votes) "
            f"into {self.folder}; the other six files ({', '.join(STAFF_FILES)}) come from "
            "staff's own sheets"
        )
        return "\n".join([*self.notes, wrote])


def register_pages(con: duckdb.DuckDBPyConnection, config: ProgramConfig) -> None:
    """The program's pages and answers as the tables `pages` and `page_answers`."""
    pages = pd.DataFrame(
        [(p.key, p.wave_id, p.race_id, p.method, p.separator) for p in config.pages],
        columns=["page", "wave_id", "race_id", "method", "separator"],
    )
    answers = pd.DataFrame(
        [(p.key, answer, choice) for p in config.pages for answer, choice in p.answers.items()],
        columns=["page", "answer", "choice"],
    )
    for name, frame in (("pages", pages), ("page_answers", answers)):
        con.register(f"{name}_frame", frame)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_frame")
        con.unregister(f"{name}_frame")


def write_contract_files(
    con: duckdb.DuckDBPyConnection,
    origin: Origin,
    out: Path,
    warnings: list[str],
    release: Callable[[], None] = lambda: None,
    districts_from_zip: bool = False,
) -> ImportResult:
    """Check the staged rows and write members.csv and votes.csv into `out`, or raise
    LoadRefused naming every problem (nothing is written then). `release` frees what the
    staged views read, once they have been read. With `districts_from_zip`, a note beside
    members.csv says the districts came from ZIP codes, so the snapshot and pages say so."""
    con.execute(sql_text("endorse_analysis.listtool", "contract"))
    release()  # the source's rows are in members_out and votes_out now: free them
    problems = _problems(con, "member_problems", origin.members, origin)
    problems += _problems(con, "vote_problems", origin.votes, origin)
    if problems:
        raise LoadRefused(problems)
    warnings += count_warning(
        con,
        "SELECT count(*) FROM members_out WHERE district_given AND district IS NULL",
        "member(s) with a district that is not of their state or cannot be read: written "
        "with an empty district (unknown)",
    )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    temporaries = []
    try:
        # A temporary table is read in the order it was written: the members' order.
        selects = (
            "SELECT * FROM contract_members()",
            "SELECT * FROM contract_votes()",
        )
        for name, select in zip(OUTPUT_FILES, selects, strict=True):
            tmp = out / f".{name}.tmp-{os.getpid()}"
            temporaries.append((tmp, out / name))
            path = str(tmp).replace("'", "''")
            try:
                written[name] = con.execute(
                    f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER)"
                ).fetchone()[0]
            except (OSError, duckdb.IOException) as err:
                raise CannotWrite(out / name, err) from None
        for tmp, final in temporaries:
            fsync_path(tmp)
            os.replace(tmp, final)
        _note_districts(out, districts_from_zip)
        fsync_path(out)
    finally:
        for tmp, _ in temporaries:
            tmp.unlink(missing_ok=True)
    return ImportResult(out, written["members.csv"], written["votes.csv"], warnings)


def _note_districts(out: Path, from_zip: bool) -> None:
    """The note beside members.csv that its districts came from ZIP codes; none else."""
    note = out / MEMBER_DISTRICTS_FILE
    if not from_zip:
        note.unlink(missing_ok=True)
        return
    try:
        write_atomic(note, ZIP_DISTRICTS + "\n")
    except OSError as err:
        raise CannotWrite(note, err) from None


def count_warning(con: duckdb.DuckDBPyConnection, query: str, text: str) -> list[str]:
    """A warning of what was kept: `text` after the count `query` gives, unless it is 0."""
    count = con.execute(query).fetchone()[0]
    return [f"{count:,} {text}"] if count else []


def _problems(
    con: duckdb.DuckDBPyConnection, macro: str, table: str, origin: Origin
) -> list[Problem]:
    rows = con.execute(
        f"SELECT * FROM {macro}(?) ORDER BY record, col", [not origin.unique_ids]
    ).fetchall()
    problems = [
        Problem(
            table,
            origin.place(table, record),
            origin.columns.get(table, {}).get(column, column),
            value,
            message,
            unit=origin.unit,
        )
        for record, column, value, message in rows[:PROBLEMS_PER_CHECK]
    ]
    more = len(rows) - PROBLEMS_PER_CHECK
    if more > 0:
        problems.append(Problem(table, None, None, None, f"… and {more:,} more", count=more))
    return problems
