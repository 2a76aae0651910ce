"""Load a folder of the input CSV files into a new DuckDB snapshot, all or nothing.

In: a folder (docs/rules.md §2) and the path of the database to replace. Out: the new snapshot
(tables of the files, the reference states, the classified vote counts and the snapshot's
own record), or `LoadRefused` naming every problem. The new database is built beside the
old one under a temporary name, checked, closed and only then renamed over it: a refused,
failed or killed load leaves the old file exactly as it was, and a reader never sees half
a load. Which paths a load may replace, and its lock, are `target.py`'s.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from endorse_analysis.files import fsync_path
from endorse_analysis.ingest import schema
from endorse_analysis.ingest.csvfile import CsvSource, scan_csv
from endorse_analysis.ingest.parse import (
    check_timezone,
    install_parsers,
    quiet_progress_bar,
    timestamp_parser,
    timestamp_trouble,
)
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.ingest.reference import write_reference_tables
from endorse_analysis.ingest.resources import Resources, load_resources
from endorse_analysis.ingest.target import claimed, settle_wal, temporary_prefix
from endorse_analysis.rules.macros import (
    CLASSIFYING_MACROS,
    install_macros,
    rules_digest,
    store_macros,
)
from endorse_analysis.sqlfiles import sql_text
from endorse_analysis.version import __version__
from endorse_analysis.vocabulary import MEMBER_DISTRICTS_FILE, STATUSES, ZIP_DISTRICTS

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
    resources: Resources | None = None

    def summary(self) -> str:
        tables = ", ".join(f"{n} {self.rows[n]:,}" for n in self.rows)
        statuses = ", ".join(f"{s} {self.statuses.get(s, 0):,}" for s in STATUSES)
        return f"loaded {tables}; votes by status: {statuses}"


def load_folder(
    folder: Path,
    db_path: Path,
    timezone: str = "UTC",
    threads: int | str | None = None,
    memory_limit: int | str | None = None,
) -> LoadResult:
    """Validate `folder` and replace `db_path` with its contents, or raise LoadRefused.

    Timestamps without an offset, and dates, are read in `timezone` (an IANA name).
    `db_path` must be new or a snapshot this tool wrote (`target.claimed`). DuckDB gets
    `threads` and `memory_limit` (bytes, or text such as '4GB'), by default what
    `resources.load_resources` gives for this machine and input."""
    folder, db_path = Path(folder), Path(db_path)
    timezone = check_timezone(timezone)
    if not folder.is_dir():
        raise LoadRefused([Problem(str(folder), None, None, None, "is not a folder")])
    resources = load_resources(_input_bytes(folder), threads, memory_limit)
    with claimed(db_path, folder) as target:
        stem = f"{temporary_prefix(target)}{os.getpid()}"
        tmp_db = target.with_name(stem)
        scratch = Path(tempfile.mkdtemp(prefix=f"{stem}-", dir=target.parent))
        try:
            try:
                result = _build_snapshot(folder, tmp_db, scratch, timezone, resources)
            except duckdb.Error as err:  # disk full, file too large, out of memory...
                # One line, no traceback; DuckDB's first line names the file, never data.
                reason = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
                raise OSError(f"load failed, the database was not changed: {reason}") from None
            fsync_path(tmp_db)
            settle_wal(target)
            os.replace(tmp_db, target)
            fsync_path(target.parent)
            return result
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            for leftover in (tmp_db, tmp_db.with_name(tmp_db.name + ".wal")):
                leftover.unlink(missing_ok=True)


def fingerprint_files(folder: Path) -> str:
    """SHA-256 over the input files' names and bytes (rulings.csv where present): which data
    a report was made from."""
    digest = hashlib.sha256()
    for spec in schema.INPUT_FILES:
        digest.update(spec.filename.encode() + b"\0")
        if spec.optional and not (folder / spec.filename).is_file():
            continue
        with (folder / spec.filename).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


# --- building the new database ------------------------------------------------------


def _build_snapshot(
    folder: Path, tmp_db: Path, scratch: Path, timezone: str, resources: Resources
) -> LoadResult:
    tmp_db.unlink(missing_ok=True)
    con = duckdb.connect(
        str(tmp_db),
        config={
            "threads": resources.threads,
            "memory_limit": resources.memory_limit,
            "temp_directory": str(scratch / "spill"),
            "preserve_insertion_order": True,  # rowid i of a staged table is record i
        },
    )
    try:
        quiet_progress_bar(con)
        # Text without an offset is read in `timezone` (UTC unless the load names another);
        # the name was checked against DuckDB's list of zones.
        con.execute(f"SET TimeZone = '{timezone}'")
        install_parsers(con)

        problems: list[Problem] = []
        staged: dict[str, _Staged] = {}
        dropped: dict[str, list[str]] = {}
        for spec in schema.INPUT_FILES:
            path = folder / spec.filename
            if not path.is_file() and spec.optional:
                source, file_problems = CsvSource.empty(spec.filename, spec.column_names), []
            elif not path.is_file():
                problems.append(Problem(spec.filename, None, None, None, "is missing"))
                continue
            else:
                source, file_problems = scan_csv(path, scratch)
            problems.extend(file_problems)
            if source is None:
                continue
            positions, header_problems, extra = _match_header(spec, source.header)
            if header_problems:
                problems.extend(header_problems)
                continue
            if extra:
                dropped[spec.table] = extra
            table = _Staged(spec, source, positions, timestamp_parser(timezone))
            if not table.stage(con):
                problems.append(
                    Problem(spec.filename, None, None, None, "could not be read as CSV")
                )
                continue
            problems.extend(table.value_problems(con))
            staged[spec.table] = table

        # A value that did not parse is NULL to the checks between values: don't report it
        # a second time (a house race's district '7.0' is not also "empty").
        unparsed = {(p.file, p.line, p.column) for p in problems}
        problems.extend(
            p for p in _semantic_problems(con, staged) if (p.file, p.line, p.column) not in unparsed
        )
        if problems:
            raise LoadRefused(sorted(problems, key=_problem_order))

        con.execute(sql_text("endorse_analysis.ingest", "member_geography"))
        warnings = _member_warnings(con, staged["members"])
        for spec in schema.INPUT_FILES:
            if spec.table == "members":  # written by member_geography.sql
                continue
            if spec.table == "votes":  # each vote with its member's key (NULL: unknown)
                con.execute(sql_text("endorse_analysis.ingest", "vote_keys"))
            else:
                con.execute(
                    f"CREATE TABLE {spec.table} AS "
                    f"SELECT COLUMNS(lambda c: NOT starts_with(c, '_')) FROM t_{spec.table}"
                )
            con.execute(f"DROP TABLE t_{spec.table}")
        write_reference_tables(con)

        install_macros(con, CLASSIFYING_MACROS)
        problems = _snapshot_problems(con, staged)
        if problems:
            raise LoadRefused(sorted(problems, key=_problem_order))
        fingerprint = fingerprint_files(folder)
        con.execute(
            "CREATE TABLE vote_counts AS SELECT * FROM classified_vote_counts(NULL) ORDER BY ALL"
        )
        statuses = dict(
            con.execute(
                "SELECT status, CAST(sum(votes) AS BIGINT) FROM vote_counts GROUP BY status"
            ).fetchall()
        )
        _write_snapshot(con, fingerprint, dropped, timezone, resources, _member_districts(folder))
        store_macros(con)  # every table they read is written: a reader need not define them
        rows = {
            spec.table: con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()[0]
            for spec in schema.INPUT_FILES
        }
        con.execute("CHECKPOINT")
        return LoadResult(rows, statuses, dropped, warnings, fingerprint, resources)
    finally:
        con.close()


def _input_bytes(folder: Path) -> int:
    """The size of the input files in `folder` (what the default memory limit follows)."""
    size = 0
    for spec in schema.INPUT_FILES:
        try:
            size += (folder / spec.filename).stat().st_size
        except OSError:
            continue
    return size


@dataclass
class _Staged:
    """A file parsed into the temporary table t_<table>, its rowid i being record i.

    Typed values are NULL where the text did not parse; `_ok` says whether the whole row
    parsed. The text itself is staged (raw_<table>) only when a problem must quote it.
    """

    spec: schema.InputFile
    source: CsvSource
    positions: dict[str, int]
    parse_ts: str = "parse_ts"  # the timestamp parser of the load's zone
    raw_staged: bool = False

    @property
    def typed(self) -> str:
        return f"t_{self.spec.table}"

    @property
    def raw(self) -> str:
        return f"raw_{self.spec.table}"

    def line(self, row: int) -> int:
        return self.source.line(row)

    def stage(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Parse the file into t_<table> in one pass; False if DuckDB can't read it."""
        read_sql, params = self.source.read_csv_sql()
        texts = ", ".join(f"clean(c{i}) AS r{i}" for i in sorted(set(self.positions.values())))
        values, oks = [], []
        for column in self.spec.columns:
            value, ok = _parsed_expression(self.spec, column, self.positions, self.parse_ts)
            values.append(f"CAST({value} AS {column.sql_type}) AS {column.name}")
            if ok != "true":  # this value can be wrong: say so per column, for the problems
                values.append(f"({ok}) AS _ok_{column.name}")
            oks.append(ok)
        query = (
            f"CREATE TEMP TABLE {self.typed} AS SELECT {', '.join(values)}, "
            f"({' AND '.join(oks)}) AS _ok "
            f"FROM (SELECT {texts or 'NULL AS r_'} FROM {read_sql})"
        )
        try:
            con.execute(query, params)
        except duckdb.Error:
            # Never echo DuckDB's message: it quotes raw lines, dropped columns included.
            return False
        # DuckDB must read exactly the records the scan counted: never lose one silently.
        read = con.execute(f"SELECT count(*) FROM {self.typed}").fetchone()[0]
        return read == self.source.n_rows

    def raw_value(self, con: duckdb.DuckDBPyConnection, row: int, columns: list[str]) -> str | None:
        """The text (trimmed) the file had at record `row` in `columns`, joined by '/'."""
        picks = [f"clean(c{self.positions[c]})" for c in columns if c in self.positions]
        if not picks:
            return None
        self._stage_raw(con)
        values = con.execute(
            f"SELECT {', '.join(picks)} FROM {self.raw} WHERE rowid = ?", [row]
        ).fetchone()
        if all(v is None for v in values):
            return None
        return "/".join("" if v is None else v for v in values)

    def _stage_raw(self, con: duckdb.DuckDBPyConnection) -> None:
        if not self.raw_staged:
            read_sql, params = self.source.read_csv_sql()
            con.execute(f"CREATE TEMP TABLE {self.raw} AS SELECT * FROM {read_sql}", params)
            self.raw_staged = True

    def value_problems(self, con: duckdb.DuckDBPyConnection) -> list[Problem]:
        """A problem per value that is empty where required or does not parse."""
        bad_rows = con.execute(f"SELECT count(*) FROM {self.typed} WHERE NOT _ok").fetchone()[0]
        if bad_rows == 0:
            return []
        problems: list[Problem] = []
        for column in self.spec.columns:
            if column.name not in self.positions or _always_valid(self.spec, column):
                continue
            # The rows first, then their text: no join of two copies of a hostile file.
            rows, total = _first_rows(
                con, f"SELECT rowid FROM {self.typed} WHERE NOT _ok_{column.name} ORDER BY rowid"
            )
            for (row,) in rows:
                value = self.raw_value(con, row, [column.name])
                message = f"{'is empty' if value is None else 'is not valid'}; "
                message += f"expected {_expected(column)}"
                if value is not None and column.kind == schema.TIMESTAMP:
                    message = timestamp_trouble(con, value) or message
                problems.append(
                    Problem(self.spec.filename, self.line(row), column.name, value, message)
                )
            problems.extend(_omitted(self.spec.filename, column.name, total - len(rows)))
        return problems


