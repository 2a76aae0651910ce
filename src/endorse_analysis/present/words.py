"""Words for people: a race's place, a candidate's label, a period of days, a flag, an
instant in the program's time zone.

In: plain values from the API (a race row, a candidate id and the names, a naive UTC
instant). Out: text. Each thing has one spelling here, used by every page, table and chart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from endorse_analysis.ingest.reference import DISTRICT_MAP
from endorse_analysis.vocabulary import DECISION_WORDS, NO_ENDORSEMENT, NO_FIGURE, OFFICE_WORDS


def race_place(race: dict) -> str:
    """'CA-12: U.S. House, California district 12', 'AK-AL: U.S. House, Alaska at large',
    'CA-SEN: U.S. Senate, California' (from a row of WaveFigures.races)."""
    return f"{race['race_id']}: {place_words(race)}"


def place_words(race: dict) -> str:
    """'U.S. House, California district 12': the office and its place, without the id."""
    state = race.get("state_name") or race["state"]
    office = OFFICE_WORDS.get(race["office"], str(race["office"]))
    if race["office"] == "house":
        district = race["district"]
        where = f"{state} at large" if district == 0 else f"{state} district {district}"
    else:
        where = state
    return f"{office}, {where}"


def area(race: dict) -> str:
    """A short place for a table column: 'CA-12', 'AK at large', 'CA'."""
    if race["office"] != "house":
        return str(race["state"])
    district = race["district"]
    return f"{race['state']} at large" if district == 0 else f"{race['state']}-{district}"


def candidate_label(candidate_id: str | None, names: dict[str, str]) -> str:
    """'Ana Alvarez (A1)'; NO_ENDORSEMENT as 'No endorsement'; '–' for none."""
    if candidate_id is None:
        return NO_FIGURE
    if candidate_id == NO_ENDORSEMENT:
        return DECISION_WORDS[NO_ENDORSEMENT]
    name = names.get(candidate_id)
    return f"{name} ({candidate_id})" if name else str(candidate_id)


def period_label(first: date, last: date) -> str:
    """'2026-03-05' for one day, '2026-03-05 to 2026-03-07' for several."""
    return f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"


def count_names(count: object, names: object) -> str:
    """A count with the names behind it: '2: East Bay Together; Oakland Rising', or '0'."""
    names = [] if names is None else [str(n) for n in names]
    count = int(count or 0)
    return f"{count}: {'; '.join(names)}" if names else str(count)


def period_short(first: date, last: date) -> str:
    """A period for a chart's axis: 'Mar 5', 'Mar 3–5', 'Mar 30–Apr 2'."""
    start = f"{first:%b} {first.day}"
    if first == last:
        return start
    if (first.year, first.month) == (last.year, last.month):
        return f"{start}–{last.day}"
    return f"{start}–{last:%b} {last.day}"


def context_words(row: dict) -> str:
    """A race's context (a row of `api.context.race_context`) in one line for a page:
    'Southern Central Valley and eastern Bakersfield area (largest place Bakersfield) ·
    2024 presidential result R+6.0, lean R (2024 lines)', or that it has none."""
    if row["lean"] is None:
        return (
            f"No 2024 presidential figure for this race on the {DISTRICT_MAP} (a district "
            "drawn since, or a special election)."
        )
    place = row["description"] or ""
    if row.get("largest_place"):
        place += f" (largest place {row['largest_place']})"
    return f"{place} · 2024 presidential result {row['lean']}, {row['band']} ({row['map']})"


def yes_no(value: object) -> str:
    """A flag as tables and chart legends both show it: 'yes', 'no', '–' when unknown."""
    if value is None or value is pd.NA:
        return NO_FIGURE
    return "yes" if bool(value) else "no"


def local_and_utc(instant: datetime, timezone: str | None) -> str:
    """A stored instant (naive UTC) in the program's time zone and in UTC:
    '2026-03-14 23:59 EDT (2026-03-15 03:59 UTC)'; UTC alone when the zone is UTC or unknown."""
    moment = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
    utc = f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if not timezone or timezone == "UTC":
        return utc
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({utc})"


def is_share(column: str) -> bool:
    """Whether an analysis column holds a share of a whole (a turnout, a top share, a
    retention rate, or an interval bound of one), which tables and tooltips show as a
    percentage."""
    return any(word in column for word in ("share", "turnout", "retention"))
