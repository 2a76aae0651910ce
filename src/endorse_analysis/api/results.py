"""Announcing results: one row per contest, or per local group for a mail merge.

In: a connection, a wave and the thresholds. Out: a frame of text ready to send.

Aggregates only: the final decision (a staff ruling where there is one), the candidate,
support and turnout as people read them, and the groups that endorsed.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import choices, decided_votes, tally
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import ruling_words, support_figure, turnout_figure
from endorse_analysis.vocabulary import ENDORSE

RESULT_COLUMNS = [
    "wave_id",
    "race_id",
    "office",
    "state",
    "district",
    "final_decision",
    "candidate_id",
    "candidate_name",
    "support",
    "turnout",
    "endorsing_groups",
    "computed_decision",
    "ruling",
]
GROUP_COLUMNS = ["group_id", "group_name", "state", "district", "contests", "results"]


def results(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """One row per contest of the wave, with its final decision in words and figures."""
    contests = tally(con, wave_id, thresholds)
    options = choices(con, wave_id).set_index(["race_id", "choice"])["votes"]
    names = dict(con.execute("SELECT candidate_id, name FROM candidates").fetchall())
    groups = {
        (race, candidate): text
        for race, candidate, text in con.execute(
            "SELECT * FROM endorsing_groups(?)", [wave_id]
        ).fetchall()
    }
    rows = []
    for row in plain_records(contests):
        final = row["final_decision"]
        candidate = endorsed_candidate(row)
        shown = candidate or row["top_choice"]
        n, e = row["ballots_counted"], row["eligible_voters"]
        counted = options.get((row["race_id"], shown), 0) if shown else 0
        votes = decided_votes(row, shown, counted) if shown else None
        rows.append(
            {
                "wave_id": row["wave_id"],
                "race_id": row["race_id"],
                "office": row["office"],
                "state": row["state"],
                "district": row["district"],
                "final_decision": final,
                "candidate_id": candidate,
                "candidate_name": names.get(candidate) if candidate else None,
                "support": f"{shown}: {support_figure(votes, n)}" if shown else None,
                "turnout": turnout_figure(n, e),
                "endorsing_groups": groups.get((row["race_id"], candidate)) if candidate else None,
                "computed_decision": row["decision"],
                "ruling": ruling_words(row),
            }
        )
    return _whole_districts(pd.DataFrame(rows, columns=RESULT_COLUMNS))


def endorsed_candidate(row: dict[str, object]) -> str | None:
    """The candidate a contest's tally row endorses: the staff ruling's where there is
    one, else the top choice; None unless the final decision is ENDORSE."""
    if row["final_decision"] != ENDORSE:
        return None
    return row["ruling_candidate"] or row["top_choice"]


def _whole_districts(frame: pd.DataFrame) -> pd.DataFrame:
    frame["district"] = frame["district"].astype("Int64")
    return frame


def results_by_group(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """One row per local group: the contests of the wave in its area and their results."""
    per_contest = {r["race_id"]: r for r in plain_records(results(con, wave_id, thresholds))}
    areas = con.execute(
        "SELECT * FROM group_contests(?) ORDER BY group_id, race_id", [wave_id]
    ).df()
    rows = []
    for (group_id, name, state), area in areas.groupby(
        ["group_id", "group_name", "state"], sort=True, dropna=False
    ):
        district = plain_records(area, ["district"])[0]["district"]
        races = list(area["race_id"])
        rows.append(
            {
                "group_id": group_id,
                "group_name": name,
                "state": state,
                "district": district,
                "contests": "; ".join(races),
                "results": "; ".join(_one_line(per_contest[r]) for r in races),
            }
        )
    return _whole_districts(pd.DataFrame(rows, columns=GROUP_COLUMNS))


def _one_line(row: dict[str, object]) -> str:
    if row["final_decision"] == ENDORSE:
        return f"{row['race_id']}: ENDORSE {row['candidate_name']} ({row['support']})"
    return f"{row['race_id']}: {row['final_decision']}"
