"""The contract's rules as DuckDB table macros (sql/*.sql), put on a connection.

In: a connection to a snapshot (or to the loader's database being built). Out: the same
connection with the macros defined as temporary objects, so that read-only connections
have them too. Each rule lives in one file; everything that counts reads them.
"""

from __future__ import annotations

import duckdb

from endorse_analysis.sqlfiles import sql_text

# In dependency order: a macro may use the ones above it.
MACRO_FILES = (
    "jurisdiction",  # member_in_race, group_in_race, signed_up_for_wave
    "contests",  # contests(w)
    "ballot",  # ballot(w)
    "potential_voters",  # wave_members(w), contest_places(w), potential_voters(w), ...members(w)
    "vote_status",  # vote_status(w)
    "vote_counts",  # classified_vote_counts()
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


def install_macros(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = MACRO_FILES) -> None:
    """Define the rule macros of `names` (default: all) on `con`."""
    for name in names:
        con.execute(sql_text("endorse_analysis.rules", name))
