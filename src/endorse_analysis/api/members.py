"""Member flows for the analyst's notebooks: the funnel from sign-up to eligible to voted,
retention from wave to wave, new against veteran members, and vote changes.

In: an open connection (`endorse_analysis.connect`, final or as of an instant). Out: pandas
DataFrames of counts of members, from the macros of rules/sql/members.sql; never a member.
The four tables are published together and so protected together (`rules.privacy.protect`):
a wave's eligible members and voters are shown as results (the tallies' contest totals
often add up to them); every other count is a cell, and so is each difference a reader can
take (members on the list but not eligible, new members who did not vote, voters of a
wave not eligible in the next, ...). A cell under MIN_CELL is hidden (missing), and so are
a few more where needed, so that none comes back by subtraction; a rate computed from a
hidden count is missing too. A rate that stands for a propensity (to vote again, to vote at all)
carries its 95% Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api.frames import rate_with_interval
from endorse_analysis.rules.privacy import Relation, protect, sum_of

NEW, VETERAN = "new", "veteran"  # the first wave a member could vote in, or a later one


def funnel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per wave, in order of opening: members on the list during it (`signed_up`), of them
    potential voters of at least one contest (`eligible`), of them with a counted ballot
    (`voted`); the share of each stage that reached the next."""
    frame = _protected_member_tables(con).funnel
    frame["eligible_share"] = frame["eligible"].astype("Float64") / frame["signed_up"]
    frame["voted_share"] = frame["voted"].astype("Float64") / frame["eligible"]
    return frame


