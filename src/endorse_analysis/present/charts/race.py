"""The race report's charts: each option's share against the support threshold, the
race's turnout among the wave's contests, counted ballots per period.

In: frames from `present.tables` and `api.enthusiasm`. Out: Altair charts.
"""

from __future__ import annotations

from fractions import Fraction

import altair as alt
import pandas as pd

from endorse_analysis.present.charts.common import (
    OTHER,
    THIS_RACE,
)
from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import OFFICES


def _threshold_rule(value: Fraction, text: str, colour: str) -> list[alt.Chart]:
    """A dashed rule at an exact threshold and its label, as two layers of one inline row
    each (a layer that inherited the chart's data would draw one rule per row)."""
    row = alt.Data(values=[{"x": float(value), "text": text}])
    rule = alt.Chart(row).mark_rule(color=colour, strokeDash=[5, 3], size=2).encode(x=alt.X("x:Q"))
    label = (
        alt.Chart(row)
        .mark_text(color=colour, align="left", dx=4, baseline="bottom", y=0)
        .encode(x=alt.X("x:Q"), text=alt.Text("text:N"))
    )
    return [rule, label]


def tally_bars(options: pd.DataFrame, support_threshold: Fraction) -> alt.TopLevelMixin:
    """Each option's share of the counted ballots (from `tables.chart_options`), with the
    support threshold as a rule."""
    data = options[["option", "is_candidate", "votes", "share", "share_text"]].copy()
    data["share"] = data["share"].astype("float64")
    data["kind"] = ["candidate" if c else "no endorsement" for c in data["is_candidate"]]
    data["label"] = [f"{v:,} ({t})" for v, t in zip(data["votes"], data["share_text"], strict=True)]
    data = data.drop(columns=["is_candidate", "share_text"])
    y = alt.Y("option:N", sort=list(data["option"]), title=None)
    x = alt.X(
        "share:Q",
        title="share of counted ballots",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=["candidate", "no endorsement"], range=["#0969da", OTHER]),
                legend=None,
            ),
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=4)
        .encode(x=alt.X("share:Q"), y=y, text=alt.Text("label:N"))
    )
    rule = _threshold_rule(
        support_threshold, f"support threshold {threshold_percent(support_threshold)}", "#cf222e"
    )
    chart = alt.layer(bars, labels, *rule, data=data).properties(
        width=460, height=max(60, 34 * len(data)), title="Share of counted ballots per option"
    )
    return chart


def turnout_in_wave(
    compared: pd.DataFrame, min_turnout: Fraction, race_id: str
) -> alt.TopLevelMixin:
    """The turnout of the wave's contests with a candidate on the ballot (from
    `api.enthusiasm.compared_contests`), by office, this race highlighted; the minimum
    turnout as a rule."""
    data = compared[["race_id", "office", "turnout", "turnout_text"]].copy()
    data["turnout"] = data["turnout"].astype("float64")
    data["mine"] = data["race_id"] == race_id
    data["label"] = [
        f"{r} {t}" if m else ""
        for r, t, m in zip(data["race_id"], data["turnout_text"], data["mine"], strict=True)
    ]
    data = data.drop(columns=["turnout_text"])
    upper = max(float(data["turnout"].max()) if len(data) else 0.0, float(min_turnout), 0.05)
    x = alt.X(
        "turnout:Q",
        title="turnout (counted ballots / potential voters)",
        scale=alt.Scale(domain=[0, min(1.0, upper * 1.05) or 1.0]),
        axis=alt.Axis(format="%"),
    )
    y = alt.Y("office:N", sort=list(OFFICES), title=None)
    others = (
        alt.Chart()
        .mark_tick(color=OTHER, thickness=2, size=18, opacity=0.7)
        .encode(x=x, y=y)
        .transform_filter("!datum.mine")
    )
    mine = alt.Chart().transform_filter("datum.mine")
    point = mine.mark_point(color=THIS_RACE, size=160, filled=True, shape="diamond").encode(
        x=x, y=y
    )
    text = mine.mark_text(color=THIS_RACE, dy=-16, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("label:N")
    )
    rule = _threshold_rule(min_turnout, f"minimum {threshold_percent(min_turnout)}", "#24292f")
    chart = alt.layer(others, point, text, *rule, data=data).properties(
        width=520,
        height=150,
        title=f"Turnout of {race_id} among the wave's {len(data):,} contests with a candidate",
    )
    return chart


def ballots_per_period(periods: pd.DataFrame) -> alt.TopLevelMixin:
    """Counted ballots per published period (from `tables.votes_over_time`: days already
    merged for privacy), in time order."""
    data = periods[["period", "counted ballots"]].rename(columns={"counted ballots": "ballots"})
    data["ballots"] = data["ballots"].astype("int64")
    order = list(data["period"])
    angle = 0 if len(data) <= 6 else -40
    base = alt.Chart(data).encode(
        x=alt.X("period:N", sort=order, title="days cast (UTC)", axis=alt.Axis(labelAngle=angle)),
        y=alt.Y("ballots:Q", title="counted ballots", scale=alt.Scale(zero=True)),
    )
    bars = base.mark_bar(color="#0969da")
    labels = base.mark_text(dy=-6, color="#24292f").encode(text=alt.Text("ballots:Q", format=","))
    width = max(160, min(520, 110 * len(data)))
    chart = (bars + labels).properties(width=width, height=200, title="Counted ballots per period")
    return chart
