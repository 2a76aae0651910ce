"""Local groups, their endorsements, and the staff's vetting of the endorsed candidates.

In: the ``Country``, the contests and candidates of races.py, and the random generator.
Out: ``Groups`` (about 3,000 groups, spread over the states by House seats, a fifth of
them statewide) and the rows of groups.csv, endorsements.csv and vetting.csv.

Each candidate in play in a contest is endorsed by groups of the race's area (a district
race: groups of that district and statewide groups of the state), sometimes also by
groups from outside it; the ``role`` the contest gave the candidate (races.py) decides
how many, whether any asks for national vetting, and the vetting outcome. A candidate has
a vetting row in a wave only where some endorsing group asked for national vetting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.names import (
    LOCAL_GROUP_PATTERNS,
    PLACES,
    STATE_GROUP_PATTERNS,
    VETTING_NOTES,
)
from endorse_analysis.synthetic.races import (
    LOCAL_ONLY,
    ON_BALLOT,
    OUTSIDE_ONLY,
    PENDING,
    REJECTED,
    Candidates,
    Contest,
)
from endorse_analysis.synthetic.times import DAY, WAVE_CLOCK, WAVES, eastern_date

GROUP_COUNT = 3000  # about; every state gets at least four, DC six


@dataclass(frozen=True)
class Groups:
    """The rows of groups.csv; a group is its row."""

    group_id: list[str]
    name: list[str]
    state: np.ndarray  # a state's position
    district: np.ndarray  # -1: a statewide group; 0: an at-large district


class Endorsement(NamedTuple):
    """One row of endorsements.csv."""

    group_id: str
    candidate_id: str
    wave_id: str
    endorsed_on: str
    requests_national: bool


class Vetting(NamedTuple):
    """One row of vetting.csv."""

    candidate_id: str
    wave_id: str
    status: str
    questionnaire: str
    partner_endorsements: int | None
    notes: str | None


def draw_groups(rng: np.random.Generator, country: Country) -> Groups:
    """The groups, numbered G0001... in an order unrelated to their state, as a real
    roster would be."""
    states, districts, names = [], [], []
    for state, count in enumerate(_groups_per_state(country)):
        statewide_count = max(1, int(round(count * 0.2)))
        seats = country.house_seats[state]
        for j in range(int(count)):
            states.append(state)
            if j < statewide_count or seats == 0:
                districts.append(-1)
                plain = j < len(STATE_GROUP_PATTERNS)  # later ones add a place
                names.append(_statewide_group_name(rng, country.state_names[state], plain))
            else:
                districts.append(0 if seats == 1 else int(rng.integers(1, seats + 1)))
                pattern = LOCAL_GROUP_PATTERNS[int(rng.integers(len(LOCAL_GROUP_PATTERNS)))]
                names.append(pattern.format(p=_draw_place(rng)))
    order = rng.permutation(len(states))
    return Groups(
        group_id=[f"G{i + 1:04d}" for i in range(len(states))],
        name=[names[i] for i in order],
        state=np.array(states)[order],
        district=np.array(districts)[order],
    )


def _groups_per_state(country: Country) -> np.ndarray:
    seats = country.house_seats.astype(float)
    per_state = np.maximum(4, np.round(GROUP_COUNT * seats / seats.sum() * 0.985)).astype(int)
    per_state[country.states.index("DC")] = 6  # no House seat, yet active groups
    return per_state


def _statewide_group_name(rng: np.random.Generator, state_name: str, plain: bool) -> str:
    pattern = STATE_GROUP_PATTERNS[int(rng.integers(len(STATE_GROUP_PATTERNS)))]
    name = pattern.format(s=state_name)
    return name if plain else f"{name} ({_draw_place(rng)})"


def _draw_place(rng: np.random.Generator) -> str:
    return PLACES[int(rng.integers(len(PLACES)))]


def draw_endorsements(
    rng: np.random.Generator,
    country: Country,
    contests: list[Contest],
    candidates: Candidates,
    groups: Groups,
) -> tuple[list[Endorsement], list[Vetting]]:
    """The rows of endorsements.csv and vetting.csv, contest by contest."""
    groups_of_state = [np.flatnonzero(groups.state == s) for s in range(len(country.states))]
    endorsements: list[Endorsement] = []
    vetting: list[Vetting] = []
    for contest in contests:
        inside, outside = _group_pools(rng, country, groups, groups_of_state, contest.race)
        wave_id = WAVES[contest.wave].wave_id
        signup_closes = int(WAVE_CLOCK.signup_closes[contest.wave])
        in_play = [(c, ON_BALLOT) for c in contest.ballot] + list(contest.others.items())
        for candidate, role in in_play:
            candidate_id = candidates.candidate_id[candidate]
            endorsers, requests = _draw_endorsers(rng, role, inside, outside)
            for group, request in zip(endorsers, requests, strict=True):
                endorsed_at = signup_closes - int(rng.integers(3 * DAY, 50 * DAY))
                endorsements.append(
                    Endorsement(
                        groups.group_id[int(group)],
                        candidate_id,
                        wave_id,
                        eastern_date(endorsed_at),
                        bool(request),
                    )
                )
            if requests.any():
                vetting.append(_draw_vetting(rng, role, candidate_id, wave_id, len(endorsers)))
    return endorsements, vetting


def _group_pools(
    rng: np.random.Generator,
    country: Country,
    groups: Groups,
    groups_of_state: list[np.ndarray],
    race: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The groups inside a race's area, and groups from outside it that may endorse too:
    other districts of the state, or for a statewide race the groups of another state."""
    state, district = int(country.race_states[race]), int(country.race_districts[race])
    in_state = groups_of_state[state]
    if district < 0 or country.at_large(state):
        others = [s for s, g in enumerate(groups_of_state) if s != state and len(g)]
        return in_state, groups_of_state[others[int(rng.integers(len(others)))]]
    group_district = groups.district[in_state]
    statewide = group_district == -1
    inside = in_state[(group_district == district) | statewide]
    outside = in_state[(group_district != district) & ~statewide]
    return inside, outside


