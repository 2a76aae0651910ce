"""A form tool's ranked and multi-select answers imported as contract §5's choice forms:
one cell with a separator, or one column per rank (empty ranks skipped); an answer the
program does not map refuses the import by line; a single page maps as before."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers import run_cli

PEOPLE = """\
Person ID,State,Congressional District,Created Date
P1,CA,CA-12,2025-01-01T10:00:00Z
P2,CA,CA-12,2025-01-01T10:00:00Z
P3,CA,CA-12,2025-01-01T10:00:00Z
"""
PAGES = """
[answers]
"No endorsement" = "NO_ENDORSEMENT"

[[pages]]
page = "ranked"
wave = "2026-04"
race = "CA-12"
method = "Ranked"
separator = "|"
answers = { Ana = "A1", Ben = "A2", Cy = "A3" }

[[pages]]
page = "approve"
wave = "2026-05"
race = "CA-12"
method = "approval"
answers = { Ana = "A1", Ben = "A2", Cy = "A3" }

[[pages]]
page = "single"
wave = "2026-03"
race = "CA-12"
answers = { Ana = "A1", Ben = "A2" }
"""


def _mapping(answer: str) -> str:
    return f"""
[actionnetwork]
[actionnetwork.people]
member_id = "Person ID"
state = "State"
district = "Congressional District"
signed_up_at = "Created Date"
[actionnetwork.responses]
vote_id = "Submission ID"
member_id = "Person ID"
page = "Form"
answer = {answer}
cast_at = "Submitted Date"
"""


def _import(tmp_path: Path, answer: str, responses: str):
    config = tmp_path / "program.toml"
    config.write_text(PAGES + _mapping(answer), encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "responses.csv").write_text(responses, encoding="utf-8")
    return run_cli(
        "import", "actionnetwork", "--config", config, "--people", tmp_path / "people.csv",
        "--responses", tmp_path / "responses.csv", "--out", tmp_path / "out",
    )  # fmt: skip


def _choices(tmp_path: Path) -> list[tuple[str, str]]:
    with open(tmp_path / "out" / "votes.csv", newline="", encoding="utf-8") as f:
        return [(r["wave_id"], r["choice"]) for r in csv.DictReader(f)]


def test_one_cell_with_a_separator(tmp_path):
    run = _import(
        tmp_path,
        '"Answer"',
        "Submission ID,Person ID,Form,Answer,Submitted Date\n"
        "1,P1,ranked,Ben | Ana|Cy,2026-04-14T10:00:00Z\n"
        '2,P2,approve,"Ana, Cy",2026-05-12T10:00:00Z\n'
        "3,P3,approve,No endorsement,2026-05-12T10:00:00Z\n"
        "4,P3,single,Ben,2026-03-05T10:00:00Z\n"
        "5,P1,ranked,Cy||No endorsement,2026-04-14T11:00:00Z\n",
    )
    assert run.code == 0, run.err
    assert _choices(tmp_path) == [
        ("2026-04", "A2>A1>A3"),
        ("2026-05", "A1;A3"),
        ("2026-05", "NO_ENDORSEMENT"),
        ("2026-03", "A2"),
        ("2026-04", "A3>NO_ENDORSEMENT"),
    ]


def test_one_column_per_rank(tmp_path):
    run = _import(
        tmp_path,
        '["Rank 1", "Rank 2", "Rank 3"]',
        "Submission ID,Person ID,Form,Rank 1,Rank 2,Rank 3,Submitted Date\n"
        "1,P1,ranked,Cy,Ana,,2026-04-14T10:00:00Z\n"
        "2,P2,ranked,Ben,,Ana,2026-04-14T10:00:00Z\n"
        "3,P3,single,Ana,,,2026-03-05T10:00:00Z\n",
    )
    assert run.code == 0, run.err
    assert _choices(tmp_path) == [("2026-04", "A3>A1"), ("2026-04", "A2>A1"), ("2026-03", "A1")]


def test_an_answer_not_mapped_refuses_by_line(tmp_path):
    run = _import(
        tmp_path,
        '"Answer"',
        "Submission ID,Person ID,Form,Answer,Submitted Date\n"
        "1,P1,ranked,Ben|Zed,2026-04-14T10:00:00Z\n",
    )
    assert run.code == 1
    assert "responses.csv line 2, column Answer: 'Ben|Zed' is not an answer the program maps" in (
        run.err
    )
