"""Strict readings, and the inputs that once ended in "internal error".

- A local time that the load's --timezone skips (clocks go forward) or passes twice
  (clocks go back) names no single instant: refused with file, line and column, and so
  is such an --as-of; with an offset, or in UTC, the same clock time loads.
- Timestamps name instants of the years 0001 to 9999 in UTC: a contract-shaped
  9999-12-31T23:00:00-05:00 (the year 10000 in UTC) is refused where it is read, in a
  file or in --as-of; the last instant of 9999 loads and every output shows it.
- Arguments that are not UTF-8 text (a wave id or a path with invalid bytes) are one line.
- Thresholds are read only in the contract's decimal forms.
"""

from __future__ import annotations

import json

import pytest
from helpers import (
    FILES,
    INTERNAL_ERROR,
    append_lines,
    assert_clean_refusal,
    copy_sample,
    replace_line,
    run_cli,
    set_cell,
)

from endorse_analysis.parameters import THRESHOLDS

NEW_YORK = "America/New_York"


def one_line(run, says: str) -> str:
    assert run.code not in (0, INTERNAL_ERROR), (run.code, run.err)
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert len(run.err_lines) == 1, run.err
    assert says in run.err_lines[0], run.err_lines[0]
    return run.err_lines[0]


@pytest.fixture
def folder(tmp_path):
    return copy_sample(tmp_path / "in")


def test_local_times_the_zone_skips_or_repeats_are_refused_where_they_are(folder, tmp_path):
    set_cell(folder, "votes.csv", 2, "cast_at", "2026-03-08T02:30")  # skipped in New York
    set_cell(folder, "votes.csv", 3, "cast_at", "2026-11-01 01:30")  # happens twice there
    set_cell(folder, "members.csv", 4, "signed_up_at", "2025-11-02T01:15:00")
    run = run_cli("load", folder, "--db", tmp_path / "ny.duckdb", "--timezone", NEW_YORK)
    assert_clean_refusal(run)
    err = run.err
    skipped = f"'2026-03-08T02:30' is a local time that {NEW_YORK} skips"
    twice = f"'2026-11-01 01:30' is a local time that happens twice in {NEW_YORK}"
    assert f"votes.csv line 2, column cast_at: {skipped}" in err
    assert f"votes.csv line 3, column cast_at: {twice}" in err
    assert "members.csv line 4, column signed_up_at: the value (not shown) is a local time" in err
    # Read in UTC, or with the offset they mean, the same clock times are instants.
    assert run_cli("load", folder, "--db", tmp_path / "utc.duckdb").code == 0
    set_cell(folder, "votes.csv", 2, "cast_at", "2026-03-08T02:30-05:00")
    set_cell(folder, "votes.csv", 3, "cast_at", "2026-11-01 01:30-04:00")
    set_cell(folder, "members.csv", 4, "signed_up_at", "2025-11-02T01:15:00-05:00")
    run = run_cli("load", folder, "--db", tmp_path / "ny.duckdb", "--timezone", NEW_YORK)
    assert run.code == 0, run.err


@pytest.fixture(scope="module")
def new_york_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("strict")
    db = root / "ny.duckdb"
    assert run_cli("load", copy_sample(root / "in"), "--db", db, "--timezone", NEW_YORK).code == 0
    return db


@pytest.mark.parametrize(
    ("as_of", "says"),
    [
        ("2026-03-08T02:30", "skips"),
        ("2026-11-01 01:30", "happens twice"),
        ("0000-01-01", "outside the years 0001 to 9999"),
        ("9999-12-31T23:59:59-05:00", "outside the years 0001 to 9999"),
        ("0001-01-01T00:00:00+01:00", "outside the years 0001 to 9999"),
    ],
)
@pytest.mark.parametrize("command", ["tally", "audit", "reports"])
def test_an_as_of_that_names_no_instant_is_one_line(new_york_db, tmp_path, as_of, says, command):
    argv = [command, "--db", new_york_db, "--as-of", as_of]
    argv += [] if command == "audit" else ["--wave", "2026-03"]
    argv += ["--out", tmp_path / "out"] if command == "reports" else []
    one_line(run_cli(*argv), says)


