"""How far a contest is from each threshold, in whole ballots (exact integer arithmetic).

In: a contest's counts (N, E, the top choice's votes) and the `Thresholds`. Out: integers.
Every name says what it counts:
- support_needed: the fewest votes reaching S of N, ceil(S x N);
- support_surplus: top votes minus support_needed (negative: that many short);
- support_flip: ballots that would flip the support test: for a top choice at or above S,
  the fewest of its ballots that, switched to NO_ENDORSEMENT, put it below S; below S, the
  fewest other ballots that would have to switch to it;
- turnout_needed: ceil(T x E); min_votes_needed: ceil(M);
- ballots_needed: max(turnout_needed, min_votes_needed), the ballots enthusiasm asks for;
- turnout_surplus, min_votes_surplus, ballots_surplus: N minus each (negative: short).
"""

from __future__ import annotations

import math
from fractions import Fraction

from endorse_analysis.rules.thresholds import Thresholds


def ceil_fraction(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def ballots_needed(eligible: int, thresholds: Thresholds) -> int:
    """The fewest counted ballots N with N >= T x E and N >= M."""
    return max(ceil_fraction(thresholds.turnout * eligible), ceil_fraction(thresholds.min_votes), 0)


def contest_margins(
    ballots: int, eligible: int, top_votes: int | None, thresholds: Thresholds
) -> dict[str, int | None]:
    """The margins named in this module's docstring for one contest; the support ones are
    None when no candidate received a vote."""
    support_needed = ceil_fraction(thresholds.support * ballots)
    turnout_needed = ceil_fraction(thresholds.turnout * eligible)
    min_votes_needed = ceil_fraction(thresholds.min_votes)
    needed = max(turnout_needed, min_votes_needed, 0)
    margins: dict[str, int | None] = {
        "support_needed": support_needed,
        "support_surplus": None,
        "support_flip": None,
        "turnout_needed": turnout_needed,
        "min_votes_needed": min_votes_needed,
        "ballots_needed": needed,
        "turnout_surplus": ballots - turnout_needed,
        "min_votes_surplus": ballots - min_votes_needed,
        "ballots_surplus": ballots - needed,
    }
    if top_votes is not None and ballots > 0:
        margins["support_surplus"] = top_votes - support_needed
        margins["support_flip"] = (
            top_votes - support_needed + 1
            if top_votes >= support_needed
            else support_needed - top_votes
        )
    return margins


Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson_interval(votes: int, ballots: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a share votes/ballots (None when ballots is 0): the
    uncertainty of the top choice's share, shown beside the exact decision."""
    if ballots <= 0:
        return None
    p = votes / ballots
    denominator = 1 + z * z / ballots
    centre = (p + z * z / (2 * ballots)) / denominator
    half = z * math.sqrt(p * (1 - p) / ballots + z * z / (4 * ballots * ballots)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
