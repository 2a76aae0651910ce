"""The analyst's API: tallies, per-option counts, vote statuses and potential voters.

Each function takes an open connection (see `connect`) and returns a pandas DataFrame;
the work is done by the rule macros in sql/, one set-based pass per wave.
"""

from __future__ import annotations

import math

import duckdb
import pandas as pd

from endorse_analysis.database import as_of_instant
from endorse_analysis.rules import Thresholds, reason
from endorse_analysis.schema import STATUSES

TALLY_COLUMNS = [
    "wave_id",
    "race_id",
    "office",
    "state",
    "district",
    "candidates_on_ballot",
    "eligible_voters",
    "ballots_counted",
    "turnout",
    "top_choice",
    "top_votes",
    "top_share",
    "decision",
    "reason",
]


def plain(value: object) -> object:
    """A DataFrame cell as a plain Python value: NaN/NA -> None, numpy scalars -> numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def plain_records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, object]]:
    """Rows as dicts of plain values (None for missing), in the given column order."""
    columns = list(frame.columns) if columns is None else columns
    return [
        dict(zip(columns, map(plain, row), strict=True))
        for row in frame[columns].itertuples(index=False, name=None)
    ]


class UnknownWave(LookupError):
    """A wave id that is not in the loaded waves."""


def require_wave(con: duckdb.DuckDBPyConnection, wave_id: str) -> None:
    """Raise UnknownWave unless the wave is in the loaded waves."""
    if con.execute("SELECT count(*) FROM waves WHERE wave_id = ?", [wave_id]).fetchone()[0] == 0:
        raise UnknownWave(f"wave {wave_id!r} is not in the database")


def _count_wave(con: duckdb.DuckDBPyConnection, wave_id: str) -> None:
    """Put the wave's vote counts per contest, status and choice into the temporary table
    wave_counts, which the tally and choices macros read: from the counts the load wrote
    (sql/vote_counts.sql), or classified afresh for an --as-of connection."""
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS wave_counts "
        "(wave_id VARCHAR, race_id VARCHAR, status VARCHAR, choice VARCHAR, votes BIGINT)"
    )
    done = con.execute("SELECT count(*) FROM wave_counts WHERE wave_id = ?", [wave_id])
    if done.fetchone()[0] > 0:
        return
    if as_of_instant(con) is not None:
        con.execute("INSERT INTO wave_counts SELECT * FROM contest_counts(?)", [wave_id])
    else:
        con.execute(
            "INSERT INTO wave_counts SELECT wave_id, race_id, status, choice, votes "
            "FROM vote_counts WHERE wave_id = ? AND race_id IN (SELECT race_id FROM races)",
            [wave_id],
        )


def tally(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """One row per contest of the wave: counts, turnout, top choice, decision and reason,
    plus the contest's audit counts per status (contract §3 and §4)."""
    require_wave(con, wave_id)
    _count_wave(con, wave_id)
    thresholds = thresholds or Thresholds()
    frame = con.execute(
        "SELECT * FROM tally($w, $sp, $sq, $tp, $tq, $mp, $mq)",
        {"w": wave_id, **thresholds.sql_parameters()},
    ).df()
    for status in STATUSES:
        frame[status] = frame[status].fillna(0).astype("int64")
    for column in ("district", "top_votes"):
        frame[column] = frame[column].astype("Int64")
    frame["reason"] = [reason(row, thresholds) for row in plain_records(frame)]
    frame = frame.merge(rulings(con, wave_id), on="race_id", how="left")
    frame["final_decision"] = frame["ruling_decision"].fillna(frame["decision"])
    frame["ruling_override"] = frame["ruling_decision"].notna() & (frame["decision"] != "REVIEW")
    return frame[
        TALLY_COLUMNS
        + list(STATUSES)
        + ["tied", "enough_ballots", "enough_turnout", "final_decision", *RULING_COLUMNS]
    ]


RULING_COLUMNS = [
    "ruling_decision",
    "ruling_candidate",
    "ruling_by",
    "ruling_at",
    "ruling_note",
    "ruling_override",
]


def rulings(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Staff rulings on the wave's contests (rulings.csv): who decided what, when, why."""
    return con.execute(
        "SELECT race_id, decision AS ruling_decision, candidate_id AS ruling_candidate, "
        "decided_by AS ruling_by, decided_at AS ruling_at, note AS ruling_note "
        "FROM rulings WHERE wave_id = ? ORDER BY race_id",
        [wave_id],
    ).df()


def choices(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Votes and share per option of every contest: each ballot candidate, then NO_ENDORSEMENT."""
    require_wave(con, wave_id)
    _count_wave(con, wave_id)
    return con.execute("SELECT * FROM choices(?)", [wave_id]).df()


def vote_status(con: duckdb.DuckDBPyConnection, wave_id: str | None = None) -> pd.DataFrame:
    """Every vote (of one wave, or of all) with its one status. For analysis inside the
    program only: it holds single ballots, so it never goes into a report or export."""
    return con.execute(
        "SELECT vote_id, wave_id, race_id, choice, cast_at, status FROM vote_status(?) "
        "ORDER BY vote_id",
        [wave_id],
    ).df()


def potential_voters(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """E per contest of the wave: members in the jurisdiction who could vote."""
    require_wave(con, wave_id)
    return con.execute("SELECT * FROM potential_voters(?) ORDER BY race_id", [wave_id]).df()


def audit(con: duckdb.DuckDBPyConnection, wave_id: str | None = None) -> pd.DataFrame:
    """Votes per (wave_id, race_id, status) as the votes carry them; non-zero counts only.
    Without a wave, every wave_id found in the votes, unknown ones included."""
    if wave_id is not None:
        require_wave(con, wave_id)
    return con.execute(
        "SELECT wave_id, race_id, status, count(*) AS votes FROM vote_status(?) "
        "GROUP BY ALL ORDER BY wave_id, race_id, status",
        [wave_id],
    ).df()
