"""A plain pandas implementation of the tally rules (contract §3), for the benchmark.

Written from the contract, in the idiomatic pandas style an analyst would use (merges,
sort, drop_duplicates, groupby), *not* translated from the project's SQL: it is the
baseline `endorse_analysis.tally` is compared against, and an independent check of it.

Input: the stored tables as DataFrames (see `read_tables`). Output: one row per contest
(`CONTEST_COLUMNS`) and one row per option (`CHOICE_COLUMNS`).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

TABLES = ("waves", "races", "candidates", "groups", "endorsements", "vetting", "members", "votes")
NO_ENDORSEMENT = "NO_ENDORSEMENT"
CONTEST_COLUMNS = [
    "wave_id",
    "race_id",
    "candidates_on_ballot",
    "eligible_voters",
    "ballots_counted",
    "top_choice",
    "top_votes",
    "decision",
]
CHOICE_COLUMNS = ["wave_id", "race_id", "choice", "votes"]
STATUSES = (
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
)


def read_tables(con) -> dict[str, pd.DataFrame]:
    """The eight stored tables of a loaded snapshot as pandas DataFrames."""
    return {name: con.execute(f"SELECT * FROM {name}").df() for name in TABLES}  # noqa: S608


def ballot(t: dict[str, pd.DataFrame], wave_id: str) -> pd.DataFrame:
    """(race_id, candidate_id) on the ballot of the wave: a national request from a group
    in the race's jurisdiction, and vetting cleared with a passed questionnaire."""
    e = t["endorsements"]
    e = e[(e["wave_id"] == wave_id) & e["requests_national"].astype(bool)]
    e = e.merge(t["candidates"][["candidate_id", "race_id"]], on="candidate_id")
    e = e.merge(t["races"][["race_id", "office", "state", "district"]], on="race_id")
    g = t["groups"][["group_id", "state", "district"]].rename(
        columns={"state": "g_state", "district": "g_district"}
    )
    e = e.merge(g, on="group_id")
    in_jurisdiction = (e["g_state"] == e["state"]) & (
        (e["office"] != "house") | e["g_district"].isna() | (e["g_district"] == e["district"])
    )
    e = e[in_jurisdiction.fillna(False).astype(bool)]
    v = t["vetting"]
    v = v[(v["wave_id"] == wave_id) & (v["status"] == "cleared") & (v["questionnaire"] == "passed")]
    e = e.merge(v[["candidate_id"]], on="candidate_id")
    return e[["race_id", "candidate_id"]].drop_duplicates().reset_index(drop=True)


def contests(t: dict[str, pd.DataFrame], wave_id: str) -> pd.DataFrame:
    """Races with at least one vote, endorsement or vetting row in the wave."""
    cands = t["candidates"][["candidate_id", "race_id"]]
    votes = t["votes"]
    e, v = t["endorsements"], t["vetting"]
    seen = pd.concat(
        [
            votes.loc[votes["wave_id"] == wave_id, "race_id"],
            e[e["wave_id"] == wave_id].merge(cands, on="candidate_id")["race_id"],
            v[v["wave_id"] == wave_id].merge(cands, on="candidate_id")["race_id"],
        ]
    ).drop_duplicates()
    races = t["races"]
    return races[races["race_id"].isin(seen)][["race_id", "office", "state", "district"]]


def _wave(t: dict[str, pd.DataFrame], wave_id: str) -> tuple:
    w = t["waves"].set_index("wave_id").loc[wave_id]
    deadline = w["signup_closes_at"] if pd.notna(w["signup_closes_at"]) else w["closes_at"]
    return w["opens_at"], w["closes_at"], deadline


def eligible_members(t: dict[str, pd.DataFrame], wave_id: str) -> pd.DataFrame:
    """Members who signed up in time, had not opted out before the wave opened, and have
    a state (a member in no state is in no jurisdiction)."""
    opens, _, deadline = _wave(t, wave_id)
    m = t["members"]
    ok = (
        m["state"].notna()
        & (m["signed_up_at"] < deadline)
        & (m["opted_out_at"].isna() | (m["opted_out_at"] >= opens))
    )
    return m[ok]


def potential_voters(t: dict[str, pd.DataFrame], wave_id: str, races: pd.DataFrame) -> pd.Series:
    """E per race_id: eligible members of the state (statewide) or of the district (House;
    a member with unknown district counts for an at-large state's district 0)."""
    m = eligible_members(t, wave_id)
    per_state = m.groupby("state").size()
    per_district = m.dropna(subset=["district"]).groupby(["state", "district"]).size()
    unknown_district = m[m["district"].isna()].groupby("state").size()
    e = []
    for race in races.itertuples(index=False):
        if race.office != "house":
            e.append(per_state.get(race.state, 0))
        else:
            n = per_district.get((race.state, race.district), 0)
            if race.district == 0:
                n += unknown_district.get(race.state, 0)
            e.append(n)
    return pd.Series(np.asarray(e, dtype="int64"), index=races["race_id"].to_numpy())


