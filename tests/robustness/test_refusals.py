"""docs/rules.md §2, "What a load refuses, and what it keeps": one test per rule.

Each refusal case mutates a copy of data/sample, runs `endorse-analysis load` against a
database that already holds the sample, and checks: exit non-zero, no traceback, the
problem named with its file, line (header = line 1, blank lines and line breaks inside
quotes counted) and column, and the old database unchanged (bytes, mtime, and what
`tally`/`audit` print). The lenient cases must load, and say what they dropped or kept.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import (
    add_column,
    append_lines,
    assert_clean_refusal,
    copy_sample,
    db_fingerprint,
    db_outputs,
    drop_column,
    file_lines,
    leftovers,
    replace_line,
    run_cli,
    set_cell,
    set_lines,
    write_bytes,
)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, dict]:
    """The sample loaded once; each test gets a byte copy (mtime kept) of this database."""
    base = tmp_path_factory.mktemp("loaded") / "base.duckdb"
    run = run_cli("load", copy_sample(base.parent / "sample"), "--db", base)
    assert run.code == 0, run.err
    return base, db_outputs(base)


@pytest.fixture
def old_db(loaded, tmp_path) -> tuple[Path, dict]:
    base, outputs = loaded
    db = tmp_path / "db" / "program.duckdb"
    db.parent.mkdir()
    shutil.copy2(base, db)
    return db, outputs


def expect_refusal(
    folder: Path, old_db: tuple[Path, dict], *, compare_outputs: bool = False
) -> list[str]:
    """Load `folder` over the old database; it must be refused and change nothing.

    The file's bytes, size and mtime are compared every time (the stronger check); what
    `tally`/`audit` print is compared too when asked (slower: three more commands)."""
    db, outputs = old_db
    before = db_fingerprint(db)
    run = run_cli("load", folder, "--db", db)
    assert_clean_refusal(run)
    assert run.out == ""
    assert run.err_lines[-1].endswith("the database was not changed")
    assert db_fingerprint(db) == before
    assert leftovers(db) == []
    if compare_outputs:
        assert db_outputs(db) == outputs
    return run.err_lines


def has_problem(lines: list[str], where: str, *fragments: str) -> bool:
    return any(line.startswith(where) and all(f in line for f in fragments) for line in lines)


# --- the cases ---------------------------------------------------------------------------
# (id, mutation of the sample folder, the line's start, fragments the line must hold)

Mutation = Callable[[Path], None]
Expectation = tuple[str, tuple[str, ...]]  # (the line's start, fragments it must hold)
CASES: list[tuple[str, Mutation, list[Expectation]]] = []


def case(id_: str, where: str, *fragments: str):
    def register(fn: Mutation) -> Mutation:
        CASES.append((id_, fn, [(where, fragments)]))
        return fn

    return register


def _cell(name: str, line: int, column: str, value: str) -> Mutation:
    return lambda d: set_cell(d, name, line, column, value)


def _add_case(id_, name, line, column, value, where, *fragments):
    CASES.append((id_, _cell(name, line, column, value), [(where, fragments)]))


# A file or a required column is missing; a column is named twice.
@case("missing file", "votes.csv: is missing")
def _(d):
    (d / "votes.csv").unlink()


for _file, _col in [
    ("votes.csv", "cast_at"),
    ("waves.csv", "closes_at"),
    ("members.csv", "member_id"),
    ("members.csv", "state"),
    ("endorsements.csv", "requests_national"),
]:
    CASES.append(
        (
            f"missing column {_file}:{_col}",
            (lambda f, c: lambda d: drop_column(d, f, c))(_file, _col),
            [(f"{_file} line 1, column {_col}:", ("required column", "missing"))],
        )
    )


@case("column named twice (case)", "waves.csv line 1, column NAME:", "named twice", "2 and 6")
def _(d):
    add_column(d, "waves.csv", "NAME", "x")


@case("column named twice (spaces)", "races.csv line 1, column State:", "named twice")
def _(d):
    add_column(d, "races.csv", " State ", "CA")


# Typed values that do not parse: each variant on its own line, each line reported.
def _cells(name: str, column: str, values: list[str], first_line: int = 2) -> Mutation:
    def mutate(d: Path) -> None:
        for i, v in enumerate(values):
            set_cell(d, name, first_line + i, column, v)

    return mutate


def _variants(id_, name, column, values, *fragments, first_line=2):
    CASES.append(
        (
            id_,
            _cells(name, column, values, first_line),
            [
                (f"{name} line {first_line + i}, column {column}:", (repr(v), *fragments))
                for i, v in enumerate(values)
            ],
        )
    )


_variants(
    "integer variants",
    "races.csv",
    "district",
    ["7.0", "1e1", "0x10", "1_000", "12 3", "twelve", "99999999999999999999", "--1"],
    "not valid",
    "whole number",
)
_variants("vote_id not an integer", "votes.csv", "vote_id", ["1.0", "1e0", "one"], "not valid")
_add_case(
    "partner_endorsements 2.5",
    "vetting.csv",
    2,
    "partner_endorsements",
    "2.5",
    "vetting.csv line 2, column partner_endorsements:",
    "'2.5'",
)
_add_case(
    "cycle 2026.0", "races.csv", 3, "cycle", "2026.0", "races.csv line 3, column cycle:", "'2026.0'"
)
_variants(
    "timestamp variants",
    "votes.csv",
    "cast_at",
    [
        "2026-03-03T09:00:00.1234567",  # seven fractional digits
        "2026-02-30",  # no such day
        "2026-03-03T24:00",
        "2026-03-03T09:60",
        "2026-03-03T09:00:61",
        "03/03/2026",
        "2026-3-3",
        "2026-03-03T09",
        "2026-03-03T09:00:00+0500",  # offset without a colon
        "2026-03-03T09:00:00+05",
        "2026-03-03T09:00:00 UTC",
        "2026-03-03T09:00:00+24:00",
        "2026-03-03Z",
        "20260303",
        "2026-03-03T09:00:00.",
        "2026-03-03t09:00",
        "yesterday",
    ],
    "not valid",
    "timestamp",
)
_add_case(
    "opens_at not a timestamp",
    "waves.csv",
    3,
    "opens_at",
    "April",
    "waves.csv line 3, column opens_at:",
    "'April'",
)
_add_case(
    "endorsed_on not a date",
    "endorsements.csv",
    4,
    "endorsed_on",
    "2026-02-31",
    "endorsements.csv line 4, column endorsed_on:",
    "'2026-02-31'",
)
_add_case(
    "signed_up_at not a timestamp",
    "members.csv",
    5,
    "signed_up_at",
    "soon",
    "members.csv line 5, column signed_up_at:",
    "the value (not shown) is not valid",
)
_add_case(
    "opted_out_at not a timestamp",
    "members.csv",
    6,
    "opted_out_at",
    "2026-13-01",
    "members.csv line 6, column opted_out_at:",
    "the value (not shown) is not valid",
)
_variants(
    "boolean variants",
    "endorsements.csv",
    "requests_national",
    ["maybe", "2", "y", "n", "on", "truthy", "-1"],
    "true/false",
)
_add_case(
    "boolean first_time",
    "candidates.csv",
    3,
    "first_time",
    "maybe",
    "candidates.csv line 3, column first_time:",
    "'maybe'",
)
_add_case(
    "enum office",
    "races.csv",
    2,
    "office",
    "mayor",
    "races.csv line 2, column office:",
    "'mayor'",
    "house, senate, governor",
)
_add_case(
    "enum status",
    "vetting.csv",
    3,
    "status",
    "approved",
    "vetting.csv line 3, column status:",
    "'approved'",
    "cleared, rejected, pending",
)
_add_case(
    "enum questionnaire",
    "vetting.csv",
    4,
    "questionnaire",
    "done",
    "vetting.csv line 4, column questionnaire:",
    "'done'",
)

# Empty values (or only spaces) in required columns, all reported at once.
EMPTY_REQUIRED = [
    ("votes.csv", 2, "cast_at"),
    ("votes.csv", 3, "vote_id"),
    ("votes.csv", 4, "wave_id"),
    ("votes.csv", 5, "member_id"),
    ("votes.csv", 6, "choice"),
    ("waves.csv", 2, "name"),
    ("waves.csv", 3, "opens_at"),
    ("races.csv", 3, "office"),
    ("candidates.csv", 2, "name"),
    ("candidates.csv", 3, "race_id"),
    ("groups.csv", 2, "state"),
    ("endorsements.csv", 2, "endorsed_on"),
    ("vetting.csv", 2, "status"),
    ("members.csv", 2, "member_id"),
    ("members.csv", 3, "signed_up_at"),
]


@case("empty required values", "")
def _(d):
    for name, line, column in EMPTY_REQUIRED:
        set_cell(d, name, line, column, "  ")


CASES[-1] = (
    CASES[-1][0],
    CASES[-1][1],
    [(f"{f} line {n}, column {c}:", ("is empty",)) for f, n, c in EMPTY_REQUIRED],
)


# A unique id repeats: the repeating line is reported, and names the first one.
def _repeat(name: str, source_line: int) -> Mutation:
    return lambda d: append_lines(d, name, file_lines(d, name)[source_line - 1])


for _file, _key, _src, _new in [
    ("waves.csv", "wave_id", 2, 4),
    ("races.csv", "race_id", 3, 10),
    ("candidates.csv", "candidate_id", 2, 15),
    ("groups.csv", "group_id", 9, 10),
    ("members.csv", "member_id", 2, 35),
    ("votes.csv", "vote_id", 5, 66),
    ("endorsements.csv", "group_id", 2, 19),  # (group_id, candidate_id, wave_id)
    ("vetting.csv", "candidate_id", 3, 20),  # (candidate_id, wave_id)
]:
    CASES.append(
        (
            f"repeated key {_file}",
            _repeat(_file, _src),
            [(f"{_file} line {_new}, column {_key}:", ("repeats", f"of line {_src}"))],
        )
    )


@case(
    "repeated id, other values differ", "members.csv line 35, column member_id:", "'s01'", "line 2"
)
def _(d):
    append_lines(d, "members.csv", "s01,,,CA,13,,,2025-12-01,")


@case("repeated row, ids differing only in case are distinct", "votes.csv line 66", "vote_id")
def _(d):  # ids are case-sensitive: only the vote_id repeat is a problem
    append_lines(d, "races.csv", "ca-12,house,CA,12,2026")  # not a repeat of CA-12
    append_lines(d, "votes.csv", "1,2026-03,CA-12,s01,A1,2026-03-03T09:00:00-08:00")


# References that point nowhere.
_add_case(
    "dangling candidates.race_id",
    "candidates.csv",
    4,
    "race_id",
    "CA-99",
    "candidates.csv line 4, column race_id:",
    "'CA-99'",
    "races.csv",
)
_add_case(
    "dangling race_id case",
    "candidates.csv",
    4,
    "race_id",
    "ca-12",
    "candidates.csv line 4, column race_id:",
    "'ca-12'",
)
_add_case(
    "dangling endorsements.group_id",
    "endorsements.csv",
    3,
    "group_id",
    "GXX",
    "endorsements.csv line 3, column group_id:",
    "'GXX'",
    "groups.csv",
)
_add_case(
    "dangling endorsements.candidate_id",
    "endorsements.csv",
    5,
    "candidate_id",
    "Z9",
    "endorsements.csv line 5, column candidate_id:",
    "'Z9'",
    "candidates.csv",
)
_add_case(
    "dangling endorsements.wave_id",
    "endorsements.csv",
    6,
    "wave_id",
    "2026-09",
    "endorsements.csv line 6, column wave_id:",
    "'2026-09'",
    "waves.csv",
)
_add_case(
    "dangling vetting.candidate_id",
    "vetting.csv",
    3,
    "candidate_id",
    "Z9",
    "vetting.csv line 3, column candidate_id:",
    "'Z9'",
    "candidates.csv",
)
_add_case(
    "dangling vetting.wave_id",
    "vetting.csv",
    4,
    "wave_id",
    "2026-09",
    "vetting.csv line 4, column wave_id:",
    "'2026-09'",
    "waves.csv",
)

# Geography of races and groups.
_add_case(
    "race state unknown", "races.csv", 3, "state", "ZZ", "races.csv line 3, column state:", "'ZZ'"
)
_add_case("race state PR", "races.csv", 8, "state", "PR", "races.csv line 8, column state:", "'PR'")
_add_case(
    "group state unknown",
    "groups.csv",
    3,
    "state",
    "XX",
    "groups.csv line 3, column state:",
    "'XX'",
)
_add_case(
    "race district beyond seats",
    "races.csv",
    2,
    "district",
    "53",
    "races.csv line 2, column district:",
    "'53'",
    "1 to 52",
)
_add_case(
    "race district 0 in a districted state",
    "races.csv",
    2,
    "district",
    "0",
    "races.csv line 2, column district:",
    "'0'",
)
_add_case(
    "race district negative",
    "races.csv",
    7,
    "district",
    "-11",
    "races.csv line 7, column district:",
    "'-11'",
)
_add_case(
    "at-large district 1",
    "races.csv",
    5,
    "district",
    "1",
    "races.csv line 5, column district:",
    "'1'",
    "at large",
)
_add_case(
    "statewide race with a district",
    "races.csv",
    4,
    "district",
    "3",
    "races.csv line 4, column district:",
    "'3'",
    "governor",
)
_add_case(
    "senate race with district 0",
    "races.csv",
    8,
    "district",
    "0",
    "races.csv line 8, column district:",
    "'0'",
    "senate",
)
_add_case(
    "house race without a district",
    "races.csv",
    3,
    "district",
    "",
    "races.csv line 3, column district:",
    "house race needs a district",
)
_add_case(
    "group district beyond seats",
    "groups.csv",
    8,
    "district",
    "14",
    "groups.csv line 8, column district:",
    "'14'",
    "1 to 13",
)
_add_case(
    "group at-large district 1",
    "groups.csv",
    5,
    "district",
    "1",
    "groups.csv line 5, column district:",
    "'1'",
)
_add_case(
    "group in DC with a district",
    "groups.csv",
    9,
    "district",
    "1",
    "groups.csv line 9, column district:",
    "'1'",
)


@case("DC house race", "races.csv line 10, column state:", "'DC'", "DC")
def _(d):
    append_lines(d, "races.csv", "DC-AL,house,DC,0,2026")


@case("DC senate race", "races.csv line 10, column state:", "'dc'")
def _(d):
    append_lines(d, "races.csv", "DC-SEN,senate,dc,,2026")


# Waves: closes_at after opens_at.
_add_case(
    "closes_at equal to opens_at",
    "waves.csv",
    3,
    "closes_at",
    "2026-04-06",
    "waves.csv line 3, column closes_at:",
    "not after opens_at",
)
_add_case(
    "closes_at same instant, other zone",
    "waves.csv",
    3,
    "closes_at",
    "2026-04-05T20:00:00-04:00",
    "waves.csv line 3, column closes_at:",
    "not after",
)
_add_case(
    "closes_at before opens_at",
    "waves.csv",
    2,
    "closes_at",
    "2026-03-01",
    "waves.csv line 2, column closes_at:",
    "not after opens_at",
)

# vote_id is 1 or more; NO_ENDORSEMENT is not a candidate.
_add_case(
    "vote_id 0",
    "votes.csv",
    4,
    "vote_id",
    "0",
    "votes.csv line 4, column vote_id:",
    "'0'",
    "1 or more",
)
_add_case(
    "vote_id negative", "votes.csv", 4, "vote_id", "-4", "votes.csv line 4, column vote_id:", "'-4'"
)
_add_case(
    "partner_endorsements negative",
    "vetting.csv",
    5,
    "partner_endorsements",
    "-1",
    "vetting.csv line 5, column partner_endorsements:",
    "'-1'",
)


@case(
    "candidate NO_ENDORSEMENT",
    "candidates.csv line 15, column candidate_id:",
    "'NO_ENDORSEMENT'",
    "reserved",
)
def _(d):
    append_lines(d, "candidates.csv", "NO_ENDORSEMENT,CA-12,Nobody,,,")


# The file's structure.
@case("empty file", "groups.csv line 1:", "no header line")
def _(d):
    write_bytes(d, "groups.csv", b"")


@case("only blank lines", "races.csv line 1:", "no header line")
def _(d):
    write_bytes(d, "races.csv", b"\n\n  \n")


@case("too few fields", "votes.csv line 4:", "5 fields, expected 6")
def _(d):
    replace_line(d, "votes.csv", 4, "3,2026-03,CA-12,s03,A1")


@case("too many fields", "races.csv line 6:", "6 fields, expected 5")
def _(d):
    replace_line(d, "races.csv", 6, "VT-GOV,governor,VT,,2026,extra")


@case("too many fields, trailing comma", "waves.csv line 3:", "6 fields, expected 5")
def _(d):
    replace_line(d, "waves.csv", 3, file_lines(d, "waves.csv")[2] + ",")


@case("invalid UTF-8", "groups.csv line 3:", "UTF-8")
def _(d):
    data = (d / "groups.csv").read_bytes().split(b"\n")
    data[2] = data[2].replace(b"Valley", b"Vall\xffy")
    write_bytes(d, "groups.csv", b"\n".join(data))


@case("invalid UTF-8 (latin-1 text)", "candidates.csv line 2:", "UTF-8")
def _(d):
    data = (d / "candidates.csv").read_bytes()
    write_bytes(d, "candidates.csv", data.replace(b"Ana Alvarez", "Ana Álvarez".encode("latin-1")))


@case("overlong UTF-8", "waves.csv line 3:", "UTF-8")
def _(d):
    data = (d / "waves.csv").read_bytes()
    write_bytes(d, "waves.csv", data.replace(b"April", b"Apr\xc0\xafl"))


@case("NUL byte", "vetting.csv line 3:", "NUL")
def _(d):
    data = (d / "vetting.csv").read_bytes().split(b"\n")
    data[2] = data[2] + b"\x00"
    write_bytes(d, "vetting.csv", b"\n".join(data))


@case("quote never closed", "candidates.csv line 5:", "never closed")
def _(d):
    replace_line(d, "candidates.csv", 5, 'B1,CA-GOV,"Dana Diaz,DEM,false,false')


@case("quote inside an unquoted field", "candidates.csv line 6:", "quote")
def _(d):
    replace_line(d, "candidates.csv", 6, 'B2,CA-GOV,Eli "Ed" Evans,DEM,false,false')


@case(
    "a value with a line break is shown on one line",
    "vetting.csv line 3, column status:",
    r"'app\nroved'",
)
def _(d):
    set_cell(d, "vetting.csv", 3, "status", "app\nroved")


@case("a long value is cut short", "votes.csv line 2, column cast_at:", "…'")
def _(d):
    set_cell(d, "votes.csv", 2, "cast_at", "2026-03-03" + "x" * 5000)


# Line numbers count blank lines, CR/CRLF breaks and breaks inside quoted fields.
@case("line number after blank lines", "votes.csv line 7, column cast_at:", "'never'")
def _(d):
    lines = file_lines(d, "votes.csv")
    lines[3] = lines[3].rsplit(",", 1)[0] + ",never"  # the record on line 4
    set_lines(d, "votes.csv", lines[:1] + ["", "  ", ""] + lines[1:])  # 3 blank lines first


@case("line number after quoted line breaks", "vetting.csv line 7, column status:", "'nope'")
def _(d):
    lines = file_lines(d, "vetting.csv")
    lines[1] = 'A1,2026-03,cleared,passed,3,"first\nsecond\n\nfourth"'  # 4 lines
    lines[3] = lines[3].replace("cleared", "nope")  # record 3: 2 + 4 = line 7
    set_lines(d, "vetting.csv", lines)


@case("line number with CRLF", "races.csv line 5, column district:", "'7'")
def _(d):
    lines = file_lines(d, "races.csv")
    lines[4] = "VT-AL,house,VT,7,2026"
    write_bytes(d, "races.csv", "".join(x + "\r\n" for x in lines).encode())


@case("line number with lone CR", "races.csv line 5, column district:", "'7'")
def _(d):
    lines = file_lines(d, "races.csv")
    lines[4] = "VT-AL,house,VT,7,2026"
    write_bytes(d, "races.csv", "".join(x + "\r" for x in lines).encode())


@case(
    "repeat reported on its own line after quoted breaks",
    "candidates.csv line 17, column candidate_id:",
    "'B1'",
    "of line 5",
)
def _(d):
    append_lines(d, "candidates.csv", 'Z1,CA-12,"Zoe\nZimmer",DEM,true,false')
    # the record above starts on line 15 and spans two; the repeat of B1 starts on line 17
    append_lines(d, "candidates.csv", "B1,CA-12,Bo,DEM,true,false")


# One refusal per kind of check also compares tally/audit output before and after.
COMPARE_OUTPUTS = {
    "missing file",
    "timestamp variants",
    "repeated key votes.csv",
    "dangling endorsements.group_id",
    "at-large district 1",
    "invalid UTF-8",
    "too few fields",
    "empty required values",
}

KNOWN_BUGS: dict[str, pytest.MarkDecorator] = {}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(fn, expected, id=id_, marks=KNOWN_BUGS.get(id_, ()))
        for id_, fn, expected in CASES
    ],
)
def test_refused(tmp_path, old_db, mutate, expected, request):
    folder = copy_sample(tmp_path / "in")
    mutate(folder)
    compare = request.node.callspec.id in COMPARE_OUTPUTS
    lines = expect_refusal(folder, old_db, compare_outputs=compare)
    for where, fragments in expected:
        assert has_problem(lines, where, *fragments), f"{where} {fragments}:\n" + "\n".join(lines)
    if len(expected) > 1:  # each bad value once (no echo of a NULL it became elsewhere)
        problems = [x for x in lines if not x.startswith("load refused: ")]
        assert len(problems) == len(expected), "\n".join(lines)


def test_header_over_two_lines_names_the_strange_column(tmp_path, old_db):
    folder = copy_sample(tmp_path / "in")
    lines = file_lines(folder, "waves.csv")
    lines[0] = 'wave_id,"na\nme",opens_at,closes_at,signup_closes_at'
    set_lines(folder, "waves.csv", lines)
    out = expect_refusal(folder, old_db)
    assert has_problem(out, "waves.csv line 1, column name:", "missing"), out


def test_every_problem_is_named_at_once(tmp_path, old_db):
    """Problems in several files and rules are all listed, in file order, one per line."""
    folder = copy_sample(tmp_path / "in")
    set_cell(folder, "waves.csv", 3, "opens_at", "x")
    set_cell(folder, "races.csv", 5, "district", "1")
    set_cell(folder, "votes.csv", 2, "cast_at", "")
    append_lines(folder, "members.csv", "s01,,,CA,12,,,2025-10-01,")
    lines = expect_refusal(folder, old_db)
    assert has_problem(lines, "waves.csv line 3, column opens_at:")
    assert has_problem(lines, "races.csv line 5, column district:")
    assert has_problem(lines, "members.csv line 35, column member_id:")
    assert has_problem(lines, "votes.csv line 2, column cast_at:")
    assert lines[-1] == "load refused: 4 problem(s); the database was not changed"
    order = [
        next(i for i, x in enumerate(lines) if x.startswith(f))
        for f in ("waves.csv", "races.csv", "members.csv", "votes.csv")
    ]
    assert order == sorted(order)


def test_at_least_20_problems_then_how_many_more(tmp_path, old_db):
    folder = copy_sample(tmp_path / "in")
    lines = file_lines(folder, "votes.csv")
    for i in range(1, 36):  # records on lines 2..36
        fields = lines[i].split(",")
        fields[-1] = f"bad{i}"
        lines[i] = ",".join(fields)
    set_lines(folder, "votes.csv", lines)
    out = expect_refusal(folder, old_db)
    problems = [x for x in out if x.startswith("votes.csv line")]
    assert len(problems) >= 20
    shown = len(problems)
    assert [f"votes.csv line {n}, column cast_at" for n in range(2, 2 + shown)] == [
        x.split(":")[0] for x in problems
    ]
    assert f"… and {35 - shown} more problem(s)" in out
    assert out[-1] == "load refused: 35 problem(s); the database was not changed"


def test_refusal_without_an_old_database_creates_none(tmp_path):
    folder = copy_sample(tmp_path / "in")
    set_cell(folder, "votes.csv", 2, "vote_id", "0")
    db = tmp_path / "new" / "program.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert_clean_refusal(run)
    assert not db.exists()
    assert leftovers(db) == []


def test_not_a_folder(tmp_path, old_db):
    db, _ = old_db
    before = db_fingerprint(db)
    run = run_cli("load", tmp_path / "nowhere", "--db", db)
    assert run.code != 0 and "Traceback" not in run.err
    assert "nowhere" in run.err and "not a folder" in run.err
    assert db_fingerprint(db) == before


# --- lenient cases: these load -----------------------------------------------------------


def expect_load(folder: Path, tmp_path: Path):
    db = tmp_path / "out.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    assert leftovers(db) == []
    return db, run


def _members(db: Path) -> dict[str, tuple]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT member_id, state, district FROM members").fetchall()
    return {r[0]: r[1:] for r in rows}


def test_member_geography_is_kept_with_a_warning(tmp_path):
    folder = copy_sample(tmp_path / "in")
    first = append_lines(
        folder,
        "members.csv",
        "m1,a@x,A,,3,,,2025-10-01,",  # empty state        line 35
        "m2,b@x,B,GU,1,,,2025-10-01,",  # territory          line 36
        "m3,c@x,C,AE,,,,2025-10-01,",  # military address   line 37
        "m4,d@x,D,ca,abc,,,2025-10-01,",  # district not a number  line 38
        "m5,e@x,E,VT,1,,,2025-10-01,",  # at large: only 0       line 39
        "m6,f@x,F,CA,7.0,,,2025-10-01,",  # not a whole number   line 40
        "m7,g@x,G,DC,1,,,2025-10-01,",  # DC has no district     line 41
        "m8,h@x,H, mi ,-1,,,2025-10-01,",  # negative            line 42
    )
    assert first == 35
    db, run = expect_load(folder, tmp_path)
    members = _members(db)
    assert members["m1"] == (None, None)
    assert members["m2"] == (None, None)
    assert members["m3"] == (None, None)
    assert members["m4"] == ("CA", None)
    assert members["m5"] == ("VT", None)
    assert members["m6"] == ("CA", None)
    assert members["m7"] == ("DC", None)
    assert members["m8"] == ("MI", None)
    assert len(members) == 33 + 8
    warnings = [x for x in run.err_lines if x.startswith("warning:")]
    # The sample already has x01 (PR, line 33) and s16 (CA-99, line 17).
    state = next(x for x in warnings if "with a state that" in x)
    assert "4 member(s)" in state and "33, 35, 36, 37" in state, warnings
    district = next(x for x in warnings if "with a district that" in x)
    assert "6 member(s)" in district and "17, 38, 39, 40, 41" in district, warnings
    assert "…" in district  # more than the first few lines
    assert all(x.startswith("warning: members.csv:") for x in warnings)


def test_bom_crlf_blank_lines_and_quoted_breaks_load(tmp_path, loaded):
    folder = copy_sample(tmp_path / "in")
    for name in ("waves.csv", "votes.csv", "groups.csv"):
        data = (folder / name).read_bytes()
        write_bytes(folder, name, b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"))
    lines = file_lines(folder, "vetting.csv")
    lines[1] = 'A1,2026-03,cleared,passed,3,"a note\r\nover two lines, with ""quotes"""'
    set_lines(folder, "vetting.csv", [lines[0], "", ""] + lines[1:] + ["", "   "])
    db, _ = expect_load(folder, tmp_path)
    assert db_outputs(db) == loaded[1]  # the same program as the plain sample
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        note = con.execute(
            "SELECT notes FROM vetting WHERE candidate_id = 'A1' AND wave_id = '2026-03'"
        ).fetchone()[0]
    # The value is kept whole; its line break may be stored as CRLF or as LF.
    assert note.replace("\r\n", "\n") == 'a note\nover two lines, with "quotes"'


