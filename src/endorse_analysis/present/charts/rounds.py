"""The race report's chart of an instant runoff (contract §5): how the counted ballots
moved between rounds.

In: `tables.rounds_frame` (one row per round and option, exhausted ballots included).
Out: an Altair chart: one stacked bar per round, the support threshold as a rule.
"""

from __future__ import annotations

from fractions import Fraction

import altair as alt
import pandas as pd

from endorse_analysis.present.charts.common import OTHER
from endorse_analysis.rules.words import threshold_percent

# Colours of the options in ballot order; no endorsement and exhausted ballots in greys.
PALETTE = ["#0969da", "#bf8700", "#1a7f37", "#8250df", "#cf222e", "#1b7c83", "#953800"]
EXHAUSTED_COLOUR = "#d0d7de"


def runoff_rounds(frame: pd.DataFrame, support: Fraction, ballots: int) -> alt.TopLevelMixin:
    """One stacked bar per round: the ballots counting for each continuing option and the
    ballots exhausted by then; every bar holds all `ballots` counted ballots, so the
    threshold is S of them."""
    data = frame[["round", "number", "option", "kind", "order", "ballots"]].copy()
    kinds = dict(zip(data["option"], data["kind"], strict=False))
    options = list(dict.fromkeys(data.sort_values("order")["option"]))
    colours = []
    candidates = 0
    for option in options:
        if kinds[option] == "exhausted":
            colours.append(EXHAUSTED_COLOUR)
        elif kinds[option] == "none":
            colours.append(OTHER)
        else:
            colours.append(PALETTE[candidates % len(PALETTE)])
            candidates += 1
    rounds = list(dict.fromkeys(data.sort_values("number")["round"]))
    y = alt.Y("round:N", sort=rounds, title=None)
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("ballots:Q", stack="zero", title="counted ballots",
                    scale=alt.Scale(domain=[0, max(ballots, 1)])),
            y=y,
            color=alt.Color(
                "option:N",
                sort=options,
                scale=alt.Scale(domain=options, range=colours),
                legend=alt.Legend(title=None, orient="bottom", columns=2, labelLimit=260),
            ),
            order=alt.Order("order:Q"),
            tooltip=["round:N", "option:N", alt.Tooltip("ballots:Q", format=",")],
        )
    )  # fmt: skip
    at = float(support * ballots)
    row = alt.Data(values=[{"x": at, "text": f"{threshold_percent(support)} of all ballots"}])
    rule = alt.Chart(row).mark_rule(color="#cf222e", strokeDash=[5, 3], size=2).encode(x="x:Q")
    label = (
        alt.Chart(row)
        .mark_text(color="#cf222e", align="left", dx=4, baseline="bottom", y=0)
        .encode(x="x:Q", text="text:N")
    )
    return alt.layer(bars, rule, label).properties(
        width=460,
        height=max(80, 38 * len(rounds)),
        title="How the ballots moved between rounds",
    )
