"""enthusiasm.py: exact flip margins, the Wilson interval, turnout in the wave (sample data)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import endorse_analysis as ea
from endorse_analysis import enthusiasm
from endorse_analysis.rules import Thresholds


@pytest.fixture(scope="module")
def con(sample_db):
    connection = ea.connect(sample_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def march(con):
    return ea.tally(con, "2026-03", Thresholds())


def row(tally, race):
    return tally[tally["race_id"] == race].iloc[0]


def test_thresholds_are_exact():
    t = Thresholds()
    assert enthusiasm.support_needed(5, t) == 3  # 3 of 5 is exactly 60%
    assert enthusiasm.support_needed(8, t) == 5  # 4.8 -> 5
    assert enthusiasm.ballots_needed(14, t) == 2  # 1.4 -> 2
    assert enthusiasm.ballots_needed(10, t) == 1  # exactly 10%
    assert enthusiasm.ballots_needed(0, t) == 1  # the minimum of 1 ballot
    odd = Thresholds(Fraction(2, 3), Fraction(1, 3), Fraction(0))
    assert enthusiasm.support_needed(3, odd) == 2
    assert enthusiasm.ballots_needed(0, odd) == 0


def test_flip_margins_of_the_sample(march):
    t = Thresholds()
    ca12 = enthusiasm.flip_margins(row(march, "CA-12"), t)  # ENDORSE with 3 of 5 exactly
    assert ca12["support_margin"] == 1 and ca12["support_needed"] == 3
    assert ca12["ballots_needed"] == 1 and ca12["turnout_margin"] == 4
    vt = enthusiasm.flip_margins(row(march, "VT-AL"), t)  # 5 of 6 needs 4: 2 switches
    assert vt["support_margin"] == 2
    mi = enthusiasm.flip_margins(row(march, "MI-SEN"), t)  # 4 of 8, needs 5: 1 more
    assert mi["decision"] == "NO_ENDORSEMENT" and mi["support_margin"] == 1
    gov = enthusiasm.flip_margins(row(march, "CA-GOV"), t)  # REVIEW: 1 ballot of 2 needed
    assert gov["turnout_margin"] == -1 and gov["ballots_needed"] == 2
    none = enthusiasm.flip_margins(row(march, "MI-11"), t)  # NO_CANDIDATES
    assert none["support_margin"] is None and none["wilson_low"] is None


def test_flip_margin_switching_really_flips(march):
    """Switching support_margin ballots flips the exact comparison; one fewer does not."""
    t = Thresholds()
    for race in ("CA-12", "VT-AL"):
        r = row(march, race)
        m = enthusiasm.flip_margins(r, t)
        n, votes, k = int(r["ballots_counted"]), int(r["top_votes"]), m["support_margin"]
        assert (votes - k) * 5 < 3 * n
        assert (votes - k + 1) * 5 >= 3 * n


def test_wilson_interval():
    assert enthusiasm.wilson_interval(0, 0) is None
    low, high = enthusiasm.wilson_interval(3, 5)
    assert 0 < low < 0.6 < high < 1
    # the closed form for 3 of 5
    z, n, p = enthusiasm.Z_95, 5, 0.6
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    assert math.isclose((low + high) / 2, centre)
    low, high = enthusiasm.wilson_interval(0, 10)
    assert low == 0.0 and high > 0
    low, high = enthusiasm.wilson_interval(10, 10)
    assert math.isclose(high, 1.0) and low < 1


def test_wave_turnout_and_position(march):
    ranked = enthusiasm.wave_turnout(march, "VT-AL")
    assert ranked.iloc[0]["race_id"] == "VT-AL" and ranked.iloc[0]["rank"] == 1
    assert ranked["is_this_race"].sum() == 1
    assert list(ranked["turnout_text"])[0] == "100.00%"
    table = enthusiasm.turnout_position(march, "CA-GOV", Thresholds())
    assert table.loc["Turnout", "value"] == "1 of 14 potential voters (7.14%)"
    assert table.loc["Meets the minimum", "value"] == "no"
    assert table.loc["Contests of the wave meeting the minimum turnout", "value"] == "5 of 6"


def test_robustness_in_words(march):
    t = Thresholds()
    text = enthusiasm.robustness(row(march, "CA-12"), t)["value"].str.cat(sep=" | ")
    assert "1 of A1's 3 ballots switched to NO_ENDORSEMENT" in text
    assert "2 of 5, 40.00%" in text
    assert "Wilson" in text
    text = enthusiasm.robustness(row(march, "CA-GOV"), t)["value"].str.cat(sep=" | ")
    assert "1 more ballots would have met the minimum turnout" in text
    text = enthusiasm.robustness(row(march, "MI-11"), t)["value"].str.cat(sep=" | ")
    assert "no candidate is on the ballot" in text
