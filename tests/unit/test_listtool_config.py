"""program.toml: what it maps, and a mistake in it as one sentence on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import run_cli

from endorse_analysis.listtool.actionkit import connection_url, sql_literal
from endorse_analysis.listtool.config import ConfigError, read_config

PAGE = '[[pages]]\npage = "p1"\nwave = "2026-03"\nrace = "CA-12"\nanswers = { Ana = "A1" }\n'


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "program.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_pages_share_answers_and_a_pages_own_win(tmp_path):
    config = read_config(
        write(
            tmp_path,
            '[answers]\n"No endorsement" = "NO_ENDORSEMENT"\nAna = "X"\n'
            + PAGE
            + '[actionkit]\nchoice_field = "c"\ntimezone = "america/new_york"\n',
        )
    )
    [page] = config.pages
    assert page.answers == {"No endorsement": "NO_ENDORSEMENT", "Ana": "A1"}
    assert config.actionkit.timezone == "America/New_York"
    assert config.actionkit.unsubscribe_change_types is None  # by name: unsubscribe*
    assert config.actionkit.opted_out_statuses == ("unsubscribed", "bounced")
    assert config.actionkit.never_subscribed_vote is False


@pytest.mark.parametrize(
    "text, says",
    [
        ("pages = 3\n", "needs at least one [[pages]] entry"),
        (PAGE + PAGE, "names page 'p1' a second time"),
        (PAGE.replace('race = "CA-12"\n', ""), "race is missing"),
        (PAGE.replace('"A1"', '""'), "must map to a candidate id or NO_ENDORSEMENT"),
        (PAGE + "[actionkit]\n", "choice_field is missing"),
        (PAGE + '[actionkit]\nchoice_field = "c"\ntimezone = "Mars/Base"\n', "unknown time zone"),
        (PAGE + '[actionkit]\nchoice_field = "c"\npassword = "x"\n', "unknown key(s) 'password'"),
        (PAGE + "[van.people]\nmember_id = 'VanID'\n", "[van.people] state is missing"),
        (
            PAGE + '[actionkit]\nchoice_field = "c"\nunsubscribe_change_types = [true]\n',
            "unsubscribe_change_types must list change type names",
        ),
        (
            PAGE + '[actionkit]\nchoice_field = "c"\nnever_subscribed_vote = "yes"\n',
            "never_subscribed_vote must be true or false",
        ),
        (
            PAGE
            + "[van.people]\nmember_id='a'\nstate='b'\nsigned_up_at='c'\ndelimiter='|'\n"
            + "[van.responses]\nmember_id='a'\npage='b'\nanswer='c'\ncast_at='d'\n",
            "[van.people] delimiter must be one of",
        ),
        (
            PAGE
            + "[van.people]\nmember_id='a'\nstate='b'\neveryone_signed_up_at='soon'\n"
            + "[van.responses]\nmember_id='a'\npage='b'\nanswer='c'\ncast_at='d'\n",
            "everyone_signed_up_at must be a timestamp",
        ),
        (
            PAGE
            + "[van.people]\nmember_id='a'\nstate='b'\nsigned_up_at='c'\n"
            + "[van.responses]\nmember_id='a'\npage='b'\nanswer='c'\ncast_at='d'\n"
            + "vote_id='e'\ntiebreak='f'\n",
            "names both vote_id and tiebreak",
        ),
        ("[[pages]\n", "is not valid TOML"),
    ],
)
def test_a_mistake_is_one_sentence(tmp_path, text, says):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=None) as caught:
        read_config(path)
    assert says in str(caught.value)
    run = run_cli("import", "actionkit", "--config", path, "--out", tmp_path / "out")
    assert run.code == 2 and len(run.err_lines) == 1 and says in run.err
    assert not (tmp_path / "out").exists()


def test_change_types_by_name_or_id_and_the_older_key(tmp_path):
    section = '[actionkit]\nchoice_field = "c"\n'
    config = read_config(
        write(tmp_path, PAGE + section + 'unsubscribe_change_types = ["unsubscribe", 14]\n')
    )
    assert config.actionkit.unsubscribe_change_types == ("unsubscribe", 14)
    config = read_config(write(tmp_path, PAGE + section + "unsubscribe_change_ids = [4, 5]\n"))
    assert config.actionkit.unsubscribe_change_types == (4, 5)


def test_a_missing_file_is_one_sentence(tmp_path):
    run = run_cli("import", "van", "--config", tmp_path / "nope.toml", "--people", "p.csv",
                  "--responses", "r.csv", "--out", tmp_path / "out")  # fmt: skip
    assert run.code == 2 and len(run.err_lines) == 1 and "cannot be read" in run.err


def test_the_connection_comes_from_the_environment():
    assert connection_url({"ACTIONKIT_DSN": "mariadb://u:p@h:3307/ak"}) == "mysql://u:p@h:3307/ak"
    parts = {
        "ACTIONKIT_HOST": "db.example.org",
        "ACTIONKIT_USER": "reader",
        "ACTIONKIT_PASSWORD": "p@ss:/word",
        "ACTIONKIT_DATABASE": "ak",
    }
    assert connection_url(parts) == "mysql://reader:p%40ss%3A%2Fword@db.example.org/ak"
    with pytest.raises(Exception, match="ACTIONKIT_HOST"):
        connection_url({})


def test_text_reaches_mysql_only_as_hex():
    assert sql_literal("x'; DROP TABLE core_user; --") == (
        "CONVERT(X'78273b2044524f50205441424c4520636f72655f757365723b202d2d' USING utf8mb4)"
    )


DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("tool", ["actionkit", "actionnetwork", "van"])
def test_each_example_in_docs_is_read_as_it_is(tool):
    config = read_config(DOCS / f"program-{tool}.toml")
    assert config.pages and all(page.answers for page in config.pages)
    if tool == "actionkit":
        assert config.require_actionkit().district_geofield == "us_district_redistrict2026"
    else:
        mapping = config.require_export(tool)
        assert {"member_id", "state"} <= set(mapping.people)
        assert {"member_id", "page", "answer", "cast_at"} <= set(mapping.responses)
    assert tool in (DOCS.parent / "README.md").read_text(encoding="utf-8")


def test_export_files_have_their_own_format_and_one_sign_up_time(tmp_path):
    config = read_config(DOCS / "program-van.toml")
    van = config.require_export("van")
    assert van.format_of("people").delimiter == "\t"
    assert van.format_of("responses").timestamp_format == "%m/%d/%Y"
    assert van.format_of("people").timestamp_format is None
    assert van.everyone_signed_up_at.isoformat() == "2026-01-01T00:00:00+00:00"
    assert "signed_up_at" not in van.people
