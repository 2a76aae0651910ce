"""What `load --db` may replace: a new path or a snapshot this tool wrote, never its input
folder; symbolic links followed; one load at a time; temporaries cleaned under the lock,
whatever process id they carry; a leftover write-ahead log settled, never loaded over.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from helpers import (
    INTERNAL_ERROR,
    copy_sample,
    db_fingerprint,
    db_outputs,
    leftovers,
    run_cli,
)


def refused(run, says: str) -> str:
    assert run.code not in (0, INTERNAL_ERROR), (run.code, run.err)
    assert "Traceback" not in run.err and len(run.err_lines) == 1, run.err
    assert says in run.err_lines[0], run.err_lines[0]
    assert "loaded" not in run.out
    return run.err_lines[0]


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path) -> Path:
    return copy_sample(tmp_path / "in")


@pytest.mark.parametrize("where", ["votes.csv", "new.duckdb", "sub/new.duckdb", "."])
def test_a_load_never_writes_into_its_input_folder(folder, where):
    before = folder_bytes(folder)
    refused(run_cli("load", folder, "--db", folder / where), "inside the input folder")
    assert folder_bytes(folder) == before


@pytest.mark.parametrize("kind", ["text", "empty", "plain duckdb", "folder", "fifo"])
def test_a_load_replaces_only_a_snapshot_it_wrote(folder, tmp_path, kind):
    db = tmp_path / "target"
    if kind == "text":
        db.write_text("name,phone\nAna,555-0101\n")
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "plain duckdb":
        with duckdb.connect(str(db)) as con:
            con.execute("CREATE TABLE accounts AS SELECT 1 AS id")
    elif kind == "folder":
        db.mkdir()
    else:
        os.mkfifo(db)
    before = db.lstat()
    content = db.read_bytes() if db.is_file() else None
    line = refused(run_cli("load", folder, "--db", db), "a load replaces only a snapshot")
    assert str(db) in line
    after = db.lstat()
    assert (after.st_mode, after.st_mtime_ns) == (before.st_mode, before.st_mtime_ns)
    assert content is None or db.read_bytes() == content
    assert leftovers(db) == []


def test_a_snapshot_it_wrote_is_replaced(folder, tmp_path):
    db = tmp_path / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    assert run_cli("load", folder, "--db", db).code == 0
    assert db_outputs(db)


def test_a_symlinked_db_stays_a_link_to_the_new_snapshot(folder, tmp_path):
    """The link is followed: the snapshot it names is replaced, the link stays a link."""
    real = tmp_path / "store" / "program.duckdb"
    real.parent.mkdir()
    assert run_cli("load", folder, "--db", real).code == 0
    link = tmp_path / "current.duckdb"
    link.symlink_to(real)
    (folder / "votes.csv").write_text(
        (folder / "votes.csv").read_text().replace("2026-03,CA-12", "2026-03,CA-GOV", 1)
    )
    before = db_fingerprint(real)
    run = run_cli("load", folder, "--db", link)
    assert run.code == 0, run.err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert db_fingerprint(real) != before
    assert not any(p.name.startswith("current.duckdb") for p in tmp_path.iterdir() if p != link)


def test_a_link_to_nothing_is_refused(folder, tmp_path):
    link = tmp_path / "current.duckdb"
    link.symlink_to(tmp_path / "nowhere" / "program.duckdb")
    refused(run_cli("load", folder, "--db", link), "symbolic link to nothing")
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


HOLD_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_load_at_once_is_refused_and_touches_nothing(folder, tmp_path):
    """While a load holds the path's lock, another is refused in one line, and leaves the
    database and the first load's temporaries alone."""
    db = tmp_path / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    before = db_fingerprint(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / ".program.duckdb.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        working = tmp_path / f"program.duckdb.tmp-{holder.pid}"
        working.write_bytes(b"the first load's half-built database")
        line = refused(run_cli("load", folder, "--db", db), "another process is loading into")
        assert str(db) in line
        assert working.read_bytes() == b"the first load's half-built database"
        assert db_fingerprint(db) == before
    finally:
        holder.kill()
        holder.wait()
    assert run_cli("load", folder, "--db", db).code == 0
    assert leftovers(db) == []


def test_temporaries_are_removed_under_the_lock_whatever_their_process_id(folder, tmp_path):
    """No load holds the lock, so every temporary is a leftover, even one named after a
    live process (in another PID namespace, a load with that number may be long gone)."""
    db = tmp_path / "program.duckdb"
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / f"program.duckdb.tmp-{live.pid}").write_bytes(b"half a database")
        (tmp_path / f"program.duckdb.tmp-{live.pid}.wal").write_bytes(b"x")
        (tmp_path / f"program.duckdb.tmp-{live.pid}-abc").mkdir()
        (tmp_path / "program.duckdb.tmp-1").write_bytes(b"another")
        run = run_cli("load", folder, "--db", db)
        assert run.code == 0, run.err
        assert leftovers(db) == []
    finally:
        live.kill()
        live.wait()


KILLED_WRITER = """
import duckdb, os, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET wal_autocheckpoint = '1TB'")
con.execute("CREATE TABLE scratch AS SELECT range AS x FROM range(1000)")
os._exit(9)  # killed while writing: the write-ahead log stays
"""


def test_a_leftover_wal_is_settled_and_the_new_snapshot_opens(folder, tmp_path):
    """A process killed while writing to the snapshot leaves <db>.wal: the next load
    settles it into the old file before the swap, so the new one opens."""
    db = tmp_path / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)], check=False)
    assert db.with_name("program.duckdb.wal").exists()
    run = run_cli("load", folder, "--db", db)
    assert run.code == 0, run.err
    assert not db.with_name("program.duckdb.wal").exists()
    assert db_outputs(db)  # every command opens it


def test_a_wal_of_another_database_is_refused_clearly(folder, tmp_path):
    db = tmp_path / "program.duckdb"
    other = tmp_path / "other.duckdb"
    for path in (db, other):
        assert run_cli("load", folder, "--db", path).code == 0
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(other)], check=False)
    shutil.move(other.with_name("other.duckdb.wal"), db.with_name("program.duckdb.wal"))
    before = db_fingerprint(db)
    refused(run_cli("load", folder, "--db", db), "is left from an interrupted write")
    assert db_fingerprint(db) == before
    assert db.with_name("program.duckdb.wal").exists()


def test_a_wal_without_its_database_is_removed(folder, tmp_path):
    db = tmp_path / "program.duckdb"
    db.with_name("program.duckdb.wal").write_bytes(b"an orphan log")
    assert run_cli("load", folder, "--db", db).code == 0
    assert not db.with_name("program.duckdb.wal").exists()
    assert db_outputs(db)


def test_a_database_open_for_writing_is_refused_clearly(folder, tmp_path):
    db = tmp_path / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True);"
            " time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        refused(run_cli("load", folder, "--db", db), "open in another process")
    finally:
        holder.kill()
        holder.wait()
