"""The decision record: rulings, --as-of, diff, results and --timezone.

One small program, computed by hand:
- VT-AL: 5 potential voters, 3 of 5 for A1 (60%): ENDORSE.
- NH-01: 21 potential voters (N21 signs up during the window), B1 1 and B2 1: a 50% top
  choice, NO_ENDORSEMENT.
- NH-SEN: 21 potential voters, 1 ballot for S1 (100% support, 4.76% turnout): REVIEW.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from endorse_analysis.cli import main

CANARY_MEMBER = "CANARY-MEMBER-d41c"
CANARY_EMAIL = "canary-d41c@example.org"

FILES = {
    "waves.csv": """wave_id,name,opens_at,closes_at,signup_closes_at
W1,March,2026-03-02T00:00:00Z,2026-03-06T00:00:00Z,
""",
    "races.csv": """race_id,office,state,district,cycle
VT-AL,house,VT,0,2026
NH-01,house,NH,1,2026
NH-SEN,senate,NH,,2026
ME-GOV,governor,ME,,2026
""",
    "candidates.csv": """candidate_id,race_id,name,party,first_time,incumbent
A1,VT-AL,Ada Vermont,D,yes,no
B1,NH-01,Bea Granite,D,no,no
B2,NH-01,Bo Granite,D,no,no
S1,NH-SEN,Sam Senate,D,no,yes
""",
    "groups.csv": """group_id,name,state,district
G1,Green Mountain Neighbors,VT,
G2,Manchester Together,NH,1
G3,Nashua Rising,NH,2
""",
    "endorsements.csv": """group_id,candidate_id,wave_id,endorsed_on,requests_national
G1,A1,W1,2026-02-01,true
G2,B1,W1,2026-02-01,true
G2,B2,W1,2026-02-01,true
G3,S1,W1,2026-02-01,true
""",
    "vetting.csv": """candidate_id,wave_id,status,questionnaire,partner_endorsements,notes
