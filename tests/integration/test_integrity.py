"""Pages that cannot contradict themselves: every figure of a rendered wave comes from one
snapshot, one set of thresholds and one instant, and the headline is the decision that
will be announced (the final one). Each test below is a way the pages once disagreed
with the tally or with each other."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE, page_figures, run_cli, shown_figures, table_with

import endorse_analysis as ea
from endorse_analysis import reports
from endorse_analysis.files import exclusive_lock
from endorse_analysis.ingest import load_folder
from endorse_analysis.reports import execute
from endorse_analysis.reports.names import lock_path
from endorse_analysis.rules import Thresholds
from endorse_analysis.vocabulary import DECISION_BADGES

WAVE = "2026-03"
# CA-GOV is REVIEW (1 of 14 potential voters): staff endorse B1; VT-AL is ENDORSE (E1,
# 5 of 6): staff override it. The third ruling comes after the window: an --as-of
# before it must not apply it.
RULINGS = (
    "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
    "2026-03,CA-GOV,ENDORSE,B1,Dana Staff,2026-03-17T10:00:00Z,turnout is low for a governor\n"
    "2026-03,VT-AL,NO_ENDORSEMENT,,Lee Staff,2026-03-18T10:00:00Z,conflict of interest\n"
)


def with_rulings(folder: Path, rulings: str = RULINGS) -> Path:
    shutil.copytree(SAMPLE, folder)
    (folder / "rulings.csv").write_text(rulings, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def ruled_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ruled")
    db = root / "ruled.duckdb"
    load_folder(with_rulings(root / "csv"), db)
    return db


@pytest.fixture(scope="module")
def ruled_wave(ruled_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ruled_out")
    return reports.render_wave(ruled_db, WAVE, out, jobs=1).parent


@pytest.fixture(scope="module")
def sample_wave(sample_db, tmp_path_factory) -> Path:
    """The sample's wave rendered once at the default thresholds (read it, or copy it)."""
    out = tmp_path_factory.mktemp("sample_wave")
    return reports.render_wave(sample_db, WAVE, out, jobs=1).parent


@pytest.fixture(scope="module")
def strict_wave(sample_db, tmp_path_factory) -> Path:
    """The sample's wave rendered once at a 90% support threshold."""
    out = tmp_path_factory.mktemp("strict_wave")
    return reports.render_wave(sample_db, WAVE, out, Thresholds.from_text("0.9"), jobs=1).parent


def copied(folder: Path, tmp_path: Path) -> Path:
    """A rendered wave folder copied (with its output folder), to change without harm."""
    out = shutil.copytree(folder.parent, tmp_path / "out")
    return out / folder.name


def race_page(folder: Path, race: str) -> Path:
    return folder / "races" / f"{reports.safe_name(race)}.html"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- 1. report --as-of: every section of the page is as of the instant ----------------------


def test_a_provisional_page_counts_only_votes_before_its_instant(sample_db, tmp_path):
    page = reports.render_race(
        sample_db, WAVE, "MI-SEN", tmp_path, as_of="2026-03-04T12:00"
    )  # MI-SEN's 8 ballots were all cast on 2026-03-10
    figures = page_figures(page)
    assert figures["ballots_counted"] == 0 and figures["as_of"] == "2026-03-04T12:00:00Z"
    body = text(page)
    assert "PROVISIONAL" in body
    tally = table_with(body, "option")
    assert [row[1] for row in tally[1:]] == ["0", "0", "0"]
    assert "No ballots were counted." in body  # the votes over time, too
    assert shown_figures(body)["ballots_counted"] == "0"


# --- 2. a new load (another time zone) re-renders every page ------------------------------


def test_a_new_snapshot_re_renders_every_page(tmp_path, capsys):
    db, out = tmp_path / "db.duckdb", tmp_path / "out"
    load_folder(SAMPLE, db)
    reports.render_wave(db, WAVE, out, jobs=1)
    load_folder(SAMPLE, db, timezone="America/Los_Angeles")
    capsys.readouterr()
    index = reports.render_wave(db, WAVE, out, jobs=1)
    assert "unchanged" not in capsys.readouterr().err
    with ea.connect(db) as con:
        snapshot = ea.snapshot_info(con)["snapshot_id"]
    for page in index.parent.rglob("*.html"):
        assert page_figures(page)["snapshot_id"] == snapshot, page
    assert reports.verify(index.parent) == []


# --- 3. a load while a run renders changes nothing the run reads ---------------------------


