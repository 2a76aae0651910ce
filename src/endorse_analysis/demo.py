"""A synthetic national data set for the endorsement vote (contract §2).

:func:`write_demo` writes the eight input files of the 2026 cycle: the 506 races of
``reference/races-2026.csv`` voted in four waves (March, April, May, July), about 3,000
local groups, their endorsements, staff vetting, a member list (with the personal
columns of a real export) and the votes.

Everything is drawn from one ``numpy`` generator seeded with ``seed``, so the same seed
gives byte-identical files. The big tables (members, votes) are generated with array
operations and written through DuckDB's CSV writer (RFC 4180 quoting), so millions of
rows take seconds. Timestamps are written in U.S. Eastern time with an explicit offset
(``-05:00``, or ``-04:00`` while daylight saving time is in force).

The data is designed so that every decision (``ENDORSE``, ``REVIEW``,
``NO_ENDORSEMENT``, ``NO_CANDIDATES``) and every vote status (``counted``,
``superseded``, ``outside_window``, ``not_on_ballot``, ``not_eligible``,
``unknown_member``, ``unknown_race``) occurs in each wave, also at a few tens of
thousands of members: each wave has designated contests for each decision and a
minimum number of each kind of irregular vote.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from endorse_analysis.database import quiet_progress_bar

__all__ = ["FILES", "WAVES", "write_demo"]

FILES = (
    "waves.csv",
    "races.csv",
    "candidates.csv",
    "groups.csv",
    "endorsements.csv",
    "vetting.csv",
    "members.csv",
    "votes.csv",
)

NO_ENDORSEMENT = "NO_ENDORSEMENT"

# wave_id, name, opens_at, closes_at, signup_closes_at (U.S. Eastern time). The March
# window spans the start of daylight saving time (Sunday 2026-03-08).
WAVES = (
    (
        "2026-03",
        "March 2026 endorsement vote",
        "2026-03-05T09:00:00-05:00",
        "2026-03-09T21:00:00-04:00",
        "2026-02-26T23:59:59-05:00",
    ),
    (
        "2026-04",
        "April 2026 endorsement vote",
        "2026-04-14T09:00:00-04:00",
        "2026-04-17T21:00:00-04:00",
        "2026-04-07T23:59:59-04:00",
    ),
    (
        "2026-05",
        "May 2026 endorsement vote",
        "2026-05-12T09:00:00-04:00",
        "2026-05-15T21:00:00-04:00",
        "2026-05-05T23:59:59-04:00",
    ),
    (
        "2026-07",
        "July 2026 endorsement vote",
        "2026-07-14T09:00:00-04:00",
        "2026-07-17T21:00:00-04:00",
        "2026-07-07T23:59:59-04:00",
    ),
)

_REFERENCE = Path(__file__).resolve().parent / "reference"

_HOUR = 3600
_DAY = 86400
_NONE = np.int64(2**62)  # "no opt-out"
_FIRST_SIGNUP = "2017-01-20T12:00:00-05:00"
_EXPORT = "2026-07-20T17:00:00-04:00"  # when the member list was exported

# Ids that look like ids but name nothing (unknown_race / unknown wave).
_UNKNOWN_RACES = (
    "CA-53",
    "DC-AL",
    "PR-AL",
    "ca-12",
    "TX-39",
    "NY-SEN2",
    "AK-01",
    "GU-AL",
    "FL-29",
    "OH-SEN-S",
    "VA-GOV",
    "NJ-GOV",
)
_UNKNOWN_WAVES = ("2026-06", "2026-3", "2025-11", "2026-07-redo")
_TYPO_CHOICES = ("no_endorsement", "NO ENDORSEMENT", "ABSTAIN", "WRITE-IN", "none")

# --------------------------------------------------------------------------- names

_FIRST = (
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Maria",
    "Luis",
    "Carmen",
    "Jorge",
    "Ana",
    "Miguel",
    "Rosa",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Priya",
    "Arjun",
    "Aisha",
    "Omar",
    "Fatima",
    "Kwame",
    "Amara",
    "Tanisha",
    "DeShawn",
    "Keisha",
    "Marcus",
    "Jamal",
    "Latoya",
    "Nia",
    "Ahmed",
    "Leila",
    "Dmitri",
    "Olga",
    "Sean",
    "Siobhan",
    "Kai",
    "Leilani",
    "Tyrone",
    "Rachel",
    "Daniel",
    "Emily",
    "Grace",
    "Noah",
    "Olivia",
    "Ethan",
    "Sofia",
    "Mateo",
    "Camila",
    "Elena",
    "Samuel",
    "Hannah",
    "Isaiah",
    "Naomi",
    "Gabriel",
    "Chloe",
    "Benjamin",
    "Ruth",
)
# A few names with accents (written as such; e-mail addresses use the ASCII spelling).
_FIRST_ACCENTED = {
    "José": "jose",
    "Zoë": "zoe",
    "Renée": "renee",
    "André": "andre",
    "Inés": "ines",
    "Björn": "bjorn",
}
_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kim",
    "Patel",
    "Chen",
    "Wang",
    "Singh",
    "Okafor",
    "Adeyemi",
    "Kowalski",
    "Novak",
    "Begay",
    "Yazzie",
    "Tsosie",
    "Nakamura",
    "Tanaka",
    "Haddad",
    "Khalil",
    "Abernathy",
    "Whitfield",
    "Castellanos",
    "Delgado",
    "Fitzgerald",
    "Lindqvist",
    "Morales",
    "Ortiz",
    "Reyes",
    "Washington",
    "Jefferson",
    "Brooks",
    "Bennett",
    "Price",
)
_LAST_SPECIAL = {
    "O'Brien": "obrien",
    "García-Márquez": "garciamarquez",
    "Núñez": "nunez",
    "D'Angelo": "dangelo",
    "McAllister-Jones": "mcallisterjones",
    "Van der Berg": "vanderberg",
}
_PLACES = (
    "Eastside",
    "Westside",
    "North Valley",
    "Cedar Hollow",
    "Maple Grove",
    "Riverbend",
    "Lakeshore",
    "Pine Ridge",
    "Harbor Point",
    "Willow Creek",
    "Stone Bridge",
    "Fox Run",
    "Mill Town",
    "Bayview",
    "Sunset Hills",
    "Clearwater",
    "Red Rock",
    "Prairie View",
    "Granite Falls",
    "Silver Lake",
    "Hillcrest",
    "Brookside",
    "Meadowbrook",
    "Ironwood",
    "Juniper Flats",
    "Aspen Ridge",
    "Magnolia Heights",
    "Cypress Landing",
    "High Plains",
    "Tri-County",
    "Upper Valley",
    "South Shore",
    "Foothills",
    "Canyon View",
    "Old Town",
    "Midtown",
    "Uptown",
    "Greenfield",
    "Three Rivers",
    "Elm Street",
    "Cottonwood",
    "Blue Spruce",
    "Quarry Hill",
    "Lantern Bay",
    "Thistle Park",
    "Copper Creek",
)
_GROUP_PATTERNS = (
    "{p} Neighbors for Democracy",
    "{p} Progressive Alliance",
    "{p} Action Network",
    "Together {p}",
    "{p} Rising",
    "{p} Grassroots Coalition",
    "{p} Votes",
    "People Power {p}",
    "{p} Democracy Circle",
    "Neighbors United, {p}",
    "{p} Women's Action Group",
    "{p} for All",
    "Stand Up {p}",
    "{p} Civic League",
    "The {p} Kitchen Table",
    "{p} Organizing Committee",
    "{p} Youth for Change",
    '{p} "Show Up" Squad',
    "{p} Climate & Justice",
)
_STATE_GROUP_PATTERNS = (
    "{s} Progressive Network",
    "{s} Grassroots Alliance",
    "{s} Together",
    "{s} Democracy Coalition",
    "{s} Statewide Action",
    "One {s}",
)
_TERRITORIES = ("PR", "GU", "VI", "AS", "MP", "AE", "AP", "AA")
_NOTE_PHRASES = (
    "Strong questionnaire answers on climate and housing.",
    "Questionnaire returned late; reviewed anyway.",
    'Staff call: "energizing" grassroots campaign, large volunteer base.',
    "Community organizer; first run for office.",
    "Voting record reviewed, no concerns.",
    "Local groups split; see conflicting endorsements.",
    "Follow up with the campaign on the healthcare answer.\nSecond call scheduled.",
    "Partners: labor, climate, reproductive-rights groups.",
    "Declined to answer the money-in-politics section.",
    "Endorsed by the state federation, AFL-CIO-style partners.",
)

_ROLES = ("local_only", "rejected", "pending", "failed_q", "out_only")
_ROLE_P = (0.35, 0.2, 0.15, 0.2, 0.1)


# --------------------------------------------------------------------------- time


def _epoch(s: str) -> int:
    return int(datetime.fromisoformat(s).timestamp())


def _dst_bounds() -> np.ndarray:
    """U.S. Eastern DST starts and ends (UTC epoch seconds), 2010..2031, sorted."""
    out = []
    for y in range(2010, 2032):
        mar1 = datetime(y, 3, 1, tzinfo=UTC)
        second_sunday = 1 + (6 - mar1.weekday()) % 7 + 7
        nov1 = datetime(y, 11, 1, tzinfo=UTC)
        first_sunday = 1 + (6 - nov1.weekday()) % 7
        out.append(int(datetime(y, 3, second_sunday, 7, tzinfo=UTC).timestamp()))
        out.append(int(datetime(y, 11, first_sunday, 6, tzinfo=UTC).timestamp()))
    return np.array(out, dtype=np.int64)


_DST = _dst_bounds()


def _eastern(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UTC seconds -> (Eastern local seconds, is-DST)."""
    dst = (np.searchsorted(_DST, t, side="right") % 2) == 1
    return t - np.where(dst, 4 * _HOUR, 5 * _HOUR), dst