def retention(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """From each wave to the next: its voters, how many of them could vote again in the
    next wave (`eligible_again`) and how many did (`voted_again`); `retention` is
    voted_again / eligible_again with its Wilson interval."""
    frame = _protected_member_tables(con).retention
    return rate_with_interval(frame, "voted_again", "eligible_again", "retention")


def new_and_veteran(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per wave: eligible members and voters who could vote for the first time (`new`) and
    those who could before (`veteran`), and the share of each that voted with its Wilson
    interval. The two make up the funnel's eligible members and voters."""
    frame = _protected_member_tables(con).tenure
    return rate_with_interval(frame, "voted", "eligible", "voted_share")


def vote_changes(
    con: duckdb.DuckDBPyConnection, waves: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per wave: members who cast more than one valid ballot in a contest (a member counts
    once per contest), how many of them ended on another choice than their first, and the
    contests where anyone did. A changed vote is the member's right; this says how much
    the last-ballot rule matters."""
    out = _protected_member_tables(con).changes
    if waves is not None:
        out = out[out["wave_id"].isin(list(waves))].reset_index(drop=True)
    out["changed_share"] = out["changed_choice"].astype("Float64") / out["revoting_members"]
    return out


@dataclass(frozen=True)
class _MemberFigures:
    funnel: pd.DataFrame
    retention: pd.DataFrame
    tenure: pd.DataFrame
    changes: pd.DataFrame


class _Cells:
    """The counts published together, the differences a reader can take as cells of their
    own (never published: protected so that one under MIN_CELL cannot come back), and the
    relations between them."""

    def __init__(self) -> None:
        self.values: list[int] = []
        self.relations: list[Relation] = []
        self.results: set[int] = set()  # cells shown whatever happens

    def add(self, value: object, result: bool = False) -> int:
        self.values.append(int(value))
        if result:
            self.results.add(len(self.values) - 1)
        return len(self.values) - 1

    def contains(self, whole: int, part: int) -> None:
        """`part` counts some of the members `whole` counts: the rest is a cell too."""
        rest = self.add(self.values[whole] - self.values[part])
        self.relations.append(sum_of([part, rest], whole))

    def adds_up(self, parts: Sequence[int], whole: int) -> None:
        self.relations.append(sum_of(parts, whole))


def _protected_member_tables(con: duckdb.DuckDBPyConnection) -> _MemberFigures:
    """The member-flow tables of the notebook, protected together.

    A wave's eligible members and its voters are results: the contests' potential voters
    and counted ballots, which every tally publishes, often add up to them. The rest are
    published. Per wave: members on the list (around the eligible), new and veteran members
    making up the eligible members and the voters, those who changed their vote inside
    those who voted more than once. From a wave to the next: those eligible again, inside
    its voters, the next wave's eligible members and its veterans; those who voted again,
    inside them, the next wave's voters and its veteran voters. The second wave's veterans
    were all eligible in the first."""
    funnel = con.execute("SELECT * FROM member_funnel()").df()
    retention = con.execute("SELECT * FROM member_retention()").df()
    tenure = con.execute("SELECT * FROM member_tenure()").df()
    tenure.insert(1, "members", np.where(tenure.pop("new_member"), NEW, VETERAN))
    changes = _changes_per_wave(con)

    cells = _Cells()
    published: dict[tuple[str, str], list[int]] = {}
    eligible: dict[str, int] = {}
    voted: dict[str, int] = {}
    veterans: dict[str, tuple[int, int]] = {}  # wave: (eligible, voted) cells
    columns = ["wave_id", "signed_up", "eligible", "voted"]
    for wave, listed, e_count, v_count in funnel[columns].itertuples(index=False):
        listed_cell = cells.add(listed)
        eligible[wave] = cells.add(e_count, result=True)
        voted[wave] = cells.add(v_count, result=True)
        cells.contains(listed_cell, eligible[wave])
        published[("funnel", wave)] = [listed_cell, eligible[wave], voted[wave]]
    for wave, rows in tenure.groupby("wave_id", sort=False):
        tenure_cells = []
        for kind, e_count, v_count in rows[["members", "eligible", "voted"]].itertuples(
            index=False
        ):
            eligible_cell, voted_cell = cells.add(e_count), cells.add(v_count)
            cells.contains(eligible_cell, voted_cell)
            tenure_cells += [eligible_cell, voted_cell]
            if kind == VETERAN:
                veterans[wave] = (eligible_cell, voted_cell)
        cells.adds_up(tenure_cells[0::2], eligible[wave])
        cells.adds_up(tenure_cells[1::2], voted[wave])
        published[("tenure", wave)] = tenure_cells
    waves = list(funnel["wave_id"])
    if len(waves) > 1 and waves[1] in veterans:  # the first wave is everyone's first
        cells.contains(eligible[waves[0]], veterans[waves[1]][0])
    columns = ["from_wave", "to_wave", "eligible_again", "voted_again"]
    for before, after, again_eligible, again_voted in retention[columns].itertuples(index=False):
        eligible_cell, voted_cell = cells.add(again_eligible), cells.add(again_voted)
        cells.contains(voted[before], eligible_cell)
        cells.contains(eligible_cell, voted_cell)
        cells.contains(eligible[after], eligible_cell)
        cells.contains(voted[after], voted_cell)
        if after in veterans:
            cells.contains(veterans[after][0], eligible_cell)
            cells.contains(veterans[after][1], voted_cell)
        published[("retention", before)] = [voted[before], eligible_cell, voted_cell]
    for wave, revoting, changed, _ in changes.itertuples(index=False):
        revoting_cell, changed_cell = cells.add(revoting), cells.add(changed)
        cells.contains(revoting_cell, changed_cell)
        published[("changes", wave)] = [revoting_cell, changed_cell]

    hidden = protect(cells.values, cells.relations, always_shown=cells.results)

    def masked(frame: pd.DataFrame, kind: str, key: str, columns: list[str]) -> pd.DataFrame:
        shown: list[list[int | None]] = [[] for _ in columns]
        for value in frame[key].drop_duplicates():
            for n, cell in enumerate(published[(kind, value)]):
                shown[n % len(columns)].append(None if hidden[cell] else cells.values[cell])
        for column, values in zip(columns, shown, strict=True):
            frame[column] = pd.array(values, dtype="Int64")
        return frame

    funnel = masked(funnel, "funnel", "wave_id", ["signed_up", "eligible", "voted"])
    tenure = masked(tenure, "tenure", "wave_id", ["eligible", "voted"])
    retention = masked(
        retention, "retention", "from_wave", ["voters", "eligible_again", "voted_again"]
    )
    changes = masked(changes, "changes", "wave_id", ["revoting_members", "changed_choice"])
    # how many contests saw a change would bound a hidden number of changes
    changes["contests_with_changes"] = (
        changes["contests_with_changes"].astype("Int64").mask(changes["changed_choice"].isna())
    )
    return _MemberFigures(funnel, retention, tenure, changes)


def _changes_per_wave(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per wave in order of opening: members who voted more than once in a contest, those
    who changed their choice, and the contests where anyone did (0 for a wave with none)."""
    frame = con.execute("SELECT * FROM vote_changes(NULL)").df()
    order = con.execute("SELECT wave_id FROM waves ORDER BY opens_at, wave_id").df()
    per_wave = frame.groupby("wave_id").agg(
        revoting_members=("revoting_members", "sum"),
        changed_choice=("changed_choice", "sum"),
        contests_with_changes=("changed_choice", lambda s: int((s > 0).sum())),
    )
    out = order.merge(per_wave.reset_index(), on="wave_id", how="left").fillna(0)
    for column in ("revoting_members", "changed_choice", "contests_with_changes"):
        out[column] = out[column].astype("int64")
    return out
