"""rules/privacy: no published figure gives back a hidden cell.

The attacker (tests/recover.py) holds every published figure of a breakdown (the cells
shown, the totals, cumulative sums) and tries to recover hidden cells by linear
differences of them. Totals are results, published whatever happens, so only what the
shown cells add to them counts as a leak.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st
from recover import recovered

from endorse_analysis.rules.privacy import group, merge_small_periods, protect, sum_of
from endorse_analysis.vocabulary import MIN_CELL

SMALL = range(1, MIN_CELL)


def assert_nothing_recoverable(values, relations):
    hidden = protect(values, relations)
    for i, v in enumerate(values):
        assert hidden[i] or v >= MIN_CELL, (i, v)
    cells, sums = recovered(values, hidden, relations)
    for cell, value in cells.items():
        assert value not in SMALL, f"cell {cell} comes back as {value}"
    for subset, value in sums:
        assert value not in SMALL, f"cells {subset} come back as {value}"
    return hidden


counts = st.one_of(st.integers(0, 6), st.integers(0, 30))


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=12), st.data())
def test_a_series_with_its_total_and_subtotals_gives_nothing_back(values, data):
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(values) - 1)), max_size=3))))
    relations = [group(range(len(values)), sum(values))]
    bounds = [0, *[c for c in cuts if c < len(values)], len(values)]
    if len(bounds) > 2:
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            relations.append(group(range(lo, hi), sum(values[lo:hi])))
    assert_nothing_recoverable(values, relations)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), st.integers(2, 4), st.data())
def test_a_table_with_row_and_column_totals_gives_nothing_back(n_rows, n_cols, data):
    values = data.draw(st.lists(counts, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    cell = [[r * n_cols + c for c in range(n_cols)] for r in range(n_rows)]
    relations = [group(row, sum(values[i] for i in row)) for row in cell]
    for c in range(n_cols):
        column = [cell[r][c] for r in range(n_rows)]
        relations.append(group(column, sum(values[i] for i in column)))
    assert_nothing_recoverable(values, relations)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 9)), max_size=60),
    st.integers(1, 9),
)
def test_hours_contests_and_first_hours_published_together_give_nothing_back(ballots, split):
    """The timing figures of a wave: ballots per hour (10 hours), each contest's ballots in
    the first `split` hours and after, and the wave's first-hours count and the rest; the
    wave's ballots and each contest's ballots are results."""
    hours = [sum(1 for _, h in ballots if h == k) for k in range(10)]
    contests = sorted({c for c, _ in ballots})
    early = [sum(1 for c2, h in ballots if c2 == c and h < split) for c in contests]
    late = [sum(1 for c2, h in ballots if c2 == c and h >= split) for c in contests]
    values = [*hours, sum(hours[:split]), sum(hours[split:]), *early, *late]
    first, rest = 10, 11
    e_cells = list(range(12, 12 + len(contests)))
    l_cells = list(range(12 + len(contests), 12 + 2 * len(contests)))
    relations = [
        group(range(10), len(ballots)),
        sum_of(range(split), first),
        sum_of(range(split, 10), rest),
        group([first, rest], len(ballots)),
        *(
            group([e, lc], early[k] + late[k])
            for k, (e, lc) in enumerate(zip(e_cells, l_cells, strict=True))
        ),
        sum_of(e_cells, first),
        sum_of(l_cells, rest),
    ]
    assert_nothing_recoverable(values, relations)


def test_one_hidden_cell_next_to_its_total_takes_another_with_it():
    hidden = assert_nothing_recoverable([16, 3, 7], [group([0, 1, 2], 26)])
    assert hidden == [False, True, True]  # 7 is hidden to protect the 3: 10 comes back
    hidden = assert_nothing_recoverable([16, 1, 2, 9], [group([0, 1, 2, 3], 28)])
    assert hidden == [False, True, True, True]  # 1 + 2 = 3 would come back


def test_a_result_is_never_hidden_and_its_neighbour_goes_instead():
    """Members on the list (32) around the eligible (29, a result: the contests' totals
    give it): the 3 outside are hidden, and so is the list, never the result."""
    listed, eligible, outside = 0, 1, 2
    relations = [sum_of([eligible, outside], listed)]
    assert protect([32, 29, 3], relations, always_shown={eligible}) == [True, False, True]
    assert protect([32, 29, 3], relations) == [False, True, True]  # the smaller goes
    # a result given by results only is a result, not a leak: nothing to hide for it
    assert protect([32, 29, 3], relations, always_shown={listed, eligible}) == [False, False, True]


def test_a_difference_of_two_groups_is_protected_too():
    # hours 0-3 with their total and the first two hours' total: 2 comes back as 12 - 10
    values = [10, 2, 6, 8]
    relations = [group([0, 1, 2, 3], 26), group([0, 1], 12)]
    hidden = assert_nothing_recoverable(values, relations)
    assert hidden[1] and hidden[0]


def test_protect_and_the_attacker_agree_on_an_unprotected_breakdown():
    """The attacker of this file does find what plain small-cell hiding leaves open."""
    values, relations = [16, 3, 7], [group([0, 1, 2], 26)]
    punched = [v < MIN_CELL for v in values]
    assert recovered(values, punched, relations) == ({1: 3}, [([1], 3)])
    assert recovered(values, protect(values, relations), relations) == ({}, [([1, 2], 10)])


DAY0 = date(2026, 3, 5)


def published_series_figures(counts_by_day):
    """What a race page publishes for votes over time, each figure with the days it sums:
    each period's ballots, the running sum after it, and the total."""
    days = [(DAY0 + timedelta(days=i), n) for i, n in enumerate(counts_by_day)]
    index = {day: i for i, (day, _) in enumerate(days)}
    figures, running = [], 0
    for p in merge_small_periods(days):
        span = frozenset(range(index[p.first], index[p.last] + 1))
        running += p.ballots
        figures.append((span, p.ballots))
        figures.append((frozenset(range(index[p.last] + 1)), running))
    figures.append((frozenset(range(len(days))), sum(counts_by_day)))
    return figures


def recovered_from_series(figures):
    """Sums of days given back by one published figure less another inside it."""
    return [
        (outer - inner, big - small)
        for (outer, big), (inner, small) in combinations(figures + [(frozenset(), 0)], 2)
        if inner < outer
    ] + [
        (inner - outer, small - big)
        for (inner, small), (outer, big) in combinations(figures, 2)
        if outer < inner
    ]


@given(st.lists(st.integers(0, 12), max_size=14))
def test_a_series_with_a_running_sum_gives_nothing_back(counts_by_day):
    """Every published figure, and every difference of two (cells, cumulative sums, the
    total), is 0 or at least MIN_CELL, unless it is the contest total itself."""
    figures = published_series_figures(counts_by_day)
    total = sum(counts_by_day)
    for days, value in recovered_from_series(figures):
        if value != total:
            assert value not in SMALL, (sorted(days), value)


def test_ny12_votes_over_time_do_not_give_back_the_small_day():
    """NY-12 of the demo: 16, 3, 7 ballots on three days; no published figure, and no
    difference of two, is 3."""
    figures = published_series_figures([16, 3, 7])
    assert 3 not in [value for _, value in figures]
    assert all(value not in SMALL for _, value in recovered_from_series(figures))
