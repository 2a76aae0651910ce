"""The contract's rules as DuckDB table macros (sql/*.sql), put on a connection.

In: a connection to a snapshot (or to the loader's database being built). Out: the same
connection with the macros defined as temporary objects, so that read-only connections
have them too; or, for a load, stored in the snapshot itself with the digest of their
text, so that a reader of the same rules need not define them again. Each rule lives in
one file; everything that counts reads them.
"""

from __future__ import annotations

import hashlib
from functools import cache

import duckdb

from endorse_analysis.sqlfiles import sql_text

# In dependency order: a macro may use the ones above it.
MACRO_FILES = (
    "jurisdiction",  # member_in_race, group_in_race, signed_up_for_wave
    "contests",  # contests(w)
    "ballot",  # ballot(w)
    "ballot_forms",  # wave_methods(w), ballot_parts(choice, method), ballot_forms(w)
    "potential_voters",  # wave_members(w), contest_places(w), potential_voters(w), ...members(w)
    "vote_status",  # vote_status(w)
    "vote_counts",  # classified_vote_counts()
    "approval",  # counted_ballots(w), option_votes(w)
    "runoff",  # runoff(w, sp, sq), decisive_votes(w, sp, sq)
    "tally",  # tally(w, ...), choices(w), counted_by_day(w), audit(w)
    "docket",  # docket(w), docket_funnel(w)
    "results",  # endorsing_groups(w), group_contests(w), outside_endorsements(w)
    "explore",  # reach_by_district(w), contest_traits(w), counted_arrivals(w), ...
    "context",  # race_context(w): the 2024 presidential result of each race
    "members",  # member_votes(w), member_funnel(), member_retention(), member_tenure(), ...
    "calendar",  # race_calendar(): each race's primary, runoff and seat holder
)


# The macros that classify votes: all a load needs to write a snapshot's vote_counts,
# which the macros after them read (DuckDB checks a macro's tables when it is defined).
CLASSIFYING_MACROS = MACRO_FILES[: MACRO_FILES.index("vote_counts") + 1]


TEMPORARY = "CREATE OR REPLACE TEMP MACRO "
STORED = "CREATE OR REPLACE MACRO "


def install_macros(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = MACRO_FILES) -> None:
    """Define the rule macros of `names` (default: all) on `con`, as temporary objects."""
    for name in names:
        con.execute(sql_text("endorse_analysis.rules", name))


def store_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define every rule macro in `con`'s database itself (a snapshot being written):
    the same text, stored instead of temporary. Temporary macros of the same names,
    defined on a reader's connection, come first when a name is looked up."""
    for name in MACRO_FILES:
        text = sql_text("endorse_analysis.rules", name)
        con.execute(text.replace(TEMPORARY, STORED))


@cache
def rules_digest() -> str:
    """SHA-256 over the text of every rule file, in order: which rules a snapshot stored
    (its record's `rules`), so that a reader installs its own when they differ."""
    digest = hashlib.sha256()
    for name in MACRO_FILES:
        digest.update(name.encode() + b"\0" + sql_text("endorse_analysis.rules", name).encode())
    return digest.hexdigest()
