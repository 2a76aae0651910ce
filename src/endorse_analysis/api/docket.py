"""The vetting docket: every requested candidate of a wave, before the vote.

In: a connection and a wave. Out: frames: the docket, its funnel, contested races, flags
for staff, and the ballot that will be emailed.

One row per candidate with at least one endorsement in the wave that requests national
(from any group, in the jurisdiction or not), with what staff weigh: the endorsing groups,
conflicting endorsements, endorsements from outside the jurisdiction, partners, vetting
and questionnaire, and whether the candidate goes on the ballot.

`on_ballot` is membership in the `ballot(w)` macro, the same rule the tally uses (one
place for the rule); sql/docket.sql only adds which rule of docs/rules.md §3 keeps a candidate
off (`ballot_rule`, `reason`).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import require_wave
from endorse_analysis.vocabulary import ENDORSE

__all__ = [
    "DOCKET_COLUMNS",
    "LIST_COLUMNS",
    "ballot_list",
    "contested_races",
    "docket",
    "flags",
    "funnel",
]

DOCKET_COLUMNS = [
    "wave_id",
    "race_id",
    "office",
    "state",
    "district",
    "candidate_id",
    "name",
    "party",
    "first_time",
    "incumbent",
    "local_groups",
    "local_group_names",
    "requesting_groups",
    "requesting_group_names",
    "conflicting_groups",
    "conflicts",
    "outside_groups",
    "outside_endorsements",
    "partner_endorsements",
    "vetting_status",
    "questionnaire",
    "on_ballot",
    "ballot_rule",
    "reason",
]
LIST_COLUMNS = ["local_group_names", "requesting_group_names", "conflicts", "outside_endorsements"]
FUNNEL_STAGES = [
    "endorsed locally",
    "requested",
    "vetted",
    "cleared",
    "questionnaire passed",
    "on a ballot",
    "endorsed",
]


def docket(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """The docket of a wave, sorted by race_id, candidate_id; name lists as Python lists."""
    require_wave(con, wave_id)
    frame = con.execute("SELECT * FROM docket(?)", [wave_id]).df()
    for column in LIST_COLUMNS:
        frame[column] = [list(v) for v in frame[column]]
    for column in ("district", "partner_endorsements"):
        frame[column] = frame[column].astype("Int64")
    for column in ("local_groups", "requesting_groups", "conflicting_groups", "outside_groups"):
        frame[column] = frame[column].astype("int64")
    frame["on_ballot"] = frame["on_ballot"].astype(bool)
    return frame[DOCKET_COLUMNS].reset_index(drop=True)


def funnel(con: duckdb.DuckDBPyConnection, wave_id: str, contests: pd.DataFrame) -> pd.DataFrame:
    """Candidates at each stage of the wave, each stage within the one before: endorsed
    locally, requested, vetted, cleared, questionnaire passed, on a ballot, endorsed. The
    last stage counts the contests of `contests` (the wave's `tally`, at the run's
    thresholds and instant) whose final decision is ENDORSE."""
    require_wave(con, wave_id)
    counts = con.execute("SELECT * FROM docket_funnel(?)", [wave_id]).fetchone()
    on_ballot = con.execute("SELECT count(*) FROM ballot(?)", [wave_id]).fetchone()[0]
    endorsed = int((contests["final_decision"] == ENDORSE).sum())
    values = [*map(int, counts), int(on_ballot), endorsed]
    return pd.DataFrame({"stage": FUNNEL_STAGES, "candidates": values})


def contested_races(frame: pd.DataFrame) -> pd.DataFrame:
    """Races of the docket with two or more requested candidates backed by groups of the
    jurisdiction, or with a conflicting endorsement: who is in them and who is on the ballot."""
    local = frame[frame["local_groups"] > 0]
    rows = []
    for race_id, group in frame.groupby("race_id", sort=True):
        backed = local[local["race_id"] == race_id]
        if len(backed) < 2 and not (group["conflicting_groups"] > 0).any():
            continue
        rows.append(
            {
                "race_id": race_id,
                "office": group["office"].iloc[0],
                "requested_candidates": len(group),
                "locally_backed": len(backed),
                "on_ballot": int(group["on_ballot"].sum()),
                "candidates": ", ".join(
                    f"{c} ({n} group{'s' if n != 1 else ''})"
                    for c, n in zip(group["candidate_id"], group["local_groups"], strict=True)
                ),
            }
        )
    columns = [
        "race_id",
        "office",
        "requested_candidates",
        "locally_backed",
        "on_ballot",
        "candidates",
    ]
    return pd.DataFrame(rows, columns=columns)


def flags(frame: pd.DataFrame) -> pd.DataFrame:
    """What needs a human before the vote, one row per (candidate, flag): conflicting
    endorsements, no vetting row, pending vetting, missing questionnaire, endorsements from
    outside the jurisdiction."""
    rows = []
    for r in plain_records(frame, [c for c in DOCKET_COLUMNS if c not in LIST_COLUMNS]):
        i = r.pop("candidate_id")
        lists = frame.loc[frame["candidate_id"] == i, LIST_COLUMNS].iloc[0]

        def add(flag: str, detail: str, r=r, i=i) -> None:
            rows.append(
                {"race_id": r["race_id"], "candidate_id": i, "flag": flag, "detail": detail}
            )

        if r["conflicting_groups"]:
            add("conflict", "; ".join(lists["conflicts"]))
        if r["vetting_status"] is None:
            add("no vetting", f"no vetting row for wave {r['wave_id']}")
        elif r["vetting_status"] == "pending":
            add("pending vetting", "vetting status is pending")
        if r["questionnaire"] == "missing":
            add("missing questionnaire", "questionnaire is missing")
        if r["outside_groups"]:
            add("outside jurisdiction", "; ".join(lists["outside_endorsements"]))
    return pd.DataFrame(rows, columns=["race_id", "candidate_id", "flag", "detail"])


def ballot_list(frame: pd.DataFrame) -> pd.DataFrame:
    """The ballot that will be emailed: each race's candidates on the ballot, with the groups
    of the jurisdiction that endorsed them (from `docket`, whose on_ballot is ballot(w))."""
    on = frame[frame["on_ballot"]]
    return pd.DataFrame(
        {
            "race_id": on["race_id"],
            "office": on["office"],
            "candidate_id": on["candidate_id"],
            "name": on["name"],
            "party": on["party"],
            "endorsing_groups": [", ".join(names) for names in on["local_group_names"]],
        }
    ).reset_index(drop=True)
