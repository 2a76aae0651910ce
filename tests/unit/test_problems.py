"""ingest/problems: what a refusal may quote."""

import pytest

from endorse_analysis.ingest.problems import Problem, looks_personal


@pytest.mark.parametrize(
    "text",
    [
        "ben.s02@example.org",
        "x@y",
        "write to ana@example.org today",
        "+1-555-867-5309x71",
        "(555) 010-4477",
        "555.301.9981",
        "555-0100",
        "5558675309",
        "+44 20 7946 0958",
    ],
)
def test_emails_and_phone_numbers_look_personal(text):
    assert looks_personal(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-45",
        "2026-03-03T09:00:00.1234567",
        "2026-03-04 10:00:00-05:00",
        "03/04/2026",
        "12345678",  # a vote id
        "9223372036854775808",  # a number too long for a phone
        "CA-12",
        "1e308",
        "not-a-date",
    ],
)
def test_ids_numbers_and_dates_do_not(text):
    assert not looks_personal(text)


def test_a_problem_quotes_only_what_cannot_be_personal():
    bad = "is not valid; expected a timestamp"
    assert str(Problem("members.csv", 3, "signed_up_at", "soon", bad)) == (
        "members.csv line 3, column signed_up_at: the value (not shown) is not valid; "
        "expected a timestamp"
    )
    assert str(Problem("members.csv", 4, "member_id", "s01", "repeats")) == (
        "members.csv line 4, column member_id: 's01' repeats"
    )
    assert "555" not in str(Problem("votes.csv", 2, "choice", "555-0100", "is wrong"))
    assert str(Problem("votes.csv", 2, "choice", "A1", "is wrong")).endswith("'A1' is wrong")
    assert "@" not in str(Problem("members.csv", 1, "ana@example.org", None, "is named twice"))
