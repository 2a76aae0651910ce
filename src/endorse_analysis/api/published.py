"""The privacy gate (docs/rules.md §3): breakdowns as they may be published, each protected
together with every other figure published beside it that could be subtracted from it.

In: an open connection and the parameters of the breakdown. Out: frames whose small
cells, and the cells chosen to protect them, are missing. Two sets of figures are
protected here whole, whichever function of `api.explore`, `api.panel` or
`api.dynamics` asks for a part of them:

- the timing figures of a wave at a split hour: ballots per hour, the wave's and each
  contest's ballots before and after the split, and each contest's ballots counted as of
  the split (the decision-at-hour table), which are the same ballots but for a re-vote
  or an opt-out between the hour and the end, so treated as known to differ from the
  first part by a known amount;
- the members of a wave per House district and per state (potential voters): a state's
  districts hold its members, the states hold the wave's eligible members; a contest's
  potential voters are its result, always shown.

Figures that leave the package unprotected carry `_unprotected` in their name and are
for analysis inside the program only: no notebook or page calls them.
"""

from __future__ import annotations

import copy
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

import duckdb
import pandas as pd

from endorse_analysis.api.snapshot import as_of_instant, connect
from endorse_analysis.api.tally import require_wave, tally
from endorse_analysis.rules.privacy import Relation, group, protect, sum_of

T = TypeVar("T")


# What the gate worked out, per connection (a read-only snapshot, fixed at its instant):
# the sections of a notebook ask for parts of the same protected set.
_WORKED_OUT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _once(con: duckdb.DuckDBPyConnection, key: tuple, work: Callable[[], T]) -> T:
    """`work()` once per connection and key; a deep copy each time after."""
    done = _WORKED_OUT.setdefault(con, {})
    if key not in done:
        done[key] = work()
    return copy.deepcopy(done[key])


def masked(counts: pd.Series, hidden: list[bool]) -> pd.Series:
    """The counts with the hidden ones missing (nullable integers)."""
    return counts.astype("Int64").mask(pd.Series(list(hidden), index=counts.index, dtype=bool))


def database_path(con: duckdb.DuckDBPyConnection) -> str:
    """The file the connection reads."""
    return con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()[0]


def hour_instant(con: duckdb.DuckDBPyConnection, wave_id: str, hours: int):
    """The instant `hours` after the wave's window opened, or the connection's own instant
    when that is earlier (naive UTC)."""
    opens = con.execute("SELECT opens_at FROM waves WHERE wave_id = ?", [wave_id]).fetchone()[0]
    instant = opens + timedelta(hours=hours)
    current = as_of_instant(con)
    return current if current is not None and current < instant else instant


def counted_at_hour_unprotected(
    con: duckdb.DuckDBPyConnection, wave_id: str, hours: int
) -> dict[str, int]:
    """Each contest's counted ballots as of `hours` after the window opened, by race id
    (unprotected: for the gate)."""
    instant = hour_instant(con, wave_id, hours)
    with connect(database_path(con), as_of=instant, waves=[wave_id]) as early_con:
        early = tally(early_con, wave_id)
    return {r: int(n) for r, n in zip(early["race_id"], early["ballots_counted"], strict=True)}


@dataclass(frozen=True)
class TimingFigures:
    """A wave's timing figures at a split hour, protected together."""

    hours: pd.DataFrame  # hour, ballots
    contests: pd.DataFrame  # race_id, office, ballots, first_hours, first_share
    first: int | None  # the wave's ballots in the first hours; None: hidden
    at_hour: dict[str, int | None]  # a contest's ballots counted as of the hour; None: hidden


def timing_figures(con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int) -> TimingFigures:
    """The timing figures of a wave at a split hour, protected together (worked out once
    per connection: `_timing_figures`)."""
    require_wave(con, wave_id)
    if int(first_hours) != first_hours or first_hours < 0:
        raise ValueError("first_hours must be a whole number of hours, 0 or more")
    hours = int(first_hours)
    return _once(con, ("timing", wave_id, hours), lambda: _timing_figures(con, wave_id, hours))


