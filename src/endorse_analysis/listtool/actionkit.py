"""Members and votes from an ActionKit reporting database, read over the MySQL protocol.

In: the program's config and the connection, from environment variables only (never the
command line, never a file written). Out: members.csv and votes.csv (via contract.py),
or every problem named by table and row id.

The tables and columns are those of ActionKit's published Database Reference: core_user
(id, created_at, updated_at, state, subscription_status: subscribed, unsubscribed,
bounced or never), core_location (user_id, us_district as 'MO_02'), core_usergeofield
(user_id, name, value), core_subscriptionchangetype (id, name),
core_subscriptionhistory (user_id, change_id, created_at), core_page (id, name),
core_action (id, user_id, page_id, created_at, status 'complete' or 'incomplete') and
core_actionfield (parent_id: the action, name, value).

Who is off the list: a user whose status is unsubscribed or bounced left it at their last
change whose type's name begins with `unsubscribe` (on any list; ids differ between
instances, names do not), or at their last edit where they have none; a `never` user was
never on it. DATETIMEs are read as text and parsed in DuckDB, so a zero date
('0000-00-00 00:00:00') is no value rather than a driver's panic.

Each query of sql/actionkit/ is read whole into Arrow by connectorx (measured the fastest
driver here, see BENCHMARKS.md) in a session set read-only, and DuckDB does the joins: the
server only filters. The reads are not one transaction: the actions are read before the
users, so a vote's member is missing from members.csv only if the user was deleted in
between (the load then counts that vote as an unknown member, as it would any other).
Before the first read, the server is reached with a plain socket (a refusal or a silence
is one line within CONNECT_SECONDS), and the first query must answer within
FIRST_READ_SECONDS (the driver's pool would retry a refusing server for 30 s).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

import duckdb
import pyarrow as pa

from endorse_analysis.ingest.parse import quiet_progress_bar
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.listtool import SourceError
from endorse_analysis.listtool.config import UNSUBSCRIBE_PREFIX, ActionKit, ProgramConfig
from endorse_analysis.listtool.contract import (
    ImportResult,
    Origin,
    register_pages,
    write_contract_files,
)
from endorse_analysis.sqlfiles import sql_text

DSN_VARIABLE = "ACTIONKIT_DSN"  # mysql://user:password@host:port/database
PART_VARIABLES = {
    "host": "ACTIONKIT_HOST",
    "port": "ACTIONKIT_PORT",
    "user": "ACTIONKIT_USER",
    "password": "ACTIONKIT_PASSWORD",
    "database": "ACTIONKIT_DATABASE",
}
# Every statement of the session: refuse any write, and no time zone conversion on reads.
SESSION = ["SET SESSION TRANSACTION READ ONLY", "SET time_zone = '+00:00'"]
# Read in this order: actions before users (see the module's note).
QUERIES = ("pages", "actions", "answers", "users", "locations", "geofields", "unsubscribes")
# The contract's names of the staged columns, as a problem names them in ActionKit.
COLUMNS = {
    "core_user": {"member_id": "id", "signed_up_at": "created_at", "opted_out_at": "updated_at"},
    "core_action": {"cast_at": "created_at", "vote_id": "id", "member_id": "user_id"},
}
DEFAULT_PORT = 3306
CONNECT_SECONDS = 4.0  # with FIRST_READ_SECONDS: any failure to connect is said within 10 s
FIRST_READ_SECONDS = 5.0
PARALLEL_READS = 2  # queries read at once
# The driver (connectorx, its pool r2d2) logs each failed attempt to stderr: not ours to show.
os.environ.setdefault("RUST_LOG", "off")


def connection_url(environ: Mapping[str, str] | None = None) -> str:
    """The MySQL URL from ACTIONKIT_DSN, or from ACTIONKIT_HOST, _PORT, _USER, _PASSWORD and
    _DATABASE. Credentials live only in the environment."""
    env = os.environ if environ is None else environ
    dsn = env.get(DSN_VARIABLE, "").strip()
    if dsn:
        parts = urlsplit(dsn)
        if parts.scheme not in ("mysql", "mariadb") or not parts.hostname or not parts.path[1:]:
            raise SourceError(
                f"{DSN_VARIABLE} must look like mysql://user:password@host:port/database"
            )
        return "mysql" + dsn[len(parts.scheme) :]
    values = {key: env.get(name, "").strip() for key, name in PART_VARIABLES.items()}
    missing = [PART_VARIABLES[k] for k in ("host", "user", "database") if not values[k]]
    if missing:
        raise SourceError(
            f"set {DSN_VARIABLE}, or {', '.join(missing)} (and ACTIONKIT_PASSWORD, "
            "ACTIONKIT_PORT): the credentials come from the environment only"
        )
    credentials = quote(values["user"], safe="")
    if values["password"]:
        credentials += ":" + quote(values["password"], safe="")
    port = f":{values['port']}" if values["port"] else ""
    return f"mysql://{credentials}@{values['host']}{port}/{quote(values['database'], safe='')}"


def sql_literal(text: str) -> str:
    """A text value as a MySQL literal that no byte of it can escape: its UTF-8 in hex."""
    return f"CONVERT(X'{text.encode('utf-8').hex()}' USING utf8mb4)" if text else "''"


def read_queries(config: ProgramConfig, url: str) -> dict[str, pa.Table]:
    """Each query of sql/actionkit/ read into an Arrow table: the pages, the server's clock
    and the change types first, then the rest two at a time; a page the program names
    that core_page does not have refuses the import before the big reads."""
    actionkit = config.require_actionkit()
    check_reachable(url)
    tables: dict[str, pa.Table] = {}
    names = ", ".join(sql_literal(p.key) for p in config.pages)
    tables["pages"] = read_arrow(url, actionkit_sql("pages"), first=True, names=names)
    found = set(tables["pages"].column("name").to_pylist())
    unknown = [p.key for p in config.pages if p.key not in found]
    if unknown:  # before reading millions of rows for nothing
        raise LoadRefused(
            [
                Problem(str(config.path), None, "page", key, "is not a page in core_page")
                for key in unknown
            ]
        )
    for name in ("server", "changetypes"):
        tables[name] = read_arrow(url, actionkit_sql(name))
    change_ids = unsubscribe_change_ids(config, actionkit, tables["changetypes"])
    tables["chosen"] = pa.table({"id": pa.array(list(change_ids), pa.int64())})
    page_ids = ", ".join(str(int(i)) for i in tables["pages"].column("id").to_pylist()) or "NULL"
    fields = {
        "page_ids": page_ids,
        "field": sql_literal(actionkit.choice_field),
        "change_ids": ", ".join(str(int(i)) for i in change_ids) or "NULL",
    }
    reads = {name: fields for name in QUERIES[1:]}
    if actionkit.district_geofield:
        reads["geofields"] = {**fields, "field": sql_literal(actionkit.district_geofield)}
    else:
        del reads["geofields"]
        tables["geofields"] = pa.table(
            {
                "id": pa.array([], pa.int64()),
                "user_id": pa.array([], pa.int64()),
                "value": pa.array([], pa.string()),
            }
        )
    # The server scans one query while the driver converts another's rows: both cores
    # work. The first failure is raised once the reads under way end; none starts after it.
    pool = ThreadPoolExecutor(PARALLEL_READS, thread_name_prefix="actionkit-read")
    try:
        futures = {
            name: pool.submit(read_arrow, url, actionkit_sql(name), **values)
            for name, values in reads.items()
        }
        for name, future in futures.items():
            tables[name] = future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return tables


def actionkit_sql(name: str) -> str:
    """The text of the query sql/actionkit/<name>.sql, its {fields} still to fill."""
    return sql_text("endorse_analysis.listtool", f"actionkit/{name}")


def unsubscribe_change_ids(
    config: ProgramConfig, actionkit: ActionKit, types: pa.Table
) -> dict[int, str]:
    """The unsubscribing change types (id -> name): those program.toml names (by name or
    id), else every type whose name begins with `unsubscribe`. A type named that the
    instance does not have refuses the import."""
    by_id = dict(
        zip(
            (int(i) for i in types.column("id").to_pylist()),
            (str(n or "").strip() for n in types.column("name").to_pylist()),
            strict=True,
        )
    )
    if actionkit.unsubscribe_change_types is None:
        chosen = {i: n for i, n in by_id.items() if n.lower().startswith(UNSUBSCRIBE_PREFIX)}
        return dict(sorted(chosen.items()))
    by_name = {n: i for i, n in by_id.items()}
    chosen, problems = {}, []
    for wanted in actionkit.unsubscribe_change_types:
        if isinstance(wanted, int) and wanted in by_id:
            chosen[wanted] = by_id[wanted]
        elif isinstance(wanted, str) and wanted in by_name:
            chosen[by_name[wanted]] = wanted
        else:
            problems.append(
                Problem(
                    str(config.path),
                    None,
                    "unsubscribe_change_types",
                    str(wanted),
                    "is not a change type in core_subscriptionchangetype",
                )
            )
    if problems:
        raise LoadRefused(problems)
    return dict(sorted(chosen.items()))


def server_address(url: str) -> tuple[str, int]:
    """The host and port a connection URL names (3306 when it names none)."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise SourceError("the ActionKit connection names a port that is not a number") from None
    return parts.hostname or "", port


