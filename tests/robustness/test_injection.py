"""Injection safety: hostile text in the CSV files or on the command line is data, never code.

Values go to DuckDB only as bound parameters or through read_csv, never spliced into SQL;
outputs are written by csv/json writers. So SQL, shell metacharacters, path pieces,
quotes and HTML in any id or name are stored literally and printed literally.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from helpers import append_lines, copy_sample, db_fingerprint, run_cli

HOSTILE = [
    "'); DROP TABLE votes; --",
    "x' OR '1'='1",
    '"; DELETE FROM members; --',
    "1; ATTACH '/tmp/evil.db' AS evil; --",
    "$(touch /tmp/pwned)",
    "`id`; rm -rf ~ | cat /etc/passwd && echo >x",
    "../../x",
    "/etc/passwd",
    "..\\..\\windows\\system32",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert('x')>",
    "&amp; &lt; {{ 7*7 }} ${7*7} %s %n",
    'O\'Brien "the quote" , comma',
    "tab\there",
    "ünïcødé ☃ 🗳️ \u202eRTL",
]
WAVE = "2026-03"
SQLISH_WAVE = "W'); DROP TABLE waves; --"


def _cid(i: int, value: str) -> str:
    """A hostile candidate id: the value without ';' and '>', which separate the options
    of an approval or ranked ballot and refuse the load in an id (contract §5)."""
    return f"C{i:02d}" + value.replace(";", ",").replace(">", ")")


def _q(value: str) -> str:
    """A value as one CSV field (quoted when it must be)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([value])
    return out.getvalue()


def hostile_folder(root: Path) -> Path:
    """The sample plus a New York program whose every id and name is hostile text."""
    folder = copy_sample(root / "in")
    race = HOSTILE[0]
    append_lines(folder, "waves.csv", f"{_q(SQLISH_WAVE)},{_q(HOSTILE[9])},2026-05-01,2026-05-15,")
    append_lines(folder, "races.csv", f"{_q(race)},governor,NY,,2026")
    append_lines(folder, "groups.csv", f"{_q(HOSTILE[1])},{_q(HOSTILE[10])},ny,")
    for i, value in enumerate(HOSTILE):
        cid = _cid(i, value)
        append_lines(
            folder, "candidates.csv", f"{_q(cid)},{_q(race)},{_q(value)},{_q(value)},true,false"
        )
        for wave in (WAVE, SQLISH_WAVE):
            append_lines(
                folder, "endorsements.csv", f"{_q(HOSTILE[1])},{_q(cid)},{_q(wave)},2026-02-01,true"
            )
            append_lines(
                folder, "vetting.csv", f"{_q(cid)},{_q(wave)},cleared,passed,1,{_q(value)}"
            )
        append_lines(
            folder,
            "members.csv",
            f"{_q('M' + value)},{_q(value)},{_q(value)},NY,,{_q(value)},1,2025-01-01,",
        )
        append_lines(
            folder,
            "votes.csv",
            f"{1000 + i},{WAVE},{_q(race)},{_q('M' + value)},{_q(cid)},2026-03-05T12:00:00Z",
        )
        append_lines(
            folder,
            "votes.csv",  # a vote of an unknown wave and race, kept as such
            f"{2000 + i},{_q(value)},{_q(value)},{_q('M' + value)},{_q(value)},"
            f"2026-03-05T12:00:00Z",
        )
    return folder


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inject")
    folder = hostile_folder(root)
    db = root / "program.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return db


