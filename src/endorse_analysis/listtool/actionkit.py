"""Members and votes from an ActionKit reporting database, read over the MySQL protocol.

In: the program's config and the connection, from environment variables only (never the
command line, never a file written). Out: members.csv and votes.csv (via contract.py),
or every problem named by table and row id.

The tables and columns are those of ActionKit's published Database Reference: core_user
(id, created_at, updated_at, state, subscription_status), core_location (user_id,
us_district as 'MO_02'), core_usergeofield (user_id, name, value), core_subscriptionhistory
(user_id, change_id, created_at), core_page (id, name), core_action (id, user_id,
page_id, created_at, status 'complete' or 'incomplete') and core_actionfield (parent_id:
the action, name, value).

Each query of sql/actionkit/ is read whole into Arrow by connectorx (measured the fastest
driver here, see BENCHMARKS.md) in a session set read-only, and DuckDB does the joins: the
server only filters. The reads are not one transaction: the actions are read before the
users, so a vote's member is missing from members.csv only if the user was deleted in
between (the load then counts that vote as an unknown member, as it would any other).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

import duckdb
import pyarrow as pa

from endorse_analysis.ingest.parse import quiet_progress_bar
from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.listtool import SourceError
from endorse_analysis.listtool.config import ProgramConfig
from endorse_analysis.listtool.contract import (
    ImportResult,
    Origin,
    count_warning,
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
    "core_user": {"member_id": "id", "signed_up_at": "created_at"},
    "core_action": {"cast_at": "created_at", "vote_id": "id", "member_id": "user_id"},
}


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
    """Each query of sql/actionkit/ read into an Arrow table, in QUERIES' order; a page
    the program names that core_page does not have refuses the import first."""
    actionkit = config.require_actionkit()
    tables: dict[str, pa.Table] = {}
    names = ", ".join(sql_literal(p.key) for p in config.pages)
    tables["pages"] = read_arrow(
        url, sql_text("endorse_analysis.listtool", "actionkit/pages"), names=names
    )
    found = set(tables["pages"].column("name").to_pylist())
    unknown = [p.key for p in config.pages if p.key not in found]
    if unknown:  # before reading millions of rows for nothing
        raise LoadRefused(
            [
                Problem(str(config.path), None, "page", key, "is not a page in core_page")
                for key in unknown
            ]
        )
    page_ids = ", ".join(str(int(i)) for i in tables["pages"].column("id").to_pylist()) or "NULL"
    fields = {
        "page_ids": page_ids,
        "field": sql_literal(actionkit.choice_field),
        "change_ids": ", ".join(str(int(i)) for i in actionkit.unsubscribe_change_ids),
    }
    for name in QUERIES[1:]:
        if name == "geofields" and not actionkit.district_geofield:
            tables[name] = pa.table(
                {
                    "id": pa.array([], pa.int64()),
                    "user_id": pa.array([], pa.int64()),
                    "value": pa.array([], pa.string()),
                }
            )
            continue
        if name == "geofields":
            fields["field"] = sql_literal(actionkit.district_geofield)
        tables[name] = read_arrow(
            url, sql_text("endorse_analysis.listtool", f"actionkit/{name}"), **fields
        )
    return tables


def read_arrow(url: str, template: str, **fields: str) -> pa.Table:
    """One query read whole into Arrow through connectorx, in a read-only session. The
    template's {fields} are filled with numbers and hex literals only, never raw text."""
    import connectorx

    query = template.format(**fields)
    try:
        return connectorx.read_sql(url, query, return_type="arrow", pre_execution_query=SESSION)
    except Exception as err:  # the driver's own errors: say it in one line, no URL
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        secret = urlsplit(url).password
        if secret:
            first = first.replace(secret, "***").replace(quote(secret, safe=""), "***")
        raise SourceError(f"ActionKit could not be read: {first[:300]}") from None


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
        con.execute("SET VARIABLE ak_opted_out = ?", [list(actionkit.opted_out_statuses)])
        con.execute(sql_text("endorse_analysis.listtool", "actionkit_staged"))
        register_pages(con, config)

        def release() -> None:
            for name in list(tables):
                con.unregister(f"ak_{name}")
                del tables[name]

        warnings = count_warning(
            con,
            "SELECT users FROM opt_out_times_assumed()",
            "user(s) opted out with no unsubscribe in core_subscriptionhistory: their opt-out "
            "time is their core_user.updated_at",
        )
        answer = {"answer": f"core_actionfield {actionkit.choice_field}"}
        columns = {**COLUMNS, "core_action": {**COLUMNS["core_action"], **answer}}
        # core_user.id and core_action.id are primary keys: no id can repeat.
        origin = Origin("core_user", "core_action", "id", columns=columns, unique_ids=True)
        return write_contract_files(con, origin, out, warnings, release)
