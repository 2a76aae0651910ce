"""Electoral dynamics for the analyst: enthusiasm and decisions against each race's lean.

In: a connection (`connect`; `api.context.use_district_facts` swaps in newer district
facts) and the run's thresholds. Out: frames of aggregates: every contest of
every wave beside its 2024 margin and band, a fitted trend with its uncertainty,
endorsements made and missed in battlegrounds, and the states where members are many but
the races safe. Ballots are counted ballots; decisions come from `tally`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api import published
from endorse_analysis.api.context import BANDS, race_context
from endorse_analysis.api.explore import wave_ids
from endorse_analysis.api.tally import tally
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.vocabulary import DECISIONS, ENDORSE, NO_CANDIDATES

BATTLEGROUND = "toss-up"
Z_95 = 1.959963984540054


def contests_in_context(
    con: duckdb.DuckDBPyConnection, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every contest of every wave with its tally figures, final decision, 2024 margin (in
    points, positive Republican) and band."""
    frames = []
    for wave in wave_ids(con):
        contests = tally(con, wave, thresholds)
        context = race_context(con, wave)[["race_id", "margin", "lean", "band"]]
        frames.append(contests.merge(context, on="race_id"))
    columns = ["wave_id", "race_id", "office", "state", "candidates_on_ballot",
               "eligible_voters", "ballots_counted", "turnout", "top_share", "decision",
               "final_decision", "margin", "lean", "band"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True)[columns]
    for column in ("turnout", "top_share", "margin"):
        out[column] = out[column].astype("float64")
    return out


@dataclass(frozen=True)
class Trend:
    """A straight line y = intercept + slope x fitted by least squares, with the 95%
    interval of the fitted mean along x (an estimate: say so beside it)."""

    intercept: float
    slope: float
    slope_low: float
    slope_high: float
    points: int
    line: pd.DataFrame  # x, fit, low, high


def trend(frame: pd.DataFrame, x: str, y: str, steps: int = 50) -> Trend | None:
    """The least-squares line of `y` on `x` over the rows that have both (None with fewer
    than three), with normal-approximation 95% intervals."""
    data = frame[[x, y]].dropna().astype("float64")
    n = len(data)
    if n < 3 or data[x].nunique() < 2:
        return None
    xs, ys = data[x].to_numpy(), data[y].to_numpy()
    design = np.column_stack([np.ones(n), xs])
    coefficients, *_ = np.linalg.lstsq(design, ys, rcond=None)
    residuals = ys - design @ coefficients
    variance = float(residuals @ residuals) / (n - 2)
    covariance = variance * np.linalg.inv(design.T @ design)
    grid = np.linspace(xs.min(), xs.max(), steps)
    at = np.column_stack([np.ones(steps), grid])
    fit = at @ coefficients
    half = Z_95 * np.sqrt(np.einsum("ij,jk,ik->i", at, covariance, at))
    slope_half = Z_95 * float(np.sqrt(covariance[1, 1]))
    return Trend(
        intercept=float(coefficients[0]),
        slope=float(coefficients[1]),
        slope_low=float(coefficients[1]) - slope_half,
        slope_high=float(coefficients[1]) + slope_half,
        points=n,
        line=pd.DataFrame({x: grid, "fit": fit, "low": fit - half, "high": fit + half}),
    )


def battlegrounds(contests: pd.DataFrame) -> pd.DataFrame:
    """Per wave: the toss-up contests, how many were endorsed, and how many were missed:
    no candidate on the ballot, support short, or still awaiting a ruling."""
    close = contests[contests["band"] == BATTLEGROUND]
    rows = []
    for wave, group in close.groupby("wave_id", sort=True):
        final = group["final_decision"]
        rows.append(
            {
                "wave_id": wave,
                "toss_ups": len(group),
                "endorsed": int((final == ENDORSE).sum()),
                "no_candidate": int((final == NO_CANDIDATES).sum()),
                "not_endorsed": int((final == "NO_ENDORSEMENT").sum()),
                "awaiting_ruling": int((final == "REVIEW").sum()),
            }
        )
    columns = ["wave_id", "toss_ups", "endorsed", "no_candidate", "not_endorsed",
               "awaiting_ruling"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def decisions_by_band(contests: pd.DataFrame) -> pd.DataFrame:
    """Contests per 2024 band and final decision, over every wave."""
    table = pd.crosstab(contests["band"], contests["final_decision"])
    bands = [b for b in BANDS if b in table.index]
    return table.reindex(index=bands, columns=list(DECISIONS)).fillna(0).astype("int64")


def members_and_safety(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Per state: the members who could vote in its statewide races of the wave, its
    contests in the wave, and how many of those were safe by their 2024 lean; the states
    with the most members and mostly safe races first. Member counts are protected with
    the districts' (`api.published.member_reach`)."""
    voters = published.member_reach(con, wave_id).states
    context = race_context(con, wave_id).merge(
        con.execute("SELECT race_id, state FROM races").df(), on="race_id"
    )
    per_state = context.groupby("state").agg(
        contests=("race_id", "size"),
        safe=("band", lambda b: int(b.str.startswith("safe").sum())),
    )
    out = voters.merge(per_state, on="state", how="inner")
    out["safe_share"] = out["safe"] / out["contests"]
    return out.sort_values(
        ["safe_share", "potential_voters"], ascending=[False, False]
    ).reset_index(drop=True)
