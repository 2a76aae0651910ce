"""Scan one RFC 4180 CSV file: its header, and the line where each record starts.

In: the path of one input file. Out: a `CsvSource` (what DuckDB should read, and the
line each record starts on) and the problems found in its structure.

DuckDB splits the fields (fast, in parallel); this module first reads the raw bytes with
numpy to find every record's first line, blank lines, field counts, stray quotes and bad
UTF-8, so that each problem names the line where its record starts (docs/rules.md §2), and
DuckDB only ever reads a file whose records are exactly the ones counted here.

The bytes are read in chunks of CHUNK_BYTES, never whole: what the scan holds at once is
a few chunks and their positions, the record being read (at most MAX_RECORD_BYTES), 4
bytes per record kept (its line) and the first MAX_LISTED problems of a kind; so a
hostile file (all blank lines, all quotes, one huge field, millions of short records)
costs no more memory than a well-formed one. Where DuckDB must not read the file as it
is (line breaks other than LF, blank or refused records, a byte-order mark, a header not
on line 1), a second pass writes the records to keep into the scratch folder.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from endorse_analysis.ingest.problems import Problem

BOM = b"\xef\xbb\xbf"
MAX_RECORD_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 1 << 19
MAX_LISTED = 100  # problems of one kind listed; the count of the rest stays exact
MAX_QUOTE_LINES = 20
_NL, _CR, _QUOTE, _COMMA, _SPACE, _TAB = (ord(c) for c in '\n\r", \t')
_SEPARATORS = np.array([_COMMA, _NL, _QUOTE], dtype=np.uint8)


class RecordLines:
    """The line each kept record starts on, in chunks of 4 bytes a record (8 where a line
    number passes 2**32)."""

    def __init__(self) -> None:
        self._parts: list[np.ndarray] = []
        self._ends: list[int] = []

    def extend(self, lines: np.ndarray) -> None:
        if len(lines):
            small = int(lines[-1]) < 2**32  # lines only grow
            self._parts.append(lines.astype(np.uint32 if small else np.int64))
            self._ends.append(len(self) + len(lines))

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, row: int) -> int:
        part = bisect.bisect_right(self._ends, row)
        start = self._ends[part - 1] if part else 0
        return int(self._parts[part][row - start])

    def first(self) -> int | None:
        return self[0] if len(self) else None


@dataclass
class CsvSource:
    """A scanned file: DuckDB reads `path` (skipping `skip` lines) as `n_rows` records of
    `len(header)` fields; record i starts on line `record_lines[i]` of the original."""

    filename: str
    path: Path
    skip: int
    header: list[str]  # as written, trimmed
    record_lines: RecordLines

    @classmethod
    def empty(cls, filename: str, header: list[str]) -> CsvSource:
        """An optional file the folder leaves out: its columns, no records."""
        return cls(filename, Path(filename), 0, list(header), RecordLines())

    @property
    def n_rows(self) -> int:
        return len(self.record_lines)

    def line(self, rowid: int) -> int:
        return self.record_lines[rowid]

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


# --- reading the bytes in chunks ---------------------------------------------------------


def _incomplete_utf8_tail(data: bytes) -> int:
    """How many bytes at the end of `data` begin a UTF-8 sequence that the next chunk
    completes (0 when none)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return 0
        if byte >= 0xC0:  # a lead byte: how long its sequence is
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4 if byte < 0xF8 else 1
            return back if need > back else 0
    return 0


def _normalized_chunks(handle: BinaryIO, size: int) -> Iterator[tuple[bytes, bool, bool]]:
    """The file's bytes in chunks, each ending on a character boundary, with a leading
    byte-order mark dropped and CRLF and lone CR turned into LF (each a line break, once):
    (chunk, whether it held a CR, whether a mark was dropped)."""
    carry = b""
    first = True
    while True:
        read = handle.read(max(size, len(BOM)) if first else size)
        data = carry + read
        if first:
            first = False
            if data.startswith(BOM):
                data = data[len(BOM) :]
                yield b"", False, True
        if not read:  # the end: what was held back is all there is
            if data:
                yield data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), b"\r" in data, False
            return
        cut = len(data)
        if data.endswith(b"\r"):  # its LF may open the next chunk
            cut -= 1
        else:
            cut -= _incomplete_utf8_tail(data)
        data, carry = data[:cut], data[cut:]
        if not data:  # all held back: read on
            continue
        if b"\r" in data:
            yield data.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), True, False
        else:
            yield data, False, False


