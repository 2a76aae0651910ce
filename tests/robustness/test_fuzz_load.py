"""Fuzzing the loader: mutated copies of data/sample either load or are cleanly refused.

Each example applies one to three mutations (truncation, flipped bytes, invalid UTF-8,
BOMs, NUL bytes, CRLF and lone CR, unbalanced quotes, ~1 MB fields, huge numbers, empty
files, repeated headers, shuffled columns, dropped or doubled lines) to a copy of the
sample, then loads it over a database that holds the sample. The heavy variants fuzz the
load's arguments too (--timezone, what --db names, an --as-of read after); every command's
arguments are fuzzed in test_fuzz_argv.py. Every outcome must be:

- exit 0, the votes stored add up in the audit, no traceback; or
- a clean refusal: exit non-zero, every stderr line names a file (or is the summary),
  no traceback, and the old database byte-identical (and same mtime);

never an exception escaping `main()`. FUZZ_STATS counts what was tried.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from helpers import (
    FILES,
    INTERNAL_ERROR,
    assert_clean_refusal,
    copy_sample,
    db_fingerprint,
    leftovers,
    run_cli,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ_STATS: Counter = Counter()
BOM = b"\xef\xbb\xbf"
HUGE_NUMBERS = [
    "9223372036854775807",  # the largest BIGINT: a valid integer
    "9223372036854775808",
    "-9223372036854775809",
    "1" * 40,
    "1e308",
    "-0",
    "+0",
    "NaN",
    "Infinity",
]
BAD_UTF8 = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80"]
MUTATIONS = [
    "truncate",
    "flip_byte",
    "invalid_utf8",
    "bom",
    "double_bom",
    "nul",
    "crlf",
    "lone_cr",
    "one_lone_cr",
    "quote",
    "long_field",
    "huge_number",
    "empty",
    "only_header",
    "duplicate_header",
    "shuffle_columns",
    "drop_line",
    "double_line",
    "random_bytes",
    "delete_file",
]


def _fields(data: bytes) -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None


def _write_rows(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def mutate(folder: Path, name: str, kind: str, r: random.Random, blob: bytes) -> None:
    """Apply one mutation of `kind` to `folder/name`, choices drawn from `r`."""
    path = folder / name
    if not path.exists():
        return
    data = path.read_bytes()
    pos = r.randrange(len(data) + 1)
    if kind == "truncate":
        data = data[:pos]
    elif kind == "flip_byte" and data:
        i = min(pos, len(data) - 1)
        data = data[:i] + bytes([r.randrange(256)]) + data[i + 1 :]
    elif kind == "invalid_utf8":
        data = data[:pos] + r.choice(BAD_UTF8) + data[pos:]
    elif kind == "bom":
        data = BOM + data
    elif kind == "double_bom":
        data = BOM + BOM + data
    elif kind == "nul":
        data = data[:pos] + b"\x00" + data[pos:]
    elif kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "lone_cr":
        data = data.replace(b"\n", b"\r")
    elif kind == "one_lone_cr":
        i = data.find(b"\n", pos)
        if i >= 0:
            data = data[:i] + b"\r" + data[i + 1 :]
    elif kind == "quote":
        data = data[:pos] + b'"' + data[pos:]
    elif kind in ("long_field", "huge_number", "shuffle_columns", "duplicate_header"):
        rows = _fields(data)
        if not rows:
            return
        if kind == "shuffle_columns":
            order = list(range(len(rows[0])))
            r.shuffle(order)
            rows = [[row[i] for i in order] if len(row) == len(order) else row for row in rows]
        elif kind == "duplicate_header":
            rows.insert(r.randrange(1, len(rows) + 1), rows[0])
        elif len(rows) > 1:
            row = rows[r.randrange(1, len(rows))]
            if row:
                col = r.randrange(len(row))
                if kind == "long_field":
                    row[col] = r.choice(["x", "é", '"', ",", "\n"]) * 1_000_000
                else:
                    row[col] = r.choice(HUGE_NUMBERS)
        data = _write_rows(rows)
    elif kind == "empty":
        data = b""
    elif kind == "only_header":
        data = data.split(b"\n", 1)[0] + b"\n"
    elif kind in ("drop_line", "double_line"):
        lines = data.split(b"\n")
        i = r.randrange(len(lines))
        lines[i : i + 1] = [] if kind == "drop_line" else [lines[i], lines[i]]
        data = b"\n".join(lines)
    elif kind == "random_bytes":
        data = data[:pos] + blob + data[pos:]
    elif kind == "delete_file":
        path.unlink()
        return
    path.write_bytes(data)


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("fuzz") / "base.duckdb"
    run = run_cli("load", copy_sample(db.parent / "sample"), "--db", db)
    assert run.code == 0, run.err
    return db


mutation = st.tuples(
    st.sampled_from(FILES),
    st.sampled_from(MUTATIONS),
    st.integers(0, 2**32 - 1),
    st.binary(max_size=12),
)


def check_one(
    base_db: Path,
    mutations: list[tuple[str, str, int, bytes]],
    timezone: str = "UTC",
    target: str = "snapshot",
    as_of: str | None = None,
) -> None:
    """Load the mutated folder over a copy of the sample's snapshot (or a new path, or a
    symbolic link to the copy), read in `timezone`; audit what loaded, as of `as_of`."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        tmp_path = Path(tmp)
        folder = copy_sample(tmp_path / "in")
        for name, kind, seed, blob in mutations:
            mutate(folder, name, kind, random.Random(seed), blob)
            FUZZ_STATS[kind] += 1
        db = tmp_path / "db" / "program.duckdb"
        db.parent.mkdir()
        if target != "new":
            shutil.copy2(base_db, db)
        before = db_fingerprint(db) if target != "new" else None
        given = db
        if target == "link":
            given = tmp_path / "current.duckdb"
            given.symlink_to(db)
        FUZZ_STATS["inputs"] += 1
        try:
            run = run_cli("load", folder, "--db", given, "--timezone", timezone)
        except BaseException:
            FUZZ_STATS["crashes"] += 1
            raise
        if run.code == INTERNAL_ERROR or "internal error" in run.err:
            FUZZ_STATS["crashes"] += 1
            pytest.fail(f"internal error: {run.err}")
        assert "Traceback" not in run.err + run.out
        assert leftovers(db) == []
        if run.code == 0:
            FUZZ_STATS["loaded"] += 1
            with duckdb.connect(str(db), read_only=True) as con:
                votes = con.execute("SELECT count(*) FROM votes").fetchone()[0]
            audit = run_cli("audit", "--db", given, "--format", "json")
            assert audit.code == 0, audit.err
            assert sum(row["votes"] for row in json.loads(audit.out)) == votes
            for line in run.err_lines:
                assert line.startswith(FILES) or line.startswith("warning: "), line
            if as_of is not None:
                early = run_cli("audit", "--db", given, "--format", "json", "--as-of", as_of)
                assert early.code != INTERNAL_ERROR and "Traceback" not in early.err, early.err
        else:
            FUZZ_STATS["refused"] += 1
            if run.code == 1:
                assert_clean_refusal(run)
            else:  # a bad --timezone: one line
                assert len(run.err_lines) == 1 and run.err.startswith("error: "), run.err
            if before is None:
                assert not db.exists()
            else:
                assert db_fingerprint(db) == before


