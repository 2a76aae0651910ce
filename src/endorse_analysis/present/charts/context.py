"""Charts of the electoral context (`api.context`, `api.dynamics`): decisions and turnout
against each race's 2024 lean.

In: the contests and each race's 2024 margin and band. Out: Altair charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from endorse_analysis.api.context import BANDS
from endorse_analysis.present.charts.common import (
    _decision_colour,
    _numeric,
    _percent_tip,
)
from endorse_analysis.vocabulary import DECISION_COLOURS, DECISIONS, NO_CANDIDATES

if TYPE_CHECKING:
    from endorse_analysis.api.dynamics import Trend


def _with_context(contests: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """The wave's tally beside each race's 2024 margin and band."""
    return contests.merge(context[["race_id", "margin", "lean", "band"]], on="race_id")


def decisions_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests per 2024 competitiveness band, stacked by final decision."""
    data = (
        _with_context(contests, context)
        .groupby(["band", "final_decision"], as_index=False)
        .size()
        .rename(columns={"final_decision": "decision", "size": "contests"})
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("band:N", sort=list(BANDS), title="2024 lean"),
            x=alt.X("contests:Q", title="contests"),
            color=_decision_colour("decision", "final decision"),
            order=alt.Order("decision_rank:Q"),
            tooltip=[alt.Tooltip("band:N"), alt.Tooltip("decision:N"), alt.Tooltip("contests:Q")],
        )
        .transform_calculate(
            decision_rank="indexof(" + repr(list(DECISIONS)).replace("'", '"') + ", datum.decision)"
        )
        .properties(width=420, height=170, title="Final decisions by the race's 2024 lean")
    )
    return chart


def turnout_against_lean(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Each contest with a candidate and a 2024 figure: its turnout against the 2024
    margin (Democratic to the left, Republican to the right), coloured by final decision."""
    data = _with_context(contests, context)
    data = data[(data["decision"] != NO_CANDIDATES) & data["margin"].notna()]
    data = _numeric(data[["race_id", "final_decision", "lean", "margin", "turnout"]],
                    ["margin", "turnout"]).dropna(subset=["turnout"])  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_circle(size=50, opacity=0.8)
        .encode(
            x=alt.X("margin:Q", title="2024 presidential margin, points (D left, R right)"),
            y=alt.Y("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
            color=_decision_colour("final_decision", "final decision"),
            tooltip=[
                alt.Tooltip("race_id:N"),
                alt.Tooltip("lean:N"),
                _percent_tip(data, "turnout"),
            ],
        )
    )
    even = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#8c959f").encode(x=alt.X("x:Q"))
    chart = (points + even).properties(
        width=480, height=280, title="Turnout against the race's 2024 lean"
    )
    return chart


def no_candidates_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests with no candidate on the ballot per 2024 band: where no one was put up."""
    data = _with_context(contests, context)
    data = (
        data[data["decision"] == NO_CANDIDATES]
        .groupby("band", as_index=False)
        .size()
        .rename(columns={"size": "contests"})
    )
    base = alt.Chart(data).encode(
        y=alt.Y("band:N", sort=list(BANDS), title="2024 lean"),
        x=alt.X("contests:Q", title="contests with no candidate"),
    )
    chart = base.mark_bar(color=DECISION_COLOURS[NO_CANDIDATES]) + base.mark_text(
        align="left", dx=4
    ).encode(text=alt.Text("contests:Q"))
    return chart.properties(width=420, height=150, title="Contests with no candidate, by 2024 lean")


def lean_trend(
    contests: pd.DataFrame, y: str, fitted: Trend | None, title: str
) -> alt.TopLevelMixin:
    """A share (`y`: turnout or top_share) of each contest against its 2024 margin, with
    the fitted line and its 95% band (from `api.dynamics.trend`) where there is one."""
    data = _numeric(contests[["wave_id", "race_id", "margin", y, "final_decision"]],
                    ["margin", y]).dropna(subset=["margin", y])  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_circle(size=35, opacity=0.6)
        .encode(
            x=alt.X("margin:Q", title="2024 presidential margin, points (D left, R right)"),
            y=alt.Y(f"{y}:Q", title=y.replace("_", " "), axis=alt.Axis(format="%")),
            color=_decision_colour("final_decision", "final decision"),
            tooltip=[
                alt.Tooltip("wave_id:N"),
                alt.Tooltip("race_id:N"),
                _percent_tip(data, y),
            ],
        )
    )
    layers = [points]
    if fitted is not None:
        line = alt.Chart(fitted.line)
        layers.insert(0, line.mark_area(opacity=0.2, color="#24292f").encode(
            x=alt.X("margin:Q"), y=alt.Y("low:Q"), y2=alt.Y2("high:Q")))  # fmt: skip
        layers.append(line.mark_line(color="#24292f").encode(x=alt.X("margin:Q"), y=alt.Y("fit:Q")))
    return alt.layer(*layers).properties(width=480, height=280, title=title)
