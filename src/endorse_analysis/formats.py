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


def tally_json(
    wave_id: str, thresholds: Thresholds, tally: pd.DataFrame, choices: pd.DataFrame
) -> dict[str, object]:
    """The `tally --format json` object of contract §4."""
    by_race = {race: group for race, group in choices.groupby("race_id", sort=False)}
    contests = []
    for row in plain_records(tally, [*TALLY_COLUMNS, *STATUSES]):
        options = by_race.get(row["race_id"])
        contest = {c: row[c] for c in TALLY_COLUMNS}
        contest["choices"] = (
            [] if options is None else plain_records(options, ["choice", "votes", "share"])
        )
        contest["audit"] = {s: row[s] for s in STATUSES}
        contests.append(contest)
    return {"wave_id": wave_id, "parameters": thresholds.as_json(), "contests": contests}


def tally_output(
    fmt: str, wave_id: str, thresholds: Thresholds, tally: pd.DataFrame, choices: pd.DataFrame
) -> str:
    if fmt == "json":
        return json.dumps(tally_json(wave_id, thresholds, tally, choices), indent=2) + "\n"
    if fmt == "csv":
        return csv_text(plain_records(tally, TALLY_COLUMNS), TALLY_COLUMNS)
    rows = []
    for row in plain_records(tally, TALLY_COLUMNS):
        n, e, votes = row["ballots_counted"], row["eligible_voters"], row["top_votes"]
        rows.append(
            {
                "race": row["race_id"],
                "on ballot": row["candidates_on_ballot"],
                "turnout": f"{n:,} of {e:,} ({percent(n, e)})",
                "top choice": row["top_choice"],
                "support": None if votes is None else f"{votes:,} of {n:,} ({percent(votes, n)})",
                "decision": row["decision"],
                "reason": row["reason"],
            }
        )
    header = f"wave {wave_id}: {len(rows)} contest(s)\n"
    return header + table_text(rows, list(rows[0]) if rows else ["race"])


AUDIT_COLUMNS = ["wave_id", "race_id", "status", "votes"]


def audit_output(fmt: str, audit: pd.DataFrame) -> str:
    rows = plain_records(audit, AUDIT_COLUMNS)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(rows, AUDIT_COLUMNS)
    total = sum(r["votes"] for r in rows)
    return table_text(rows, AUDIT_COLUMNS) + f"{total:,} vote(s) in all\n"