def vote_status(t: dict[str, pd.DataFrame], wave_id: str, on_ballot: pd.DataFrame) -> pd.DataFrame:
    """The wave's votes, each with its status (the first rule of §3 that applies)."""
    opens, closes, deadline = _wave(t, wave_id)
    votes = t["votes"]
    v = votes[votes["wave_id"] == wave_id][["vote_id", "race_id", "member_id", "choice", "cast_at"]]
    races = t["races"][["race_id", "office", "state", "district"]].rename(
        columns={"state": "r_state", "district": "r_district"}
    )
    v = v.merge(races, on="race_id", how="left", indicator="race_known")
    members = t["members"].rename(columns={"state": "m_state", "district": "m_district"})
    v = v.merge(members, on="member_id", how="left", indicator="member_known")
    marked = on_ballot.assign(on_ballot=True).rename(columns={"candidate_id": "choice"})
    v = v.merge(marked, on=["race_id", "choice"], how="left")

    in_race = (v["m_state"] == v["r_state"]) & (
        (v["office"] != "house")
        | (v["m_district"] == v["r_district"])
        | (v["m_district"].isna() & (v["r_district"] == 0))
    )
    in_race = in_race.fillna(False).astype(bool)  # no state, or an unknown race: in none
    signed_up = (v["signed_up_at"] < deadline) & (
        v["opted_out_at"].isna() | (v["opted_out_at"] >= opens)
    )
    conditions = [
        v["race_known"] == "left_only",
        v["member_known"] == "left_only",
        ~(in_race & signed_up),
        (v["cast_at"] < opens) | (v["cast_at"] >= closes),
        (v["choice"] != NO_ENDORSEMENT) & v["on_ballot"].isna(),
    ]
    v["status"] = np.select(
        [c.fillna(False).to_numpy(dtype=bool) for c in conditions],
        ["unknown_race", "unknown_member", "not_eligible", "outside_window", "not_on_ballot"],
        default="valid",
    )
    valid = v[v["status"] == "valid"].sort_values(["cast_at", "vote_id"])
    last = valid.drop_duplicates(["race_id", "member_id"], keep="last").index
    v.loc[v["status"] == "valid", "status"] = "superseded"
    v.loc[last, "status"] = "counted"
    return v[["vote_id", "race_id", "member_id", "choice", "cast_at", "status"]]


def tally(
    t: dict[str, pd.DataFrame],
    wave_id: str,
    support: Fraction = Fraction(3, 5),
    turnout: Fraction = Fraction(1, 10),
    min_votes: Fraction = Fraction(1),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(contests, choices) of the wave, sorted by race_id (choices: candidates by id, then
    NO_ENDORSEMENT)."""
    races = contests(t, wave_id).sort_values("race_id").reset_index(drop=True)
    on_ballot = ballot(t, wave_id)
    status = vote_status(t, wave_id, on_ballot)

    counted = status[status["status"] == "counted"]
    per_choice = counted.groupby(["race_id", "choice"]).size().rename("votes").reset_index()
    options = pd.concat(
        [
            on_ballot.rename(columns={"candidate_id": "choice"}).assign(rank=0),
            races[["race_id"]].assign(choice=NO_ENDORSEMENT, rank=1),
        ]
    )
    options = options[options["race_id"].isin(races["race_id"])]
    options = options.merge(per_choice, on=["race_id", "choice"], how="left")
    options["votes"] = options["votes"].fillna(0).astype("int64")
    options = options.sort_values(["race_id", "rank", "choice"]).reset_index(drop=True)
    options.insert(0, "wave_id", wave_id)

    ballots = options.groupby("race_id")["votes"].sum()
    candidates = options[options["rank"] == 0]
    n_candidates = candidates.groupby("race_id").size()
    with_votes = candidates[candidates["votes"] > 0]
    top = (
        with_votes.sort_values(["race_id", "votes", "choice"], ascending=[True, False, True])
        .drop_duplicates("race_id")
        .set_index("race_id")
    )
    at_top = (
        with_votes.merge(top["votes"].rename("top"), left_on="race_id", right_index=True)
        .query("votes == top")
        .groupby("race_id")
        .size()
    )
    e = potential_voters(t, wave_id, races)

    out = races[["race_id"]].copy()
    out.insert(0, "wave_id", wave_id)
    out["candidates_on_ballot"] = out["race_id"].map(n_candidates).fillna(0).astype("int64")
    out["eligible_voters"] = out["race_id"].map(e).astype("int64")
    out["ballots_counted"] = out["race_id"].map(ballots).fillna(0).astype("int64")
    out["top_choice"] = out["race_id"].map(top["choice"])
    out["top_votes"] = out["race_id"].map(top["votes"]).astype("Int64")
    out["decision"] = [
        _decision(
            int(k),
            int(n),
            int(e_),
            None if pd.isna(tv) else int(tv),
            int(at_top.get(r, 0)),
            support,
            turnout,
            min_votes,
        )
        for r, k, n, e_, tv in zip(
            out["race_id"],
            out["candidates_on_ballot"],
            out["ballots_counted"],
            out["eligible_voters"],
            out["top_votes"],
            strict=True,
        )
    ]
    return out[CONTEST_COLUMNS], options[CHOICE_COLUMNS]


def _decision(
    k: int, n: int, e: int, top: int | None, at_top: int, s: Fraction, t: Fraction, m: Fraction
) -> str:
    """The first row of the decision table that applies, in exact fractions."""
    if k == 0:
        return "NO_CANDIDATES"
    if n == 0 or top is None or Fraction(top, n) < s:
        return "NO_ENDORSEMENT"
    if at_top == 1 and n >= m and n >= t * e:
        return "ENDORSE"
    return "REVIEW"