def _draw_endorsers(
    rng: np.random.Generator, role: str, inside: np.ndarray, outside: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The groups that endorse a candidate in a contest, and which of them ask for
    national vetting. A ballot candidate (and most roles) has at least one inside group
    that asks; a LOCAL_ONLY candidate has none."""
    inside_count, outside_count, inside_asks = _endorser_counts(rng, role)
    inside_count, outside_count = min(inside_count, len(inside)), min(outside_count, len(outside))
    from_inside = _sample(rng, inside, inside_count)
    from_outside = _sample(rng, outside, outside_count)
    if inside_asks:
        inside_requests = rng.random(inside_count) < 0.55
        if inside_count:
            inside_requests[int(rng.integers(inside_count))] = True
    else:
        inside_requests = np.zeros(inside_count, dtype=bool)
    if role == OUTSIDE_ONLY:
        outside_requests = np.ones(outside_count, dtype=bool)
    else:
        outside_requests = rng.random(outside_count) < 0.5
    return (
        np.concatenate([from_inside, from_outside]),
        np.concatenate([inside_requests, outside_requests]),
    )


def _endorser_counts(rng: np.random.Generator, role: str) -> tuple[int, int, bool]:
    """How many inside and outside groups endorse, and whether an inside one must ask."""
    if role == LOCAL_ONLY:
        return 1 + int(rng.poisson(1.0)), 0, False
    if role == OUTSIDE_ONLY:
        return int(rng.integers(2)), 1 + int(rng.integers(2)), False
    inside = 1 + int(rng.poisson(2.5 if role == ON_BALLOT else 1.2))
    return inside, int(rng.random() < 0.12), True


def _sample(rng: np.random.Generator, pool: np.ndarray, count: int) -> np.ndarray:
    return rng.choice(pool, count, replace=False) if count else np.array([], dtype=int)


def _draw_vetting(
    rng: np.random.Generator, role: str, candidate_id: str, wave_id: str, endorsers: int
) -> Vetting:
    status, questionnaire = _vetting_outcome(rng, role)
    partners = int(rng.poisson(3.0 if role == ON_BALLOT else 1.0))
    partners_written = None if rng.random() < 0.1 else partners
    notes = None
    if rng.random() < 0.7:
        notes = (
            f"{endorsers} local group{'s' if endorsers != 1 else ''}, "
            f"{partners} partner{'s' if partners != 1 else ''}. "
            + VETTING_NOTES[int(rng.integers(len(VETTING_NOTES)))]
        )
    return Vetting(candidate_id, wave_id, status, questionnaire, partners_written, notes)


def _vetting_outcome(rng: np.random.Generator, role: str) -> tuple[str, str]:
    """(status, questionnaire) of the vetting of a candidate in a role."""
    if role in (ON_BALLOT, OUTSIDE_ONLY):
        return "cleared", "passed"
    if role == REJECTED:
        return "rejected", str(rng.choice(["passed", "failed", "missing"], p=[0.4, 0.3, 0.3]))
    if role == PENDING:
        return "pending", str(rng.choice(["missing", "passed"], p=[0.6, 0.4]))
    # FAILED_QUESTIONNAIRE (a LOCAL_ONLY candidate has no vetting)
    return "cleared", str(rng.choice(["failed", "missing"], p=[0.6, 0.4]))


def groups_table(country: Country, groups: Groups) -> pd.DataFrame:
    """The rows of groups.csv."""
    return pd.DataFrame(
        {
            "group_id": groups.group_id,
            "name": groups.name,
            "state": [country.states[s] for s in groups.state],
            "district": pd.array([d if d >= 0 else None for d in groups.district], dtype="Int64"),
        }
    )


def endorsements_table(endorsements: list[Endorsement]) -> pd.DataFrame:
    """The rows of endorsements.csv."""
    return pd.DataFrame(endorsements, columns=list(Endorsement._fields))


def vetting_table(vetting: list[Vetting]) -> pd.DataFrame:
    """The rows of vetting.csv."""
    table = pd.DataFrame(vetting, columns=list(Vetting._fields))
    table["partner_endorsements"] = table["partner_endorsements"].astype("Int64")
    return table
