"""The program's own mailings (`mailings ballot|results|endorsed`): what each draft says,
checked against the tally and the plain model of the contract (tests/model.py), the
templates a program may replace (and what a template may never ask for), and how the
folder is kept: owner-only, built whole, never in, beside or around a report, checked by
`verify`."""

from __future__ import annotations

import csv
import json
import random
import shutil
import stat
import tempfile
from pathlib import Path

import model
import pytest
from helpers import copy_sample, page_figures, program_of, read_ids, run_cli, shown_figures
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import endorse_analysis as ea
from endorse_analysis.api.docket import docket as docket_of
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.snapshot import parse_as_of
from endorse_analysis.present.mailings import BLURB_PLACEHOLDER, TEMPLATES
from endorse_analysis.reports.names import safe_name
from endorse_analysis.rules.words import choice_figure, turnout_figure

WAVE = "2026-03"


def mailings(db: Path, kind: str, out: Path, *extra: object, wave: str = WAVE):
    return run_cli("mailings", kind, "--db", db, "--wave", wave, "--out", out, *extra)


def opted_out(program: dict) -> set[str]:
    return {m["member_id"] for m in program["members"] if m["opted_out_at"] is not None}


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


# --- ballot ---------------------------------------------------------------------------------


def test_a_ballot_draft_names_the_race_each_candidate_and_who_asked_for_them(tmp_path):
    folder = copy_sample(tmp_path / "data")
    db = tmp_path / "db.duckdb"
    assert run_cli("load", folder, "--db", db, "--timezone", "America/New_York").code == 0
    out = tmp_path / "ballot"
    run = mailings(db, "ballot", out)
    assert run.code == 0, run.err
    program = program_of(db)
    with ea.connect(db) as con:
        docket = plain_records(docket_of(con, WAVE))
    on_ballot = [d for d in docket if d["on_ballot"]]
    races = sorted({d["race_id"] for d in on_ballot})
    assert [c["race_id"] for c in manifest_of(out)["contests"]] == races
    for race in races:
        text = (out / f"{safe_name(race)}.ballot.txt").read_text(encoding="utf-8")
        html = (out / f"{safe_name(race)}.ballot.html").read_text(encoding="utf-8")
        assert text.startswith("Subject: ") and text.splitlines()[1] == ""
        for person in (d for d in on_ballot if d["race_id"] == race):
            assert f"* {person['name']}" in text
            assert "; ".join(person["requesting_group_names"]) in text
            assert BLURB_PLACEHOLDER.format(label=person["name"]) in text
            assert f'data-candidate="{person["candidate_id"]}"' in html
        assert "No endorsement: choose this" in text
        # the window in the program's time zone, as the load recorded it
        assert "opens 2026-03-02 00:00 EST and closes 2026-03-16 00:00 EDT" in text
        recipients = read_ids(out / f"{safe_name(race)}.recipients.csv")
        assert set(recipients) == model.potential_voters(program, WAVE, race) - opted_out(program)
        assert manifest_of(out)["contests"][races.index(race)]["members"] == {
            "recipients": len(recipients)
        }
    ca12 = (out / "CA-12.ballot.txt").read_text(encoding="utf-8")
    assert ca12.startswith(
        "Subject: Your vote: who should we endorse for U.S. House, California's 12th district?"
    )
    assert "Ben Brooks (DEM)\n  Endorsed by: California Statewide Network" in ca12
    vt = (out / "VT-AL.ballot.txt").read_text(encoding="utf-8")
    assert "U.S. House, Vermont's at-large district" in vt


# --- results --------------------------------------------------------------------------------