def test_header_only_files_load(tmp_path):
    folder = copy_sample(tmp_path / "in")
    for name in ("endorsements.csv", "vetting.csv", "votes.csv", "members.csv"):
        set_lines(folder, name, file_lines(folder, name)[:1])
    write_bytes(folder, "candidates.csv", (folder / "candidates.csv").read_bytes().split(b"\n")[0])
    db, run = expect_load(folder, tmp_path)
    assert "votes 0" in run.out and "candidates 0" in run.out and "members 0" in run.out
    audit = run_cli("audit", "--db", db, "--format", "json")
    assert audit.code == 0 and audit.out.strip() == "[]"


def test_valid_value_variants_load(tmp_path):
    folder = copy_sample(tmp_path / "in")
    set_cell(folder, "votes.csv", 2, "cast_at", "2026-03-03 17:00")
    set_cell(folder, "votes.csv", 3, "cast_at", "2026-03-03T18:00:00.123456Z")
    set_cell(folder, "votes.csv", 4, "cast_at", " 2026-03-04T00:30+05:30 ")
    set_cell(folder, "votes.csv", 5, "vote_id", "+0004")
    set_cell(folder, "races.csv", 2, "district", " 12 ")
    set_cell(folder, "races.csv", 2, "state", "ca")
    set_cell(folder, "endorsements.csv", 2, "requests_national", "YES")
    set_cell(folder, "endorsements.csv", 3, "requests_national", "T")
    set_cell(folder, "candidates.csv", 2, "first_time", "")
    set_cell(folder, "races.csv", 3, "office", "House")
    set_cell(folder, "vetting.csv", 2, "status", "Cleared")
    expect_load(folder, tmp_path)


