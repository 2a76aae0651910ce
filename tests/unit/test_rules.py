"""rules/: exact thresholds, truncated percentages, reasons, privacy of a series."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from endorse_analysis.rules import ThresholdError, Thresholds, decimal_text
from endorse_analysis.rules.privacy import merge_small_periods
from endorse_analysis.rules.words import float_percent, percent, reason, threshold_percent
from endorse_analysis.vocabulary import MIN_CELL


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (3, 5, "60.00%"),
        (59996, 100000, "59.99%"),
        (2, 3, "66.66%"),
        (1, 1, "100.00%"),
        (0, 7, "0.00%"),
        (312, 480, "65.00%"),
        (480, 2113, "22.71%"),
        (5, 0, "–"),
    ],
)
def test_percentages_are_truncated_never_rounded_up(part, whole, shown):
    assert percent(part, whole) == shown


def test_thresholds_are_read_as_exact_decimals():
    t = Thresholds.from_text("0.6", "0.1", "1")
    assert (t.support, t.turnout, t.min_votes) == (Fraction(3, 5), Fraction(1, 10), 1)
    assert Thresholds.from_text("0.60").support == Fraction(3, 5)
    assert Thresholds.from_text("0.6667").support == Fraction(6667, 10000)
    assert t.as_json() == {"support_threshold": "0.6", "min_turnout": "0.1", "min_votes": 1}
    assert t.sql_parameters() == {"sp": 3, "sq": 5, "tp": 1, "tq": 10, "mp": 1, "mq": 1}


@pytest.mark.parametrize(
    ("support", "turnout", "votes"),
    [
        ("0", "0.1", "1"),
        ("1.01", "0.1", "1"),
        ("0.6", "-0.1", "1"),
        ("0.6", "1.5", "1"),
        ("0.6", "0.1", "-1"),
        ("nan", "0.1", "1"),
        ("inf", "0.1", "1"),
        ("60%", "0.1", "1"),
        ("0.6", "abc", "1"),
        ("0." + "1" * 30, "0.1", "1"),
        ("0.6", "0.1", "1_000"),
        ("0.6", "0.1", "1e1"),
        ("+0.6", "0.1", "1"),
        ("0.6", "1E-1", "1"),
        ("0.6", "0.1", "١"),  # an Arabic-Indic digit one
        ("0.6", "0.1", "１"),  # a fullwidth one
        ("0.6", "0.1", ""),
        ("0.6", "0.1", "."),
        ("0.6", "0.1", "0x1"),
        ("0.6", "0.1", "1/2"),
    ],
)
def test_thresholds_out_of_range_or_not_decimal_are_refused(support, turnout, votes):
    with pytest.raises(ThresholdError):
        Thresholds.from_text(support, turnout, votes)


def test_threshold_edges_are_allowed():
    Thresholds.from_text("1", "0", "0")
    Thresholds.from_text("0.000001", "1", "100")
    assert Thresholds.from_text(".6", "0.10", "2.").as_text() == {
        "support_threshold": "0.6",
        "min_turnout": "0.1",
        "min_votes": "2",
    }
    assert Thresholds.from_text(" 0.6 ").support == Fraction(3, 5)


def test_decimal_and_percent_text():
    assert decimal_text(Fraction(3, 5)) == "0.6"
    assert decimal_text(Fraction(100)) == "100"
    assert threshold_percent(Fraction(3, 5)) == "60%"
    assert threshold_percent(Fraction(6667, 10000)) == "66.67%"


def _row(**kw):
    row = {
        "decision": "ENDORSE",
        "ballots_counted": 480,
        "eligible_voters": 2113,
        "top_choice": "C1",
        "top_votes": 312,
        "tied": False,
        "enough_ballots": True,
        "enough_turnout": True,
    }
    row.update(kw)
    return row


def test_reasons_carry_the_figures_behind_the_decision():
    t = Thresholds()
    endorse = reason(_row(), t)
    assert "312 of 480 ballots (65.00%)" in endorse
    assert "480 of 2,113 potential voters (22.71%)" in endorse
    review = reason(_row(decision="REVIEW", enough_turnout=False, eligible_voters=9000), t)
    assert "below the 10% minimum" in review and "480 of 9,000" in review
    tie = reason(_row(decision="REVIEW", tied=True), Thresholds.from_text("0.5"))
    assert "ties" in tie
    assert (
        reason(_row(decision="NO_ENDORSEMENT", ballots_counted=0), t) == "No ballots were counted."
    )
    none = reason(_row(decision="NO_ENDORSEMENT", top_choice=None, top_votes=None), t)
    assert "chose no endorsement" in none
    below = reason(_row(decision="NO_ENDORSEMENT", top_votes=287), t)
    assert "287 of 480 ballots (59.79%)" in below and "below the 60%" in below
    assert "No candidate is on the ballot" in reason(_row(decision="NO_CANDIDATES"), t)


def test_a_float_share_is_read_back_as_the_fraction_it_stands_for():
    assert float_percent(0.6) == "60.00%"  # 0.59999999999999997... is 3/5
    assert float_percent(2 / 3) == "66.66%"
    assert float_percent(0.59996) == "59.99%"
    assert float_percent(None) == "–"


DAY0 = date(2026, 3, 5)


@given(st.lists(st.integers(0, 12), min_size=0, max_size=12))
def test_merged_periods_publish_no_count_under_the_cut_off(counts):
    """Every published period holds MIN_CELL or more ballots (or is the whole contest),
    the periods cover every ballot in day order, and so every difference of cumulative
    figures, and the total minus any of them, is a sum of whole periods."""
    days = [(DAY0 + timedelta(days=i), n) for i, n in enumerate(counts)]
    periods = merge_small_periods(days)
    total = sum(counts)
    if total < MIN_CELL:  # not broken down at all: a period would date those few ballots
        assert periods == []
        return
    assert sum(p.ballots for p in periods) == total
    assert all(p.ballots >= MIN_CELL for p in periods)
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.last < after.first
    for period in periods:  # each period holds exactly the ballots of its days
        inside = sum(n for d, n in days if period.first <= d <= period.last)
        assert inside == period.ballots


def test_merged_periods_of_a_known_series():
    days = [(DAY0 + timedelta(days=i), n) for i, n in enumerate([16, 3, 7, 2])]
    periods = merge_small_periods(days)
    assert [(p.first.day, p.last.day, p.ballots) for p in periods] == [(5, 5, 16), (6, 8, 12)]
