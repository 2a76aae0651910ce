"""The import of Action Network and EveryAction/VAN CSV exports through program.toml's
column mapping: the same round trip as ActionKit's (exports made from a synthetic program,
imported and loaded, tally as the program's own files), and the problems of an export
named by file, line and column."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import run_cli

import endorse_analysis as ea
from endorse_analysis.listtool.contract import STAFF_FILES
from endorse_analysis.synthetic import write_demo
from endorse_analysis.synthetic.actionkit import toml_string

# Each tool's export, made from the program's files: (people SELECT, responses SELECT).
# Action Network: a status and a date of unsubscribing, 'CA-12' districts, forms named
# by the contest, answers by the candidate's name. VAN: bare districts, numbered survey
# questions and responses, US dates, no response id (the rows are in vote id order).
EXPORTS = {
    "actionnetwork": (
        """SELECT member_id AS "Person ID", 'Ann' AS "First Name", 'x@example.org' AS "Email",
              state AS "State",
              CASE WHEN regexp_full_match(trim(district), '[0-9]+') AND trim(state) <> ''
                   THEN upper(trim(state)) || '-' || lpad(trim(district), 2, '0')
                   ELSE district END AS "Congressional District",
              signed_up_at AS "Created Date",
              CASE WHEN opted_out_at IS NULL THEN 'subscribed' ELSE 'unsubscribed' END
                  AS "Email Status",
              opted_out_at AS "Unsubscribed Date"
           FROM members""",
        """SELECT v.vote_id AS "Submission ID", v.member_id AS "Person ID",
              v.wave_id || ' ' || v.race_id AS "Form", a.answer AS "Who should we endorse?",
              v.cast_at AS "Submitted Date"
           FROM votes v JOIN answers a USING (wave_id, race_id, choice)""",
    ),
    "van": (
        """SELECT member_id AS "VanID", state AS "StateOrProvince", district AS "CD",
              strftime(timezone('UTC', CAST(signed_up_at AS TIMESTAMPTZ)), '%m/%d/%Y %H:%M:%S')
                  AS "DateCreated",
              strftime(timezone('UTC', CAST(opted_out_at AS TIMESTAMPTZ)), '%m/%d/%Y %H:%M:%S')
                  AS "DateSuppressed"
           FROM members""",
        """SELECT v.member_id AS "VanID", CAST(a.question AS VARCHAR) AS "SurveyQuestionID",
              CAST(a.response AS VARCHAR) AS "SurveyResponseID",
              strftime(timezone('UTC', CAST(v.cast_at AS TIMESTAMPTZ)), '%m/%d/%Y %H:%M:%S')
                  AS "DateCanvassed"
           FROM votes v JOIN answers a USING (wave_id, race_id, choice)
           ORDER BY CAST(v.vote_id AS BIGINT)""",
    ),
}
MAPPINGS = {
    "actionnetwork": """
[actionnetwork]
opted_out_statuses = ["unsubscribed"]
[actionnetwork.people]
member_id = "Person ID"
state = "State"
district = "Congressional District"
signed_up_at = "Created Date"
status = "Email Status"
opted_out_at = "Unsubscribed Date"
[actionnetwork.responses]
vote_id = "Submission ID"
member_id = "Person ID"
page = "Form"
answer = "Who should we endorse?"
cast_at = "Submitted Date"
""",
    "van": """
