"""What each chart shows, in words, with its key numbers: the description a reader who
cannot see the chart gets (and a screen reader reads).

In: the same frames the chart functions of `charts` take. Out: one or two sentences.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from endorse_analysis.api.context import BANDS, NO_CONTEXT
from endorse_analysis.api.enthusiasm import exact_median
from endorse_analysis.rules.words import percent, threshold_percent, truncated_percent
from endorse_analysis.vocabulary import (
    DECISION_BADGES,
    DECISIONS,
    ENDORSE,
    NO_CANDIDATES,
    NO_FIGURE,
    OFFICES,
    TIMINGS,
)


def tally(options: pd.DataFrame, support: Fraction) -> str:
    total = int(options["ballots"].iloc[0]) if "ballots" in options and len(options) else 0
    parts = [
        f"{o} {int(v):,} of {total:,} ({percent(int(v), total)})"
        for o, v in zip(options["option"], options["votes"], strict=True)
    ]
    return (
        f"Bar chart of each option's share of the counted ballots: {'; '.join(parts)}. "
        f"The support threshold, {threshold_percent(support)}, is a dashed line."
    )


def turnout_in_wave(compared: pd.DataFrame, minimum: Fraction, race_id: str) -> str:
    mine = compared[compared["race_id"] == race_id]
    median = exact_median(list(compared["turnout_exact"]))
    where = (
        f"{race_id} has {mine['turnout_text'].iloc[0]}, rank {int(mine['rank'].iloc[0]):,}"
        if len(mine)
        else f"{race_id} has no potential voters"
    )
    return (
        f"Strip chart of the turnout of the wave's {len(compared):,} contests with a candidate "
        f"on the ballot, by office: {where}; the median is "
        f"{NO_FIGURE if median is None else truncated_percent(median)}; the minimum turnout, "
        f"{threshold_percent(minimum)}, is a dashed line."
    )


def periods(frame: pd.DataFrame) -> str:
    parts = [
        f"{p}: {int(n):,}"
        for p, n in zip(frame["period (UTC)"], frame["counted ballots"], strict=True)
    ]
    return f"Bar chart of counted ballots per period (UTC): {'; '.join(parts)}."


def decision_space(contests: pd.DataFrame, support: Fraction, turnout: Fraction) -> str:
    shown = contests[contests["top_share"].notna() & contests["turnout"].notna()]
    counts = shown["decision"].value_counts()
    parts = ", ".join(
        f"{DECISION_BADGES[d]} {int(counts.get(d, 0)):,}" for d in DECISIONS if counts.get(d, 0)
    )
    return (
        f"Scatter of the top choice's share against turnout for {len(shown):,} contests with "
        f"a top choice, by computed decision ({parts or 'none'}); dashed lines at "
        f"{threshold_percent(support)} support and {threshold_percent(turnout)} turnout."
    )


def turnout_distribution(compared: pd.DataFrame, minimum: Fraction) -> str:
    median = exact_median(list(compared["turnout_exact"]))
    below = int(sum(t < minimum for t in compared["turnout_exact"]))
    return (
        f"Histogram of the turnout of {len(compared):,} contests with a candidate on the "
        f"ballot; median {NO_FIGURE if median is None else truncated_percent(median)}; "
        f"{below:,} below the minimum of {threshold_percent(minimum)}."
    )


def state_tiles(contests: pd.DataFrame) -> str:
    endorsed = contests[contests["final_decision"] == ENDORSE].groupby("state").size()
    top = endorsed.sort_values(ascending=False, kind="stable").head(5)
    parts = ", ".join(f"{s} {int(n)}" for s, n in top.items())
    return (
        f"Map of the states as tiles, shaded by endorsements: {int(endorsed.sum()):,} in "
        f"{len(endorsed):,} states" + (f"; the most in {parts}." if parts else ".")
    )


def decision_counts(table: pd.DataFrame) -> str:
    rows = table[table["office"].isin(OFFICES)]
    parts = [
        f"{r['office']}: "
        + ", ".join(f"{DECISION_BADGES[d]} {int(r[d]):,}" for d in DECISIONS if int(r[d]))
        for _, r in rows.iterrows()
    ]
    return f"Stacked bars of final decisions per office: {'; '.join(parts)}."


def funnel(frame: pd.DataFrame) -> str:
    parts = [f"{s} {int(n):,}" for s, n in zip(frame["stage"], frame["candidates"], strict=True)]
    return f"Bar chart of candidates at each stage of the wave: {'; '.join(parts)}."


def decisions_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> str:
    data = contests.merge(context[["race_id", "band"]], on="race_id")
    parts = []
    for band in BANDS:
        mine = data[data["band"] == band]
        if len(mine):
            endorsed = int((mine["final_decision"] == ENDORSE).sum())
            parts.append(f"{band}: {len(mine):,} contests, {endorsed:,} endorsed")
    return f"Stacked bars of final decisions by the race's 2024 lean: {'; '.join(parts)}."


def turnout_against_lean(contests: pd.DataFrame, context: pd.DataFrame) -> str:
    data = contests.merge(context[["race_id", "band"]], on="race_id")
    data = data[(data["decision"] != NO_CANDIDATES) & (data["band"] != NO_CONTEXT)]
    close = data[data["band"] == "toss-up"]
    others = data[data["band"] != "toss-up"]

    def pooled(frame: pd.DataFrame) -> str:
        e = int(frame["eligible_voters"].sum())
        return percent(int(frame["ballots_counted"].sum()), e)

    return (
        f"Scatter of turnout against the 2024 margin for {len(data):,} contests with a "
        f"candidate: pooled turnout {pooled(close)} in {len(close):,} toss-ups, "
        f"{pooled(others)} in the {len(others):,} others."
    )


def no_candidates_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> str:
    data = contests.merge(context[["race_id", "band"]], on="race_id")
    empty = data[data["decision"] == NO_CANDIDATES]["band"].value_counts()
    parts = ", ".join(f"{b} {int(empty[b]):,}" for b in BANDS if b in empty)
    return f"Bars of contests with no candidate on the ballot by 2024 lean: {parts or 'none'}."


def primary_weeks(frame: pd.DataFrame) -> str:
    """The overview's contests by weeks from the wave's close to the primary."""
    dated = frame[frame["weeks"].notna()]
    timing = frame["timing"].value_counts()
    parts = ", ".join(f"{t} {int(timing[t]):,}" for t in TIMINGS if timing.get(t, 0))
    span = (
        ""
        if dated.empty
        else f" from {int(dated['weeks'].min()):+d} to {int(dated['weeks'].max()):+d} weeks"
    )
    endorsed = dated[dated["final_decision"] == ENDORSE]
    return (
        f"Bar chart of the wave's {len(dated):,} contests with a primary date by whole weeks "
        f"from the wave's close to the primary{span}, stacked by final decision "
        f"({len(endorsed):,} endorsed); dashed lines at the close and two weeks after it. "
        f"By timing: {parts or 'none'}."
    )


def calendar_shares(frame: pd.DataFrame, group: str, y: str) -> str:
    """explore_dynamics: a share per group of weeks or per seat; hidden groups named."""
    shown = frame[frame[y].notna()]
    part, whole = ("ballots", "eligible_voters") if y == "turnout" else ("top_votes", "ballots")
    parts = "; ".join(
        f"{r[group]}: {percent(int(r[part]), int(r[whole]))} over {int(r['contests']):,} contests"
        for r in shown.to_dict("records")
    )
    hidden = len(frame) - len(shown)
    tail = f" {hidden} group(s) hidden (fewer than 5 ballots or contests)." if hidden else ""
    what = "turnout" if y == "turnout" else "the top choice's share"
    by = "weeks to the primary" if group == "weeks_group" else group
    return f"Bar chart of {what} by {by}: {parts}.{tail}"


def runoff_rounds(frame: pd.DataFrame, support: Fraction, ballots: int) -> str:
    """The runoff chart (`charts.runoff_rounds`) in words: each round's votes."""
    parts = []
    for number, group in frame.groupby("number", sort=True):
        votes = ", ".join(
            f"{o} {int(b):,}" for o, b in zip(group["option"], group["ballots"], strict=True)
        )
        parts.append(f"round {int(number)}: {votes}")
    return (
        f"Stacked bars, one per round of the instant runoff, of the {ballots:,} counted "
        f"ballots by the option each counts for (exhausted: ranking no one still standing): "
        f"{'; '.join(parts)}. The support threshold, {threshold_percent(support)} of all "
        f"{ballots:,} ballots, is a dashed line."
    )
