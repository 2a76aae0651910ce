"""A plain, slow, obviously-correct reading of docs/rules.md §3 (the rules) and of §5's
approval and ranked methods.

This is the oracle of the property tests. It works on a *program*: a dict with the
eight tables as plain lists of dicts, keyed by the contract's column names, with
values already typed (``datetime`` for timestamps, ``int`` for integers, ``bool`` for
booleans, ``None`` for an empty value). Timestamps may be naive (read as UTC) or carry
any offset; every comparison converts them to UTC first (:func:`to_utc`).

Nothing here is clever: each function is a loop that reads like the sentence of the
contract it implements, and every threshold comparison is done in ``Fraction``.
It never looks at the package under test.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

NO_ENDORSEMENT = "NO_ENDORSEMENT"

STATUSES = [
    "unknown_race",
    "unknown_member",
    "not_eligible",
    "outside_window",
    "not_on_ballot",
    "superseded",
    "counted",
]

AUDIT_KEYS = [
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
]

_STATES_CSV = Path(__file__).resolve().parents[1] / "data" / "reference" / "states.csv"


def _read_house_seats() -> dict[str, int]:
    with open(_STATES_CSV, newline="", encoding="utf-8") as f:
        return {row["state"]: int(row["house_seats"]) for row in csv.DictReader(f)}


# The 50 states and DC, with their House seats (2020 apportionment; DC has none).
HOUSE_SEATS: dict[str, int] = _read_house_seats()


def is_at_large(state: str) -> bool:
    return HOUSE_SEATS.get(state) == 1


def districts_of(state: str | None) -> set[int]:
    """The House districts that exist in a state: {0} at large, else 1..seats."""
    if state is None or state not in HOUSE_SEATS:
        return set()
    seats = HOUSE_SEATS[state]
    if seats == 1:
        return {0}
    return set(range(1, seats + 1))


# --------------------------------------------------------------------------- §2 bits


def to_utc(ts: datetime | None) -> datetime | None:
    """An instant as a naive UTC datetime. A naive input is already UTC."""
    if ts is None:
        return None
    if ts.tzinfo is None:
        return ts
    return ts.astimezone(UTC).replace(tzinfo=None)


_INTEGER = re.compile(r"[+-]?[0-9]+")


def member_geography(state_text: str | None, district_text: str | None):
    """§2: a member's state and district as the load keeps them.

    A state that is empty or not one of the 50 states and DC is kept as None (in no
    jurisdiction). A district that is not a whole number, or does not exist in the
    member's state, is kept as None (unknown).
    """
    state = (state_text or "").strip().upper()
    if state not in HOUSE_SEATS:
        state = None
    district_text = (district_text or "").strip()
    district = None
    if _INTEGER.fullmatch(district_text):
        number = int(district_text)
        if number in districts_of(state):
            district = number
    return state, district


# --------------------------------------------------------------------------- lookups


def _by_id(rows, key):
    return {row[key]: row for row in rows}


def _wave(program, wave_id):
    for wave in program["waves"]:
        if wave["wave_id"] == wave_id:
            return wave
    return None


def _race(program, race_id):
    for race in program["races"]:
        if race["race_id"] == race_id:
            return race
    return None


# --------------------------------------------------------------------------- jurisdiction


def race_covers_member(race, member) -> bool:
    """A House race covers members of its state and district; a statewide race covers
    members of its state. An unknown district is covered by statewide races and by the
    House race of an at-large state only."""
    if member["state"] is None or member["state"] != race["state"]:
        return False
    if race["office"] in ("senate", "governor"):
        return True
    # a House race
    if member["district"] is None:
        return is_at_large(race["state"])
    return member["district"] == race["district"]


def race_covers_group(race, group) -> bool:
    """A House race covers groups of its state and district, and statewide groups of its
    state; a statewide race covers every group of its state."""
    if group["state"] != race["state"]:
        return False
    if race["office"] in ("senate", "governor"):
        return True
    if group["district"] is None:
        return True
    return group["district"] == race["district"]


# --------------------------------------------------------------------------- ballot


def ballot(program, wave_id, race_id) -> list[str]:
    """The candidate ids on the ballot of contest (W, R), in code-point order."""
    race = _race(program, race_id)
    if race is None or _wave(program, wave_id) is None:
        return []
    groups = _by_id(program["groups"], "group_id")
    on_ballot = []
    for candidate in program["candidates"]:
        if candidate["race_id"] != race_id:
            continue
        candidate_id = candidate["candidate_id"]

        requested_in_jurisdiction = False
        for endorsement in program["endorsements"]:
            if (
                endorsement["candidate_id"] == candidate_id
                and endorsement["wave_id"] == wave_id
                and endorsement["requests_national"] is True
                and race_covers_group(race, groups[endorsement["group_id"]])
            ):
                requested_in_jurisdiction = True

        cleared_and_passed = False
        for vet in program["vetting"]:
            if (
                vet["candidate_id"] == candidate_id
                and vet["wave_id"] == wave_id
                and vet["status"] == "cleared"
                and vet["questionnaire"] == "passed"
            ):
                cleared_and_passed = True

        if requested_in_jurisdiction and cleared_and_passed:
            on_ballot.append(candidate_id)
    return sorted(on_ballot)


# --------------------------------------------------------------------------- potential voters


def is_potential_voter(program, wave_id, race_id, member) -> bool:
    wave = _wave(program, wave_id)
    race = _race(program, race_id)
    if wave is None or race is None:
        return False
    if not race_covers_member(race, member):
        return False
    if wave["signup_closes_at"] is not None:
        signup_deadline = to_utc(wave["signup_closes_at"])
    else:
        signup_deadline = to_utc(wave["closes_at"])
    if not to_utc(member["signed_up_at"]) < signup_deadline:
        return False
    if member["opted_out_at"] is not None:
        if to_utc(member["opted_out_at"]) < to_utc(wave["opens_at"]):
            return False
    return True


def potential_voters(program, wave_id, race_id) -> set[str]:
    return {
        member["member_id"]
        for member in program["members"]
        if is_potential_voter(program, wave_id, race_id, member)
    }


# --------------------------------------------------------------------------- vote statuses


def _first_tests(program, vote) -> str | None:
    """The first five tests of the status table; None when the vote passes them all."""
    wave = _wave(program, vote["wave_id"])
    race = _race(program, vote["race_id"])
    if wave is None or race is None:
        return "unknown_race"
    members = _by_id(program["members"], "member_id")
    if vote["member_id"] not in members:
        return "unknown_member"
    member = members[vote["member_id"]]
    if not is_potential_voter(program, vote["wave_id"], vote["race_id"], member):
        return "not_eligible"
    cast_at = to_utc(vote["cast_at"])
    if cast_at < to_utc(wave["opens_at"]) or not cast_at < to_utc(wave["closes_at"]):
        return "outside_window"
    on_ballot = ballot(program, vote["wave_id"], vote["race_id"])
    if method_of(wave) == "single":
        if vote["choice"] != NO_ENDORSEMENT and vote["choice"] not in on_ballot:
            return "not_on_ballot"
    elif ballot_options(vote["choice"], method_of(wave), on_ballot) is None:
        return "not_on_ballot"
    return None


# --------------------------------------------------------------------------- §5 methods


def method_of(wave) -> str:
    """§5: a wave's method; an empty (or absent) one is single."""
    return (wave.get("method") or "single").lower()


