"""api/wave.py and present/: the figures of a wave, one race's page and the overview, on
the sample program. Every section reads the one WaveFigures of its wave."""

from __future__ import annotations

import csv
import dataclasses
import pickle

import pandas as pd
import pytest

import endorse_analysis as ea
from endorse_analysis.api.wave import FiguresMismatch, WaveFigures, figures_key
from endorse_analysis.notebook import setup
from endorse_analysis.present import html, tables
from endorse_analysis.rules import Thresholds


@pytest.fixture(scope="module")
def con(sample_db):
    connection = ea.connect(sample_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def march(con):
    return ea.wave_figures(con, "2026-03", Thresholds())


@pytest.fixture(scope="module")
def april(con):
    return ea.wave_figures(con, "2026-04", Thresholds())


MEMBER_IDS = [r["member_id"] for r in csv.DictReader(open("data/sample/members.csv"))]


def no_member_ids(*frames: pd.DataFrame) -> None:
    for frame in frames:
        text = frame.to_string() + " " + " ".join(map(str, frame.index))
        for member in MEMBER_IDS + ["m-999", "S01"]:
            assert f" {member} " not in f" {text} ".replace("\n", " "), member


def test_figures_are_the_tally_and_choices(con, march):
    assert march.contests.equals(ea.tally(con, "2026-03"))
    assert march.choices.equals(ea.choices(con, "2026-03"))
    row = march.contest("CA-12")
    assert row["decision"] == "ENDORSE" and row["top_votes"] == 3
    with pytest.raises(LookupError):
        march.contest("CA-13")  # a race, but not a contest of 2026-03


def test_handed_on_figures_are_refused_for_other_parameters(march, tmp_path):
    path = march.save(tmp_path / "figures.pickle")
    same = WaveFigures.load(path, march.key)
    assert same.contests.equals(march.contests)
    for change in (
        {"support_threshold": "0.9"},
        {"as_of": "2026-03-04T12:00:00Z"},
        {"snapshot_id": "another"},
        {"wave_id": "2026-04"},
    ):
        with pytest.raises(FiguresMismatch):
            WaveFigures.load(path, {**march.key, **change})
    (tmp_path / "other.pickle").write_bytes(pickle.dumps({"not": "figures"}))
    with pytest.raises(FiguresMismatch):
        WaveFigures.load(tmp_path / "other.pickle", march.key)


def test_a_page_given_figures_of_other_thresholds_refuses_them(sample_db, march, tmp_path):
    path = march.save(tmp_path / "figures.pickle")
    page = setup("race", str(sample_db), "2026-03", figures_path=str(path), race="CA-12")
    assert page.figures.key == march.key
    with pytest.raises(FiguresMismatch):
        setup("race", str(sample_db), "2026-03", "0.9", figures_path=str(path), race="CA-12")


def test_headline_has_both_figures_and_escapes(march):
    text = html.headline_html(march, "CA-12")
    assert "3</span> of 5 ballots (60.00%)" in text
    assert 'of <span data-figure="eligible_voters">6</span> potential voters (83.33%)' in text
    assert "ENDORSE" in text and "California district 12" in text
    names = {**march.candidate_names, "A1": "<script>x</script>"}
    nasty = dataclasses.replace(march, candidate_names=names)
    text = html.headline_html(nasty, "CA-12")
    assert "<script>" not in text and "&lt;script&gt;x&lt;/script&gt; (A1)" in text
    assert "&lt;script&gt;x&lt;/script&gt; (A1) has 3 of 5 ballots" in text  # the reason


def test_headline_truncates(april):
    text = html.headline_html(april, "CA-GOV")
    assert "potential voters (6.66%)" in text  # 1 of 15 is 6.666...%, truncated
    assert "REVIEW" in text


def test_ballot_and_why_not(march):
    on = tables.ballot_table(march, "CA-12").set_index("candidate")
    assert list(on.index) == ["Ana Alvarez (A1)", "Ben Brooks (A2)"]
    assert on.loc["Ben Brooks (A2)", "requesting national"] == "1: California Statewide Network"
    assert on.loc["Ana Alvarez (A1)", "first-time"] == "yes"
    assert on.loc["Ana Alvarez (A1)", "conflicting endorsements"].startswith("1")
    off = tables.off_ballot_table(march, "CA-12")
    assert list(off["candidate"]) == ["Cleo Chen (A3)"]
    assert "jurisdiction" in off.iloc[0]["why not on the ballot"]
    gov = tables.off_ballot_table(march, "CA-GOV").set_index("candidate")
    assert "questionnaire" in gov.loc["Eli Evans (B2)", "why not on the ballot"]


def test_tally_table(march, april):
    table = tables.tally_table(march, "CA-12")
    assert list(table["option"]) == ["Ana Alvarez (A1)", "Ben Brooks (A2)", "No endorsement"]
    assert list(table["votes"]) == ["3", "1", "1"]
    assert list(table["share of counted ballots"])[0] == "3 of 5 (60.00%)"
    empty = tables.tally_table(april, "MI-11")  # no candidate, no ballot
    assert list(empty["option"]) == ["No endorsement"] and list(empty["votes"]) == ["0"]


def test_votes_over_time_merges_small_days(march):
    mi = tables.votes_over_time(march, "MI-SEN")
    assert list(mi["counted ballots"]) == [8] and list(mi["cumulative"]) == [8]
    ca = tables.votes_over_time(march, "CA-12")  # 5 ballots over three days: one period
    assert list(ca["counted ballots"]) == [5]
    assert list(ca["period (UTC)"]) == ["2026-03-03 to 2026-03-05"]
    for race in march.contests["race_id"]:
        frame = tables.votes_over_time(march, race)
        ballots = march.contest(race)["ballots_counted"]
        assert frame["counted ballots"].sum() == (ballots if ballots >= 5 else 0)


def test_audit_and_outside_endorsements(march):
    audit = tables.audit_table(march, "CA-12")
    assert list(audit["votes"]) == ["5", "1", "0", "1", "4", "0", "0"]
    assert audit["status"].iloc[0].startswith("counted")
    outside = tables.outside_endorsements_table(march, "MI-11")
    assert list(outside["group"]) == ["Flint Area Action (MI-05)"]
    assert tables.outside_endorsements_table(march, "MI-SEN").empty  # statewide race


def test_provenance(march):
    table = tables.provenance_table(march, ea.__version__).set_index("item")["value"]
    assert table["endorse-analysis"] == ea.__version__
    assert len(table["input fingerprint"]) == 64 and len(table["snapshot"]) == 64
    assert table["as of"] == "final (every vote)"
    assert not any("/" in str(v) and "duckdb" in str(v) for v in table)  # no path


def test_wave_overview_tables(april):
    decisions = tables.decisions_table(april).set_index("race")
    assert decisions.loc["CA-GOV", "turnout"] == "1 of 15 potential voters (6.66%)"
    assert decisions.loc["VT-AL", "area"] == "VT at large"
    assert decisions.loc["MI-11", "support"] == "–"
    assert list(decisions.index)[0] == "CA-GOV"  # awaiting a ruling comes first
    counts = tables.decision_counts_table(april).set_index("office")
    assert counts.loc["all", "all"] == 5
    assert counts.loc["house", "ENDORSE"] == 2 and counts.loc["governor", "REVIEW"] == 1
    head = html.wave_headline_html(april)
    assert "April 2026" in head and "ENDORSE: 2" in head


def test_figures_for_machines(march):
    page = march.page_figures("race", "CA-12")
    assert page["ballots_counted"] == 5 and page["eligible_voters"] == 6
    assert page["top_choice"] == "A1" and page["top_votes"] == 3
    assert page["support_threshold"] == "0.6" and page["min_votes"] == "1"
    assert page["as_of"] is None and page["input_fingerprint"] == march.snapshot["fingerprint"]
    wave = march.page_figures("index")
    assert wave["final_counts"] == {"ENDORSE": 2, "REVIEW": 1, "NO_ENDORSEMENT": 1,
                                    "NO_CANDIDATES": 2}  # fmt: skip
    assert [c["race_id"] for c in wave["contests"]] == sorted(march.contests["race_id"])
    assert figures_key(march.snapshot["snapshot_id"], "2026-03", Thresholds(), None) == march.key


def test_no_member_id_in_any_output(march):
    frames = []
    for race in march.contests["race_id"]:
        frames += [
            tables.ballot_table(march, race),
            tables.off_ballot_table(march, race),
            tables.tally_table(march, race),
            tables.votes_over_time_display(tables.votes_over_time(march, race)),
            tables.audit_table(march, race),
            tables.outside_endorsements_table(march, race),
        ]
    frames.append(tables.decisions_table(march))
    no_member_ids(*frames)


def test_overview_counts_are_headed_in_words(april):
    """The decision columns of the overview's count tables read as the charts' legends
    beside them (NO ENDORSEMENT), never as codes (NO_ENDORSEMENT)."""
    from endorse_analysis.present.pages import OverviewPage

    page = OverviewPage(april)
    for section in (page.decision_counts(), page.primary_weeks()):
        heads = section.data.split("<thead>", 1)[1].split("</thead>", 1)[0]
        assert "NO ENDORSEMENT" in heads and "NO CANDIDATES" in heads
        assert "NO_ENDORSEMENT" not in heads and "NO_CANDIDATES" not in heads
