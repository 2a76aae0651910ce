"""Timing (notebooks/explore_timing.ipynb): when counted ballots arrive, per hour since a
wave's window opened and per contest in the first hours.

In: an open connection. Out: DataFrames of aggregates. A wave's timing figures (per
hour, per contest, the first hours) are protected together (`rules.privacy.protect`).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api import published
from endorse_analysis.api.explore.common import wave_ids
from endorse_analysis.parameters import EARLY_HOURS
from endorse_analysis.vocabulary import MIN_CELL

# The timing figures of a wave are split at this hour since the window opened.
FIRST_HOURS = EARLY_HOURS.value


def arrivals_by_hour(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int = FIRST_HOURS
) -> pd.DataFrame:
    """Counted ballots per hour since the window opened, national; protected with the
    wave's other timing figures (`first_hours` says where they split the window)."""
    return _timing_figures(con, wave_id, first_hours).hours


def arrival_summary(
    con: duckdb.DuckDBPyConnection,
    first_hours: int = FIRST_HOURS,
    waves: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per wave: window length, its counted ballots (the same number the tally counts), the
    share cast in the first `first_hours` hours (hidden when it or the rest is under
    MIN_CELL ballots, or to protect a cell of the wave's other timing figures), and the
    hours until half and 90% had been cast."""
    rows = []
    for w in list(waves) if waves is not None else wave_ids(con):
        window = con.execute(
            "SELECT date_diff('second', opens_at, closes_at) / 3600.0 FROM waves WHERE wave_id = ?",
            [w],
        ).fetchone()[0]
        hours = (
            con.execute("SELECT hours FROM counted_arrivals(?) ORDER BY hours", [w])
            .df()["hours"]
            .to_numpy()
        )
        n = len(hours)
        rows.append(
            {
                "wave_id": w,
                "window_hours": float(window),
                "ballots": n,
                "first_hours": _timing_figures(con, w, first_hours).first,
                "hours_to_half": float(np.quantile(hours, 0.5)) if n >= MIN_CELL else None,
                "hours_to_90pct": float(np.quantile(hours, 0.9)) if n >= MIN_CELL else None,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "wave_id",
            "window_hours",
            "ballots",
            "first_hours",
            "hours_to_half",
            "hours_to_90pct",
        ],
    )
    out["first_hours"] = out["first_hours"].astype("Int64")
    out["first_share"] = out["first_hours"].astype("Float64") / out["ballots"]
    return out


def first_hours_by_contest(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int = FIRST_HOURS
) -> pd.DataFrame:
    """Per contest of the wave: its counted ballots and the share cast in the first
    `first_hours` hours; the split is hidden (missing) when either part (the first hours,
    the rest) has fewer than MIN_CELL ballots, none included, or to protect another
    contest's split or a cell of the wave's other timing figures."""
    return _timing_figures(con, wave_id, first_hours).contests


def _timing_figures(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int
) -> published.TimingFigures:
    """The timing figures of a wave, protected together with the decision-at-hour table
    (`api.published.timing_figures`)."""
    return published.timing_figures(con, wave_id, first_hours)