def test_replacing_the_database_during_a_run_leaves_one_consistent_wave(tmp_path, monkeypatch):
    """The run pins the snapshot it started with: a load that replaces the database
    while the pages render leaves every page, the index and the manifest of the old one."""
    db, out = tmp_path / "db.duckdb", tmp_path / "out"
    load_folder(SAMPLE, db)
    with ea.connect(db) as con:
        old = ea.snapshot_info(con)["snapshot_id"]
    edited = shutil.copytree(SAMPLE, tmp_path / "edited")
    votes = (edited / "votes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (edited / "votes.csv").write_text("".join(votes[:10]), encoding="utf-8")  # most votes gone
    original = execute.render_task
    loads = []

    def load_then_render(task):
        if not loads:  # the first page: replace the database under the run
            loads.append(load_folder(edited, db))
        return original(task)

    monkeypatch.setattr(execute, "render_task", load_then_render)
    index = reports.render_wave(db, WAVE, out, jobs=1)
    assert loads, "the database was replaced during the run"
    with ea.connect(db) as con:
        assert ea.snapshot_info(con)["snapshot_id"] != old  # the new snapshot is in place
        new_tally = ea.tally(con, WAVE)
    folder = index.parent
    for page in folder.rglob("*.html"):
        assert page_figures(page)["snapshot_id"] == old, page
    vt = page_figures(race_page(folder, "VT-AL"))
    assert vt["ballots_counted"] == 6  # the old snapshot's count
    assert new_tally.set_index("race_id").loc["VT-AL", "ballots_counted"] != 6
    assert reports.verify(folder) == []


# --- 4. one wave folder, one set of parameters, one run at a time ---------------------------


def test_a_folder_holds_one_set_of_parameters(sample_db, sample_wave, tmp_path):
    folder = copied(sample_wave, tmp_path)
    code = run_cli(
        "report", "--db", sample_db, "--wave", WAVE, "--race", "CA-12", "--out", folder.parent,
        "--support-threshold", "0.9",
    )  # fmt: skip
    assert code.code == 2 and "support_threshold" in code.err and "Traceback" not in code.err
    assert len(code.err_lines) == 1
    assert reports.verify(folder) == []  # nothing was written
    reports.render_wave(sample_db, WAVE, folder.parent, Thresholds.from_text("0.9"), jobs=1)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["run"]["support_threshold"] == "0.9"
    for page in folder.rglob("*.html"):
        assert page_figures(page)["support_threshold"] == "0.9", page
    assert reports.verify(folder) == []


def test_two_runs_into_one_folder_cannot_interleave(sample_db, tmp_path):
    with exclusive_lock(lock_path(tmp_path, WAVE), "a test"):
        busy = run_cli("reports", "--db", sample_db, "--wave", WAVE, "--out", tmp_path)
    assert busy.code == 2 and "another process" in busy.err and len(busy.err_lines) == 1
    assert not (tmp_path / WAVE / "manifest.json").exists()


# --- 5. the final decision leads: badge, index, counters, overview, results ------------------


def test_the_final_decision_leads_every_page(ruled_db, ruled_wave):
    with ea.connect(ruled_db) as con:
        tally = ea.tally(con, WAVE).set_index("race_id")
    assert tally.loc["CA-GOV", "decision"] == "REVIEW"
    assert tally.loc["CA-GOV", "final_decision"] == "ENDORSE"
    assert tally.loc["VT-AL", "final_decision"] == "NO_ENDORSEMENT"
    for race in ("CA-GOV", "VT-AL"):
        body = text(race_page(ruled_wave, race))
        shown = shown_figures(body)
        assert shown["final_decision"] == tally.loc[race, "final_decision"]
        assert shown["decision"] == tally.loc[race, "decision"]  # the computed one, under it
        assert "Staff ruling" in body or "Override" in body
    index = text(ruled_wave / "index.html")
    words = {badge: decision for decision, badge in DECISION_BADGES.items()}
    found = re.findall(r'class="badge \w+">([^<]+)</span> (\d+)', index.split("</p>")[0])
    counts = {words[badge]: n for badge, n in found}
    expected = tally["final_decision"].value_counts()
    assert {d: int(n) for d, n in counts.items()} == {
        d: int(expected.get(d, 0)) for d in ("ENDORSE", "REVIEW", "NO_ENDORSEMENT", "NO_CANDIDATES")
    }
    overview = text(ruled_wave / "overview.html")
    for decision, count in re.findall(r'data-final-count="(\w+)">[^:<]+: (\d+)', overview):
        assert int(count) == int(expected.get(decision, 0)), decision
    results = run_cli("results", "--db", ruled_db, "--wave", WAVE, "--format", "csv")
    rows = {r["race_id"]: r for r in csv.DictReader(io.StringIO(results.out))}
    assert rows["CA-GOV"]["final_decision"] == "ENDORSE" and rows["CA-GOV"]["candidate_id"] == "B1"
    assert rows["VT-AL"]["final_decision"] == "NO_ENDORSEMENT"


def test_the_index_starts_with_the_contests_awaiting_a_ruling(sample_wave):
    index = text(sample_wave / "index.html")
    order = re.findall(r'<tr data-race="([^"]+)" data-final="(\w+)"', index)
    finals = [final for _, final in order]
    assert finals[0] == "REVIEW" and finals.count("REVIEW") == 1  # CA-GOV, no ruling yet
    assert order[0][0] == "CA-GOV"
    assert index.index("Awaiting a staff ruling") < index.index("Decided")


# --- 6. the docket's funnel is at the run's thresholds --------------------------------------


def test_the_docket_counts_endorsements_at_the_run_thresholds(sample_wave, strict_wave):
    funnel = page_figures(strict_wave / "vetting_docket.html")["funnel"]
    assert funnel["endorsed"] == 0  # at 90% support nothing is endorsed
    assert page_figures(sample_wave / "vetting_docket.html")["funnel"]["endorsed"] == 2


# --- 7. a ruling decided after the instant is not applied ----------------------------------


def test_a_ruling_after_the_instant_is_not_applied(ruled_db):
    before = run_cli(
        "tally", "--db", ruled_db, "--wave", WAVE, "--format", "json", "--as-of", "2026-03-17"
    )
    contests = {c["race_id"]: c for c in json.loads(before.out)["contests"]}
    assert contests["CA-GOV"]["final_decision"] == contests["CA-GOV"]["decision"] == "REVIEW"
    assert contests["CA-GOV"]["ruling"] is None and contests["VT-AL"]["ruling"] is None
    after = run_cli(
        "tally", "--db", ruled_db, "--wave", WAVE, "--format", "json", "--as-of", "2026-03-18"
    )
    contests = {c["race_id"]: c for c in json.loads(after.out)["contests"]}
    assert contests["CA-GOV"]["final_decision"] == "ENDORSE"  # decided 2026-03-17T10:00Z
    assert contests["VT-AL"]["ruling"] is None  # decided 2026-03-18T10:00Z, not yet


# --- 8. a provisional file says so in its data ----------------------------------------------


def test_provisional_csv_and_json_carry_their_instant(sample_db):
    as_of = ["--as-of", "2026-03-06"]
    tally = run_cli("tally", "--db", sample_db, "--wave", WAVE, "--format", "csv", *as_of)
    rows = list(csv.DictReader(io.StringIO(tally.out)))
    assert rows and all(r["as_of"] == "2026-03-06T00:00:00Z" for r in rows)
    audit = run_cli("audit", "--db", sample_db, "--wave", WAVE, "--format", "csv", *as_of)
    rows = list(csv.DictReader(io.StringIO(audit.out)))
    assert rows and all(r["as_of"] == "2026-03-06T00:00:00Z" for r in rows)
    audit = run_cli("audit", "--db", sample_db, "--format", "json", *as_of)
    assert all(r["as_of"] == "2026-03-06T00:00:00Z" for r in json.loads(audit.out))
    tally = run_cli("tally", "--db", sample_db, "--wave", WAVE, "--format", "json", *as_of)
    assert json.loads(tally.out)["as_of"] == "2026-03-06T00:00:00Z"
    final = run_cli("tally", "--db", sample_db, "--wave", WAVE, "--format", "csv")
    assert "as_of" not in final.out.splitlines()[0]  # a final file has no such column


# --- 9. wave comparisons are over the contests with a candidate ------------------------------


def test_a_page_compares_turnout_with_contests_that_had_a_candidate(sample_db, tmp_path):
    page = text(reports.render_race(sample_db, WAVE, "CA-GOV", tmp_path))
    standing = {row[0]: row[1] for row in table_with(page, "measure")[1:]}
    # 6 contests, of which MI-11 and VT-GOV have nobody on the ballot
    assert standing["Those contests meeting the minimum"] == "3 of 4"
    assert (
        standing["Place among contests with a candidate on the ballot"]
        == "4 of 4 (1 = highest turnout)"
    )


# --- 10. a ballot is a counted ballot everywhere --------------------------------------------
# (explore's arrivals equal the tally's ballots: tests/integration/test_explore.py)


# --- verify checks figures, not only bytes ---------------------------------------------------


def test_verify_flags_pages_that_disagree_or_do_not_belong(sample_wave, tmp_path):
    folder = copied(sample_wave, tmp_path)
    # a stale page of a contest the index does not have, and a hidden file
    shutil.copy(race_page(folder, "CA-12"), folder / "races" / "XX-99.html")
    (folder / "races" / ".hidden").write_text("x")
    lines = reports.verify(folder)
    assert "added: races/XX-99.html (not in the manifest)" in lines
    assert "added: races/.hidden (not in the manifest)" in lines
    # a page whose figures were edited and its manifest entry made to match
    page = race_page(folder, "VT-AL")
    page.write_text(text(page).replace('"ballots_counted": 6', '"ballots_counted": 7'))
    manifest = json.loads((folder / "manifest.json").read_text())
    from endorse_analysis.files import sha256_file

    for entry in manifest["files"]:
        if entry["path"] == "races/VT-AL.html":
            entry["sha256"], entry["size"] = sha256_file(page), page.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(manifest))
    lines = reports.verify(folder)
    assert any(line.startswith("figures differ: races/VT-AL.html") for line in lines), lines


def test_pages_and_notebooks_hold_no_path_of_the_machine(sample_db, sample_wave):
    roots = {str(Path(sample_db).parent), str(sample_wave.parent), str(Path.cwd())}
    for path in sample_wave.rglob("*"):
        if path.is_file():
            body = path.read_text(encoding="utf-8", errors="replace")
            for root in roots:
                assert root not in body, (path, root)