def test_results_lead_with_the_decision_and_a_contest_awaiting_a_ruling_has_none(
    sample_db, tmp_path
):
    out = tmp_path / "results"
    run = mailings(sample_db, "results", out)
    assert run.code == 1, "CA-GOV awaits a ruling"
    assert "CA-GOV: awaiting a staff ruling, no draft" in run.out
    assert "1 contest(s) await a staff ruling" in run.err
    manifest = manifest_of(out)
    assert manifest["pending"] == ["CA-GOV"]
    assert not list(out.glob("CA-GOV.*"))
    text = (out / "CA-12.results.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == (
        "Subject: We endorse Ana Alvarez for U.S. House, California's 12th district"
    )
    assert lines[2] == "Final decision: Endorse Ana Alvarez"
    assert "- 3 of 5 members who voted chose Ana Alvarez: 60.00%" in text
    assert "- 1 of 5 members who voted chose no endorsement: 20.00%" in text
    assert "Turnout: 5 of 6 potential voters (83.33%)." in text
    assert "- Ana Alvarez: East Bay Together (CA-12)" in text
    assert "Plan an announcement event" in text and "Spend time, not money" in text
    mi = (out / "MI-SEN.results.txt").read_text(encoding="utf-8")
    assert "Final decision: No endorsement\n" in mi
    assert "Plan an announcement event" not in mi
    assert "- 4 of 8 members who voted chose Jo Jones: 50.00%" in mi
    assert not (out / "MI-SEN.volunteers.csv").exists()
    # the volunteers are those `lists` writes
    lists = tmp_path / "lists"
    assert run_cli("lists", "--db", sample_db, "--wave", WAVE, "--out", lists).code == 0
    for race in ("CA-12", "VT-AL"):
        assert read_ids(out / f"{race}.volunteers.csv") == read_ids(
            lists / f"{race}.volunteers.csv"
        )
        assert read_ids(out / f"{race}.recipients.csv") == read_ids(
            lists / f"{race}.announcement.csv"
        )
    again = mailings(sample_db, "results", out, "--allow-pending")
    assert again.code == 0 and again.err == ""


def test_a_staff_ruling_leads_the_announcement(tmp_path):
    folder = copy_sample(tmp_path / "data")
    (folder / "rulings.csv").write_text(
        "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
        "2026-03,CA-GOV,NO_ENDORSEMENT,,Jo Park,2026-03-20,too few voted\n"
    )
    db = tmp_path / "db.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    out = tmp_path / "results"
    assert mailings(db, "results", out).code == 0
    text = (out / "CA-GOV.results.txt").read_text(encoding="utf-8")
    assert text.splitlines()[2] == "Final decision: No endorsement"
    assert "Decided by a staff ruling (ruling by Jo Park on 2026-03-20: too few voted)" in text
    assert "the vote's own result was: For staff review" in text
    assert manifest_of(out)["pending"] == []


# --- the public list ------------------------------------------------------------------------