def check_reachable(url: str, timeout: float = CONNECT_SECONDS) -> None:
    """Reach the server with a plain socket and read its greeting: a server that is down,
    silent or refusing this client says so in one line naming host and port."""
    host, port = server_address(url)
    where = f"ActionKit's database server {host}:{port}"
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.settimeout(timeout)
            head = conn.recv(5)
            if len(head) == 5 and head[4] == 0xFF:  # an error packet instead of a greeting
                body = conn.recv(512)
                reason = body[2:].decode("utf-8", errors="replace").strip() or "refused"
                raise SourceError(f"{where} refused the connection: {reason[:200]}")
            if not head:
                raise SourceError(f"{where} closed the connection without a greeting")
    except TimeoutError:
        raise SourceError(f"{where} did not answer within {timeout:.0f} s") from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SourceError(f"{where} cannot be reached ({reason})") from None


def read_arrow(url: str, template: str, *, first: bool = False, **fields: str) -> pa.Table:
    """One query read whole into Arrow through connectorx, in a read-only session. The
    template's {fields} are filled with numbers and hex literals only, never raw text.
    Whatever the driver raises (a Rust panic is a BaseException) is one line; the `first`
    read of an import must answer within FIRST_READ_SECONDS."""
    import connectorx

    query = template.format(**fields)
    outcome: dict[str, object] = {}

    def read() -> None:
        try:
            outcome["table"] = connectorx.read_sql(
                url, query, return_type="arrow", pre_execution_query=SESSION
            )
        except BaseException as err:  # the driver's panics too
            outcome["error"] = err

    if first:
        worker = threading.Thread(target=read, daemon=True)  # left to the pool's own timeout
        worker.start()
        worker.join(FIRST_READ_SECONDS)
        if worker.is_alive():
            host, port = server_address(url)
            raise SourceError(
                f"ActionKit's database server {host}:{port} accepted no session within "
                f"{FIRST_READ_SECONDS:.0f} s (check the user, password and database)"
            )
    else:
        read()
    err = outcome.get("error")
    if isinstance(err, KeyboardInterrupt | SystemExit):
        raise err
    if err is not None:
        text = str(err).splitlines()[0] if str(err) else type(err).__name__
        secret = urlsplit(url).password
        if secret:
            text = text.replace(secret, "***").replace(quote(secret, safe=""), "***")
        raise SourceError(f"ActionKit could not be read: {text[:300]}") from None
    return outcome["table"]  # type: ignore[return-value]


