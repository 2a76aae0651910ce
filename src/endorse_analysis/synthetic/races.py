"""The contests of 2026 and their candidates.

In: the ``Country`` (its races) and the random generator. Out: the ``Contest`` list (a
race voted in one wave: who is on its ballot, how much support and turnout the members
will give, which other candidates groups endorsed) and ``Candidates`` (the rows of
candidates.csv), plus the tables of races.csv and candidates.csv.

About 94% of the races are voted, each in one of the four waves, spread evenly; about 7%
of those first come up in one wave with nobody on the ballot and are voted in a later
one. Every wave has four designed contests, one for each decision the tally can reach
(``ENDORSE``, ``REVIEW``, ``NO_ENDORSEMENT``, ``NO_CANDIDATES``); the other contests draw
their ballot size, support and turnout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from endorse_analysis.synthetic.country import Country, read_reference_rows
from endorse_analysis.synthetic.names import ALL_FIRST_NAMES, ALL_LAST_NAMES
from endorse_analysis.synthetic.times import WAVE_COUNT
from endorse_analysis.vocabulary import ENDORSE, NO_CANDIDATES, NO_ENDORSEMENT, REVIEW

# What a candidate who is not on a contest's ballot was in that wave; each role shapes
# the candidate's endorsements and vetting (see groups.py).
LOCAL_ONLY = "local_only"  # endorsed by local groups, none asked for national vetting
REJECTED = "rejected"  # vetted and rejected by staff
PENDING = "pending"  # vetting not finished
FAILED_QUESTIONNAIRE = "failed_questionnaire"  # cleared, questionnaire failed or missing
OUTSIDE_ONLY = "outside_only"  # endorsed by groups from outside the race's area
OFF_BALLOT_ROLES = (LOCAL_ONLY, REJECTED, PENDING, FAILED_QUESTIONNAIRE, OUTSIDE_ONLY)
OFF_BALLOT_ROLE_WEIGHTS = (0.35, 0.2, 0.15, 0.2, 0.1)
ON_BALLOT = "ballot"  # the role of a candidate on the ballot

# The designed contests: (ballot size, support of the candidate, turnout).
_DESIGNS = {
    ENDORSE: (1, [0.8], 0.3),
    REVIEW: (1, [0.85], 0.05),  # too few voters for a decision of their own
    NO_ENDORSEMENT: (1, [0.25], 0.3),
    NO_CANDIDATES: (0, [], 0.0),
}


@dataclass
class Contest:
    """One race voted in one wave."""

    wave: int
    race: int
    ballot_size: int | None = None  # 0 to 3; None until drawn
    ballot: list[int] = field(default_factory=list)  # candidate rows, in option order
    support: list[float] = field(default_factory=list)  # per ballot candidate; rest: NE
    turnout: float = 0.0  # share of the potential voters who vote
    others: dict[int, str] = field(default_factory=dict)  # off-ballot candidate -> role
    stray_votes: bool = False  # nobody on the ballot, yet a few members vote


@dataclass
class Candidates:
    """The rows of candidates.csv, column by column; a candidate is its row."""

    race: list[int] = field(default_factory=list)
    candidate_id: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    party: list[str | None] = field(default_factory=list)
    first_time: list[bool] = field(default_factory=list)
    incumbent: list[bool] = field(default_factory=list)


def plan_contests(rng: np.random.Generator, country: Country) -> tuple[list[Contest], Candidates]:
    """Which races are voted in which wave, and the candidates of every race."""
    contests = _open_contests(rng, country, _spread_over_waves(rng, country))
    designs = _designate(rng, country, contests)
    for index, contest in enumerate(contests):
        _draw_ballot_design(rng, contest, designs.get(index))
    return contests, _draw_candidates(rng, country, contests)


def _spread_over_waves(rng: np.random.Generator, country: Country) -> np.ndarray:
    """A wave for every race: statewide and House races each dealt round the waves."""
    races = range(len(country.race_ids))
    wave_of_race = np.zeros(len(races), dtype=int)
    statewide = [race for race in races if country.statewide(race)]
    house = [race for race in races if not country.statewide(race)]
    for group in (statewide, house):
        order = rng.permutation(group)
        start = int(rng.integers(WAVE_COUNT))
        for k, race in enumerate(order):
            wave_of_race[race] = (start + k) % WAVE_COUNT
    return wave_of_race


def _open_contests(
    rng: np.random.Generator, country: Country, wave_of_race: np.ndarray
) -> list[Contest]:
    contests: list[Contest] = []
    for race in range(len(country.race_ids)):
        if rng.random() >= (0.95 if country.statewide(race) else 0.93):
            continue  # not voted this cycle
        if rng.random() < 0.07:  # first with nobody on the ballot, voted in a later wave
            first, later = sorted(int(w) for w in rng.choice(WAVE_COUNT, 2, replace=False))
            contests.append(Contest(first, race, ballot_size=0))
            contests.append(Contest(later, race))
        else:
            contests.append(Contest(int(wave_of_race[race]), race))
    return contests


def _designate(
    rng: np.random.Generator, country: Country, contests: list[Contest]
) -> dict[int, str]:
    """The designed decision of four contests per wave: contest position -> decision.

    The two statewide races of the largest states get ENDORSE and REVIEW; two House
    districts (not at-large) drawn at random get NO_ENDORSEMENT and NO_CANDIDATES.
    """
    designs: dict[int, str] = {}
    for wave in range(WAVE_COUNT):
        free = [k for k, c in enumerate(contests) if c.wave == wave and c.ballot_size is None]
        states = {k: int(country.race_states[contests[k].race]) for k in free}
        statewide = [k for k in free if country.statewide(contests[k].race)]
        statewide.sort(key=lambda k: (-int(country.house_seats[states[k]]), k))
        designs[statewide[0]] = ENDORSE
        designs[statewide[1]] = REVIEW
        districts = [
            k
            for k in free
            if not country.statewide(contests[k].race) and not country.at_large(states[k])
        ]
        picks = rng.choice(len(districts), 2, replace=False)
        designs[districts[int(picks[0])]] = NO_ENDORSEMENT
        designs[districts[int(picks[1])]] = NO_CANDIDATES
    return designs


def _draw_ballot_design(rng: np.random.Generator, contest: Contest, design: str | None) -> None:
    if design is not None:
        contest.ballot_size, support, contest.turnout = _DESIGNS[design]
        contest.support = list(support)
    elif contest.ballot_size is None:
        # 10% nobody on the ballot, 67% one candidate, 18% two, 5% three
        contest.ballot_size = int(np.searchsorted([0.10, 0.77, 0.95], rng.random(), side="right"))
        if contest.ballot_size:
            contest.support = _draw_support(rng, contest.ballot_size)
            contest.turnout = 0.0 if rng.random() < 0.015 else _draw_turnout(rng)
    if contest.ballot_size == 0:
        contest.stray_votes = rng.random() < 0.35


def _draw_support(rng: np.random.Generator, ballot_size: int) -> list[float]:
    """Each ballot candidate's share of the votes; what is left goes to NO_ENDORSEMENT."""
    if ballot_size == 1:
        if rng.random() < 0.72:
            return [float(rng.uniform(0.66, 0.93))]
        return [float(rng.uniform(0.3, 0.55))]
    if ballot_size == 2:
        if rng.random() < 0.45:  # a clear favourite
            first = float(rng.uniform(0.64, 0.82))
            return [first, (1 - first) * float(rng.uniform(0.5, 0.85))]
        first = float(rng.uniform(0.3, 0.5))
        return [first, float(rng.uniform(0.2, first))]
    shares = rng.dirichlet([3.0, 2.0, 1.5, 1.2])
    if rng.random() < 0.3:  # a clear favourite
        shares = np.array([0.7, 0.12, 0.08, 0.1])
    return [float(x) for x in shares[:3]]


