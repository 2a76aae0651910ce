"""Helpers shared by the unit, integration and robustness tests: the command line run in
this process, copies of the sample to break (lines, cells, columns), what a database and a
rendered page hold, and what a clean refusal looks like.

Not a conftest: import it with ``from helpers import ...`` (tests/conftest.py puts this
folder on sys.path).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from endorse_analysis.ingest.schema import INPUT_FILES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
FILES = tuple(spec.filename for spec in INPUT_FILES if not spec.optional)
SAMPLE_WAVES = ("2026-03", "2026-04")
# What a refusal may print besides its problem lines.
REFUSAL_SUMMARY_PREFIX = "load refused: "
MORE_PREFIX = "… and "
INTERNAL_ERROR = 70  # cli.main's exit code for an exception it did not expect (a bug)


@dataclass
class Run:
    """One in-process run of the command line."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def run_cli(*argv: object) -> Run:
    """Run `endorse-analysis ARGV` in this process (cli.main), capturing stdout/stderr.

    Any exception that escapes main() is an uncaught crash and propagates to the test.
    """
    from endorse_analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return Run(code, out.getvalue(), err.getvalue())


def synthetic_db(root: Path, members: int) -> Path:
    """A synthetic program of `members` members written under `root` and loaded into
    `root`/demo.duckdb."""
    from endorse_analysis.ingest import load_folder
    from endorse_analysis.synthetic import write_demo

    write_demo(root / "csv", members=members)
    load_folder(root / "csv", root / "demo.duckdb")
    return root / "demo.duckdb"


def copy_sample(dst: Path) -> Path:
    """A fresh copy of the eight CSV files of data/sample in `dst` (created)."""
    dst.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(SAMPLE / name, dst / name)
    return dst


# --- editing a folder ------------------------------------------------------------------


def read_bytes(folder: Path, name: str) -> bytes:
    return (folder / name).read_bytes()


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


def file_lines(folder: Path, name: str) -> list[str]:
    """The physical lines of a file (text, no line ends)."""
    return (folder / name).read_text(encoding="utf-8").split("\n")[:-1]


def set_lines(folder: Path, name: str, lines: list[str]) -> None:
    (folder / name).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def append_lines(folder: Path, name: str, *lines: str) -> int:
    """Append records; return the line number of the first appended one."""
    current = file_lines(folder, name)
    set_lines(folder, name, current + list(lines))
    return len(current) + 1


def replace_line(folder: Path, name: str, line_no: int, text: str) -> None:
    lines = file_lines(folder, name)
    lines[line_no - 1] = text
    set_lines(folder, name, lines)


def read_table(folder: Path, name: str) -> tuple[list[str], list[list[str]]]:
    with (folder / name).open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_table(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def set_cell(folder: Path, name: str, line_no: int, column: str, value: str) -> None:
    """Set `column` of the record on physical line `line_no` (files without quoted breaks)."""
    header, rows = read_table(folder, name)
    rows[line_no - 2][header.index(column)] = value
    write_table(folder, name, header, rows)


def drop_column(folder: Path, name: str, column: str) -> None:
    header, rows = read_table(folder, name)
    i = header.index(column)
    write_table(folder, name, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])


def add_column(folder: Path, name: str, column: str, value: str) -> None:
    header, rows = read_table(folder, name)
    write_table(folder, name, header + [column], [r + [value] for r in rows])


# --- a database, before and after -------------------------------------------------------


