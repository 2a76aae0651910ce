"""Enthusiasm (notebooks/explore_enthusiasm.ipynb): turnout by wave, office and what may
explain it, the contests a quasi-binomial model finds unusual, and mobilisation by group.

In: an open connection. Out: DataFrames of aggregates (per-contest totals, which are
public, and sums of them). Decisions come from `tally`.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api.explore.common import wave_ids
from endorse_analysis.api.tally import TALLY_COLUMNS, require_wave, tally
from endorse_analysis.parameters import OUTLIER_Z
from endorse_analysis.rules.margins import Z_95
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.vocabulary import NO_CANDIDATES

CHI2_1_MEDIAN = 0.454936  # the median of a chi-square distribution with one degree of freedom


def contest_summary(
    con: duckdb.DuckDBPyConnection,
    waves: Sequence[str] | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per contest of the waves (default: all), from the tally: office, E, N,
    turnout, top share, decision, and what may explain enthusiasm: the number of groups of
    the jurisdiction endorsing any candidate of the race in the wave, whether two or more
    candidates are on the ballot (contested), whether one of them runs for the first time."""
    waves = list(waves) if waves is not None else wave_ids(con)
    frames = []
    for w in waves:
        t = tally(con, w, thresholds)
        extra = con.execute("SELECT * FROM contest_traits(?)", [w]).df()
        frames.append(t.merge(extra, on="race_id", how="left"))
    without_reason = [c for c in TALLY_COLUMNS if c != "reason"]
    columns = [*without_reason, "endorsing_groups", "first_time", "incumbent"]
    if not frames:
        return pd.DataFrame(columns=[*columns, "contested"])
    out = pd.concat(frames, ignore_index=True)[columns]
    out["contested"] = out["candidates_on_ballot"] >= 2
    out["endorsing_groups"] = out["endorsing_groups"].astype("int64")
    out["first_time"] = out["first_time"].astype(bool)
    out["incumbent"] = out["incumbent"].astype(bool)
    return out


def _pooled(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=True, observed=True)
    out = grouped.agg(
        contests=("race_id", "size"),
        ballots=("ballots_counted", "sum"),
        potential_voters=("eligible_voters", "sum"),
        median_turnout=("turnout", "median"),
    ).reset_index()
    out["turnout"] = out["ballots"] / out["potential_voters"].where(out["potential_voters"] > 0)
    return out


