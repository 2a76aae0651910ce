"""Property tests: random small programs, the package against the plain model.

Each example writes a random *valid* program (docs/rules.md §2) as the eight CSV files,
loads it with the real command, and compares `tally --format json` (every contest,
every field but `reason`), `audit --format json` and the per-vote statuses of
`endorse_analysis.vote_status` with `tests/model.py`, a loop-by-loop reading of §3.

The generator aims at the edges: timestamps on and around window, sign-up and opt-out
bounds (to the microsecond), written with `Z`, `+02:00`, `-05:00` or no offset; equal
`cast_at` between a member's votes; members with unknown districts or no state; groups
out of jurisdiction; choices off the ballot; unknown waves, races and members; and
thresholds at exact decimals.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import random
import tempfile
from datetime import UTC, date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model import NO_ENDORSEMENT

PLUS2 = timezone(timedelta(hours=2))
MINUS5 = timezone(timedelta(hours=-5))

# --------------------------------------------------------------------------- model unit tests


def _t(day, hour=0, minute=0, second=0, micro=0):
    return datetime(2026, 3, day, hour, minute, second, micro)


def _tiny_program(n_members=5, candidates=("C1", "C2"), state="VT"):
    """One wave (Mar 1 - Mar 10), one at-large House race, candidates all on the ballot,
    `n_members` eligible members M1..Mn; no votes yet."""
    race_id = f"{state}-AL"
    return {
        "waves": [
            {
                "wave_id": "W1",
                "name": "March",
                "opens_at": _t(1),
                "closes_at": _t(10),
                "signup_closes_at": None,
            }
        ],
        "races": [
            {"race_id": race_id, "office": "house", "state": state, "district": 0, "cycle": 2026}
        ],
        "candidates": [
            {
                "candidate_id": c,
                "race_id": race_id,
                "name": c,
                "party": None,
                "first_time": False,
                "incumbent": False,
            }
            for c in candidates
        ],
        "groups": [{"group_id": "G1", "name": "g", "state": state, "district": None}],
        "endorsements": [
            {
                "group_id": "G1",
                "candidate_id": c,
                "wave_id": "W1",
                "endorsed_on": date(2026, 2, 1),
                "requests_national": True,
            }
            for c in candidates
        ],
        "vetting": [
            {
                "candidate_id": c,
                "wave_id": "W1",
                "status": "cleared",
                "questionnaire": "passed",
                "partner_endorsements": None,
                "notes": None,
            }
            for c in candidates
        ],
        "members": [
            {
                "member_id": f"M{i}",
                "state": state,
                "district": None,
                "signed_up_at": datetime(2026, 1, 1),
                "opted_out_at": None,
            }
            for i in range(1, n_members + 1)
        ],
        "votes": [],
    }


def _vote(vote_id, member_id, choice, cast_at, race_id="VT-AL", wave_id="W1"):
    return {
        "vote_id": vote_id,
        "wave_id": wave_id,
        "race_id": race_id,
        "member_id": member_id,
        "choice": choice,
        "cast_at": cast_at,
    }


def test_model_three_of_five_passes_sixty_percent():
    p = _tiny_program(5)
    p["votes"] = [
        _vote(1, "M1", "C1", _t(2)),
        _vote(2, "M2", "C1", _t(2)),
        _vote(3, "M3", "C1", _t(2)),
        _vote(4, "M4", "C2", _t(2)),
        _vote(5, "M5", NO_ENDORSEMENT, _t(2)),
    ]
    [row] = model.tally(p, "W1", S=Fraction("0.6"), T=Fraction("0.1"), M=1)
    assert (row["ballots_counted"], row["top_choice"], row["top_votes"]) == (5, "C1", 3)
    assert row["decision"] == "ENDORSE"
    assert row["turnout"] == 1.0
    # 3 of 5 is below 0.61
    [row] = model.tally(p, "W1", S=Fraction("0.61"))
    assert row["decision"] == "NO_ENDORSEMENT"
    # support there, enthusiasm not: N=5 < M=6
    [row] = model.tally(p, "W1", M=6)
    assert row["decision"] == "REVIEW"


def test_model_equal_cast_at_larger_vote_id_wins():
    p = _tiny_program(1)
    p["votes"] = [
        _vote(10, "M1", "C2", _t(3, 12)),
        _vote(9, "M1", "C1", _t(3, 12)),
        # the same instant written with an offset
        _vote(7, "M1", "C1", datetime(2026, 3, 3, 14, tzinfo=PLUS2)),
    ]
    assert model.vote_statuses(p) == {10: "counted", 9: "superseded", 7: "superseded"}
    [row] = model.tally(p, "W1")
    assert row["top_choice"] == "C2"


def test_model_invalid_later_vote_does_not_supersede():
    p = _tiny_program(1, candidates=("C1",))
    p["candidates"].append(
        {
            "candidate_id": "C3",
            "race_id": "VT-AL",
            "name": "off",
            "party": None,
            "first_time": False,
            "incumbent": False,
        }
    )
    p["votes"] = [
        _vote(1, "M1", "C1", _t(2)),
        _vote(2, "M1", "C3", _t(4)),  # off the ballot
        _vote(3, "M1", "C1", _t(10)),  # outside the window (== closes_at)
        _vote(4, "M1", "NO_ENDORSEMENT", _t(1) - timedelta(microseconds=1)),  # too early
        _vote(5, "M1", "no_endorsement", _t(5)),  # ids are case-sensitive
    ]
    assert model.vote_statuses(p) == {
        1: "counted",
        2: "not_on_ballot",
        3: "outside_window",
        4: "outside_window",
        5: "not_on_ballot",
    }


def test_model_status_order_and_eligibility_bounds():
    p = _tiny_program(4)
    p["waves"][0]["signup_closes_at"] = _t(5)
    p["members"][0]["signed_up_at"] = _t(5)  # exactly at the deadline: not eligible
    p["members"][1]["opted_out_at"] = _t(1)  # exactly at opens_at: still eligible
    p["members"][2]["opted_out_at"] = _t(1) - timedelta(microseconds=1)  # before: not
    p["members"][3]["state"] = None  # no jurisdiction
    p["votes"] = [
        _vote(1, "M1", "C1", _t(2)),
        _vote(2, "M2", "C1", _t(2)),
        _vote(3, "M3", "C1", _t(2)),
        _vote(4, "M4", "C1", _t(2)),
        _vote(5, "M9", "C1", _t(2)),
        _vote(6, "M2", "C1", _t(2), race_id="XX-01"),
        _vote(7, "M2", "C1", _t(2), wave_id="W9"),
        _vote(8, "M9", "C9", _t(20), race_id="ZZ"),  # unknown race wins over the rest
    ]
    assert model.vote_statuses(p) == {
        1: "not_eligible",
        2: "counted",
        3: "not_eligible",
        4: "not_eligible",
        5: "unknown_member",
        6: "unknown_race",
        7: "unknown_race",
        8: "unknown_race",
    }
    assert model.potential_voters(p, "W1", "VT-AL") == {"M2"}
    assert model.contests(p, "W1") == ["VT-AL"]
    assert model.audit(p)[0] == {
        "wave_id": "W1",
        "race_id": "VT-AL",
        "status": "counted",
        "votes": 1,
    }


def test_model_jurisdiction_unknown_district():
    # at large: an unknown district is in; a two-seat state: it is out of the House race
    assert model.member_geography(" vt ", "3") == ("VT", None)
    assert model.member_geography("NH", "7.0") == ("NH", None)
    assert model.member_geography("NH", "+2") == ("NH", 2)
    assert model.member_geography("PR", "1") == (None, None)
    assert model.member_geography("", "") == (None, None)
    vt_al = {"race_id": "VT-AL", "office": "house", "state": "VT", "district": 0}
    nh_01 = {"race_id": "NH-01", "office": "house", "state": "NH", "district": 1}
    nh_sen = {"race_id": "NH-SEN", "office": "senate", "state": "NH", "district": None}
    assert model.race_covers_member(vt_al, {"state": "VT", "district": None})
    assert not model.race_covers_member(nh_01, {"state": "NH", "district": None})
    assert model.race_covers_member(nh_sen, {"state": "NH", "district": None})
    assert model.race_covers_group(nh_01, {"state": "NH", "district": None})
    assert not model.race_covers_group(nh_01, {"state": "NH", "district": 2})
    assert model.race_covers_group(nh_sen, {"state": "NH", "district": 2})


def test_model_top_choice_ties_and_code_point_order():
    p = _tiny_program(4, candidates=("C9", "C10"))
    p["votes"] = [
        _vote(1, "M1", "C9", _t(2)),
        _vote(2, "M2", "C10", _t(2)),
        _vote(3, "M3", "C9", _t(2)),
        _vote(4, "M4", "C10", _t(2)),
    ]
    [row] = model.tally(p, "W1", S=Fraction("0.5"))
    assert row["top_choice"] == "C10"  # "C10" < "C9" by code point
    assert row["decision"] == "REVIEW"  # a tie at 50% with S = 0.5
    assert [c["choice"] for c in row["choices"]] == ["C10", "C9", NO_ENDORSEMENT]
    [row] = model.tally(p, "W1", S=Fraction("0.6"))
    assert row["decision"] == "NO_ENDORSEMENT"


def test_model_no_candidates_and_all_no_endorsement():
    p = _tiny_program(2)
    p["vetting"][0]["questionnaire"] = "missing"
    p["vetting"][1]["status"] = "pending"
    p["votes"] = [_vote(1, "M1", NO_ENDORSEMENT, _t(2))]
    [row] = model.tally(p, "W1")
    assert row["decision"] == "NO_CANDIDATES" and row["candidates_on_ballot"] == 0
    assert row["ballots_counted"] == 1 and row["top_choice"] is None

    p = _tiny_program(2)
    p["votes"] = [_vote(1, "M1", NO_ENDORSEMENT, _t(2))]
    [row] = model.tally(p, "W1")
    assert row["decision"] == "NO_ENDORSEMENT"
    assert (row["top_choice"], row["top_votes"], row["top_share"]) == (None, None, None)
    assert row["choices"][-1] == {"choice": NO_ENDORSEMENT, "votes": 1, "share": 1.0}


# --------------------------------------------------------------------------- generator

AT_LARGE = sorted(s for s, n in model.HOUSE_SEATS.items() if n == 1)  # AK DE ND SD VT WY
MULTI_SMALL = sorted(s for s, n in model.HOUSE_SEATS.items() if 2 <= n <= 3)
OTHER_STATES = ["MA", "DC"]  # groups there are out of every race's jurisdiction

# ids are exact, case-sensitive text ordered by code point: "C10" < "C9" < "c1" < "Éva"
CANDIDATE_IDS = ["C1", "C10", "C2", "C9", "c1", "Ann", "B-7", "Éva", "Z", "07", "7", 'Q,"1"']
MEMBER_IDS = [f"M{i}" for i in range(1, 13)] + ["m1", "007", "7"]
GROUP_IDS = ["G1", "G2", "G3", "G4", "G5", "G6", "G10", "g1"]

BASE = datetime(2026, 3, 2)

TZ_CHOICES = [None, UTC, PLUS2, MINUS5, timezone(timedelta(hours=5, minutes=30))]

NUDGES = [
    timedelta(0),
    timedelta(0),
    timedelta(0),
    timedelta(microseconds=-1),
    timedelta(microseconds=1),
    timedelta(seconds=-1),
    timedelta(seconds=1),
    timedelta(hours=-3),
    timedelta(hours=5),
    timedelta(days=-2),
    timedelta(days=1),
]


def _with_tz(instant_utc: datetime, tz) -> datetime:
    """The same instant, naive (UTC wall time) or aware in `tz`."""
    if tz is None:
        return instant_utc
    return instant_utc.replace(tzinfo=UTC).astimezone(tz)


@st.composite
def near(draw, edges, nudges=NUDGES):
    """An instant on or around one of `edges` (naive UTC), in a random zone."""
    edge = draw(st.sampled_from(edges))
    instant = edge + draw(st.sampled_from(nudges))
    return _with_tz(instant, draw(st.sampled_from(TZ_CHOICES)))


def _race_pool(al_state, multi_state):
    pool = [
        {"race_id": f"{al_state}-AL", "office": "house", "state": al_state, "district": 0},
        {"race_id": f"{al_state}-SEN", "office": "senate", "state": al_state, "district": None},
        {"race_id": f"{al_state}-GOV", "office": "governor", "state": al_state, "district": None},
        {
            "race_id": f"{multi_state}-SEN",
            "office": "senate",
            "state": multi_state,
            "district": None,
        },
    ]
    for d in range(1, model.HOUSE_SEATS[multi_state] + 1):
        pool.append(
            {
                "race_id": f"{multi_state}-{d:02d}",
                "office": "house",
                "state": multi_state,
                "district": d,
            }
        )
    return pool


@st.composite
def programs(draw):
    al_state = draw(st.sampled_from(AT_LARGE))
    multi_state = draw(st.sampled_from(MULTI_SMALL))
    seats = model.HOUSE_SEATS[multi_state]

    # waves -----------------------------------------------------------------
    # A *tidy* program puts every candidate on the first race's ballot and most votes into
    # that contest, so that decisions, ties and supersessions happen often; the others
    # spread everything around.
    tidy = draw(st.booleans())
    n_waves = draw(st.integers(1, 2))
    wave_ids = draw(
        st.sampled_from(
            [["W1", "W2"], ["2026-03", "2026-04"], ["w", "W"], ["May 2026", "may 2026"]]
        )
    )
    waves = []
    for i in range(n_waves):
        opens = BASE + timedelta(
            days=draw(st.integers(0, 3)) + 5 * i,
            hours=draw(st.sampled_from([0, 0, 13])),
            microseconds=draw(st.sampled_from([0, 0, 1, 500000])),
        )
        length = draw(
            st.sampled_from(
                [
                    timedelta(microseconds=1),
                    timedelta(seconds=1),
                    timedelta(hours=6),
                    timedelta(days=3),
                    timedelta(days=3),
                    timedelta(days=7),
                    timedelta(days=7),
                ]
            )
        )
        closes = opens + length
        signup = draw(
            st.one_of(
                st.none(),
                st.sampled_from(
                    [
                        opens - timedelta(days=1),
                        opens,
                        opens + length / 2,
                        closes,
                        closes + timedelta(days=1),
                    ]
                ),
            )
        )
        if signup is not None:
            signup = _with_tz(signup, draw(st.sampled_from(TZ_CHOICES)))
        waves.append(
            {
                "wave_id": wave_ids[i],
                "name": draw(st.sampled_from(["March", "April, early", 'The "big" one', "É"])),
                "opens_at": _with_tz(opens, draw(st.sampled_from(TZ_CHOICES))),
                "closes_at": _with_tz(closes, draw(st.sampled_from(TZ_CHOICES))),
                "signup_closes_at": signup,
            }
        )
    wave_edges = {
        w["wave_id"]: [model.to_utc(w["opens_at"]), model.to_utc(w["closes_at"])]
        + ([model.to_utc(w["signup_closes_at"])] if w["signup_closes_at"] else [])
        for w in waves
    }
    all_edges = sorted({e for edges in wave_edges.values() for e in edges})

    # races -------------------------------------------------------------------
    pool = _race_pool(al_state, multi_state)
    races = draw(
        st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique_by=lambda r: r["race_id"])
    )
    races = [
        dict(
            r,
            cycle=draw(st.sampled_from([2026, None])),
            race_id=draw(
                st.sampled_from([r["race_id"]] * 3 + [r["race_id"].lower(), "É" + r["race_id"]])
            ),
        )
        for r in races
    ]
    race_ids = [r["race_id"] for r in races]
    not_loaded = [r["race_id"] for r in pool if r["race_id"] not in race_ids]

    # candidates --------------------------------------------------------------
    # most candidates run in the first race, so that contested ballots (and ties) happen
    cand_ids = draw(
        st.lists(
            st.sampled_from(CANDIDATE_IDS),
            max_size=5,
            min_size=draw(st.sampled_from([3, 2, 2, 1])),
            unique=True,
        )
    )
    candidates = [
        {
            "candidate_id": c,
            "race_id": race_ids[0] if tidy else draw(st.sampled_from([race_ids[0]] * 3 + race_ids)),
            "name": f"Candidate {c}",
            "party": draw(st.sampled_from([None, "DEM", "IND"])),
            "first_time": draw(st.booleans()),
            "incumbent": draw(st.booleans()),
        }
        for c in cand_ids
    ]

    # groups: some in a race's jurisdiction, some anywhere (incl. out of it) ----
    group_pool = draw(st.permutations(GROUP_IDS))
    groups = []
    for race in races:
        if (tidy and race is races[0]) or draw(st.sampled_from([True, True, True, False])):
            if race["office"] == "house":
                district = draw(st.sampled_from([None, race["district"]]))
            else:
                district = draw(st.sampled_from([None, *sorted(model.districts_of(race["state"]))]))
            groups.append({"state": race["state"], "district": district})
    for _ in range(draw(st.integers(0, 3))):
        state = draw(st.sampled_from([al_state, multi_state, *OTHER_STATES]))
        groups.append(
            {
                "state": state,
                "district": draw(st.sampled_from([None, *sorted(model.districts_of(state))])),
            }
        )
    groups = groups[: len(group_pool)]  # at most len(GROUP_IDS) groups
    for g, group in zip(group_pool[: len(groups)], groups, strict=True):
        group.update(group_id=g, name=f"Group {g}")
    group_ids = [g["group_id"] for g in groups]

    # endorsements: unique (group, candidate, wave) ----------------------------
    race_of = {r["race_id"]: r for r in races}
    triples = {}
    if groups:
        for c in candidates:
            covering = [
                g["group_id"] for g in groups if model.race_covers_group(race_of[c["race_id"]], g)
            ]
            for w in waves:
                how = "jur" if tidy else draw(st.sampled_from(["jur"] * 6 + ["any", "none"]))
                if how == "none":
                    continue
                g = draw(st.sampled_from(covering if how == "jur" and covering else group_ids))
                triples[(g, c["candidate_id"], w["wave_id"])] = True
        for triple in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(group_ids),
                    st.sampled_from(cand_ids),
                    st.sampled_from([w["wave_id"] for w in waves]),
                ),
                max_size=4,
            )
        ):
            triples[triple] = True
    endorsements = []
    for g, c, w in triples:
        endorsements.append(
            {
                "group_id": g,
                "candidate_id": c,
                "wave_id": w,
                "endorsed_on": date(2026, 2, draw(st.integers(1, 28))),
                "requests_national": tidy or draw(st.sampled_from([True, True, True, False])),
            }
        )

    # vetting: unique (candidate, wave) ----------------------------------------
    vetting = []
    for c in cand_ids:
        for w in waves:
            if not (tidy or draw(st.sampled_from([True] * 5 + [False]))):
                continue
            cleared = tidy or draw(st.sampled_from([True] * 4 + [False]))
            vetting.append(
                {
                    "candidate_id": c,
                    "wave_id": w["wave_id"],
                    "status": "cleared"
                    if cleared
                    else draw(st.sampled_from(["cleared", "rejected", "pending"])),
                    "questionnaire": "passed"
                    if cleared
                    else draw(st.sampled_from(["passed", "failed", "missing"])),
                    "partner_endorsements": draw(st.sampled_from([None, 0, 3])),
                    "notes": draw(st.sampled_from([None, "ok", "line one\nline two", 'a, "b"'])),
                }
            )

    # members: raw geography as an export would have it --------------------------
    member_ids = draw(
        st.lists(
            st.sampled_from(MEMBER_IDS),
            unique=True,
            max_size=15,
            min_size=draw(st.sampled_from([6, 4, 2, 0])),
        )
    )
    early = BASE - timedelta(days=30)
    members = []
    for m in member_ids:
        if tidy or draw(st.sampled_from([True, True, True, True, False])):  # lives in a race
            race = races[0] if tidy else draw(st.sampled_from([races[0]] * 2 + races))
            state_text = draw(
                st.sampled_from(
                    [race["state"], race["state"], race["state"].lower(), f" {race['state']} "]
                )
            )
            if race["office"] == "house":
                district_text = draw(
                    st.sampled_from([str(race["district"])] * 3 + ["", "0", "1", "abc"])
                )
            else:
                district_text = draw(st.sampled_from(["", "1", "2", "0"]))
        else:
            state_text = draw(
                st.sampled_from(
                    [
                        al_state,
                        multi_state,
                        multi_state.lower(),
                        "DC",
                        "MA",
                        "",
                        "PR",
                        "XX",
                        "AE",
                    ]
                )
            )
            district_text = draw(
                st.sampled_from(
                    [
                        "",
                        "0",
                        "1",
                        "2",
                        str(seats),
                        str(seats + 1),
                        "-1",
                        "+1",
                        "01",
                        "abc",
                        "7.0",
                        "1e1",
                        "１",
                        "99999999999999999999",
                        "-0",
                        "+01",
                        "0x1",
                        "1_0",
                    ]
                )
            )
        state, district = model.member_geography(state_text, district_text)
        if tidy or draw(st.sampled_from([True, True, True, False])):
            signed_up_at = _with_tz(early, draw(st.sampled_from(TZ_CHOICES)))
        else:
            signed_up_at = draw(near(all_edges))
        members.append(
            {
                "member_id": m,
                "state": state,
                "district": district,
                "state_text": state_text,
                "district_text": district_text,
                "signed_up_at": signed_up_at,
                "opted_out_at": draw(st.one_of(st.none(), st.none(), st.none(), near(all_edges))),
                "email": f"{m.lower()}@example.org",
            }
        )

    # votes --------------------------------------------------------------------
    n_votes = draw(st.sampled_from([20, 30, 40, 10, 4, 0]))  # hypothesis favours the first
    vote_ids = draw(st.lists(st.integers(1, 60), min_size=n_votes, max_size=n_votes, unique=True))
    # a small pool of instants per wave, so that equal cast_at happen often
    times = {}
    for w in waves:
        opens, closes = wave_edges[w["wave_id"]][:2]
        mid = opens + (closes - opens) / 2
        inside = near(
            [mid], [timedelta(0), timedelta(0), timedelta(microseconds=1), timedelta(seconds=-1)]
        )
        times[w["wave_id"]] = draw(
            st.lists(
                inside if tidy else st.one_of(inside, near([opens, closes]), inside),
                min_size=1,
                max_size=5,
            )
        )
    unknown_wave = draw(
        st.sampled_from(
            ["W9"]
            + (
                [waves[0]["wave_id"].lower()]
                if waves[0]["wave_id"].lower() not in [w["wave_id"] for w in waves]
                else []
            )
        )
    )
    times[unknown_wave] = times[waves[0]["wave_id"]]
    voters = member_ids[:8] * 10 + ["M99"]
    wave_choices = [w["wave_id"] for w in waves] * 10 + [unknown_wave]
    if tidy:
        wave_choices = [waves[0]["wave_id"]] * 10 + wave_choices
    race_choices = race_ids * 10 + ["ZZ-99", *not_loaded[:1], race_ids[0].lower()]
    member_of = {m["member_id"]: m for m in members}
    votes = []
    for vote_id in vote_ids:
        wave_id = draw(st.sampled_from(wave_choices))
        member_id = draw(st.sampled_from(voters))
        covering = [
            r["race_id"]
            for r in races
            if member_id in member_of and model.race_covers_member(r, member_of[member_id])
        ]
        if covering and draw(st.sampled_from([True, True, True, True, True, False])):
            race_id = draw(st.sampled_from(covering[:1] * 2 + covering))
        else:
            race_id = draw(st.sampled_from(race_choices))
        own = [c["candidate_id"] for c in candidates if c["race_id"] == race_id]
        votes.append(
            {
                "vote_id": vote_id,
                "wave_id": wave_id,
                "race_id": race_id,
                "member_id": member_id,
                "choice": draw(
                    st.sampled_from(
                        cand_ids + [NO_ENDORSEMENT]
                        if tidy
                        else own * 4 + cand_ids + [NO_ENDORSEMENT] * 2 + ["no_endorsement", "C-UNK"]
                    )
                ),
                "cast_at": draw(st.sampled_from(times[wave_id])),
            }
        )

    return {
        "waves": waves,
        "races": races,
        "candidates": candidates,
        "groups": groups,
        "endorsements": endorsements,
        "vetting": vetting,
        "members": members,
        "votes": votes,
    }


# S, T, M as exact decimals (S below 0.5 lets two candidates tie at the top and pass S)
thresholds = st.tuples(
    st.sampled_from(["0.5", "0.6", "0.75", "1", "0.60", "1.0", "0.25", "0.4"]),
    st.sampled_from(["0", "0.1", "0.25", "0.5", "0.10"]),
    st.sampled_from(["0", "1", "2", "5", "1.5"]),
)
# a tally is cheap next to a load: each loaded program is tallied under a few thresholds
threshold_sets = st.lists(thresholds, min_size=1, max_size=3, unique=True)


# --------------------------------------------------------------------------- CSV writer


def _fmt_ts(ts: datetime, rng: random.Random) -> str:
    """A §2 timestamp for `ts`: naive means UTC wall time, aware carries its offset."""
    if ts.tzinfo is None and ts.hour == ts.minute == ts.second == ts.microsecond == 0:
        if rng.random() < 0.3:
            return ts.strftime("%Y-%m-%d")
    sep = rng.choice(["T", "T", " "])
    text = ts.strftime(f"%Y-%m-%d{sep}%H:%M")
    if ts.second or ts.microsecond or rng.random() < 0.7:
        text += ts.strftime(":%S")
        if ts.microsecond:
            frac = f"{ts.microsecond:06d}"
            text += "." + (frac.rstrip("0") if rng.random() < 0.5 else frac)
        elif rng.random() < 0.2:
            text += ".000"
    if ts.tzinfo is not None:
        offset = ts.utcoffset()
        if offset == timedelta(0):
            text += rng.choice(["Z", "+00:00"])
        else:
            total = int(offset.total_seconds()) // 60
            sign = "+" if total >= 0 else "-"
            text += f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    return text


def _fmt_bool(value: bool, rng: random.Random) -> str:
    if value:
        return rng.choice(["true", "TRUE", "yes", "1", "t", "T", "True"])
    return rng.choice(["false", "no", "0", "f", "F", "", "No"])


def _fmt_int(value, rng: random.Random, padded: bool = False) -> str:
    if value is None:
        return ""
    if padded and value >= 0 and rng.random() < 0.1:
        return rng.choice(["+", "0"]) + str(value)
    return str(value)


def _fmt(value, rng, padded=False):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _fmt_bool(value, rng)
    if isinstance(value, int):
        return _fmt_int(value, rng, padded)
    if isinstance(value, datetime):
        return _fmt_ts(value, rng)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# file -> [(column, optional)]
COLUMNS = {
    "waves": [
        ("wave_id", False),
        ("name", False),
        ("opens_at", False),
        ("closes_at", False),
        ("signup_closes_at", True),
    ],
    "races": [
        ("race_id", False),
        ("office", False),
        ("state", False),
        ("district", False),
        ("cycle", True),
    ],
    "candidates": [
        ("candidate_id", False),
        ("race_id", False),
        ("name", False),
        ("party", True),
        ("first_time", True),
        ("incumbent", True),
    ],
    "groups": [("group_id", False), ("name", False), ("state", False), ("district", True)],
    "endorsements": [
        ("group_id", False),
        ("candidate_id", False),
        ("wave_id", False),
        ("endorsed_on", False),
        ("requests_national", False),
    ],
    "vetting": [
        ("candidate_id", False),
        ("wave_id", False),
        ("status", False),
        ("questionnaire", False),
        ("partner_endorsements", True),
        ("notes", True),
    ],
    "members": [
        ("member_id", False),
        ("state", False),
        ("district", True),
        ("signed_up_at", False),
        ("opted_out_at", True),
    ],
    "votes": [
        ("vote_id", False),
        ("wave_id", False),
        ("race_id", False),
        ("member_id", False),
        ("choice", False),
        ("cast_at", False),
    ],
}


def write_program(program, folder: Path, rng: random.Random) -> None:
    for table, spec in COLUMNS.items():
        rows = program[table]
        columns = []
        for name, optional in spec:
            holds_nothing = all(r.get(name) is None or r.get(name) is False for r in rows)
            if optional and holds_nothing and rng.random() < 0.3:
                continue  # an optional column may be left out when it holds nothing
            columns.append(name)
        extra = []
        if table == "members" and rng.random() < 0.6:
            extra = ["email", "first_name"]
        elif rng.random() < 0.1:
            extra = ["comment"]
        header = columns + extra
        rng.shuffle(header)

        def cell(row, name, table=table):
            if table == "members" and name == "state":
                return row["state_text"]
            if table == "members" and name == "district":
                return row["district_text"]
            if table in ("races", "groups") and name == "state":
                return row["state"] if rng.random() < 0.8 else row["state"].lower()
            if name == "email":
                return row.get("email", "")
            if name in ("first_name", "comment"):
                return "x, y"
            text = _fmt(row.get(name), rng, padded=name in ("vote_id", "partner_endorsements"))
            if text and rng.random() < 0.05:
                text = f"  {text} "
            return text

        buf = io.StringIO()
        writer = csv.writer(
            buf,
            lineterminator=rng.choice(["\n", "\r\n"]),
            quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
        )
        writer.writerow(
            [
                h.upper() if rng.random() < 0.15 else f" {h} " if rng.random() < 0.05 else h
                for h in header
            ]
        )
        for row in rows:
            if rng.random() < 0.05:  # a blank line is skipped (but counted)
                buf.write(writer.dialect.lineterminator)
            writer.writerow([cell(row, name) for name in header])
        text = buf.getvalue()
        if rng.random() < 0.1:
            text = "\ufeff" + text
        (folder / f"{table}.csv").write_text(text, encoding="utf-8", newline="")


# --------------------------------------------------------------------------- running the package


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    from endorse_analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _program_csv_text(folder: Path) -> str:
    return "\n".join(
        f"--- {p.name}\n{p.read_text(encoding='utf-8')}" for p in sorted(folder.glob("*.csv"))
    )


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, (int, float))
            and isinstance(b, (int, float))
            and not isinstance(a, bool)
            and not isinstance(b, bool)
            and abs(a - b) <= 1e-12
        )
    return a == b and type(a) is type(b)


def compare_contest(got: dict, want: dict) -> list[str]:
    problems = []
    for key, value in want.items():
        if key in ("choices", "audit"):
            continue
        if key not in got:
            problems.append(f"missing field {key}")
        elif not _close(got[key], value):
            problems.append(f"{key}: got {got[key]!r}, model {value!r}")
    if not isinstance(got.get("reason"), str) or not got.get("reason"):
        problems.append(f"reason: got {got.get('reason')!r}, want a non-empty sentence")
    got_choices = got.get("choices")
    if not isinstance(got_choices, list) or len(got_choices) != len(want["choices"]):
        problems.append(f"choices: got {got_choices!r}, model {want['choices']!r}")
    else:
        for g, w in zip(got_choices, want["choices"], strict=True):
            if set(g) != {"choice", "votes", "share"} or not all(_close(g[k], w[k]) for k in w):
                problems.append(f"choice: got {g!r}, model {w!r}")
    if got.get("audit") != want["audit"]:
        problems.append(f"audit: got {got.get('audit')!r}, model {want['audit']!r}")
    return problems


def check_program(program, limits: list[tuple[str, str, str]], rng: random.Random) -> None:
    """Load `program` (written with random spellings from `rng`) and compare the package's
    tally (under each (S, T, M) of `limits`), audit and vote statuses with the model."""
    import endorse_analysis as ea

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "program"
        folder.mkdir()
        write_program(program, folder, rng)
        db = str(Path(tmp) / "program.duckdb")
        files = _program_csv_text(folder)

        code, out, err = run_cli(["load", str(folder), "--db", db])
        assert code == 0, f"load refused a valid program:\n{err}\n{out}\n{files}"

        problems = []
        for (S, T, M), wave in itertools.product(limits, program["waves"]):
            wave_id = wave["wave_id"]
            code, out, err = run_cli(
                [
                    "tally",
                    "--db",
                    db,
                    "--wave",
                    wave_id,
                    "--format",
                    "json",
                    "--support-threshold",
                    S,
                    "--min-turnout",
                    T,
                    "--min-votes",
                    M,
                ]
            )
            assert code == 0, f"tally failed for wave {wave_id!r}:\n{err}\n{files}"
            result = json.loads(out)
            assert result["wave_id"] == wave_id
            params = result["parameters"]
            assert Fraction(params["support_threshold"]) == Fraction(S), params
            assert Fraction(params["min_turnout"]) == Fraction(T), params
            assert Fraction(str(params["min_votes"])) == Fraction(M), params

            want = model.tally(program, wave_id, S=Fraction(S), T=Fraction(T), M=Fraction(M))
            got = result["contests"]
            got_ids = [c.get("race_id") for c in got]
            want_ids = [c["race_id"] for c in want]
            if got_ids != want_ids:
                problems.append(f"wave {wave_id}: contests {got_ids}, model {want_ids}")
                continue
            for g, w in zip(got, want, strict=True):
                problems += [
                    f"S={S} T={T} M={M} wave {wave_id} race {w['race_id']}: {p}"
                    for p in compare_contest(g, w)
                ]

        code, out, err = run_cli(["audit", "--db", db, "--format", "json"])
        assert code == 0, f"audit failed:\n{err}\n{files}"
        got_audit = json.loads(out)
        want_audit = model.audit(program)
        if got_audit != want_audit:
            problems.append(f"audit: got {got_audit}, model {want_audit}")
        if sum(r["votes"] for r in got_audit) != len(program["votes"]):
            problems.append("audit does not add up to the number of votes")
        for wave in program["waves"]:
            code, out, err = run_cli(
                ["audit", "--db", db, "--wave", wave["wave_id"], "--format", "json"]
            )
            assert code == 0, f"audit --wave {wave['wave_id']!r} failed:\n{err}\n{files}"
            want_wave = [r for r in want_audit if r["wave_id"] == wave["wave_id"]]
            if json.loads(out) != want_wave:
                problems.append(
                    f"audit --wave {wave['wave_id']}: got {out.strip()}, model {want_wave}"
                )

        con = ea.connect(db)
        try:
            frame = ea.vote_status(con)
            got_status = {int(v): s for v, s in zip(frame["vote_id"], frame["status"], strict=True)}
        finally:
            with contextlib.suppress(Exception):
                con.close()
        want_status = model.vote_statuses(program)
        if got_status != want_status:
            diff = {
                v: (got_status.get(v), want_status.get(v))
                for v in sorted(set(got_status) | set(want_status))
                if got_status.get(v) != want_status.get(v)
            }
            problems.append(f"vote statuses (got, model): {diff}")
            if len(frame) != len(program["votes"]):
                problems.append(
                    f"vote_status has {len(frame)} rows for {len(program['votes'])} votes"
                )

        assert not problems, "\n".join(problems) + "\n\nprogram:\n" + files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=programs(), limits=threshold_sets, seed=st.integers(0, 2**32 - 1))
def test_package_agrees_with_model(program, limits, seed):
    check_program(program, limits, random.Random(seed))


def _boundary_program():
    """One wave, four contests, each sitting on a decision boundary:

    - VT-AL: 3 of 5 ballots for C1 (exactly 60%), N = 5 of E = 10 (exactly 50% turnout);
    - NH-01: C10 and C9 tie 2-2 (REVIEW when S <= 50%; top choice C10 by code point);
    - NH-02: C3 on the ballot, both ballots NO_ENDORSEMENT (no top choice);
    - NH-SEN: C4 not on the ballot (vetting pending): its votes are not_on_ballot.
    """
    p = _tiny_program(0, candidates=("C1", "C2"), state="VT")
    wave = "W1"
    p["races"] += [
        {"race_id": "NH-01", "office": "house", "state": "NH", "district": 1, "cycle": None},
        {"race_id": "NH-02", "office": "house", "state": "NH", "district": 2, "cycle": None},
        {"race_id": "NH-SEN", "office": "senate", "state": "NH", "district": None, "cycle": None},
    ]
    p["groups"].append({"group_id": "G2", "name": "nh", "state": "NH", "district": None})
    for c, race in [("C10", "NH-01"), ("C9", "NH-01"), ("C3", "NH-02"), ("C4", "NH-SEN")]:
        p["candidates"].append(
            {
                "candidate_id": c,
                "race_id": race,
                "name": c,
                "party": None,
                "first_time": False,
                "incumbent": False,
            }
        )
        p["endorsements"].append(
            {
                "group_id": "G2",
                "candidate_id": c,
                "wave_id": wave,
                "endorsed_on": date(2026, 2, 1),
                "requests_national": True,
            }
        )
        p["vetting"].append(
            {
                "candidate_id": c,
                "wave_id": wave,
                "status": "pending" if c == "C4" else "cleared",
                "questionnaire": "passed",
                "partner_endorsements": None,
                "notes": None,
            }
        )

    def member(member_id, state, district):
        p["members"].append(
            {
                "member_id": member_id,
                "state": state,
                "district": district,
                "state_text": state,
                "district_text": "" if district is None else str(district),
                "signed_up_at": datetime(2026, 1, 1),
                "opted_out_at": None,
            }
        )

    for i in range(10):
        member(f"V{i}", "VT", None if i % 2 else 0)
    for i in range(4):
        member(f"A{i}", "NH", 1)
        member(f"B{i}", "NH", 2)

    at = _t(2, 12)
    choices = {
        "VT-AL": [("V0", "C1"), ("V1", "C1"), ("V2", "C1"), ("V3", "C2"), ("V4", NO_ENDORSEMENT)],
        "NH-01": [("A0", "C10"), ("A1", "C9"), ("A2", "C10"), ("A3", "C9")],
        "NH-02": [("B0", NO_ENDORSEMENT), ("B1", NO_ENDORSEMENT)],
        "NH-SEN": [("A0", "C4"), ("B3", NO_ENDORSEMENT)],
    }
    vote_id = 0
    for race_id, ballots in choices.items():
        for member_id, choice in ballots:
            vote_id += 1
            p["votes"].append(_vote(vote_id, member_id, choice, at, race_id=race_id))
    return p


def test_package_on_decision_boundaries():
    program = _boundary_program()
    limits = list(
        itertools.product(["0.4", "0.5", "0.6", "0.61"], ["0.5", "0.51"], ["1", "5", "6"])
    )
    # the model itself, on the boundaries
    decisions = {
        (S, T, M): {
            row["race_id"]: row["decision"]
            for row in model.tally(program, "W1", S=Fraction(S), T=Fraction(T), M=Fraction(M))
        }
        for S, T, M in limits
    }
    assert decisions[("0.6", "0.5", "5")] == {
        "VT-AL": "ENDORSE",
        "NH-01": "NO_ENDORSEMENT",
        "NH-02": "NO_ENDORSEMENT",
        "NH-SEN": "NO_CANDIDATES",
    }
    assert decisions[("0.61", "0.5", "5")]["VT-AL"] == "NO_ENDORSEMENT"
    assert decisions[("0.6", "0.51", "5")]["VT-AL"] == "REVIEW"
    assert decisions[("0.6", "0.5", "6")]["VT-AL"] == "REVIEW"
    assert decisions[("0.5", "0.5", "1")]["NH-01"] == "REVIEW"  # the tie
    assert decisions[("0.4", "0.5", "1")]["NH-01"] == "REVIEW"
    check_program(program, limits, random.Random(0))
