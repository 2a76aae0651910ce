"""ingest/csvfile: the scan reads in chunks, and where a chunk ends changes nothing.

Each input is scanned with the real chunk size and with chunks of a few bytes, which puts
a boundary inside every CRLF, every escaped quote, every UTF-8 sequence and every record:
the problems, the header, the line of every record and the bytes DuckDB reads must be the
same. Well-formed files are also read back with Python's csv module.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from endorse_analysis.ingest.csvfile import MAX_LISTED, scan_csv

TOKENS = [
    b"a",
    b"bc",
    b",",
    b'"',
    b'""',
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\t",
    "é".encode(),
    "€".encode(),
    b"\x00",
    b"\xff",
    b"\xe2\x82",
]


def scanned(data: bytes, chunk: int) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "votes.csv"
        path.write_bytes(data)
        source, problems = scan_csv(path, Path(tmp), chunk_bytes=chunk)
        if source is None:
            return [str(p) for p in problems], None
        lines = [source.line(i) for i in range(source.n_rows)]
        body = source.path.read_bytes() if source.path != path else None
        return [str(p) for p in problems], (source.header, source.skip, lines, body)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    st.booleans(),
    st.lists(st.sampled_from(TOKENS), max_size=60),
    st.integers(1, 9),
)
def test_where_a_chunk_ends_changes_nothing(bom, tokens, chunk):
    data = (b"\xef\xbb\xbf" if bom else b"") + b"".join(tokens)
    assert scanned(data, chunk) == scanned(data, 1 << 20)


field = st.text(alphabet=st.sampled_from('ab,"\n\r é'), max_size=6)


def line(row: list[str]) -> str:
    """RFC 4180: a field with a comma, a quote or a line break is quoted."""
    return ",".join(
        '"' + f.replace('"', '""') + '"' if any(c in f for c in ',"\r\n') else f for f in row
    )


@SETTINGS
@given(
    st.integers(1, 4),
    st.data(),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.integers(1, 9),
)
def test_well_formed_files_read_as_the_csv_module_reads_them(n_fields, data, newline, chunk):
    rows = data.draw(st.lists(st.lists(field, min_size=n_fields, max_size=n_fields), max_size=8))
    header = [f"c{i}" for i in range(n_fields)]
    data_bytes = "".join(line(r) + newline for r in [header, *rows]).encode()
    problems, found = scanned(data_bytes, chunk)

    # A row written as nothing but spaces is a blank record: skipped, its lines counted.
    def blank(row):
        return line(row).strip(" ") == ""

    assert problems == []
    got_header, _, lines, body = found
    assert got_header == header
    kept = [r for r in rows if not blank(r)]
    assert len(lines) == len(kept)
    text = body.decode() if body is not None else data_bytes.decode().split(newline, 1)[1]
    assert list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))) == [
        [f.replace("\r\n", "\n").replace("\r", "\n") for f in r] for r in kept
    ]


def test_problems_of_one_kind_are_listed_then_counted(tmp_path):
    """A million records with the wrong number of fields: the first MAX_LISTED are named,
    the rest counted exactly (so the refusal's total stays right)."""
    path = tmp_path / "votes.csv"
    path.write_bytes(b"a,b\n" + b"x\n" * 1_000_000)
    source, problems = scan_csv(path, tmp_path)
    assert source is not None and source.n_rows == 0
    assert len(problems) == MAX_LISTED + 1
    assert str(problems[0]) == "votes.csv line 2: has 1 fields, expected 2 (one per header column)"
    assert problems[-1].count == 1_000_000 - MAX_LISTED
    assert sum(p.count for p in problems) == 1_000_000
