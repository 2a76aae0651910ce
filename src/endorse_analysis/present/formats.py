"""The command line's outputs: table (for people), csv and json (for programs, exact).

In: the API's frames. Out: text. csv and json follow docs/rules.md §4; what this tool adds
(the final decision and ruling, the provisional instant) comes after the contract's
columns. A provisional output says so in its data, not only on stderr.

Text from the data is data, never an instruction to whatever shows it:
- table: control characters and bidirectional overrides in any cell are written escaped
  (`\x1b`, `\u202e`), so a name cannot move the cursor, erase a row or reorder one;
- csv: a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return gets
  a leading `'` (OWASP's advice against CSV injection), so a spreadsheet shows it as text
  instead of running it; numbers are written as in json and never changed;
- json: values that must be exact are strings or integers, never floats made up here
  (a threshold is decimal text; `min_votes` an integer, or decimal text when it is not one).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

import pandas as pd

from endorse_analysis.api.calendar import TALLY_CALENDAR_COLUMNS, calendar_fields
from endorse_analysis.api.docket import DOCKET_COLUMNS, LIST_COLUMNS
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import ALL_TALLY_COLUMNS, TALLY_COLUMNS
from endorse_analysis.api.wave import WaveFigures, instant_text
from endorse_analysis.present.visible import visible
from endorse_analysis.present.words import count_names, place_words
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import percent, ruling_short, ruling_words
from endorse_analysis.vocabulary import PROVISIONAL_WORDS, RANKED, SINGLE, STATUSES

FORMATS = ("table", "csv", "json")
FORMAT_HELP = (
    "table for people; csv and json for programs (in csv, a text cell beginning with "
    "=, +, -, @, a tab or a carriage return gets a leading ' so spreadsheets show it as text)"
)
# Cells a spreadsheet would run as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What a terminal acts on instead of showing: C0 and C1 controls, DEL, and the
# bidirectional marks and overrides that reorder the text after them.


def csv_text(rows: list[dict[str, object]], columns: Sequence[str]) -> str:
    """CSV with empty fields for nulls, numbers written as in JSON, and text that a
    spreadsheet would run as a formula neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow(_csv_cell(row[c]) for c in columns)
    return out.getvalue()


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def terminal_text(text: str) -> str:
    """`text` with every character a terminal would act on written as its escape."""
    return visible(text)


def table_text(rows: list[dict[str, object]], columns: Sequence[str]) -> str:
    """Columns aligned for a terminal; numbers right-aligned; control characters escaped."""
    numeric = [all(isinstance(r[c], int | float) or r[c] is None for r in rows) for c in columns]
    cells = [[("" if r[c] is None else terminal_text(str(r[c]))) for c in columns] for r in rows]
    names = [terminal_text(str(c)) for c in columns]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(names)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(names), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out) + "\n"


# Appended after the contract's columns, so that existing readers keep working.
TALLY_EXTRA_COLUMNS = ["final_decision", "ruling"]
# The last column of `tally --format csv` (contract §5): the wave's method.
METHOD_COLUMN = "method"
# Appended to csv rows (and json objects) of a provisional output: the instant it counts up to.
AS_OF_COLUMN = "as_of"


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
    return plain_records(tally, ALL_TALLY_COLUMNS)


def tally_json(
    wave_id: str,
    thresholds: Thresholds,
    tally: pd.DataFrame,
    choices: pd.DataFrame,
    as_of: object = None,
    calendar: pd.DataFrame | None = None,
) -> dict[str, object]:
    """The `tally --format json` object of docs/rules.md §4 (plus final_decision and ruling, and
    with a `calendar` (api.calendar.race_calendar) the primary and seat of each contest)."""
    by_race = {race: group for race, group in choices.groupby("race_id", sort=False)}
    contests = []
    for row in _tally_rows(tally):
        options = by_race.get(row["race_id"])
        contest = {c: row[c] for c in TALLY_COLUMNS}
        contest["method"] = row["method"]
        if row["method"] == RANKED:
            contest["rounds"] = row["runoff_rounds"] or []
        contest["choices"] = (
            [] if options is None else plain_records(options, ["choice", "votes", "share"])
        )
        contest["audit"] = {s: row[s] for s in STATUSES}
        contest["final_decision"] = row["final_decision"]
        contest["ruling"] = ruling_object(row)
        if calendar is not None:
            contest.update(calendar_fields(calendar, row["race_id"]))
        contests.append(contest)
    method = tally.attrs.get("method") or (tally["method"].iloc[0] if len(tally) else SINGLE)
    parameters = {**thresholds.as_json(), "method": method}
    result: dict[str, object] = {"wave_id": wave_id, "parameters": parameters}
    if as_of is not None:
        result["provisional"] = True
        result[AS_OF_COLUMN] = instant_text(as_of)
    result["contests"] = contests
    return result


def provisional_note(as_of: object) -> str:
    """The line a provisional output opens with (on stderr, or above a table)."""
    return f"PROVISIONAL: {PROVISIONAL_WORDS} {instant_text(as_of)}\n"


