"""A program's members and votes as an ActionKit reporting database would hold them.

In: a folder of the contract's CSV files (the demo's, or any loadable program). Out: one
CSV file per ActionKit table (for MySQL's LOAD DATA, `load_statement`), the tables'
schema (sql/actionkit_schema.sql, keys in sql/actionkit_keys.sql) and the program.toml
that maps the ballot pages back to contests. Importing those tables must give back the
program's tallies: the tests' and the benchmark's round trip.

Users are numbered in the member list's order; a vote's member that is not on the list
is a deleted user (no core_user row). What else the import must see through is listed at
the top of sql/actionkit_tables.sql.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from endorse_analysis.ingest.parse import install_parsers, quiet_progress_bar
from endorse_analysis.sqlfiles import sql_text

CHOICE_FIELD = "endorse_choice"
GEOFIELD = "us_district_redistrict2026"
# The columns each table's file fills, in the file's order.
TABLES: dict[str, tuple[str, ...]] = {
    "core_user": ("id", "created_at", "updated_at", "email", "subscription_status", "state"),
    "core_location": ("created_at", "updated_at", "user_id", "us_district"),
    "core_usergeofield": ("created_at", "updated_at", "user_id", "name", "value"),
    "core_subscriptionhistory": ("created_at", "updated_at", "user_id", "list_id", "change_id"),
    "core_page": ("id", "created_at", "updated_at", "title", "name"),
    "core_action": ("id", "created_at", "updated_at", "user_id", "page_id", "status"),
    "core_actionfield": ("parent_id", "name", "value"),
}
TIMES = {"created_at", "updated_at"}


@dataclass(frozen=True)
class ActionKitFiles:
    """The tables' files (table -> path) and the program.toml mapping their pages."""

    tables: dict[str, Path]
    config: Path


def schema_sql() -> str:
    return sql_text("endorse_analysis.synthetic", "actionkit_schema")


def keys_sql() -> str:
    return sql_text("endorse_analysis.synthetic", "actionkit_keys")


def load_statement(table: str, path: Path) -> str:
    """The LOAD DATA LOCAL INFILE statement that reads `path` into `table` (MySQL)."""
    target = str(path).replace("\\", "\\\\").replace("'", "\\'")
    columns = ", ".join(TABLES[table])
    return (
        f"LOAD DATA LOCAL INFILE '{target}' INTO TABLE {table} CHARACTER SET utf8mb4 "
        "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' "
        f"LINES TERMINATED BY '\\n' ({columns})"
    )


def write_actionkit(program: Path, out: Path) -> ActionKitFiles:
    """Write the ActionKit tables of the program in `program` into `out`, with the
    program.toml that maps them back."""
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(config={"threads": 2, "preserve_insertion_order": True}) as con:
        quiet_progress_bar(con)
        con.execute("SET TimeZone = 'UTC'")
        install_parsers(con)
        for name in ("members", "votes", "candidates"):
            con.execute(
                f"CREATE TEMP TABLE csv_{name} AS SELECT * FROM "  # noqa: S608 (our names)
                "read_csv(?, header = true, all_varchar = true, auto_detect = true)",
                [str(Path(program) / f"{name}.csv")],
            )
        con.execute(sql_text("endorse_analysis.synthetic", "actionkit_tables"))
        tables = {}
        for table, columns in TABLES.items():
            picks = ", ".join(
                f"strftime({c}, '%Y-%m-%d %H:%M:%S') AS {c}" if c in TIMES else c for c in columns
            )
            path = out / f"{table}.csv"
            target = str(path).replace("'", "''")
            source = "ak_" + table.removeprefix("core_")
            con.execute(
                f"COPY (SELECT {picks} FROM {source}) TO '{target}' "  # noqa: S608 (our names)
                "(FORMAT csv, HEADER false, QUOTE '\"', ESCAPE '\"', FORCE_QUOTE *)"
            )
            tables[table] = path
        config = out / "program.toml"
        config.write_text(_program_toml(con), encoding="utf-8")
    return ActionKitFiles(tables, config)


def _program_toml(con: duckdb.DuckDBPyConnection) -> str:
    pages = con.execute(
        "SELECT p.id, 'ballot-' || lpad(CAST(p.id AS VARCHAR), 6, '0'), p.wave_id, p.race_id "
        "FROM ak_ballot_pages p ORDER BY p.id"
    ).fetchall()
    answers: dict[int, list[tuple[str, str]]] = {}
    for page_id, answer, choice in con.execute(
        "SELECT page_id, answer, choice FROM ak_answers ORDER BY page_id, answer"
    ).fetchall():
        answers.setdefault(page_id, []).append((answer, choice))
    lines = [
        "# The ballot pages of a program derived for ActionKit (synthetic/actionkit.py).",
        "[answers]",
        f"{toml_string('No endorsement')} = {toml_string('NO_ENDORSEMENT')}",
        "",
        "[actionkit]",
        f"choice_field = {toml_string(CHOICE_FIELD)}",
        f"district_geofield = {toml_string(GEOFIELD)}",
        'timezone = "UTC"',
    ]
    for page_id, name, wave, race in pages:
        mapped = ", ".join(f"{toml_string(a)} = {toml_string(c)}" for a, c in answers[page_id])
        lines += [
            "",
            "[[pages]]",
            f"page = {toml_string(name)}",
            f"wave = {toml_string(wave)}",
            f"race = {toml_string(race)}",
            f"answers = {{ {mapped} }}",
        ]
    return "\n".join(lines) + "\n"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: JSON's escapes are TOML's, but for DEL."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")
