"""Load a folder of the eight CSV files into a new DuckDB snapshot, all or nothing.

The new database is built beside the old one under a temporary name, checked, closed and
only then renamed over it: a refused, failed or killed load leaves the old file exactly
as it was, and a reader never sees half a load (contract §2).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from endorse_analysis import schema
from endorse_analysis.csvfile import CsvTable, read_csv_table
from endorse_analysis.problems import LoadRefused, Problem
from endorse_analysis.reference import states_frame
from endorse_analysis.sqlfiles import sql
from endorse_analysis.version import __version__

TMP_MARK = ".tmp-"
LOAD_MEMORY_LIMIT = "3GB"
PROBLEMS_PER_CHECK = 100  # enough to show; the count of the rest is still exact
MEMBER_WARNING_LINES = 5


@dataclass
class LoadResult:
    """What a load stored: rows per table, votes by status, and what it dropped or warned."""

    rows: dict[str, int]
    statuses: dict[str, int]
    dropped: dict[str, list[str]]
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""

    def summary(self) -> str:
        tables = ", ".join(f"{n} {self.rows[n]:,}" for n in self.rows)
        statuses = ", ".join(f"{s} {self.statuses.get(s, 0):,}" for s in schema.STATUSES)
        return f"loaded {tables}; votes by status: {statuses}"


def load_folder(folder: Path, db_path: Path) -> LoadResult:
    """Validate `folder` and replace `db_path` with its contents, or raise LoadRefused."""
    folder, db_path = Path(folder), Path(db_path)
    if not folder.is_dir():
        raise LoadRefused([Problem(str(folder), None, None, None, "is not a folder")])
    db_path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temporaries(db_path)
    stem = f"{db_path.name}{TMP_MARK}{os.getpid()}"
    tmp_db = db_path.with_name(stem)
    scratch = Path(tempfile.mkdtemp(prefix=f"{stem}-", dir=db_path.parent))
    try:
        result = _build(folder, tmp_db, scratch)
        _fsync(tmp_db)
        os.replace(tmp_db, db_path)
        _fsync(db_path.parent)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for leftover in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
            leftover.unlink(missing_ok=True)


def clean_stale_temporaries(db_path: Path) -> None:
    """Remove what a killed load left beside `db_path` (its process is gone)."""
    pattern = re.compile(re.escape(db_path.name + TMP_MARK) + r"(\d+)")
    for entry in db_path.parent.glob(glob_escape(db_path.name) + TMP_MARK + "*"):
        match = pattern.match(entry.name)
        if match and not _alive(int(match.group(1))):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def fingerprint_files(folder: Path) -> str:
    """SHA-256 over the eight files' names and bytes: which data a report was made from."""
    digest = hashlib.sha256()
    for spec in schema.INPUT_FILES:
        digest.update(spec.filename.encode() + b"\0")
        with (folder / spec.filename).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


# --- building the new database ------------------------------------------------------


def _build(folder: Path, tmp_db: Path, scratch: Path) -> LoadResult:
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(
        str(tmp_db),
        config={
            "threads": 2,
            "memory_limit": LOAD_MEMORY_LIMIT,
            "temp_directory": str(scratch / "spill"),
            "preserve_insertion_order": True,
        },
    )
    try:
        con.execute(sql("parse_macros"))
        con.register("states_frame", states_frame())
        con.execute("CREATE TABLE states AS SELECT * FROM states_frame")
        con.unregister("states_frame")

        problems: list[Problem] = []
        staged: dict[str, _Staged] = {}
        dropped: dict[str, list[str]] = {}
        for spec in schema.INPUT_FILES:
            path = folder / spec.filename
            if not path.is_file():
                problems.append(Problem(spec.filename, None, None, None, "is missing"))
                continue
            table, file_problems = read_csv_table(con, path, f"raw_{spec.table}", scratch)
            problems.extend(file_problems)
            if table is None:
                continue
            positions, header_problems, extra = _match_header(spec, table.header)
            if header_problems:
                problems.extend(header_problems)
                continue
            if extra:
                dropped[spec.table] = extra
            problems.extend(_parse(con, spec, table, positions))
            staged[spec.table] = _Staged(spec, table, positions)

        problems.extend(_semantic_problems(con, staged))
        if problems:
            raise LoadRefused(sorted(problems, key=_problem_order))

        warnings = _member_warnings(con, staged["members"].table)
        for spec in schema.INPUT_FILES:
            con.execute(f"DROP TABLE raw_{spec.table}")
            con.execute(f"CREATE TABLE {spec.table} AS SELECT * EXCLUDE (_row) FROM t_{spec.table}")
            con.execute(f"DROP TABLE t_{spec.table}")
        fingerprint = fingerprint_files(folder)
        _write_snapshot(con, fingerprint, dropped)

        from endorse_analysis.rules import status_counts

        statuses = status_counts(con)
        rows = {
            spec.table: con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
            for spec in schema.INPUT_FILES
        }
        con.execute("CHECKPOINT")
        return LoadResult(rows, statuses, dropped, warnings, fingerprint)
    finally:
        con.close()