def db_fingerprint(db: Path) -> dict[str, object]:
    """What must not change when a load is refused: the file's bytes, size and mtime."""
    stat = db.stat()
    return {
        "sha256": hashlib.sha256(db.read_bytes()).hexdigest(),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def db_outputs(db: Path, waves: tuple[str, ...] = SAMPLE_WAVES) -> dict[str, object]:
    """The program's own view of a database: tally of each wave and audit, as JSON."""
    views: dict[str, object] = {}
    for wave in waves:
        run = run_cli("tally", "--db", db, "--wave", wave, "--format", "json")
        assert run.code == 0, run.err
        views[f"tally {wave}"] = json.loads(run.out)
    run = run_cli("audit", "--db", db, "--format", "json")
    assert run.code == 0, run.err
    views["audit"] = json.loads(run.out)
    return views


def leftovers(db: Path) -> list[str]:
    """Temporary files or folders of a load left beside `db` (name.tmp-PID...)."""
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name + ".tmp-"))


def assert_clean_refusal(run: Run, *, files: tuple[str, ...] = FILES) -> None:
    """Exit non-zero, no traceback, and every line names a file (or is the summary)."""
    assert run.code != 0, f"expected a refusal, got exit 0:\n{run.out}\n{run.err}"
    assert run.code != INTERNAL_ERROR and "internal error" not in run.err, run.err
    assert "Traceback" not in run.err and "Traceback" not in run.out
    lines = run.err_lines
    assert lines, "a refusal says why"
    for line in lines:
        if line.startswith((REFUSAL_SUMMARY_PREFIX, MORE_PREFIX)):
            continue
        assert line.startswith(files), f"names no file: {line!r}"
    if run.code == 1 and any(line.startswith(REFUSAL_SUMMARY_PREFIX) for line in lines):
        assert lines[-1].startswith(REFUSAL_SUMMARY_PREFIX)


def env_with_src() -> dict[str, str]:
    """Environment for a subprocess that runs the package from this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


# --- reading rendered pages ---------------------------------------------------------------


def page_figures(path: Path) -> dict:
    """The figures a rendered page embeds for machines."""
    import re

    text = path.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="endorse-figures">(.*?)</script>', text, re.S
    )
    assert found, f"{path} embeds no figures"
    return json.loads(found.group(1))


def shown_figures(text: str) -> dict[str, str]:
    """What a page's headline shows people, by its data-figure marks: the text of each
    (numbers without their thousands separators), or its data-value where it has one."""
    from html.parser import HTMLParser

    class Marks(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.shown: dict[str, str] = {}
            self.open: list[str] = []

        def handle_starttag(self, tag, attrs):
            found = dict(attrs)
            if "data-figure" in found:
                name = found["data-figure"]
                if "data-value" in found:
                    self.shown[name] = found["data-value"]
                else:
                    self.open.append(name)
                    self.shown[name] = ""

        def handle_endtag(self, tag):
            if self.open:
                self.open.pop()

        def handle_data(self, data):
            if self.open:
                self.shown[self.open[-1]] += data.replace(",", "").strip()

    parser = Marks()
    parser.feed(text)
    return parser.shown


def html_tables(text: str) -> list[list[list[str]]]:
    """Every <table> of a page as rows of cell texts (header row first)."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None and self.tables:
                self.tables[-1][-1].append("".join(self.cell).strip())
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed(text)
    return parser.tables


def table_with(text: str, first_header: str) -> list[list[str]]:
    """The first table of a page whose first header cell is `first_header`."""
    for table in html_tables(text):
        if table and table[0] and table[0][0] == first_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}")


# --- the member lists handed to the list tool (lists, mailings) -------------------------

MODEL_TABLES = (
    "waves", "races", "candidates", "groups", "endorsements", "vetting", "members", "votes",
)  # fmt: skip


def program_of(db: Path) -> dict[str, list[dict]]:
    """The loaded tables as the model (tests/model.py) reads a program: lists of rows."""
    import endorse_analysis as ea
    from endorse_analysis.api.frames import plain_records

    with ea.connect(db) as con:
        return {t: plain_records(con.execute(f"SELECT * FROM {t}").df()) for t in MODEL_TABLES}


def read_ids(path: Path) -> list[str]:
    """The ids of a list written for the list tool: one `user_id` column."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["user_id"]
    return [row[0] for row in rows[1:]]
