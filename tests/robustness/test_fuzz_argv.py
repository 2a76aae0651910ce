"""Fuzzing every command through its arguments: zero tracebacks, zero "internal error".

Hypothesis draws, for each command, a list of its options (some left out, some given
twice, unknown ones, values missing) with values from pools that mix what works (the
sample's database and waves, valid thresholds and instants) with what does not (junk
files, folders, FIFOs, symbolic links, paths inside the input folder, text with control
characters, bytes that are not UTF-8, huge numbers, decimals in other forms, local times
a zone skips). Every run must end in main() returning: exit 0, or a non-zero exit that is
not 70 (an exception we did not expect) with no traceback and no "internal error".

All paths are inside a private working folder. `demo` always gets --no-render and a
--members from the pool (its default builds half a million members); `report` and
`reports` render with the placeholder notebooks when their arguments happen to work.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import INTERNAL_ERROR, copy_sample, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WORK = "fuzzwork"
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("\x1b\r\n\t'\"%;-/."),
    max_size=12,
)
OUTCOMES: Counter = Counter()
not_utf8 = st.sampled_from(["\udcff", "x\udc80y", "2026-\udcfe"])


@dataclass(frozen=True)
class Pool:
    """Values of one option: `any` draws those that work three times in four (one_of
    draws its branches evenly), `bad` only the bad ones: known-bad values, hostile text,
    bytes that are not UTF-8."""

    any: st.SearchStrategy[str]
    bad: st.SearchStrategy[str]


def pool(good: tuple[str, ...], bad: tuple[str, ...]) -> Pool:
    works = st.sampled_from(good)
    wrong = st.one_of(st.sampled_from(bad), hostile_text, not_utf8)
    return Pool(st.one_of(works, works, works, wrong), wrong)


DBS = pool(
    ("db/sample.duckdb", "db/link.duckdb"),
    (
        "db/junk.duckdb",
        "db/empty.duckdb",
        "db/plain.duckdb",
        "db/fifo",
        "db/folder",
        "db/missing.duckdb",
        "in/votes.csv",
        "/dev/null",
        "",
    ),
)
NEW_DBS = pool(
    ("db/new.duckdb", "db/sample.duckdb", "db/link.duckdb"),
    ("db/junk.duckdb", "db/fifo", "in/x.duckdb", "/dev/null", "db/folder", ""),
)
FOLDERS = pool(("in",), ("db", "db/junk.duckdb", "missing", "wave", ".", ""))
WAVE_FOLDERS = pool(("wave", "out/2026-03"), ("in", "db/fifo", "missing", ""))
WAVES = pool(("2026-03", "2026-04"), ("2099-01", "", " 2026-03"))
RACES = pool(("CA-12", "VT-AL"), ("ZZ-99", "../../x", ""))
DECIMALS = pool(
    ("0.6", "0.5", "1", "0", "0.1"), ("2", "-1", "1_000", "1e1", "+0.6", "nan", ".", "١")
)
INSTANTS = pool(
    ("2026-03-05", "2026-03-10T12:00", "2026-03-08T02:30"),
    ("2026-11-01 01:30", "0000-01-01", "9999-12-31T23:59:59-05:00", "2026-02-30", "yesterday"),
)
FORMATS = pool(("table", "csv", "json"), ("xml", "TABLE", ""))
ZONES = pool(("UTC", "America/New_York"), ("Mars/Olympus", "'", "utc", ""))
COUNTS = pool(("1", "2"), ("0", "-1", "x", "1" * 30, "1e3"))
MEMBERS = pool(("1000",), ("999", "0", "-5", "x", "1" * 30))
THREADS = pool(("1", "2"), ("0", "-1", "x", "1" * 30, "1.5", ""))
MEMORY = pool(("256MB", "1GiB"), ("0", "1KB", "x", "1" * 30 + "TB", "-4GB", "4 parsecs", ""))
OUTS = pool(("out",), ("db/junk.duckdb", "/dev/null", "in", "db/fifo", ""))
# The options each command cannot do without (positionals have no name).
REQUIRED = {
    "load": ("", "--db"),
    "tally": ("--db", "--wave"),
    "audit": ("--db",),
    "docket": ("--db", "--wave"),
    "results": ("--db", "--wave"),
    "diff": ("", " "),
    "verify": ("",),
    "report": ("--db", "--wave", "--race"),
    "reports": ("--db", "--wave"),
    "demo": (),
}

OPTIONS: dict[str, dict[str, Pool | None]] = {
    "load": {
        "": FOLDERS,
        "--db": NEW_DBS,
        "--timezone": ZONES,
        "--threads": THREADS,
        "--memory-limit": MEMORY,
    },
    "tally": {
        "--db": DBS,
        "--wave": WAVES,
        "--format": FORMATS,
        "--support-threshold": DECIMALS,
        "--min-turnout": DECIMALS,
        "--min-votes": DECIMALS,
        "--as-of": INSTANTS,
    },
    "audit": {"--db": DBS, "--wave": WAVES, "--format": FORMATS, "--as-of": INSTANTS},
    "docket": {"--db": DBS, "--wave": WAVES, "--format": FORMATS},
    "results": {
        "--db": DBS,
        "--wave": WAVES,
        "--format": FORMATS,
        "--by-group": None,
        "--support-threshold": DECIMALS,
        "--min-votes": DECIMALS,
    },
    "diff": {"": DBS, " ": DBS, "--wave": WAVES, "--format": FORMATS, "--min-turnout": DECIMALS},
    "verify": {"": WAVE_FOLDERS},
    "report": {
        "--db": DBS,
        "--wave": WAVES,
        "--race": RACES,
        "--out": OUTS,
        "--support-threshold": DECIMALS,
        "--as-of": INSTANTS,
    },
    "reports": {
        "--db": DBS,
        "--wave": WAVES,
        "--out": OUTS,
        "--jobs": COUNTS,
        "--force": None,
        "--min-turnout": DECIMALS,
        "--as-of": INSTANTS,
    },
    "demo": {
        "--db": DBS,
        "--out": OUTS,
        "--seed": COUNTS,
        "--votes": COUNTS,
        "--wave": WAVES,
        "--jobs": COUNTS,
    },
}


@st.composite
def argv_for(draw, command: str) -> list[str]:
    """The command, then a shuffled pick of its options with drawn values; sometimes an
    option twice, an unknown one, or a value missing."""
    options = OPTIONS[command]
    names = list(REQUIRED[command])
    if names and draw(st.integers(0, 9)) == 0:  # one in ten: a required one left out
        names.remove(draw(st.sampled_from(names)))
    names += draw(st.lists(st.sampled_from(sorted(options)), max_size=3))
    names = draw(st.permutations(names))
    argv = [command]
    for name in names:
        values = options[name]
        if name.strip():
            argv.append(name)
        if values is not None and draw(st.integers(0, 19)):  # one in 20: the value missing
            argv.append(draw(values.any))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(["--nope", "-x", "--"])))
    if command == "demo":
        argv += ["--no-render", "--members", draw(MEMBERS.any)]
    return argv


# A call of each command that works on the fuzz's folder.
VALID = {
    "load": ["load", "in", "--db", "db/new.duckdb"],
    "tally": ["tally", "--db", "db/sample.duckdb", "--wave", "2026-03"],
    "audit": ["audit", "--db", "db/sample.duckdb"],
    "docket": ["docket", "--db", "db/sample.duckdb", "--wave", "2026-03"],
    "results": ["results", "--db", "db/sample.duckdb", "--wave", "2026-03"],
    "diff": ["diff", "db/sample.duckdb", "db/link.duckdb"],
    "verify": ["verify", "wave"],
    "report": ["report", "--db", "db/sample.duckdb", "--wave", "2026-03", "--race", "CA-12"],
    "reports": ["reports", "--db", "db/sample.duckdb", "--wave", "2026-03", "--jobs", "1"],
    "demo": ["demo", "--db", "db/demo.duckdb", "--members", "1000"],
}
# Options whose bad value would still render a wave (slow): never made bad.
RENDERED_ANYWAY = {"--out", "--jobs", "--force"}


@st.composite
def one_bad_thing(draw, command: str) -> list[str]:
    """A call that works, with one thing made bad: a value replaced by a bad one, or an
    option added with any value; so that each bad value reaches the code that reads it."""
    argv = list(VALID[command])
    options = OPTIONS[command]
    names = [n for n in sorted(options) if n.strip() not in RENDERED_ANYWAY]
    name = draw(st.sampled_from(names))
    values = options[name]
    given = [i for i, a in enumerate(argv) if a == name.strip()] if name.strip() else []
    if name.strip() and given and values is not None:
        argv[given[0] + 1] = draw(values.bad)
    elif not name.strip() and values is not None:  # a positional
        spots = [i for i, a in enumerate(argv[1:], 1) if not a.startswith("-")]
        spots = [i for i in spots if argv[i - 1] == command or not argv[i - 1].startswith("--")]
        argv[draw(st.sampled_from(spots))] = draw(values.bad)
    else:
        argv.append(name)
        if values is not None:
            argv.append(draw(values.any))
    if command == "demo":
        argv.append("--no-render")
    return argv


@pytest.fixture(scope="module")
def work(tmp_path_factory, placeholder_notebooks) -> Path:
    """A private working folder: the sample and its database, junk of every kind."""
    import duckdb

    root = tmp_path_factory.mktemp("argv") / WORK
    root.mkdir()
    copy_sample(root / "in")
    db = root / "db"
    db.mkdir()
    assert run_cli("load", root / "in", "--db", db / "sample.duckdb").code == 0
    (db / "link.duckdb").symlink_to(db / "sample.duckdb")
    (db / "junk.duckdb").write_bytes(b"not a database\n" * 100)
    (db / "empty.duckdb").write_bytes(b"")
    with duckdb.connect(str(db / "plain.duckdb")) as con:
        con.execute("CREATE TABLE t (a INTEGER)")
    os.mkfifo(db / "fifo")
    (db / "folder").mkdir()
    (root / "wave").mkdir()
    (root / "wave" / "manifest.json").write_text('{"manifest_version": 2}')
    return root


def run_in(work: Path, argv: list[str], notebooks: Path) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(work)
        mp.setenv("ENDORSE_NOTEBOOKS", str(notebooks))
        try:
            run = run_cli(*argv)
        except SystemExit as stop:  # --help (or an abbreviation of it): usage, exit 0
            assert stop.code == 0, argv
            return
    OUTCOMES[(argv[0], "ran" if run.code == 0 else "refused")] += 1
    OUTCOMES[("deep", "yes" if not run.err.startswith("error: endorse-analysis") else "no")] += 1
    assert run.code != INTERNAL_ERROR and "internal error" not in run.err, (argv, run.err)
    assert "Traceback" not in run.err + run.out, (argv, run.err)
    if run.code != 0:
        assert run.err.strip(), argv  # a refusal says why
    # The sample's database is the fuzz's own: a load over it may replace it, never break it.
    sample = work / "db" / "sample.duckdb"
    if not sample.exists() or run_cli("audit", "--db", sample).code != 0:
        with contextlib.redirect_stdout(io.StringIO()):
            shutil.rmtree(work / "in", ignore_errors=True)
            copy_sample(work / "in")
            sample.unlink(missing_ok=True)
            assert run_cli("load", work / "in", "--db", sample).code == 0


FUZZ = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("command", sorted(OPTIONS))
@settings(max_examples=25, derandomize=True, **FUZZ)
@given(data=st.data())
def test_fuzzed_arguments_never_crash(work, placeholder_notebooks, command, data):
    argv = data.draw(st.one_of(one_bad_thing(command), argv_for(command)))
    run_in(work, argv, placeholder_notebooks)


@pytest.mark.heavy
@pytest.mark.parametrize("command", sorted(OPTIONS))
@settings(max_examples=400, **FUZZ)
@given(data=st.data())
def test_fuzzed_arguments_heavy(work, placeholder_notebooks, command, data):
    argv = data.draw(st.one_of(one_bad_thing(command), argv_for(command)))
    run_in(work, argv, placeholder_notebooks)


def test_zz_fuzz_outcomes():
    """Say what the fuzzed runs came to (run with -s): how many ran, how many were
    refused by the parser, by a check, by the data."""
    print("\nargv fuzz:", dict(sorted(OUTCOMES.items())))
