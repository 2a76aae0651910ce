"""Read one RFC 4180 CSV file into a DuckDB staging table, keeping each record's line.

DuckDB splits the fields (fast, in parallel); this module first reads the raw bytes with
numpy to find every record's first line, blank lines, field counts, stray quotes and bad
UTF-8, so that each problem names the line where its record starts (contract §2), and
DuckDB only ever sees a file it will read exactly as we counted it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from endorse_analysis.problems import Problem

BOM = b"\xef\xbb\xbf"
MAX_RECORD_BYTES = 8 * 1024 * 1024
_NL, _QUOTE, _COMMA, _SPACE, _TAB = (ord(c) for c in '\n", \t')


@dataclass
class CsvTable:
    """A file read into the staging table `name`: header names, and each record's line."""

    name: str
    header: list[str]  # as written, trimmed
    record_lines: np.ndarray  # line number of the record staged at rowid i
    n_rows: int

    def line(self, rowid: int) -> int:
        return int(self.record_lines[rowid])


def _line_of(newlines: np.ndarray, pos: int | np.ndarray) -> int | np.ndarray:
    """Line number (1-based) of byte position `pos`, given the positions of every line break."""
    return np.searchsorted(newlines, pos, side="left") + 1


def _decode_problem(path: Path, data: bytes) -> Problem | None:
    if data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.start + 1].hex()
        return Problem(path.name, line, None, None, f"is not valid UTF-8 (byte 0x{bad})")
    return None


def read_csv_table(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, scratch: Path
) -> tuple[CsvTable | None, list[Problem]]:
    """Stage `path` as table `name` (all VARCHAR columns c0..cN), or say why it can't be."""
    data = path.read_bytes()
    fname = path.name
    if data.startswith(BOM):
        data = data[len(BOM) :]
    problem = _decode_problem(path, data)
    if problem:
        return None, [problem]
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, [Problem(fname, line, None, None, "contains a NUL byte")]
    if b"\r" in data:  # CRLF and lone CR are line breaks too; count each once.
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")

    buf = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buf == _NL)
    quotes = np.flatnonzero(buf == _QUOTE)
    if len(quotes) % 2:
        line = _line_of(newlines, quotes[-1])
        return None, [Problem(fname, int(line), None, None, "has a quoted field that is never closed")]

    # A line break ends a record unless it sits inside quotes (odd number of quotes before).
    inside = np.searchsorted(quotes, newlines) % 2 == 1
    ends = newlines[~inside]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(buf)]))
    keep = starts < len(buf)  # no empty record after a final line break
    starts, stops = starts[keep], stops[keep]

    # Blank records (only spaces or tabs) are skipped but keep their lines counted.
    text_mask = (buf != _SPACE) & (buf != _TAB) & (buf != _NL)
    text_count = np.concatenate(([0], np.cumsum(text_mask, dtype=np.int64)))
    blank = text_count[stops] - text_count[starts] == 0
    starts, stops = starts[~blank], stops[~blank]
    if len(starts) == 0:
        return None, [Problem(fname, 1, None, None, "has no header line")]
    lines = _line_of(newlines, starts)

    problems = _quote_placement_problems(fname, buf, quotes, newlines)
    too_long = np.flatnonzero(stops - starts > MAX_RECORD_BYTES)
    for i in too_long[:5]:
        problems.append(
            Problem(fname, int(lines[i]), None, None, f"has a record over {MAX_RECORD_BYTES} bytes")
        )
    if problems:
        return None, problems

    header_start, header_stop = int(starts[0]), int(stops[0])
    header = next(csv.reader(io.StringIO(data[header_start:header_stop].decode("utf-8"))))
    header = [h.strip(" \t") for h in header]
    n_fields = len(header)

    # Field count per record: commas outside quotes, plus one.
    commas = np.flatnonzero(buf == _COMMA)
    commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    record_of_comma = np.searchsorted(starts, commas, side="right") - 1
    fields = np.bincount(record_of_comma, minlength=len(starts)) + 1
    # A record with the wrong number of fields is reported and left out, so that the
    # other records are still read and checked: every problem is listed at once.
    wrong = fields != n_fields
    wrong[0] = False  # the header defines the count
    for i in np.flatnonzero(wrong):
        problems.append(
            Problem(fname, int(lines[i]), None, None,
                    f"has {fields[i]} fields, expected {n_fields} (one per header column)")
        )
    keep = ~wrong
    keep[0] = False
    starts, stops, lines = starts[keep], stops[keep], lines[keep]

    # Hand DuckDB the records after the header. When the file is already in that shape
    # (the usual case) DuckDB reads it in place, skipping line 1.
    untouched = len(data) == path.stat().st_size and header_start == 0
    if untouched and not blank.any() and not wrong.any() and (len(lines) == 0 or lines[0] == 2):
        source, skip = path, 1
    else:
        source, skip = scratch / f"{name}.body.csv", 0
        if blank.any() or wrong.any():
            body = b"\n".join(data[s:e] for s, e in zip(starts, stops, strict=True))
        else:
            body = data[header_stop + 1 :]
        source.write_bytes(body)
    columns = {f"c{i}": "VARCHAR" for i in range(n_fields)}
    n_rows = len(starts)
    if n_rows == 0:
        cols_sql = ", ".join(f"c{i} VARCHAR" for i in range(n_fields))
        con.execute(f"CREATE TEMP TABLE {name} ({cols_sql})")
    else:
        try:
            con.execute(
                f"CREATE TEMP TABLE {name} AS SELECT * FROM read_csv(?, auto_detect = false, "
                "header = false, skip = ?, delim = ',', quote = '\"', escape = '\"', "
                "new_line = '\\n', strict_mode = true, null_padding = false, "
                "max_line_size = ?, columns = ?)",
                [str(source), skip, MAX_RECORD_BYTES * 2, columns],
            )
        except duckdb.Error:
            # Never echo DuckDB's message: it quotes raw lines, dropped columns included.
            return None, [Problem(fname, None, None, None, "could not be read as RFC 4180 CSV")]
        finally:
            if source != path:
                source.unlink(missing_ok=True)
        staged = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        if staged != n_rows:
            return None, [
                Problem(fname, None, None, None, f"read {staged} records, expected {n_rows}")
            ]
    return CsvTable(name, header, lines, n_rows), problems


def _quote_placement_problems(
    fname: str, buf: np.ndarray, quotes: np.ndarray, newlines: np.ndarray
) -> list[Problem]:
    """RFC 4180: a quote opens a field right after a comma or line start, and closes it
    right before a comma, a line end or an escaped quote."""
    if len(quotes) == 0:
        return []
    n = len(buf)
    opening, closing = quotes[0::2], quotes[1::2]
    before = np.where(opening > 0, buf[np.maximum(opening - 1, 0)], _NL)
    bad_open = opening[(before != _COMMA) & (before != _NL) & (before != _QUOTE)]
    after = np.where(closing + 1 < n, buf[np.minimum(closing + 1, n - 1)], _NL)
    bad_close = closing[(after != _COMMA) & (after != _NL) & (after != _QUOTE)]
    # An opening quote after a quote is fine only when that quote closed the field just
    # before ("" inside a quoted field); a closing quote before a quote likewise.
    problems = []
    for pos in np.sort(np.concatenate((bad_open, bad_close)))[:20]:
        problems.append(
            Problem(
                fname,
                int(_line_of(newlines, pos)),
                None,
                None,
                "has a quote inside an unquoted field or text after a closing quote",
            )
        )
    return problems
