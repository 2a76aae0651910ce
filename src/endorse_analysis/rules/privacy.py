"""Privacy of published breakdowns (contract §3).

In: counts of ballots per cell of a breakdown finer than a contest (by day, by hour, by
area). Out: what may be published. Per-contest totals are the result and always shown; a
finer cell of fewer than MIN_CELL ballots never is, and no published figure may give one
back by subtraction. A time series is therefore coarsened, not punched: adjacent periods
are merged until every published period holds at least MIN_CELL ballots, so cumulative
sums and the contest total reveal nothing finer than a published period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from endorse_analysis.vocabulary import MIN_CELL


@dataclass(frozen=True)
class Period:
    """Consecutive days merged into one published cell: first..last day, ballots."""

    first: date
    last: date
    ballots: int


def merge_small_periods(days: Sequence[tuple[date, int]], min_cell: int = MIN_CELL) -> list[Period]:
    """Merge consecutive (day, ballots) cells, in day order, until each merged period holds
    at least `min_cell` ballots; a short remainder joins the last period. With fewer than
    `min_cell` ballots in all there is no breakdown at all: even one period would say on
    which days those few ballots were cast."""
    ordered = [(day, int(ballots)) for day, ballots in sorted(days) if ballots > 0]
    periods: list[Period] = []
    start: date | None = None
    held = 0
    for day, ballots in ordered:
        start = day if start is None else start
        held += ballots
        if held >= min_cell:
            periods.append(Period(start, day, held))
            start, held = None, 0
    if held and periods:  # a remainder under min_cell joins the period before it
        before = periods.pop()
        periods.append(Period(before.first, ordered[-1][0], before.ballots + held))
    return periods


def hide_small(
    frame: pd.DataFrame, columns: Sequence[str], min_cell: int = MIN_CELL
) -> pd.DataFrame:
    """A copy with every cell of `columns` under `min_cell` made missing (nullable Int64).
    Only for breakdowns published without their total or any other sum that would give a
    hidden cell back."""
    out = frame.copy()
    for column in columns:
        values = out[column].astype("Int64")
        out[column] = values.mask(values < min_cell)
    return out