def test_the_public_list_holds_every_endorsement_so_far_and_no_member_data(sample_db, tmp_path):
    expected = []
    with ea.connect(sample_db) as con:
        for wave in ("2026-03", "2026-04"):
            for row in plain_records(ea.tally(con, wave)):
                if endorsed_candidate(row):
                    expected.append((wave, row["race_id"], endorsed_candidate(row)))
    out = tmp_path / "endorsed"
    assert mailings(sample_db, "endorsed", out, wave="2026-04").code == 0
    listed = json.loads((out / "endorsements.json").read_text(encoding="utf-8"))
    got = [(r["wave_id"], r["race_id"], r["candidate_id"]) for r in listed["endorsements"]]
    assert got == expected and {w for w, _, _ in got} == {"2026-03", "2026-04"}
    with open(out / "endorsements.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "race", "race_id", "office", "state", "district", "candidate", "candidate_id",
        "party", "wave_id", "wave", "decided_on",
    ]  # fmt: skip
    assert rows[0]["race"] == "U.S. House, California's 12th district"
    assert rows[0]["decided_on"] == "2026-03-16"
    members = {m["member_id"] for m in program_of(sample_db)["members"]}
    for path in out.iterdir():
        body = path.read_text(encoding="utf-8")
        assert not [m for m in members if m in body], path
        assert "ballots_counted" not in body or path.name == "manifest.json"
    assert mailings(sample_db, "endorsed", out, wave="2026-03").code == 0
    listed = json.loads((out / "endorsements.json").read_text(encoding="utf-8"))
    assert {r["wave_id"] for r in listed["endorsements"]} == {"2026-03"}
    assert mailings(sample_db, "endorsed", out, "--with-figures").code == 0
    with open(out / "endorsements.csv", newline="", encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    assert first["votes"] == "3" and first["ballots_counted"] == "5"
    assert first["support"] == "3 of 5 ballots (60.00%)"


def test_text_from_the_data_is_escaped_and_neutralised(tmp_path):
    folder = copy_sample(tmp_path / "data")
    path = folder / "candidates.csv"
    path.write_text(
        path.read_text().replace("Ana Alvarez", '"=HYPERLINK(""x"")<script>alert(1)</script>"')
    )
    db = tmp_path / "db.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    out = tmp_path / "endorsed"
    assert mailings(db, "endorsed", out).code == 0
    with open(out / "endorsements.csv", newline="", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    assert row["candidate"].startswith("'=HYPERLINK")
    assert "<script>alert" not in (out / "endorsements.html").read_text(encoding="utf-8")
    results = tmp_path / "results"
    assert mailings(db, "results", results, "--allow-pending").code == 0
    html = (results / "CA-12.results.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


# --- provisional ----------------------------------------------------------------------------


def test_a_provisional_tally_gets_drafts_only_when_asked_and_they_say_so(sample_db, tmp_path):
    out = tmp_path / "results"
    run = mailings(sample_db, "results", out, "--as-of", "2026-03-06T12:00")
    assert run.code == 2 and "--provisional" in run.err and len(run.err_lines) == 1
    assert not out.exists()
    run = mailings(
        sample_db, "results", out, "--as-of", "2026-03-06T12:00", "--provisional",
        "--allow-pending",
    )  # fmt: skip
    assert run.code == 0, run.err
    with ea.connect(sample_db) as plain:
        instant = parse_as_of(plain, "2026-03-06T12:00")
    with ea.connect(sample_db, as_of=instant) as con:
        tally = {r["race_id"]: r for r in plain_records(ea.tally(con, WAVE))}
    for draft in out.glob("*.results.txt"):
        assert draft.read_text(encoding="utf-8").startswith("Subject: [PROVISIONAL, as of ")
    for draft in out.glob("*.results.html"):
        figures = page_figures(draft)
        assert figures["as_of"] == instant.isoformat() + "Z"
        assert figures["ballots_counted"] == tally[figures["race_id"]]["ballots_counted"]
    assert manifest_of(out)["provisional"] is True
    assert run_cli("verify", out).code == 0
    listed = tmp_path / "endorsed"
    run = mailings(sample_db, "endorsed", listed, "--as-of", "2026-03-20", "--provisional")
    assert run.code == 0, run.err
    with open(listed / "endorsements.csv", newline="", encoding="utf-8") as f:
        assert {r["as_of"] for r in csv.DictReader(f)} == {"2026-03-20T00:00:00Z"}
    page = (listed / "endorsements.html").read_text(encoding="utf-8")
    assert "PROVISIONAL, as of 2026-03-20 00:00 UTC" in page


# --- the folder -----------------------------------------------------------------------------


def test_the_folder_is_owner_only_counts_only_and_verified(sample_db, tmp_path):
    out = tmp_path / "ballot"
    assert mailings(sample_db, "ballot", out).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    members = {m["member_id"] for m in program_of(sample_db)["members"]}
    assert not [m for m in members if f'"{m}"' in manifest]
    assert json.loads(manifest)["run"]["wave_id"] == WAVE
    run = run_cli("verify", out)
    assert run.code == 0, run.out
    (out / "CA-12.ballot.txt").write_text("changed")
    run = run_cli("verify", out)
    assert run.code == 1 and "changed: CA-12.ballot.txt" in run.out
    # a second run replaces the folder whole
    (out / "stale.ballot.txt").write_text("old")
    assert mailings(sample_db, "ballot", out).code == 0
    assert not (out / "stale.ballot.txt").exists()
    assert run_cli("verify", out).code == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ballot")]


def test_the_folder_is_never_in_beside_or_around_a_report_nor_over_other_files(sample_db, tmp_path):
    wave = tmp_path / "reports" / WAVE
    wave.mkdir(parents=True)
    (wave / "manifest.json").write_text(json.dumps({"manifest_version": 2, "reports": {}}))
    for out in (wave / "mail", tmp_path / "reports" / "mail", tmp_path / "reports"):
        run = mailings(sample_db, "ballot", out)
        assert run.code == 2 and "never part of a report" in run.err, out
        assert len(run.err_lines) == 1
    assert not (wave / "mail").exists() and not (tmp_path / "reports" / "mail").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    run = mailings(sample_db, "endorsed", other)
    assert run.code == 2 and "already holds other files" in run.err
    assert (other / "notes.txt").read_text() == "keep me"


# --- templates ------------------------------------------------------------------------------

CUSTOM = {
    "email.html": "<title>{{ subject }}</title><p>Custom layout</p>{% block body %}{% endblock %}",
    "ballot.subject.txt": "Custom ballot subject for {{ race.name }}",
    "ballot.txt": "Custom ballot words{% for c in candidates %} / {{ c.name }}{% endfor %}",
    "ballot.html": "<title>{{ subject }}</title><p>Custom ballot page {{ race.id }}</p>",
    "results.subject.txt": "Custom results subject: {{ decision.words }}",
    "results.txt": "Custom results words{% for o in options %} / {{ o.line }}{% endfor %}",
    "results.html": "<title>{{ subject }}</title><p>Custom results page {{ turnout.line }}</p>",
    "endorsements.html": "<p>Custom list: {{ rows | length }}</p>",
}
KIND_OF = {"email": "results", "ballot": "ballot", "results": "results", "endorsements": "endorsed"}


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_program_template_replaces_the_wording(sample_db, tmp_path, name):
    own = tmp_path / "templates"
    own.mkdir()
    (own / name).write_text(CUSTOM[name], encoding="utf-8")
    kind = KIND_OF[name.split(".")[0]]
    out = tmp_path / "out"
    run = mailings(sample_db, kind, out, "--templates", own, "--allow-pending")
    assert run.code == 0, run.err
    assert manifest_of(out)["templates"] == [name]
    assert f"your templates for {name}" in run.out
    if kind == "endorsed":
        body = (out / "endorsements.html").read_text(encoding="utf-8")
        assert body.startswith("<p>Custom list: 2</p>")
        assert run_cli("verify", out).code == 0
        return
    text = (out / f"CA-12.{kind}.txt").read_text(encoding="utf-8")
    html = (out / f"CA-12.{kind}.html").read_text(encoding="utf-8")
    if name == "email.html":
        assert html.startswith("<title>") and "<p>Custom layout</p>" in html
        assert "3 of 5 members who voted chose Ana Alvarez: 60.00%" in html
        assert "Custom" not in text
    elif name.endswith("subject.txt"):
        assert text.startswith(f"Subject: Custom {kind}")
        assert "Custom" in html.split("</title>")[0]
    elif name.endswith(".txt"):
        assert text.splitlines()[2].startswith(f"Custom {kind} words / ")
        assert "Custom" not in text.splitlines()[0] and "Custom" not in html
    else:
        assert f"Custom {kind} page" in html and "Custom" not in text


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("ballot.txt", "{{ member_id }}"),
        ("ballot.txt", "{% for c in candidates %}{{ c.email }}{% endfor %}"),
        ("ballot.subject.txt", "{{ recipients }}"),
        ("email.html", "{{ subject }}{{ members }}"),
        ("results.txt", "{{ first_name }}"),
        ("results.html", "<title>{{ subject }}</title>{{ race.phone }}"),
        ("endorsements.html", "{% for r in rows %}{{ r.member_id }}{% endfor %}"),
    ],
)
def test_a_template_that_asks_for_member_data_is_refused(sample_db, tmp_path, name, source):
    own = tmp_path / "templates"
    own.mkdir()
    (own / name).write_text(source, encoding="utf-8")
    kind = KIND_OF[name.split(".")[0]]
    out = tmp_path / "out"
    run = mailings(sample_db, kind, out, "--templates", own, "--allow-pending")
    assert run.code == 2, run.out
    assert len(run.err_lines) == 1 and "never member data" in run.err, run.err
    assert name in run.err
    assert not out.exists() and not list(tmp_path.glob(".out*"))


def test_a_template_cannot_reach_past_its_values_nor_drop_the_subject(sample_db, tmp_path):
    own = tmp_path / "templates"
    own.mkdir()
    (own / "ballot.txt").write_text("{{ race.__class__.__mro__ }}", encoding="utf-8")
    run = mailings(sample_db, "ballot", tmp_path / "out", "--templates", own)
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    (own / "ballot.txt").unlink()
    (own / "ballot.html").write_text("<p>no subject here</p>", encoding="utf-8")
    run = mailings(sample_db, "ballot", tmp_path / "out", "--templates", own)
    assert run.code == 2 and "subject" in run.err and len(run.err_lines) == 1
    assert not (tmp_path / "out").exists()


# --- the property: random programs ----------------------------------------------------------


def _waves_so_far(program: dict, wave_id: str) -> list[str]:
    def key(w):
        return (model.to_utc(w["opens_at"]), w["wave_id"])

    this = key(next(w for w in program["waves"] if w["wave_id"] == wave_id))
    return [w["wave_id"] for w in sorted(program["waves"], key=key) if key(w) <= this]


def _random_programs():
    from test_property import programs

    return programs()


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    program=st.deferred(_random_programs),
    limits=st.sampled_from([("0.6", "0.1", "1"), ("0.5", "0", "0"), ("0.75", "0.25", "2")]),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_draft_agrees_with_the_tally_of_its_parameters(program, limits, seed):
    from test_property import write_program

    root = Path(tempfile.mkdtemp(prefix="mailings-property-"))
    try:
        folder = root / "program"
        folder.mkdir()
        write_program(program, folder, random.Random(seed))
        db = root / "db.duckdb"
        assert run_cli("load", folder, "--db", db).code == 0
        S, T, M = limits
        thresholds = ["--support-threshold", S, "--min-turnout", T, "--min-votes", M]
        out_of = {m["member_id"] for m in program["members"] if m["opted_out_at"] is not None}
        for wave in program["waves"]:
            wave_id = wave["wave_id"]
            with ea.connect(db) as con:
                tally = plain_records(ea.tally(con, wave_id, ea.Thresholds.from_text(S, T, M)))
                choices = ea.choices(con, wave_id)
                ballot = {r for (r,) in con.execute(
                    "SELECT DISTINCT race_id FROM ballot(?)", [wave_id]).fetchall()}  # fmt: skip
            results = root / "results"
            run = mailings(db, "results", results, "--allow-pending", *thresholds, wave=wave_id)
            assert run.code == 0, run.err
            _check_results(results, tally, choices, program, wave_id, out_of)
            drafted = root / "ballot"
            assert mailings(db, "ballot", drafted, *thresholds, wave=wave_id).code == 0
            got = [c["race_id"] for c in manifest_of(drafted)["contests"]]
            assert got == sorted(ballot)
            for race in got:
                recipients = read_ids(drafted / f"{safe_name(race)}.recipients.csv")
                assert set(recipients) == model.potential_voters(program, wave_id, race) - out_of
            listed = root / "endorsed"
            assert mailings(db, "endorsed", listed, *thresholds, wave=wave_id).code == 0
            _check_endorsed(listed, program, wave_id, limits)
            for kind in (results, drafted, listed):
                assert run_cli("verify", kind).code == 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _check_results(folder, tally, choices, program, wave_id, out_of) -> None:
    manifest = manifest_of(folder)
    drafted = {c["race_id"] for c in manifest["contests"]}
    assert not drafted & set(manifest["pending"])
    names = {c["candidate_id"]: c["name"] for c in program["candidates"]}
    for row in tally:
        race = row["race_id"]
        stem = folder / safe_name(race)
        if not row["candidates_on_ballot"]:
            assert race not in drafted and race not in manifest["pending"]
            continue
        if row["final_decision"] == "REVIEW":
            assert race in manifest["pending"] and not stem.with_suffix(".results.txt").exists()
            continue
        assert race in drafted, race
        html = Path(f"{stem}.results.html").read_text(encoding="utf-8")
        figures = page_figures(Path(f"{stem}.results.html"))
        for key in ("decision", "final_decision", "ballots_counted", "eligible_voters",
                    "top_choice", "top_votes"):  # fmt: skip
            assert figures[key] == row[key], (race, key)
        options = plain_records(choices[choices["race_id"] == race], ["choice", "votes"])
        assert figures["choices"] == options
        shown = shown_figures(html)
        assert shown["final_decision"] == row["final_decision"]
        assert int(shown["ballots_counted"]) == row["ballots_counted"]
        assert int(shown["eligible_voters"]) == row["eligible_voters"]
        text = Path(f"{stem}.results.txt").read_text(encoding="utf-8")
        n = row["ballots_counted"]
        for option in options:
            label = (
                "no endorsement"
                if option["choice"] == model.NO_ENDORSEMENT
                else (names[option["choice"]])
            )
            assert int(shown[f"votes:{option['choice']}"]) == option["votes"]
            assert choice_figure(option["votes"], n, label) in text
        assert turnout_figure(n, row["eligible_voters"]) in text
        recipients = read_ids(Path(f"{stem}.recipients.csv"))
        assert set(recipients) == model.potential_voters(program, wave_id, race) - out_of
        assert Path(f"{stem}.volunteers.csv").exists() == (row["final_decision"] == "ENDORSE")


def _check_endorsed(folder, program, wave_id, limits) -> None:
    from fractions import Fraction

    S, T, M = (Fraction(x) for x in limits)
    want = []
    for wave in _waves_so_far(program, wave_id):
        for contest in model.tally(program, wave, S=S, T=T, M=M):
            if contest["decision"] == "ENDORSE":
                want.append((wave, contest["race_id"], contest["top_choice"]))
    listed = json.loads((folder / "endorsements.json").read_text(encoding="utf-8"))
    got = [(r["wave_id"], r["race_id"], r["candidate_id"]) for r in listed["endorsements"]]
    assert got == want


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_the_public_list_and_the_emails_in_a_browser(sample_db, tmp_path):
    from chromium import chromium
    from test_browser import check_page

    listed, results = tmp_path / "endorsed", tmp_path / "results"
    assert mailings(sample_db, "endorsed", listed, "--with-figures", wave="2026-04").code == 0
    assert mailings(sample_db, "results", results, "--allow-pending").code == 0
    ballot = tmp_path / "ballot"
    assert mailings(sample_db, "ballot", ballot).code == 0
    with chromium() as driver:
        for width in (1400, 400):
            state = check_page(driver, listed / "endorsements.html", "mailing-endorsed", width)
            assert "Endorsed candidates" in state["title"]
            state = check_page(driver, results / "CA-12.results.html", "mailing-results", width)
            assert state["title"].startswith("We endorse Ana Alvarez")
            state = check_page(driver, ballot / "CA-12.ballot.html", "mailing-ballot", width)
            assert state["title"].startswith("Your vote: who should we endorse")


def test_time_zone_of_the_window_is_the_loads(tmp_path):
    """Without --timezone the load is UTC, and the window says so."""
    folder = copy_sample(tmp_path / "data")
    db = tmp_path / "db.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    assert mailings(db, "ballot", tmp_path / "b").code == 0
    text = (tmp_path / "b" / "CA-12.ballot.txt").read_text(encoding="utf-8")
    assert "opens 2026-03-02 05:00 UTC and closes 2026-03-16 04:00 UTC" in text


def test_help_says_the_recipients_hold_member_ids_and_bad_calls_are_one_line(sample_db, tmp_path):
    import contextlib
    import io

    from endorse_analysis.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["mailings", "--help"])
    text = " ".join(out.getvalue().split())
    assert "Recipients hold member ids" in text and "never part of a report" in text
    for argv, says in [
        (("ballot", "--wave", "nope"), "is not in the database"),
        (("post", "--wave", WAVE), "invalid choice"),
        (("ballot", "--wave", WAVE, "--templates", tmp_path / "none"), "is not a folder"),
        (("results", "--wave", WAVE, "--as-of", "soon", "--provisional"), "not a timestamp"),
        (("ballot", "--wave", WAVE, "--with-figures"), "for the endorsed list"),
    ]:
        run = run_cli("mailings", *argv, "--db", sample_db, "--out", tmp_path / "out")
        assert run.code == 2 and len(run.err_lines) == 1 and says in run.err, run.err
        assert not (tmp_path / "out").exists()


def test_a_race_is_named_as_a_sentence_names_it():
    from endorse_analysis.present.words import ordinal, race_name

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 52, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "52nd",
        "111th", "112th",
    ]  # fmt: skip
    house = {"office": "house", "state": "CA", "state_name": "California", "district": 12}
    assert race_name(house) == "U.S. House, California's 12th district"
    assert race_name({**house, "state": "AK", "state_name": "Alaska", "district": 0}) == (
        "U.S. House, Alaska's at-large district"
    )
    assert race_name({"office": "senate", "state": "MI", "state_name": None}) == "U.S. Senate, MI"
    assert race_name({"office": "governor", "state": "CA", "state_name": "California"}) == (
        "Governor, California"
    )


def test_no_draft_names_a_member(sample_db, tmp_path):
    members = {m["member_id"] for m in program_of(sample_db)["members"]}
    for kind in ("ballot", "results"):
        out = tmp_path / kind
        assert mailings(sample_db, kind, out, "--allow-pending").code == 0
        drafts = [p for p in out.iterdir() if p.suffix in (".txt", ".html")]
        assert drafts
        for path in drafts + [out / "manifest.json"]:
            body = path.read_text(encoding="utf-8")
            assert not [m for m in members if m in body], path
