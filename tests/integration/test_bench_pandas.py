"""The benchmark's pandas baseline (bench/pandas_tally.py) agrees with endorse_analysis.tally,
so the benchmark compares like with like. No timing here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import endorse_analysis as ea
from endorse_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import compare, pandas_tally  # noqa: E402


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    db = tmp_path_factory.mktemp("bench-sample") / "sample.duckdb"
    assert main(["load", str(ROOT / "data" / "sample"), "--db", str(db)]) == 0
    con = ea.connect(db)
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_con(tmp_path_factory):
    from endorse_analysis.synthetic import write_demo

    folder = tmp_path_factory.mktemp("bench-demo")
    write_demo(folder / "csv", members=20_000)
    db = folder / "demo.duckdb"
    ea.load_folder(folder / "csv", db)
    con = ea.connect(db)
    yield con
    con.close()


@pytest.mark.parametrize("wave", ["2026-03", "2026-04"])
def test_pandas_agrees_on_sample(sample_con, wave):
    tables = pandas_tally.read_tables(sample_con)
    expected = compare.ours(sample_con, wave)
    got = pandas_tally.tally(tables, wave)
    assert compare.differences(expected, got) == []


def test_pandas_sample_hand_figures(sample_con):
    """Both agree with the hand-worked figures of data/sample/EXPECTED.md, not just each other."""
    contests, options = pandas_tally.tally(pandas_tally.read_tables(sample_con), "2026-03")
    rows = {r.race_id: r for r in contests.itertuples()}
    assert (rows["CA-12"].eligible_voters, rows["CA-12"].ballots_counted) == (6, 5)
    assert (rows["CA-12"].top_choice, rows["CA-12"].top_votes) == ("A1", 3)
    assert rows["CA-12"].decision == "ENDORSE"
    assert rows["CA-GOV"].decision == "REVIEW"
    assert rows["MI-11"].decision == "NO_CANDIDATES"
    assert rows["MI-SEN"].decision == "NO_ENDORSEMENT"
    assert "CA-13" not in rows


def test_pandas_agrees_on_demo(demo_con):
    tables = pandas_tally.read_tables(demo_con)
    # the single-choice waves: the pandas floor counts §3 only, not §5's methods
    single = "SELECT wave_id FROM waves WHERE coalesce(method, 'single') = 'single' ORDER BY 1"
    waves = [w for (w,) in demo_con.execute(single).fetchall()]
    assert waves
    for wave in waves:
        expected = compare.ours(demo_con, wave)
        got = pandas_tally.tally(tables, wave)
        assert len(got[0]) > 0
        assert compare.differences(expected, got) == [], wave


def test_comparison_detects_a_difference(sample_con):
    """A changed vote count or decision is reported, so an empty diff means something."""
    expected = compare.ours(sample_con, "2026-03")
    contests, options = pandas_tally.tally(pandas_tally.read_tables(sample_con), "2026-03")
    bad = contests.copy()
    bad.loc[0, "decision"] = "REVIEW" if bad.loc[0, "decision"] != "REVIEW" else "ENDORSE"
    assert compare.differences(expected, (bad, options))
    worse = options.copy()
    worse.loc[0, "votes"] += 1
    assert compare.differences(expected, (contests, worse))