def _always_valid(spec: schema.InputFile, column: schema.Column) -> bool:
    return spec.table == "members" and column.name in ("state", "district")


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
                    spec.filename,
                    1,
                    name,
                    None,
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


def _parsed_expression(
    spec: schema.InputFile, column: schema.Column, positions: dict[str, int], parse_ts: str
) -> tuple[str, str]:
    """SQL for a column's typed value (NULL when the text does not parse) and for 'the
    value is acceptable'. Only names from the schema reach this SQL, never data."""
    position = positions.get(column.name)
    if position is None:  # an optional column the file does not have
        return ("false" if column.kind == schema.BOOLEAN else "NULL"), "true"
    raw = f"r{position}"
    if _always_valid(spec, column):  # placed later, by member_geography.sql
        return raw, "true"
    if column.kind == schema.BOOLEAN:  # empty is false (docs/rules.md §2)
        value = f"CASE WHEN {raw} IS NULL THEN false ELSE parse_bool({raw}) END"
        return value, f"({value}) IS NOT NULL"
    if column.kind == schema.INTEGER:
        value = f"parse_int({raw})"
    elif column.kind == schema.TIMESTAMP:
        value = f"{parse_ts}({raw})"
    elif column.kind == schema.STATE:
        value = f"upper({raw})"
    elif column.choices:
        options = " ".join(f"WHEN '{c.lower()}' THEN '{c}'" for c in column.choices)
        value = f"CASE lower({raw}) {options} END"
    else:
        value = raw
    if column.required:
        return value, f"({value}) IS NOT NULL"
    return value, f"({raw} IS NULL OR ({value}) IS NOT NULL)"


