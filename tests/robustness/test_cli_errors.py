"""docs/rules.md §4: every mistake is one clear sentence on stderr, a non-zero exit, no traceback.

In-process through cli.main (exit code 70 would be an unexpected exception: a bug), plus
one run of the installed console script to check the real process end to end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import INTERNAL_ERROR, SAMPLE, copy_sample, db_fingerprint, run_cli


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    db = root / "program.duckdb"
    assert run_cli("load", copy_sample(root / "in"), "--db", db).code == 0
    (root / "junk.duckdb").write_bytes(b"hello world" * 100)
    (root / "empty.duckdb").write_bytes(b"")
    with duckdb.connect(str(root / "plain.duckdb")) as con:
        con.execute("CREATE TABLE x (a INTEGER)")
    return {"root": root, "db": db}


def one_line_error(argv: list, *, code: int | None = None, says: str = "") -> str:
    run = run_cli(*argv)
    assert run.code != 0 and run.code != INTERNAL_ERROR, (run.code, run.err)
    if code is not None:
        assert run.code == code
    assert "Traceback" not in run.err and "internal error" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert says.lower() in lines[0].lower(), lines[0]
    return lines[0]


BAD_CALLS = [
    ("no command", [], "required"),
    ("unknown command", ["nope"], "invalid choice"),
    ("missing options", ["tally"], "required"),
    ("missing db", ["tally", "--db", "{root}/missing.duckdb", "--wave", "2026-03"], "no database"),
    ("db is a folder", ["tally", "--db", "{root}", "--wave", "2026-03"], "no database"),
    (
        "db not duckdb",
        ["tally", "--db", "{root}/junk.duckdb", "--wave", "2026-03"],
        "could not be opened",
    ),
    ("db empty file", ["audit", "--db", "{root}/empty.duckdb"], "could not be opened"),
    (
        "db not a snapshot",
        ["tally", "--db", "{root}/plain.duckdb", "--wave", "2026-03"],
        "not an endorse-analysis snapshot",
    ),
    ("unknown wave", ["tally", "--db", "{db}", "--wave", "2099-01"], "not in the database"),
    ("unknown wave, audit", ["audit", "--db", "{db}", "--wave", "2099-01"], "not in the database"),
    (
        "wave differs in case",
        ["tally", "--db", "{db}", "--wave", "2026-03 "],
        "not in the database",
    ),
    (
        "bad format",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--format", "xml"],
        "invalid choice",
    ),
    (
        "support 0",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--support-threshold", "0"],
        "support threshold",
    ),
    (
        "support above 1",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--support-threshold", "1.01"],
        "support threshold",
    ),
    (
        "turnout negative",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--min-turnout", "-0.1"],
        "turnout",
    ),
    (
        "turnout above 1",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--min-turnout", "1.5"],
        "turnout",
    ),
    (
        "min votes negative",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--min-votes", "-1"],
        "ballots",
    ),
    (
        "threshold not a number",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--support-threshold", "sixty"],
        "decimal",
    ),
    (
        "threshold percent",
        ["tally", "--db", "{db}", "--wave", "2026-03", "--support-threshold", "60%"],
        "support",
    ),
    ("load: folder missing", ["load", "{root}/nowhere", "--db", "{root}/x.duckdb"], "not a folder"),
    ("load: db under a file", ["load", str(SAMPLE), "--db", "{root}/junk.duckdb/x.duckdb"], ""),
    (
        "load: bad time zone",
        ["load", str(SAMPLE), "--db", "{root}/x.duckdb", "--timezone", "Mars/Olympus"],
        "time zone",
    ),
    (
        "report: unknown race",
        ["report", "--db", "{db}", "--wave", "2026-03", "--race", "ZZ-99", "--out", "{root}/o"],
        "not in the database",
    ),
    ("verify: not a rendered folder", ["verify", "{root}"], "manifest"),
]


@pytest.mark.parametrize(("argv",), [pytest.param(a, id=i) for i, a, _ in BAD_CALLS])
def test_mistakes_are_one_clear_line(env, argv, request):
    says = next(s for i, _, s in BAD_CALLS if i == request.node.callspec.id)
    argv = [a.format(root=env["root"], db=env["db"]) for a in argv]
    before = db_fingerprint(env["db"])
    if argv[:1] == ["load"] and "not a folder" in says:
        run = run_cli(*argv)  # a refusal: the problem line, then the summary line
        assert run.code == 1 and "Traceback" not in run.err
        assert "nowhere: is not a folder" in run.err
    else:
        one_line_error(argv, says=says)
    assert db_fingerprint(env["db"]) == before


@pytest.mark.parametrize(
    "command",
    ["load", "tally", "audit", "docket", "report", "reports", "results", "diff", "verify", "demo"],
)
def test_every_subcommand_has_help(command, capsys):
    from endorse_analysis.cli import main

    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_locked_database_is_a_clear_error(env):
    """A database held open for writing by another process can't be read: one line."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True);"
            " time.sleep(60)",
            str(env["db"]),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        one_line_error(
            ["tally", "--db", str(env["db"]), "--wave", "2026-03"], says="could not be opened"
        )
    finally:
        holder.kill()
        holder.wait()