@dataclass
class _Block:
    """The records that end within one chunk: where each starts and stops (offsets in the
    normalized file), its first line, its fields, whether it is blank."""

    data: bytes
    offset: int
    starts: np.ndarray
    stops: np.ndarray
    lines: np.ndarray
    fields: np.ndarray
    blank: np.ndarray
    head: bytes  # the bytes of the first record before this chunk (at most a record's worth)


@dataclass
class _Scanner:
    """Splits the normalized file into records, chunk by chunk, and notes what the checks
    need on the way: CRs, a byte-order mark, bad UTF-8, NUL bytes, stray quotes."""

    fname: str
    size: int = CHUNK_BYTES
    offset: int = 0  # of the current chunk in the normalized file
    newlines: int = 0  # line breaks before it
    quotes: int = 0  # quotes before it
    previous: int = _NL  # the byte before it (the file's start counts as a line break)
    record_start: int = 0
    record_line: int = 1
    record_commas: int = 0
    record_blank: bool = True
    record_bytes: bytearray = field(default_factory=bytearray)
    has_cr: bool = False
    had_bom: bool = False
    bad_utf8: Problem | None = None
    nul: Problem | None = None
    quote_lines: list[int] = field(default_factory=list)
    last_quote_line: int = 0

    def blocks(self, handle: BinaryIO) -> Iterator[_Block]:
        chunks = _normalized_chunks(handle, self.size)
        pending: tuple[bytes, bool, bool] | None = None
        for chunk in chunks:
            if pending is not None:
                yield from self._records_in(pending[0], chunk[0][:1] or None)
            pending = chunk
            self.has_cr |= chunk[1]
            self.had_bom |= chunk[2]
            if self.bad_utf8:
                return
        if pending is not None:
            yield from self._records_in(pending[0], None)
        if self.bad_utf8:
            return
        yield from self._end()

    def _records_in(self, data: bytes, after: bytes | None) -> Iterator[_Block]:
        """The records ending in `data`; `after` is the byte that follows it (None: end)."""
        if not data:
            return
        self._check_encoding(data)
        if self.bad_utf8:
            return
        buf = np.frombuffer(data, dtype=np.uint8)
        newlines = np.flatnonzero(buf == _NL)
        quotes = np.flatnonzero(buf == _QUOTE)
        if len(quotes):
            self._check_quotes(buf, quotes, newlines, after)
        commas = np.flatnonzero(buf == _COMMA)
        # Only line breaks and commas outside quotes end records and separate fields.
        if len(quotes) or self.quotes % 2:
            ending = np.flatnonzero((np.searchsorted(quotes, newlines) + self.quotes) % 2 == 0)
            commas = commas[(np.searchsorted(quotes, commas) + self.quotes) % 2 == 0]
        else:
            ending = np.arange(len(newlines))
        ends = newlines[ending]
        starts = np.concatenate(([0], ends + 1))  # the first continues the open record
        stops = np.concatenate((ends, [len(buf)]))
        commas_in = np.searchsorted(commas, stops) - np.searchsorted(commas, starts)
        blank = _blank(buf, starts, stops)
        # A record after the line break numbered k (from 0) starts on line k + 2.
        lines = np.concatenate(([self.record_line], ending + self.newlines + 2))
        n = len(ends)
        if n:
            first_commas = self.record_commas + int(commas_in[0])
            first_blank = self.record_blank and bool(blank[0])
            head = bytes(self.record_bytes)
            fields = commas_in[:n] + 1
            fields[0] = first_commas + 1
            blank_done = blank[:n].copy()
            blank_done[0] = first_blank
            starts_done = starts[:n] + self.offset
            starts_done[0] = self.record_start
            yield _Block(
                data,
                self.offset,
                starts_done,
                stops[:n] + self.offset,
                lines[:n],
                fields,
                blank_done,
                head,
            )
            self.record_start = int(starts[n]) + self.offset
            self.record_line = int(lines[n])
            self.record_commas = int(commas_in[n])
            self.record_blank = bool(blank[n])
            self.record_bytes = bytearray()
        else:
            self.record_commas += int(commas_in[0])
            self.record_blank = self.record_blank and bool(blank[0])
        self._hold(data[int(starts[n]) :])
        self.offset += len(buf)
        self.newlines += len(newlines)
        self.quotes += len(quotes)
        self.previous = int(buf[-1])

    def _hold(self, part: bytes) -> None:
        """Keep the open record's bytes, up to one more than a record may have."""
        room = MAX_RECORD_BYTES + 1 - len(self.record_bytes)
        if room > 0:
            self.record_bytes += part[:room]

    def _end(self) -> Iterator[_Block]:
        """The last record, when the file does not end with a line break."""
        if self.offset > self.record_start:
            yield _Block(
                b"",
                self.offset,
                np.array([self.record_start]),
                np.array([self.offset]),
                np.array([self.record_line]),
                np.array([self.record_commas + 1]),
                np.array([self.record_blank]),
                bytes(self.record_bytes),
            )

    def _check_encoding(self, data: bytes) -> None:
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                line = self.newlines + data.count(b"\n", 0, err.start) + 1
                bad = data[err.start : err.start + 1].hex()
                self.bad_utf8 = Problem(
                    self.fname, line, None, None, f"is not valid UTF-8 (byte 0x{bad})"
                )
                return
        if self.nul is None and b"\x00" in data:
            line = self.newlines + data.count(b"\n", 0, data.index(b"\x00")) + 1
            self.nul = Problem(self.fname, line, None, None, "contains a NUL byte")

    def _check_quotes(
        self, buf: np.ndarray, quotes: np.ndarray, newlines: np.ndarray, after: bytes | None
    ) -> None:
        """RFC 4180: a quote opens a field right after a comma or a line break, and closes
        it right before a comma, a line break, the end, or the quote of an escaped pair."""
        n = len(buf)
        opening = (np.arange(len(quotes)) + self.quotes) % 2 == 0
        before = np.where(quotes > 0, buf[np.maximum(quotes - 1, 0)], self.previous)
        following = _NL if after is None else after[0]
        behind = np.where(quotes + 1 < n, buf[np.minimum(quotes + 1, n - 1)], following)
        bad = np.where(opening, ~np.isin(before, _SEPARATORS), ~np.isin(behind, _SEPARATORS))
        self.last_quote_line = int(np.searchsorted(newlines, quotes[-1])) + self.newlines + 1
        if bad.any() and len(self.quote_lines) < MAX_QUOTE_LINES:
            for line in np.searchsorted(newlines, quotes[bad]) + self.newlines + 1:
                if not self.quote_lines or self.quote_lines[-1] != line:
                    self.quote_lines.append(int(line))
            del self.quote_lines[MAX_QUOTE_LINES:]


