"""Each race in its political context (api/context.py, api/dynamics.py): the 2024 figures
of a district and, vote-weighted, of a state; the bands at their exact cut-offs; a race
with no figure; the dynamics notebook against the demo."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from helpers import ROOT

import endorse_analysis as ea
from endorse_analysis.api import dynamics
from endorse_analysis.api.context import (
    NO_CONTEXT,
    band,
    lean_text,
    margin_points,
    race_context,
    use_district_facts,
)
from endorse_analysis.present.words import context_words

DISTRICTS = ROOT / "data" / "reference" / "districts-2024-lines.csv"


def facts(state: str) -> list[dict]:
    with open(DISTRICTS, encoding="utf-8", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["state"] == state]


def by_hand(state: str) -> Fraction:
    """The state's margin in points, summed by hand from its districts' rows."""
    rows = facts(state)
    rep = sum(Fraction(r["pres2024_rep_two_party_share"]) * int(r["pres2024_two_party_votes"])
              for r in rows)  # fmt: skip
    votes = sum(int(r["pres2024_two_party_votes"]) for r in rows)
    return (2 * rep / votes - 1) * 100


@pytest.fixture(scope="module")
def context(sample_db):
    with ea.connect(sample_db) as con:
        return race_context(con).set_index("race_id")


def test_a_statewide_figure_is_the_vote_weighted_sum_of_its_districts(context):
    # Michigan's 13 districts together (the sample has MI-SEN), and Vermont's one
    assert context.loc["MI-SEN", "margin"] == pytest.approx(float(by_hand("MI")), abs=1e-9)
    assert context.loc["MI-SEN", "lean"] == lean_text(by_hand("MI"))
    assert context.loc["VT-GOV", "margin"] == pytest.approx(float(by_hand("VT")), abs=1e-9)
    # a House race is its own district: CA-12, Oakland and Berkeley
    (ca12,) = [r for r in facts("CA") if r["district"] == "12"]
    share = Fraction(ca12["pres2024_rep_two_party_share"])
    assert context.loc["CA-12", "margin"] == pytest.approx(float((2 * share - 1) * 100))
    assert context.loc["CA-12", "description"] == "Oakland and Berkeley"
    assert context.loc["CA-12", "band"] == "safe D"


def test_bands_at_their_exact_cut_offs():
    assert band(Fraction(5)) == band(Fraction(-5)) == "toss-up"
    assert band(Fraction(500001, 100000)) == "lean R"
    assert band(Fraction(-500001, 100000)) == "lean D"
    assert band(Fraction(10)) == "lean R" and band(Fraction(-10)) == "lean D"
    assert band(Fraction(1000001, 100000)) == "safe R"
    assert band(None) == NO_CONTEXT
    # the margin is exact: 0.525 of the two-party vote is R+5.0, a toss-up, not a lean
    assert margin_points(Decimal("0.525") * 1000, 1000) == 5
    assert lean_text(Fraction(59884, 10000)) == "R+5.9"  # cut, never rounded up
    assert lean_text(Fraction(-1)) == "D+1.0" and lean_text(Fraction(0)) == "even"


def test_a_race_without_a_figure_says_so(sample_db, tmp_path):
    reduced = tmp_path / "districts.csv"
    with open(DISTRICTS, encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    with open(reduced, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["race_id"] != "CA-12")  # as if redrawn
    with ea.connect(sample_db) as con:
        use_district_facts(con, reduced)
        context = race_context(con, "2026-03").set_index("race_id")
    assert context.loc["CA-12", "band"] == NO_CONTEXT
    assert pd.isna(context.loc["CA-12", "lean"]) and pd.isna(context.loc["CA-12", "margin"])
    assert "No 2024 presidential figure" in context_words(
        {"lean": None, "description": None, "largest_place": None}
    )
    assert context.loc["MI-SEN", "band"] != NO_CONTEXT  # the others keep theirs


def test_the_dynamics_notebook_runs_on_the_demo(small_demo_db, tmp_path):
    import papermill

    out = tmp_path / "dynamics.ipynb"
    nb = papermill.execute_notebook(
        str(ROOT / "notebooks" / "explore_dynamics.ipynb"),
        str(out),
        parameters={"db_path": str(small_demo_db)},
        kernel_name="python3",
        progress_bar=False,
    )
    text = out.read_text(encoding="utf-8")
    assert "toss-up" in text and "<svg" in text
    assert "runoff pending" in text and "Democratic incumbent" in text  # the calendar's sections
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []


def test_battlegrounds_count_every_toss_up(small_demo_db):
    with ea.connect(small_demo_db) as con:
        contests = dynamics.contests_in_context(con)
    table = dynamics.battlegrounds(contests)
    close = contests[contests["band"] == "toss-up"]
    assert table["toss_ups"].sum() == len(close)
    parts = ["endorsed", "no_candidate", "not_endorsed", "awaiting_ruling"]
    assert (table[parts].sum(axis=1) == table["toss_ups"]).all()
