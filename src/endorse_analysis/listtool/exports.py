"""Members and votes from a list tool's CSV exports (Action Network, EveryAction/VAN),
through the column mapping of program.toml.

In: the program's config, the tool's name (its section: `[actionnetwork]`, `[van]`), a
people export and a responses export. Out: members.csv and votes.csv (via contract.py),
or every problem named by file, line and column.

The exports are scanned like the load's input files (ingest/csvfile.py: lines counted as
the file counts them, quotes, field counts, UTF-8, a byte-order mark, CRLF, blank lines),
and only the mapped columns are read: names, e-mails and the other personal columns of
an export are never staged. A file separated by tabs or semicolons (VAN's Person File is
tab-separated) is found from its header line, or named in program.toml, and rewritten
line for line as a comma-separated copy first, so that every line keeps its number. A
response on a page the program does not name (another form, another survey question) is
skipped, and the import says how many were. Without a vote_id column, a response's id is
its record number in the file (1 for the first), or its rank by a mapped `tiebreak`
column. With a `zip` column and no `district` column, a member's district comes from the
ZIP code (data/reference/zcta-districts-2024-lines.csv: the 2024 lines).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import UTC
from importlib import resources
from pathlib import Path

import duckdb

from endorse_analysis.ingest.csvfile import BOM, CsvSource, scan_csv
from endorse_analysis.ingest.parse import install_parsers, quiet_progress_bar
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.ingest.reference import reference_dir
from endorse_analysis.listtool.config import RANK_KEY, ExportColumns, ProgramConfig
from endorse_analysis.listtool.contract import (
    ImportResult,
    Origin,
    count_warning,
    register_pages,
    write_contract_files,
)
from endorse_analysis.sqlfiles import sql_text

ZCTA_FILE = "zcta-districts-2024-lines.csv"
SNIFF_BYTES = 1 << 16  # of the header line: enough for any export's column names
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon"}
SAME_DAY_LISTED = 20  # same-day answers named by line in the warning; all are counted


def import_export(
    config: ProgramConfig, tool: str, people: Path, responses: Path, out: Path
) -> ImportResult:
    """Read a people export and a responses export of `tool` and write members.csv and
    votes.csv into `out`, or raise LoadRefused naming every problem."""
    mapping = config.require_export(tool)
    scratch = Path(tempfile.mkdtemp(prefix="endorse-import-"))
    try:
        sources, problems, notes = {}, [], []
        for role, path in (("people", Path(people)), ("responses", Path(responses))):
            if not path.is_file():
                problems.append(Problem(str(path), None, None, None, "is not a file"))
                continue
            folder = scratch / role
            folder.mkdir()
            delimiter = mapping.format_of(role).delimiter or sniff_delimiter(path)
            readable = path
            if delimiter != ",":
                readable = comma_copy(path, folder / path.name, delimiter)
                notes.append(f"{path.name}: read as {DELIMITER_NAMES[delimiter]}-separated")
            source, found = scan_csv(readable, folder)
            problems.extend(found)
            if source is not None:
                positions, missing = _positions(source, getattr(mapping, role))
                if missing:
                    missing = _looks_otherwise(source, delimiter, tool, role) or missing
                problems.extend(missing)
                sources[role] = (source, positions)
        if problems:
            raise LoadRefused(problems)
        result = _write(config, mapping, sources, out)
        result.notes[:0] = notes
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def sniff_delimiter(path: Path) -> str:
    """The field separator of a file, from its first non-blank line: the most frequent
    of comma, tab and semicolon outside quotes (a comma where none occurs)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    head = head.removeprefix(BOM)
    for raw in head.replace(b"\r", b"\n").split(b"\n"):
        if raw.strip(b" \t"):
            line = raw.decode("utf-8", errors="replace")
            outside = "".join(part for i, part in enumerate(line.split('"')) if i % 2 == 0)
            counts = {d: outside.count(d) for d in DELIMITER_NAMES}
            best = max(counts, key=lambda d: (counts[d], d == ","))
            return best if counts[best] else ","
    return ","