def _expected(column: schema.Column) -> str:
    if column.choices:
        return "one of " + ", ".join(column.choices)
    return schema.EXPECTED[column.kind]


def _omitted(file: str, column: str | None, count: int) -> list[Problem]:
    """One line standing for the `count` problems of a check beyond those listed."""
    if count <= 0:
        return []
    return [Problem(file, None, column, None, f"… and {count:,} more like these", count=count)]


@dataclass(frozen=True)
class _Check:
    """A rule between values. `query` returns (row, columns, message, other_row) per
    offending row; `{line}` in the message stands for the line of other_row."""

    table: str
    needs: tuple[str, ...]
    query: str


def _key_check(spec: schema.InputFile) -> _Check:
    key = ", ".join(spec.key)
    return _Check(
        spec.table,
        (spec.table,),
        f"WITH repeated AS (SELECT {key} FROM t_{spec.table} GROUP BY ALL HAVING count(*) > 1) "
        f"SELECT rowid, '{','.join(spec.key)}', 'repeats the {' and '.join(spec.key)} of line "
        f"{{line}}', first_row FROM (SELECT t.rowid, row_number() OVER w AS n, "
        f"first_value(t.rowid) OVER w AS first_row FROM t_{spec.table} t "
        f"JOIN repeated USING ({key}) WINDOW w AS (PARTITION BY {key} ORDER BY t.rowid)) "
        f"WHERE n > 1 ORDER BY rowid",
    )


