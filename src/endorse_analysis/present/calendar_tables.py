"""Tables of the races' calendar and seats for people (docket, overview, index).

In: `WaveFigures` (its `calendar`, from `api.calendar`). Out: frames of text, races whose
primary is past when the wave closes first (the order of vocabulary.TIMINGS), then by
days to the primary and race id. Aggregates and public facts only.
"""

from __future__ import annotations

import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.present.words import candidate_label, days_apart, long_date
from endorse_analysis.vocabulary import DECISIONS, NO_FIGURE, NO_INCUMBENT_DATA, TIMINGS, VACANT

_RANK = {t: i for i, t in enumerate(TIMINGS)}


def urgency(row: dict) -> tuple[int, int, str]:
    """How a race sorts: its timing word's rank, then days to the primary, then its id."""
    days = row["days_to_primary"]
    return (_RANK[row["timing"]], 10**6 if days is None else days, row["race_id"])


def in_urgency_order(figures: WaveFigures, race_ids: list[str]) -> list[dict]:
    """The calendar rows of `race_ids`, most urgent first."""
    calendar = figures.calendar
    rows = plain_records(calendar[calendar["race_id"].isin(race_ids)])
    return sorted(rows, key=urgency)


def days_words(row: dict) -> str:
    """'in 12 weeks', '9 days ago', 'the day it closes' (from the wave's close), or '–'."""
    days = row["days_to_primary"]
    if days is None:
        return NO_FIGURE
    if days == 0:
        return "the day it closes"
    return f"in {days_apart(days)}" if days > 0 else f"{days_apart(days)} before it closes"


def holder_words(row: dict) -> str:
    """'Becca Balint (Democrat) since 2023', 'vacant' or 'no incumbent data'."""
    if row["seat"] in (VACANT, NO_INCUMBENT_DATA):
        return row["seat"]
    since = row["in_seat_since"]
    text = f"{row['incumbent']} ({row['incumbent_party']})"
    return text if since is None else f"{text} since {since.year}"


def calendar_table(figures: WaveFigures, race_ids: list[str]) -> pd.DataFrame:
    """One row per race: its primary and runoff against the wave's close, the timing word,
    the seat and its holder, and the race's candidate who holds it."""
    rows = []
    for row in in_urgency_order(figures, race_ids):
        running = row["incumbent_candidate_id"]
        rows.append(
            {
                "race": row["race_id"],
                "timing": row["timing"],
                "primary": NO_FIGURE
                if row["primary_date"] is None
                else long_date(row["primary_date"]),
                "from the wave's close": days_words(row),
                "runoff": NO_FIGURE
                if row["runoff_date"] is None
                else long_date(row["runoff_date"]),
                "seat": row["seat"],
                "held by": holder_words(row),
                "incumbent among the candidates": NO_FIGURE
                if running is None
                else candidate_label(running, figures.candidate_names),
            }
        )
    columns = [
        "race",
        "timing",
        "primary",
        "from the wave's close",
        "runoff",
        "seat",
        "held by",
        "incumbent among the candidates",
    ]
    return pd.DataFrame(rows, columns=columns)


def docket_races(figures: WaveFigures) -> list[str]:
    """The races of the wave's docket."""
    return sorted(set(figures.docket["race_id"].astype(str)))


def past_primaries(figures: WaveFigures, race_ids: list[str]) -> list[dict]:
    """The races among `race_ids` whose primary is past when the wave closes."""
    return [r for r in in_urgency_order(figures, race_ids) if r["days_to_primary"] is not None
            and r["days_to_primary"] < 0]  # fmt: skip


def with_calendar(table: pd.DataFrame, figures: WaveFigures) -> pd.DataFrame:
    """A table with a `race` column, with each race's timing word beside it, its rows most
    urgent first (a stable sort: the table's own order within a race)."""
    calendar = {r["race_id"]: r for r in plain_records(figures.calendar)}
    if table.empty:
        return table
    out = table.copy()
    rows = [calendar[r] for r in out["race"]]
    out.insert(1, "timing", [r["timing"] for r in rows])
    order = sorted(range(len(rows)), key=lambda i: urgency(rows[i])[:2] + (i,))
    return out.iloc[order].reset_index(drop=True)


WEEKS = "weeks from close to primary"
COUNTS = (*DECISIONS, "contests")  # the numeric columns of `weeks_text`


def weeks_table(figures: WaveFigures) -> pd.DataFrame:
    """One row per contest: race_id, whole weeks from the wave's close to its primary (cut
    toward earlier: -1 is 1 to 7 days before the close; None without a calendar), its
    timing word and final decision."""
    calendar = figures.calendar.set_index("race_id")
    rows = []
    for row in plain_records(figures.contests, ["race_id", "final_decision"]):
        mine = calendar.loc[row["race_id"]]
        weeks = mine["weeks_to_primary"]
        rows.append(
            {
                "race_id": row["race_id"],
                "weeks": None if pd.isna(weeks) else int(weeks),
                "timing": mine["timing"],
                "final_decision": row["final_decision"],
            }
        )
    frame = pd.DataFrame(rows, columns=["race_id", "weeks", "timing", "final_decision"])
    frame["weeks"] = frame["weeks"].astype("Int64")
    return frame


def weeks_text(frame: pd.DataFrame) -> pd.DataFrame:
    """`weeks_table` as counts for people: contests per week (and without a calendar), per
    final decision, the chart's figures."""
    rows = []
    dated = frame[frame["weeks"].notna()]
    groups = [(int(w), g) for w, g in dated.groupby("weeks", sort=True)]
    groups += [(None, frame[frame["weeks"].isna()])] if frame["weeks"].isna().any() else []
    for weeks, group in groups:
        counts = group["final_decision"].value_counts()
        rows.append(
            {
                WEEKS: "no calendar" if weeks is None else f"{weeks:+d}",
                "timing": ", ".join(t for t in TIMINGS if t in set(group["timing"])),
                **{d: int(counts.get(d, 0)) for d in DECISIONS},
                "contests": len(group),
            }
        )
    return pd.DataFrame(rows, columns=[WEEKS, "timing", *DECISIONS, "contests"])
