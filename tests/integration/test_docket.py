"""The vetting docket: one row per requested candidate, its ballot status from the
same rule as the tally (ballot(w)), the first rule of docs/rules.md §3 that keeps it off, the
flags for staff, and the vetting_docket notebook executed against the sample."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from endorse_analysis.api import docket
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.tally import tally
from endorse_analysis.cli import main
from endorse_analysis.ingest import load_folder
from endorse_analysis.reports.plan import notebooks_dir
from endorse_analysis.rules import Thresholds

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
NOTEBOOK = notebooks_dir() / "vetting_docket.ipynb"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("docket_sample") / "sample.duckdb"
    load_folder(SAMPLE, db)
    return db


@pytest.fixture(scope="module")
def edited_db(tmp_path_factory):
    """The sample with J2 unvetted in March and J1's questionnaire missing."""
    folder = tmp_path_factory.mktemp("docket_edited")
    data = folder / "csv"
    shutil.copytree(SAMPLE, data)
    path = data / "vetting.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines = [ln for ln in lines if not ln.startswith("J2,2026-03,")]
    lines = [ln.replace("J1,2026-03,cleared,passed", "J1,2026-03,cleared,missing") for ln in lines]
    path.write_text("".join(lines), "utf-8")
    load_folder(data, folder / "edited.duckdb")
    return folder / "edited.duckdb"