def _reference_check(spec: schema.InputFile, column: str, other: str, other_column: str) -> _Check:
    return _Check(
        spec.table,
        (spec.table, other),
        f"SELECT rowid, '{column}', 'does not match any {other_column} in {other}.csv', NULL "
        f"FROM t_{spec.table} WHERE {column} IS NOT NULL AND {column} NOT IN "
        f"(SELECT {other_column} FROM t_{other} WHERE {other_column} IS NOT NULL) ORDER BY rowid",
    )


SEMANTIC_CHECKS: list[_Check] = [
    *(_key_check(spec) for spec in schema.INPUT_FILES),
    *(_reference_check(spec, *ref) for spec in schema.INPUT_FILES for ref in spec.references),
    *(
        _Check(table, (table,), sql_text("endorse_analysis.ingest", f"checks/{table}"))
        for table in ("waves", "races", "groups", "candidates", "vetting", "votes", "rulings")
    ),
]


def _semantic_problems(con: duckdb.DuckDBPyConnection, staged: dict[str, _Staged]) -> list[Problem]:
    """Keys, references and the rules that tie values together (docs/rules.md §2, 'Precisely')."""
    problems: list[Problem] = []
    for check in SEMANTIC_CHECKS:
        if not all(t in staged for t in check.needs):
            continue
        source = staged[check.table]
        rows, total = _first_rows(con, check.query)
        for row, columns, message, other_row in rows:
            names = columns.split(",")
            if other_row is not None:
                message = message.replace("{line}", str(source.line(other_row)))
            value = source.raw_value(con, row, names)
            problems.append(
                Problem(source.spec.filename, source.line(row), names[0], value, message)
            )
        problems.extend(_omitted(source.spec.filename, None, total - len(rows)))
    return problems