def import_actionkit(
    config: ProgramConfig, out: Path, environ: Mapping[str, str] | None = None
) -> ImportResult:
    """Read the program's members and votes from ActionKit and write members.csv and
    votes.csv into `out`, or raise LoadRefused naming every problem."""
    actionkit = config.require_actionkit()
    tables = read_queries(config, connection_url(environ))
    with duckdb.connect(config={"threads": 2, "preserve_insertion_order": True}) as con:
        quiet_progress_bar(con)
        for name, table in tables.items():
            con.register(f"ak_{name}", table)
        con.execute("SET VARIABLE ak_tz = ?", [actionkit.timezone])
        con.execute(
            "SET VARIABLE ak_opted_out = ?", [[x.lower() for x in actionkit.opted_out_statuses]]
        )
        con.execute("SET VARIABLE ak_never_vote = ?", [actionkit.never_subscribed_vote])
        con.execute(sql_text("endorse_analysis.listtool", "actionkit_staged"))
        register_pages(con, config)

        def release() -> None:
            for name in list(tables):
                con.unregister(f"ak_{name}")
                del tables[name]

        notes, warnings = opt_out_report(con, actionkit, tables)
        answer = {"answer": f"core_actionfield {actionkit.choice_field}"}
        columns = {**COLUMNS, "core_action": {**COLUMNS["core_action"], **answer}}
        # core_user.id and core_action.id are primary keys: no id can repeat.
        origin = Origin("core_user", "core_action", "id", columns=columns, unique_ids=True)
        result = write_contract_files(con, origin, out, warnings, release)
        result.notes[:0] = notes
        return result


