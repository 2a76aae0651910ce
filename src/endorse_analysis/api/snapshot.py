"""Open a loaded snapshot for reading, with the rule macros installed.

In: the path of a database written by `load` (and optionally an --as-of instant). Out: a
read-only DuckDB connection on which every rule macro and every API function works. With
an instant, temporary views shadow votes, members and rulings with what had happened
before it, and a temporary vote_counts holds those votes classified afresh: every rule
then applies unchanged, and every figure is provisional.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import duckdb

from endorse_analysis.ingest.parse import parse_timestamp, quiet_progress_bar
from endorse_analysis.ingest.schema import FORMAT_VERSION, stored_columns
from endorse_analysis.ingest.target import table_columns, written_by_this_tool
from endorse_analysis.rules.macros import install_macros, rules_digest
from endorse_analysis.version import __version__


class DatabaseError(Exception):
    """The database can't be used: missing, not a snapshot of this tool, or locked."""


def connect(
    db_path: str | os.PathLike,
    *,
    as_of: datetime | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    macros: bool = True,
    waves: Sequence[str] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open `db_path` read-only: a consistent snapshot even while a new load is swapped in.

    With `as_of` (naive UTC), every rule sees only what had happened before that instant:
    the votes cast, the members signed up, the opt-outs and the staff rulings made by then.
    The votes are classified afresh, those of `waves` only when given (a tally of one
    wave need not classify the others; BENCHMARKS.md has the cost); asking such a
    connection for another wave raises UnknownWave.
    Without `macros`, the rules are not installed: enough to read what the load recorded.
    A snapshot stores the rules it was loaded with; they are installed again only when
    this package's differ (rules.macros.rules_digest)."""
    path = Path(db_path)
    config: dict[str, object] = {}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = open_read_only(path, config)
    try:
        quiet_progress_bar(con)
        info = _check_format(con, path)
        if macros and info.get("rules") != rules_digest():  # else stored by its load
            install_macros(con)
        if as_of is not None:
            _as_of_views(con, as_of, waves)
    except BaseException:
        con.close()
        raise
    return con


def open_read_only(
    path: Path, config: dict[str, object] | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file at `path`, or a one-line DatabaseError."""
    if not path.is_file():
        raise DatabaseError(f"no database at {path}: load a folder first (endorse-analysis load)")
    try:
        return duckdb.connect(str(path), read_only=True, config=config or {})
    except duckdb.Error as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DatabaseError(f"{path} could not be opened as a DuckDB database ({first})") from None


def check_snapshot(path: Path) -> None:
    """Refuse, in one line, a file that is not a snapshot this version can read."""
    with open_read_only(path) as con:
        _check_format(con, path)


def _check_format(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """Refuse, in one line, a database that is not a snapshot of this format version, or
    lacks a table or column of it; else its record (snapshot_info)."""
    columns = table_columns(con)
    if not written_by_this_tool(con):
        raise DatabaseError(f"{path} is not an endorse-analysis snapshot (no snapshot record)")
    info = snapshot_info(con)
    built_by = info.get("package_version")
    built_by = f"version {built_by}" if built_by else "an earlier version"
    again = f"{path} was built by {built_by}; load the folder again with endorse-analysis load"
    found = info.get("format_version")
    if found != str(FORMAT_VERSION):
        raise DatabaseError(
            f"{again} (its snapshot format is {found or 'older'}, version {__version__} "
            f"reads format {FORMAT_VERSION})"
        )
    missing = [
        f"{table}.{column}" if any(t == table for t, _ in columns) else table
        for table, names in stored_columns().items()
        for column in names
        if (table, column) not in columns
    ]
    if missing:
        lacks = ", ".join(dict.fromkeys(missing))
        raise DatabaseError(f"{again} (it lacks {lacks})")
    return info


def _as_of_views(
    con: duckdb.DuckDBPyConnection, as_of: datetime, waves: Sequence[str] | None
) -> None:
    """Temporary views shadowing votes, members and rulings with what existed before
    `as_of`, and the votes (of `waves`, or of all) classified afresh; the waves counted are
    recorded in as_of_waves, which `api.tally.require_wave` checks. The instant is our own
    datetime, written as a literal because views take no parameters."""
    database = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    con.execute(
        "CREATE TEMP TABLE as_of_instant AS SELECT CAST(? AS TIMESTAMP) AS instant", [as_of]
    )
    instant = f"TIMESTAMP '{as_of.isoformat(sep=' ')}'"
    main = f'"{database}".main'
    con.execute(f"CREATE TEMP VIEW votes AS SELECT * FROM {main}.votes WHERE cast_at < {instant}")
    con.execute(
        f"CREATE TEMP VIEW members AS SELECT * REPLACE (CASE WHEN opted_out_at < {instant} "
        f"THEN opted_out_at END AS opted_out_at) FROM {main}.members "
        f"WHERE signed_up_at < {instant}"
    )
    con.execute(
        f"CREATE TEMP VIEW rulings AS SELECT * FROM {main}.rulings WHERE decided_at < {instant}"
    )
    if waves is None:
        con.execute("CREATE TEMP TABLE vote_counts AS SELECT * FROM classified_vote_counts(NULL)")
        return
    con.execute("CREATE TEMP TABLE as_of_waves (wave_id VARCHAR)")
    con.execute(f"CREATE TEMP TABLE vote_counts AS FROM {main}.vote_counts LIMIT 0")
    for wave in sorted(set(waves)):  # one wave at a time: its votes only are joined
        con.execute("INSERT INTO as_of_waves VALUES (?)", [wave])
        con.execute("INSERT INTO vote_counts SELECT * FROM classified_vote_counts(?)", [wave])


def as_of_instant(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The instant a provisional (--as-of) connection sees up to; None for the full data."""
    if not has_temp_table(con, "as_of_instant"):
        return None
    return con.execute("SELECT instant FROM as_of_instant").fetchone()[0]


def has_temp_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether this connection holds the temporary table `name` (an --as-of connection's
    marks: as_of_instant, as_of_waves)."""
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [name]
        ).fetchone()[0]
    )


def parse_as_of(con: duckdb.DuckDBPyConnection, text: str) -> datetime:
    """An --as-of text read like the files' timestamps, in the snapshot's time zone."""
    return parse_timestamp(text, snapshot_info(con).get("timezone", "UTC"))


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the load recorded: format version, input fingerprint, time zone, when, which
    package version, and the snapshot's id."""
    return dict(con.execute("SELECT key, value FROM snapshot").fetchall())
