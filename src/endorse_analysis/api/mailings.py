"""What the program's own emails and public list are made of, from one snapshot.

In: a wave's `WaveFigures` (ballot and results emails) or a connection (the public list).
Out: frames: each contest's candidates on the ballot with the groups that asked for them,
the contests that went to a vote and those still awaiting a ruling, and the endorsed
candidates of every wave so far. Figures only: member ids never come through here (the
recipients are written by `listtool.private.write_member_lists`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.tally import choices, require_wave, tally
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.sqlfiles import sql_text
from endorse_analysis.vocabulary import REVIEW

BALLOT_COLUMNS = ["race_id", "candidate_id", "name", "party", "groups"]
ENDORSED_COLUMNS = [
    "wave_id",
    "wave_name",
    "race_id",
    "office",
    "state",
    "state_name",
    "district",
    "candidate_id",
    "candidate_name",
    "party",
    "decided_at",
    "by_ruling",
    "votes",
    "ballots_counted",
    "eligible_voters",
]


def ballot_candidates(figures: WaveFigures) -> pd.DataFrame:
    """Each contest's candidates on the ballot (the docket's on_ballot, i.e. ballot(w)), by
    race and candidate id, with the names of the groups of the jurisdiction that endorsed
    them and asked for a national endorsement."""
    docket = figures.docket[figures.docket["on_ballot"]]
    return pd.DataFrame(
        {
            "race_id": docket["race_id"],
            "candidate_id": docket["candidate_id"],
            "name": docket["name"],
            "party": docket["party"],
            "groups": [list(g) for g in docket["requesting_group_names"]],
        },
        columns=BALLOT_COLUMNS,
    ).reset_index(drop=True)


def voted_contests(figures: WaveFigures) -> list[dict]:
    """The tally rows of the contests that went to a vote (a candidate on the ballot), by
    race id."""
    rows = plain_records(figures.contests)
    return sorted((r for r in rows if r["candidates_on_ballot"]), key=lambda r: r["race_id"])


def awaiting_ruling(row: dict) -> bool:
    """Whether a contest's final decision is still for staff: REVIEW with no ruling."""
    return row["final_decision"] == REVIEW


def waves_so_far(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """The waves up to `wave_id` in the order they opened: wave_id, wave_name, closes_at."""
    require_wave(con, wave_id)
    con.execute(sql_text("endorse_analysis.api", "mailings"))
    return con.execute("SELECT * FROM waves_so_far(?)", [wave_id]).df()


def endorsed_list(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every candidate whose contest's final decision is ENDORSE, in every wave up to
    `wave_id`, in wave order then by race id: the race, the candidate, when it was decided
    (the staff ruling's time, else the close of the vote) and the contest's figures."""
    waves = plain_records(waves_so_far(con, wave_id))
    people = {
        r["candidate_id"]: r
        for r in plain_records(con.execute("SELECT * FROM race_candidates()").df())
    }
    rows = []
    for wave in waves:
        options = choices(con, wave["wave_id"]).set_index(["race_id", "choice"])["votes"]
        for row in plain_records(tally(con, wave["wave_id"], thresholds)):
            candidate = endorsed_candidate(row)
            if candidate is None:
                continue
            who = people[candidate]
            by_ruling = row["ruling_decision"] is not None
            rows.append(
                {
                    "wave_id": wave["wave_id"],
                    "wave_name": wave["wave_name"],
                    **{k: who[k] for k in ("race_id", "office", "state", "state_name")},
                    "district": who["district"],
                    "candidate_id": candidate,
                    "candidate_name": who["candidate_name"],
                    "party": who["party"],
                    "decided_at": row["ruling_at"] if by_ruling else wave["closes_at"],
                    "by_ruling": by_ruling,
                    "votes": int(options.get((row["race_id"], candidate), 0)),
                    "ballots_counted": row["ballots_counted"],
                    "eligible_voters": row["eligible_voters"],
                }
            )
    frame = pd.DataFrame(rows, columns=ENDORSED_COLUMNS)
    frame["district"] = frame["district"].astype("Int64")
    return frame
