"""Member flows for the analyst's notebooks: the funnel from sign-up to eligible to voted,
retention from wave to wave, new against veteran members, and vote changes.

In: an open connection (`endorse_analysis.connect`, final or as of an instant). Out: pandas
DataFrames of counts of members, from the macros of rules/sql/members.sql; never a member.
Every count of members below MIN_CELL is hidden (missing), and so is every rate computed
from one. Where two hidden-or-shown counts add up to a count shown elsewhere in the same
notebook (new and veteran members make up the eligible members of the funnel), both parts
are hidden together, so that neither comes back by subtraction. A rate that stands for a
propensity (to vote again, to vote at all) carries its 95% Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api.frames import rate_with_interval
from endorse_analysis.rules.privacy import hide_small

NEW, VETERAN = "new", "veteran"  # the first wave a member could vote in, or a later one


def funnel(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per wave, in order of opening: members on the list during it (`signed_up`), of them
    potential voters of at least one contest (`eligible`), of them with a counted ballot
    (`voted`); the share of each stage that reached the next."""
    frame = hide_small(con.execute("SELECT * FROM member_funnel()").df(), ["signed_up",
                       "eligible", "voted"])  # fmt: skip
    frame["eligible_share"] = frame["eligible"].astype("Float64") / frame["signed_up"]
    frame["voted_share"] = frame["voted"].astype("Float64") / frame["eligible"]
    return frame


def retention(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """From each wave to the next: its voters, how many of them could vote again in the
    next wave (`eligible_again`) and how many did (`voted_again`); `retention` is
    voted_again / eligible_again with its Wilson interval."""
    frame = con.execute("SELECT * FROM member_retention()").df()
    frame = hide_small(frame, ["voters", "eligible_again", "voted_again"])
    return rate_with_interval(frame, "voted_again", "eligible_again", "retention")


def new_and_veteran(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per wave: eligible members and voters who could vote for the first time (`new`) and
    those who could before (`veteran`), and the share of each that voted with its Wilson
    interval. The two make up the funnel's eligible members and voters, so when one of a
    pair is hidden, so is the other."""
    frame = con.execute("SELECT * FROM member_tenure()").df()
    frame.insert(1, "members", np.where(frame.pop("new_member"), NEW, VETERAN))
    frame = hide_small(frame, ["eligible", "voted"])
    for column in ("eligible", "voted"):
        any_hidden = frame[column].isna().groupby(frame["wave_id"]).transform("any")
        frame[column] = frame[column].mask(any_hidden)
    return rate_with_interval(frame, "voted", "eligible", "voted_share")


def vote_changes(
    con: duckdb.DuckDBPyConnection, waves: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per wave: members who cast more than one valid ballot in a contest (a member counts
    once per contest), how many of them ended on another choice than their first, and the
    contests where anyone did. A changed vote is the member's right; this says how much
    the last-ballot rule matters."""
    frame = con.execute("SELECT * FROM vote_changes(NULL)").df()
    order = con.execute("SELECT wave_id FROM waves ORDER BY opens_at, wave_id").df()
    if waves is not None:
        order = order[order["wave_id"].isin(list(waves))]
    per_wave = frame.groupby("wave_id").agg(
        revoting_members=("revoting_members", "sum"),
        changed_choice=("changed_choice", "sum"),
        contests_with_changes=("changed_choice", lambda s: int((s > 0).sum())),
    )
    out = order.merge(per_wave.reset_index(), on="wave_id", how="left").fillna(0)
    for column in ("revoting_members", "changed_choice", "contests_with_changes"):
        out[column] = out[column].astype("int64")
    out = hide_small(out, ["revoting_members", "changed_choice"])
    # how many contests saw a change would bound a hidden number of changes
    out["contests_with_changes"] = (
        out["contests_with_changes"].astype("Int64").mask(out["changed_choice"].isna())
    )
    out["changed_share"] = out["changed_choice"].astype("Float64") / out["revoting_members"]
    return out
