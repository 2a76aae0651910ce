"""Action Network and VAN exports as the tools write them, with their real column names
(public exports and scripts: Action Network's people export and flattened form
submissions; VAN's tab-delimited Person File and comma-separated survey-response report),
imported through the docs' example program.toml files. One test per numbered case of
issue 24 (6-9)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import ROOT, run_cli

DOCS = ROOT / "docs"

AN_PEOPLE_HEADER = (
    "uuid,first_name,last_name,email,zip_code,can2_user_address,can2_user_city,"
    "can2_state_abbreviated,can2_county,can2_phone,can2_user_tags,can2_subscription_status,"
    "can2_sms_status,can2_subscription_date"
)


def an_person(uuid: str, zip_code: str, state: str, status: str, since: str) -> str:
    return (
        f"{uuid},Zoë,Doe,{uuid}@example.org,{zip_code},1 Main St,Town,{state},County,"
        f'555-0100,"tag a,tag b",{status},none,{since}'
    )


AN_PEOPLE = [
    an_person("p-one", "94612", "CA", "subscribed", "2025-10-01 09:00:00"),  # CA-12 only
    an_person("p-several", "94010", "CA", "subscribed", "2025-10-01 09:00:00"),  # CA-15, 16
    an_person("p-other", "05401", "CA", "subscribed", "2025-10-01 09:00:00"),  # a VT ZCTA
    an_person("p-zero", "5401", "VT", "subscribed", "2025-10-01 09:00:00"),  # 05401: VT-AL
    an_person("p-plus4", " 94612-1234 ", "CA", "subscribed", "2025-10-01 09:00:00"),
    an_person("p-empty", "", "CA", "subscribed", "2025-10-01 09:00:00"),
    an_person("p-unknown", "00000", "CA", "subscribed", "2025-10-01 09:00:00"),
    an_person("p-unsub", "94612", "CA", "unsubscribed", "2025-11-01 09:00:00"),
    an_person("p-bounce", "94612", "CA", "bouncing", "2025-11-01 09:00:00"),
    an_person("p-spam", "94612", "CA", "spam complaint", "2025-11-01 09:00:00"),
]
AN_SUBMISSIONS = [
    "identifiers,created_date,modified_date,action_network:person_id,action_network:form_id,"
    "Who should we endorse in CA-12?",
    "action_network:s1,2026-03-05T10:00:00Z,2026-03-05T10:00:00Z,p-one,form-ca-12,Ana Alvarez",
    "action_network:s2,2026-03-05T11:00:00Z,2026-03-05T11:00:00Z,p-unsub,form-ca-12,Ben Brooks",
    "action_network:s3,2026-03-05T11:00:00Z,2026-03-05T11:00:00Z,p-one,petition,yes",
]


def write_lines(path: Path, lines: list[str], newline: str = "\n", bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + newline.join(lines).encode() + b"\n")
    return path


def run_import(tool: str, config: Path, people: Path, responses: Path, out: Path):
    return run_cli(
        "import", tool, "--config", config, "--people", people, "--responses", responses,
        "--out", out,
    )  # fmt: skip


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_6_action_network_districts_from_zip_codes_and_statuses_without_dates(tmp_path):
    people = write_lines(tmp_path / "people.csv", [AN_PEOPLE_HEADER, *AN_PEOPLE])
    responses = write_lines(tmp_path / "submissions.csv", AN_SUBMISSIONS)
    out = tmp_path / "out"
    run = run_import("actionnetwork", DOCS / "program-actionnetwork.toml", people, responses, out)
    assert run.code == 0, run.err
    members = {r["member_id"]: r for r in read_rows(out / "members.csv")}
    assert {m: r["district"] for m, r in members.items()} == {
        "p-one": "12",
        "p-several": "",
        "p-other": "",
        "p-zero": "0",
        "p-plus4": "12",
        "p-empty": "",
        "p-unknown": "",
        "p-unsub": "12",
        "p-bounce": "12",
        "p-spam": "12",
    }
    assert (
        "districts of people.csv's members from their ZIP codes (2024 lines): 6 one district; "
        "1 several districts (unknown); 1 in another state (unknown); 1 an unknown ZIP "
        "(unknown); 1 no ZIP (unknown)"
    ) in run.out
    # No date of the change: off the list since sign-up, and said with a count.
    opted = {m: r["opted_out_at"] for m, r in members.items() if r["opted_out_at"]}
    assert opted == {m: "2025-11-01 09:00:00Z" for m in ("p-unsub", "p-bounce", "p-spam")}
    assert "3 member(s) of people.csv have an opted-out status and no time of the change" in (
        run.err
    )
    votes = read_rows(out / "votes.csv")
    assert [(v["member_id"], v["choice"], v["cast_at"]) for v in votes] == [
        ("p-one", "A1", "2026-03-05 10:00:00Z"),
        ("p-unsub", "A2", "2026-03-05 11:00:00Z"),
    ]
    assert "Zoë" not in (out / "members.csv").read_text(encoding="utf-8")


VAN_PERSON_FILE = [
    "Voter File VANID\tLastName\tFirstName\tAddress\tCity\tState\tZip5\tZip4\tCD\tSD\tHD",
    "101\tDoe\tAna\t1 Main St\tOakland\tCA\t94612\t1234\t012\t009\t018",
    "102\tRoe\tBen\t2 Elm St\tBurlington\tVT\t05401\t\t000\t\t",
    "103\tPoe\tCy\t3 Oak St\tOakland\tCA\t94612\t\t012\t009\t018",
]
VAN_RESPONSES = [
    '"Voter File VANID","Contact Name","Date Canvassed","Survey Response",'
    '"Survey Question Name","Survey Question Type","Canvassed By","Contact Type"',
    '"101","Doe, Ana","3/5/2026","Ana Alvarez","Endorse CA-12 (2026-03)","Survey","Vol, A","Phone"',
    '"102","Roe, Ben","3/5/2026","Fay Fisher","Endorse VT-AL (2026-03)","Survey","Vol, A","Phone"',
    '"101","Doe, Ana","3/5/2026","Ben Brooks","Endorse CA-12 (2026-03)","Survey","Vol, B","Walk"',
    '"103","Poe, Cy","3/6/2026","Ana Alvarez","Endorse CA-12 (2026-03)","Survey","Vol, B","Walk"',
    '"103","Poe, Cy","3/6/2026","Ana Alvarez","Endorse CA-12 (2026-03)","Survey","Vol, A","Phone"',
    '"103","Poe, Cy","3/6/2026","Yes","Volunteer?","Survey","Vol, A","Phone"',
]


def test_7_van_tab_separated_person_file_and_a_same_day_tie(tmp_path):
    people = write_lines(tmp_path / "PersonFile20260310.txt", VAN_PERSON_FILE)
    responses = write_lines(tmp_path / "responses.csv", VAN_RESPONSES)
    out = tmp_path / "out"
    run = run_import("van", DOCS / "program-van.toml", people, responses, out)
    assert run.code == 0, run.err
    assert "PersonFile20260310.txt: read as tab-separated" in run.out
    assert "every member signed up at 2026-01-01 00:00:00Z (everyone_signed_up_at)" in run.out
    members = {r["member_id"]: r for r in read_rows(out / "members.csv")}
    assert {m: (r["state"], r["district"]) for m, r in members.items()} == {
        "101": ("CA", "12"),
        "102": ("VT", "0"),
        "103": ("CA", "12"),
    }
    votes = read_rows(out / "votes.csv")
    # Both of member 101's answers of 3/5 are votes; the file order decides (the lower line
    # has the larger id), and the warning names the lines. Member 103 gave one answer twice.
    assert [(v["vote_id"], v["member_id"], v["choice"]) for v in votes] == [
        ("1", "101", "A1"),
        ("2", "102", "E1"),
        ("3", "101", "A2"),
        ("4", "103", "A1"),
        ("5", "103", "A1"),
    ]
    assert votes[0]["cast_at"] == "2026-03-05 00:00:00Z"
    assert (
        "1 time(s) a member gave different answers in one contest on the same day of "
        "responses.csv" in run.err
    )
    assert "the lower line counts (lines 2, 4)" in run.err


def test_7_a_later_is_larger_column_breaks_same_day_ties(tmp_path):
    lines = [VAN_RESPONSES[0] + ',"DateCreated"']
    lines += [
        VAN_RESPONSES[1] + ',"2026-03-05 18:00:00"',
        VAN_RESPONSES[3] + ',"2026-03-05 09:00:00"',
    ]
    config = (DOCS / "program-van.toml").read_text(encoding="utf-8")
    config = config.replace(
        'cast_at = "Date Canvassed"', 'cast_at = "Date Canvassed"\ntiebreak = "DateCreated"'
    )
    (tmp_path / "program.toml").write_text(config, encoding="utf-8")
    people = write_lines(tmp_path / "PersonFile.txt", VAN_PERSON_FILE)
    responses = write_lines(tmp_path / "responses.csv", lines)
    out = tmp_path / "out"
    run = run_import("van", tmp_path / "program.toml", people, responses, out)
    assert run.code == 0, run.err
    votes = read_rows(out / "votes.csv")
    # Ana Alvarez was entered later: hers is the larger id, the one the load counts.
    assert [(v["vote_id"], v["choice"]) for v in votes] == [("2", "A1"), ("1", "A2")]
    assert "same day" not in run.err


def test_7_a_wrong_delimiter_says_how_the_file_looks(tmp_path):
    config = (DOCS / "program-van.toml").read_text(encoding="utf-8")
    config = config.replace('delimiter = "tab"', 'delimiter = "comma"')
    (tmp_path / "program.toml").write_text(config, encoding="utf-8")
    people = write_lines(tmp_path / "PersonFile.txt", VAN_PERSON_FILE)
    responses = write_lines(tmp_path / "responses.csv", VAN_RESPONSES)
    run = run_import("van", tmp_path / "program.toml", people, responses, tmp_path / "out")
    assert run.code == 1
    assert run.err_lines[0].startswith(
        "PersonFile.txt line 1: the file looks tab-separated, yet it was read as comma-separated"
    )
    assert "is missing" not in run.err


def test_8_crlf_a_bom_blank_lines_and_short_rows_are_read_or_refused_by_line(tmp_path):
    people = write_lines(
        tmp_path / "people.csv",
        [AN_PEOPLE_HEADER, AN_PEOPLE[0], "", AN_PEOPLE[7]],
        newline="\r\n",
        bom=True,
    )
    responses = write_lines(tmp_path / "submissions.csv", [*AN_SUBMISSIONS[:2], ""], "\r\n")
    out = tmp_path / "out"
    config = DOCS / "program-actionnetwork.toml"
    run = run_import("actionnetwork", config, people, responses, out)
    assert run.code == 0, run.err
    assert [r["member_id"] for r in read_rows(out / "members.csv")] == ["p-one", "p-unsub"]

    tsv = write_lines(
        tmp_path / "PersonFile.txt",
        [VAN_PERSON_FILE[0], "", VAN_PERSON_FILE[1], "104\tShort\tRow"],
        newline="\r\n",
        bom=True,
    )
    van = write_lines(tmp_path / "responses.csv", VAN_RESPONSES[:2])
    run = run_import("van", DOCS / "program-van.toml", tsv, van, tmp_path / "out2")
    assert run.code == 1
    assert run.err_lines[0] == (
        "PersonFile.txt line 4: has 3 fields, expected 11 (one per header column)"
    )
    assert "No such file or directory" not in run.err


def test_9_a_timestamp_format_per_file(tmp_path):
    config = (DOCS / "program-actionnetwork.toml").read_text(encoding="utf-8")
    config = config.replace(
        'signed_up_at = "can2_subscription_date"',
        'signed_up_at = "can2_subscription_date"\ntimestamp_format = "%m/%d/%Y %H:%M"',
    )
    (tmp_path / "program.toml").write_text(config, encoding="utf-8")
    rows = [an_person("p-one", "94612", "CA", "subscribed", "10/01/2025 09:00")]
    people = write_lines(tmp_path / "people.csv", [AN_PEOPLE_HEADER, *rows])
    responses = write_lines(tmp_path / "submissions.csv", AN_SUBMISSIONS[:2])
    out = tmp_path / "out"
    run = run_import("actionnetwork", tmp_path / "program.toml", people, responses, out)
    assert run.code == 0, run.err
    assert read_rows(out / "members.csv")[0]["signed_up_at"] == "2025-10-01 09:00:00Z"
    assert read_rows(out / "votes.csv")[0]["cast_at"] == "2026-03-05 10:00:00Z"


def test_6_districts_from_zip_codes_are_said_to_be_of_the_2024_lines(tmp_path):
    """The import notes beside members.csv that its districts came from ZIP codes; the
    load records it, and a House race's page says they are of the 2024 lines. An import
    with a district column leaves no note (and removes an old one)."""
    import html
    import shutil

    import endorse_analysis as ea
    from endorse_analysis.api.wave import wave_figures
    from endorse_analysis.listtool.contract import STAFF_FILES
    from endorse_analysis.present.html import headline_html
    from endorse_analysis.vocabulary import MEMBER_DISTRICTS_FILE, ZIP_DISTRICTS_WORDS

    people = write_lines(tmp_path / "people.csv", [AN_PEOPLE_HEADER, *AN_PEOPLE])
    responses = write_lines(tmp_path / "submissions.csv", AN_SUBMISSIONS)
    out = tmp_path / "out"
    run = run_import("actionnetwork", DOCS / "program-actionnetwork.toml", people, responses, out)
    assert run.code == 0, run.err
    assert (out / MEMBER_DISTRICTS_FILE).read_text(encoding="utf-8") == "zip-2024-lines\n"
    for name in STAFF_FILES:
        shutil.copy(ROOT / "data" / "sample" / name, out / name)
    db = tmp_path / "zip.duckdb"
    assert run_cli("load", out, "--db", db).code == 0
    with ea.connect(db) as con:
        figures = wave_figures(con, "2026-03")
    assert figures.snapshot["member_districts"] == "zip-2024-lines"
    assert ZIP_DISTRICTS_WORDS in html.unescape(headline_html(figures, "CA-12"))  # House
    assert ZIP_DISTRICTS_WORDS not in html.unescape(headline_html(figures, "CA-GOV"))

    (out / MEMBER_DISTRICTS_FILE).write_text("from the moon\n", encoding="utf-8")
    refused = run_cli("load", out, "--db", tmp_path / "other.duckdb")
    assert refused.code != 0
    problem, summary = refused.err_lines  # one line for the problem, then the refusal's
    assert problem.startswith(f"{MEMBER_DISTRICTS_FILE} line 1: ") and "refused" in summary

    van_people = write_lines(tmp_path / "PersonFile.txt", VAN_PERSON_FILE)
    van_responses = write_lines(tmp_path / "responses.csv", VAN_RESPONSES)
    run = run_import("van", DOCS / "program-van.toml", van_people, van_responses, out)
    assert run.code == 0, run.err
    assert not (out / MEMBER_DISTRICTS_FILE).exists()
