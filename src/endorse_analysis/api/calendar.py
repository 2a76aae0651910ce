"""Each race's calendar and seat against a wave: when its primary is, who holds the seat.

In: a connection and a wave (the `race_calendar` macro over the snapshot's `primaries` and
`incumbents`, copied by the load from data/reference/primaries-<cycle>.csv and
incumbents-<cycle>.csv). Out: one row per race: the primary and runoff dates for its
office, the days from the date the wave closes (in the program's time zone) to the
primary, a timing word at stated cut-offs (vocabulary.PRIMARY_SOON_DAYS), the seat's
holder (name, party, since) or "vacant", and which candidate of the race holds the seat.

A race whose cycle has no calendar or seat file, a state missing from the calendar, and a
governor's seat (not in the seat files) say so; none is an error.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from endorse_analysis.api.explore import wave_ids
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import require_wave, tally
from endorse_analysis.rules.privacy import group, protect
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.vocabulary import (
    AFTER_PRIMARY,
    BEFORE_PRIMARY,
    NO_CALENDAR,
    NO_CANDIDATES,
    NO_INCUMBENT_DATA,
    PARTY_ADJECTIVES,
    PRIMARY_SOON,
    PRIMARY_SOON_DAYS,
    RUNOFF_PENDING,
    SEATS,
    VACANT,
)

CALENDAR_COLUMNS = [
    "race_id",
    "cycle",
    "cycle_has_calendar",
    "cycle_has_seats",
    "primary_date",
    "runoff_date",
    "close_date",
    "days_to_primary",
    "weeks_to_primary",
    "timing",
    "incumbent",
    "incumbent_party",
    "in_seat_since",
    "seat",
    "incumbent_candidate_id",
    "office",
]
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


def timing(primary: date | None, runoff: date | None, closes: date) -> str:
    """The timing word of a primary against the date a wave closes, exactly: before that
    date the primary is past (AFTER_PRIMARY, or RUNOFF_PENDING while a runoff falls on or
    after it); 0 to PRIMARY_SOON_DAYS - 1 days on, PRIMARY_SOON; later, BEFORE_PRIMARY."""
    if primary is None:
        return NO_CALENDAR
    days = (primary - closes).days
    if days < 0:
        return RUNOFF_PENDING if runoff is not None and runoff >= closes else AFTER_PRIMARY
    return PRIMARY_SOON if days < PRIMARY_SOON_DAYS else BEFORE_PRIMARY


def seat(listed: bool, incumbent: str | None, party: str | None) -> str:
    """'Democratic incumbent', VACANT for a listed seat nobody holds, else NO_INCUMBENT_DATA."""
    if not listed:
        return NO_INCUMBENT_DATA
    if incumbent is None:
        return VACANT
    return f"{PARTY_ADJECTIVES.get(party or '', party or 'Unknown party')} incumbent"


def _name_words(name: str) -> list[str]:
    """A name's words, lower case, without accents, punctuation, initials or suffixes
    ('Eric A. "Rick" Crawford' -> ['eric', 'rick', 'crawford'])."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z]+", plain.lower().replace("'", ""))
    return [w for w in words if len(w) > 1 and w not in _SUFFIXES]


def same_person(candidate: str, holder: str) -> bool:
    """Whether a candidate's name names the seat's holder: the candidate's first and last
    words are both among the holder's ('Rick Crawford' and 'Eric A. "Rick" Crawford')."""
    mine, theirs = _name_words(candidate), set(_name_words(holder))
    return bool(mine) and mine[0] in theirs and mine[-1] in theirs


def close_date(con: duckdb.DuckDBPyConnection, wave_id: str) -> date:
    """The date a wave closes in the program's time zone (the snapshot's)."""
    require_wave(con, wave_id)
    closes = con.execute("SELECT closes_at FROM waves WHERE wave_id = ?", [wave_id]).fetchone()[0]
    zone = dict(con.execute("SELECT key, value FROM snapshot").fetchall()).get("timezone", "UTC")
    moment: datetime = closes.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone or "UTC")).date()


