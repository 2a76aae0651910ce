"""The wave overview's charts: the decision space, the turnout of the contests, the
endorsements per state on a tile grid and the final decisions per office.

In: the wave's tally and `api.enthusiasm.compared_contests`. Out: Altair charts.
"""

from __future__ import annotations

from fractions import Fraction

import altair as alt
import pandas as pd

from endorse_analysis.present.charts.common import (
    THIS_RACE,
    _contest_points,
    _decision_colour,
)
from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import DECISIONS, ENDORSE, OFFICES

# A standard 50-state + DC tile grid: (column, row), row 0 at the top.
STATE_TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "WI": (5, 1), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2),
    "MI": (6, 2), "NY": (8, 2), "MA": (9, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3),
    "OH": (6, 3), "PA": (7, 3), "NJ": (8, 3), "CT": (9, 3), "RI": (10, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4),
    "WV": (6, 4), "VA": (7, 4), "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5),
    "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
}  # fmt: skip


def decision_space(wave_tally: pd.DataFrame, support: Fraction, turnout: Fraction):
    """Top choice's share against turnout for every contest with a top choice, coloured by
    its computed decision (what the thresholds decide); the support threshold and the
    minimum turnout drawn as rules."""
    shown = wave_tally["top_share"].notna() & wave_tally["turnout"].notna()
    points = _contest_points(
        wave_tally[shown],
        x=alt.X("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
        y=alt.Y(
            "top_share:Q",
            title="top choice's share",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        colour=_decision_colour("decision", "computed decision"),
        pick="decision",
        size=60,
    )
    s_rule = (
        alt.Chart(pd.DataFrame({"y": [float(support)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(y=alt.Y("y:Q"))
    )
    t_rule = (
        alt.Chart(pd.DataFrame({"x": [float(turnout)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(x=alt.X("x:Q"))
    )
    chart = (points + s_rule + t_rule).properties(
        width=480,
        height=320,
        title=f"Decision space: support (threshold {threshold_percent(support)}) "
        f"against turnout (minimum {threshold_percent(turnout)})",
    )
    return chart


def turnout_distribution(compared: pd.DataFrame, turnout: Fraction) -> alt.TopLevelMixin:
    """Histogram of the turnout of the wave's contests with a candidate on the ballot
    (from `api.enthusiasm.compared_contests`)."""
    data = compared[["race_id", "turnout"]].copy()
    data["turnout"] = data["turnout"].astype("float64")
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(
            x=alt.X(
                "turnout:Q", bin=alt.Bin(maxbins=25), title="turnout", axis=alt.Axis(format="%")
            ),
            y=alt.Y("count():Q", title="contests"),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [float(turnout)]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE, size=2)
        .encode(x=alt.X("x:Q"))
    )
    chart = (bars + rule).properties(
        width=480,
        height=200,
        title=f"Turnout of the contests with a candidate (minimum {threshold_percent(turnout)})",
    )
    return chart


def state_tiles(wave_tally: pd.DataFrame) -> alt.TopLevelMixin:
    """A tile-grid map: endorsements (final decisions ENDORSE) per state, contests in the
    label."""
    per_state = wave_tally.groupby("state").agg(
        contests=("race_id", "size"),
        endorsements=("final_decision", lambda d: int((d == ENDORSE).sum())),
    )
    rows = []
    for state, (col, row) in STATE_TILES.items():
        contests = int(per_state["contests"].get(state, 0))
        endorsed = int(per_state["endorsements"].get(state, 0))
        rows.append(
            {
                "state": state,
                "col": col,
                "row": row,
                "contests": contests,
                "endorsements": endorsed,
                "text": f"{endorsed}/{contests}" if contests else "",
            }
        )
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
    )
    empty = base.mark_rect(stroke="white", strokeWidth=2, color="#eaeef2")
    tiles = (
        base.mark_rect(stroke="white", strokeWidth=2)
        .encode(
            color=alt.Color(
                "endorsements:Q",
                title="endorsements",
                scale=alt.Scale(scheme="greens", domainMin=0),
            )
        )
        .transform_filter("datum.contests > 0")
    )
    code = base.mark_text(dy=-6, fontWeight="bold", fontSize=11).encode(text=alt.Text("state:N"))
    count = base.mark_text(dy=8, fontSize=9).encode(text=alt.Text("text:N"))
    chart = (empty + tiles + code + count).properties(
        width=11 * 44,
        height=8 * 40,
        title="Endorsements per state (label: endorsed / contests; grey: no contest)",
    )
    return chart


def decision_counts(wave_tally: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests per office, stacked by final decision."""
    data = (
        wave_tally.groupby(["office", "final_decision"], as_index=False)
        .size()
        .rename(columns={"final_decision": "decision"})
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("office:N", sort=list(OFFICES), title=None),
            x=alt.X("size:Q", title="contests"),
            color=_decision_colour("decision", "final decision"),
            order=alt.Order("decision_rank:Q"),
        )
        .transform_calculate(
            decision_rank="indexof(" + repr(list(DECISIONS)).replace("'", '"') + ", datum.decision)"
        )
        .properties(width=420, height=110, title="Final decisions per office")
    )
    return chart
