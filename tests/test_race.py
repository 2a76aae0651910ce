"""race.py: the data of one race's report and the wave overview, on the sample program."""

from __future__ import annotations

import csv
from datetime import datetime

import pandas as pd
import pytest

import endorse_analysis as ea
from endorse_analysis import race as report
from endorse_analysis.rules import Thresholds
from endorse_analysis.tally import plain_records


@pytest.fixture(scope="module")
def con(sample_db):
    connection = report.open_db(sample_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def march(con):
    return report.wave_tally(con, "2026-03", Thresholds())


@pytest.fixture(scope="module")
def april(con):
    return report.wave_tally(con, "2026-04", Thresholds())


MEMBER_IDS = [r["member_id"] for r in csv.DictReader(open("data/sample/members.csv"))]


def no_member_ids(*frames: pd.DataFrame) -> None:
    for frame in frames:
        text = frame.to_string() + " " + " ".join(map(str, frame.index))
        for member in MEMBER_IDS + ["m-999", "S01"]:
            assert f" {member} " not in f" {text} ".replace("\n", " "), member


def test_pick_race_and_contest(march):
    assert report.pick_race(march, "") == "CA-12"  # the first contest of the wave
    assert report.pick_race(march, "VT-AL") == "VT-AL"
    with pytest.raises(report.UnknownRace):
        report.pick_race(march, "CA-13")  # a race, but not a contest of 2026-03
    row = report.contest(march, "CA-12")
    assert row["decision"] == "ENDORSE" and row["top_votes"] == 3


def test_wave_tally_from_parquet_equals_computed(con, march, tmp_path):
    path = tmp_path / "wave_tally.parquet"
    march.to_parquet(path)
    read = report.wave_tally(con, "2026-03", Thresholds(), str(path))
    assert plain_records(read) == plain_records(march)
    with pytest.raises(ValueError):
        report.wave_tally(con, "2026-04", Thresholds(), str(path))


def test_headline_has_both_figures_and_escapes(con, march):
    text = report.headline_html(con, report.contest(march, "CA-12"), Thresholds(), "2026-03")
    assert "3 of 5 ballots (60.00%)" in text
    assert "5 of 6 potential voters (83.33%)" in text
    assert "ENDORSE" in text and "California district 12" in text
    nasty = dict(report.contest(march, "CA-12"), reason="<script>alert(1)</script>")
    text = report.headline_html(con, nasty, Thresholds(), "<b>w</b>")
    assert "<script>" not in text and "&lt;script&gt;" in text and "<b>w</b>" not in text


def test_headline_truncates(con, april):
    text = report.headline_html(con, report.contest(april, "CA-GOV"), Thresholds(), "2026-04")
    assert "1 of 15 potential voters (6.66%)" in text  # 6.666...% truncated
    assert "REVIEW" in text


def test_ballot_and_why_not(con):
    frame = report.candidates(con, "2026-03", "CA-12")
    on = report.ballot_table(frame)
    assert list(on.index) == ["Ana Alvarez (A1)", "Ben Brooks (A2)"]
    assert on.loc["Ben Brooks (A2)", "requesting national"] == "1: California Statewide Network"
    assert on.loc["Ana Alvarez (A1)", "first-time"] == "yes"
    assert on.loc["Ana Alvarez (A1)", "conflicting endorsements"].startswith("1")
    off = report.off_ballot_table(frame)
    assert list(off.index) == ["Cleo Chen (A3)"]
    assert "jurisdiction" in off.iloc[0]["why not on the ballot"]
    gov = report.off_ballot_table(report.candidates(con, "2026-03", "CA-GOV"))
    assert "questionnaire" in gov.loc["Eli Evans (B2)", "why not on the ballot"]


def test_tally_table(con):
    table = report.tally_table(con, "2026-03", "CA-12")
    assert list(table["choice"]) == ["A1", "A2", "NO_ENDORSEMENT"]
    assert list(table["votes"]) == [3, 1, 1]
    assert list(table["share_text"]) == ["60.00%", "20.00%", "20.00%"]
    shown = report.tally_display(table)
    assert shown.loc["Ana Alvarez (A1)", "share"] == "3 of 5 (60.00%)"
    empty = report.tally_table(con, "2026-04", "MI-11")  # no candidate, no ballot
    assert list(empty["choice"]) == ["NO_ENDORSEMENT"] and list(empty["votes"]) == [0]


def counts(bins: list[int]) -> pd.DataFrame:
    days = [datetime(2026, 3, 2 + i) for i in range(len(bins))]
    return pd.DataFrame({"status": "counted", "choice": "A1", "bin": days, "votes": bins})


@pytest.mark.parametrize(
    "bins, shown",
    [
        ([10, 2, 7], [True, False, True]),
        ([10, 7, 3], [True, False, False]),  # 3 after day 2 would reveal a small cell
        ([10, 7, 5], [True, True, True]),
        ([3, 4], [False, False]),
        ([6, 1, 1, 6, 2], [True, False, False, False, False]),  # 6 then 8 after it, but
        # hiding only the last 6 would leave 2 + ...: trailing cells are folded until >= 5
        ([], []),
    ],
)
def test_votes_over_time_hides_small_cells(bins, shown):
    frame = report.votes_over_time(None, "w", "r", counts(bins))
    assert list(frame["shown"]) == shown
    total = sum(bins)
    visible = [int(v) for v in frame["cumulative_ballots"].dropna()]
    for value in frame["ballots"].dropna():
        assert value >= report.MIN_CELL
    # no difference between shown points, nor the rest after the last one, is in 1..4
    points = [0] + visible + [total]
    assert all(
        b - a == 0 or b - a >= report.MIN_CELL for a, b in zip(points, points[1:], strict=False)
    )


def test_votes_over_time_on_the_sample(con):
    frame = report.votes_over_time(con, "2026-03", "MI-SEN")
    assert list(frame["ballots"].dropna()) == [8]
    shown = report.votes_over_time_display(report.votes_over_time(con, "2026-03", "CA-12"))
    assert set(shown["counted ballots"]) == {"fewer than 5"}


def test_audit_and_uncounted_endorsements(con, march):
    audit = report.audit_table(report.contest(march, "CA-12"))
    assert audit["votes"].to_dict() == {
        "counted": 5,
        "superseded": 1,
        "outside_window": 0,
        "not_on_ballot": 1,
        "not_eligible": 4,
        "unknown_member": 0,
        "unknown_race": 0,
    }
    outside = report.uncounted_endorsements(con, "2026-03", "MI-11")
    assert list(outside.index) == ["Flint Area Action (MI-05)"]
    assert report.uncounted_endorsements(con, "2026-03", "MI-SEN").empty  # statewide race


def test_provenance(con):
    table = report.provenance(con, {"db_path": "/some/where/sample.duckdb", "wave": "2026-03"})
    assert table.loc["package version", "value"] == ea.__version__
    assert table.loc["parameter db_path", "value"] == "sample.duckdb"
    assert len(table.loc["snapshot fingerprint", "value"]) == 64


def test_wave_overview_tables(con, april):
    decisions = report.decisions_table(april)
    assert decisions.loc["CA-GOV", "turnout"] == "1 of 15 potential voters (6.66%)"
    assert decisions.loc["VT-AL", "area"] == "VT at large"
    assert decisions.loc["MI-11", "support"] == "–"
    counts = report.decision_counts_table(april)
    assert counts.loc["all", "all"] == 5
    assert counts.loc["house", "ENDORSE"] == 2 and counts.loc["governor", "REVIEW"] == 1
    head = report.wave_headline_html(con, april, "2026-04")
    assert "April 2026" in head and "ENDORSE: 2" in head


def test_no_member_id_in_any_output(con, march):
    frames = []
    for race in march["race_id"]:
        row = report.contest(march, race)
        c = report.candidates(con, "2026-03", race)
        frames += [
            report.ballot_table(c),
            report.off_ballot_table(c),
            report.tally_display(report.tally_table(con, "2026-03", race)),
            report.votes_over_time_display(report.votes_over_time(con, "2026-03", race)),
            report.audit_table(row),
            report.uncounted_endorsements(con, "2026-03", race),
        ]
    frames.append(report.decisions_table(march))
    no_member_ids(*frames)