def race_calendar(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Every race's calendar and seat against the close of `wave_id`, by race_id."""
    closes = close_date(con, wave_id)
    rows = plain_records(con.execute("SELECT * FROM race_calendar()").df())
    holders: dict[str, list[tuple[str, str]]] = {}
    for race_id, candidate_id, name in con.execute(
        "SELECT race_id, candidate_id, name FROM candidates ORDER BY candidate_id"
    ).fetchall():
        holders.setdefault(race_id, []).append((candidate_id, name))
    out = []
    for row in rows:
        primary, runoff = _as_date(row["primary_date"]), _as_date(row["runoff_date"])
        days = None if primary is None else (primary - closes).days
        holder = row["incumbent"] if row["seat_listed"] else None
        running = [
            c for c, n in holders.get(row["race_id"], []) if holder and same_person(n, holder)
        ]
        out.append(
            {
                "race_id": row["race_id"],
                "cycle": row["cycle"],
                "cycle_has_calendar": bool(row["cycle_has_calendar"]),
                "cycle_has_seats": bool(row["cycle_has_seats"]),
                "primary_date": primary,
                "runoff_date": runoff,
                "close_date": closes,
                "days_to_primary": days,
                "weeks_to_primary": None if days is None else days // 7,
                "timing": timing(primary, runoff, closes),
                "incumbent": holder,
                "incumbent_party": row["incumbent_party"],
                "in_seat_since": _as_date(row["in_seat_since"]),
                "seat": seat(bool(row["seat_listed"]), holder, row["incumbent_party"]),
                "incumbent_candidate_id": running[0] if running else None,
                "office": row["office"],
            }
        )
    frame = pd.DataFrame(out, columns=CALENDAR_COLUMNS)
    for column in ("cycle", "days_to_primary", "weeks_to_primary"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


# What `tally --format json|csv` adds per contest, after the contract's columns.
TALLY_CALENDAR_COLUMNS = ["primary_date", "days_to_primary", "timing", "incumbent_party"]


def calendar_fields(calendar: pd.DataFrame, race_id: str) -> dict[str, object]:
    """A race's TALLY_CALENDAR_COLUMNS as plain values (the date as YYYY-MM-DD text)."""
    rows = plain_records(calendar[calendar["race_id"] == race_id])
    if not rows:
        return {
            "primary_date": None,
            "days_to_primary": None,
            "timing": NO_CALENDAR,
            "incumbent_party": None,
        }
    row = rows[0]
    primary = row["primary_date"]
    return {
        "primary_date": None if primary is None else primary.isoformat(),
        "days_to_primary": row["days_to_primary"],
        "timing": row["timing"],
        "incumbent_party": row["incumbent_party"],
    }


# --- for the analyst (explore_dynamics): contests of every wave by weeks and by seat -----

# Groups of whole weeks from a wave's close to the primary, from these many weeks on (a
# primary already past is grouped by its timing word; no calendar last).
WEEK_GROUPS = ((0, "0–1 weeks"), (2, "2–3 weeks"), (4, "4–7 weeks"), (8, "8–15 weeks"),
               (16, "16 weeks or more"))  # fmt: skip
SHARE_COLUMNS = ["contests", "eligible_voters", "ballots", "top_votes", "turnout", "top_share"]


def week_group(weeks: int | None, timing_word: str) -> str:
    """The group of a contest's weeks to the primary: its timing word when the primary is
    past or unknown, else the group of WEEK_GROUPS it falls in."""
    if weeks is None or weeks < 0:
        return timing_word
    return [name for start, name in WEEK_GROUPS if weeks >= start][-1]


def week_group_order() -> list[str]:
    """The groups in the order of every table and chart: past, then nearest first."""
    return [AFTER_PRIMARY, RUNOFF_PENDING, *(name for _, name in WEEK_GROUPS), NO_CALENDAR]


def contests_on_calendar(
    con: duckdb.DuckDBPyConnection, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every contest of every wave with a candidate on the ballot: its totals (results),
    weeks to the primary, timing word, week group and seat."""
    frames = []
    for wave in wave_ids(con):
        contests = tally(con, wave, thresholds)
        contests = contests[contests["decision"] != NO_CANDIDATES]
        calendar = race_calendar(con, wave)[["race_id", "weeks_to_primary", "timing", "seat"]]
        frames.append(contests.merge(calendar, on="race_id"))
    columns = ["wave_id", "race_id", "eligible_voters", "ballots_counted", "top_votes",
               "final_decision", "weeks_to_primary", "timing", "seat"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=[*columns, "week_group"])
    out = pd.concat(frames, ignore_index=True)[columns]
    out["week_group"] = [
        week_group(None if pd.isna(w) else int(w), t)
        for w, t in zip(out["weeks_to_primary"], out["timing"], strict=True)
    ]
    return out


def _shares(contests: pd.DataFrame, column: str, order: list[str]) -> pd.DataFrame:
    """Pooled turnout (ballots / eligible voters) and support (top choice's votes /
    ballots) per group of `column`, in `order`; a group of fewer than MIN_CELL ballots is
    hidden (`rules.privacy.protect`, with the total of all groups known), its figures None."""
    rows = []
    for name in order:
        mine = contests[contests[column] == name]
        if mine.empty:
            continue
        rows.append(
            {
                column: name,
                "contests": len(mine),
                "eligible_voters": int(mine["eligible_voters"].sum()),
                "ballots": int(mine["ballots_counted"].sum()),
                "top_votes": int(mine["top_votes"].fillna(0).sum()),
            }
        )
    ballots = [r["ballots"] for r in rows]
    hidden = protect(ballots, [group(range(len(rows)), sum(ballots))]) if rows else []
    for row, hide in zip(rows, hidden, strict=True):
        if hide:
            row.update(ballots=None, top_votes=None, turnout=None, top_share=None)
            continue
        row["turnout"] = row["ballots"] / row["eligible_voters"] if row["eligible_voters"] else None
        row["top_share"] = row["top_votes"] / row["ballots"] if row["ballots"] else None
    frame = pd.DataFrame(rows, columns=[column, *SHARE_COLUMNS])
    for name in ("ballots", "top_votes"):
        frame[name] = frame[name].astype("Int64")
    for name in ("turnout", "top_share"):
        frame[name] = frame[name].astype("float64")
    return frame


def by_weeks(contests: pd.DataFrame) -> pd.DataFrame:
    """Turnout and support per group of weeks to the primary (`contests_on_calendar`),
    with the timing word of each group."""
    frame = _shares(contests, "week_group", week_group_order())
    timing_of = {g: (g if g in (AFTER_PRIMARY, RUNOFF_PENDING, NO_CALENDAR) else None)
                 for g in frame["week_group"]}  # fmt: skip
    frame.insert(1, "timing", [
        timing_of[g] or (PRIMARY_SOON if g == WEEK_GROUPS[0][1] else BEFORE_PRIMARY)
        for g in frame["week_group"]
    ])  # fmt: skip
    return frame.rename(columns={"week_group": "weeks_group"})


def by_seat(contests: pd.DataFrame) -> pd.DataFrame:
    """Turnout and support per seat status: open (vacant), each party's incumbent, unknown."""
    return _shares(contests, "seat", list(SEATS))
