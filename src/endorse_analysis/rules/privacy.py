"""Privacy of published breakdowns (docs/rules.md §3).

In: counts per cell of a breakdown finer than a contest (by day, by hour, by contest and
part of the window, by month), and the sums a reader also knows. Out: which cells may be
published. Per-contest totals are the result and always shown; a cell of fewer than
MIN_CELL never is, and no figure published beside it may give one back.

Two ways, one per shape of publication:

- A series published with a running sum (a race page's votes over time) is coarsened, not
  punched: adjacent periods are merged until each holds at least MIN_CELL ballots, so
  cumulative sums and the contest total reveal nothing finer than a published period
  (`merge_small_periods`).
- A breakdown published with totals (hours of a wave against its counted ballots, each
  contest's first hours against its ballots, months against the members) is punched with
  complementary suppression (`protect`): cells under MIN_CELL are hidden, then further
  cells, the smallest shown first, until no hidden cell and no hidden group can be worked
  out from the shown cells and the totals. A hidden cell is labelled "hidden", never
  "fewer than 5": some hold more, and saying which would narrow the others down.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from endorse_analysis.vocabulary import MIN_CELL

# Beyond this many relations the closure under differences stops growing (the linear
# check still guards every cell).
MAX_RELATIONS = 20_000


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


@dataclass(frozen=True)
class Relation:
    """A sum the reader knows besides the cells: the cells in `plus`, less those in
    `minus`, equal `total`. A group with a published total has only `plus`; "this cell is
    the sum of those" is `plus` those, `minus` the cell, total 0."""

    plus: tuple[int, ...]
    minus: tuple[int, ...] = ()
    total: int = 0

    def cells(self) -> tuple[int, ...]:
        return self.plus + self.minus


def group(cells: Sequence[int], total: int) -> Relation:
    """The relation "these cells add up to `total`", the total being published."""
    return Relation(tuple(cells), (), int(total))


def sum_of(cells: Sequence[int], whole: int) -> Relation:
    """The relation "cell `whole` is the sum of these cells"."""
    return Relation(tuple(cells), (whole,), 0)


def protect(
    cells: Sequence[int],
    relations: Sequence[Relation],
    min_cell: int = MIN_CELL,
    always_shown: Collection[int] = (),
) -> list[bool]:
    """Which cells to hide (True) so that, with the relations known, no hidden cell and no
    hidden group is recoverable: every cell under `min_cell` is hidden; then, while a
    relation has exactly one hidden cell, or its hidden cells add up to a known sum under
    `min_cell`, the smallest shown cell of that relation is hidden too; a last linear
    check hides more wherever a hidden cell is still determined by all relations at once.

    The totals of the relations are results, published whatever happens (a relation whose
    cells are all hidden gives back only its total), and so are the cells `always_shown`
    (figures that other results already give, such as a sum of contest totals): never
    hidden, never chosen to protect another."""
    values = [int(v) for v in cells]
    fixed = set(always_shown)
    hidden = [v < min_cell and i not in fixed for i, v in enumerate(values)]
    known = _with_differences(list(relations))
    while True:
        progressed = False
        for relation in [r for r in known if _exposed(r, values, hidden, min_cell)]:
            progressed |= _hide_smallest_shown(relation, values, hidden, fixed)
        if not progressed:  # nothing exposed, or exposed only through results
            for relation in _determined_relations(known, hidden):
                progressed |= _hide_smallest_shown(relation, values, hidden, fixed)
        if not progressed:
            return hidden


def _with_differences(relations: list[Relation]) -> list[Relation]:
    """The relations and what their nesting tells too: for groups A inside B, the cells of
    B outside A add up to B's total less A's."""
    known = {(tuple(sorted(r.plus)), tuple(sorted(r.minus))): r for r in relations}
    pending = [(frozenset(r.plus), r) for r in relations if not r.minus]
    while pending and len(known) < MAX_RELATIONS:
        found = []
        groups = [(frozenset(r.plus), r) for r in known.values() if not r.minus]
        for inner, a in pending:
            for outer, b in groups:
                if inner < outer:
                    rest = Relation(tuple(sorted(outer - inner)), (), b.total - a.total)
                elif outer < inner:
                    rest = Relation(tuple(sorted(inner - outer)), (), a.total - b.total)
                else:
                    continue
                key = (rest.plus, ())
                if key not in known:
                    known[key] = rest
                    found.append((frozenset(rest.plus), rest))
        pending = found
    return list(known.values())


def _exposed(relation: Relation, values: list[int], hidden: list[bool], min_cell: int) -> bool:
    """Whether the relation gives back one hidden cell, or a sum of hidden cells under
    `min_cell`, from the shown cells of it."""
    shown = [i for i in relation.cells() if not hidden[i]]
    hidden_plus = [i for i in relation.plus if hidden[i]]
    hidden_minus = [i for i in relation.minus if hidden[i]]
    if not shown or not (hidden_plus or hidden_minus):
        return False
    if len(hidden_plus) + len(hidden_minus) == 1:
        return True
    if hidden_plus and hidden_minus:  # a difference of hidden cells: no sum comes back
        return False
    hidden_sum = sum(values[i] for i in hidden_plus + hidden_minus)
    return hidden_sum < min_cell


def _hide_smallest_shown(
    relation: Relation, values: list[int], hidden: list[bool], fixed: set[int]
) -> bool:
    shown = [i for i in relation.cells() if not hidden[i] and i not in fixed]
    if not shown:
        return False
    hidden[min(shown, key=lambda i: (values[i], i))] = True
    return True


def _determined_relations(relations: list[Relation], hidden: list[bool]) -> list[Relation]:
    """For each hidden cell that all relations together pin down (linear algebra: it lies
    in no direction the relations leave free), a relation through it with a shown cell."""
    columns = [i for i, h in enumerate(hidden) if h]
    if not columns or not relations:
        return []
    position = {cell: k for k, cell in enumerate(columns)}
    matrix = np.zeros((len(relations), len(columns)))
    for row, relation in enumerate(relations):
        for cell in relation.plus:
            if cell in position:
                matrix[row, position[cell]] += 1
        for cell in relation.minus:
            if cell in position:
                matrix[row, position[cell]] -= 1
    _, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((singular > 1e-9).sum())
    free = vt[rank:]
    pinned = np.all(np.abs(free) < 1e-9, axis=0) if len(free) else np.ones(len(columns), bool)
    touched = matrix.any(axis=0)
    out = []
    for k in np.flatnonzero(pinned & touched):
        cell = columns[k]
        through = [
            r for r in relations if cell in r.cells() and not all(hidden[i] for i in r.cells())
        ]
        if through:
            out.append(min(through, key=lambda r: len(r.cells())))
    return out