def _waves(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT wave_id FROM waves ORDER BY wave_id").fetchall()]


def _assert_agrees_with_tally(db: Path) -> int:
    """For every wave: on_ballot is membership in ballot(w), the docket's reason says the
    same, and the tally's candidates_on_ballot per contest counts the same candidates."""
    checked = 0
    with connect(db) as con:
        for wave in _waves(con):
            frame = docket.docket(con, wave)
            ballot = {
                r[0] for r in con.execute("SELECT candidate_id FROM ballot(?)", [wave]).fetchall()
            }
            on = set(frame.loc[frame["on_ballot"], "candidate_id"])
            assert on == ballot, wave
            for row in frame.itertuples():
                assert row.on_ballot == (row.candidate_id in ballot)
                assert (row.ballot_rule == "on_ballot") == row.on_ballot, row
                assert row.reason.startswith("on the ballot" if row.on_ballot else "off the ballot")
            per_race = frame[frame["on_ballot"]].groupby("race_id").size().to_dict()
            counted = tally(con, wave)
            for row in counted.itertuples():
                assert row.candidates_on_ballot == per_race.get(row.race_id, 0), (wave, row.race_id)
            assert sum(per_race.values()) == int(counted["candidates_on_ballot"].sum())
            # sorted by race_id, candidate_id, one row per candidate
            keys = list(zip(frame["race_id"], frame["candidate_id"], strict=True))
            assert keys == sorted(keys) and len(set(frame["candidate_id"])) == len(frame)
            checked += len(frame)
    return checked


def test_docket_agrees_with_tally_on_sample(sample_db, edited_db):
    assert _assert_agrees_with_tally(sample_db) > 0
    assert _assert_agrees_with_tally(edited_db) > 0


def test_docket_agrees_with_tally_on_demo(small_demo_db):
    assert _assert_agrees_with_tally(small_demo_db) > 100


def test_sample_reasons_follow_contract_order(sample_db):
    with connect(sample_db) as con:
        march = docket.docket(con, "2026-03").set_index("candidate_id")
        april = docket.docket(con, "2026-04").set_index("candidate_id")
    # E2's only endorsement does not request national: not on the docket
    assert sorted(march.index) == ["A1", "A2", "A3", "B1", "B2", "E1", "G1", "H1", "J1", "J2"]
    rules = march["ballot_rule"].to_dict()
    assert rules == {
        "A1": "on_ballot", "A2": "on_ballot", "A3": "no_local_request", "B1": "on_ballot",
        "B2": "questionnaire", "E1": "on_ballot", "G1": "not_cleared", "H1": "no_local_request",
        "J1": "on_ballot", "J2": "on_ballot",
    }  # fmt: skip
    assert "pending" in march.loc["G1", "reason"]
    assert "failed" in march.loc["B2", "reason"]
    assert "only from outside" in march.loc["A3", "reason"]
    # A3: endorsed only by a CA-13 group (outside), with two CA-12 groups backing others
    assert march.loc["A3", "local_groups"] == 0
    assert march.loc["A3", "outside_groups"] == 1
    assert march.loc["A3", "conflicting_groups"] == 2
    assert march.loc["A3", "conflicts"] == [
        "East Bay Together (CA-12) → A1",
        "California Statewide Network → A2",
    ]
    # A2 is on through the statewide group; B2's CA-13 group counts for the governor race
    assert march.loc["A2", "requesting_group_names"] == ["California Statewide Network"]
    assert march.loc["B2", "local_groups"] == 1 and march.loc["B2", "outside_groups"] == 0
    assert march.loc["E1", "incumbent"] and march.loc["A1", "first_time"]
    assert march.loc["B1", "partner_endorsements"] == 5
    assert (
        april.loc["A2", "ballot_rule"] == "not_cleared" and "rejected" in april.loc["A2", "reason"]
    )
    assert int(april["on_ballot"].sum()) == 5


def test_no_vetting_row_and_missing_questionnaire(edited_db):
    with connect(edited_db) as con:
        frame = docket.docket(con, "2026-03").set_index("candidate_id")
        flags = docket.flags(docket.docket(con, "2026-03"))
    assert frame.loc["J2", "ballot_rule"] == "no_vetting"
    assert frame.loc["J2", "reason"] == "off the ballot: no vetting row for wave 2026-03"
    assert frame.loc["J1", "ballot_rule"] == "questionnaire"
    assert "missing" in frame.loc["J1", "reason"]
    kinds = set(zip(flags["candidate_id"], flags["flag"], strict=True))
    assert {
        ("J2", "no vetting"),
        ("J1", "missing questionnaire"),
        ("G1", "pending vetting"),
        ("A3", "outside jurisdiction"),
        ("H1", "outside jurisdiction"),
        ("A3", "conflict"),
    } <= kinds


def test_funnel_contested_and_ballot_list(sample_db):
    with connect(sample_db) as con:
        funnel = docket.funnel(con, "2026-03", tally(con, "2026-03"))
        strict = docket.funnel(con, "2026-03", tally(con, "2026-03", Thresholds.from_text("0.9")))
        frame = docket.docket(con, "2026-03")
    # endorsed locally: A1 A2 B1 B2 E1 E2 G1 J1 J2; E2 not requested; G1 pending; B2 failed;
    # endorsed: CA-12 (A1) and VT-AL (E1)
    assert list(funnel["candidates"]) == [9, 8, 8, 7, 6, 6, 2]
    assert list(funnel["stage"]) == docket.FUNNEL_STAGES
    # the last stage is at the thresholds given: at 90% support none (VT-AL has 5 of 6)
    assert list(strict["candidates"]) == [9, 8, 8, 7, 6, 6, 0]
    contested = docket.contested_races(frame)
    assert list(contested["race_id"]) == ["CA-12", "CA-GOV", "MI-SEN", "VT-AL"]
    ballot = docket.ballot_list(frame)
    assert list(zip(ballot["race_id"], ballot["candidate_id"], strict=True)) == [
        ("CA-12", "A1"), ("CA-12", "A2"), ("CA-GOV", "B1"), ("MI-SEN", "J1"), ("MI-SEN", "J2"),
        ("VT-AL", "E1"),
    ]  # fmt: skip
    assert ballot.loc[ballot["candidate_id"] == "J2", "endorsing_groups"].item() == (
        "Flint Area Action (MI-05)"
    )


def test_cli_formats(sample_db, capsys):
    assert main(["docket", "--db", str(sample_db), "--wave", "2026-03", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["candidate_id"] for r in rows] == [
        "A1",
        "A2",
        "A3",
        "B1",
        "B2",
        "H1",
        "J1",
        "J2",
        "E1",
        "G1",
    ]
    for row in rows:
        assert {"candidate_id", "race_id", "on_ballot", "reason"} <= set(row)
        assert isinstance(row["on_ballot"], bool)
        assert isinstance(row["conflicts"], list)
    assert main(["docket", "--db", str(sample_db), "--wave", "2026-03", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    records = list(csv.DictReader(io.StringIO(out)))
    assert list(records[0]) == docket.DOCKET_COLUMNS
    a3 = next(r for r in records if r["candidate_id"] == "A3")
    assert a3["on_ballot"] == "false" and a3["outside_groups"] == "1"
    assert a3["conflicts"] == "East Bay Together (CA-12) → A1; California Statewide Network → A2"
    assert main(["docket", "--db", str(sample_db), "--wave", "2026-03"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("docket of wave 2026-03: 10 requested candidate(s), 6 on the ballot")
    assert main(["docket", "--db", str(sample_db), "--wave", "2099-01"]) == 2
    err = capsys.readouterr().err
    assert "2099-01" in err and "Traceback" not in err


def test_vetting_docket_notebook_runs_on_sample(sample_db, tmp_path, monkeypatch):
    import nbformat
    import papermill as pm

    monkeypatch.setenv("ENDORSE_DB", str(sample_db))
    source = nbformat.read(NOTEBOOK, as_version=4)
    assert "parameters" in source.cells[0].metadata.get("tags", [])
    assert not any(c.get("outputs") for c in source.cells if c.cell_type == "code")
    out = tmp_path / "docket.ipynb"
    pm.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"wave": "2026-03"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
    text = out.read_text("utf-8")
    assert "Ana Alvarez" in text  # the ballot list
    assert "<svg" in text  # the funnel, as static SVG
    assert "example.org" not in text
    assert os.environ["ENDORSE_DB"] == str(sample_db)
