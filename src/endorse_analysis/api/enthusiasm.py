"""Enthusiasm and robustness of a decision, from the wave's tally: where a contest's
turnout stands in its wave, and how far it is from each threshold.

In: the wave's `tally` frame (or `WaveFigures.contests`) and the run's `Thresholds`. Out:
plain values and small frames, exact where they decide (fractions and integers). A wave
comparison is over the contests with a candidate on the ballot: a contest with nobody to
vote for has no turnout to compare.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from endorse_analysis.rules.margins import ballots_needed, contest_margins, wilson_interval
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import percent
from endorse_analysis.vocabulary import NO_CANDIDATES


def compared_contests(contests: pd.DataFrame) -> pd.DataFrame:
    """The contests a wave comparison of turnout is over: a candidate on the ballot and
    potential voters, ranked by turnout (highest first; ties share a rank)."""
    frame = contests[(contests["decision"] != NO_CANDIDATES) & (contests["eligible_voters"] > 0)][
        ["race_id", "office", "state", "decision", "eligible_voters", "ballots_counted"]
    ].copy()
    frame["ballots_counted"] = frame["ballots_counted"].astype("int64")
    frame["eligible_voters"] = frame["eligible_voters"].astype("int64")
    exact = [
        Fraction(int(n), int(e))
        for n, e in zip(frame["ballots_counted"], frame["eligible_voters"], strict=True)
    ]
    races = list(frame["race_id"])
    order = sorted(range(len(exact)), key=lambda i: (-exact[i], races[i]))
    frame = frame.iloc[order].reset_index(drop=True)
    exact = [exact[i] for i in order]
    ranks: list[int] = []  # 1 = highest turnout; ties share the rank of the first of them
    for i, value in enumerate(exact):
        ranks.append(ranks[-1] if i and value == exact[i - 1] else i + 1)
    frame["rank"] = ranks
    frame["turnout"] = [float(t) for t in exact]
    frame["turnout_exact"] = exact
    frame["turnout_text"] = [
        percent(n, e)
        for n, e in zip(frame["ballots_counted"], frame["eligible_voters"], strict=True)
    ]
    return frame


def exact_median(values: list[Fraction]) -> Fraction | None:
    """The median of exact values (the mean of the middle two for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class TurnoutStanding:
    """A contest's turnout against the minimum and against the compared contests."""

    ballots: int
    eligible: int
    ballots_needed: int
    rank: int | None  # None: no potential voters, or no candidate on the ballot
    compared: int  # contests compared (a candidate on the ballot, potential voters)
    median: Fraction | None  # of the compared contests' turnouts
    meeting_minimum: int  # compared contests whose ballots reach ballots_needed

    @property
    def meets_minimum(self) -> bool:
        return self.ballots >= self.ballots_needed


def turnout_standing(
    contests: pd.DataFrame, race_id: str, thresholds: Thresholds
) -> TurnoutStanding:
    """Where the contest's turnout stands: against the minimum (exact) and in its wave."""
    row = contests.loc[contests["race_id"] == race_id].iloc[0]
    n, e = int(row["ballots_counted"]), int(row["eligible_voters"])
    ranked = compared_contests(contests)
    mine = ranked.loc[ranked["race_id"] == race_id, "rank"]
    meeting = sum(
        int(b) >= ballots_needed(int(el), thresholds)
        for b, el in zip(ranked["ballots_counted"], ranked["eligible_voters"], strict=True)
    )
    return TurnoutStanding(
        ballots=n,
        eligible=e,
        ballots_needed=ballots_needed(e, thresholds),
        rank=int(mine.iloc[0]) if len(mine) else None,
        compared=len(ranked),
        median=exact_median(list(ranked["turnout_exact"])),
        meeting_minimum=int(meeting),
    )


def robustness(row: dict, thresholds: Thresholds) -> dict[str, object]:
    """How far one contest is from each threshold (rules.margins), with the Wilson
    interval of its top choice's share."""
    n = int(row["ballots_counted"] or 0)
    top = None if row["top_votes"] is None else int(row["top_votes"])
    margins: dict[str, object] = dict(
        contest_margins(n, int(row["eligible_voters"] or 0), top, thresholds)
    )
    interval = wilson_interval(top, n) if top is not None else None
    margins["wilson_low"], margins["wilson_high"] = interval or (None, None)
    return margins
