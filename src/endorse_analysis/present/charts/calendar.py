"""Charts of the races' calendar and seats: contests against the weeks from a wave's
close to their primary (the overview), and turnout and support against them and by seat
(explore_dynamics).

In: frames of `present.calendar_tables` and `api.calendar` (aggregates only). Out: Altair
charts in the house style of `present.charts` (rendered to static SVG by `charts.to_svg`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from endorse_analysis.present.charts.common import _decision_colour
from endorse_analysis.vocabulary import (
    DECISIONS,
    PRIMARY_SOON_DAYS,
    SEATS,
    TIMING_COLOURS,
    TIMINGS,
)


def _rule(weeks: float, text: str, row: int) -> list[alt.Chart]:
    """A dashed vertical line at `weeks`, labelled on text row `row` from the top."""
    frame = pd.DataFrame({"x": [weeks], "text": [text]})
    rule = alt.Chart(frame).mark_rule(color="#57606a", strokeDash=[4, 3]).encode(x="x:Q")
    label = (
        alt.Chart(frame)
        .mark_text(align="left", dx=3, baseline="top", fontSize=10, color="#57606a")
        .encode(x="x:Q", y=alt.value(2 + 12 * row), text="text:N")
    )
    return [rule, label]


def stacked_weeks(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (one row per contest) as one bar piece per (week, final decision): from
    `weeks` to `weeks` + 1, stacked in the order of DECISIONS (bottom to top)."""
    data = frame[frame["weeks"].notna()]
    rows = []
    for weeks, group in data.groupby("weeks", sort=True):
        counts = group["final_decision"].value_counts()
        bottom = 0
        for decision in DECISIONS:
            n = int(counts.get(decision, 0))
            if n:
                rows.append(
                    {
                        "weeks": int(weeks),
                        "end": int(weeks) + 1,
                        "final_decision": decision,
                        "contests": n,
                        "low": bottom,
                        "high": bottom + n,
                    }  # fmt: skip
                )
                bottom += n
    return pd.DataFrame(rows, columns=["weeks", "end", "final_decision", "contests", "low", "high"])


def primary_weeks(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests of a wave by whole weeks from its close to their primary (negative: the
    primary was past when the wave closed), stacked by final decision; dashed lines at the
    close and at two weeks after it. Contests without a calendar are left out."""
    data = stacked_weeks(frame)
    low = min([0, *data["weeks"]]) - 1
    high = max([PRIMARY_SOON_DAYS // 7, *data["end"]]) + 1
    tallest = max([1, *data["high"]])
    ticks = list(range(0, tallest + 1, max(1, tallest // 5)))
    bars = (
        alt.Chart(data)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "weeks:Q",
                scale=alt.Scale(domain=[low, high], nice=False),
                title="weeks from the wave's close to the primary",
            ),
            x2="end:Q",
            y=alt.Y("low:Q", title="contests", axis=alt.Axis(values=ticks, format="d")),
            y2="high:Q",
            color=_decision_colour("final_decision", "final decision"),
            tooltip=[
                alt.Tooltip("weeks:Q", title="weeks"),
                alt.Tooltip("final_decision:N", title="final decision"),
                alt.Tooltip("contests:Q"),
            ],
        )
    )
    layers = [bars, *_rule(0, "wave closes", 0), *_rule(PRIMARY_SOON_DAYS / 7, "2 weeks", 1)]
    return alt.layer(*layers).properties(
        width=480, height=220, title="Contests by weeks from the wave's close to the primary"
    )


def by_weeks(frame: pd.DataFrame, y: str, title: str) -> alt.TopLevelMixin:
    """A share (`y`: turnout or top_share) per group of weeks to the primary
    (`api.calendar.by_timing`), coloured by timing word; hidden groups are left out."""
    data = frame[frame[y].notna()].copy()
    data[y] = data[y].astype(float)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("weeks_group:N", sort=list(frame["weeks_group"]), title="weeks to the primary"),
            y=alt.Y(f"{y}:Q", title=y.replace("_", " "), axis=alt.Axis(format="%")),
            color=alt.Color(
                "timing:N",
                scale=alt.Scale(domain=list(TIMINGS), range=[TIMING_COLOURS[t] for t in TIMINGS]),
                title="timing",
            ),
            tooltip=[
                alt.Tooltip("weeks_group:N", title="weeks"),
                alt.Tooltip("contests:Q"),
                alt.Tooltip(f"{y}:Q", format=".2%"),
            ],
        )
        .properties(width=420, height=200, title=title)
    )
    return chart


def by_seat(frame: pd.DataFrame, y: str, title: str) -> alt.TopLevelMixin:
    """A share (`y`) per seat status (`api.calendar.by_seat`); hidden groups left out."""
    data = frame[frame[y].notna()].copy()
    data[y] = data[y].astype(float)
    chart = (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(
            y=alt.Y("seat:N", sort=list(SEATS), title="seat"),
            x=alt.X(f"{y}:Q", title=y.replace("_", " "), axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("seat:N"),
                alt.Tooltip("contests:Q"),
                alt.Tooltip(f"{y}:Q", format=".2%"),
            ],
        )
        .properties(width=420, height=160, title=title)
    )
    return chart
