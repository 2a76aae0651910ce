"""The ActionKit import against a real MariaDB server (tests/mariadb_server.py), with the
tables and columns of ActionKit's Database Reference.

The property: a synthetic program put into ActionKit's tables, imported and loaded, tallies
exactly as the same program loaded from its CSV files, for every wave. Then hostile rows:
NULL and malformed districts, deleted users, unknown pages, duplicate actions, answers that
map to nothing; the credentials and the read-only session.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers import run_cli
from mariadb_server import create_actionkit

import endorse_analysis as ea
from endorse_analysis.cli import main
from endorse_analysis.listtool import SourceError
from endorse_analysis.listtool.actionkit import SESSION, read_arrow
from endorse_analysis.listtool.contract import STAFF_FILES
from endorse_analysis.synthetic import write_demo
from endorse_analysis.synthetic.actionkit import schema_sql

MEMBERS = 3000  # about 1,300 votes over the four waves: every status and decision


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ak_program")
    write_demo(folder, seed=15, members=MEMBERS)
    return folder


@pytest.fixture(scope="module")
def actionkit(mariadb, program, tmp_path_factory):
    return create_actionkit(mariadb, "ak_roundtrip", program, tmp_path_factory.mktemp("ak_files"))


def staff_folder(program: Path, folder: Path) -> Path:
    """A folder holding the six files that come from staff's sheets."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in STAFF_FILES:
        shutil.copyfile(program / name, folder / name)
    return folder


def tallies(db: Path) -> dict[str, list[pd.DataFrame]]:
    """Per wave: the tally, the options and the audit; "*": the audit of every vote."""
    with ea.connect(db) as con:
        waves = [w for (w,) in con.execute("SELECT wave_id FROM waves ORDER BY 1").fetchall()]
        frames = {w: [ea.tally(con, w), ea.choices(con, w), ea.audit(con, w)] for w in waves}
        return frames | {"*": [ea.audit(con)]}


def assert_same_tallies(ours: dict, theirs: dict) -> None:
    assert set(ours) == set(theirs)
    for wave, frames in ours.items():
        for mine, other in zip(frames, theirs[wave], strict=True):
            pd.testing.assert_frame_equal(mine, other, obj=f"wave {wave}")


def test_round_trip_equals_the_csv_load_for_every_wave(
    program, actionkit, mariadb, tmp_path, monkeypatch
):
    monkeypatch.setenv("ACTIONKIT_DSN", mariadb.dsn("ak_roundtrip"))
    imported = staff_folder(program, tmp_path / "imported")
    run = run_cli("import", "actionkit", "--config", actionkit.config, "--out", imported)
    assert run.code == 0, run.err
    assert "the other six files" in run.out
    assert run_cli("load", imported, "--db", tmp_path / "ak.duckdb").code == 0
    assert run_cli("load", program, "--db", tmp_path / "csv.duckdb").code == 0

    ours, theirs = tallies(tmp_path / "ak.duckdb"), tallies(tmp_path / "csv.duckdb")
    assert set(ours) == {"2026-03", "2026-04", "2026-05", "2026-07", "*"}
    assert_same_tallies(ours, theirs)
    # Every status occurs, so the property covers each rule of the load.
    statuses = set(ours["*"][0]["status"])
    assert statuses == set(ea.vocabulary.STATUSES)


def test_incomplete_actions_other_pages_and_other_fields_are_not_votes(
    program, actionkit, mariadb, tmp_path, monkeypatch
):
    monkeypatch.setenv("ACTIONKIT_DSN", mariadb.dsn("ak_roundtrip"))
    assert run_cli("import", "actionkit", "--config", actionkit.config, "--out", tmp_path).code == 0
    with open(program / "votes.csv", newline="") as f:
        expected = sorted(int(r["vote_id"]) for r in csv.DictReader(f))
    with open(tmp_path / "votes.csv", newline="") as f:
        assert sorted(int(r["vote_id"]) for r in csv.DictReader(f)) == expected


# --- hostile rows ---------------------------------------------------------------------