def _blank(buf: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Which of the spans [start, stop) of `buf` hold nothing but spaces and tabs. Only a
    span that begins with one needs a look at its other bytes."""
    blank = stops == starts
    first = buf[np.minimum(starts, len(buf) - 1)]
    spacey = ~blank & ((first == _SPACE) | (first == _TAB))
    if spacey.any():
        filled = np.flatnonzero((buf != _SPACE) & (buf != _TAB) & (buf != _NL))
        inside = np.searchsorted(filled, stops[spacey]) - np.searchsorted(filled, starts[spacey])
        blank[spacey] = inside == 0
    return blank


# --- the scan ------------------------------------------------------------------------------


@dataclass
class _Shape:
    """What the first pass found: the header, the records to keep and those refused."""

    header: list[str] | None = None
    header_line: int = 0
    n_fields: int = 0
    kept: RecordLines = field(default_factory=RecordLines)
    wrong: list[Problem] = field(default_factory=list)
    wrong_count: int = 0
    any_blank: bool = False
    too_long_line: int | None = None


def scan_csv(
    path: Path, scratch: Path, chunk_bytes: int = CHUNK_BYTES
) -> tuple[CsvSource | None, list[Problem]]:
    """Scan `path`; return what DuckDB should read, and the problems found.

    A record with the wrong number of fields is reported and left out, so that the other
    records are still checked and every problem is listed at once. A file whose structure
    can't be trusted (bad UTF-8, a quote out of place, no header) gives no source at all.
    """
    fname = path.name
    scanner = _Scanner(fname, chunk_bytes)
    shape = _Shape()
    with path.open("rb") as handle:
        for block in scanner.blocks(handle):
            _take(block, shape, fname)
    if scanner.bad_utf8:
        return None, [scanner.bad_utf8]
    if scanner.nul:
        return None, [scanner.nul]
    if scanner.quotes % 2:
        never = "has a quoted field that is never closed"
        return None, [Problem(fname, scanner.last_quote_line, None, None, never)]
    if scanner.quote_lines:
        misplaced = "has a quote inside an unquoted field, or text after a closing quote"
        return None, [Problem(fname, line, None, None, misplaced) for line in scanner.quote_lines]
    if shape.header is None:
        return None, [Problem(fname, 1, None, None, "has no header line")]
    if shape.too_long_line is not None:
        too_long = f"has a record over {MAX_RECORD_BYTES:,} bytes"
        return None, [Problem(fname, shape.too_long_line, None, None, too_long)]

    problems = list(shape.wrong)
    if shape.wrong_count > len(shape.wrong):
        more = shape.wrong_count - len(shape.wrong)
        problems.append(
            Problem(fname, None, None, None, f"… and {more:,} more like these", count=more)
        )
    first_kept = shape.kept.first()
    rewrite = scanner.has_cr or scanner.had_bom or shape.wrong_count or shape.any_blank
    rewrite = rewrite or shape.header_line != 1
    rewrite = rewrite or (first_kept is not None and first_kept != 2)  # a header on 2+ lines
    if not rewrite:
        return CsvSource(fname, path, 1, shape.header, shape.kept), problems
    body = scratch / f"{path.stem}.body.csv"
    _write_kept(path, body, shape.n_fields, _Scanner(fname, chunk_bytes))
    return CsvSource(fname, body, 0, shape.header, shape.kept), problems


def _take(block: _Block, shape: _Shape, fname: str) -> None:
    """Note a block's records: the header (the first record that is not blank), records
    over MAX_RECORD_BYTES, records with the wrong number of fields, lines of those kept."""
    keep = ~block.blank
    shape.any_blank |= bool(block.blank.any())
    if not keep.any():
        return
    long = keep & (block.stops - block.starts > MAX_RECORD_BYTES)
    if long.any() and shape.too_long_line is None:
        shape.too_long_line = int(block.lines[np.argmax(long)])
    if shape.header is None:
        first = int(np.argmax(keep))
        shape.header_line = int(block.lines[first])
        text = _record_bytes(block, first)
        if len(text) <= MAX_RECORD_BYTES:
            shape.header = [h.strip(" \t") for h in next(csv.reader(io.StringIO(_text(text))))]
        else:
            shape.header = []
        shape.n_fields = len(shape.header)
        keep[first] = False
    wrong = keep & (block.fields != shape.n_fields)
    if wrong.any():
        for line, fields in zip(block.lines[wrong], block.fields[wrong], strict=True):
            if len(shape.wrong) >= MAX_LISTED:
                break
            message = f"has {fields} fields, expected {shape.n_fields} (one per header column)"
            shape.wrong.append(Problem(fname, int(line), None, None, message))
        shape.wrong_count += int(wrong.sum())
    shape.kept.extend(block.lines[keep & ~wrong])


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _record_bytes(block: _Block, i: int) -> bytes:
    """The bytes of record i of a block (the first one may begin in earlier chunks)."""
    start, stop = int(block.starts[i]) - block.offset, int(block.stops[i]) - block.offset
    if start >= 0:
        return block.data[start:stop]
    return block.head + block.data[:stop]


def _write_kept(path: Path, body: Path, n_fields: int, scanner: _Scanner) -> None:
    """Second pass: write the records to keep (not blank, not the header, the right number
    of fields), normalized, one per line, in runs of consecutive records."""
    header_seen = False
    with path.open("rb") as handle, body.open("wb") as out:
        for block in scanner.blocks(handle):
            keep = ~block.blank
            if not header_seen and keep.any():
                keep[int(np.argmax(keep))] = False
                header_seen = True
            keep &= block.fields == n_fields
            if not keep.any():
                continue
            if block.starts[0] < block.offset and keep[0]:  # begun in an earlier chunk
                out.write(_record_bytes(block, 0) + b"\n")
                keep[0] = False
            # Consecutive kept records are one slice of the chunk.
            edges = np.flatnonzero(
                np.diff(np.concatenate(([False], keep, [False])).astype(np.int8))
            )
            for first, last in zip(edges[0::2], edges[1::2] - 1, strict=True):
                start = int(block.starts[first]) - block.offset
                stop = int(block.stops[last]) - block.offset
                out.write(block.data[start:stop])
                out.write(b"\n")