def _draw_turnout(rng: np.random.Generator) -> float:
    u = rng.random()
    if u < 0.22:
        return float(rng.uniform(0.02, 0.075))  # thin
    if u < 0.72:
        return float(rng.uniform(0.13, 0.28))
    return float(rng.uniform(0.28, 0.5))  # enthusiastic


def _draw_candidates(
    rng: np.random.Generator, country: Country, contests: list[Contest]
) -> Candidates:
    """Candidates race by race, then who of them is on each contest's ballot."""
    candidates = Candidates()
    contests_of_race: dict[int, list[Contest]] = {}
    for contest in contests:
        contests_of_race.setdefault(contest.race, []).append(contest)
    for race in range(len(country.race_ids)):
        race_contests = contests_of_race.get(race, [])
        count = _candidate_count(rng, country, race, race_contests)
        rows = _add_candidates(rng, country, candidates, race, count)
        _fill_ballots(rng, race_contests, rows)
    return candidates


def _candidate_count(
    rng: np.random.Generator, country: Country, race: int, race_contests: list[Contest]
) -> int:
    if not race_contests:
        return int(rng.choice(3, p=[0.7, 0.2, 0.1]))  # listed, never endorsed
    needed = max(max(contest.ballot_size, 1) for contest in race_contests)
    count = needed + int(rng.choice(3, p=[0.5, 0.35, 0.15]))
    if country.race_ids[race] == "CA-GOV":
        count = 11  # a crowded open seat: ids C1..C11, and C10 sorts before C2
    return count