@dataclass
class _Staged:
    """A file read and parsed: t_<table> holds typed values, raw_<table> the text."""

    spec: schema.InputFile
    table: CsvTable
    positions: dict[str, int]

    def raw_value(self, con: duckdb.DuckDBPyConnection, row: int, columns: list[str]) -> str | None:
        """The text (trimmed) a file had at `row` in `columns`, joined by '/'."""
        picks = [f"clean(c{self.positions[c]})" for c in columns if c in self.positions]
        if not picks:
            return None
        values = con.execute(
            f"SELECT {', '.join(picks)} FROM {self.table.name} WHERE rowid = ?", [row]
        ).fetchone()
        return "/".join("" if v is None else v for v in values)


def _problem_order(problem: Problem) -> tuple:
    files = [spec.filename for spec in schema.INPUT_FILES]
    rank = files.index(problem.file) if problem.file in files else len(files)
    return (rank, problem.line is None, problem.line or 0, problem.column or "")


def _match_header(
    spec: schema.InputFile, header: list[str]
) -> tuple[dict[str, int], list[Problem], list[str]]:
    """Map each known column to its position; report missing and repeated columns."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = name.lower()
        if key in seen:
            problems.append(
                Problem(
                    spec.filename, 1, name, None,
                    f"is named twice (columns {seen[key] + 1} and {i + 1})",
                )
            )
        else:
            seen[key] = i
    for column in spec.columns:
        if column.required and column.name not in seen:
            problems.append(
                Problem(spec.filename, 1, column.name, None, "is a required column and is missing")
            )
    known = {c.name for c in spec.columns}
    extra = [header[i] for n, i in seen.items() if n not in known]
    positions = {c.name: seen[c.name] for c in spec.columns if c.name in seen}
    return positions, problems, extra


def _parsed_expression(column: schema.Column, raw: str) -> tuple[str, str]:
    """SQL for a column's typed value and for 'this value is acceptable'.

    `raw` is SQL naming the cleaned text (trimmed, NULL when empty). Only names from the
    schema reach this SQL, never a value from the data.
    """
    if column.kind == schema.BOOLEAN:  # empty is false (contract §2)
        return f"coalesce(parse_bool({raw}), false)", f"({raw} IS NULL OR parse_bool({raw}) IS NOT NULL)"
    if column.kind == schema.INTEGER:
        value = f"parse_int({raw})"
    elif column.kind == schema.TIMESTAMP:
        value = f"ts_from_parts(ts_parts({raw}))"
    elif column.kind == schema.STATE:
        value = f"upper({raw})"
    elif column.choices:
        options = ", ".join(f"'{c}'" for c in column.choices)
        value = f"CASE WHEN lower({raw}) IN ({options}) THEN lower({raw}) END"
    else:
        value = raw
    empty_ok = "false" if column.required else "true"
    return value, f"(CASE WHEN {raw} IS NULL THEN {empty_ok} ELSE {value} IS NOT NULL END)"


def _expected(column: schema.Column) -> str:
    if column.choices:
        return "one of " + ", ".join(column.choices)
    return schema.EXPECTED[column.kind]


def _parse(
    con: duckdb.DuckDBPyConnection,
    spec: schema.InputFile,
    table: CsvTable,
    positions: dict[str, int],
) -> list[Problem]:
    """Create t_<table> with typed columns; return a problem per value that does not parse."""
    selects, checks = ["rowid AS _row"], []
    for column in spec.columns:
        if column.name in positions:
            value, ok = _parsed_expression(column, f"clean(c{positions[column.name]})")
            checks.append((column, f"_ok_{column.name}", ok))
        else:
            value = "false" if column.kind == schema.BOOLEAN else "NULL"
        selects.append(f"CAST({value} AS {column.sql_type}) AS {column.name}")
    selects += [f"{ok} AS {name}" for _, name, ok in checks]
    con.execute(f"CREATE TEMP TABLE t_{spec.table} AS SELECT {', '.join(selects)} FROM {table.name}")
    problems: list[Problem] = []
    for column, ok_name, _ in checks:
        position = positions[column.name]
        query = (
            f"SELECT t._row, clean(r.c{position}) FROM t_{spec.table} t "
            f"JOIN {table.name} r ON r.rowid = t._row WHERE NOT t.{ok_name} ORDER BY t._row"
        )
        total = con.execute(f"SELECT count(*) FROM t_{spec.table} WHERE NOT {ok_name}").fetchone()[0]
        if total == 0:
            continue
        for row, value in con.execute(query).fetchmany(PROBLEMS_PER_CHECK):
            verdict = "is empty" if value is None else "is not valid"
            problems.append(
                Problem(spec.filename, table.line(row), column.name, value,
                        f"{verdict}; expected {_expected(column)}")
            )
        problems.extend(_omitted(spec.filename, column.name, total - PROBLEMS_PER_CHECK))
    for _, ok_name, _ in checks:
        con.execute(f"ALTER TABLE t_{spec.table} DROP COLUMN {ok_name}")
    return problems


def _omitted(file: str, column: str | None, count: int) -> list[Problem]:
    """One line standing for the `count` problems of a check beyond those listed."""
    if count <= 0:
        return []
    return [Problem(file, None, column, None, f"… and {count:,} more like these", count=count)]


@dataclass(frozen=True)
class _Check:
    """A rule between values. `query` returns (_row, columns, message, other_row) per
    offending row; `{line}` in the message stands for the line of other_row."""

    table: str
    needs: tuple[str, ...]
    query: str


def _key_check(spec: schema.InputFile) -> _Check:
    key = ", ".join(spec.key)
    return _Check(
        spec.table,
        (spec.table,),
        f"SELECT _row, '{','.join(spec.key)}', 'repeats the {' and '.join(spec.key)} of line {{line}}', "
        f"first_row FROM (SELECT _row, row_number() OVER w AS n, first_value(_row) OVER w "
        f"AS first_row FROM t_{spec.table} WHERE {' AND '.join(k + ' IS NOT NULL' for k in spec.key)} "
        f"WINDOW w AS (PARTITION BY {key} ORDER BY _row)) WHERE n > 1 ORDER BY _row",
    )


def _reference_check(spec: schema.InputFile, column: str, other: str, other_column: str) -> _Check:
    return _Check(
        spec.table,
        (spec.table, other),
        f"SELECT _row, '{column}', 'does not match any {other_column} in {other}.csv', NULL "
        f"FROM t_{spec.table} WHERE {column} IS NOT NULL AND {column} NOT IN "
        f"(SELECT {other_column} FROM t_{other} WHERE {other_column} IS NOT NULL) ORDER BY _row",
    )


SEMANTIC_CHECKS: list[_Check] = [
    *(_key_check(spec) for spec in schema.INPUT_FILES),
    *(_reference_check(spec, *ref) for spec in schema.INPUT_FILES for ref in spec.references),
    *(
        _Check(table, (table,), sql(f"checks/{table}"))
        for table in ("waves", "races", "groups", "candidates", "vetting", "votes")
    ),
]


def _semantic_problems(con: duckdb.DuckDBPyConnection, staged: dict[str, _Staged]) -> list[Problem]:
    """Keys, references and the rules that tie values together (contract §2, 'Precisely')."""
    problems: list[Problem] = []
    for check in SEMANTIC_CHECKS:
        if not all(t in staged for t in check.needs):
            continue
        source = staged[check.table]
        rows = con.execute(check.query).fetchall()
        for row, columns, message, other_row in rows[:PROBLEMS_PER_CHECK]:
            names = columns.split(",")
            if other_row is not None:
                message = message.replace("{line}", str(source.table.line(other_row)))
            value = source.raw_value(con, row, names)
            problems.append(
                Problem(source.spec.filename, source.table.line(row), names[0], value, message)
            )
        problems.extend(_omitted(source.spec.filename, None, len(rows) - PROBLEMS_PER_CHECK))
    return problems


def _member_warnings(con: duckdb.DuckDBPyConnection, members: CsvTable) -> list[str]:
    """Place members in states and districts; say how many could not be placed (kept)."""
    con.execute(sql("normalize_members"))
    warnings = []
    for what, condition in (
        ("a state that is not one of the 50 states and DC (in no jurisdiction)", "bad_state"),
        ("a district that does not exist in their state (district unknown)", "bad_district"),
    ):
        rows = [
            r[0]
            for r in con.execute(
                f"SELECT _row FROM member_geography WHERE {condition} ORDER BY _row"
            ).fetchall()
        ]
        if rows:
            lines = ", ".join(str(members.line(r)) for r in rows[:MEMBER_WARNING_LINES])
            more = ", …" if len(rows) > MEMBER_WARNING_LINES else ""
            warnings.append(f"members.csv: {len(rows):,} member(s) with {what}: lines {lines}{more}")
    con.execute("DROP TABLE member_geography")
    return warnings


def _write_snapshot(
    con: duckdb.DuckDBPyConnection, fingerprint: str, dropped: dict[str, list[str]]
) -> None:
    entries = {
        "fingerprint": fingerprint,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": __version__,
        "dropped_columns": "; ".join(f"{t}: {', '.join(cols)}" for t, cols in dropped.items()),
    }
    con.execute("CREATE TABLE snapshot (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO snapshot VALUES (?, ?)", list(entries.items()))
