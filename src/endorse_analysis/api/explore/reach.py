"""Reach (notebooks/explore_reach.ipynb): potential voters and local groups per district
and state, and sign-ups over time, around each deadline and in the rush before it.

In: an open connection. Out: DataFrames of aggregates. The sign-up figures (per period,
around each deadline, the rush) are protected together (`rules.privacy.protect`), each set
at the notebook's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from endorse_analysis import parameters
from endorse_analysis.api import published
from endorse_analysis.api.explore.common import _masked
from endorse_analysis.rules.privacy import Relation, group, protect, sum_of

SIGNUP_UNITS = ("day", "week", "month", "quarter", "year")
# The sign-up figures the reach notebook publishes together, and so protects together.
SIGNUP_UNIT = parameters.SIGNUP_UNIT.value
DAYS_BEFORE_DEADLINE = parameters.DAYS_BEFORE_DEADLINE.value
DAYS_AFTER_DEADLINE = parameters.DAYS_AFTER_DEADLINE.value
RUSH_DAYS, BASELINE_WEEKS = parameters.RUSH_DAYS.value, parameters.BASELINE_WEEKS.value


def reach_by_district(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Every House district of the 50 states (0 at large): potential voters of the wave
    (members who could vote in its House race), groups with that district, statewide groups
    of its state (they count for every House race of the state), and both together."""
    return published.member_reach(con, wave_id).districts