def comma_copy(path: Path, target: Path, delimiter: str) -> Path:
    """A comma-separated copy of a file separated by `delimiter`, line for line (a blank
    line stays blank, so every record keeps its line number); bytes that are not UTF-8
    are copied as they are, for the scan to name their line."""
    with path.open("rb") as source, target.open("wb") as out:
        for number, raw in enumerate(source):
            line = raw.rstrip(b"\r\n")
            if number == 0:
                line = line.removeprefix(BOM)
            if not line.strip(b" \t"):
                out.write(b"\n")
                continue
            try:
                fields = next(csv.reader([line.decode("utf-8")], delimiter=delimiter))
            except UnicodeDecodeError:
                out.write(line + b"\n")  # the scan refuses this line as it is
                continue
            except csv.Error:
                fields = line.decode("utf-8").split(delimiter)
            out.write((",".join('"' + f.replace('"', '""') + '"' for f in fields) + "\n").encode())
    return target


def _looks_otherwise(source: CsvSource, delimiter: str, tool: str, role: str) -> list[Problem]:
    """Where mapped columns are missing because the file is separated otherwise than it
    was read: one problem saying how it looks, instead of one per column."""
    if len(source.header) != 1:
        return []
    for other, name in DELIMITER_NAMES.items():
        if other != delimiter and other in source.header[0]:
            return [
                Problem(
                    source.filename,
                    1,
                    None,
                    None,
                    f"the file looks {name}-separated, yet it was read as "
                    f'{DELIMITER_NAMES[delimiter]}-separated (set delimiter = "{name}" in '
                    f"[{tool}.{role}], or leave delimiter out to have it found)",
                )
            ]
    return []


def _positions(source: CsvSource, columns: dict[str, str]) -> tuple[dict[str, int], list[Problem]]:
    """Where each mapped column is in the file's header (names read in any case)."""
    header = {name.lower(): i for i, name in reversed(list(enumerate(source.header)))}
    positions, problems = {}, []
    for key, name in columns.items():
        if name.lower() in header:
            positions[key] = header[name.lower()]
        else:
            problems.append(
                Problem(
                    source.filename, 1, name, None, f"is missing (program.toml maps {key} to it)"
                )
            )
    return positions, problems


def _write(
    config: ProgramConfig,
    mapping: ExportColumns,
    sources: dict[str, tuple[CsvSource, dict[str, int]]],
    out: Path,
) -> ImportResult:
    people, responses = sources["people"][0], sources["responses"][0]
    with duckdb.connect(config={"threads": 2, "preserve_insertion_order": True}) as con:
        quiet_progress_bar(con)
        con.execute(f"SET TimeZone = '{mapping.timezone}'")  # a name checked by the config
        install_parsers(con)
        everyone = mapping.everyone_signed_up_at
        zip_mode = "zip" in mapping.people and "district" not in mapping.people
        variables = {
            "export_tz": mapping.timezone,
            "people_format": mapping.format_of("people").timestamp_format,
            "responses_format": mapping.format_of("responses").timestamp_format,
            "export_opted_out": [s.lower() for s in mapping.opted_out_statuses],
            "export_opt_time": "opted_out_at" in mapping.people,
            "export_everyone": None if everyone is None else everyone.replace(tzinfo=None),
            "export_zip": zip_mode,
            "export_tiebreak": "tiebreak" in mapping.responses,
        }
        for name, value in variables.items():
            con.execute(f"SET VARIABLE {name} = ?", [value])
        con.execute(sql_text("endorse_analysis.listtool", "exports_staged"))
        for role in ("people", "responses"):
            source, positions = sources[role]
            read_sql, params = source.read_csv_sql()
            picks = ", ".join(
                _answer_pick(positions)
                if key == "answer"
                else f"clean(c{positions[key]}) AS {key}"
                if key in positions
                else f"NULL AS {key}"
                for key in _KEYS[role]
            )
            # rowid i of the read is record i of the scan; its line comes from the scan.
            con.execute(
                f"CREATE TEMP TABLE export_{role} AS SELECT {picks} FROM {read_sql}", params
            )
        register_pages(con, config)
        notes = _zip_districts(con, zip_mode, people.filename)
        con.execute(sql_text("endorse_analysis.listtool", "exports_members"))
        con.execute(sql_text("endorse_analysis.listtool", "exports_votes"))
        _refuse_tiebreaks(con, responses, mapping.responses.get("tiebreak", ""))
        if everyone is not None:
            notes.append(
                f"{people.filename} has no sign-up column: every member signed up at "
                f"{everyone.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z (everyone_signed_up_at)"
            )
        warnings = count_warning(
            con,
            "SELECT count(*) FROM export_responses WHERE page IS NULL OR page NOT IN "
            "(SELECT page FROM pages)",
            f"response(s) of {responses.filename} on a page program.toml does not name "
            "were skipped",
        )
        warnings += count_warning(
            con,
            "SELECT * FROM opted_out_since_signup()",
            f"member(s) of {people.filename} have an opted-out status and no time of the "
            "change (the export has none): off the list since sign-up",
        )
        if "vote_id" not in mapping.responses and "tiebreak" not in mapping.responses:
            warnings += _same_day_warning(con, responses)
        origin = Origin(
            people.filename,
            responses.filename,
            place=lambda table, record: (people if table == people.filename else responses).line(
                record
            ),
            columns={people.filename: mapping.people, responses.filename: mapping.responses},
        )
        result = write_contract_files(con, origin, out, warnings, districts_from_zip=zip_mode)
        result.notes[:0] = notes
        return result


