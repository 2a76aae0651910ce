"""What the exploration notebooks share: the loaded waves, candidates' names, a
contest's figures beside its decisions and counts with the hidden ones missing.

In: an open connection or a frame. Out: lists, dicts and DataFrames.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from endorse_analysis.api.tally import TALLY_COLUMNS

# The figures of a contest that the outcome tables show beside its decisions.
CONTEST_FIGURES = [
    c
    for c in TALLY_COLUMNS
    if c not in ("state", "district", "candidates_on_ballot", "decision", "reason")
]


def wave_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The loaded waves, in order of opening."""
    return [
        r[0] for r in con.execute("SELECT wave_id FROM waves ORDER BY opens_at, wave_id").fetchall()
    ]


def waves(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The loaded waves in order of opening: name, window and sign-up deadline (UTC)."""
    return con.execute(
        "SELECT wave_id, name, opens_at, closes_at, "
        "coalesce(signup_closes_at, closes_at) AS signup_deadline "
        "FROM waves ORDER BY opens_at, wave_id"
    ).df()


def candidate_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every candidate's name by id, to show a candidate as a name with its id."""
    return dict(con.execute("SELECT candidate_id, name FROM candidates").fetchall())


def _masked(counts: pd.Series, hidden: Sequence[bool]) -> pd.Series:
    """The counts with the hidden ones missing (nullable integers)."""
    return counts.astype("Int64").mask(pd.Series(list(hidden), index=counts.index, dtype=bool))
