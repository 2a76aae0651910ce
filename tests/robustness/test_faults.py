"""Faults during a load: a kill at any moment, a full disk, a reader during the swap.

A load builds the new database beside the old one and renames it over the old one only
when complete (load.py). So whatever happens, the file at --db is either the old snapshot
or the complete new one, and the next load removes what a killed one left behind.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from helpers import (
    FILES,
    copy_sample,
    db_fingerprint,
    db_outputs,
    leftovers,
    run_cli,
)

TABLES = [name.removesuffix(".csv") for name in FILES]
MEMBERS = 10_000  # the default suite; the heavy variant uses 100,000
CLI = [sys.executable, "-c", "from endorse_analysis.cli import run; run()"]
KILL_LOG: list[str] = []


def state(db: Path) -> tuple:
    """Row counts of the eight tables and the snapshot fingerprint, read-only.

    Raises if the file is not a complete, readable snapshot."""
    with duckdb.connect(str(db), read_only=True) as con:
        counts = tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
        fingerprint = con.execute(
            "SELECT value FROM snapshot WHERE key = 'fingerprint'"
        ).fetchone()[0]
    return counts, fingerprint


def load_subprocess(folder: Path, db: Path, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "load", str(folder), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def make_snapshots(root: Path, members: int) -> dict:
    from endorse_analysis.synthetic import write_demo

    big = root / "big"
    write_demo(big, members=members)
    old = root / "old.duckdb"
    assert run_cli("load", copy_sample(root / "sample"), "--db", old).code == 0
    started = time.monotonic()
    subprocess.run(
        [*CLI[:2], "import endorse_analysis.cli, endorse_analysis.ingest.load"], check=True
    )
    startup = time.monotonic() - started  # a kill before this finds no load begun
    new = root / "new.duckdb"
    started = time.monotonic()
    proc = load_subprocess(big, new)
    _, err = proc.communicate(timeout=600)
    took = time.monotonic() - started
    assert proc.returncode == 0, err
    return {
        "big": big,
        "old": old,
        "old_state": state(old),
        "new_state": state(new),
        "seconds": took,
        "startup": min(startup, took / 2),
    }


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory) -> dict:
    return make_snapshots(tmp_path_factory.mktemp("faults"), MEMBERS)


def kill_trials(snaps: dict, root: Path, trials: int, seed: int) -> list[str]:
    """Kill a load at spread-out random moments; check what is left each time."""
    rng = random.Random(seed)
    outcomes = []
    # Kill moments are stratified over [lo, hi]: the load after the interpreter's start.
    # The machine's speed varies, so the window adapts: a load that had already finished
    # lowers hi, one killed before it began raises lo.
    lo, hi = snaps["startup"], snaps["seconds"] * 1.1
    for i in range(trials):
        trial = root / f"trial{i}"
        trial.mkdir()
        db = trial / "program.duckdb"
        shutil.copy2(snaps["old"], db)
        delay = lo + (hi - lo) * (i + rng.random()) / trials
        proc = load_subprocess(snaps["big"], db)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        assert "Traceback" not in err
        now = state(db)  # opens read-only: raises on a broken file
        if now == snaps["old_state"]:
            outcome = "old"
        elif now == snaps["new_state"]:
            outcome = "new"
        else:
            pytest.fail(f"trial {i} (killed after {delay:.2f}s): neither snapshot: {now}")
        left = leftovers(db)
        if proc.returncode == 0:
            hi = max(lo + 0.2, delay * 0.9)
        elif outcome == "old" and not left:
            lo = min(delay, hi - 0.2)
        outcomes.append(f"{outcome}{'+tmp' if left else ''}{'' if proc.returncode else '(done)'}")
        # The next load cleans up what the killed one left (its process is gone).
        run = run_cli("load", copy_sample(trial / "sample"), "--db", db)
        assert run.code == 0, run.err
        assert leftovers(db) == []
        assert state(db) == snaps["old_state"]
        shutil.rmtree(trial)
    KILL_LOG.extend(outcomes)
    print(f"\nkill trials: {outcomes}")
    return outcomes


def test_killed_load_leaves_old_or_new_database(snapshots, tmp_path):
    outcomes = kill_trials(snapshots, tmp_path, trials=5, seed=7)
    assert len(outcomes) == 5


@pytest.mark.heavy
def test_killed_load_many_trials(tmp_path):
    snaps = make_snapshots(tmp_path / "snap", 100_000)
    outcomes = kill_trials(snaps, tmp_path, trials=25, seed=11)
    assert {o.split("+")[0].split("(")[0] for o in outcomes} <= {"old", "new"}


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize(
    "limit_kb",
    [64, pytest.param(16, marks=pytest.mark.heavy), pytest.param(600, marks=pytest.mark.heavy)],
)
def test_load_out_of_disk_space_fails_cleanly(tmp_path, limit_kb):
    """Writing the new database fails (EFBIG under RLIMIT_FSIZE): one line, old db intact."""
    folder = copy_sample(tmp_path / "in")
    db = tmp_path / "db" / "program.duckdb"
    assert run_cli("load", folder, "--db", db).code == 0
    before, outputs = db_fingerprint(db), db_outputs(db, waves=("2026-03",))
    (folder / "votes.csv").write_bytes((folder / "votes.csv").read_bytes().replace(b"\n", b"\r\n"))
    proc = load_subprocess(folder, db, preexec_fn=_file_size_limit(limit_kb * 1024))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "not changed" in lines[0] or "too large" in lines[0].lower()
    assert db_fingerprint(db) == before
    assert db_outputs(db, waves=("2026-03",)) == outputs
    assert leftovers(db) == []


def test_reader_opened_before_a_swap_keeps_its_snapshot(tmp_path):
    """A read-only connection opened before a load reads the old snapshot consistently."""
    from endorse_analysis.synthetic import write_demo

    db = tmp_path / "program.duckdb"
    assert run_cli("load", copy_sample(tmp_path / "in"), "--db", db).code == 0
    old = state(db)
    write_demo(tmp_path / "other", members=1000)
    with duckdb.connect(str(db), read_only=True) as reader:
        first = reader.execute("SELECT count(*), sum(vote_id) FROM votes").fetchone()
        proc = load_subprocess(tmp_path / "other", db)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        # The swap happened under the reader: it still sees the old file, whole.
        assert reader.execute("SELECT count(*), sum(vote_id) FROM votes").fetchone() == first
        counts = tuple(reader.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
        assert counts == old[0]
    new = subprocess.run(
        [*CLI, "audit", "--db", str(db), "--format", "json"], capture_output=True, text=True
    )
    assert new.returncode == 0, new.stderr
    assert new.stdout.count('"votes"') > 0
    assert state(db) != old
    assert os.path.exists(db) and leftovers(db) == []