def test_a_ruling_in_the_year_10000_is_refused_at_load(folder, tmp_path):
    """9999-12-31T23:00:00-05:00 has the contract's shape but is 10000-01-01 in UTC: it
    once broke `results` in every format; now the load names it."""
    (folder / "rulings.csv").write_text(
        "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
        "2026-03,CA-GOV,ENDORSE,B1,Staff,9999-12-31T23:00:00-05:00,late\n"
    )
    run = run_cli("load", folder, "--db", tmp_path / "program.duckdb")
    assert_clean_refusal(run, files=(*FILES, "rulings.csv"))
    late = "'9999-12-31T23:00:00-05:00' is outside the years 0001 to 9999"
    assert f"rulings.csv line 2, column decided_at: {late}" in run.err


def test_the_last_instant_of_9999_loads_and_shows_everywhere(folder, tmp_path):
    (folder / "rulings.csv").write_text(
        "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
        "2026-03,CA-GOV,ENDORSE,B1,Staff,9999-12-31T23:59:59.999999Z,late\n"
    )
    append_lines(folder, "votes.csv", "9001,2026-03,CA-12,s01,A1,0001-01-01T00:00:00Z")
    db = tmp_path / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    for fmt in ("table", "csv", "json"):
        for argv in (["results", "--wave", "2026-03"], ["tally", "--wave", "2026-03"], ["audit"]):
            run = run_cli(argv[0], "--db", db, *argv[1:], "--format", fmt)
            assert run.code == 0, (argv, fmt, run.err)
    tally = json.loads(run_cli("tally", "--db", db, "--wave", "2026-03", "--format", "json").out)
    ruled = next(c for c in tally["contests"] if c["race_id"] == "CA-GOV")["ruling"]
    assert ruled["decided_at"] == "9999-12-31T23:59:59.999999Z"
    assert (
        run_cli("tally", "--db", db, "--wave", "2026-03", "--as-of", "9999-12-31T23:59:59Z").code
        == 0
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["tally", "--db", "{db}", "--wave", "\udcff"],
        ["audit", "--db", "{db}", "--wave", "2026-\udc80"],
        ["tally", "--db", "{root}/\udcff.duckdb", "--wave", "2026-03"],
        ["load", "{root}/\udcffin", "--db", "{root}/x.duckdb"],
        ["load", "{root}/in", "--db", "{root}/\udcfe.duckdb"],
        ["reports", "--db", "{db}", "--wave", "2026-03", "--out", "{root}/\udcff"],
        ["verify", "{root}/\udcff"],
        ["diff", "{db}", "{db}", "--wave", "\udcff\udcfe"],
    ],
    ids=lambda a: " ".join(ascii(x) for x in a),
)
def test_arguments_that_are_not_utf8_are_one_line(new_york_db, tmp_path, argv):
    argv = [a.format(db=new_york_db, root=tmp_path) for a in argv]
    line = one_line(run_cli(*argv), "is not valid UTF-8 text")
    assert "\\x" in line  # the bytes shown escaped


@pytest.mark.parametrize("given", ["1_000", "1e1", "+0.6", "0x1", "١", "Infinity"])
def test_thresholds_in_other_forms_are_one_line(new_york_db, given):
    for setting in THRESHOLDS:  # the example fits the option: its default
        run = run_cli("tally", "--db", new_york_db, "--wave", "2026-03", setting.option, given)
        one_line(run, f"must be a decimal number such as {setting.default},")


def test_a_members_local_time_refusal_names_no_value(folder, tmp_path):
    """The local-time refusal keeps the privacy of members.csv: line and column only."""
    replace_line(
        folder,
        "members.csv",
        3,
        "s02,ben.s02@example.org,Ben,CA,12,94602,555-0102,2025-11-02T01:30,",
    )
    run = run_cli("load", folder, "--db", tmp_path / "x.duckdb", "--timezone", NEW_YORK)
    assert_clean_refusal(run)
    assert "members.csv line 3, column signed_up_at: the value (not shown)" in run.err
    assert "2025-11-02" not in run.err and "ben.s02" not in run.err
