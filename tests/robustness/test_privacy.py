"""Privacy (docs/rules.md §3): a member's personal columns are never stored, a member id is
never shown, whatever the command or format.

Canary members with distinctive ids, emails, names, zips and phones are added to the
sample. The loaded database is scanned (every table, every column, as text) and so is
every output of every read command; only members.member_id and votes.member_id may hold
a canary id, and nothing may hold a canary email, name, zip or phone. A refusal may name
a bad member row's line and id, never its dropped columns.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from helpers import (
    SAMPLE_WAVES,
    append_lines,
    assert_clean_refusal,
    copy_sample,
    file_lines,
    leftovers,
    replace_line,
    run_cli,
    set_cell,
    set_lines,
)

# id, email, first_name, state, district, zip, phone, signed_up_at; each string unique.
CANARIES = [
    (
        "cnry-ID-7f3a9e",
        "qz.canary.7f3a9e@leak.example",
        "Zebulonqx",
        "CA",
        "12",
        "90210-7f3a",
        "+1-555-867-5309x71",
        "2025-10-01",
    ),
    (
        "cnry-ID-b41c02",
        "vx.canary.b41c02@leak.example",
        "Ottoline-Qwv",
        "VT",
        "0",
        "05401-b41c",
        "(555) 010-4477x2",
        "2025-10-01",
    ),
    (
        "cnry-ID-9d0e55",
        "kk.canary.9d0e55@leak.example",
        "Ysoldewq",
        "MI",
        "",
        "48000-9d0e",
        "555.301.9981x3",
        "2025-10-01",
    ),
    (
        "cnry-ID-unk001",
        "jj.canary.unk001@leak.example",
        "Quenbyxx",
        "ZZ",
        "xx",
        "00000-unk0",
        "555-000-1212x4",
        "2025-10-01",
    ),
]
IDS = [c[0] for c in CANARIES]
PERSONAL = [v for c in CANARIES for v in (c[1], c[2], c[5], c[6])]
ALL = IDS + PERSONAL
# Columns allowed to hold a member id.
ID_COLUMNS = {("members", "member_id"), ("votes", "member_id")}


def canary_folder(root: Path) -> Path:
    folder = copy_sample(root / "in")
    for mid, email, name, state, district, zip_, phone, signed in CANARIES:
        append_lines(
            folder,
            "members.csv",
            f"{mid},{email},{name},{state},{district},{zip_},{phone},{signed},",
        )
    # Their ballots: counted, superseded, outside the window, for an unknown race.
    append_lines(
        folder,
        "votes.csv",
        f"901,2026-03,CA-12,{IDS[0]},A1,2026-03-04T10:00:00Z",
        f"902,2026-03,CA-12,{IDS[0]},A2,2026-03-05T10:00:00Z",
        f"903,2026-03,VT-AL,{IDS[1]},E1,2026-03-04T10:00:00Z",
        f"904,2026-03,MI-SEN,{IDS[2]},J1,2026-03-20T10:00:00Z",
        f"905,2026-03,XX-99,{IDS[3]},A1,2026-03-04T10:00:00Z",
        f"906,2026-04,CA-GOV,{IDS[3]},B1,2026-04-08T10:00:00Z",
        "907,2026-03,CA-12,cnry-ID-notamember,A1,2026-03-04T10:00:00Z",
    )
    return folder


def leaks(text: str, needles: list[str] = ALL) -> list[str]:
    low = text.lower()
    return [n for n in needles if n.lower() in low]


@pytest.fixture(scope="module")
def canary_db(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("privacy")
    db = root / "program.duckdb"
    run = run_cli("load", canary_folder(root), "--db", db)
    assert run.code == 0, run.err
    return db, run


def test_load_messages_leak_nothing(canary_db):
    _, run = canary_db
    assert leaks(run.out + run.err) == [], run.out + run.err
    # The load does say which columns it dropped (their names, not their values).
    assert "members.csv: dropped columns not stored: email, first_name, zip, phone" in run.err


def test_database_holds_no_personal_column_and_ids_only_where_needed(canary_db):
    db, _ = canary_db
    found: dict[str, set] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal"
        ).fetchall()
        names = {c.lower() for _, c in columns}
        assert not names & {"email", "first_name", "zip", "phone"}
        for table, column in columns:
            values = {
                r[0]
                for r in con.execute(
                    f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM "{table}"'
                ).fetchall()
                if r[0] is not None
            }
            for needle in ALL:
                if any(needle.lower() in v.lower() for v in values):
                    found.setdefault(needle, set()).add((table, column))
    for needle in PERSONAL:
        assert needle not in found, f"{needle} stored in {found[needle]}"
    for needle in IDS:
        assert found.get(needle, set()) <= ID_COLUMNS, found[needle]
    assert IDS[0] in found  # the scan does see what is there
    # No temporaries beside it, and the raw bytes hold no personal value either.
    assert leftovers(db) == []
    raw = db.read_bytes()
    assert [p for p in PERSONAL if p.encode() in raw] == []


READ_COMMANDS = [
    ("tally", "--wave", "{wave}"),
    ("tally", "--wave", "{wave}", "--support-threshold", "0.5", "--min-turnout", "0"),
    ("audit",),
    ("audit", "--wave", "{wave}"),
    ("docket", "--wave", "{wave}"),
    ("results", "--wave", "{wave}"),
    ("results", "--wave", "{wave}", "--by-group"),
]


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: " ".join(c))
def test_outputs_show_no_member_id_or_personal_value(canary_db, command, fmt):
    db, _ = canary_db
    for wave in SAMPLE_WAVES:
        argv = [a.format(wave=wave) for a in command]
        run = run_cli(argv[0], "--db", db, *argv[1:], "--format", fmt)
        assert run.code == 0, run.err
        assert leaks(run.out + run.err) == []
        # Not even the sample's own member ids (s01, v02, ...) as whole fields.
        fields = set(run.out.replace(",", " ").replace('"', " ").split())
        assert not fields & {"s01", "s02", "v01", "w01", "x01"}


def test_diff_shows_no_member_id(canary_db, tmp_path):
    db, _ = canary_db
    other = tmp_path / "other.duckdb"
    assert run_cli("load", copy_sample(tmp_path / "in"), "--db", other).code == 0
    for fmt in ("table", "csv", "json"):
        run = run_cli("diff", other, db, "--format", fmt)
        assert run.code == 0, run.err
        assert leaks(run.out + run.err) == []


def test_refusal_names_a_bad_member_row_by_line_and_id_only(tmp_path):
    folder = canary_folder(tmp_path)
    append_lines(
        folder,
        "members.csv",
        # line 39: a bad timestamp; line 40: too many fields; line 41: a repeated id
        "cnry-ID-bad001,zz.canary.bad001@leak.example,Wilhelmqx,CA,12,90001-bad0,"
        "555-999-0001x9,not-a-date,",
        "cnry-ID-bad002,zz.canary.bad002@leak.example,Bartholqx,CA,12,90001-bad1,"
        "555-999-0002x9,2025-10-01,,extra",
        f"{IDS[1]},zz.canary.bad003@leak.example,Fenwickqx,VT,0,05401-bad3,"
        "555-999-0003x9,2025-10-01,",
    )
    secrets = PERSONAL + [
        "zz.canary.bad001",
        "Wilhelmqx",
        "90001-bad0",
        "555-999-0001",
        "zz.canary.bad002",
        "Bartholqx",
        "90001-bad1",
        "555-999-0002",
        "zz.canary.bad003",
        "Fenwickqx",
        "05401-bad3",
        "555-999-0003",
    ]
    db = tmp_path / "program.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert_clean_refusal(run)
    assert leaks(run.out + run.err, secrets) == [], run.err
    err = run.err
    # Of members.csv only the member id is ever quoted.
    assert "members.csv line 39, column signed_up_at: the value (not shown) is not valid" in err
    assert "members.csv line 40: has 10 fields, expected 9" in err
    assert f"members.csv line 41, column member_id: '{IDS[1]}' repeats" in err
    # Ids of other members are not named.
    assert leaks(err, [IDS[0], IDS[2], IDS[3]]) == []


def test_a_shifted_member_row_does_not_echo_its_email(tmp_path):
    """A members.csv row shifted by one column puts the email address under signed_up_at:
    the refusal names the line and column, never the address."""
    folder = copy_sample(tmp_path / "in")
    replace_line(
        folder, "members.csv", 3, "s02,CA,12,94602,555-0102,Ben,,ben.s02@example.org,2025-10-02"
    )
    run = run_cli("load", folder, "--db", tmp_path / "program.duckdb")
    assert_clean_refusal(run)
    assert "members.csv line 3, column signed_up_at: the value (not shown) is not valid" in run.err
    assert leaks(run.err, ["ben.s02", "example.org", "94602", "555-0102", "Ben"]) == [], run.err


@pytest.mark.parametrize(
    ("name", "line", "column", "value"),
    [
        ("groups.csv", 2, "district", "ana.r@example.org"),
        ("votes.csv", 2, "cast_at", "+1 (555) 867-5309"),
        ("candidates.csv", 2, "race_id", "call 555.867.5309 now"),
        ("vetting.csv", 2, "status", "x@y"),
    ],
)
def test_no_refusal_echoes_an_email_or_phone_in_any_file(tmp_path, name, line, column, value):
    folder = copy_sample(tmp_path / "in")
    set_cell(folder, name, line, column, value)
    run = run_cli("load", folder, "--db", tmp_path / "program.duckdb")
    assert_clean_refusal(run)
    assert f"{name} line {line}, column {column}: the value (not shown)" in run.err
    assert value not in run.err and "867" not in run.err and "@" not in run.err


def test_a_header_that_is_a_row_of_data_is_not_echoed(tmp_path):
    """A members.csv whose header line is a member's row: its names are withheld too."""
    folder = copy_sample(tmp_path / "in")
    lines = file_lines(folder, "members.csv")
    set_lines(folder, "members.csv", [lines[2], *lines[1:]])
    run = run_cli("load", folder, "--db", tmp_path / "program.duckdb")
    assert_clean_refusal(run)
    assert "@" not in run.err and "555-" not in run.err, run.err


def test_refusal_in_another_file_names_no_member(tmp_path):
    folder = canary_folder(tmp_path)
    append_lines(folder, "votes.csv", f"908,2026-03,CA-12,{IDS[0]},A1,")  # empty cast_at
    run = run_cli("load", folder, "--db", tmp_path / "program.duckdb")
    assert_clean_refusal(run)
    assert "votes.csv line 73, column cast_at" in run.err
    assert leaks(run.err) == [], run.err


@pytest.mark.heavy
def test_rendered_wave_shows_no_member_id_or_personal_value(canary_db, tmp_path):
    """The rendered reports of a wave (HTML, notebooks, index, manifest) leak nothing."""
    db, _ = canary_db
    out = tmp_path / "reports"
    run = run_cli("reports", "--db", db, "--wave", "2026-03", "--out", out, "--jobs", "1")
    assert run.code == 0, run.err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert leaks(text) == [], path
        assert not {"s01", "s02", "v01", "w01"} & set(
            text.replace('"', " ").replace(",", " ").replace("<", " ").replace(">", " ").split()
        ), path
