"""api/enthusiasm.py and rules/margins.py on the sample: exact margins, the Wilson
interval, where a contest's turnout stands among the contests with a candidate."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import endorse_analysis as ea
from endorse_analysis.api import enthusiasm
from endorse_analysis.present import tables
from endorse_analysis.rules import Thresholds
from endorse_analysis.rules.margins import Z_95, ballots_needed, contest_margins, wilson_interval


@pytest.fixture(scope="module")
def figures(sample_db):
    with ea.connect(sample_db) as con:
        return ea.wave_figures(con, "2026-03", Thresholds())


def margins(figures, race):
    return enthusiasm.robustness(figures.contest(race), figures.thresholds)


def test_thresholds_are_exact():
    t = Thresholds()
    assert contest_margins(5, 0, 3, t)["support_needed"] == 3  # 3 of 5 is exactly 60%
    assert contest_margins(8, 0, 3, t)["support_needed"] == 5  # 4.8 -> 5
    assert ballots_needed(14, t) == 2  # 1.4 -> 2
    assert ballots_needed(10, t) == 1  # exactly 10%
    assert ballots_needed(0, t) == 1  # the minimum of 1 ballot
    odd = Thresholds(Fraction(2, 3), Fraction(1, 3), Fraction(0))
    assert contest_margins(3, 0, 2, odd)["support_needed"] == 2
    assert ballots_needed(0, odd) == 0


def test_margins_of_the_sample(figures):
    ca12 = margins(figures, "CA-12")  # ENDORSE with 3 of 5 exactly
    assert ca12["support_flip"] == 1 and ca12["support_needed"] == 3
    assert ca12["support_surplus"] == 0
    assert ca12["ballots_needed"] == 1 and ca12["ballots_surplus"] == 4
    assert margins(figures, "VT-AL")["support_flip"] == 2  # 5 of 6 needs 4: 2 switches
    mi = margins(figures, "MI-SEN")  # 4 of 8, needs 5: 1 more
    assert mi["support_flip"] == 1 and mi["support_surplus"] == -1
    gov = margins(figures, "CA-GOV")  # REVIEW: 1 ballot of 2 needed
    assert gov["ballots_surplus"] == -1 and gov["ballots_needed"] == 2
    none = margins(figures, "MI-11")  # NO_CANDIDATES
    assert none["support_flip"] is None and none["wilson_low"] is None


def test_switching_the_flip_margin_really_flips(figures):
    """Switching support_flip ballots flips the exact comparison; one fewer does not."""
    for race in ("CA-12", "VT-AL"):
        row = figures.contest(race)
        n, votes, k = (
            row["ballots_counted"],
            row["top_votes"],
            margins(figures, race)["support_flip"],
        )
        assert (votes - k) * 5 < 3 * n
        assert (votes - k + 1) * 5 >= 3 * n


def test_wilson_interval():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(3, 5)
    assert 0 < low < 0.6 < high < 1
    z, n, p = Z_95, 5, 0.6
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    assert math.isclose((low + high) / 2, centre)
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high > 0
    low, high = wilson_interval(10, 10)
    assert math.isclose(high, 1.0) and low < 1


def test_wave_comparisons_are_over_contests_with_a_candidate(figures):
    ranked = enthusiasm.compared_contests(figures.contests)
    assert ranked.iloc[0]["race_id"] == "VT-AL" and ranked.iloc[0]["rank"] == 1
    assert list(ranked["turnout_text"])[0] == "100.00%"
    # MI-11 and VT-GOV have no candidate on the ballot: not compared, not counted at 0%
    assert set(ranked["race_id"]) == {"CA-12", "CA-GOV", "MI-SEN", "VT-AL"}
    standing = enthusiasm.turnout_standing(figures.contests, "CA-GOV", figures.thresholds)
    assert standing.compared == 4 and standing.meeting_minimum == 3
    # turnouts 6/6, 8/9, 5/6, 1/14: the median is (8/9 + 5/6) / 2, exactly
    assert standing.median == (Fraction(8, 9) + Fraction(5, 6)) / 2
    assert enthusiasm.turnout_standing(figures.contests, "MI-11", figures.thresholds).rank is None


def test_turnout_and_robustness_in_words(figures):
    table = tables.turnout_table(figures, "CA-GOV").set_index("measure")["value"]
    assert table["Turnout"] == "1 of 14 potential voters (7.14%)"
    assert table["Meets the minimum"] == "no"
    assert table["Those contests meeting the minimum"] == "3 of 4"
    assert table["Median turnout of those contests"] == "86.11%"
    text = tables.robustness_table(figures, "CA-12")["value"].str.cat(sep=" | ")
    assert "1 of Ana Alvarez (A1)'s 3 ballots switched to no endorsement" in text
    assert "2 of 5, 40.00%" in text and "Wilson" in text
    text = tables.robustness_table(figures, "CA-GOV")["value"].str.cat(sep=" | ")
    assert "1 more ballots would have met the minimum turnout" in text
    text = tables.robustness_table(figures, "MI-11")["value"].str.cat(sep=" | ")
    assert "no candidate is on the ballot" in text