def test_extra_columns_are_dropped_and_named(tmp_path):
    folder = copy_sample(tmp_path / "in")
    add_column(folder, "votes.csv", "ip_address", "10.0.0.1")
    add_column(folder, "groups.csv", "Contact Email", "x@y")
    db, run = expect_load(folder, tmp_path)
    dropped = [x for x in run.err_lines if "dropped" in x]
    assert "members.csv: dropped columns not stored: email, first_name, zip, phone" in dropped
    assert "votes.csv: dropped columns not stored: ip_address" in dropped
    assert "groups.csv: dropped columns not stored: Contact Email" in dropped
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        columns = {
            r[0].lower() for r in con.execute("SELECT column_name FROM duckdb_columns()").fetchall()
        }
    assert not columns & {"ip_address", "contact email", "email", "first_name", "zip", "phone"}


def test_shuffled_and_cased_columns_load_the_same(tmp_path, loaded):
    folder = copy_sample(tmp_path / "in")
    from helpers import read_table, write_table

    for name in ("votes.csv", "members.csv", "races.csv"):
        header, rows = read_table(folder, name)
        order = list(reversed(range(len(header))))
        write_table(
            folder,
            name,
            [f" {header[i].upper()} " for i in order],
            [[r[i] for i in order] for r in rows],
        )
    db, _ = expect_load(folder, tmp_path)
    assert db_outputs(db) == loaded[1]
