"""A private MariaDB server for the tests and the benchmark, on this machine only.

In: a fresh folder. Out: a running `mariadbd` with its data, socket and pid file in that
folder, listening on 127.0.0.1 at a free port, and a `stop()` that ends it by its process
id. No service manager is involved and nothing outside the folder is touched.

The server skips its grant tables: any user name is let in, so the tests need no
password. It is a test double for a list tool's reporting database, never a place for
real data.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

INSTALL_DB = "mariadb-install-db"
SERVER = "mariadbd"
CLIENT = "mariadb"
START_TIMEOUT = 60.0


def _binary(name: str) -> str | None:
    """A MariaDB binary on PATH, or in /usr/sbin where Debian puts the server."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def missing() -> str | None:
    """Why no server can be started here (a sentence), or None when one can."""
    absent = [name for name in (INSTALL_DB, SERVER, CLIENT) if _binary(name) is None]
    if absent:
        return (
            f"MariaDB is not installed ({', '.join(absent)} not found): "
            "apt-get install mariadb-server (.ci/run does)"
        )
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running private server: connect to 127.0.0.1:`port` as any user."""

    folder: Path
    port: int
    process: subprocess.Popen

    @property
    def socket(self) -> Path:
        return self.folder / "sock"

    def dsn(self, database: str) -> str:
        """The connection string of one database on this server (no password: none needed)."""
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """End the server by its process id and wait for it (a clean InnoDB shutdown)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def sql(self, script: str, database: str | None = None) -> str:
        """Run SQL statements with the `mariadb` client (LOCAL INFILE allowed); its output."""
        command = [
            _binary(CLIENT),
            "--no-defaults",
            "--protocol=TCP",
            "-h127.0.0.1",
            f"-P{self.port}",
            "-uroot",
            "--local-infile=1",
            "--batch",
            "--skip-column-names",
        ]
        if database:
            command.append(database)
        done = subprocess.run(command, input=script, text=True, capture_output=True)
        if done.returncode != 0:
            raise RuntimeError(f"mariadb: {done.stderr.strip()[:2000]}")
        return done.stdout

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


def start(
    folder: Path, *, buffer_pool: str = "128M", bulk: bool = False, reuse: bool = False
) -> Server:
    """Initialise a data folder in `folder` (which must be new or empty) and start a server
    on it; with `reuse`, start on the data a server there left (the benchmark's tables).
    `bulk` trades durability for loading speed (the benchmark's millions of rows)."""
    reason = missing()
    if reason:
        raise RuntimeError(reason)
    folder = Path(folder).resolve()
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    user = getpass.getuser()
    if not (reuse and (data / "mysql").is_dir()):
        subprocess.run(
            [
                _binary(INSTALL_DB),
                "--no-defaults",
                f"--datadir={data}",
                f"--user={user}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    port = _free_port()
    options = [
        f"--innodb-buffer-pool-size={buffer_pool}",
        "--skip-log-bin",
        "--local-infile=1",
        "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_bin",
    ]
    if bulk:
        options += [
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--innodb-log-file-size=1G",
        ]
    process = subprocess.Popen(
        [
            _binary(SERVER),
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={folder / 'sock'}",
            f"--pid-file={folder / 'mariadbd.pid'}",
            f"--log-error={folder / 'error.log'}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            f"--user={user}",
            "--skip-grant-tables",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C of the test run does not reach it half-way
    )
    server = Server(folder, port, process)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mariadbd exited at start:\n{server.error_log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"mariadbd did not start within {START_TIMEOUT:.0f} s")


def create_actionkit(server: Server, database: str, program: Path, work: Path):
    """A database `database` on `server` holding the ActionKit tables of the program in
    the folder `program` (synthetic/actionkit.py); returns their files and program.toml."""
    from endorse_analysis.synthetic.actionkit import (
        keys_sql,
        load_statement,
        schema_sql,
        write_actionkit,
    )

    files = write_actionkit(program, work)
    server.sql(f"CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    server.sql(schema_sql(), database)
    loads = ";\n".join(load_statement(t, p) for t, p in files.tables.items())
    server.sql(f"SET unique_checks = 0; {loads};", database)
    server.sql(keys_sql(), database)
    return files


if __name__ == "__main__":  # by hand: start one, print how to reach it, stop on Ctrl-C
    import sys
    import tempfile

    where = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    running = start(where, buffer_pool="2G", bulk=True)
    print(f"port {running.port}, socket {running.socket}, pid {running.process.pid}", flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
        os.sync()