def _timing_figures(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int
) -> TimingFigures:
    """The timing figures of a wave, protected together. Cells: ballots per hour, the
    wave's ballots in the first hours and after, each contest's likewise, each contest's
    ballots counted as of the hour. Relations: the hours add up to the wave's ballots (a
    result), and so do its two parts; the hours before the split add up to the first
    part, those after to the rest; each contest's two parts add up to its ballots (a
    result); the contests' parts add up to the wave's; a contest's count as of the hour
    less its first part is taken as known."""
    hours = con.execute("SELECT * FROM counted_by_hour(?)", [wave_id]).df()
    contests = con.execute("SELECT * FROM counted_first_hours(?, ?)", [wave_id, first_hours]).df()
    at_hour = counted_at_hour_unprotected(con, wave_id, first_hours)
    races = [str(r) for r in contests["race_id"]]
    at_races = sorted(at_hour)
    per_hour = [int(v) for v in hours["ballots"]]
    early = [int(v) for v in contests["first_hours"]]
    late = [int(n) - e for n, e in zip(contests["ballots"], early, strict=True)]
    total = sum(per_hour)
    n_hours, n_contests = len(per_hour), len(early)
    first, rest = n_hours, n_hours + 1
    early_cells = range(n_hours + 2, n_hours + 2 + n_contests)
    late_cells = range(n_hours + 2 + n_contests, n_hours + 2 + 2 * n_contests)
    at_start = n_hours + 2 + 2 * n_contests
    at_cells = {race: at_start + k for k, race in enumerate(at_races)}
    early_of = dict(zip(races, zip(early_cells, early, strict=True), strict=True))
    split = min(first_hours, n_hours)
    relations = [
        group(range(n_hours), total),
        group([first, rest], total),
        sum_of(range(split), first),
        sum_of(range(split, n_hours), rest),
        *(
            group([e, k], early[i] + late[i])
            for i, (e, k) in enumerate(zip(early_cells, late_cells, strict=True))
        ),
        sum_of(early_cells, first),
        sum_of(late_cells, rest),
    ]
    for race, cell in at_cells.items():
        if race in early_of:
            e_cell, e_value = early_of[race]
            relations.append(Relation((cell,), (e_cell,), at_hour[race] - e_value))
    values = [*per_hour, sum(early), sum(late), *early, *late, *(at_hour[r] for r in at_races)]
    hidden = protect(values, relations)

    hours["ballots"] = masked(hours["ballots"], hidden[:n_hours])
    contests["first_hours"] = masked(
        contests["first_hours"], hidden[early_cells.start : late_cells.start]
    )
    contests["first_share"] = contests["first_hours"].astype("Float64") / contests["ballots"]
    shown_first = None if hidden[first] else values[first]
    shown_at = {r: None if hidden[c] else at_hour[r] for r, c in at_cells.items()}
    return TimingFigures(hours, contests, shown_first, shown_at)


def mask_at_hour(frame: pd.DataFrame, figures: TimingFigures, column: str) -> pd.DataFrame:
    """A decision-at-hour frame with `column` (a contest's ballots as of the hour) as the
    timing figures publish it."""
    out = frame.copy()
    out[column] = pd.array([figures.at_hour.get(str(r), 0) for r in out["race_id"]], dtype="Int64")
    return out


def derived_results(relations: list[Relation], results: set[int]) -> set[int]:
    """The results and every cell they give back: a relation whose cells are all results
    but one gives that one too (hiding it would protect nothing)."""
    known = set(results)
    grew = True
    while grew:
        grew = False
        for relation in relations:
            unknown = [c for c in relation.cells() if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                grew = True
    return known


@dataclass(frozen=True)
class MemberReach:
    """A wave's potential voters per House district and per state, protected together."""

    districts: pd.DataFrame  # reach_by_district's columns, potential_voters masked
    states: pd.DataFrame  # state, state_name, potential_voters masked
    reached: pd.Series  # per district row: whether it has any potential voter


def member_reach(con: duckdb.DuckDBPyConnection, wave_id: str) -> MemberReach:
    """Members per House district and per state in the wave, protected together (worked
    out once per connection: `_member_reach`)."""
    require_wave(con, wave_id)
    return _once(con, ("reach", wave_id), lambda: _member_reach(con, wave_id))


def _member_reach(con: duckdb.DuckDBPyConnection, wave_id: str) -> MemberReach:
    """Members who could vote in the wave's House race of each district and in the
    statewide races of each state, protected together: a state's districts hold its
    members (their difference taken as known), the states add up to the wave's eligible
    members (a result); a district or state with a contest in the wave shows its contest's
    potential voters, a result."""
    districts = con.execute("SELECT * FROM reach_by_district(?)", [wave_id]).df()
    states = con.execute("SELECT * FROM statewide_voters(?)", [wave_id]).df()
    races = con.execute(
        "SELECT r.office, r.state, r.district FROM contests(?) c JOIN races r USING (race_id)",
        [wave_id],
    ).fetchall()
    house = {(s, int(d)) for office, s, d in races if office == "house" and d is not None}
    statewide = {s for office, s, _ in races if office != "house"}
    n_districts = len(districts)
    state_cell = {s: n_districts + k for k, s in enumerate(states["state"])}
    values = [int(v) for v in districts["potential_voters"]] + [
        int(v) for v in states["potential_voters"]
    ]
    relations: list[Relation] = [group(list(state_cell.values()), sum(values[n_districts:]))]
    by_state: dict[str, list[int]] = {}
    for k, s in enumerate(districts["state"]):
        by_state.setdefault(s, []).append(k)
    for s, cells in by_state.items():
        if s in state_cell:
            inside = sum(values[k] for k in cells)
            relations.append(
                Relation(tuple(cells), (state_cell[s],), inside - values[state_cell[s]])
            )
    fixed = {
        k
        for k, (s, d) in enumerate(zip(districts["state"], districts["district"], strict=True))
        if (s, int(d)) in house
    } | {state_cell[s] for s in statewide if s in state_cell}
    hidden = protect(values, relations, always_shown=derived_results(relations, fixed))
    reached = districts["potential_voters"] > 0
    districts["potential_voters"] = masked(districts["potential_voters"], hidden[:n_districts])
    states["potential_voters"] = masked(states["potential_voters"], hidden[n_districts:])
    return MemberReach(districts, states, reached)
