"""Words for people: a race's place, a candidate's label, a period of days, a flag, an
instant in the program's time zone, a race's primary and seat.

In: plain values from the API (a race row, a candidate id and the names, a naive UTC
instant). Out: text. Each thing has one spelling here, used by every page, table and chart.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pandas as pd

from endorse_analysis.ingest.reference import DISTRICT_MAP
from endorse_analysis.vocabulary import (
    DECISION_WORDS,
    NO_ENDORSEMENT,
    NO_FIGURE,
    OFFICE_WORDS,
    PRIMARY_SOON_DAYS,
    RUNOFF_PENDING,
    VACANT,
)


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


def ordinal(number: int) -> str:
    """1 -> '1st', 2 -> '2nd', 12 -> '12th', 23 -> '23rd'."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def race_name(race: dict) -> str:
    """A race as a sentence names it: 'U.S. House, California's 12th district',
    'U.S. House, Alaska's at-large district', 'U.S. Senate, California'."""
    state = race.get("state_name") or race["state"]
    office = OFFICE_WORDS.get(race["office"], str(race["office"]))
    if race["office"] != "house":
        return f"{office}, {state}"
    district = race["district"]
    seat = "at-large district" if district == 0 else f"{ordinal(int(district))} district"
    return f"{office}, {state}'s {seat}"


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


def local_time(instant: datetime, timezone: str | None) -> str:
    """A stored instant (naive UTC) in the program's time zone: '2026-03-14 23:59 EDT'."""
    moment = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
    local = moment.astimezone(ZoneInfo(timezone or "UTC"))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def local_date(instant: datetime, timezone: str | None) -> str:
    """The day of a stored instant (naive UTC) in the program's time zone: '2026-03-14'."""
    moment = instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant
    return f"{moment.astimezone(ZoneInfo(timezone or 'UTC')):%Y-%m-%d}"


def is_share(column: str) -> bool:
    """Whether an analysis column holds a share of a whole (a turnout, a top share, a
    retention rate, or an interval bound of one), which tables and tooltips show as a
    percentage."""
    return any(word in column for word in ("share", "turnout", "retention"))


def long_date(day: date) -> str:
    """'June 2, 2026'."""
    return f"{day:%B} {day.day}, {day.year}"


def days_apart(days: int) -> str:
    """A distance in days as a page says it: '9 days', '1 day', '12 weeks' (whole weeks,
    cut, from two weeks on)."""
    days = abs(days)
    if days >= PRIMARY_SOON_DAYS:
        return f"{days // 7} weeks"
    return f"{days} day{'' if days == 1 else 's'}"


def _when(day: date, closes: date) -> str:
    days = (day - closes).days
    if days == 0:
        return "the day this wave closed"
    return f"{days_apart(days)} {'after' if days > 0 else 'before'} this wave closed"


def primary_words(row: dict) -> str:
    """The primary of a race (a row of `api.calendar.race_calendar`) against the wave's
    close: 'Primary June 2, 2026: 12 weeks after this wave closed.', with the runoff while
    it is pending, or why there is no date."""
    primary, closes = row["primary_date"], row["close_date"]
    if primary is None:
        if row["cycle"] is None:
            return "No calendar: the race has no cycle."
        if not row["cycle_has_calendar"]:
            return f"No calendar for {row['cycle']}."
        return f"No primary date for this race in the {row['cycle']} calendar."
    text = f"Primary {long_date(primary)}: {_when(primary, closes)}"
    runoff = row["runoff_date"]
    if row["timing"] == RUNOFF_PENDING and runoff is not None:
        text += f"; runoff {long_date(runoff)}: {_when(runoff, closes)}"
    return text + "."


def seat_words(row: dict, names: dict[str, str] | None = None) -> str:
    """Who holds the seat: 'Incumbent: Becca Balint (Democrat) since 2023.', noting the
    candidate of the race who holds it; 'Seat vacant.'; or why it is not known."""
    if row["seat"] == VACANT:
        return "Seat vacant (an open seat)."
    if row["incumbent"] is None:
        if row["office"] == "governor":
            return "No incumbent data for governors."
        if row["cycle"] is not None and not row["cycle_has_seats"]:
            return f"No incumbent data for {row['cycle']}."
        return "No incumbent data for this seat."
    since = row["in_seat_since"]
    text = f"Incumbent: {row['incumbent']} ({row['incumbent_party']})"
    text += "" if since is None else f" since {since.year}"
    running = row.get("incumbent_candidate_id")
    if running:
        text += f", a candidate here ({candidate_label(running, names or {})})"
    return text + "."


def calendar_words(row: dict, names: dict[str, str] | None = None) -> str:
    """A race's primary and seat in one line, under its place on the race page."""
    return f"{primary_words(row)} {seat_words(row, names)}"