def turnout_by_wave_office(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Turnout per wave and office over contests with a candidate on the ballot: contests,
    ballots, potential voters, pooled turnout (ballots / potential voters) and the median
    contest's turnout."""
    frame = contest_summary(con)
    frame = frame[frame["decision"] != NO_CANDIDATES]
    return _pooled(frame, ["wave_id", "office"])


GROUP_BUCKETS = ["0", "1", "2", "3", "4", "5+"]


def turnout_by(con: duckdb.DuckDBPyConnection, factor: str) -> pd.DataFrame:
    """Turnout over all waves' contests with a candidate on the ballot, by one factor:
    `endorsing_groups` (0..4, 5+), `contested`, `first_time` or `incumbent`."""
    if factor not in ("endorsing_groups", "contested", "first_time", "incumbent"):
        raise ValueError(f"unknown factor {factor!r}")
    frame = contest_summary(con)
    frame = frame[frame["decision"] != NO_CANDIDATES].copy()
    if factor == "endorsing_groups":
        frame[factor] = pd.Categorical(
            [GROUP_BUCKETS[min(n, 5)] for n in frame[factor]],
            categories=GROUP_BUCKETS,
            ordered=True,
        )
    return _pooled(frame, [factor])


def contest_expectations(
    con: duckdb.DuckDBPyConnection, waves: Sequence[str] | None = None
) -> pd.DataFrame:
    """The contests of the waves (default: all) with a candidate and potential voters, and
    what a quasi-binomial model expects of each: the pooled turnout p of its wave and
    office (`expected_turnout`), p x E ballots, the group's dispersion and the contest's
    z, its Pearson residual (N - pE) / sqrt(E p (1 - p)) divided by the square root of the
    dispersion. Contests differ far more than binomial chance allows (enthusiasm varies
    from race to race), so without that correction most contests would look unusual. The
    dispersion is estimated robustly, from the median squared residual (the median of a
    chi-square with one degree of freedom is 0.455), so that unusual contests do not hide
    themselves; it is at least 1."""
    frame = contest_summary(con, waves)
    frame = frame[(frame["decision"] != NO_CANDIDATES) & (frame["eligible_voters"] > 0)].copy()
    pooled = _pooled(frame, ["wave_id", "office"])[["wave_id", "office", "turnout"]]
    frame = frame.merge(
        pooled.rename(columns={"turnout": "expected_turnout"}), on=["wave_id", "office"]
    )
    p = frame["expected_turnout"]
    e = frame["eligible_voters"]
    frame["expected_ballots"] = p * e
    sd = np.sqrt(e * p * (1 - p))
    residual = (frame["ballots_counted"] - frame["expected_ballots"]) / sd.where(sd > 0)
    squares = residual.pow(2).groupby([frame["wave_id"], frame["office"]])
    frame["dispersion"] = (squares.transform("median") / CHI2_1_MEDIAN).clip(lower=1.0)
    frame["z"] = residual / np.sqrt(frame["dispersion"])
    return frame


def turnout_outliers(con: duckdb.DuckDBPyConnection, z: float = OUTLIER_Z.value) -> pd.DataFrame:
    """Contests whose turnout is unusually high or low for their size: |z| >= `z` in the
    quasi-binomial model of `contest_expectations`, the most extreme first. Expect a few."""
    frame = contest_expectations(con)
    out = frame[frame["z"].abs() >= z].copy()
    out["direction"] = np.where(out["z"] > 0, "high", "low")
    out = out.reindex(out["z"].abs().sort_values(ascending=False).index)
    columns = ["wave_id", "race_id", "office", "eligible_voters", "ballots_counted", "turnout",
               "expected_turnout", "expected_ballots", "dispersion", "z", "direction"]  # fmt: skip
    return out[columns].reset_index(drop=True)


def mobilisation_by_group(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Which groups' endorsements go with turnout: per group that endorsed a candidate on
    the wave's ballot within its jurisdiction, those contests' ballots and potential voters
    (sums of contest totals, which are public), their pooled turnout, the turnout their
    wave and office lead one to expect (`contest_expectations`), `lift` = ballots /
    expected ballots with a 95% interval and z that allow for the spread between contests.
    A lift is an association, not a cause: a group may endorse where members are keen
    anyway. The highest z first."""
    require_wave(con, wave_id)
    links = con.execute("SELECT * FROM group_endorsed_contests(?)", [wave_id]).df()
    contests = contest_expectations(con, [wave_id])
    p = contests["expected_turnout"]
    contests["variance"] = contests["dispersion"] * contests["eligible_voters"] * p * (1 - p)
    figures = ["ballots_counted", "eligible_voters", "expected_ballots", "variance"]
    merged = links.merge(contests[["race_id", *figures]], on="race_id")
    per = merged.groupby("group_id").agg(
        contests=("race_id", "size"),
        ballots=("ballots_counted", "sum"),
        potential_voters=("eligible_voters", "sum"),
        expected_ballots=("expected_ballots", "sum"),
        variance=("variance", "sum"),
    )
    names = links.drop_duplicates("group_id").set_index("group_id")[
        ["group_name", "state", "district"]
    ]
    out = names.join(per, how="inner").reset_index()
    expected = out["expected_ballots"].where(out["expected_ballots"] > 0)
    spread = np.sqrt(out["variance"].where(out["variance"] > 0))
    out["turnout"] = out["ballots"] / out["potential_voters"]
    out["expected_turnout"] = out["expected_ballots"] / out["potential_voters"]
    out["lift"] = out["ballots"] / expected
    out["lift_low"] = (out["lift"] - Z_95 * spread / expected).clip(lower=0.0)
    out["lift_high"] = out["lift"] + Z_95 * spread / expected
    out["z"] = (out["ballots"] - out["expected_ballots"]) / spread
    out = out.drop(columns=["variance"]).sort_values(["z", "group_id"], ascending=[False, True])
    return out.reset_index(drop=True)