[van]
timestamp_format = "%m/%d/%Y %H:%M:%S"
[van.people]
member_id = "VanID"
state = "StateOrProvince"
district = "CD"
signed_up_at = "DateCreated"
opted_out_at = "DateSuppressed"
[van.responses]
member_id = "VanID"
page = "SurveyQuestionID"
answer = "SurveyResponseID"
cast_at = "DateCanvassed"
""",
}


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export_program")
    write_demo(folder, seed=16, members=2000)
    return folder


def make_exports(program: Path, tool: str, out: Path) -> Path:
    """The tool's two exports and a program.toml mapping them, in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        for name in ("members", "votes", "candidates"):
            con.execute(
                f"CREATE TABLE {name} AS SELECT * FROM read_csv(?, all_varchar = true)",
                [str(program / f"{name}.csv")],
            )
        con.execute(
            """CREATE TABLE answers AS
               SELECT v.wave_id, v.race_id, v.choice,
                   dense_rank() OVER (ORDER BY v.wave_id, v.race_id) AS question,
                   row_number() OVER (ORDER BY v.wave_id, v.race_id, v.choice) AS response,
                   CASE WHEN v.choice = 'NO_ENDORSEMENT' THEN 'No endorsement'
                        ELSE coalesce(c.name, v.choice) || ' [' || v.choice || ']' END AS answer
               FROM (SELECT DISTINCT wave_id, race_id, choice FROM votes) v
               LEFT JOIN candidates c ON c.candidate_id = v.choice"""
        )
        people, responses = EXPORTS[tool]
        for name, select in (("people", people), ("responses", responses)):
            con.execute(f"COPY ({select}) TO '{out / name}.csv' (FORMAT csv, HEADER)")
        rows = con.execute(
            "SELECT wave_id, race_id, question, response, answer, choice FROM answers "
            "ORDER BY response"
        ).fetchall()
    pages: dict[tuple[str, str, str], list[str]] = {}
    for wave, race, question, response, answer, choice in rows:
        key = str(question) if tool == "van" else f"{wave} {race}"
        label = str(response) if tool == "van" else answer
        pages.setdefault((key, wave, race), []).append(
            f"{toml_string(label)} = {toml_string(choice)}"
        )
    lines = [MAPPINGS[tool]]
    for (key, wave, race), mapped in pages.items():
        lines += [
            "[[pages]]",
            f"page = {toml_string(key)}",
            f"wave = {toml_string(wave)}",
            f"race = {toml_string(race)}",
            f"answers = {{ {', '.join(mapped)} }}",
        ]
    (out / "program.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def tally_frames(db: Path) -> list[pd.DataFrame]:
    with ea.connect(db) as con:
        waves = [w for (w,) in con.execute("SELECT wave_id FROM waves ORDER BY 1").fetchall()]
        return [ea.audit(con)] + [
            frame for w in waves for frame in (ea.tally(con, w), ea.choices(con, w))
        ]


@pytest.mark.parametrize("tool", ["actionnetwork", "van"])
def test_round_trip_of_an_export_equals_the_csv_load(program, tool, tmp_path):
    exports = make_exports(program, tool, tmp_path / "exports")
    imported = tmp_path / "imported"
    imported.mkdir()
    for name in STAFF_FILES:
        shutil.copyfile(program / name, imported / name)
    run = run_cli(
        "import", tool, "--config", exports / "program.toml",
        "--people", exports / "people.csv", "--responses", exports / "responses.csv",
        "--out", imported,
    )  # fmt: skip
    assert run.code == 0, run.err
    header = (imported / "members.csv").read_text().splitlines()[0]
    assert header == "member_id,state,district,signed_up_at,opted_out_at"  # no personal column
    assert "x@example.org" not in (imported / "members.csv").read_text()
    assert run_cli("load", imported, "--db", tmp_path / "ours.duckdb").code == 0
    assert run_cli("load", program, "--db", tmp_path / "csv.duckdb").code == 0
    for ours, theirs in zip(
        tally_frames(tmp_path / "ours.duckdb"), tally_frames(tmp_path / "csv.duckdb"), strict=True
    ):
        pd.testing.assert_frame_equal(ours, theirs)


HOSTILE_PEOPLE = """\
Person ID,Email,State,Congressional District,Created Date,Email Status,Unsubscribed Date
P1,a@example.org,CA,CA-12,2025-01-01T10:00:00Z,subscribed,2025-06-01T00:00:00Z
P2,b@example.org,CA,CA-12,2025-01-01T10:00:00Z,unsubscribed,
P3,c@example.org,CA,CA-12,yesterday,subscribed,
P4,d@example.org,CA,CA-12,2025-01-01T10:00:00Z,Unsubscribed,2026-02-01T00:00:00Z
"""
HOSTILE_RESPONSES = """Submission ID,Person ID,Form,Who should we endorse?,Submitted Date
1,P1,ca12,Ana,2026-03-05T10:00:00Z
2,P1,other form,whatever,2026-03-05T10:00:00Z
x,P4,ca12,Ana,2026-03-05T10:00:00Z
4,P4,ca12,Zed,2026-03-05T10:00:00Z
5,P4,ca12,Ana,soon
4,P1,ca12,Ana,2026-03-05T11:00:00Z
"""


def test_an_exports_problems_are_named_by_file_line_and_column(tmp_path):
    config = tmp_path / "program.toml"
    config.write_text(
        MAPPINGS["actionnetwork"]
        + '[[pages]]\npage = "ca12"\nwave = "2026-03"\nrace = "CA-12"\nanswers = { Ana = "A1" }\n'
    )
    (tmp_path / "people.csv").write_text(HOSTILE_PEOPLE)
    (tmp_path / "responses.csv").write_text(HOSTILE_RESPONSES)
    run = run_cli(
        "import", "actionnetwork", "--config", config, "--people", tmp_path / "people.csv",
        "--responses", tmp_path / "responses.csv", "--out", tmp_path / "out",
    )  # fmt: skip
    assert run.code == 1
    assert run.err_lines == [
        "people.csv line 3, column Unsubscribed Date: 'P2' is empty, yet the status says the "
        "member opted out (member id shown)",
        "people.csv line 4, column Created Date: 'P3' has no sign-up time that reads as a "
        "timestamp (member id shown)",
        "responses.csv line 4, column Submission ID: 'x' is not a whole number of 1 or more",
        "responses.csv line 5, column Who should we endorse?: 'Zed' is not an answer the "
        "program maps for page ca12",
        "responses.csv line 6, column Submitted Date: 'soon' is not a timestamp",
        "responses.csv line 7, column Submission ID: '4' repeats the vote id of an earlier row",
        "import refused: 6 problem(s); no file was written",
    ]
    assert "@example.org" not in run.err
    assert not (tmp_path / "out").exists()


def test_a_status_decides_the_opt_out_and_other_forms_are_skipped(tmp_path):
    config = tmp_path / "program.toml"
    config.write_text(
        MAPPINGS["actionnetwork"]
        + '[[pages]]\npage = "ca12"\nwave = "2026-03"\nrace = "CA-12"\nanswers = { Ana = "A1" }\n'
    )
    people = HOSTILE_PEOPLE.splitlines()
    (tmp_path / "people.csv").write_text("\n".join([people[0], people[1], people[4]]) + "\n")
    responses = HOSTILE_RESPONSES.splitlines()
    (tmp_path / "responses.csv").write_text("\n".join(responses[:3]) + "\n")
    run = run_cli(
        "import", "actionnetwork", "--config", config, "--people", tmp_path / "people.csv",
        "--responses", tmp_path / "responses.csv", "--out", tmp_path / "out",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert "1 response(s) of responses.csv on a page program.toml does not name" in run.err
    with open(tmp_path / "out" / "members.csv", newline="") as f:
        members = {r["member_id"]: r for r in csv.DictReader(f)}
    assert members["P1"]["opted_out_at"] == ""  # subscribed again: no opt-out
    assert members["P4"]["opted_out_at"] == "2026-02-01 00:00:00Z"  # any case of the status
    assert members["P1"]["district"] == "12"
    assert (tmp_path / "out" / "votes.csv").read_text().splitlines() == [
        "vote_id,wave_id,race_id,member_id,choice,cast_at",
        "1,2026-03,CA-12,P1,A1,2026-03-05 10:00:00Z",
    ]
