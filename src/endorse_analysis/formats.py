"""Write tallies and audits as table (for people), csv and json (for programs, exact)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pandas as pd

from endorse_analysis.rules import Thresholds, percent
from endorse_analysis.schema import STATUSES
from endorse_analysis.tally import TALLY_COLUMNS, plain_records

FORMATS = ("table", "csv", "json")


def csv_text(rows: list[dict[str, object]], columns: Sequence[str]) -> str:
    """CSV with empty fields for nulls and numbers written as in JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_csv_cell(row[c]) for c in columns)
    return out.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return str(value)


def table_text(rows: list[dict[str, object]], columns: Sequence[str]) -> str:
    """Columns aligned for a terminal; numbers right-aligned."""
    cells = [[("" if r[c] is None else str(r[c])) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    numeric = [all(isinstance(r[c], int | float) or r[c] is None for r in rows) for c in columns]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out) + "\n"


# Appended after the contract's columns (issue 8), so that existing readers keep working.
TALLY_EXTRA_COLUMNS = ["final_decision", "ruling"]


def ruling_text(row: dict[str, object]) -> str | None:
    """A ruling in a few words for csv and tables: 'ENDORSE C1 (override)'."""
    if row.get("ruling_decision") is None:
        return None
    text = str(row["ruling_decision"])
    if row.get("ruling_candidate"):
        text += f" {row['ruling_candidate']}"
    return text + (" (override)" if row.get("ruling_override") else "")


def ruling_object(row: dict[str, object]) -> dict[str, object] | None:
    if row.get("ruling_decision") is None:
        return None
    decided_at = row["ruling_at"]
    return {
        "decision": row["ruling_decision"],
        "candidate_id": row["ruling_candidate"],
        "decided_by": row["ruling_by"],
        "decided_at": None if decided_at is None else decided_at.isoformat() + "Z",
        "note": row["ruling_note"],
        "override": bool(row["ruling_override"]),
    }


def _tally_rows(tally: pd.DataFrame) -> list[dict[str, object]]:
    from endorse_analysis.tally import RULING_COLUMNS

    return plain_records(tally, [*TALLY_COLUMNS, *STATUSES, "final_decision", *RULING_COLUMNS])


def tally_json(
    wave_id: str,
    thresholds: Thresholds,
    tally: pd.DataFrame,
    choices: pd.DataFrame,
    as_of: object = None,
) -> dict[str, object]:
    """The `tally --format json` object of contract §4 (plus final_decision and ruling)."""
    by_race = {race: group for race, group in choices.groupby("race_id", sort=False)}
    contests = []
    for row in _tally_rows(tally):
        options = by_race.get(row["race_id"])
        contest = {c: row[c] for c in TALLY_COLUMNS}
        contest["choices"] = (
            [] if options is None else plain_records(options, ["choice", "votes", "share"])
        )
        contest["audit"] = {s: row[s] for s in STATUSES}
        contest["final_decision"] = row["final_decision"]
        contest["ruling"] = ruling_object(row)
        contests.append(contest)
    result: dict[str, object] = {"wave_id": wave_id, "parameters": thresholds.as_json()}
    if as_of is not None:
        result["provisional"] = True
        result["as_of"] = as_of.isoformat() + "Z"
    result["contests"] = contests
    return result


def provisional_note(as_of: object) -> str:
    return f"PROVISIONAL: counts only what had happened before {as_of.isoformat()}Z\n"


def tally_output(
    fmt: str,
    wave_id: str,
    thresholds: Thresholds,
    tally: pd.DataFrame,
    choices: pd.DataFrame,
    as_of: object = None,
) -> str:
    if fmt == "json":
        body = tally_json(wave_id, thresholds, tally, choices, as_of)
        return json.dumps(body, indent=2) + "\n"
    rows = _tally_rows(tally)
    for row in rows:
        row["ruling"] = ruling_text(row)
    if fmt == "csv":
        columns = TALLY_COLUMNS + TALLY_EXTRA_COLUMNS
        return csv_text(rows, columns)
    table = []
    for row in rows:
        n, e, votes = row["ballots_counted"], row["eligible_voters"], row["top_votes"]
        table.append(
            {
                "race": row["race_id"],
                "on ballot": row["candidates_on_ballot"],
                "turnout": f"{n:,} of {e:,} ({percent(n, e)})",
                "top choice": row["top_choice"],
                "support": None if votes is None else f"{votes:,} of {n:,} ({percent(votes, n)})",
                "decision": row["decision"],
                "ruling": row["ruling"],
                "reason": row["reason"],
            }
        )
    header = f"wave {wave_id}: {len(table)} contest(s)\n"
    if as_of is not None:
        header = provisional_note(as_of) + header
    return header + table_text(table, list(table[0]) if table else ["race"])


AUDIT_COLUMNS = ["wave_id", "race_id", "status", "votes"]


def audit_output(fmt: str, audit: pd.DataFrame, as_of: object = None) -> str:
    rows = plain_records(audit, AUDIT_COLUMNS)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(rows, AUDIT_COLUMNS)
    total = sum(r["votes"] for r in rows)
    note = provisional_note(as_of) if as_of is not None else ""
    return note + table_text(rows, AUDIT_COLUMNS) + f"{total:,} vote(s) in all\n"


def frame_output(fmt: str, frame: pd.DataFrame) -> str:
    """Any result frame as table, csv or json (a list of objects), nulls as empty/null."""
    columns = list(frame.columns)
    rows = plain_records(frame, columns)
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "isoformat"):
                row[key] = value.isoformat()
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(rows, columns)
    return table_text(rows, columns)
