"""The analyst's API over a snapshot: tallies, per-option counts, vote statuses, potential
voters and the audit.

In: a connection from `connect` (with or without an as-of instant) and a wave id. Out: a
pandas DataFrame. The work is done by the rule macros (rules/sql/), which read the votes
classified once per snapshot (vote_counts), so a tally and its option counts always agree.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.snapshot import has_temp_table
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import known_ids, reason
from endorse_analysis.vocabulary import STATUSES

# The columns of `tally --format csv`, in the order of docs/rules.md §4.
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
# Why the decision is what it is (REVIEW's reasons), then the staff ruling where there is one.
TEST_COLUMNS = ["tied", "enough_ballots", "enough_turnout"]
RULING_COLUMNS = [
    "ruling_decision",
    "ruling_candidate",
    "ruling_by",
    "ruling_at",
    "ruling_note",
    "ruling_override",
]
ALL_TALLY_COLUMNS = [*TALLY_COLUMNS, *STATUSES, *TEST_COLUMNS, "final_decision", *RULING_COLUMNS]


class UnknownWave(LookupError):
    """A wave id that is not in the loaded waves."""


def require_wave(con: duckdb.DuckDBPyConnection, wave_id: str) -> None:
    """Raise UnknownWave unless the wave is in the loaded waves, and, on a provisional
    connection opened for some waves only (`connect(as_of=..., waves=...)`), among them:
    the others' votes were not counted on it."""
    if con.execute("SELECT count(*) FROM waves WHERE wave_id = ?", [wave_id]).fetchone()[0] == 0:
        known = [r[0] for r in con.execute("SELECT wave_id FROM waves ORDER BY wave_id").fetchall()]
        hint = known_ids(wave_id, known, "waves")
        raise UnknownWave(f"wave {wave_id!r} is not in the database ({hint})")
    counted = counted_waves(con)
    if counted is not None and wave_id not in counted:
        raise UnknownWave(
            f"wave {wave_id!r} was not counted on this provisional connection (it counts "
            f"{', '.join(counted)}): open one with waves=[{wave_id!r}]"
        )


def counted_waves(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The waves a provisional connection opened for some waves counts; None: every wave."""
    if not has_temp_table(con, "as_of_waves"):
        return None
    return [r[0] for r in con.execute("SELECT wave_id FROM as_of_waves ORDER BY 1").fetchall()]


def tally(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """One row per contest of the wave: counts, turnout, top choice, decision and reason
    (docs/rules.md §3 and §4), the contest's votes per status, the final decision (the staff
    ruling where there is one) and the ruling."""
    require_wave(con, wave_id)
    thresholds = thresholds or Thresholds()
    frame = con.execute(
        "SELECT * FROM tally($w, $sp, $sq, $tp, $tq, $mp, $mq)",
        {"w": wave_id, **thresholds.sql_parameters()},
    ).df()
    for status in STATUSES:
        frame[status] = frame[status].fillna(0).astype("int64")
    for column in ("district", "top_votes"):
        frame[column] = frame[column].astype("Int64")
    frame["ruling_override"] = frame["ruling_override"].astype(bool)
    frame["reason"] = [reason(row, thresholds) for row in plain_records(frame)]
    return frame[ALL_TALLY_COLUMNS]


def choices(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Votes and share per option of every contest: each ballot candidate, then NO_ENDORSEMENT."""
    require_wave(con, wave_id)
    return con.execute("SELECT * FROM choices(?)", [wave_id]).df()


def counted_by_day(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Counted ballots of each contest per day cast (UTC). Internal: its cells can be small,
    so it reaches a page only through `rules.privacy.merge_small_periods`."""
    require_wave(con, wave_id)
    return con.execute("SELECT * FROM counted_by_day(?)", [wave_id]).df()


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
    elif counted_waves(con) is not None:
        raise UnknownWave(
            "this provisional connection counts some waves only: audit one of them, or open "
            "one for every wave"
        )
    return con.execute("SELECT * FROM audit(?)", [wave_id]).df()


def rulings(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Staff rulings on the wave's contests (rulings.csv): who decided what, when, why."""
    require_wave(con, wave_id)
    return con.execute(
        "SELECT race_id, decision AS ruling_decision, candidate_id AS ruling_candidate, "
        "decided_by AS ruling_by, decided_at AS ruling_at, note AS ruling_note "
        "FROM rulings WHERE wave_id = ? ORDER BY race_id",
        [wave_id],
    ).df()
