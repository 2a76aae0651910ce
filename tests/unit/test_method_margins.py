"""The flip margins of an approval contest (exact) and a ranked one (a lower bound) against
brute force on small contests: no change of fewer ballots alters the winner (the top
choice where it has the support) or the decision, and for approval some change of
exactly that many does."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import model
import pytest

from endorse_analysis.rules.margins import approval_flip, runoff_flip_bound

CANDIDATES = ["A", "B", "C"]
NE = "NO_ENDORSEMENT"


def _outcome(final: dict[str, int], n: int, support: Fraction) -> tuple[str | None, str]:
    """(winner, decision) from one count with T = M = 0 (only support and ties): the
    winner is the top choice where it has the support, none otherwise."""
    votes = {c: final.get(c, 0) for c in CANDIDATES}
    top = min((c for c in CANDIDATES if votes[c] > 0), key=lambda c: (-votes[c], c), default=None)
    if n == 0 or top is None or votes[top] < support * n:
        return None, "NO_ENDORSEMENT"
    tied = any(votes[c] == votes[top] for c in CANDIDATES if c != top)
    return top, "REVIEW" if tied else "ENDORSE"


def _approval_outcome(ballots, support):
    counts = {c: sum(c in b for b in ballots) for c in CANDIDATES}
    return _outcome(counts, len(ballots), support)


def _ranked_outcome(ballots, support):
    rounds = model.instant_runoff(CANDIDATES, ballots, support)
    return _outcome(rounds[-1]["votes"], len(ballots), support)


APPROVALS = [list(s) for k in (1, 2, 3) for s in itertools.combinations(CANDIDATES, k)] + [[NE]]
RANKINGS = [list(p) for k in (1, 2, 3) for s in itertools.combinations(CANDIDATES, k)
            for p in itertools.permutations(s)] + [[NE], ["A", NE]]  # fmt: skip


def _fewest_changes(ballots, forms, outcome, limit):
    """The fewest ballots whose change alters the outcome, up to `limit` (None: more)."""
    base = outcome(ballots)
    for k in range(1, limit + 1):
        for chosen in itertools.combinations(range(len(ballots)), k):
            for new in itertools.product(forms, repeat=k):
                changed = list(ballots)
                for i, form in zip(chosen, new, strict=True):
                    changed[i] = form
                if outcome(changed) != base:
                    return k
    return None


@pytest.mark.parametrize("seed", range(25))
def test_approval_flip_is_exact(seed):
    rng = random.Random(seed)
    support = rng.choice([Fraction(1, 2), Fraction(3, 5), Fraction(2, 3)])
    ballots = [rng.choice(APPROVALS) for _ in range(rng.randint(1, 6))]
    counts = {c: sum(c in b for b in ballots) for c in CANDIDATES}
    flip = approval_flip(counts, len(ballots), support)
    found = _fewest_changes(ballots, APPROVALS, lambda b: _approval_outcome(b, support), flip)
    assert found == flip, (ballots, support)


@pytest.mark.parametrize("seed", range(25))
def test_runoff_bound_is_a_lower_bound(seed):
    rng = random.Random(seed)
    support = rng.choice([Fraction(1, 2), Fraction(3, 5), Fraction(2, 3)])
    ballots = [rng.choice(RANKINGS) for _ in range(rng.randint(1, 6))]
    rounds = model.instant_runoff(CANDIDATES, ballots, support)
    bound = runoff_flip_bound(rounds, len(ballots), support, NE)
    found = _fewest_changes(
        ballots, RANKINGS, lambda b: _ranked_outcome(b, support), max(bound - 1, 0)
    )
    assert found is None, (ballots, support, bound, found)