HOSTILE_ROWS = """
ALTER TABLE core_location MODIFY us_district varchar(5) NULL;
INSERT INTO core_page (id, created_at, updated_at, title, name) VALUES
  (1, '2026-01-01', '2026-01-01', 'Vote CA-12', 'ballot-ca-12'),
  (2, '2026-01-01', '2026-01-01', 'Other', 'petition');
INSERT INTO core_user (id, created_at, updated_at, email, subscription_status, state) VALUES
  (1, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'a@x', 'subscribed', 'CA'),
  (2, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'b@x', 'subscribed', 'CA'),
  (3, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'c@x', 'subscribed', 'CA'),
  (4, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'd@x', 'subscribed', 'CA'),
  (5, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'e@x', 'subscribed', 'ca'),
  (6, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'f@x', 'bounced', 'CA'),
  (7, '2025-01-01 10:00:00', '2025-01-01 10:00:00', 'g@x', 'subscribed', ''),
  (8, '2025-01-01 10:00:00', '2026-02-01 09:00:00', 'h@x', 'unsubscribed', 'CA'),
  (9, '2025-01-01 10:00:00', '2026-02-02 09:00:00', 'i@x', 'unsubscribed', 'CA');
INSERT INTO core_location (created_at, updated_at, user_id, us_district) VALUES
  ('2025-01-01', '2025-01-01', 1, 'CA_12'), ('2025-01-01', '2025-01-01', 2, NULL),
  ('2025-01-01', '2025-01-01', 3, 'CA_1X'), ('2025-01-01', '2025-01-01', 4, 'NY_12'),
  ('2025-01-01', '2025-01-01', 5, 'ca_05'), ('2025-01-01', '2025-01-01', 6, ''),
  ('2025-01-01', '2025-01-01', 8, 'CA_12'), ('2025-01-01', '2025-01-01', 9, 'CA_12');
INSERT INTO core_usergeofield (created_at, updated_at, user_id, name, value) VALUES
  ('2025-01-01', '2025-01-01', 4, 'us_district_redistrict2026', 'CA_07'),
  ('2025-01-01', '2025-01-01', 1, 'another_field', 'CA_40');
INSERT INTO core_subscriptionhistory (created_at, updated_at, user_id, list_id, change_id)
VALUES ('2025-06-01 08:00:00', '2025-06-01', 8, 1, 5),
  ('2025-09-01 08:00:00', '2025-09-01', 8, 1, 1),
  ('2026-01-15 08:30:00', '2026-01-15', 8, 1, 4),
  ('2025-03-01 08:00:00', '2025-03-01', 6, 1, 3);
INSERT INTO core_action (id, created_at, updated_at, user_id, page_id, status) VALUES
  (10, '2026-03-05 14:00:00', '2026-03-05', 1, 1, 'complete'),
  (11, '2026-03-05 14:00:00', '2026-03-05', 1, 1, 'complete'),
  (12, '2026-03-05 15:00:00', '2026-03-05', 99, 1, 'complete'),
  (13, '2026-03-05 15:00:00', '2026-03-05', 2, 77, 'complete'),
  (14, '2026-03-05 15:00:00', '2026-03-05', 2, 2, 'complete'),
  (15, '2026-03-05 15:00:00', '2026-03-05', 2, 1, 'incomplete'),
  (16, '2026-03-06 09:30:00', '2026-03-06', 3, 1, 'complete');
INSERT INTO core_actionfield (parent_id, name, value) VALUES
  (10, 'endorse_choice', 'Ana Alvarez'), (11, 'endorse_choice', 'Ana Alvarez'),
  (12, 'endorse_choice', ' No endorsement '), (13, 'endorse_choice', 'Ana Alvarez'),
  (14, 'endorse_choice', 'Ana Alvarez'), (15, 'endorse_choice', 'Ana Alvarez'),
  (16, 'endorse_choice', 'Ben Brooks'), (16, 'comment', 'hi');
"""

