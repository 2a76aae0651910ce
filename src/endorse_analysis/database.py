"""Open a loaded snapshot for reading, with the rule macros installed."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb

from endorse_analysis.rules import install_macros


class DatabaseError(Exception):
    """The database can't be used: missing, not a snapshot of this tool, or locked."""


def connect(
    db_path: str | os.PathLike,
    *,
    as_of: datetime | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open `db_path` read-only: a consistent snapshot even while a new load is swapped in.

    With `as_of` (naive UTC), every rule sees only what had happened before that instant:
    the votes cast, the members signed up, and the opt-outs made by then (provisional)."""
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
        raise DatabaseError(f"{path} could not be opened as a DuckDB database ({err})") from None
    quiet_progress_bar(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "snapshot" not in tables:
        con.close()
        raise DatabaseError(f"{path} is not an endorse-analysis snapshot (no snapshot table)")
    if as_of is not None:
        _as_of_views(con, as_of)
    install_macros(con)
    return con


def _as_of_views(con: duckdb.DuckDBPyConnection, as_of: datetime) -> None:
    """Temporary views that shadow votes and members with what existed before `as_of`.
    The instant is our own datetime, written as a literal (views take no parameters)."""
    database = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    con.execute(
        "CREATE TEMP TABLE as_of_instant AS SELECT CAST(? AS TIMESTAMP) AS instant", [as_of]
    )
    instant = f"TIMESTAMP '{as_of.isoformat(sep=' ')}'"
    con.execute(
        f'CREATE TEMP VIEW votes AS SELECT * FROM "{database}".main.votes WHERE cast_at < {instant}'
    )
    con.execute(
        f"CREATE TEMP VIEW members AS SELECT * REPLACE (CASE WHEN opted_out_at < {instant} "
        f'THEN opted_out_at END AS opted_out_at) FROM "{database}".main.members '
        f"WHERE signed_up_at < {instant}"
    )


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
    from endorse_analysis.load import parse_timestamp

    return parse_timestamp(text, snapshot_info(con).get("timezone", "UTC"))


def quiet_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar in our output. Inside a Jupyter kernel DuckDB refuses the setting
    unless ipywidgets is installed; there the bar is not drawn on stdout anyway."""
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the load recorded: fingerprint of the input, when, which package version."""
    return dict(con.execute("SELECT key, value FROM snapshot").fetchall())


def wave_exists(con: duckdb.DuckDBPyConnection, wave_id: str) -> bool:
    return con.execute("SELECT count(*) FROM waves WHERE wave_id = ?", [wave_id]).fetchone()[0] > 0