def ballot_options(choice: str, method: str, on_ballot: list[str]) -> list[str] | None:
    """§5: the options of an approval (';') or ranked ('>') choice in order, spaces
    trimmed; None when it is not a valid ballot of the method."""
    separator = ";" if method == "approval" else ">"
    options = [part.strip(" ") for part in choice.split(separator)]
    for option in options:
        if option == "":
            return None
        if option != NO_ENDORSEMENT and option not in on_ballot:
            return None
    if len(set(options)) != len(options):
        return None
    if method == "approval" and NO_ENDORSEMENT in options and len(options) > 1:
        return None
    return options


def instant_runoff(on_ballot: list[str], ballots: list[list[str]], S: Fraction) -> list[dict]:
    """§5: the rounds of an instant runoff, each {"round", "votes", "exhausted",
    "eliminated"}; `votes` holds every continuing option (candidates by id, then
    NO_ENDORSEMENT)."""
    n = len(ballots)
    first_round = {c: sum(1 for b in ballots if b[0] == c) for c in on_ballot}
    continuing = list(on_ballot)
    rounds = []
    while True:
        votes = {c: 0 for c in continuing}
        votes[NO_ENDORSEMENT] = 0
        exhausted = 0
        for b in ballots:
            standing = [o for o in b if o in votes]
            if standing:
                votes[standing[0]] += 1
            else:
                exhausted += 1
        this = {
            "round": len(rounds) + 1,
            "votes": votes,
            "exhausted": exhausted,
            "eliminated": None,
        }
        rounds.append(this)
        candidate_votes = [votes[c] for c in continuing]
        if not candidate_votes or max(candidate_votes) == 0:
            break  # 1. no continuing candidate has a vote
        if any(Fraction(v) >= S * n for v in candidate_votes):
            break  # 2. a candidate has at least S of N
        if len(continuing) <= 1:
            break  # 3. at most one candidate continues
        # 4. the fewest votes; ties: fewer in round 1, then the largest candidate_id
        fewest = min(candidate_votes)
        tied = [c for c in continuing if votes[c] == fewest]
        fewest_first = min(first_round[c] for c in tied)
        tied = [c for c in tied if first_round[c] == fewest_first]
        loser = max(tied)
        this["eliminated"] = loser
        continuing.remove(loser)
    return rounds