def _fmt_ts(t: int) -> str:
    loc, dst = _eastern(np.array([t], dtype=np.int64))
    s = datetime.fromtimestamp(int(loc[0]), UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return s + ("-04:00" if dst[0] else "-05:00")


def _fmt_date(t: int) -> str:
    loc, _ = _eastern(np.array([t], dtype=np.int64))
    return datetime.fromtimestamp(int(loc[0]), UTC).strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- reference


@dataclass
class _Ref:
    states: list[str]  # the 50 states and DC, reference order
    state_names: list[str]
    seats: np.ndarray  # per state
    race_ids: list[str]
    race_office: list[str]
    race_state: np.ndarray  # index into states
    race_district: np.ndarray  # -1 for statewide
    race_cycle: list[str]

    def at_large(self, s: int) -> bool:
        return int(self.seats[s]) == 1


def _read_reference() -> _Ref:
    with open(_REFERENCE / "states.csv", newline="", encoding="utf-8") as f:
        st = list(csv.DictReader(f))
    states = [r["state"] for r in st]
    sidx = {s: i for i, s in enumerate(states)}
    with open(_REFERENCE / "races-2026.csv", newline="", encoding="utf-8") as f:
        rc = list(csv.DictReader(f))
    return _Ref(
        states=states,
        state_names=[r["name"] for r in st],
        seats=np.array([int(r["house_seats"]) for r in st]),
        race_ids=[r["race_id"] for r in rc],
        race_office=[r["office"] for r in rc],
        race_state=np.array([sidx[r["state"]] for r in rc]),
        race_district=np.array([int(r["district"]) if r["district"] else -1 for r in rc]),
        race_cycle=[r["cycle"] for r in rc],
    )


# --------------------------------------------------------------------------- plan


@dataclass
class _Contest:
    wave: int
    race: int
    kind: str  # nocand | single | multi2 | multi3
    ballot: list[int] = field(default_factory=list)  # candidate indices, option order
    probs: list[float] = field(default_factory=list)  # per ballot candidate; rest NE
    p: float = 0.0  # turnout among potential voters
    roles: dict[int, str] = field(default_factory=dict)  # non-ballot candidates
    stray: bool = False  # a NO_CANDIDATES contest that still gets a few votes


@dataclass
class _Cands:
    race: list[int] = field(default_factory=list)
    cid: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    party: list[str | None] = field(default_factory=list)
    first_time: list[bool] = field(default_factory=list)
    incumbent: list[bool] = field(default_factory=list)


def _person_name(rng: np.random.Generator) -> str:
    firsts = _FIRST + tuple(_FIRST_ACCENTED)
    lasts = _LAST + tuple(_LAST_SPECIAL)
    name = str(firsts[rng.integers(len(firsts))])
    if rng.random() < 0.25:
        name += f" {chr(65 + int(rng.integers(26)))}."
    name += " " + str(lasts[rng.integers(len(lasts))])
    if rng.random() < 0.04:
        name += ", Jr."
    return name


def _party(rng: np.random.Generator, state: str) -> str | None:
    u = rng.random()
    if u < 0.06:
        return None
    if u < 0.13:
        return "Working Families"
    if u < 0.17:
        return "Independent"
    return {"MN": "Democratic-Farmer-Labor", "ND": "Democratic-NPL"}.get(state, "Democratic")


def _turnout(rng: np.random.Generator) -> float:
    u = rng.random()
    if u < 0.22:
        return float(rng.uniform(0.02, 0.075))  # thin
    if u < 0.72:
        return float(rng.uniform(0.13, 0.28))
    return float(rng.uniform(0.28, 0.5))  # enthusiastic


def _support(rng: np.random.Generator, kind: str) -> list[float]:
    if kind == "single":
        if rng.random() < 0.72:
            return [float(rng.uniform(0.66, 0.93))]
        return [float(rng.uniform(0.3, 0.55))]
    if kind == "multi2":
        if rng.random() < 0.45:
            a = float(rng.uniform(0.64, 0.82))
            return [a, (1 - a) * float(rng.uniform(0.5, 0.85))]
        a = float(rng.uniform(0.3, 0.5))
        return [a, float(rng.uniform(0.2, a))]
    w = rng.dirichlet([3.0, 2.0, 1.5, 1.2])
    if rng.random() < 0.3:
        w = np.array([0.7, 0.12, 0.08, 0.1])
    return [float(x) for x in w[:3]]


def _plan(rng: np.random.Generator, ref: _Ref) -> tuple[list[_Contest], _Cands]:
    n_races = len(ref.race_ids)
    statewide = [i for i in range(n_races) if ref.race_office[i] != "house"]
    house = [i for i in range(n_races) if ref.race_office[i] == "house"]
    wave_of = np.zeros(n_races, dtype=int)
    for lst in (statewide, house):
        order = rng.permutation(lst)
        start = int(rng.integers(4))
        for k, r in enumerate(order):
            wave_of[r] = (start + k) % 4

    contests: list[_Contest] = []
    for r in range(n_races):
        active = rng.random() < (0.95 if ref.race_office[r] != "house" else 0.93)
        if not active:
            continue
        if rng.random() < 0.07:  # first a contest with nobody on the ballot, later a vote
            w1, w2 = sorted(int(x) for x in rng.choice(4, 2, replace=False))
            contests.append(_Contest(w1, r, "repeat-first"))
            contests.append(_Contest(w2, r, "?"))
        else:
            contests.append(_Contest(int(wave_of[r]), r, "?"))

    # Designated contests: each wave gets each decision at least once by design.
    designated: dict[int, str] = {}
    for w in range(4):
        mine = [k for k, c in enumerate(contests) if c.wave == w and c.kind == "?"]
        sw = [k for k in mine if ref.race_office[contests[k].race] != "house"]
        sw.sort(key=lambda k: (-int(ref.seats[ref.race_state[contests[k].race]]), k))
        designated[sw[0]] = "endorse"
        designated[sw[1]] = "review"
        hs = [
            k
            for k in mine
            if ref.race_office[contests[k].race] == "house"
            and not ref.at_large(int(ref.race_state[contests[k].race]))
        ]
        picks = rng.choice(len(hs), 2, replace=False)
        designated[hs[int(picks[0])]] = "noend"
        designated[hs[int(picks[1])]] = "nocand"

    for k, c in enumerate(contests):
        d = designated.get(k)
        if d == "endorse":
            c.kind, c.probs, c.p = "single", [0.8], 0.3
        elif d == "review":
            c.kind, c.probs, c.p = "single", [0.85], 0.05
        elif d == "noend":
            c.kind, c.probs, c.p = "single", [0.25], 0.3
        elif d == "nocand":
            c.kind = "nocand"
        elif c.kind == "repeat-first":
            c.kind = "nocand"
        else:
            u = rng.random()
            c.kind = (
                "nocand"
                if u < 0.10
                else "single"
                if u < 0.77
                else "multi2"
                if u < 0.95
                else "multi3"
            )
            if c.kind != "nocand":
                c.probs = _support(rng, c.kind)
                c.p = 0.0 if rng.random() < 0.015 else _turnout(rng)
        if c.kind == "nocand":
            c.stray = rng.random() < 0.35

    # Candidates per race, and who is on which ballot.
    cands = _Cands()
    by_race: dict[int, list[int]] = {}
    for k, c in enumerate(contests):
        by_race.setdefault(c.race, []).append(k)
    for r in range(n_races):
        ks = by_race.get(r, [])
        need = max(
            [{"nocand": 1, "single": 1, "multi2": 2, "multi3": 3}[contests[k].kind] for k in ks],
            default=0,
        )
        if ks:
            n_c = need + int(rng.choice(3, p=[0.5, 0.35, 0.15]))
            if ref.race_ids[r] == "CA-GOV":
                n_c = 11  # a crowded open seat: ids C1..C11 (C10 sorts before C2)
        else:
            n_c = int(rng.choice(3, p=[0.7, 0.2, 0.1]))  # listed, never endorsed
        state = ref.states[ref.race_state[r]]
        idx = []
        inc = int(rng.integers(n_c)) if n_c and rng.random() < 0.45 else -1
        for j in range(n_c):
            idx.append(len(cands.cid))
            cands.race.append(r)
            cands.cid.append(f"{ref.race_ids[r]}-C{j + 1}")
            cands.name.append(_person_name(rng))
            cands.party.append(_party(rng, state))
            cands.incumbent.append(j == inc)
            cands.first_time.append(j != inc and rng.random() < 0.4)
        ballot_later: list[int] = []
        for k in sorted(ks, key=lambda k: -contests[k].wave):  # later wave first
            c = contests[k]
            nb = {"nocand": 0, "single": 1, "multi2": 2, "multi3": 3}[c.kind]
            chosen = [idx[int(i)] for i in rng.choice(n_c, nb, replace=False)]
            c.ballot = chosen
            for ci in idx:
                if ci in chosen:
                    continue
                if ci in ballot_later:
                    c.roles[ci] = "pending"  # vetted later, on a later ballot
                elif rng.random() < 0.15 and c.kind != "nocand":
                    continue  # not endorsed in this wave
                else:
                    c.roles[ci] = str(_ROLES[int(rng.choice(5, p=_ROLE_P))])
            if c.kind == "nocand" and not c.roles:
                c.roles[idx[0]] = "local_only"
            ballot_later = chosen
    return contests, cands


# --------------------------------------------------------------------------- groups


@dataclass
class _Groups:
    gid: list[str]
    name: list[str]
    state: np.ndarray
    district: np.ndarray  # -1 statewide


def _groups(rng: np.random.Generator, ref: _Ref, n_total: int = 3000) -> _Groups:
    seats = ref.seats.astype(float)
    per_state = np.maximum(4, np.round(n_total * seats / seats.sum() * 0.985)).astype(int)
    dc = ref.states.index("DC")
    per_state[dc] = 6
    st, di, names = [], [], []
    for s, n in enumerate(per_state):
        n_sw = max(1, int(round(n * 0.2)))
        for j in range(int(n)):
            st.append(s)
            if j < n_sw or ref.seats[s] == 0:
                di.append(-1)
                pat = _STATE_GROUP_PATTERNS[int(rng.integers(len(_STATE_GROUP_PATTERNS)))]
                base = pat.format(s=ref.state_names[s])
                names.append(
                    base
                    if j < len(_STATE_GROUP_PATTERNS)
                    else f"{base} ({_PLACES[int(rng.integers(len(_PLACES)))]})"
                )
            else:
                di.append(0 if ref.seats[s] == 1 else int(rng.integers(1, ref.seats[s] + 1)))
                pat = _GROUP_PATTERNS[int(rng.integers(len(_GROUP_PATTERNS)))]
                names.append(pat.format(p=_PLACES[int(rng.integers(len(_PLACES)))]))
    order = rng.permutation(len(st))  # ids not in state order, like a real roster
    return _Groups(
        gid=[f"G{i + 1:04d}" for i in range(len(st))],
        name=[names[i] for i in order],
        state=np.array(st)[order],
        district=np.array(di)[order],
    )


# --------------------------------------------------------------------------- endorsements


def _endorsements(rng, ref, contests, cands, groups, wave_t):
    """Rows of endorsements.csv and vetting.csv (as lists of tuples)."""
    by_state: dict[int, np.ndarray] = {}
    for s in range(len(ref.states)):
        by_state[s] = np.flatnonzero(groups.state == s)

    def pools(r: int) -> tuple[np.ndarray, np.ndarray]:
        s, d = int(ref.race_state[r]), int(ref.race_district[r])
        g = by_state[s]
        if d < 0 or ref.at_large(s):
            inside = g
            others = [x for x in range(len(ref.states)) if x != s and len(by_state[x])]
            out = by_state[others[int(rng.integers(len(others)))]]
        else:
            gd = groups.district[g]
            inside = g[(gd == d) | (gd == -1)]
            out = g[(gd != d) & (gd != -1)]
        return inside, out

    endorse: list[tuple] = []
    vetting: list[tuple] = []
    for c in contests:
        inside, out = pools(c.race)
        sc = wave_t[c.wave][2]
        todo = [(ci, "ballot") for ci in c.ballot] + list(c.roles.items())
        for ci, role in todo:
            if role == "local_only":
                k_in, k_out, req_in = 1 + int(rng.poisson(1.0)), 0, False
            elif role == "out_only":
                k_in, k_out, req_in = int(rng.integers(2)), 1 + int(rng.integers(2)), False
            else:
                k_in = 1 + int(rng.poisson(2.5 if role == "ballot" else 1.2))
                k_out = int(rng.random() < 0.12)
                req_in = True
            k_in, k_out = min(k_in, len(inside)), min(k_out, len(out))
            gs_in = rng.choice(inside, k_in, replace=False) if k_in else np.array([], int)
            gs_out = rng.choice(out, k_out, replace=False) if k_out else np.array([], int)
            if req_in:
                req = rng.random(k_in) < 0.55
                if k_in:
                    req[int(rng.integers(k_in))] = True
            else:
                req = np.zeros(k_in, dtype=bool)
            req_out = np.ones(k_out, dtype=bool) if role == "out_only" else rng.random(k_out) < 0.5
            any_req = bool(req.any() or req_out.any())
            pairs = list(zip(gs_in, req, strict=True)) + list(zip(gs_out, req_out, strict=True))
            for g, q in pairs:
                day = sc - int(rng.integers(3 * _DAY, 50 * _DAY))
                endorse.append(
                    (groups.gid[int(g)], cands.cid[ci], WAVES[c.wave][0], _fmt_date(day), bool(q))
                )
            if not any_req:
                continue
            if role in ("ballot", "out_only"):
                status, q = "cleared", "passed"
            elif role == "rejected":
                status = "rejected"
                q = str(rng.choice(["passed", "failed", "missing"], p=[0.4, 0.3, 0.3]))
            elif role == "pending":
                status, q = "pending", str(rng.choice(["missing", "passed"], p=[0.6, 0.4]))
            else:  # failed_q
                status, q = "cleared", str(rng.choice(["failed", "missing"], p=[0.6, 0.4]))
            partners = int(rng.poisson(3.0 if role == "ballot" else 1.0))
            partners_out = None if rng.random() < 0.1 else partners
            n_loc = len(gs_in) + len(gs_out)
            note = None
            if rng.random() < 0.7:
                note = (
                    f"{n_loc} local group{'s' if n_loc != 1 else ''}, "
                    f"{partners} partner{'s' if partners != 1 else ''}. "
                    + _NOTE_PHRASES[int(rng.integers(len(_NOTE_PHRASES)))]
                )
            vetting.append((cands.cid[ci], WAVES[c.wave][0], status, q, partners_out, note))
    return endorse, vetting


# --------------------------------------------------------------------------- members


@dataclass
class _Members:
    n: int
    state_j: np.ndarray  # jurisdiction state index, -1 none
    dist_j: np.ndarray  # jurisdiction district, 999 unknown
    state_out: np.ndarray  # index into the state dictionary, -1 empty
    dist_out: np.ndarray  # -1 empty
    su: np.ndarray  # signed_up_at, UTC seconds
    oo: np.ndarray  # opted_out_at, _NONE if never


def _members(rng: np.random.Generator, ref: _Ref, n: int, wave_t) -> _Members:
    n_states = len(ref.states)
    dc = ref.states.index("DC")
    seat_state = np.repeat(np.arange(n_states), ref.seats)
    seat_dist = np.concatenate([[0] if s == 1 else np.arange(1, s + 1) for s in ref.seats if s > 0])
    w = rng.gamma(20.0, 1 / 20.0, size=len(seat_state))
    n_special = max(8, n // 5000)
    n_dc = max(4, n // 250)
    n_norm = n - n_special - n_dc
    seat = rng.choice(len(seat_state), n_norm, p=w / w.sum())
    state_j = np.concatenate([seat_state[seat], np.full(n_dc, dc), np.full(n_special, -1)])
    dist_true = np.concatenate([seat_dist[seat], np.full(n_dc + n_special, -1)])
    unknown = rng.random(n) < 0.03
    unknown[n_norm:] = True
    dist_out = np.where(unknown, -1, dist_true)
    # A few districts that do not exist in the member's state (typos): unknown on load.
    bad = np.flatnonzero(~unknown)[
        rng.choice(n_norm - int(unknown[:n_norm].sum()), max(3, n // 20000), replace=False)
    ]
    dist_out[bad] = ref.seats[state_j[bad]] + rng.integers(1, 5, size=len(bad))
    known = dist_out >= 0
    known[bad] = False
    dist_j = np.where(known, dist_true, 999)
    state_out = state_j.copy()
    lower = np.flatnonzero(state_j >= 0)[
        rng.choice(n_norm + n_dc, max(3, n // 10000), replace=False)
    ]
    state_out[lower] += n_states  # lower-case spelling of the same state
    terr = rng.integers(0, len(_TERRITORIES) + 1, size=n_special)
    state_out[n - n_special :] = np.where(terr < len(_TERRITORIES), 2 * n_states + terr, -1)

    # Sign-ups: a long history, then 2026 with a rush before each deadline.
    t0, t_end = _epoch(_FIRST_SIGNUP), _epoch(_EXPORT)
    deadlines = np.array([wt[2] for wt in wave_t])
    comp = np.searchsorted(np.cumsum([0.15, 0.24, 0.26, 0.13, 0.22]), rng.random(n))
    comp = np.minimum(comp, 4)
    u = rng.random(n)
    y2019, y2024, y2026 = (
        _epoch("2019-01-01T00:00:00-05:00"),
        _epoch("2024-06-01T00:00:00-04:00"),
        _epoch("2026-01-01T00:00:00-05:00"),
    )
    su = np.empty(n, dtype=np.int64)
    m = comp == 0
    su[m] = t0 + np.minimum(rng.exponential(150 * _DAY, m.sum()), y2019 - t0 - 1)
    m = comp == 1
    su[m] = t0 + u[m] * (y2026 - t0)
    m = comp == 2
    su[m] = y2024 + np.sqrt(u[m]) * (y2026 - y2024)
    m = comp == 3
    su[m] = y2026 + u[m] * (t_end - y2026)
    m = comp == 4
    dl = deadlines[rng.integers(0, 4, m.sum())]
    late = rng.random(m.sum()) < 0.1
    su[m] = np.where(
        late, dl + rng.exponential(2 * _DAY, m.sum()), dl - rng.exponential(2.5 * _DAY, m.sum())
    )
    su = np.clip(su, t0, t_end - 1)
    oo = np.full(n, _NONE, dtype=np.int64)
    opt = rng.random(n) < 0.07
    oo[opt] = su[opt] + rng.exponential(400 * _DAY, opt.sum()).astype(np.int64) + 60
    oo[oo >= t_end] = _NONE
    # Boundary cases: signed up exactly at a deadline (not eligible), opted out exactly
    # when a wave opens (still eligible for it).
    b = np.flatnonzero(state_j >= 0)[rng.choice(n_norm + n_dc, 8, replace=False)]
    for k in range(4):
        su[b[k]] = wave_t[k][2]
        oo[b[k]] = _NONE
        su[b[4 + k]] = min(su[b[4 + k]], wave_t[k][0] - 30 * _DAY)
        oo[b[4 + k]] = wave_t[k][0]
    # Member ids in sign-up order.
    order = np.argsort(su, kind="stable")
    return _Members(
        n, state_j[order], dist_j[order], state_out[order], dist_out[order], su[order], oo[order]
    )


# --------------------------------------------------------------------------- votes


@dataclass
class _VoteRows:
    w: list = field(default_factory=list)  # wave code (index into wave dictionary)
    r: list = field(default_factory=list)  # race code
    mk: list = field(default_factory=list)  # member id kind: 0 M%07d, 1 m%07d, 2 M%d
    mn: list = field(default_factory=list)  # member number
    ch: list = field(default_factory=list)  # choice code
    t: list = field(default_factory=list)  # cast_at UTC seconds
    keep: list = field(default_factory=list)  # protected from trimming

    def add(self, w, r, mk, mn, ch, t, keep):
        n = len(t)
        for lst, v, dt in (
            (self.w, w, np.int16),
            (self.r, r, np.int32),
            (self.mk, mk, np.int8),
            (self.mn, mn, np.int64),
            (self.ch, ch, np.int32),
            (self.t, t, np.int64),
            (self.keep, keep, bool),
        ):
            lst.append(np.broadcast_to(np.asarray(v, dtype=dt), (n,)).copy())

    def cat(self):
        return {
            k: np.concatenate(getattr(self, k)) for k in ("w", "r", "mk", "mn", "ch", "t", "keep")
        }


def _delays(rng: np.random.Generator, send: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Seconds from the ballot e-mail to the vote: most in the first day, a reminder bump
    on the third morning, a long tail; few votes at night."""
    k = len(send)
    comp = np.searchsorted(np.array([0.5, 0.75, 0.87]), rng.random(k), side="right")
    e = rng.exponential(1.0, k)
    d = np.select(
        [comp == 0, comp == 1, comp == 2],
        [e * 3 * _HOUR, e * 14 * _HOUR, 48 * _HOUR + e * 4 * _HOUR],
        rng.random(k) * length,
    )
    loc, _ = _eastern(send + d.astype(np.int64))
    hour = (loc % _DAY) / _HOUR
    night = (hour >= 1) & (hour < 6.5) & (rng.random(k) < 0.8)
    d = np.where(night, d + (7 - hour) * _HOUR + rng.exponential(1.5 * _HOUR, k), d)
    d = np.where(d >= length, rng.random(k) * length, d)
    return d.astype(np.int64)


def _votes(
    rng, ref, mem: _Members, contests, cands, wave_t, choice_code, race_code, target: int | None
) -> dict[str, np.ndarray]:
    n_c = len(contests)
    opens = np.array([wt[0] for wt in wave_t])
    closes = np.array([wt[1] for wt in wave_t])
    signup = np.array([wt[2] for wt in wave_t])
    ne_code = choice_code[NO_ENDORSEMENT]

    # Members in jurisdiction blocks: sorted by (state, district).
    key = np.where(mem.state_j >= 0, mem.state_j.astype(np.int64) * 1000 + mem.dist_j, 10**9)
    perm = np.argsort(key, kind="stable")
    skey = key[perm]
    cw = np.array([c.wave for c in contests])
    cr = np.array([c.race for c in contests])
    cs = ref.race_state[cr].astype(np.int64)
    cd = ref.race_district[cr]
    whole = (cd < 0) | (ref.seats[cs] == 1)
    klo = np.where(whole, cs * 1000, cs * 1000 + cd)
    khi = np.where(whole, cs * 1000 + 1000, cs * 1000 + cd + 1)
    lo = np.searchsorted(skey, klo)
    hi = np.searchsorted(skey, khi)
    slo = np.searchsorted(skey, cs * 1000)
    shi = np.searchsorted(skey, cs * 1000 + 1000)
    n_in_states = int(np.searchsorted(skey, 10**9))

    # Options per contest: up to three ballot candidates, then NO_ENDORSEMENT.
    opt = np.full((n_c, 4), ne_code, dtype=np.int32)
    cum = np.ones((n_c, 4))
    inv = np.zeros((n_c, 3), dtype=np.int32)  # choices not on the ballot
    p = np.array([c.p for c in contests])
    nb = np.array([len(c.ballot) for c in contests])
    all_cands = np.arange(len(cands.cid))
    typos = [choice_code[x] for x in _TYPO_CHOICES]
    for k, c in enumerate(contests):
        pr = np.zeros(4)
        for j, (ci, q) in enumerate(zip(c.ballot, c.probs, strict=True)):
            opt[k, j] = choice_code[cands.cid[ci]]
            pr[j] = q
        pr[3] = max(0.0, 1.0 - pr[:3].sum())
        cum[k] = np.cumsum(pr) / pr.sum()
        off = list(c.roles)
        if off:
            inv[k, 0] = choice_code[cands.cid[off[int(rng.integers(len(off)))]]]
        else:
            other = all_cands[np.asarray(cands.race) != c.race]
            inv[k, 0] = choice_code[cands.cid[int(other[int(rng.integers(len(other)))])]]
        inv[k, 1] = typos[int(rng.integers(len(typos)))]
        inv[k, 2] = (
            choice_code[cands.cid[c.ballot[0]].lower()]
            if c.ballot
            else typos[int(rng.integers(len(typos)))]
        )
    send = opens[cw] + rng.integers(0, 40 * 60, n_c)

    # Potential voters per contest, and the turnout scaling for an explicit target.
    E = np.zeros(n_c, dtype=np.int64)
    for w in range(4):
        el = (mem.su[perm] < signup[w]) & (mem.oo[perm] >= opens[w])
        csum = np.concatenate([[0], np.cumsum(el)])
        m = cw == w
        E[m] = csum[hi[m]] - csum[lo[m]]
    ballot = nb > 0
    overhead = 1.075
    extra_revotes = 0
    if target is not None:
        pe = (p * E)[ballot]
        cap = 0.6 * E[ballot].sum()
        want = min(target / overhead, cap)
        base = pe.sum()
        if base > 0 and want > 0:
            f_lo, f_hi = 0.0, 1.0
            pb = p[ballot]
            eb = E[ballot]

            def total(f):
                return float((eb * (1 - (1 - pb) ** f)).sum())

            while total(f_hi) < want and f_hi < 1e4:
                f_hi *= 2
            for _ in range(50):
                mid = (f_lo + f_hi) / 2
                f_lo, f_hi = (mid, f_hi) if total(mid) < want else (f_lo, mid)
            p = 1 - (1 - p) ** f_hi
            extra_revotes = max(0, int(target - overhead * total(f_hi)))
        else:
            p = p * 0

    rows = _VoteRows()
    prim_parts = []
    for w in range(4):
        ks = np.flatnonzero((cw == w) & ballot)
        sizes = hi[ks] - lo[ks]
        tot = int(sizes.sum())
        rep = np.repeat(ks, sizes)
        starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
        pos = np.arange(tot) - starts + np.repeat(lo[ks], sizes)
        mm = perm[pos]
        su, oo = mem.su[mm], mem.oo[mm]
        el = (su < signup[w]) & (oo >= opens[w])
        near = ~el & (su < closes[w])  # late sign-ups, opted out: a forwarded ballot
        u = rng.random(tot)
        pc = p[rep]
        take = el & (u < pc)
        c1, m1 = rep[take], mm[take]
        c2, m2 = rep[near & (u < pc * 0.08)], mm[near & (u < pc * 0.08)]
        del rep, starts, pos, mm, su, oo, el, near, u, pc
        k1 = len(c1)
        # choices and times of the regular ballots
        ch = opt[c1, (rng.random(k1)[:, None] > cum[c1]).sum(axis=1).clip(0, 3)]
        t = send[c1] + _delays(rng, send[c1], closes[w] - send[c1])
        keep = np.zeros(k1, dtype=bool)
        # irregular ballots: disjoint slices of the regular ones
        shuffled = rng.permutation(k1)

        def n_of(rate, lo_=4, k1=k1):
            return min(max(lo_, int(round(rate * k1))), k1 // 8)

        cuts = np.cumsum([0, n_of(0.002), n_of(0.004), n_of(0.003), n_of(0.004), n_of(0.0015, 3)])
        early, late, nob, outd, unk = (shuffled[cuts[i] : cuts[i + 1]] for i in range(5))
        k_e = len(early)
        t[early] = np.where(
            rng.random(k_e) < 0.7,
            opens[w] - rng.integers(30, 15 * 60, k_e),
            opens[w] - rng.integers(_HOUR, 48 * _HOUR, k_e),
        )
        t[late] = closes[w] + rng.exponential(3 * _HOUR, len(late)).astype(np.int64) + 1
        if len(late):
            t[late[0]] = closes[w]  # exactly at the close: outside the window
        if k1 > cuts[-1]:
            t[shuffled[cuts[-1]]] = opens[w]  # exactly at the opening: in the window
        ch[nob] = inv[c1[nob], rng.integers(0, 3, len(nob))]
        keep[early] = keep[late] = keep[nob] = True
        rows.add(w, cr[c1], 0, m1 + 1, ch, t, keep)
        prim_parts.append((c1, m1, t, w))
        # re-votes: a member changes their mind (or clicks twice)
        rv = np.flatnonzero(rng.random(k1) < 0.05)
        rv = rv[~np.isin(rv, shuffled[: cuts[-1]])]
        k_r = len(rv)
        dt = rng.exponential(10 * _HOUR, k_r).astype(np.int64) + 1
        dt[rng.random(k_r) < 0.06] = 0
        ch_r = opt[c1[rv], (rng.random(k_r)[:, None] > cum[c1[rv]]).sum(axis=1).clip(0, 3)]
        bad = rng.random(k_r) < 0.04
        ch_r[bad] = inv[c1[rv][bad], rng.integers(0, 3, int(bad.sum()))]
        keep_r = np.zeros(k_r, dtype=bool)
        keep_r[: min(k_r, 5)] = True
        rows.add(w, cr[c1[rv]], 0, m1[rv] + 1, ch_r, t[rv] + dt, keep_r)
        # votes from outside the district, or from a member who may not vote
        rows.add(
            w,
            cr[c2],
            0,
            m2 + 1,
            opt[c2, 0],
            send[c2] + _delays(rng, send[c2], closes[w] - send[c2]),
            np.ones(len(c2), bool),
        )
        co = c1[outd]
        k_o = len(outd)
        # a House race: a member of another district of the state; else anyone
        same = ~whole[co] & (rng.random(k_o) < 0.9)
        pos_o = slo[co] + (rng.random(k_o) * (shi[co] - slo[co])).astype(np.int64)
        m_o = np.where(same, perm[np.minimum(pos_o, mem.n - 1)], rng.integers(0, mem.n, k_o))
        rows.add(w, cr[co], 0, m_o + 1, ch[outd], t[outd] + rng.integers(1, 600, k_o), True)
        # members that are not on the list (typos, deleted, never signed up)
        kind = rng.choice(3, len(unk), p=[0.6, 0.2, 0.2])
        num = np.select(
            [kind == 0, kind == 1],
            [mem.n + 1 + rng.integers(0, 90000, len(unk)), m1[unk] + 1],
            rng.integers(1, 99999, len(unk)),
        )
        rows.add(w, cr[c1[unk]], kind, num, ch[unk], t[unk] + rng.integers(1, 900, len(unk)), True)
        # races that do not exist (or are spelled wrong)
        k_u = max(3, int(round(0.0002 * k1)))
        rows.add(
            w,
            [race_code[_UNKNOWN_RACES[int(i)]] for i in rng.integers(0, len(_UNKNOWN_RACES), k_u)],
            0,
            perm[rng.integers(0, n_in_states, k_u)] + 1,
            rng.choice([ne_code] + typos[:1], k_u),
            opens[w] + rng.integers(0, closes[w] - opens[w], k_u),
            True,
        )

    # NO_CANDIDATES contests that still get a few (stray) ballots.
    for k in np.flatnonzero(~ballot):
        c = contests[k]
        if not c.stray or hi[k] == lo[k]:
            continue
        w = c.wave
        n_s = int(rng.integers(1, 7))
        mm = perm[rng.integers(lo[k], hi[k], n_s)]
        chs = np.where(rng.random(n_s) < 0.75, inv[k, 0], ne_code)
        rows.add(
            w, c.race, 0, mm + 1, chs, opens[w] + rng.integers(0, closes[w] - opens[w], n_s), True
        )
    # Waves that do not exist.
    k_w = max(4, int(round(1e-5 * sum(len(x[0]) for x in prim_parts))))
    wcodes = 4 + rng.integers(0, len(_UNKNOWN_WAVES), k_w)
    rows.add(
        wcodes,
        rng.integers(0, len(ref.race_ids), k_w),
        0,
        perm[rng.integers(0, n_in_states, k_w)] + 1,
        ne_code,
        _epoch("2026-06-09T09:00:00-04:00") + rng.integers(0, 4 * _DAY, k_w),
        True,
    )

    out = rows.cat()
    n_now = len(out["t"])
    if target is not None:
        pad = max(extra_revotes, target - n_now) if target > n_now else 0
        if pad:
            # more re-votes, each within its wave's window
            c1 = np.concatenate([x[0] for x in prim_parts])
            m1 = np.concatenate([x[1] for x in prim_parts])
            t1 = np.concatenate([x[2] for x in prim_parts])
            if len(c1):
                pick = rng.integers(0, len(c1), pad)
                cc = c1[pick]
                end = closes[cw[cc]]
                base = np.minimum(t1[pick], end - 1)
                tt = base + (rng.random(pad) * (end - base)).astype(np.int64)
                chs = opt[cc, (rng.random(pad)[:, None] > cum[cc]).sum(axis=1).clip(0, 3)]
                extra = {
                    "w": cw[cc].astype(np.int16),
                    "r": cr[cc].astype(np.int32),
                    "mk": np.zeros(pad, np.int8),
                    "mn": (m1[pick] + 1).astype(np.int64),
                    "ch": chs.astype(np.int32),
                    "t": tt,
                    "keep": np.zeros(pad, bool),
                }
                out = {k: np.concatenate([out[k], extra[k]]) for k in out}
                n_now = len(out["t"])
        if n_now > target:
            free = np.flatnonzero(~out["keep"])
            drop = rng.choice(free, min(len(free), n_now - target), replace=False)
            mask = np.ones(n_now, dtype=bool)
            mask[drop] = False
            out = {k: v[mask] for k, v in out.items()}
    return out


# --------------------------------------------------------------------------- writing


def _copy(con: duckdb.DuckDBPyConnection, table, select: str, path: Path) -> int:
    con.register("src", table)
    target = str(path).replace("'", "''")
    con.execute(f"COPY ({select}) TO '{target}' (FORMAT csv, HEADER)")  # noqa: S608
    con.unregister("src")
    return table.num_rows if isinstance(table, pa.Table) else len(table)


def _dict(codes: np.ndarray, values: list[str], mask: np.ndarray | None = None):
    idx = pa.array(codes.astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(idx, pa.array(values, type=pa.string()))


# Eastern local seconds and a DST flag -> '2026-03-05T09:00:00-05:00'
_EASTERN_MACRO = """
    CREATE MACRO eastern(loc, dst) AS
        strftime(make_timestamp(loc * 1000000), '%Y-%m-%dT%H:%M:%S')
        || CASE WHEN dst THEN '-04:00' ELSE '-05:00' END"""


_MEMBERS_SQL = """
    SELECT printf('M%07d', num) AS member_id,
           first_ascii || '.' || last_ascii || coalesce(CAST(enum AS VARCHAR), '')
               || '@example.' || tld AS email,
           first AS first_name, state, district,
           printf('%05d', zip) AS zip,
           printf('(%03d) 555-01%02d', area, line) AS phone,
           eastern(su_loc, su_dst) AS signed_up_at,
           eastern(oo_loc, oo_dst) AS opted_out_at
    FROM src"""
_VOTES_SQL = """
    SELECT vote_id, wave_id, race_id,
           CASE mk WHEN 0 THEN printf('M%07d', mn) WHEN 1 THEN printf('m%07d', mn)
                   ELSE printf('M%d', mn) END AS member_id,
           choice,
           eastern(t_loc, t_dst) AS cast_at
    FROM src"""


def _ts_cols(name: str, t: np.ndarray, none: np.ndarray | None = None) -> dict:
    loc, dst = _eastern(t)
    return {f"{name}_loc": pa.array(loc, mask=none), f"{name}_dst": pa.array(dst)}


def write_demo(
    out_dir: Path, *, seed: int = 2026, members: int = 500_000, votes: int | None = None
) -> dict[str, int]:
    """Write the eight CSV files of a synthetic 2026 data set into ``out_dir``.

    ``members`` is the size of the member list (at least 1,000); ``votes`` is the
    number of rows of votes.csv (``None``: what the simulated turnout gives, roughly
    35-45% of the member count; else exactly that many, unless it is tiny).
    Deterministic for a given seed. Returns the number of data rows per file name.
    """
    if members < 1000:
        raise ValueError("members must be at least 1000")
    if votes is not None and votes < 0:
        raise ValueError("votes must be 0 or more")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    ref = _read_reference()
    wave_t = [(_epoch(o), _epoch(c), _epoch(s)) for _, _, o, c, s in WAVES]

    contests, cands = _plan(rng, ref)
    groups = _groups(rng, ref)
    endorse, vetting = _endorsements(rng, ref, contests, cands, groups, wave_t)
    mem = _members(rng, ref, members, wave_t)

    choices = list(cands.cid) + [NO_ENDORSEMENT] + list(_TYPO_CHOICES)
    choices += [c.lower() for c in cands.cid]
    choice_code = {c: i for i, c in enumerate(choices)}
    race_strings = list(ref.race_ids) + list(_UNKNOWN_RACES)
    race_code = {r: i for i, r in enumerate(race_strings)}
    v = _votes(rng, ref, mem, contests, cands, wave_t, choice_code, race_code, votes)

    counts: dict[str, int] = {}
    con = duckdb.connect()
    quiet_progress_bar(con)
    con.execute("SET preserve_insertion_order = true")
    con.execute(_EASTERN_MACRO)
    try:
        # small tables
        waves_df = pd.DataFrame(
            [(w, n, o, c, s) for w, n, o, c, s in WAVES],
            columns=["wave_id", "name", "opens_at", "closes_at", "signup_closes_at"],
        )
        counts["waves.csv"] = _copy(con, waves_df, "SELECT * FROM src", out / "waves.csv")
        races_df = pd.DataFrame(
            {
                "race_id": ref.race_ids,
                "office": ref.race_office,
                "state": [ref.states[s] for s in ref.race_state],
                "district": pd.array(
                    [d if d >= 0 else None for d in ref.race_district], dtype="Int64"
                ),
                "cycle": pd.array([int(c) for c in ref.race_cycle], dtype="Int64"),
            }
        )
        counts["races.csv"] = _copy(con, races_df, "SELECT * FROM src", out / "races.csv")
        cand_df = pd.DataFrame(
            {
                "candidate_id": cands.cid,
                "race_id": [ref.race_ids[r] for r in cands.race],
                "name": cands.name,
                "party": cands.party,
                "first_time": cands.first_time,
                "incumbent": cands.incumbent,
            }
        )
        counts["candidates.csv"] = _copy(con, cand_df, "SELECT * FROM src", out / "candidates.csv")
        groups_df = pd.DataFrame(
            {
                "group_id": groups.gid,
                "name": groups.name,
                "state": [ref.states[s] for s in groups.state],
                "district": pd.array(
                    [d if d >= 0 else None for d in groups.district], dtype="Int64"
                ),
            }
        )
        counts["groups.csv"] = _copy(con, groups_df, "SELECT * FROM src", out / "groups.csv")
        end_df = pd.DataFrame(
            endorse,
            columns=["group_id", "candidate_id", "wave_id", "endorsed_on", "requests_national"],
        )
        counts["endorsements.csv"] = _copy(
            con, end_df, "SELECT * FROM src", out / "endorsements.csv"
        )
        vet_df = pd.DataFrame(
            vetting,
            columns=[
                "candidate_id",
                "wave_id",
                "status",
                "questionnaire",
                "partner_endorsements",
                "notes",
            ],
        )
        vet_df["partner_endorsements"] = vet_df["partner_endorsements"].astype("Int64")
        counts["vetting.csv"] = _copy(con, vet_df, "SELECT * FROM src", out / "vetting.csv")
        waves_df = races_df = cand_df = groups_df = end_df = vet_df = None

        # members, with the personal columns of a list export
        n = mem.n
        firsts = list(_FIRST) + list(_FIRST_ACCENTED)
        firsts_ascii = [f.lower() for f in _FIRST] + list(_FIRST_ACCENTED.values())
        lasts_ascii = [x.lower() for x in _LAST] + list(_LAST_SPECIAL.values())
        fi = rng.integers(0, len(firsts), n)
        li = rng.integers(0, len(lasts_ascii), n)
        enum = rng.integers(1, 1000, n)
        no_num = rng.random(n) < 0.4
        tld = rng.integers(0, 3, n)
        zip_ = rng.integers(1001, 99951, n)
        area = rng.integers(201, 990, n)
        line = rng.integers(0, 100, n)
        no_phone = rng.random(n) < 0.35
        no_zip = rng.random(n) < 0.03
        state_values = ref.states + [s.lower() for s in ref.states] + list(_TERRITORIES)
        no_oo = mem.oo == _NONE
        tbl = pa.table(
            {
                "num": pa.array(np.arange(1, n + 1, dtype=np.int64)),
                "first": _dict(fi, firsts),
                "first_ascii": _dict(fi, firsts_ascii),
                "last_ascii": _dict(li, lasts_ascii),
                "enum": pa.array(enum, mask=no_num),
                "tld": _dict(tld, ["com", "org", "net"]),
                "state": _dict(np.maximum(mem.state_out, 0), state_values, mem.state_out < 0),
                "district": pa.array(mem.dist_out, mask=mem.dist_out < 0),
                "zip": pa.array(zip_, mask=no_zip),
                "area": pa.array(area, mask=no_phone),
                "line": pa.array(line),
                **_ts_cols("su", mem.su),
                **_ts_cols("oo", np.where(no_oo, 0, mem.oo), no_oo),
            }
        )
        counts["members.csv"] = _copy(con, tbl, _MEMBERS_SQL, out / "members.csv")
        del tbl

        # votes, numbered in the order they were cast
        order = np.argsort(v["t"], kind="stable")
        nv = len(order)
        gaps = (rng.random(nv) < 0.002) * rng.integers(1, 4, nv)
        vote_id = np.arange(1, nv + 1, dtype=np.int64) + np.cumsum(gaps)
        wave_values = [w[0] for w in WAVES] + list(_UNKNOWN_WAVES)
        tbl = pa.table(
            {
                "vote_id": pa.array(vote_id),
                "wave_id": _dict(v["w"][order], wave_values),
                "race_id": _dict(v["r"][order], race_strings),
                "mk": pa.array(v["mk"][order]),
                "mn": pa.array(v["mn"][order]),
                "choice": _dict(v["ch"][order], choices),
                **_ts_cols("t", v["t"][order]),
            }
        )
        del v, order
        counts["votes.csv"] = _copy(con, tbl, _VOTES_SQL, out / "votes.csv")
    finally:
        con.close()
    return counts


if __name__ == "__main__":  # pragma: no cover - a quick manual run
    import sys
    import time

    t0 = time.perf_counter()
    res = write_demo(
        Path(sys.argv[1] if len(sys.argv) > 1 else "demo-data"),
        members=int(sys.argv[2]) if len(sys.argv) > 2 else 500_000,
        votes=int(sys.argv[3]) if len(sys.argv) > 3 else None,
    )
    print(res, f"{time.perf_counter() - t0:.1f} s")
