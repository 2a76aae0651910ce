"""A property of rendered pages: for random small programs (the golden cases), thresholds,
as-of instants and staff rulings, every race page's embedded figures, the numbers its
headline and tally table show, and the index's counters equal `tally` and `choices`
computed independently for the same snapshot, thresholds and instant."""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import ROOT, page_figures, shown_figures, table_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import endorse_analysis as ea
from endorse_analysis import reports
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.snapshot import parse_as_of
from endorse_analysis.ingest import load_folder
from endorse_analysis.reports.plan import notebooks_dir
from endorse_analysis.rules import Thresholds
from endorse_analysis.vocabulary import DECISION_BADGES, DECISIONS

CASES = ROOT / "tests" / "cases"
PROGRAMS = [
    "revotes",
    "support_at_60_percent",
    "tie_and_tiebreak",
    "status_precedence",
    "thresholds_exact_decimals",
    "turnout_at_minimum",
    "min_votes_above_n",
    "no_endorsement_and_zero_ballots",
    "window_edges",
]


@pytest.fixture(scope="module")
def race_notebook_only(tmp_path_factory) -> Path:
    """A notebooks folder with the race report alone: the property is about race pages
    and the index (the overview and docket have tests of their own), and it is faster."""
    folder = tmp_path_factory.mktemp("race_notebook")
    shutil.copy(notebooks_dir() / "race_report.ipynb", folder)
    return folder


def first_wave(folder: Path) -> str:
    with open(folder / "waves.csv", encoding="utf-8-sig", newline="") as handle:
        return next(csv.DictReader(handle))["wave_id"].strip()


def cast_times(folder: Path) -> list[str]:
    with open(folder / "votes.csv", encoding="utf-8-sig", newline="") as handle:
        return sorted({r["cast_at"].strip() for r in csv.DictReader(handle)})


@st.composite
def runs(draw):
    program = draw(st.sampled_from(PROGRAMS))
    folder = CASES / program
    instants = ["", "2026-03-01T00:00Z", "2026-03-06T12:00Z", "2026-04-01", *cast_times(folder)]
    return {
        "program": program,
        "support": draw(st.sampled_from(["0.5", "0.6", "0.6667", "0.9", "1"])),
        "turnout": draw(st.sampled_from(["0", "0.1", "0.25"])),
        "min_votes": draw(st.sampled_from(["0", "1", "3"])),
        "as_of": draw(st.sampled_from(instants)),
        "ruling": draw(st.sampled_from([None, "NO_ENDORSEMENT", "ENDORSE"])),
        "ruled_at": draw(st.sampled_from(["2026-03-02T00:00Z", "2026-03-30T00:00Z"])),
        "pick": draw(st.integers(0, 9)),
    }


def add_ruling(folder: Path, db: Path, wave: str, run: dict) -> None:
    """A staff ruling on one contest of the wave, written into rulings.csv."""
    with ea.connect(db) as con:
        contests = sorted(ea.tally(con, wave)["race_id"])
        if not contests:
            return
        race = contests[run["pick"] % len(contests)]
        ballot = [
            c
            for (c,) in con.execute(
                "SELECT candidate_id FROM ballot(?) WHERE race_id = ? ORDER BY 1", [wave, race]
            ).fetchall()
        ]
    decision, candidate = run["ruling"], ""
    if decision == "ENDORSE":
        if not ballot:
            decision = "NO_ENDORSEMENT"
        else:
            candidate = ballot[run["pick"] % len(ballot)]
    (folder / "rulings.csv").write_text(
        "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
        f"{wave},{race},{decision},{candidate},Pat Staff,{run['ruled_at']},a note\n",
        encoding="utf-8",
    )
    load_folder(folder, db)


@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(run=runs())
def test_every_figure_on_a_page_is_the_tally_of_its_parameters(run, race_notebook_only):
    root = Path(tempfile.mkdtemp(prefix="pages-property-"))
    try:
        folder = shutil.copytree(CASES / run["program"], root / "csv")
        db, wave = root / "db.duckdb", first_wave(folder)
        load_folder(folder, db)
        if run["ruling"]:
            add_ruling(folder, db, wave, run)
        thresholds = Thresholds.from_text(run["support"], run["turnout"], run["min_votes"])
        index = reports.render_wave(
            db, wave, root / "out", thresholds, notebooks=race_notebook_only,
            as_of=run["as_of"] or None,
        )  # fmt: skip
        with ea.connect(db) as plain:
            instant = parse_as_of(plain, run["as_of"]) if run["as_of"] else None
        with ea.connect(db, as_of=instant) as con:
            tally = ea.tally(con, wave, thresholds)
            choices = ea.choices(con, wave)
        check_race_pages(index.parent, tally, choices, thresholds)
        check_index(index, tally)
        assert reports.verify(index.parent) == []
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check_race_pages(folder: Path, tally, choices, thresholds: Thresholds) -> None:
    for row in plain_records(tally):
        race = row["race_id"]
        page = folder / "races" / f"{reports.safe_name(race)}.html"
        figures = page_figures(page)
        options = plain_records(choices[choices["race_id"] == race], ["choice", "votes"])
        for key in ("decision", "final_decision", "ballots_counted", "eligible_voters",
                    "top_choice", "top_votes"):  # fmt: skip
            assert figures[key] == row[key], (race, key)
        assert figures["choices"] == options, race
        assert {k: figures[k] for k in thresholds.as_text()} == thresholds.as_text()
        body = page.read_text(encoding="utf-8")
        shown = shown_figures(body)
        assert shown["final_decision"] == row["final_decision"], race
        assert int(shown["ballots_counted"]) == row["ballots_counted"], race
        assert int(shown["eligible_voters"]) == row["eligible_voters"], race
        if row["top_votes"] is not None:
            assert int(shown["top_votes"]) == row["top_votes"], race
            assert shown["top_choice"] == row["top_choice"], race
        if row["ruling_decision"] is not None:
            assert shown["decision"] == row["decision"], race
        table = table_with(body, "option")[1:]
        assert [int(r[1].replace(",", "")) for r in table] == [o["votes"] for o in options]


def check_index(index: Path, tally) -> None:
    body = index.read_text(encoding="utf-8")
    header = body.split("</p>")[0]
    words = {badge: decision for decision, badge in DECISION_BADGES.items()}
    found = re.findall(r'class="badge \w+">([^<]+)</span> (\d+)', header)
    counters = {words[badge]: int(n) for badge, n in found}
    finals = tally["final_decision"].value_counts()
    assert counters == {d: int(finals.get(d, 0)) for d in DECISIONS}
    rows = dict(re.findall(r'<tr data-race="([^"]*)" data-final="(\w+)"', body))
    assert rows == dict(zip(tally["race_id"], tally["final_decision"], strict=True))