def opt_out_report(
    con: duckdb.DuckDBPyConnection, actionkit: ActionKit, tables: dict[str, pa.Table]
) -> tuple[list[str], list[str]]:
    """What the import says of the clock and the opt-outs: the zone it read the DATETIMEs
    in beside the server's, the change types it used and how many users each rule
    touched (notes); users whose time is assumed and unreadable history rows (warnings)."""
    server = tables["server"].to_pylist()
    zone = server[0] if server else {"global_zone": "?", "system_zone": "?"}
    types = dict(
        zip(
            tables["changetypes"].column("id").to_pylist(),
            tables["changetypes"].column("name").to_pylist(),
            strict=True,
        )
    )
    by_change, by_update, never_out, never_kept, zero_dates = con.execute(
        "SELECT * FROM opt_out_rules()"
    ).fetchone()
    counts = dict(con.execute("SELECT change_id, users FROM opt_outs_by_change()").fetchall())
    chosen = ", ".join(
        f"{types.get(i, '?')} ({i}): {counts.get(i, 0):,} user(s)"
        for i in tables["chosen"].column("id").to_pylist()
    )
    how = (
        "as program.toml names them"
        if actionkit.unsubscribe_change_types is not None
        else f"names beginning {UNSUBSCRIBE_PREFIX!r}"
    )
    notes = [
        f"DATETIMEs read as {actionkit.timezone} ([actionkit] timezone); the server's time "
        f"zone: {zone['global_zone']} (system {zone['system_zone']})",
        f"opt-out change types ({how}): {chosen or 'none'}",
        f"{by_change:,} user(s) {'/'.join(actionkit.opted_out_statuses)} off the list at their "
        f"last unsubscribing change; {by_update:,} at core_user.updated_at; "
        f"{never_out:,} never subscribed, off the list since sign-up",
    ]
    if actionkit.never_subscribed_vote:
        notes.append(
            f"{never_kept:,} never-subscribed user(s) kept as members who may vote "
            "([actionkit] never_subscribed_vote)"
        )
    warnings = []
    if by_update:
        warnings.append(
            f"{by_update:,} user(s) left the list ({'/'.join(actionkit.opted_out_statuses)}) with "
            "no unsubscribing change in core_subscriptionhistory: their opt-out time is their "
            "core_user.updated_at"
        )
    if zero_dates:
        warnings.append(
            f"{zero_dates:,} core_subscriptionhistory row(s) of an unsubscribing type have a "
            "created_at that is no time (a zero date): skipped"
        )
    return notes, warnings
