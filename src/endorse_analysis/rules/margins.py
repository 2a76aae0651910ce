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


def _half_gap(gap: int) -> int:
    """Changed ballots that can close a lead of `gap` votes between two options (each moves
    one vote from one to the other): ceil(gap / 2), at least 1 (a tie breaks with one)."""
    return max(1, -(-gap // 2))


def approval_flip(approvals: dict[str, int], ballots: int, support: Fraction) -> int | None:
    """Exact: the fewest counted ballots of an approval contest whose change alters its
    winner (the top choice where it has the support) or its decision (contract §5). A
    changed ballot can withdraw one approval and give another, so at or above S it is the
    fewer of: the top choice's approvals falling below S, or another candidate drawing
    level (half the gap, at least 1); below S, the approvals the top choice lacks to reach
    S. None without ballots or candidates."""
    if ballots == 0 or not approvals:
        return None
    needed = ceil_fraction(support * ballots)
    ranked = sorted(approvals.values(), reverse=True)
    top = ranked[0]
    if top < needed:
        return needed - top
    flip = top - needed + 1
    if len(ranked) > 1:
        flip = min(flip, _half_gap(top - ranked[1]))
    return flip


def runoff_flip_bound(
    rounds: list[dict[str, object]], ballots: int, support: Fraction, no_endorsement: str
) -> int | None:
    """A lower bound on the changed ballots that can alter a ranked contest's winner or
    decision (contract §5): fewer than it leave every round's comparisons as they were
    (each changed ballot moves at most one vote per round, so a count shifts by at most k
    and a lead between two options by at most 2k), hence the same eliminations and the
    same final round. None without ballots."""
    if ballots == 0 or not rounds:
        return None
    needed = ceil_fraction(support * ballots)
    bound: int | None = None

    def lower(value: int) -> None:
        nonlocal bound
        bound = value if bound is None else min(bound, value)

    for round_ in rounds:
        votes = {c: int(v) for c, v in round_["votes"].items() if c != no_endorsement}
        if not votes:
            continue
        top = max(votes.values())
        eliminated = round_["eliminated"]
        if eliminated is not None:
            lower(needed - top)  # no one reached S in this round
            for other, v in votes.items():
                if other != eliminated:
                    lower(_half_gap(v - votes[eliminated]))
        elif top == 0:
            lower(1)  # one ballot could rank a candidate first
        elif top >= needed:
            lower(top - needed + 1)
            others = sorted((v for c, v in votes.items()), reverse=True)[1:]
            if others:
                lower(_half_gap(top - others[0]))
        else:
            lower(needed - top)
    return bound
