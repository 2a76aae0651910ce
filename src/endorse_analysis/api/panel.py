"""Contests over time for the analyst's notebooks: the same race across waves, and each
contest's decision as of an early hour of its window against its decision at the end.

In: an open connection (final, or as of an instant) and the thresholds. Out: pandas
DataFrames of per-contest totals, which the contract always lets a reader see. Every
decision comes from `tally`; an early decision from `tally` on the same snapshot opened
as of that hour (`connect(as_of=...)`: votes, sign-ups, opt-outs and rulings classified
afresh), never from a copy of the rules.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api import published
from endorse_analysis.api.explore import contest_summary, wave_ids
from endorse_analysis.api.frames import rate_with_interval
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.tally import require_wave, tally
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.vocabulary import DECISIONS, ENDORSE, NO_CANDIDATES

PANEL_COLUMNS = ["race_id", "wave_id", "office", "state", "district", "eligible_voters",
                 "ballots_counted", "turnout", "top_choice", "top_votes", "top_share",
                 "top_share_low", "top_share_high", "decision"]  # fmt: skip


def contest_panel(
    con: duckdb.DuckDBPyConnection, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every race with a contest in two or more waves, one row per contest, waves in order
    of opening: potential voters, ballots, turnout, top choice, its share with the 95%
    Wilson interval (how well the ballots cast pin down the share among those who
    voted), and the decision at the thresholds."""
    frame = contest_summary(con, thresholds=thresholds)
    waves = frame.groupby("race_id")["wave_id"].transform("nunique")
    frame = frame[waves >= 2].copy()
    frame = rate_with_interval(frame, "top_votes", "ballots_counted", "top_share")
    order = {w: i for i, w in enumerate(wave_ids(con))}
    frame["wave_order"] = frame["wave_id"].map(order)
    frame = frame.sort_values(["race_id", "wave_order"])
    return frame[PANEL_COLUMNS].reset_index(drop=True)


def panel_transitions(panel: pd.DataFrame) -> pd.DataFrame:
    """From a `contest_panel`: how a race's decision in one wave was followed by its
    decision in its next wave, as counts of contests (rows: before, columns: after)."""
    pairs = panel.assign(after=panel.groupby("race_id")["decision"].shift(-1)).dropna(
        subset=["after"]
    )
    table = pd.crosstab(pairs["decision"], pairs["after"])
    return (
        table.reindex(index=list(DECISIONS), columns=list(DECISIONS), fill_value=0)
        .rename_axis(index="decision before", columns="decision after")
        .astype("int64")
    )


def decisions_at_hour(
    con: duckdb.DuckDBPyConnection,
    wave_id: str,
    hours: int,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """`decisions_at_hour_unprotected` as it may be published: a contest's ballots as of
    the hour are protected with the wave's timing figures at that hour (a contest's first
    hours, its ballots after them, the hours: `api.published.timing_figures`)."""
    frame = decisions_at_hour_unprotected(con, wave_id, hours, thresholds)
    figures = published.timing_figures(con, wave_id, hours)
    return published.mask_at_hour(frame, figures, "ballots_counted_early")


def decisions_at_hour_unprotected(
    con: duckdb.DuckDBPyConnection,
    wave_id: str,
    hours: int,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Every contest of the wave with a candidate on the ballot at the end: its ballots and
    decision `hours` hours after the window opened, against its ballots and decision at
    the end (the connection's instant: final, or a provisional one if earlier than the
    hour); `changed` where they differ. Answers whether a shorter window would have
    decided otherwise. Unprotected: a contest's ballots at the hour may be few."""
    require_wave(con, wave_id)
    instant = published.hour_instant(con, wave_id, hours)
    final = tally(con, wave_id, thresholds)
    with connect(published.database_path(con), as_of=instant, waves=[wave_id]) as early_con:
        early = tally(early_con, wave_id, thresholds)
    keep = ["race_id", "ballots_counted", "top_choice", "decision"]
    out = final[["wave_id", "race_id", "office", "eligible_voters", *keep[1:]]].merge(
        early[keep], on="race_id", how="left", suffixes=("_final", "_early")
    )
    out = out[out["decision_final"] != NO_CANDIDATES].copy()
    out["ballots_counted_early"] = out["ballots_counted_early"].fillna(0).astype("int64")
    out["changed"] = out["decision_early"] != out["decision_final"]
    columns = ["wave_id", "race_id", "office", "eligible_voters", "ballots_counted_early",
               "ballots_counted_final", "top_choice_early", "top_choice_final",
               "decision_early", "decision_final", "changed"]  # fmt: skip
    return out[columns].reset_index(drop=True)


def early_decision_summary(
    con: duckdb.DuckDBPyConnection, hours: int, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Per wave: contests with a candidate, how many `hours` hours in would already have
    had their final decision, how many not, and endorsements then and at the end."""
    rows = []
    for wave in wave_ids(con):
        frame = decisions_at_hour_unprotected(con, wave, hours, thresholds)
        rows.append(
            {
                "wave_id": wave,
                "contests": len(frame),
                "same_decision": int((~frame["changed"]).sum()),
                "changed": int(frame["changed"].sum()),
                "endorsed_early": int((frame["decision_early"] == ENDORSE).sum()),
                "endorsed_final": int((frame["decision_final"] == ENDORSE).sum()),
            }
        )
    return pd.DataFrame(rows)