def _first_rows(
    con: duckdb.DuckDBPyConnection, query: str, limit: int = PROBLEMS_PER_CHECK
) -> tuple[list[tuple], int]:
    """The first `limit` rows of a check, in its order, and how many it finds in all,
    never fetching the rest (a hostile file may fail a check millions of times)."""
    rows = con.execute(f"{query.rstrip()} LIMIT {limit + 1}").fetchall()
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0]


def _snapshot_problems(con: duckdb.DuckDBPyConnection, staged: dict[str, _Staged]) -> list[Problem]:
    """Checks that need the rules themselves, run on the written tables before the swap:
    a ruling must be on a contest, for a candidate on its ballot."""
    rulings = staged["rulings"]
    problems = []
    rows, total = _first_rows(con, sql_text("endorse_analysis.ingest", "checks/rulings_contest"))
    for row, column, message, _ in rows:
        value = rulings.raw_value(con, row, [column])
        problems.append(Problem(rulings.spec.filename, rulings.line(row), column, value, message))
    return problems + _omitted(rulings.spec.filename, None, total - len(rows))


def _member_warnings(con: duckdb.DuckDBPyConnection, members: _Staged) -> list[str]:
    """Say how many members could not be placed in a state or district (they are kept)."""
    warnings = []
    for what, condition in (
        ("a state that is not one of the 50 states and DC (in no jurisdiction)", "state IS NULL"),
        (
            "a district that is not a whole number or does not exist in their state "
            "(district unknown)",
            "state IS NOT NULL AND district_given AND district IS NULL",
        ),
    ):
        rows, total = _first_rows(
            con,
            f"SELECT record FROM member_places WHERE {condition} ORDER BY record",
            MEMBER_WARNING_LINES,
        )
        if rows:
            lines = ", ".join(str(members.line(r)) for (r,) in rows)
            more = ", …" if total > len(rows) else ""
            warnings.append(f"members.csv: {total:,} member(s) with {what}: line(s) {lines}{more}")
    return warnings


def _member_districts(folder: Path) -> str | None:
    """Where the members' districts came from, as an import noted beside members.csv
    (MEMBER_DISTRICTS_FILE); None without a note. A note of another kind is refused."""
    note = folder / MEMBER_DISTRICTS_FILE
    if not note.is_file():
        return None
    text = note.read_bytes()[:200].decode("utf-8", errors="replace").strip()
    if text != ZIP_DISTRICTS:
        raise LoadRefused(
            [Problem(MEMBER_DISTRICTS_FILE, 1, None, text, f"expected {ZIP_DISTRICTS}")]
        )
    return text


def _write_snapshot(
    con: duckdb.DuckDBPyConnection,
    fingerprint: str,
    dropped: dict[str, list[str]],
    timezone: str,
    resources: Resources,
    member_districts: str | None = None,
) -> None:
    """The snapshot's own record: what it was built from, when, how, and its id."""
    entries = {
        "format_version": str(schema.FORMAT_VERSION),
        "timezone": timezone,
        "fingerprint": fingerprint,
        "loaded_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "package_version": __version__,
        "rules": rules_digest(),  # the rule macros stored beside the tables
        "dropped_columns": "; ".join(f"{t}: {', '.join(cols)}" for t, cols in dropped.items()),
        **resources.snapshot_entries(),
    }
    if member_districts:
        entries["member_districts"] = member_districts
    entries["snapshot_id"] = schema.snapshot_id(entries)
    con.execute("CREATE TABLE snapshot (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO snapshot VALUES (?, ?)", list(entries.items()))
