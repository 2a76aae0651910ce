"""present/charts/: every chart builds a valid Vega-Lite spec and renders to offline SVG."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

import endorse_analysis as ea
from endorse_analysis.api.enthusiasm import compared_contests
from endorse_analysis.present import charts, tables
from endorse_analysis.rules import Thresholds


@pytest.fixture(scope="module")
def con(sample_db):
    connection = ea.connect(sample_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def figures(con):
    return {w: ea.wave_figures(con, w, Thresholds()) for w in ("2026-03", "2026-04")}


def offline(svg: str) -> None:
    assert svg.lstrip().startswith("<svg")
    urls = set(re.findall(r"https?://[^\"' )]+", svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert "@font-face" not in svg and "@import" not in svg


def race_charts(fig, race):
    t = fig.thresholds
    return [
        charts.tally_bars(tables.chart_options(fig, race), t.support),
        charts.turnout_in_wave(compared_contests(fig.contests), t.turnout, race),
        charts.ballots_per_period(tables.votes_over_time(fig, race)),
    ]


@pytest.mark.parametrize(
    "wave, race",
    [("2026-03", "CA-12"), ("2026-03", "MI-SEN"), ("2026-04", "MI-11"), ("2026-04", "CA-GOV")],
)
def test_race_charts_validate_and_render(figures, wave, race):
    for chart in race_charts(figures[wave], race):
        chart.to_dict()  # validates against the Vega-Lite schema
        offline(charts.to_svg(chart))


@pytest.mark.parametrize("wave", ["2026-03", "2026-04"])
def test_wave_charts_validate_and_render(figures, wave):
    fig = figures[wave]
    t = fig.thresholds
    for chart in (
        charts.decision_space(fig.contests, t.support, t.turnout),
        charts.turnout_distribution(compared_contests(fig.contests), t.turnout),
        charts.state_tiles(fig.contests),
        charts.decision_counts(fig.contests),
    ):
        chart.to_dict()
        offline(charts.to_svg(chart))


def test_show_is_static_svg(figures):
    shown = charts.show(race_charts(figures["2026-03"], "CA-12")[0])
    assert type(shown).__name__ == "SVG"
    assert "60%" in shown.data  # the support threshold is drawn and labelled


def test_tally_bars_draw_the_threshold(figures):
    spec = race_charts(figures["2026-03"], "CA-12")[0].to_dict()
    rules = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule"]
    assert rules, "the support threshold is a rule"


def test_state_tiles_are_the_50_states_and_dc():
    states = {r["state"] for r in csv.DictReader(open("data/reference/states.csv"))}
    assert set(charts.STATE_TILES) == states | {"DC"} or set(charts.STATE_TILES) == states
    assert len(charts.STATE_TILES) == 51
    assert len(set(charts.STATE_TILES.values())) == 51  # no two states on one tile


def test_tooltips_truncate_shares_like_the_pages():
    """A share under the pointer is cut, never rounded up: 0.59999 shows 59.99%, and 0.6
    (a float a hair below it) 60.00%, as the pages print them."""
    frame = pd.DataFrame(
        {"race_id": ["A", "B"], "decision": ["REVIEW", "ENDORSE"],
         "top_share": [0.59999, 0.6], "turnout": [0.123456, 0.5]}
    )  # fmt: skip
    spec = charts.decision_space(frame, Thresholds().support, Thresholds().turnout).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["top_share_text"] for r in rows] == ["59.99%", "60.00%"]
    assert [r["turnout_text"] for r in rows] == ["12.34%", "50.00%"]
    tips = spec["layer"][0]["encoding"]["tooltip"]
    assert all("format" not in t for t in tips if "share" in t["field"] or "turnout" in t["field"])
