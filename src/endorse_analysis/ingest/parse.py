"""The value parsers of docs/rules.md §2 on a DuckDB connection, and a single timestamp read
the same way (for --as-of).

In: a connection (and, for one value, its text and the load's time zone). Out: the parser
macros of sql/parse_macros.sql with the reference states as a temporary table, or the
instant as naive UTC.
"""

from __future__ import annotations

import functools
from datetime import datetime

import duckdb

from endorse_analysis.ingest import schema
from endorse_analysis.ingest.reference import states_frame
from endorse_analysis.sqlfiles import sql_text


def quiet_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bar in our output. Inside a Jupyter kernel DuckDB refuses the setting
    unless ipywidgets is installed; there the bar is not drawn on stdout anyway."""
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.Error:
        pass


@functools.cache
def check_timezone(name: str) -> str:
    """An IANA time zone name as DuckDB knows it, or a clear error."""
    with duckdb.connect() as con:
        known = con.execute(
            "SELECT name FROM pg_timezone_names() WHERE lower(name) = lower(?)", [name]
        ).fetchone()
    if known is None or "'" in known[0]:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as America/New_York")
    return known[0]


def install_parsers(con: duckdb.DuckDBPyConnection) -> None:
    """The reference states and the value parsers, as temporary tables and macros.
    (A parse stays a pure projection, no join, so that rowid i remains record i.)"""
    states = states_frame()
    con.register("states_frame", states)
    con.execute("CREATE TEMP TABLE ref_states AS SELECT * FROM states_frame")
    con.unregister("states_frame")
    con.execute(sql_text("endorse_analysis.ingest", "parse_macros"))


def timestamp_parser(timezone: str) -> str:
    """The parser macro for timestamps read in `timezone`: in any zone but UTC, a local
    time the zone skips or passes twice is refused (sql/parse_macros.sql)."""
    return "parse_ts" if timezone == "UTC" else "parse_local_ts"


def timestamp_trouble(con: duckdb.DuckDBPyConnection, text: str) -> str | None:
    """Why `text`, shaped like a timestamp, names no instant this tool reads, in words
    (the connection's zone is the one it was read in); None when the shape is wrong."""
    trouble, zone = con.execute(
        "SELECT ts_trouble(clean(?)), current_setting('TimeZone')", [text]
    ).fetchone()
    return {
        None: None,
        "years": "is outside the years 0001 to 9999 (in UTC)",
        "skipped": f"is a local time that {zone} skips (its clocks go forward); "
        "add the offset it means, such as -05:00",
        "twice": f"is a local time that happens twice in {zone} (its clocks go back); "
        "add the offset it means, such as -04:00 or -05:00",
    }[trouble]


def parse_timestamp(text: str, timezone: str = "UTC") -> datetime:
    """Read one timestamp as the loader reads the files' (docs/rules.md §2), as naive UTC."""
    timezone = check_timezone(timezone)
    with duckdb.connect() as con:
        quiet_progress_bar(con)
        con.execute(f"SET TimeZone = '{timezone}'")
        install_parsers(con)
        value = con.execute(f"SELECT {timestamp_parser(timezone)}(clean(?))", [text]).fetchone()[0]
        trouble = timestamp_trouble(con, text) if value is None else None
    if trouble:
        raise ValueError(f"{text!r} {trouble}")
    if value is None:
        raise ValueError(f"{text!r} is not a timestamp: {schema.EXPECTED[schema.TIMESTAMP]}")
    return value