def test_console_script_error_has_no_traceback(env):
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from endorse_analysis.cli import run; run()",
            "tally",
            "--db",
            str(env["db"]),
            "--wave",
            "x' OR '1'='1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip() == "error: wave \"x' OR '1'='1\" is not in the database" or (
        "not in the database" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    )
    assert "Traceback" not in proc.stderr


def _earlier(root: Path, db: Path, kind: str) -> Path:
    """A copy of the snapshot made to look like one of an earlier version."""
    old = root / f"earlier-{kind}.duckdb"
    if not old.exists():
        shutil.copyfile(db, old)
        with duckdb.connect(str(old)) as con:
            if kind == "missing table":
                con.execute("DROP TABLE rulings")
            elif kind == "missing column":
                con.execute("ALTER TABLE vote_counts DROP COLUMN cast_day")
            elif kind == "no format version":
                con.execute("DELETE FROM snapshot WHERE key = 'format_version'")
            elif kind == "other snapshot shape":
                con.execute("ALTER TABLE snapshot RENAME COLUMN key TO name")
    return old


EARLIER_CALLS = [
    ["tally", "--db", "{old}", "--wave", "2026-03"],
    ["tally", "--db", "{old}", "--wave", "2026-03", "--as-of", "2026-03-05"],
    ["audit", "--db", "{old}"],
    ["docket", "--db", "{old}", "--wave", "2026-03"],
    ["results", "--db", "{old}", "--wave", "2026-03"],
    ["diff", "{old}", "{db}"],
    ["report", "--db", "{old}", "--wave", "2026-03", "--race", "CA-12", "--out", "{root}/o"],
    ["reports", "--db", "{old}", "--wave", "2026-03", "--out", "{root}/o"],
]


@pytest.mark.parametrize(
    "kind", ["missing table", "missing column", "no format version", "other snapshot shape"]
)
@pytest.mark.parametrize("argv", EARLIER_CALLS, ids=lambda a: " ".join(a[:2]))
def test_a_snapshot_of_an_earlier_version_is_one_line(env, kind, argv):
    """Every command refuses it in one line that names the file and says to load again,
    never a catalog error (and never the path of a rendering run's private pin)."""
    old = _earlier(env["root"], env["db"], kind)
    argv = [a.format(old=old, db=env["db"], root=env["root"]) for a in argv]
    line = one_line_error(argv, says=str(old))
    if kind == "other snapshot shape":
        assert "not an endorse-analysis snapshot" in line
    else:
        assert "was built by version 0.1.0; load the folder again" in line
    assert ".pin-" not in line
