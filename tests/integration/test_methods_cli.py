"""Contract §5 at the edges of the command line: a wave's `method` (any case, empty is
single, another value refused), candidate ids holding a ballot's separators refused,
thresholds written as fractions (read exactly, spelled back in lowest terms, refused in
one line when badly written), and the `method` of tally's csv and json."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from helpers import run_cli

CASE = Path(__file__).resolve().parents[1] / "cases" / "approval_outcomes"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "program"
    shutil.copytree(CASE, folder)
    return folder


def _set_method(folder: Path, method: str) -> None:
    text = (folder / "waves.csv").read_text(encoding="utf-8")
    (folder / "waves.csv").write_text(text.replace(",approval\n", f",{method}\n"), "utf-8")


@pytest.mark.parametrize(("written", "method"), [("APPROVAL", "approval"), ("", "single")])
def test_a_method_is_read_in_any_case_and_empty_is_single(tmp_path, written, method):
    folder = _folder(tmp_path)
    _set_method(folder, written)
    db = tmp_path / "db.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    run = run_cli("tally", "--db", db, "--wave", "A", "--format", "json")
    result = json.loads(run.out)
    assert result["parameters"]["method"] == method
    assert {c["method"] for c in result["contests"]} == {method}


def test_another_method_refuses_the_load(tmp_path):
    folder = _folder(tmp_path)
    _set_method(folder, "borda")
    run = run_cli("load", folder, "--db", tmp_path / "db.duckdb")
    assert run.code != 0
    assert any("waves.csv line 2" in line and "borda" in line for line in run.err_lines)


@pytest.mark.parametrize("candidate", ["A;1", "A>1"])
def test_a_candidate_id_holding_a_separator_refuses_the_load(tmp_path, candidate):
    folder = _folder(tmp_path)
    path = folder / "candidates.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("A3,", f'"{candidate}",', 1), "utf-8")
    run = run_cli("load", folder, "--db", tmp_path / "db.duckdb")
    assert run.code != 0
    assert any("candidates.csv" in line and "candidate_id" in line for line in run.err_lines)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("methods-cli")
    folder = tmp / "program"
    shutil.copytree(CASE, folder)
    path = tmp / "db.duckdb"
    assert run_cli("load", folder, "--db", path).code == 0
    return path


@pytest.mark.parametrize(
    ("support", "turnout", "spelled"),
    [
        ("2/3", "1/10", ("2/3", "1/10")),
        ("004/06", "0.1", ("2/3", "0.1")),
        ("1/1", "0/7", ("1/1", "0/1")),
        # long terms are read in lowest terms before their length is judged
        ("1" + "0" * 18 + "/" + "1" + "0" * 18, "2" * 40 + "/" + "4" * 40, ("1/1", "1/2")),
    ],
)
def test_fractions_are_read_exactly_and_spelled_in_lowest_terms(db, support, turnout, spelled):
    run = run_cli(
        "tally", "--db", db, "--wave", "A", "--format", "json",
        "--support-threshold", support, "--min-turnout", turnout,
    )  # fmt: skip
    assert run.code == 0, run.err
    params = json.loads(run.out)["parameters"]
    assert (params["support_threshold"], params["min_turnout"]) == spelled


@pytest.mark.parametrize(
    "support",
    [
        "2 / 3",
        "+2/3",
        "4/3",
        "2/0",
        "2/3/4",
        "0/3",
        "2.0/3",
        "２/3",
        "1/" + "3" * 19,
        "1" * 5000 + "/3",
    ],
)
def test_a_badly_written_fraction_is_refused_in_one_line(db, support):
    run = run_cli("tally", "--db", db, "--wave", "A", "--support-threshold", support)
    assert run.code != 0
    assert len(run.err_lines) == 1, run.err
    assert "Traceback" not in run.err


def test_two_thirds_is_not_0_6667(db):
    """NY-SEN: 3 of 4 approve B1 and B2. CA-SEN: A1 7 of 10, A2 6 of 10: at 2/3 only A1
    is at or above it; at 0.6667 too, but 20/30 = 2/3 exactly would pass 2/3 and fail
    0.6667 (checked on the fractions themselves)."""
    from fractions import Fraction

    from endorse_analysis.rules.thresholds import Thresholds

    assert Thresholds.from_text("2/3").support == Fraction(2, 3)
    assert Fraction(66, 99) >= Thresholds.from_text("2/3").support
    assert Fraction(66, 99) < Thresholds.from_text("0.6667").support


def test_tally_csv_ends_with_the_method(db):
    run = run_cli("tally", "--db", db, "--wave", "A", "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.out)))
    assert rows[0][-1] == "method"
    assert {r[-1] for r in rows[1:]} == {"approval"}
    assert rows[0][:14][-1] == "reason"