A1,W1,cleared,passed,1,
B1,W1,cleared,passed,0,
B2,W1,cleared,passed,0,
S1,W1,cleared,passed,2,
""",
}


def _members() -> str:
    rows = ["member_id,state,district,signed_up_at,opted_out_at,email,first_name,phone"]
    for i in range(1, 6):
        member = CANARY_MEMBER if i == 1 else f"V{i}"
        rows.append(f"{member},VT,0,2026-01-01,,{CANARY_EMAIL if i == 1 else 'v@x.org'},Vee,555")
    for i in range(1, 21):
        rows.append(f"N{i},NH,1,2026-01-01,,n{i}@x.org,Enn,555")
    rows.append("N21,NH,1,2026-03-03T12:00:00Z,,n21@x.org,Late,555")
    return "\n".join(rows) + "\n"


VOTES = [
    (1, "VT-AL", CANARY_MEMBER, "A1", "2026-03-03T10:00:00Z"),
    (2, "VT-AL", "V2", "A1", "2026-03-03T10:00:00Z"),
    (3, "VT-AL", "V3", "A1", "2026-03-03T10:00:00Z"),
    (4, "VT-AL", "V4", "NO_ENDORSEMENT", "2026-03-03T10:00:00Z"),
    (5, "VT-AL", "V5", "NO_ENDORSEMENT", "2026-03-03T10:00:00Z"),
    (6, "NH-01", "N1", "B1", "2026-03-02T12:00:00Z"),
    (7, "NH-01", "N2", "B2", "2026-03-04T12:00:00Z"),
    (8, "NH-SEN", "N3", "S1", "2026-03-03T12:00:00Z"),
]


def _write(folder: Path, votes=VOTES, rulings: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (folder / name).write_text(text)
    (folder / "members.csv").write_text(_members())
    lines = ["vote_id,wave_id,race_id,member_id,choice,cast_at"]
    lines += [f"{v},W1,{race},{m},{c},{t}" for v, race, m, c, t in votes]
    (folder / "votes.csv").write_text("\n".join(lines) + "\n")
    if rulings is not None:
        (folder / "rulings.csv").write_text(
            "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n" + rulings
        )
    return folder


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _loaded(tmp_path: Path, name: str = "db", **kwargs) -> str:
    folder = _write(tmp_path / name, **kwargs)
    db = str(tmp_path / f"{name}.duckdb")
    code, _, err = run("load", str(folder), "--db", db)
    assert code == 0, err
    return db


def _contests(db: str, *extra: str) -> dict[str, dict]:
    code, out, err = run("tally", "--db", db, "--wave", "W1", "--format", "json", *extra)
    assert code == 0, err
    return {c["race_id"]: c for c in json.loads(out)["contests"]}


def test_computed_decisions_without_rulings(tmp_path):
    contests = _contests(_loaded(tmp_path))
    assert {r: c["decision"] for r, c in contests.items()} == {
        "VT-AL": "ENDORSE",
        "NH-01": "NO_ENDORSEMENT",
        "NH-SEN": "REVIEW",
    }
    assert all(
        c["final_decision"] == c["decision"] and c["ruling"] is None for c in contests.values()
    )


@pytest.mark.parametrize(
    ("ruling", "final"),
    [
        ("W1,NH-SEN,ENDORSE,S1,Dana Staff,2026-03-07T10:00Z,strong local support\n", "ENDORSE"),
        ("W1,NH-SEN,no_endorsement,,Dana Staff,2026-03-07,turnout too thin\n", "NO_ENDORSEMENT"),
    ],
)
def test_a_ruling_resolves_a_review_either_way(tmp_path, ruling, final):
    db = _loaded(tmp_path, rulings=ruling)
    contest = _contests(db)["NH-SEN"]
    assert contest["decision"] == "REVIEW"
    assert contest["final_decision"] == final
    assert contest["ruling"]["decided_by"] == "Dana Staff"
    assert contest["ruling"]["override"] is False
    code, out, _ = run("tally", "--db", db, "--wave", "W1", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    row = next(r for r in table if r["race_id"] == "NH-SEN")
    ruling = final + (" S1" if final == "ENDORSE" else "")
    assert (row["final_decision"], row["ruling"]) == (final, ruling)


def test_a_ruling_against_the_computed_decision_is_an_override(tmp_path):
    db = _loaded(tmp_path, rulings="W1,VT-AL,NO_ENDORSEMENT,,Dana Staff,2026-03-07,conflict\n")
    contest = _contests(db)["VT-AL"]
    assert (contest["decision"], contest["final_decision"]) == ("ENDORSE", "NO_ENDORSEMENT")
    assert contest["ruling"]["override"] is True
    code, out, _ = run("tally", "--db", db, "--wave", "W1", "--format", "csv")
    assert "NO_ENDORSEMENT (override)" in out
    code, out, _ = run("results", "--db", db, "--wave", "W1", "--format", "json")
    vt = next(r for r in json.loads(out) if r["race_id"] == "VT-AL")
    assert vt["final_decision"] == "NO_ENDORSEMENT" and "override of ENDORSE" in vt["ruling"]


@pytest.mark.parametrize(
    ("ruling", "expected"),
    [
        ("W1,NH-02,ENDORSE,B1,Dana,2026-03-07,\n", "rulings.csv line 2, column race_id: 'NH-02'"),
        (
            "W1,ME-GOV,NO_ENDORSEMENT,,Dana,2026-03-07,\n",
            "rulings.csv line 2, column race_id: 'ME-GOV' is not a contest of wave W1",
        ),
        (
            "W1,NH-SEN,ENDORSE,S1,Dana,2026-03-07,\nW1,VT-AL,ENDORSE,B1,Dana,2026-03-07,\n",
            "rulings.csv line 3, column candidate_id: 'B1' is not on the ballot of VT-AL",
        ),
        ("W1,VT-AL,ENDORSE,,Dana,2026-03-07,\n", "rulings.csv line 2, column candidate_id"),
    ],
)
def test_a_ruling_on_an_unknown_contest_or_off_ballot_candidate_refuses_the_load(
    tmp_path, ruling, expected
):
    db = _loaded(tmp_path, name="good")
    before = Path(db).read_bytes()
    folder = _write(tmp_path / "bad", rulings=ruling)
    code, _, err = run("load", str(folder), "--db", db)
    assert code != 0
    assert expected in err
    assert "Traceback" not in err
    assert Path(db).read_bytes() == before


def test_as_of_the_opening_counts_nothing(tmp_path):
    db = _loaded(tmp_path)
    contests = _contests(db, "--as-of", "2026-03-02T00:00:00Z")
    assert all(c["ballots_counted"] == 0 for c in contests.values())
    code, out, _ = run("tally", "--db", db, "--wave", "W1", "--as-of", "2026-03-02")
    assert "PROVISIONAL" in out


def test_as_of_the_middle_of_the_window_counts_what_had_happened(tmp_path):
    db = _loaded(tmp_path)
    code, out, _ = run(
        "tally", "--db", db, "--wave", "W1", "--format", "json", "--as-of", "2026-03-03T11:00Z"
    )
    body = json.loads(out)
    assert body["provisional"] is True and body["as_of"] == "2026-03-03T11:00:00Z"
    got = {
        c["race_id"]: (c["ballots_counted"], c["eligible_voters"], c["decision"])
        for c in body["contests"]
    }
    # By then: the five VT ballots, N1's ballot for B1; N21 had not signed up yet.
    assert got == {
        "VT-AL": (5, 5, "ENDORSE"),
        "NH-01": (1, 20, "REVIEW"),  # 1 of 1 for B1, turnout 5% < 10%
        "NH-SEN": (0, 20, "NO_ENDORSEMENT"),
    }
    code, out, _ = run("audit", "--db", db, "--format", "json", "--as-of", "2026-03-03T11:00Z")
    assert sum(r["votes"] for r in json.loads(out)) == 6


def test_as_of_the_close_equals_the_final_tally(tmp_path):
    db = _loaded(tmp_path)
    final = _contests(db)
    at_close = _contests(db, "--as-of", "2026-03-06T00:00:00Z")
    assert at_close == final


def test_diff_names_the_decision_that_a_few_votes_flip(tmp_path):
    old = _loaded(tmp_path, name="old")
    more = [
        *VOTES,
        (9, "NH-SEN", "N4", "S1", "2026-03-04T09:00:00Z"),
        (10, "NH-SEN", "N5", "S1", "2026-03-04T09:30:00Z"),
    ]
    new = _loaded(tmp_path, name="new", votes=more)
    code, out, _ = run("diff", old, new, "--format", "json")
    assert code == 0
    changes = {(r["race_id"], r["field"]): (r["before"], r["after"]) for r in json.loads(out)}
    assert changes[("NH-SEN", "decision")] == ("REVIEW", "ENDORSE")
    assert changes[("NH-SEN", "ballots_counted")] == (1, 3)
    assert {race for race, _ in changes} == {"NH-SEN"}
    code, out, _ = run("diff", old, old)
    assert "no contest changed" in out


def test_results_and_by_group_rows_computed_by_hand(tmp_path):
    db = _loaded(tmp_path)
    code, out, _ = run("results", "--db", db, "--wave", "W1", "--format", "json")
    rows = {r["race_id"]: r for r in json.loads(out)}
    assert rows["VT-AL"] == {
        "wave_id": "W1",
        "race_id": "VT-AL",
        "office": "house",
        "state": "VT",
        "district": 0,
        "final_decision": "ENDORSE",
        "candidate_id": "A1",
        "candidate_name": "Ada Vermont",
        "support": "A1: 3 of 5 ballots (60.00%)",
        "turnout": "5 of 5 potential voters (100.00%)",
        "endorsing_groups": "Green Mountain Neighbors",
        "computed_decision": "ENDORSE",
        "ruling": None,
    }
    assert rows["NH-SEN"]["final_decision"] == "REVIEW"
    assert rows["NH-SEN"]["turnout"] == "1 of 21 potential voters (4.76%)"
    code, out, _ = run("results", "--db", db, "--wave", "W1", "--by-group", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "group_id,group_name,state,district,contests,results"
    assert (
        lines[1] == "G1,Green Mountain Neighbors,VT,,VT-AL,VT-AL: ENDORSE Ada Vermont "
        "(A1: 3 of 5 ballots (60.00%))"
    )
    assert (
        lines[2] == "G2,Manchester Together,NH,1,NH-01; NH-SEN,NH-01: NO_ENDORSEMENT; "
        "NH-SEN: REVIEW"
    )
    assert lines[3] == "G3,Nashua Rising,NH,2,NH-SEN,NH-SEN: REVIEW"


def test_no_member_id_or_personal_column_reaches_the_results(tmp_path):
    db = _loaded(tmp_path)
    for extra in ([], ["--by-group"]):
        for fmt in ("table", "csv", "json"):
            code, out, err = run("results", "--db", db, "--wave", "W1", "--format", fmt, *extra)
            assert code == 0
            for canary in (CANARY_MEMBER, CANARY_EMAIL, "Vee", "555"):
                assert canary not in out + err


def test_timezone_keeps_an_11pm_eastern_vote_inside_a_window_closing_on_a_date(tmp_path):
    folder = _write(tmp_path / "tz", votes=[(1, "VT-AL", "V2", "A1", "2026-03-05T23:00:00-05:00")])
    text = (folder / "waves.csv").read_text().replace("2026-03-06T00:00:00Z", "2026-03-06")
    (folder / "waves.csv").write_text(text.replace("2026-03-02T00:00:00Z", "2026-03-02"))
    statuses = {}
    for zone in ("UTC", "America/New_York"):
        db = str(tmp_path / f"{zone.replace('/', '_')}.duckdb")
        assert run("load", str(folder), "--db", db, "--timezone", zone)[0] == 0
        code, out, _ = run("audit", "--db", db, "--format", "json")
        statuses[zone] = [r["status"] for r in json.loads(out)]
    # Closing "on 2026-03-06" at midnight: 11 pm Eastern on the 5th is 04:00 UTC on the 6th.
    assert statuses == {"UTC": ["outside_window"], "America/New_York": ["counted"]}


def test_an_unknown_time_zone_is_a_clear_error(tmp_path):
    folder = _write(tmp_path / "f")
    code, _, err = run(
        "load", str(folder), "--db", str(tmp_path / "x.duckdb"), "--timezone", "Mars/Olympus"
    )
    assert code == 2 and "unknown time zone" in err and "Traceback" not in err
    assert not (tmp_path / "x.duckdb").exists()
    shutil.rmtree(folder)


def test_the_race_report_headline_shows_the_ruling_and_flags_an_override(tmp_path):
    import endorse_analysis as ea
    from endorse_analysis.present.html import headline_html

    db = _loaded(tmp_path, rulings="W1,VT-AL,NO_ENDORSEMENT,,Dana <b>Staff</b>,2026-03-07,x\n")
    with ea.connect(db) as con:
        figures = ea.wave_figures(con, "W1")
    headline = headline_html(figures, "VT-AL")
    plain = headline_html(figures, "NH-SEN")
    # the badge is the final decision; the ruling and the computed decision are under it
    assert 'data-figure="final_decision" data-value="NO_ENDORSEMENT">NO ENDORSEMENT<' in headline
    assert "Override by staff ruling</b>: override of ENDORSE by Dana &lt;b&gt;Staff" in headline
    computed = '<b data-figure="decision" data-value="ENDORSE">ENDORSE</b>'
    assert f"Computed decision: {computed}" in headline
    assert "Computed decision" not in plain and "staff ruling" not in plain


def test_reports_as_of_an_instant_say_they_are_provisional(tmp_path):
    db = _loaded(tmp_path)
    out = tmp_path / "reports"
    code, _, err = run(
        "reports",
        "--db",
        db,
        "--wave",
        "W1",
        "--out",
        str(out),
        "--as-of",
        "2026-03-03T11:00Z",
        "--jobs",
        "1",
    )
    assert code == 0, err
    wave = out / "W1"
    pages = [wave / "index.html", wave / "overview.html", *sorted((wave / "races").glob("*.html"))]
    assert len(pages) == 5
    for page in pages:
        assert "PROVISIONAL" in page.read_text(), page
    # As of then, NH-01 had one ballot (N1 for B1): the report's figures are the provisional ones.
    assert "1 of 20 potential voters" in (wave / "races" / "NH-01.html").read_text()
    manifest = json.loads((wave / "manifest.json").read_text())
    assert manifest["run"]["as_of"] == "2026-03-03T11:00:00Z"


def test_the_index_shows_the_ruling_beside_the_computed_decision(tmp_path):
    db = _loaded(tmp_path, rulings="W1,VT-AL,NO_ENDORSEMENT,,Dana Staff,2026-03-07,conflict\n")
    out = tmp_path / "reports"
    code, _, err = run("reports", "--db", db, "--wave", "W1", "--out", str(out), "--jobs", "1")
    assert code == 0, err
    index = (out / "W1" / "index.html").read_text()
    assert '<tr data-race="VT-AL" data-final="NO_ENDORSEMENT" ' in index
    assert "override of ENDORSE by Dana Staff on 2026-03-07: conflict" in index
    assert "computed: ENDORSE" in index
