"""Scan one RFC 4180 CSV file: its header, and the line where each record starts.

In: the path of one input file. Out: a `CsvSource` (what DuckDB should read, and the
line each record starts on) and the problems found in its structure.

DuckDB splits the fields (fast, in parallel); this module first reads the raw bytes with
numpy to find every record's first line, blank lines, field counts, stray quotes and bad
UTF-8, so that each problem names the line where its record starts (contract §2), and
DuckDB only ever reads a file whose records are exactly the ones counted here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from endorse_analysis.ingest.problems import Problem

BOM = b"\xef\xbb\xbf"
MAX_RECORD_BYTES = 8 * 1024 * 1024
_NL, _QUOTE, _COMMA, _SPACE, _TAB = (ord(c) for c in '\n", \t')


@dataclass
class CsvSource:
    """A scanned file: DuckDB reads `path` (skipping `skip` lines) as `n_rows` records of
    `len(header)` fields; record i starts on line `record_lines[i]` of the original."""

    filename: str
    path: Path
    skip: int
    header: list[str]  # as written, trimmed
    record_lines: np.ndarray

    @classmethod
    def empty(cls, filename: str, header: list[str]) -> CsvSource:
        """An optional file the folder leaves out: its columns, no records."""
        return cls(filename, Path(filename), 0, list(header), np.zeros(0, dtype=np.int64))

    @property
    def n_rows(self) -> int:
        return len(self.record_lines)

    def line(self, rowid: int) -> int:
        return int(self.record_lines[rowid])

    def read_csv_sql(self) -> tuple[str, list[object]]:
        """A read_csv(...) call giving columns c0..cN as text, in file order, and its values.
        A file with only its header gives an empty relation of the same columns."""
        columns = {f"c{i}": "VARCHAR" for i in range(len(self.header))}
        if self.n_rows == 0:
            nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in columns)
            return f"(SELECT {nulls} WHERE false)", []
        return (
            "read_csv(?, auto_detect = false, header = false, skip = ?, delim = ',', "
            "quote = '\"', escape = '\"', new_line = '\\n', strict_mode = true, "
            "null_padding = false, max_line_size = ?, columns = ?)",
            [str(self.path), self.skip, MAX_RECORD_BYTES * 2, columns],
        )


def _line_of(newlines: np.ndarray, pos: int | np.ndarray) -> int | np.ndarray:
    """Line number (1-based) of byte position `pos`, given the positions of every line break."""
    return np.searchsorted(newlines, pos, side="left") + 1


def _encoding_problem(fname: str, data: bytes) -> Problem | None:
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + data.count(b"\r", 0, err.start) + 1
            bad = data[err.start : err.start + 1].hex()
            return Problem(fname, line, None, None, f"is not valid UTF-8 (byte 0x{bad})")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return Problem(fname, line, None, None, "contains a NUL byte")
    return None


def scan_csv(path: Path, scratch: Path) -> tuple[CsvSource | None, list[Problem]]:
    """Scan `path`; return what DuckDB should read, and the problems found.

    A record with the wrong number of fields is reported and left out, so that the other
    records are still checked and every problem is listed at once. A file whose structure
    can't be trusted (bad UTF-8, a quote out of place, no header) gives no source at all.
    """
    fname = path.name
    data = path.read_bytes()
    original_size = len(data)
    if data.startswith(BOM):
        data = data[len(BOM) :]
    problem = _encoding_problem(fname, data)
    if problem:
        return None, [problem]
    has_cr = b"\r" in data
    if has_cr:  # CRLF and a lone CR are line breaks too; each counts once.
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")

    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == _NL)
    quotes = np.flatnonzero(buf == _QUOTE)
    if len(quotes) % 2:
        line = int(_line_of(newlines, quotes[-1]))
        return None, [Problem(fname, line, None, None, "has a quoted field that is never closed")]
    problems = _quote_placement_problems(fname, buf, quotes, newlines)
    if problems:
        return None, problems

    # A line break ends a record unless it sits inside quotes (odd number of quotes before).
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0] if len(quotes) else newlines
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    keep = starts < len(buf)  # no empty record after the final line break
    starts, stops = starts[keep], stops[keep]

    # Blank records (nothing, or only spaces and tabs) are skipped; their lines still count.
    blank = stops == starts
    nonempty = np.flatnonzero(~blank)
    first = buf[starts[nonempty]]
    for i in nonempty[(first == _SPACE) | (first == _TAB)]:
        blank[i] = not data[starts[i] : stops[i]].strip(b" \t")
    starts, stops = starts[~blank], stops[~blank]
    if len(starts) == 0:
        return None, [Problem(fname, 1, None, None, "has no header line")]
    lines = _line_of(newlines, starts)

    too_long = np.flatnonzero(stops - starts > MAX_RECORD_BYTES)
    if len(too_long):
        line = int(lines[too_long[0]])
        return None, [
            Problem(fname, line, None, None, f"has a record over {MAX_RECORD_BYTES:,} bytes")
        ]

    header_stop = int(stops[0])
    header = next(csv.reader(io.StringIO(data[starts[0] : header_stop].decode("utf-8"))))
    header = [h.strip(" \t") for h in header]
    n_fields = len(header)

    # Fields per record: the commas outside quotes between its start and stop, plus one.
    commas = np.flatnonzero(buf == _COMMA)
    if len(quotes):
        commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    fields = np.searchsorted(commas, stops) - np.searchsorted(commas, starts) + 1
    wrong = fields != n_fields
    wrong[0] = False
    for i in np.flatnonzero(wrong):
        problems.append(
            Problem(
                fname,
                int(lines[i]),
                None,
                None,
                f"has {fields[i]} fields, expected {n_fields} (one per header column)",
            )
        )
    # A lone CR keeps the size the same, yet DuckDB must read the converted bytes.
    rewrite = has_cr or wrong.any() or blank.any() or lines[0] != 1
    rewrite = rewrite or len(data) != original_size
    keep = ~wrong
    keep[0] = False  # the header
    starts, stops, lines = starts[keep], stops[keep], lines[keep]
    if len(lines) and lines[0] != 2:
        rewrite = True  # the header spans lines: skip=1 would not skip it

    if not rewrite:
        return CsvSource(fname, path, 1, header, lines), problems
    body = scratch / f"{path.stem}.body.csv"
    with body.open("wb") as out:
        if wrong.any() or blank.any():
            for s, e in zip(starts, stops, strict=True):
                out.write(data[s:e])
                out.write(b"\n")
        else:
            out.write(data[header_stop + 1 :])
    return CsvSource(fname, body, 0, header, lines), problems


def _quote_placement_problems(
    fname: str, buf: np.ndarray, quotes: np.ndarray, newlines: np.ndarray
) -> list[Problem]:
    """RFC 4180: a quote opens a field right after a comma or a line break, and closes it
    right before a comma, a line break, the end, or the quote of an escaped pair."""
    if len(quotes) == 0:
        return []
    n = len(buf)
    opening, closing = quotes[0::2], quotes[1::2]
    before = np.where(opening > 0, buf[np.maximum(opening - 1, 0)], _NL)
    bad_open = opening[(before != _COMMA) & (before != _NL) & (before != _QUOTE)]
    after = np.where(closing + 1 < n, buf[np.minimum(closing + 1, n - 1)], _NL)
    bad_close = closing[(after != _COMMA) & (after != _NL) & (after != _QUOTE)]
    bad_lines = np.unique(_line_of(newlines, np.concatenate((bad_open, bad_close))))
    return [
        Problem(
            fname,
            int(line),
            None,
            None,
            "has a quote inside an unquoted field, or text after a closing quote",
        )
        for line in bad_lines[:20]  # one problem per line, even with several stray quotes
    ]
