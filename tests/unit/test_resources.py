"""The threads and memory a load gives DuckDB (ingest/resources.py): from the machine by
default, from the arguments or the environment when given, and recorded in the snapshot."""

from __future__ import annotations

import duckdb
import pytest

from endorse_analysis.ingest import load as load_module
from endorse_analysis.ingest import load_folder
from endorse_analysis.ingest.resources import (
    MEMORY_MIN,
    ResourceError,
    default_memory,
    load_resources,
    machine_threads,
    parse_memory,
    parse_threads,
)

GIB = 1 << 30


def test_sizes_are_read_exactly_in_both_kinds_of_unit():
    assert parse_memory("4GB") == 4 * 10**9
    assert parse_memory("512MiB") == 512 << 20
    assert parse_memory("1.5 GiB") == 3 * GIB // 2
    assert parse_memory("100000000") == 10**8
    for bad in ("", "x", "4 parsecs", "-4GB", "1e9", "63MiB", "2PiB", "4GB4", "٤GB", "9" * 5000):
        with pytest.raises(ResourceError):
            parse_memory(bad)


def test_threads_are_a_whole_number_from_one():
    assert parse_threads("3") == 3
    for bad in ("0", "-1", "1.5", "x", "", "1" * 30, "²", "9" * 5000):
        with pytest.raises(ResourceError, match="--threads"):
            parse_threads(bad)


def test_the_default_memory_follows_the_input_within_a_quarter_of_the_machine():
    assert default_memory(0, 24 * GIB) == MEMORY_MIN
    assert default_memory(GIB, 24 * GIB) == 2 * GIB
    assert default_memory(10 * GIB, 24 * GIB) == 6 * GIB  # a quarter of the machine
    assert default_memory(10 * GIB, None) == 20 * GIB
    assert default_memory(10 * GIB, GIB) == MEMORY_MIN  # a tiny machine still gets the minimum


def test_arguments_then_environment_then_machine():
    machine = load_resources(GIB, environ={})
    assert machine.threads == machine_threads() and machine.memory_bytes >= MEMORY_MIN
    env = {"ENDORSE_THREADS": "3", "ENDORSE_MEMORY_LIMIT": "1GiB"}
    from_env = load_resources(GIB, environ=env)
    assert (from_env.threads, from_env.memory_bytes) == (3, GIB)
    given = load_resources(GIB, threads="1", memory_limit="256MiB", environ=env)
    assert (given.threads, given.memory_bytes) == (1, 256 << 20)
    with pytest.raises(ResourceError, match="ENDORSE_THREADS"):
        load_resources(GIB, environ={"ENDORSE_THREADS": "many"})
    with pytest.raises(ResourceError, match="ENDORSE_MEMORY_LIMIT"):
        load_resources(GIB, environ={"ENDORSE_MEMORY_LIMIT": "lots"})


def test_a_load_gives_duckdb_what_it_records(tmp_path, monkeypatch):
    """The load's connection is opened with the threads and memory limit asked for, and the
    snapshot records the same values."""
    seen = []
    real_connect = duckdb.connect

    def spy(*args, **kwargs):
        con = real_connect(*args, **kwargs)
        if kwargs.get("config", {}).get("temp_directory"):  # the load's own connection
            seen.append(
                con.execute(
                    "SELECT current_setting('threads'), current_setting('memory_limit')"
                ).fetchone()
            )
        return con

    monkeypatch.setattr(load_module.duckdb, "connect", spy)
    monkeypatch.setenv("ENDORSE_THREADS", "2")
    result = load_folder("data/sample", tmp_path / "a.duckdb", threads=1, memory_limit="300MiB")
    monkeypatch.setattr(load_module.duckdb, "connect", real_connect)
    assert seen == [(1, "300.0 MiB")]
    assert (result.resources.threads, result.resources.memory_bytes) == (1, 300 << 20)
    with duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True) as con:
        recorded = dict(con.execute("SELECT key, value FROM snapshot").fetchall())
    assert recorded["load_threads"] == "1" and recorded["load_memory_limit"] == "300MiB"


def test_the_command_line_takes_both_and_refuses_bad_values_in_one_line(tmp_path):
    from helpers import run_cli

    run = run_cli("load", "data/sample", "--db", tmp_path / "b.duckdb", "--threads", "1",
                  "--memory-limit", "256MB")  # fmt: skip
    assert run.code == 0, run.err
    with duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as con:
        recorded = dict(con.execute("SELECT key, value FROM snapshot").fetchall())
    assert recorded["load_threads"] == "1" and recorded["load_memory_limit"] == "244MiB"
    for option, value in (("--threads", "0"), ("--memory-limit", "lots")):
        run = run_cli("load", "data/sample", "--db", tmp_path / "c.duckdb", option, value)
        assert run.code == 2 and len(run.err_lines) == 1 and option in run.err, run.err
        assert not (tmp_path / "c.duckdb").exists()


def test_reading_connections_take_the_same_variables_read_the_same_way():
    """The renderer gives each kernel ENDORSE_THREADS and ENDORSE_MEMORY_LIMIT; a notebook
    session reads them as a load does (a plain byte count too), or refuses them in words."""
    from endorse_analysis.ingest.resources import connection_limits

    assert connection_limits({}) == (None, None)
    assert connection_limits({"ENDORSE_THREADS": "3", "ENDORSE_MEMORY_LIMIT": "1073741824"}) == (
        3,
        "1024MiB",
    )
    with pytest.raises(ResourceError, match="ENDORSE_THREADS"):
        connection_limits({"ENDORSE_THREADS": "4.0"})