HOSTILE_CONFIG = """
[[pages]]
page = "ballot-ca-12"
wave = "2026-03"
race = "CA-12"
answers = { "Ana Alvarez" = "A1", "Ben Brooks" = "B1" }

[answers]
"No endorsement" = "NO_ENDORSEMENT"

[actionkit]
choice_field = "endorse_choice"
district_geofield = "us_district_redistrict2026"
"""


@pytest.fixture(scope="module")
def hostile(mariadb):
    mariadb.sql("CREATE DATABASE ak_hostile CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    mariadb.sql(schema_sql(), "ak_hostile")
    mariadb.sql(HOSTILE_ROWS, "ak_hostile")
    return mariadb.dsn("ak_hostile")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_hostile_rows_become_members_and_votes_the_load_can_judge(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONKIT_DSN", hostile)
    config = tmp_path / "program.toml"
    config.write_text(HOSTILE_CONFIG)
    run = run_cli("import", "actionkit", "--config", config, "--out", tmp_path / "out")
    assert run.code == 0, run.err
    members = {r["member_id"]: r for r in read_rows(tmp_path / "out" / "members.csv")}
    assert {m: r["district"] for m, r in members.items()} == {
        "1": "12",  # core_location; another geographic field is not the named one
        "2": "",  # NULL district: unknown
        "3": "",  # malformed: unknown
        "4": "7",  # the named geographic field wins over core_location's other state
        "5": "5",  # lower case
        "6": "",  # empty
        "7": "",  # no location, no state
        "8": "12",
        "9": "12",
    }
    assert members["7"]["state"] == ""
    assert members["1"]["signed_up_at"] == "2025-01-01 10:00:00Z"
    opted = {m: r["opted_out_at"] for m, r in members.items() if r["opted_out_at"]}
    # The last unsubscribe (change 4 after a resubscribe); without history, updated_at. A
    # bounced user left the list at the bounce (unsubscribe_bounce, 3).
    assert opted == {
        "6": "2025-03-01 08:00:00Z",
        "8": "2026-01-15 08:30:00Z",
        "9": "2026-02-02 09:00:00Z",
    }
    assert "1 user(s) left the list (unsubscribed/bounced) with no unsubscribing change" in run.err
    assert "member(s) with a district that is not of their state or cannot be read" in run.err

    votes = {r["vote_id"]: r for r in read_rows(tmp_path / "out" / "votes.csv")}
    # Duplicate actions are both votes (10, 11); a deleted user's too (12); an unknown page
    # (13), another page (14) and an incomplete action (15) are not votes.
    assert sorted(votes) == ["10", "11", "12", "16"]
    assert votes["12"]["member_id"] == "99" and votes["12"]["choice"] == "NO_ENDORSEMENT"
    assert {v["choice"] for v in votes.values()} == {"A1", "NO_ENDORSEMENT", "B1"}
    assert all(v["wave_id"] == "2026-03" and v["race_id"] == "CA-12" for v in votes.values())


def test_answers_that_map_to_nothing_refuse_the_import_row_by_row(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONKIT_DSN", hostile)
    config = tmp_path / "program.toml"
    config.write_text(HOSTILE_CONFIG.replace(', "Ben Brooks" = "B1"', ""))
    out = tmp_path / "out"
    out.mkdir()
    (out / "votes.csv").write_text("old\n")
    run = run_cli("import", "actionkit", "--config", config, "--out", out)
    assert run.code == 1
    assert run.err_lines[0] == (
        "core_action id 16, column core_actionfield endorse_choice: 'Ben Brooks' is not an "
        "answer the program maps for page ballot-ca-12"
    )
    assert run.err_lines[-1] == "import refused: 1 problem(s); no file was written"
    assert (out / "votes.csv").read_text() == "old\n"
    assert not (out / "members.csv").exists()


def test_missing_and_double_answers_and_unknown_pages_are_named(
    hostile, mariadb, tmp_path, monkeypatch
):
    mariadb.sql(
        "INSERT INTO core_action (id, created_at, updated_at, user_id, page_id, status) VALUES "
        "(20, '2026-03-05', '2026-03-05', 1, 1, 'complete'), "
        "(21, '2026-03-05', '2026-03-05', 1, 1, 'complete');"
        "INSERT INTO core_actionfield (parent_id, name, value) VALUES "
        "(21, 'endorse_choice', 'Ana Alvarez'), (21, 'endorse_choice', 'Ben Brooks');",
        "ak_hostile",
    )
    try:
        monkeypatch.setenv("ACTIONKIT_DSN", hostile)
        config = tmp_path / "program.toml"
        config.write_text(HOSTILE_CONFIG)
        run = run_cli("import", "actionkit", "--config", config, "--out", tmp_path / "out")
        assert run.code == 1
        assert "core_action id 20, column core_actionfield endorse_choice: has no answer" in run.err
        assert (
            "core_action id 21, column core_actionfield endorse_choice: has 2 different" in run.err
        )

        config.write_text(
            HOSTILE_CONFIG + HOSTILE_CONFIG.split("[answers]")[0].replace("ca-12", "x")
        )
        run = run_cli("import", "actionkit", "--config", config, "--out", tmp_path / "out")
        assert run.code == 1
        assert f"{config}, column page: 'ballot-x' is not a page in core_page" in run.err
    finally:
        mariadb.sql(
            "DELETE FROM core_actionfield WHERE parent_id IN (20, 21);"
            "DELETE FROM core_action WHERE id IN (20, 21);",
            "ak_hostile",
        )


def test_a_database_clock_in_another_zone_is_read_as_that_zone(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIONKIT_DSN", hostile)
    config = tmp_path / "program.toml"
    config.write_text(HOSTILE_CONFIG + 'timezone = "America/New_York"\n')
    assert run_cli("import", "actionkit", "--config", config, "--out", tmp_path).code == 0
    votes = {r["vote_id"]: r for r in read_rows(tmp_path / "votes.csv")}
    assert votes["10"]["cast_at"] == "2026-03-05 19:00:00Z"  # 14:00 EST


# --- credentials and the session ------------------------------------------------------


def help_of(*command: str) -> str:
    """What `endorse-analysis COMMAND --help` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main([*command, "--help"])
    return out.getvalue()


def test_credentials_come_from_the_environment_and_are_never_shown(mariadb, tmp_path, monkeypatch):
    help_text = help_of("import", "actionkit")
    assert "ACTIONKIT_DSN" in help_text and "--password" not in help_text
    config = tmp_path / "program.toml"
    config.write_text(HOSTILE_CONFIG)
    monkeypatch.delenv("ACTIONKIT_DSN", raising=False)
    run = run_cli("import", "actionkit", "--config", config, "--out", tmp_path / "out")
    assert run.code == 2 and len(run.err_lines) == 1 and "ACTIONKIT_DSN" in run.err
    # A database whose core_location is missing: the read fails at once, in one line.
    mariadb.sql("CREATE DATABASE IF NOT EXISTS ak_broken")
    mariadb.sql(schema_sql() + "DROP TABLE core_location;", "ak_broken")
    secret = "s3cret-Pa55"
    dsn = f"mysql://root:{secret}@127.0.0.1:{mariadb.port}/ak_broken"
    monkeypatch.setenv("ACTIONKIT_DSN", dsn)
    mariadb.sql(
        "INSERT INTO core_page (created_at, updated_at, title, name) "
        "VALUES ('2026-01-01', '2026-01-01', 'Vote', 'ballot-ca-12')",
        "ak_broken",
    )
    run = run_cli("import", "actionkit", "--config", config, "--out", tmp_path / "out")
    assert run.code == 2 and len(run.err_lines) == 1, run.err
    assert "core_location" in run.err
    assert secret not in run.err + run.out
    assert not (tmp_path / "out").exists()


def test_the_session_refuses_every_write(hostile, mariadb):
    assert SESSION[0] == "SET SESSION TRANSACTION READ ONLY"
    url = hostile
    with pytest.raises(SourceError, match="READ ONLY"):
        read_arrow(
            url,
            "INSERT INTO core_page (created_at, updated_at, title, name) "
            "VALUES (now(), now(), 't', 'new')",
        )
    assert mariadb.sql("SELECT count(*) FROM core_page", "ak_hostile").strip() == "2"
