"""The attacker of a published breakdown: what comes back of its hidden cells.

Given the true cells, which are hidden, and the relations a reader knows (published
totals, "this count is the sum of those"), it recovers by linear differences: a hidden
cell pinned down by all relations and the shown cells together (exact Gauss-Jordan
elimination over fractions), and any sum of hidden cells given back by one relation or
the difference of two. What the totals alone give back is a result, not a leak.
Relations are `endorse_analysis.rules.privacy.Relation`s (plus, minus, total).
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations


class Span:
    """The row space of some vectors over the fractions, to ask whether a vector is a
    linear combination of them (Gauss-Jordan elimination, exact, on sparse rows)."""

    def __init__(self, vectors):
        self.rows: dict[int, dict[int, Fraction]] = {}  # pivot -> row, in reduced form
        for vector in vectors:
            self.add(vector)

    def reduce(self, vector):
        v = {i: Fraction(x) for i, x in enumerate(vector) if x}
        for pivot in sorted(set(v) & set(self.rows)):
            f = v.get(pivot)
            if f:
                for i, x in self.rows[pivot].items():
                    v[i] = v.get(i, 0) - f * x
                v = {i: x for i, x in v.items() if x}
        return v

    def add(self, vector):
        v = self.reduce(vector)
        if not v:
            return
        pivot = min(v)
        scale = v[pivot]
        v = {i: x / scale for i, x in v.items()}
        for row in self.rows.values():
            f = row.get(pivot)
            if f:
                for i, x in v.items():
                    row[i] = row.get(i, 0) - f * x
                for i in [i for i, x in row.items() if not x]:
                    del row[i]
        self.rows[pivot] = v

    def contains(self, vector):
        return not self.reduce(vector)


def _vector(relation, n):
    v = [0] * n
    for cell in relation.plus:
        v[cell] += 1
    for cell in relation.minus:
        v[cell] -= 1
    return v


def _indicator(cells, n):
    return [1 if i in cells else 0 for i in range(n)]


def recovered(values, hidden, relations):
    """What the attacker gets back, beyond what the totals alone say: hidden cells pinned
    down by all relations and the shown cells together ({cell: value}), and sums of hidden
    cells given back by one relation or the difference of two ([(cells, value)])."""
    n = len(values)
    shown = [i for i in range(n) if not hidden[i]]
    vectors = [_vector(r, n) for r in relations]
    from_totals = Span(vectors)
    # The shown cells are known: each is one more relation.
    with_shown = Span(vectors + [_indicator({i}, n) for i in shown])
    cells = {}
    for i in range(n):
        e = _indicator({i}, n)
        if hidden[i] and with_shown.contains(e) and not from_totals.contains(e):
            cells[i] = values[i]
    sums = []
    pairs = [[(r, 1)] for r in relations]
    for a, b in combinations(relations, 2):
        pairs += [[(a, 1), (b, -1)], [(b, 1), (a, -1)]]
    for combo in pairs:
        on_hidden: dict[int, int] = {}
        value = 0
        for relation, weight in combo:
            value += weight * relation.total
            for cell, k in enumerate(_vector(relation, n)):
                if not k:
                    continue
                if hidden[cell]:
                    on_hidden[cell] = on_hidden.get(cell, 0) + weight * k
                else:
                    value -= weight * k * values[cell]
        subset = {c for c, k in on_hidden.items() if k}
        if not subset or {on_hidden[c] for c in subset} not in ({1}, {-1}):
            continue
        if from_totals.contains(_indicator(subset, n)):
            continue  # a sum the totals alone give: a result
        sums.append((sorted(subset), abs(value)))
    return cells, sums
