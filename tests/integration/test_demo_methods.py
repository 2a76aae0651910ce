"""The demo's ranked (2026-04) and approval (2026-05) waves (contract §5): every decision
occurs, and each contest's rounds and approvals equal tests/model.py's reading of the
counted ballots (the statuses are those of §3, checked by test_demo and the properties)."""

from __future__ import annotations

import json
from fractions import Fraction

import model
import pytest
from helpers import run_cli

DECISIONS = {"ENDORSE", "REVIEW", "NO_ENDORSEMENT", "NO_CANDIDATES"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import endorse_analysis as ea
    from endorse_analysis.synthetic import write_demo

    folder = tmp_path_factory.mktemp("demo-methods")
    write_demo(folder / "csv", members=40_000)
    db = folder / "demo.duckdb"
    assert run_cli("load", folder / "csv", "--db", db).code == 0
    con = ea.connect(db)
    statuses = ea.vote_status(con)
    con.close()
    return db, statuses


def _tally(db, wave: str, support: str = "0.6") -> dict:
    run = run_cli(
        "tally", "--db", db, "--wave", wave, "--format", "json", "--support-threshold", support
    )
    assert run.code == 0, run.err
    return json.loads(run.out)


def _counted(statuses, wave: str) -> dict[str, list[str]]:
    mine = statuses[(statuses["wave_id"] == wave) & (statuses["status"] == "counted")]
    found: dict[str, list[str]] = {}
    for race, choice in zip(mine["race_id"], mine["choice"], strict=True):
        found.setdefault(race, []).append(choice)
    return found


@pytest.mark.parametrize("support", ["0.6", "1/2"])
def test_ranked_wave_agrees_with_the_model(demo, support):
    db, statuses = demo
    result = _tally(db, "2026-04", support)
    assert result["parameters"]["method"] == "ranked"
    assert {c["decision"] for c in result["contests"]} == DECISIONS
    assert any(len(c["rounds"]) > 2 for c in result["contests"]), "some runoffs take rounds"
    counted = _counted(statuses, "2026-04")
    for contest in result["contests"]:
        on_ballot = [c["choice"] for c in contest["choices"] if c["choice"] != "NO_ENDORSEMENT"]
        ballots = [
            model.ballot_options(c, "ranked", on_ballot)
            for c in counted.get(contest["race_id"], [])
        ]
        assert contest["rounds"] == model.instant_runoff(on_ballot, ballots, Fraction(support))


def test_approval_wave_agrees_with_the_model(demo):
    db, statuses = demo
    result = _tally(db, "2026-05")
    assert result["parameters"]["method"] == "approval"
    assert {c["decision"] for c in result["contests"]} == DECISIONS
    counted = _counted(statuses, "2026-05")
    for contest in result["contests"]:
        on_ballot = [c["choice"] for c in contest["choices"] if c["choice"] != "NO_ENDORSEMENT"]
        approvals = dict.fromkeys([*on_ballot, "NO_ENDORSEMENT"], 0)
        for choice in counted.get(contest["race_id"], []):
            for option in model.ballot_options(choice, "approval", on_ballot):
                approvals[option] += 1
        assert {c["choice"]: c["votes"] for c in contest["choices"]} == approvals


def test_explore_compares_methods_with_first_preferences(demo):
    import endorse_analysis as ea
    from endorse_analysis.api import explore

    db, _ = demo
    con = ea.connect(db)
    try:
        assert explore.method_comparison(con, "2026-03").empty  # single choice
        ranked = explore.method_comparison(con, "2026-04")
        first = ea.choices(con, "2026-04")
    finally:
        con.close()
    assert len(ranked) > 100 and set(ranked["method"]) == {"ranked"}
    # most contests decide alike either way
    agree = ranked[~ranked["differs"]]
    assert len(agree) > len(ranked) // 2
    assert set(first.columns) >= {"race_id", "choice", "votes"}