def tally_output(
    fmt: str,
    wave_id: str,
    thresholds: Thresholds,
    tally: pd.DataFrame,
    choices: pd.DataFrame,
    as_of: object = None,
    calendar: pd.DataFrame | None = None,
) -> str:
    if fmt == "json":
        body = tally_json(wave_id, thresholds, tally, choices, as_of, calendar)
        return json.dumps(body, indent=2) + "\n"
    rows = _tally_rows(tally)
    for row in rows:
        row["ruling"] = ruling_short(row)
        row[AS_OF_COLUMN] = instant_text(as_of)
        if calendar is not None:
            row.update(calendar_fields(calendar, row["race_id"]))
    if fmt == "csv":
        columns = TALLY_COLUMNS + TALLY_EXTRA_COLUMNS
        columns += TALLY_CALENDAR_COLUMNS if calendar is not None else []
        columns += [AS_OF_COLUMN] if as_of is not None else []
        return csv_text(rows, [*columns, METHOD_COLUMN])
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
                "final decision": row["final_decision"],
                "computed": row["decision"],
                "ruling": row["ruling"],
                "reason": row["reason"],
            }
        )
    header = f"wave {terminal_text(str(wave_id))}: {len(table)} contest(s)\n"
    if as_of is not None:
        header = provisional_note(as_of) + header
    return header + table_text(table, list(table[0]) if table else ["race"])


AUDIT_COLUMNS = ["wave_id", "race_id", "status", "votes"]


def audit_output(fmt: str, audit: pd.DataFrame, as_of: object = None) -> str:
    rows = plain_records(audit, AUDIT_COLUMNS)
    columns = AUDIT_COLUMNS
    if as_of is not None:  # provisional: every row says up to when it counts
        columns = [*AUDIT_COLUMNS, AS_OF_COLUMN]
        for row in rows:
            row[AS_OF_COLUMN] = instant_text(as_of)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if fmt == "csv":
        return csv_text(rows, columns)
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


def _joined(names: list[str]) -> str | None:
    return "; ".join(names) if names else None


def docket_output(fmt: str, frame: pd.DataFrame) -> str:
    """`docket --format table|csv|json`. csv joins name lists with '; '; json keeps lists."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    rows = plain_records(frame, [c for c in DOCKET_COLUMNS if c not in LIST_COLUMNS])
    for row, lists in zip(rows, frame[LIST_COLUMNS].itertuples(index=False), strict=True):
        for column, value in zip(LIST_COLUMNS, lists, strict=True):
            row[column] = [str(v) for v in value]
    if fmt == "json":
        return json.dumps([{c: r[c] for c in DOCKET_COLUMNS} for r in rows], indent=2) + "\n"
    if fmt == "csv":
        for row in rows:
            for column in LIST_COLUMNS:
                row[column] = _joined(row[column])
        return csv_text(rows, DOCKET_COLUMNS)
    people = []
    for r in rows:
        flags = []
        if r["first_time"]:
            flags.append("first-time")
        if r["incumbent"]:
            flags.append("incumbent")
        people.append(
            {
                "race": r["race_id"],
                "candidate": f"{r['candidate_id']} {r['name']}",
                "local groups": count_names(r["local_groups"], r["local_group_names"]),
                "requested by": count_names(r["requesting_groups"], r["requesting_group_names"]),
                "conflicts": count_names(r["conflicting_groups"], r["conflicts"]),
                "outside (not counted)": count_names(
                    r["outside_groups"], r["outside_endorsements"]
                ),
                "partners": r["partner_endorsements"],
                "vetting": r["vetting_status"] or "none",
                "questionnaire": r["questionnaire"] or "none",
                "notes": ", ".join(flags) or None,
                "ballot": "ON" if r["on_ballot"] else "off",
                "reason": r["reason"],
            }
        )
    wave = rows[0]["wave_id"] if rows else None
    on = sum(1 for r in rows if r["on_ballot"])
    header = f"docket{'' if wave is None else ' of wave ' + terminal_text(str(wave))}: "
    header += f"{len(rows)} requested candidate(s), {on} on the ballot\n"
    return header + (table_text(people, list(people[0])) if people else "")


INDEX_COLUMNS = [
    "race_id",
    "place",
    "lean_2024",
    "band_2024",
    "final_decision",
    "decision",
    "ruling",
    "top_choice",
    "top_choice_name",
    "top_votes",
    "ballots_counted",
    "eligible_voters",
    "top_share",
    "turnout",
    "reason",
    "report",
    "timing",
    "days_to_primary",
    "seat",
]


def index_csv(figures: WaveFigures, links: dict[str, str | None]) -> str:
    """The wave's index as CSV, in the index's order (contests awaiting a ruling first),
    for staff who work in a spreadsheet: aggregates only."""
    races = {r["race_id"]: r for r in plain_records(figures.races)}
    rows = []
    for row in figures.in_index_order():
        top = row["top_choice"]
        context = figures.race_context(row["race_id"])
        calendar = figures.race_calendar(row["race_id"])
        rows.append(
            {
                **{c: row.get(c) for c in INDEX_COLUMNS},
                "place": place_words(races[row["race_id"]]),
                "lean_2024": context["lean"],
                "band_2024": context["band"],
                "ruling": ruling_words(row),
                "top_choice_name": None if top is None else figures.candidate_names.get(top),
                "report": links.get(row["race_id"]),
                **{c: calendar[c] for c in ("timing", "days_to_primary", "seat")},
            }
        )
    return csv_text(rows, INDEX_COLUMNS)