def vote_statuses(program) -> dict[int, str]:
    """vote_id -> status, for every vote of the program (all waves)."""
    first = {vote["vote_id"]: _first_tests(program, vote) for vote in program["votes"]}
    valid_votes = [vote for vote in program["votes"] if first[vote["vote_id"]] is None]

    statuses = {}
    for vote in program["votes"]:
        if first[vote["vote_id"]] is not None:
            statuses[vote["vote_id"]] = first[vote["vote_id"]]
            continue
        superseded = False
        for other in valid_votes:
            if other["vote_id"] == vote["vote_id"]:
                continue
            same_member_same_contest = (
                other["member_id"] == vote["member_id"]
                and other["wave_id"] == vote["wave_id"]
                and other["race_id"] == vote["race_id"]
            )
            if not same_member_same_contest:
                continue
            other_at, vote_at = to_utc(other["cast_at"]), to_utc(vote["cast_at"])
            later = other_at > vote_at or (
                other_at == vote_at and other["vote_id"] > vote["vote_id"]
            )
            if later:
                superseded = True
        statuses[vote["vote_id"]] = "superseded" if superseded else "counted"
    return statuses


# --------------------------------------------------------------------------- contests


def contests(program, wave_id) -> list[str]:
    """Race ids of races.csv with at least one vote, endorsement or vetting row in the
    wave (whether or not it counts), in code-point order."""
    candidate_race = {c["candidate_id"]: c["race_id"] for c in program["candidates"]}
    found = set()
    for race in program["races"]:
        race_id = race["race_id"]
        for vote in program["votes"]:
            if vote["wave_id"] == wave_id and vote["race_id"] == race_id:
                found.add(race_id)
        for endorsement in program["endorsements"]:
            if (
                endorsement["wave_id"] == wave_id
                and candidate_race[endorsement["candidate_id"]] == race_id
            ):
                found.add(race_id)
        for vet in program["vetting"]:
            if vet["wave_id"] == wave_id and candidate_race[vet["candidate_id"]] == race_id:
                found.add(race_id)
    return sorted(found)


# --------------------------------------------------------------------------- tally


def _share(votes: int, n: int) -> float | None:
    if n == 0:
        return None
    return float(Fraction(votes, n))