def test_hostile_values_are_stored_literally(hostile_db):
    with duckdb.connect(str(hostile_db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert {
            "waves",
            "races",
            "candidates",
            "groups",
            "endorsements",
            "vetting",
            "members",
            "votes",
            "snapshot",
        } <= tables
        names = dict(
            con.execute(
                "SELECT candidate_id, name FROM candidates WHERE race_id = ?", [HOSTILE[0]]
            ).fetchall()
        )
        parties = {r[0] for r in con.execute("SELECT party FROM candidates").fetchall()}
        notes = {r[0] for r in con.execute("SELECT notes FROM vetting").fetchall()}
        members = {r[0] for r in con.execute("SELECT member_id FROM members").fetchall()}
        unknown = con.execute(
            "SELECT wave_id, race_id, choice FROM votes WHERE vote_id >= 2000"
        ).fetchall()
        group = con.execute(
            "SELECT group_id, name, state FROM groups WHERE state = 'NY'"
        ).fetchall()
        wave = con.execute("SELECT name FROM waves WHERE wave_id = ?", [SQLISH_WAVE]).fetchall()
        assert con.execute("SELECT count(*) FROM votes").fetchone()[0] == 64 + 2 * len(HOSTILE)
    # Surrounding spaces are trimmed (docs/rules.md §2); the hostile values have none.
    assert names == {_cid(i, v): v for i, v in enumerate(HOSTILE)}
    assert set(HOSTILE) <= parties and set(HOSTILE) <= notes
    assert {"M" + v for v in HOSTILE} <= members
    assert sorted(unknown) == sorted((v, v, v) for v in HOSTILE)
    assert group == [(HOSTILE[1], HOSTILE[10], "NY")]
    assert wave == [(HOSTILE[9],)]
    assert not Path("/tmp/pwned").exists()
    assert not Path("/tmp/evil.db").exists()


def test_tally_shows_hostile_ids_literally(hostile_db):
    run = run_cli("tally", "--db", hostile_db, "--wave", WAVE, "--format", "json")
    assert run.code == 0, run.err
    tally = json.loads(run.out)
    contest = next(c for c in tally["contests"] if c["race_id"] == HOSTILE[0])
    choices = [c["choice"] for c in contest["choices"]]
    assert choices == sorted(_cid(i, v) for i, v in enumerate(HOSTILE)) + ["NO_ENDORSEMENT"]
    assert contest["ballots_counted"] == len(HOSTILE)
    assert contest["eligible_voters"] == len(HOSTILE)
    assert contest["top_choice"] == min(choices[:-1])
    # csv: the same values, quoted by a csv writer, read back equal.
    run = run_cli("tally", "--db", hostile_db, "--wave", WAVE, "--format", "csv")
    assert run.code == 0, run.err
    rows = list(csv.DictReader(io.StringIO(run.out)))
    row = next(r for r in rows if r["race_id"] == HOSTILE[0])
    assert row["top_choice"] == contest["top_choice"]
    # table: for people, but still literal (no escaping that changes the text).
    run = run_cli("tally", "--db", hostile_db, "--wave", WAVE)
    assert run.code == 0 and HOSTILE[0] in run.out


def test_a_hostile_wave_id_is_just_a_wave(hostile_db):
    run = run_cli("tally", "--db", hostile_db, "--wave", SQLISH_WAVE, "--format", "json")
    assert run.code == 0, run.err
    tally = json.loads(run.out)
    assert tally["wave_id"] == SQLISH_WAVE
    assert [c["race_id"] for c in tally["contests"]] == [HOSTILE[0]]


def test_audit_shows_hostile_values_literally(hostile_db):
    run = run_cli("audit", "--db", hostile_db, "--format", "json")
    assert run.code == 0, run.err
    rows = json.loads(run.out)
    assert sum(r["votes"] for r in rows) == 64 + 2 * len(HOSTILE)
    unknown = {(r["wave_id"], r["race_id"]) for r in rows if r["status"] == "unknown_race"}
    assert {(v, v) for v in HOSTILE} <= unknown
    run = run_cli("audit", "--db", hostile_db, "--format", "csv")
    assert run.code == 0
    back = list(csv.DictReader(io.StringIO(run.out)))
    assert {(r["wave_id"], r["race_id"]) for r in back if r["status"] == "unknown_race"} == unknown


@pytest.mark.parametrize(
    "wave",
    [
        "x' OR '1'='1",
        "2026-03' OR '1'='1",
        "2026-03'; DROP TABLE votes; --",
        "'; COPY votes TO '/tmp/leak.csv'; --",
        '2026-03" OR "1"="1',
        "%",
        "2026-0_",
        "*",
        "$(touch /tmp/pwned)",
    ],
)
@pytest.mark.parametrize("command", ["tally", "audit", "docket"])
def test_hostile_wave_argument_is_a_clear_error(hostile_db, wave, command):
    before = db_fingerprint(hostile_db)
    run = run_cli(command, "--db", hostile_db, "--wave", wave, "--format", "json")
    assert "Traceback" not in run.err
    if command == "audit" and run.code == 0:  # an audit of a wave without votes is empty
        assert json.loads(run.out) == []
    else:
        assert run.code == 2, (run.out, run.err)
        assert run.out == ""
        assert "not in the database" in run.err
        assert len(run.err.strip().splitlines()) == 1
    assert db_fingerprint(hostile_db) == before
    assert not Path("/tmp/pwned").exists() and not Path("/tmp/leak.csv").exists()
    with duckdb.connect(str(hostile_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM votes").fetchone()[0] == 64 + 2 * len(HOSTILE)


THRESHOLD_CASES = [
    pytest.param(option, value, id=f"{option}={value}")
    for option in ("--support-threshold", "--min-turnout", "--min-votes")
    for value in ("1; DROP TABLE votes", "0.6' OR '1'='1", "1/0", "nan", "-inf", "1e999")
]


@pytest.mark.parametrize(("option", "value"), THRESHOLD_CASES)
def test_hostile_threshold_arguments_are_clear_errors(hostile_db, option, value):
    run = run_cli("tally", "--db", hostile_db, "--wave", WAVE, option, value)
    assert "Traceback" not in run.err
    assert run.code == 2 and run.out == "", run.err
    assert len(run.err.strip().splitlines()) == 1 and run.err.startswith("error: ")


def test_hostile_db_path_is_a_clear_error(tmp_path):
    run = run_cli("tally", "--db", tmp_path / "x'; DROP TABLE votes; --.duckdb", "--wave", WAVE)
    assert run.code == 2 and "no database" in run.err and "Traceback" not in run.err


@pytest.mark.heavy
def test_rendered_report_of_a_hostile_race_is_escaped_and_inside_out(hostile_db, tmp_path):
    """The report of the race named "'); DROP TABLE votes; --" with candidates named
    <script>...: its file stays inside --out, and the HTML shows the names as text."""
    out = tmp_path / "reports"
    run = run_cli("report", "--db", hostile_db, "--wave", WAVE, "--race", HOSTILE[0], "--out", out)
    assert run.code == 0, run.err
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(out.resolve() in p.parents for p in written)
    html = [p for p in written if p.suffix == ".html"]
    assert html
    text = html[0].read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "<img src=x onerror" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