def _zip_districts(con: duckdb.DuckDBPyConnection, zip_mode: bool, filename: str) -> list[str]:
    """Stage people_zip: each member's district from their ZIP code, and say how many got
    a district each way (nothing to say without a ZIP column)."""
    if not zip_mode:
        con.execute(
            "CREATE TEMP TABLE people_zip (record BIGINT, district VARCHAR, zip_way VARCHAR)"
        )
        return []
    with resources.as_file(reference_dir() / ZCTA_FILE) as path:
        con.execute(
            "CREATE TEMP TABLE zcta_districts AS SELECT state, zcta, district FROM "
            "read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )
    con.execute(sql_text("endorse_analysis.listtool", "exports_zip"))
    ways = dict(con.execute("SELECT zip_way, count(*) FROM people_zip GROUP BY ALL").fetchall())
    counts = [
        ("one", "one district"),
        ("several", "several districts (unknown)"),
        ("other_state", "in another state (unknown)"),
        ("unknown", "an unknown ZIP (unknown)"),
        ("empty", "no ZIP (unknown)"),
    ]
    said = "; ".join(f"{ways.get(key, 0):,} {words}" for key, words in counts)
    return [f"districts of {filename}'s members from their ZIP codes (2024 lines): {said}"]


def _refuse_tiebreaks(con: duckdb.DuckDBPyConnection, source: CsvSource, column: str) -> None:
    """A tiebreak value that orders nothing refuses the import, by line."""
    rows = con.execute("SELECT * FROM tiebreak_problems()").fetchall()
    if rows:
        raise LoadRefused(
            [
                Problem(
                    source.filename,
                    source.line(record),
                    column,
                    value,
                    "is neither a whole number nor a timestamp (tiebreak)",
                )
                for record, value in rows
            ]
        )


def _same_day_warning(con: duckdb.DuckDBPyConnection, source: CsvSource) -> list[str]:
    """Different answers of one member in one contest on one date-only day: counted, and
    named by line; the answer lower in the file counts (the larger vote id)."""
    days = [records for (records,) in con.execute("SELECT * FROM same_day_answers()").fetchall()]
    if not days:
        return []
    named = "; ".join(
        "lines " + ", ".join(str(source.line(r)) for r in records)
        for records in days[:SAME_DAY_LISTED]
    )
    more = f"; and {len(days) - SAME_DAY_LISTED:,} more" if len(days) > SAME_DAY_LISTED else ""
    return [
        f"{len(days):,} time(s) a member gave different answers in one contest on the same "
        f"day of {source.filename} (a date without a time, and no vote_id or tiebreak "
        f"column to order them): the file order decides, the lower line counts ({named}{more})"
    ]


def _answer_pick(positions: dict[str, int]) -> str:
    """The answer column of a response; given one column per rank (contract §5), the ranks
    joined in order by chr(31), empty ranks skipped, for the mapping to split."""
    ranks = sorted(
        (int(key.removeprefix(RANK_KEY)), at) for key, at in positions.items()
        if key.startswith(RANK_KEY)
    )  # fmt: skip
    if "answer" not in positions:
        return "NULL AS answer"
    if not ranks:
        return f"clean(c{positions['answer']}) AS answer"
    cells = ", ".join(f"clean(c{at})" for at in [positions["answer"], *(at for _, at in ranks)])
    return f"nullif(concat_ws(chr(31), {cells}), '') AS answer"


_KEYS = {
    "people": ("member_id", "state", "district", "zip", "signed_up_at", "opted_out_at", "status"),
    "responses": ("vote_id", "member_id", "page", "answer", "cast_at", "tiebreak"),
}