def reach_by_state(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Per state: potential voters of its statewide races in the wave, local groups (all of
    the state), House districts, and districts with potential voters but no district group."""
    reach = published.member_reach(con, wave_id)
    by_district, voters = reach.districts, reach.states
    groups = con.execute("SELECT state, count(*) AS groups FROM groups GROUP BY state").df()
    per = by_district.groupby("state").agg(
        districts=("district", "size"),
        districts_without_group=(
            "district_groups",
            lambda s: int(((s == 0) & reach.reached.loc[s.index]).sum()),
        ),
    )
    out = voters.merge(groups, on="state", how="left").merge(per, on="state", how="left")
    out["groups"] = out["groups"].fillna(0).astype("int64")
    per_group = out["potential_voters"].astype("Float64") / out["groups"].where(out["groups"] > 0)
    out["potential_voters_per_group"] = per_group.astype("float64")
    return out.sort_values("state").reset_index(drop=True)


def districts_without_groups(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """House districts with potential voters but no group of their own (a statewide group
    may still cover them: see `statewide_groups`), the most potential voters first."""
    reach = published.member_reach(con, wave_id)
    frame = reach.districts
    gaps = frame[reach.reached & (frame["district_groups"] == 0)]
    return gaps.sort_values(
        ["potential_voters", "state", "district"], ascending=[False, True, True]
    ).reset_index(drop=True)


def signups(con: duckdb.DuckDBPyConnection, unit: str = SIGNUP_UNIT) -> pd.DataFrame:
    """Members signed up per period (national), protected with the other sign-up figures."""
    return _signup_figures(con, unit=unit).periods


def signups_around_deadlines(
    con: duckdb.DuckDBPyConnection,
    before: int = DAYS_BEFORE_DEADLINE,
    after: int = DAYS_AFTER_DEADLINE,
) -> pd.DataFrame:
    """Sign-ups per day relative to each wave's sign-up deadline (day -1 is the last 24 hours
    before it, day 0 the 24 hours after), national, protected with the other sign-up
    figures."""
    return _signup_figures(con, before=before, after=after).days


def signup_rush(
    con: duckdb.DuckDBPyConnection, days: int = RUSH_DAYS, baseline_weeks: int = BASELINE_WEEKS
) -> pd.DataFrame:
    """Per wave: sign-ups in the `days` days before its sign-up deadline, against the
    average of the same length over the `baseline_weeks` weeks before that; `rush` is
    their ratio (2.0: twice the usual pace). Protected with the other sign-up figures; a
    ratio is hidden with either of its counts."""
    return _signup_figures(con, rush_days=days, baseline_weeks=baseline_weeks).rush


@dataclass(frozen=True)
class _SignupFigures:
    periods: pd.DataFrame
    days: pd.DataFrame
    rush: pd.DataFrame


@dataclass(frozen=True)
class _Span:
    """A published count of sign-ups and the instants it covers: [start, end)."""

    series: str
    start: pd.Timestamp
    end: pd.Timestamp
    count: int


_UNIT_LENGTH = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def _signup_figures(
    con: duckdb.DuckDBPyConnection,
    unit: str = SIGNUP_UNIT,
    before: int = DAYS_BEFORE_DEADLINE,
    after: int = DAYS_AFTER_DEADLINE,
    rush_days: int = RUSH_DAYS,
    baseline_weeks: int = BASELINE_WEEKS,
) -> _SignupFigures:
    """The sign-up figures of the reach notebook, protected together: the periods add up to
    the members, and any published count that spans exactly the days or periods of another
    series (the rush window, a month inside the days around a deadline, a day two waves
    share) is their sum."""
    if unit not in SIGNUP_UNITS:
        raise ValueError(f"unit must be one of {', '.join(SIGNUP_UNITS)}")
    periods = con.execute("SELECT * FROM signups_by_period(?)", [unit]).df()
    days = con.execute("SELECT * FROM signups_around_deadlines(?, ?)", [before, after]).df()
    rush = con.execute("SELECT * FROM signup_rush_counts(?, ?)", [rush_days, baseline_weeks]).df()
    members = con.execute("SELECT count(*) FROM members").fetchone()[0]

    spans = [
        _Span("period", start, start + _UNIT_LENGTH[unit], count)
        for start, count in zip(periods["period"], periods["signups"], strict=True)
    ]
    one_day = pd.Timedelta(days=1)
    spans += [
        _Span(f"days {wave}", deadline + day * one_day, deadline + (day + 1) * one_day, count)
        for wave, deadline, day, count in zip(
            days["wave_id"], days["deadline"], days["day"], days["signups"], strict=True
        )
    ]
    last = rush_days * one_day
    baseline = (rush_days + 7 * baseline_weeks) * one_day
    for deadline, last_days, base in zip(
        rush["deadline"], rush["last_days"], rush["baseline"], strict=True
    ):
        spans.append(_Span("rush", deadline - last, deadline, last_days))
        spans.append(_Span("baseline", deadline - baseline, deadline - last, base))
    relations = [group(range(len(periods)), members), *_tilings(spans)]
    hidden = protect([s.count for s in spans], relations)

    n_periods, n_days = len(periods), len(days)
    periods["signups"] = _masked(periods["signups"], hidden[:n_periods])
    days["signups"] = _masked(days["signups"], hidden[n_periods : n_periods + n_days])
    days = days.drop(columns="deadline")
    rush_hidden = hidden[n_periods + n_days :]
    rush["last_days"] = _masked(rush["last_days"], rush_hidden[0::2])
    rush["baseline"] = _masked(rush["baseline"], rush_hidden[1::2])
    per_period = rush["baseline"].astype("Float64") * rush_days / (7 * baseline_weeks)
    rush["baseline_same_length"] = per_period
    rush["rush"] = rush["last_days"].astype("Float64") / per_period.where(per_period > 0)
    return _SignupFigures(periods, days, rush)


def _tilings(spans: list[_Span]) -> list[Relation]:
    """ "This count is the sum of those": for every span, the spans of another series that
    cover exactly its instants, end to end."""
    by_series: dict[str, list[int]] = {}
    for i, span in enumerate(spans):
        by_series.setdefault(span.series, []).append(i)
    for members in by_series.values():
        members.sort(key=lambda i: spans[i].start)
    relations = []
    for whole, span in enumerate(spans):
        for series, members in by_series.items():
            if series == span.series:
                continue
            inside = [
                i for i in members if spans[i].start >= span.start and spans[i].end <= span.end
            ]
            if inside and _end_to_end([spans[i] for i in inside], span.start, span.end):
                relations.append(sum_of(inside, whole))
    return relations


def _end_to_end(parts: list[_Span], start: pd.Timestamp, end: pd.Timestamp) -> bool:
    if parts[0].start != start or parts[-1].end != end:
        return False
    return all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))
