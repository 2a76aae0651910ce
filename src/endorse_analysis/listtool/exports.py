"""Members and votes from a list tool's CSV exports (Action Network, EveryAction/VAN),
through the column mapping of program.toml.

In: the program's config, the tool's name (its section: `[actionnetwork]`, `[van]`), a
people export and a responses export. Out: members.csv and votes.csv (via contract.py),
or every problem named by file, line and column.

The exports are scanned like the load's input files (ingest/csvfile.py: lines counted as
the file counts them, quotes, field counts, UTF-8), and only the mapped columns are read:
names, e-mails and the other personal columns of an export are never staged. A response
on a page the program does not name (another form, another survey question) is skipped,
and the import says how many were. Without a vote_id column, a response's id is its
record number in the file (1 for the first).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from endorse_analysis.ingest.csvfile import CsvSource, scan_csv
from endorse_analysis.ingest.parse import install_parsers, quiet_progress_bar
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.listtool.config import ExportColumns, ProgramConfig
from endorse_analysis.listtool.contract import (
    ImportResult,
    Origin,
    count_warning,
    register_pages,
    write_contract_files,
)
from endorse_analysis.sqlfiles import sql_text


def import_export(
    config: ProgramConfig, tool: str, people: Path, responses: Path, out: Path
) -> ImportResult:
    """Read a people export and a responses export of `tool` and write members.csv and
    votes.csv into `out`, or raise LoadRefused naming every problem."""
    mapping = config.require_export(tool)
    scratch = Path(tempfile.mkdtemp(prefix="endorse-import-"))
    try:
        sources, problems = {}, []
        for role, path in (("people", Path(people)), ("responses", Path(responses))):
            if not path.is_file():
                problems.append(Problem(str(path), None, None, None, "is not a file"))
                continue
            source, found = scan_csv(path, scratch / role)
            problems.extend(found)
            if source is not None:
                positions, missing = _positions(source, getattr(mapping, role))
                problems.extend(missing)
                sources[role] = (source, positions)
        if problems:
            raise LoadRefused(problems)
        return _write(config, mapping, sources, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
    with duckdb.connect(config={"threads": 2, "preserve_insertion_order": True}) as con:
        quiet_progress_bar(con)
        con.execute(f"SET TimeZone = '{mapping.timezone}'")  # a name checked by the config
        install_parsers(con)
        con.execute("SET VARIABLE export_tz = ?", [mapping.timezone])
        con.execute("SET VARIABLE export_format = ?", [mapping.timestamp_format])
        con.execute(
            "SET VARIABLE export_opted_out = ?", [[s.lower() for s in mapping.opted_out_statuses]]
        )
        con.execute(sql_text("endorse_analysis.listtool", "exports_staged"))
        for role in ("people", "responses"):
            source, positions = sources[role]
            read_sql, params = source.read_csv_sql()
            picks = ", ".join(
                f"clean(c{positions[key]}) AS {key}" if key in positions else f"NULL AS {key}"
                for key in _KEYS[role]
            )
            # rowid i of the read is record i of the scan; its line comes from the scan.
            con.execute(
                f"CREATE TEMP TABLE export_{role} AS SELECT {picks} FROM {read_sql}", params
            )
        lines = {role: sources[role][0] for role in sources}
        register_pages(con, config)
        con.execute(sql_text("endorse_analysis.listtool", "exports_members"))
        con.execute(sql_text("endorse_analysis.listtool", "exports_votes"))
        warnings = count_warning(
            con,
            "SELECT count(*) FROM export_responses WHERE page IS NULL OR page NOT IN "
            "(SELECT page FROM pages)",
            f"response(s) of {lines['responses'].filename} on a page program.toml does not "
            "name were skipped",
        )
        people, responses = lines["people"], lines["responses"]
        origin = Origin(
            people.filename,
            responses.filename,
            place=lambda table, record: (people if table == people.filename else responses).line(
                record
            ),
            columns={people.filename: mapping.people, responses.filename: mapping.responses},
        )
        return write_contract_files(con, origin, out, warnings)


_KEYS = {
    "people": ("member_id", "state", "district", "signed_up_at", "opted_out_at", "status"),
    "responses": ("vote_id", "member_id", "page", "answer", "cast_at"),
}