FUZZ_SETTINGS = dict(
    deadline=None,
    derandomize=True,  # the same inputs every run: a fast, repeatable default suite
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(max_examples=100, **FUZZ_SETTINGS)
@given(mutations=st.lists(mutation, min_size=1, max_size=3))
def test_fuzzed_folder_loads_or_is_cleanly_refused(base_db, mutations):
    check_one(base_db, mutations)


@pytest.mark.heavy
@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=st.lists(mutation, min_size=1, max_size=5))
def test_fuzzed_folder_heavy(base_db, mutations):
    check_one(base_db, mutations)


@pytest.mark.heavy
@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mutations=st.lists(mutation, max_size=3),
    timezone=st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe", "Mars/Olympus"]),
    target=st.sampled_from(["snapshot", "new", "link"]),
    as_of=st.sampled_from([None, "2026-03-05", "2026-03-08T02:30", "9999-12-31T23:59:59-05:00"]),
)
def test_fuzzed_folder_and_arguments_heavy(base_db, mutations, timezone, target, as_of):
    """The files and the load's arguments fuzzed together: the zone the files are read
    in, what --db names (the snapshot, a new path, a link to it), an --as-of after."""
    check_one(base_db, mutations, timezone, target, as_of)


def test_zz_fuzz_stats():
    """Say how many fuzzed inputs were tried (run with -s to see it)."""
    print(f"\nfuzz: {dict(FUZZ_STATS)}")
    if FUZZ_STATS["inputs"]:
        assert FUZZ_STATS["crashes"] == 0
