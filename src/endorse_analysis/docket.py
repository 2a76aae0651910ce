"""The vetting docket (issue 5): every requested candidate of a wave, before the vote.

One row per candidate with at least one endorsement in the wave that requests national
(from any group, in the jurisdiction or not), with what staff weigh: the endorsing groups,
conflicting endorsements, endorsements from outside the jurisdiction, partners, vetting
and questionnaire, and whether the candidate goes on the ballot.

`on_ballot` is membership in the `ballot(w)` macro, the same rule the tally uses (one
place for the rule); sql/docket.sql only adds which rule of contract §3 keeps a candidate
off (`ballot_rule`, `reason`).
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from endorse_analysis.formats import FORMATS, csv_text, table_text
from endorse_analysis.rules import Thresholds
from endorse_analysis.sqlfiles import sql
from endorse_analysis.tally import plain_records, require_wave, tally

__all__ = [
    "DOCKET_COLUMNS",
    "LIST_COLUMNS",
    "ballot_list",
    "contested_races",
    "docket",
    "docket_output",
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


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Define the docket macros on a connection (the rule macros must be there already)."""
    con.execute(sql("docket"))


def docket(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """The docket of a wave, sorted by race_id, candidate_id; name lists as Python lists."""
    require_wave(con, wave_id)
    install(con)
    frame = con.execute("SELECT * FROM docket(?)", [wave_id]).df()
    for column in LIST_COLUMNS:
        frame[column] = [list(v) for v in frame[column]]
    for column in ("district", "partner_endorsements"):
        frame[column] = frame[column].astype("Int64")
    for column in ("local_groups", "requesting_groups", "conflicting_groups", "outside_groups"):
        frame[column] = frame[column].astype("int64")
    frame["on_ballot"] = frame["on_ballot"].astype(bool)
    return frame[DOCKET_COLUMNS].reset_index(drop=True)


def _joined(names: list[str]) -> str | None:
    return "; ".join(names) if names else None


def docket_output(fmt: str, frame: pd.DataFrame) -> str:
    """`docket --format table|csv|json`. csv joins name lists with '; '; json keeps lists."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    rows = plain_records(frame, [c for c in DOCKET_COLUMNS if c not in LIST_COLUMNS])
    for row, lists in zip(rows, frame[LIST_COLUMNS].itertuples(index=False), strict=True):
        for column, value in zip(LIST_COLUMNS, lists, strict=True):
            row[column] = [str(v) for v in value]
    if fmt == "json":
        return json.dumps([{c: r[c] for c in DOCKET_COLUMNS} for r in rows], indent=2) + "\n"
    if fmt == "csv":
        for row in rows:
            for column in LIST_COLUMNS:
                row[column] = _joined(row[column])
        return csv_text(rows, DOCKET_COLUMNS)
    people = []
    for r in rows:
        flags = []
        if r["first_time"]:
            flags.append("first-time")
        if r["incumbent"]:
            flags.append("incumbent")
        people.append(
            {
                "race": r["race_id"],
                "candidate": f"{r['candidate_id']} {r['name']}",
                "local groups": _count_names(r["local_groups"], r["local_group_names"]),
                "requested by": _count_names(r["requesting_groups"], r["requesting_group_names"]),
                "conflicts": _count_names(r["conflicting_groups"], r["conflicts"]),
                "outside (not counted)": _count_names(
                    r["outside_groups"], r["outside_endorsements"]
                ),
                "partners": r["partner_endorsements"],
                "vetting": r["vetting_status"] or "none",
                "questionnaire": r["questionnaire"] or "none",
                "notes": ", ".join(flags) or None,
                "ballot": "ON" if r["on_ballot"] else "off",
                "reason": r["reason"],
            }
        )
    wave = rows[0]["wave_id"] if rows else None
    on = sum(1 for r in rows if r["on_ballot"])
    header = f"docket{'' if wave is None else ' of wave ' + wave}: "
    header += f"{len(rows)} requested candidate(s), {on} on the ballot\n"
    return header + (table_text(people, list(people[0])) if people else "")


def _count_names(count: int, names: list[str]) -> str:
    return "0" if not count else f"{count}: {', '.join(names)}"


def funnel(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Candidates at each stage of the wave, each stage within the one before: endorsed
    locally, requested, vetted, cleared, questionnaire passed, on a ballot, endorsed
    (the top choice of a contest decided ENDORSE at `thresholds`, or by a staff ruling)."""
    require_wave(con, wave_id)
    install(con)
    counts = con.execute("SELECT * FROM docket_funnel(?)", [wave_id]).fetchone()
    on_ballot = con.execute("SELECT count(*) FROM ballot(?)", [wave_id]).fetchone()[0]
    decided = tally(con, wave_id, thresholds)
    # after a staff ruling on a REVIEW contest (where the tally carries one), the final word
    final = decided["final_decision"] if "final_decision" in decided else decided["decision"]
    endorsed = int((final == "ENDORSE").sum())
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