def _add_candidates(
    rng: np.random.Generator, country: Country, candidates: Candidates, race: int, count: int
) -> list[int]:
    """Append a race's candidates; returns their rows."""
    state = country.states[country.race_states[race]]
    incumbent = int(rng.integers(count)) if count and rng.random() < 0.45 else -1
    rows = []
    for j in range(count):
        rows.append(len(candidates.candidate_id))
        candidates.race.append(race)
        candidates.candidate_id.append(f"{country.race_ids[race]}-C{j + 1}")
        name, party = _person_name(rng), _party(rng, state)
        holder = democratic_holders().get(country.race_ids[race])
        if j == incumbent and holder is not None:  # the seat's real Democratic holder
            name, party = holder, "Democratic"
        candidates.name.append(name)
        candidates.party.append(party)
        candidates.incumbent.append(j == incumbent)
        candidates.first_time.append(j != incumbent and rng.random() < 0.4)
    return rows


def _fill_ballots(rng: np.random.Generator, race_contests: list[Contest], rows: list[int]):
    """Draw each contest's ballot from the race's candidates, and what the others were.

    The later wave goes first: a candidate on a later ballot is still pending in an
    earlier wave.
    """
    on_later_ballot: list[int] = []
    for contest in sorted(race_contests, key=lambda c: -c.wave):
        drawn = rng.choice(len(rows), contest.ballot_size, replace=False)
        contest.ballot = [rows[int(i)] for i in drawn]
        for candidate in rows:
            if candidate in contest.ballot:
                continue
            role = _off_ballot_role(rng, contest, candidate in on_later_ballot)
            if role is not None:
                contest.others[candidate] = role
        if contest.ballot_size == 0 and not contest.others:
            contest.others[rows[0]] = LOCAL_ONLY
        on_later_ballot = contest.ballot


def _off_ballot_role(
    rng: np.random.Generator, contest: Contest, on_later_ballot: bool
) -> str | None:
    """The role of a candidate not on the ballot; None: not endorsed in this wave."""
    if on_later_ballot:
        return PENDING
    # Drawn for every contest, also where it does not apply, so a seed keeps its data.
    unendorsed = rng.random() < 0.15
    if unendorsed and contest.ballot_size != 0:
        return None
    return OFF_BALLOT_ROLES[int(rng.choice(len(OFF_BALLOT_ROLES), p=OFF_BALLOT_ROLE_WEIGHTS))]


def _person_name(rng: np.random.Generator) -> str:
    name = str(ALL_FIRST_NAMES[rng.integers(len(ALL_FIRST_NAMES))])
    if rng.random() < 0.25:
        name += f" {chr(ord('A') + int(rng.integers(26)))}."
    name += " " + str(ALL_LAST_NAMES[rng.integers(len(ALL_LAST_NAMES))])
    if rng.random() < 0.04:
        name += ", Jr."
    return name


@cache
def democratic_holders() -> dict[str, str]:
    """The 2026 seats held by a Democrat and who holds them (incumbents-2026.csv): the
    demo's incumbent candidate of such a race is that person."""
    return {
        row["race_id"]: row["incumbent"]
        for row in read_reference_rows("incumbents-2026.csv")
        if row["party"] == "Democrat"
    }


def _party(rng: np.random.Generator, state: str) -> str | None:
    u = rng.random()
    if u < 0.06:
        return None
    if u < 0.13:
        return "Working Families"
    if u < 0.17:
        return "Independent"
    return {"MN": "Democratic-Farmer-Labor", "ND": "Democratic-NPL"}.get(state, "Democratic")


def races_table(country: Country) -> pd.DataFrame:
    """The rows of races.csv: the reference races as they are."""
    return pd.DataFrame(
        {
            "race_id": country.race_ids,
            "office": country.race_offices,
            "state": [country.states[s] for s in country.race_states],
            "district": pd.array(
                [d if d >= 0 else None for d in country.race_districts], dtype="Int64"
            ),
            "cycle": pd.array([int(c) for c in country.race_cycles], dtype="Int64"),
        }
    )


def candidates_table(country: Country, candidates: Candidates) -> pd.DataFrame:
    """The rows of candidates.csv."""
    return pd.DataFrame(
        {
            "candidate_id": candidates.candidate_id,
            "race_id": [country.race_ids[race] for race in candidates.race],
            "name": candidates.name,
            "party": candidates.party,
            "first_time": candidates.first_time,
            "incumbent": candidates.incumbent,
        }
    )
