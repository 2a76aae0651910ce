"""Open a loaded snapshot for reading, with the rule macros installed.

In: the path of a database written by `load` (and optionally an --as-of instant). Out: a
read-only DuckDB connection on which every rule macro and every API function works. With
an instant, temporary views shadow votes, members and rulings with what had happened
before it, and a temporary vote_counts holds those votes classified afresh: every rule
then applies unchanged, and every figure is provisional.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from endorse_analysis.ingest.parse import parse_timestamp, quiet_progress_bar
from endorse_analysis.ingest.schema import FORMAT_VERSION, INPUT_FILES, SNAPSHOT_TABLES
from endorse_analysis.rules.macros import install_macros


class DatabaseError(Exception):
    """The database can't be used: missing, not a snapshot of this tool, or locked."""


def connect(
    db_path: str | os.PathLike,
    *,
    as_of: datetime | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
    macros: bool = True,
) -> duckdb.DuckDBPyConnection:
    """Open `db_path` read-only: a consistent snapshot even while a new load is swapped in.

    With `as_of` (naive UTC), every rule sees only what had happened before that instant:
    the votes cast, the members signed up, the opt-outs and the staff rulings made by then.
    Without `macros`, the rules are not installed: enough to read what the load recorded."""
    path = Path(db_path)
    if not path.is_file():
        raise DatabaseError(f"no database at {path}: load a folder first (endorse-analysis load)")
    config: dict[str, object] = {}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DatabaseError(f"{path} could not be opened as a DuckDB database ({first})") from None
    try:
        quiet_progress_bar(con)
        _check_format(con, path)
        if macros:
            install_macros(con)
        if as_of is not None:
            _as_of_views(con, as_of)
    except BaseException:
        con.close()
        raise
    return con


def _check_format(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse, in one line, a database that is not a snapshot of this format version."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "snapshot" not in tables:
        raise DatabaseError(f"{path} is not an endorse-analysis snapshot (no snapshot table)")
    info = snapshot_info(con)
    if info.get("format_version") != str(FORMAT_VERSION):
        built_by = info.get("package_version", "an earlier version")
        raise DatabaseError(
            f"{path} was built by version {built_by} in another format; "
            "load the folder again (endorse-analysis load)"
        )
    needed = {spec.table for spec in INPUT_FILES} | set(SNAPSHOT_TABLES)
    if needed - tables:
        missing = ", ".join(sorted(needed - tables))
        raise DatabaseError(f"{path} is an incomplete snapshot (no {missing}); load it again")


def _as_of_views(con: duckdb.DuckDBPyConnection, as_of: datetime) -> None:
    """Temporary views shadowing votes, members and rulings with what existed before
    `as_of`, and the votes classified afresh. The instant is our own datetime, written as
    a literal because views take no parameters."""
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
    con.execute("CREATE TEMP TABLE vote_counts AS SELECT * FROM classified_vote_counts()")


def as_of_instant(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The instant a provisional (--as-of) connection sees up to; None for the full data."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'as_of_instant'"
    ).fetchone()[0]
    if not found:
        return None
    return con.execute("SELECT instant FROM as_of_instant").fetchone()[0]


def parse_as_of(con: duckdb.DuckDBPyConnection, text: str) -> datetime:
    """An --as-of text read like the files' timestamps, in the snapshot's time zone."""
    return parse_timestamp(text, snapshot_info(con).get("timezone", "UTC"))


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the load recorded: format version, input fingerprint, time zone, when, which
    package version, and the snapshot's id."""
    return dict(con.execute("SELECT key, value FROM snapshot").fetchall())