def decide(on_ballot, votes_by_choice, top_choice, n, e, S, T, M) -> str:
    if len(on_ballot) == 0:
        return "NO_CANDIDATES"
    top_votes = votes_by_choice[top_choice] if top_choice is not None else 0
    if n == 0 or Fraction(top_votes) < S * n:
        return "NO_ENDORSEMENT"
    another_as_many = any(votes_by_choice[c] >= top_votes for c in on_ballot if c != top_choice)
    if not another_as_many and n >= M and Fraction(n) >= T * e:
        return "ENDORSE"
    return "REVIEW"


def tally(program, wave_id, S=Fraction(3, 5), T=Fraction(1, 10), M=1) -> list[dict]:
    """One dict per contest of the wave, in race_id order, with the §4 json fields
    (without ``reason``)."""
    S, T, M = Fraction(S), Fraction(T), Fraction(M)
    statuses = vote_statuses(program)
    results = []
    for race_id in contests(program, wave_id):
        race = _race(program, race_id)
        on_ballot = ballot(program, wave_id, race_id)
        e = len(potential_voters(program, wave_id, race_id))

        method = method_of(_wave(program, wave_id))
        audit = {key: 0 for key in AUDIT_KEYS}
        votes_by_choice = {c: 0 for c in on_ballot}
        votes_by_choice[NO_ENDORSEMENT] = 0
        counted_ballots = []
        for vote in program["votes"]:
            if vote["wave_id"] != wave_id or vote["race_id"] != race_id:
                continue
            status = statuses[vote["vote_id"]]
            audit[status] += 1
            if status == "counted":
                if method == "single":
                    votes_by_choice[vote["choice"]] += 1
                    continue
                options = ballot_options(vote["choice"], method, on_ballot)
                counted_ballots.append(options)
                for option in options if method == "approval" else options[:1]:
                    votes_by_choice[option] += 1
        n = audit["counted"]
        first_round = dict(votes_by_choice)  # `choices`: approvals, or first preferences
        rounds = None
        if method == "ranked":
            rounds = instant_runoff(on_ballot, counted_ballots, S)
            final = rounds[-1]["votes"]
            votes_by_choice = {c: final.get(c, 0) for c in [*on_ballot, NO_ENDORSEMENT]}

        top_choice = None
        for candidate_id in on_ballot:  # in candidate_id order: first wins a tie
            if votes_by_choice[candidate_id] == 0:
                continue
            if top_choice is None or votes_by_choice[candidate_id] > votes_by_choice[top_choice]:
                top_choice = candidate_id

        results.append(
            {
                "wave_id": wave_id,
                "race_id": race_id,
                "office": race["office"],
                "state": race["state"],
                "district": race["district"],
                "candidates_on_ballot": len(on_ballot),
                "eligible_voters": e,
                "ballots_counted": n,
                "turnout": float(Fraction(n, e)) if e > 0 else None,
                "top_choice": top_choice,
                "top_votes": votes_by_choice[top_choice] if top_choice is not None else None,
                "top_share": (
                    _share(votes_by_choice[top_choice], n) if top_choice is not None else None
                ),
                "decision": decide(on_ballot, votes_by_choice, top_choice, n, e, S, T, M),
                "choices": [
                    {
                        "choice": c,
                        "votes": first_round[c],
                        "share": _share(first_round[c], n),
                    }
                    for c in [*on_ballot, NO_ENDORSEMENT]
                ],
                "audit": audit,
            }
        )
        if method != "single":
            results[-1]["method"] = method
        if rounds is not None:
            results[-1]["rounds"] = rounds
    return results


def audit(program) -> list[dict]:
    """§4 `audit --format json` without --wave: non-zero counts per (wave_id, race_id,
    status) as the votes carry them, sorted by the three keys."""
    statuses = vote_statuses(program)
    counts: dict[tuple[str, str, str], int] = {}
    for vote in program["votes"]:
        key = (vote["wave_id"], vote["race_id"], statuses[vote["vote_id"]])
        counts[key] = counts.get(key, 0) + 1
    return [
        {"wave_id": w, "race_id": r, "status": s, "votes": counts[(w, r, s)]}
        for (w, r, s) in sorted(counts)
    ]
