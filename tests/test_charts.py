"""charts.py: every chart builds a valid Vega-Lite spec and renders to offline SVG."""

from __future__ import annotations

import csv
import re

import pytest

from endorse_analysis import charts, enthusiasm
from endorse_analysis import race as report
from endorse_analysis.cli import main
from endorse_analysis.rules import Thresholds


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = tmp_path_factory.mktemp("charts") / "sample.duckdb"
    assert main(["load", "data/sample", "--db", str(db)]) == 0
    connection = report.open_db(db)
    yield connection
    connection.close()


def offline(svg: str) -> None:
    assert svg.lstrip().startswith("<svg")
    urls = set(re.findall(r"https?://[^\"' )]+", svg))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert "@font-face" not in svg and "@import" not in svg


def race_charts(con, wave, race):
    t = Thresholds()
    tally = report.wave_tally(con, wave, t)
    over = report.votes_over_time(con, wave, race)
    return [
        charts.tally_bars(report.tally_table(con, wave, race), t.support),
        charts.turnout_in_wave(enthusiasm.wave_turnout(tally, race), t.turnout, race),
        charts.cumulative_ballots(over),
    ]


@pytest.mark.parametrize(
    "wave, race",
    [("2026-03", "CA-12"), ("2026-03", "MI-SEN"), ("2026-04", "MI-11"), ("2026-04", "CA-GOV")],
)
def test_race_charts_validate_and_render(con, wave, race):
    for chart in race_charts(con, wave, race):
        chart.to_dict()  # validates against the Vega-Lite schema
        offline(charts.to_svg(chart))


@pytest.mark.parametrize("wave", ["2026-03", "2026-04"])
def test_wave_charts_validate_and_render(con, wave):
    t = Thresholds()
    tally = report.wave_tally(con, wave, t)
    for chart in (
        charts.decision_space(tally, t.support, t.turnout),
        charts.turnout_distribution(tally, t.turnout),
        charts.state_tiles(tally),
        charts.decision_counts(tally),
    ):
        chart.to_dict()
        offline(charts.to_svg(chart))


def test_show_is_static_svg(con):
    shown = charts.show(race_charts(con, "2026-03", "CA-12")[0])
    assert type(shown).__name__ == "SVG"
    assert "60%" in shown.data  # the support threshold is drawn and labelled


def test_tally_bars_draw_the_threshold(con):
    spec = race_charts(con, "2026-03", "CA-12")[0].to_dict()
    rules = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "rule"]
    assert rules, "the support threshold is a rule"


def test_state_tiles_are_the_50_states_and_dc():
    states = {r["state"] for r in csv.DictReader(open("data/reference/states.csv"))}
    assert set(charts.STATE_TILES) == states | {"DC"} or set(charts.STATE_TILES) == states
    assert len(charts.STATE_TILES) == 51
    assert len(set(charts.STATE_TILES.values())) == 51  # no two states on one tile
