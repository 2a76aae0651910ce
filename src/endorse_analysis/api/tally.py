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
from endorse_analysis.vocabulary import APPROVAL, RANKED, SINGLE, STATUSES

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
# How the contest was counted (contract §5): the wave's method; for a ranked contest the
# rounds of its runoff and the ballots exhausted by the last; for an approval contest the
# candidates approved by at least S of N.
METHOD_COLUMNS = ["method", "rounds", "exhausted", "approved_enough", "runoff_rounds"]
ALL_TALLY_COLUMNS = [
    *TALLY_COLUMNS,
    *STATUSES,
    *TEST_COLUMNS,
    "final_decision",
    *RULING_COLUMNS,
    *METHOD_COLUMNS,
]


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
    frame = _with_method(con, wave_id, thresholds, frame)
    frame["reason"] = [reason(row, thresholds) for row in plain_records(frame)]
    frame = frame[ALL_TALLY_COLUMNS]
    frame.attrs["method"] = wave_method(con, wave_id)  # also when the wave has no contest
    return frame


def decided_votes(row: dict, choice: str, counted: int) -> int:
    """A candidate's votes as the decision reads them (contract §5): in a ranked contest
    its votes in the runoff's final round (0 once eliminated); else `counted`, its count."""
    rounds = row.get("runoff_rounds")
    if rounds:
        return int(rounds[-1]["votes"].get(choice, 0))
    return int(counted)


def wave_method(con: duckdb.DuckDBPyConnection, wave_id: str) -> str:
    """The wave's method (contract §5): single, approval or ranked."""
    found = con.execute("SELECT method FROM wave_methods(?)", [wave_id]).fetchall()
    return found[0][0] if found else SINGLE


def _with_method(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds, frame: pd.DataFrame
) -> pd.DataFrame:
    """`frame` with the METHOD_COLUMNS of each contest."""
    method = wave_method(con, wave_id)
    frame = frame.copy()
    frame["method"] = method
    parameters = thresholds.sql_parameters()
    params = {"w": wave_id, "sp": parameters["sp"], "sq": parameters["sq"]}
    runoffs: dict[str, list[dict[str, object]]] = {}
    if method == RANKED:
        runoffs = runoff_rounds(rounds(con, wave_id, thresholds))
    frame["runoff_rounds"] = [runoffs.get(race) for race in frame["race_id"]]
    frame["rounds"] = pd.array(
        [len(runoffs[r]) if r in runoffs else None for r in frame["race_id"]], dtype="Int64"
    )
    frame["exhausted"] = pd.array(
        [runoffs[r][-1]["exhausted"] if r in runoffs else None for r in frame["race_id"]],
        dtype="Int64",
    )
    approved: dict[str, list[str]] = {}
    if method == APPROVAL:
        found = con.execute("SELECT * FROM approved_enough($w, $sp, $sq)", params).fetchall()
        approved = {race: list(candidates) for race, candidates in found}
    frame["approved_enough"] = [
        approved.get(race, []) if method == APPROVAL else None for race in frame["race_id"]
    ]
    return frame


def runoff_rounds(frame: pd.DataFrame) -> dict[str, list[dict[str, object]]]:
    """The rows of `rounds` as each contest's list of rounds, as `tally --format json`
    writes them: {"round", "votes": {option: votes}, "exhausted", "eliminated"}."""
    found: dict[str, list[dict[str, object]]] = {}
    for row in plain_records(frame):
        contest = found.setdefault(row["race_id"], [])
        if not contest or contest[-1]["round"] != row["round"]:
            contest.append(
                {
                    "round": row["round"],
                    "votes": {},
                    "exhausted": row["exhausted"],
                    "eliminated": row["eliminated"],
                }
            )
        contest[-1]["votes"][row["choice"]] = row["votes"]
    return found


def rounds(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every round of the instant runoff of each contest of a ranked wave (contract §5), one
    row per continuing option: race_id, round, choice, votes, exhausted (every ballot
    exhausted by that round) and eliminated (None in the final round). Empty for another
    method."""
    require_wave(con, wave_id)
    thresholds = thresholds or Thresholds()
    parameters = thresholds.sql_parameters()
    return con.execute(
        "SELECT race_id, round, choice, votes, exhausted, eliminated FROM "
        "(SELECT *, unnest(tallies, recursive := true) FROM runoff($w, $sp, $sq)) "
        "ORDER BY race_id, round, choice = 'NO_ENDORSEMENT', choice",
        {"w": wave_id, "sp": parameters["sp"], "sq": parameters["sq"]},
    ).df()


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
