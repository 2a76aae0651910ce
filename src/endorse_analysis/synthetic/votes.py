"""The votes: who votes in which contest, for what, and when; and the irregular ones.

In: the ``Country``, the ``Members``, the contests and candidates of races.py, the
number of rows wanted (or None), and the random generator. Out: ``Votes`` (one entry per
row of votes.csv, as codes and numbers) and the table of votes.csv.

A contest's potential voters are the eligible members of its area (the state, or the
district of a House race); each votes with the contest's turnout, for an option drawn
by the contest's support, at a time drawn after the ballot e-mail (most within hours,
a bump at the third-day reminder, few at night). So that every vote status occurs in
every wave, each wave also gets a minimum of each kind of irregular vote: before the
opening or after the close, a choice not on the ballot, a re-vote (superseding the
first), a member outside the area or not eligible, a member id not on the list, a race
that does not exist. A few members vote in contests with nobody on the ballot, and a
few votes name a wave that does not exist.

With a number of rows wanted, the turnout is scaled to reach it, then re-votes are added
or regular votes dropped until it is met exactly (the irregular votes are never
dropped, so a very small number cannot be met).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.members import Members
from endorse_analysis.synthetic.races import Candidates, Contest
from endorse_analysis.synthetic.times import (
    DAY,
    HOUR,
    WAVE_CLOCK,
    WAVE_COUNT,
    WAVES,
    eastern_seconds,
    utc_seconds,
)
from endorse_analysis.synthetic.write import dictionary, eastern_columns
from endorse_analysis.vocabulary import NO_ENDORSEMENT

# Ids that look like ids but name nothing: unknown races and unknown waves.
UNKNOWN_RACES = (
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
UNKNOWN_WAVES = ("2026-06", "2026-3", "2025-11", "2026-07-redo")
# Choices that are no candidate and not quite NO_ENDORSEMENT.
TYPO_CHOICES = ("no_endorsement", "NO ENDORSEMENT", "ABSTAIN", "WRITE-IN", "none")

# How a vote spells its member id (VOTES_SELECT): the list's own spelling, in lower
# case, or without the leading zeros.
LISTED_ID, LOWER_CASE_ID, SHORT_ID = 0, 1, 2
# Rows of votes.csv per regular voter: re-votes and irregular votes add about 7.5%.
ROWS_PER_VOTER = 1.075


@dataclass(frozen=True)
class Votes:
    """The rows of votes.csv, in no particular order."""

    wave: np.ndarray  # position in wave_spellings()
    race: np.ndarray  # position in race_spellings()
    id_style: np.ndarray  # LISTED_ID, LOWER_CASE_ID or SHORT_ID
    member_number: np.ndarray  # the number in the member id (a member's row + 1)
    choice: np.ndarray  # position in choice_spellings()
    cast_at: np.ndarray  # seconds since the epoch
    protected: np.ndarray  # an irregular vote, never dropped to meet a number of rows


_DTYPES = {
    "wave": np.int16,
    "race": np.int32,
    "id_style": np.int8,
    "member_number": np.int64,
    "choice": np.int32,
    "cast_at": np.int64,
    "protected": np.bool_,
}


class _Batch(NamedTuple):
    """Votes of one kind in one wave; a single value stands for all of them."""

    race: np.ndarray | int
    member_number: np.ndarray | int
    choice: np.ndarray | int
    cast_at: np.ndarray
    protected: np.ndarray | bool = True
    id_style: np.ndarray | int = LISTED_ID


class _VoteRows:
    """Collects votes batch by batch; ``votes()`` puts them together."""

    def __init__(self) -> None:
        self._batches: dict[str, list[np.ndarray]] = {name: [] for name in _DTYPES}

    def add(self, wave: np.ndarray | int, batch: _Batch) -> None:
        for name, value in (("wave", wave), *batch._asdict().items()):
            column = np.asarray(value, dtype=_DTYPES[name])
            self._batches[name].append(np.broadcast_to(column, (len(batch.cast_at),)).copy())

    def __len__(self) -> int:
        return sum(len(batch) for batch in self._batches["cast_at"])

    def votes(self) -> Votes:
        return Votes(**{name: np.concatenate(self._batches[name]) for name in _DTYPES})


def race_spellings(country: Country) -> list[str]:
    """The race ids votes use: the real ones, then UNKNOWN_RACES."""
    return country.race_ids + list(UNKNOWN_RACES)


def wave_spellings() -> list[str]:
    """The wave ids votes use: the real ones, then UNKNOWN_WAVES."""
    return [wave.wave_id for wave in WAVES] + list(UNKNOWN_WAVES)


def choice_spellings(candidates: Candidates) -> list[str]:
    """The choices votes use: candidate ids, NO_ENDORSEMENT, typos, lower-case ids."""
    ids = candidates.candidate_id
    return ids + [NO_ENDORSEMENT] + list(TYPO_CHOICES) + [c.lower() for c in ids]


@dataclass(frozen=True)
class _Electorate:
    """The members sorted by where they vote, and each contest's block of them."""

    order: np.ndarray  # member rows: by state, by district; those with no state last
    first: np.ndarray  # per contest: the first position in `order` of its area
    end: np.ndarray  # per contest: the position after the last one of its area
    state_first: np.ndarray  # per contest: the block of its whole state
    state_end: np.ndarray
    with_state: int  # how many members have a state (they come first in `order`)


@dataclass(frozen=True)
class _Options:
    """Per contest: the ballot options, their support, and choices not on the ballot."""

    choice: np.ndarray  # (contests, 4): ballot candidates, then NO_ENDORSEMENT
    cumulative: np.ndarray  # (contests, 4): cumulative share of the votes
    invalid: np.ndarray  # (contests, 3): an off-ballot candidate, a typo, a lower-case id


@dataclass(frozen=True)
class _Setting:
    """What the draws of every wave read."""

    members: Members
    contest_wave: np.ndarray
    contest_race: np.ndarray
    whole_state: np.ndarray  # a statewide or at-large race: the state is the area
    on_ballot: np.ndarray  # somebody is on the ballot
    electorate: _Electorate
    options: _Options
    ballot_sent: np.ndarray  # per contest: when the ballot e-mail goes out
    no_endorsement: int  # choice code
    typos: list[int]  # choice codes of TYPO_CHOICES
    unknown_races: np.ndarray  # race codes of UNKNOWN_RACES


@dataclass(frozen=True)
class _Ballots:
    """The regular ballots of one wave, one per voter and contest."""

    contest: np.ndarray
    member: np.ndarray  # member row
    choice: np.ndarray
    cast_at: np.ndarray


def draw_votes(
    rng: np.random.Generator,
    country: Country,
    members: Members,
    contests: list[Contest],
    candidates: Candidates,
    wanted: int | None,
) -> Votes:
    """The votes; exactly ``wanted`` rows where that is given (unless it is tiny)."""
    setting = _prepare(rng, country, members, contests, candidates)
    turnout = np.array([c.turnout for c in contests])
    potential = _potential_voters(setting)
    turnout, extra_revotes = _scale_turnout(turnout, potential, setting.on_ballot, wanted)
    rows = _VoteRows()
    ballots = [_draw_wave(rng, wave, setting, turnout, rows) for wave in range(WAVE_COUNT)]
    _add_stray_votes(rng, setting, contests, rows)
    _add_unknown_wave_votes(rng, setting, country, ballots, rows)
    if wanted is None:
        return rows.votes()
    shortfall = max(extra_revotes, wanted - len(rows)) if wanted > len(rows) else 0
    if shortfall:
        _add_late_revotes(rng, setting, ballots, shortfall, rows)
    return _drop_to(rng, rows.votes(), wanted)


def _prepare(
    rng: np.random.Generator,
    country: Country,
    members: Members,
    contests: list[Contest],
    candidates: Candidates,
) -> _Setting:
    code = {choice: i for i, choice in enumerate(choice_spellings(candidates))}
    race_code = {race: i for i, race in enumerate(race_spellings(country))}
    typos = [code[typo] for typo in TYPO_CHOICES]
    options = _ballot_options(rng, contests, candidates, code, typos)
    contest_wave = np.array([c.wave for c in contests])
    contest_race = np.array([c.race for c in contests])
    state = country.race_states[contest_race]
    district = country.race_districts[contest_race]
    whole_state = (district < 0) | (country.house_seats[state] == 1)
    return _Setting(
        members=members,
        contest_wave=contest_wave,
        contest_race=contest_race,
        whole_state=whole_state,
        on_ballot=np.array([len(c.ballot) for c in contests]) > 0,
        electorate=_sort_electorate(members, state, district, whole_state),
        options=options,
        # within 40 minutes of the opening
        ballot_sent=WAVE_CLOCK.opens[contest_wave] + rng.integers(0, 40 * 60, len(contests)),
        no_endorsement=code[NO_ENDORSEMENT],
        typos=typos,
        unknown_races=np.array([race_code[race] for race in UNKNOWN_RACES]),
    )


def _sort_electorate(
    members: Members, state: np.ndarray, district: np.ndarray, whole_state: np.ndarray
) -> _Electorate:
    """Sort the members by a key ``state * 1000 + district`` (no state: last), so that
    the potential voters of a contest are one block of the order."""
    key = np.where(
        members.state >= 0, members.state.astype(np.int64) * 1000 + members.district, 10**9
    )
    order = np.argsort(key, kind="stable")
    key = key[order]
    state_key = state.astype(np.int64) * 1000
    low = np.where(whole_state, state_key, state_key + district)
    high = np.where(whole_state, state_key + 1000, state_key + district + 1)
    return _Electorate(
        order=order,
        first=np.searchsorted(key, low),
        end=np.searchsorted(key, high),
        state_first=np.searchsorted(key, state_key),
        state_end=np.searchsorted(key, state_key + 1000),
        with_state=int(np.searchsorted(key, 10**9)),
    )


def _ballot_options(
    rng: np.random.Generator,
    contests: list[Contest],
    candidates: Candidates,
    code: dict[str, int],
    typos: list[int],
) -> _Options:
    count = len(contests)
    choice = np.full((count, 4), code[NO_ENDORSEMENT], dtype=np.int32)
    cumulative = np.ones((count, 4))
    invalid = np.zeros((count, 3), dtype=np.int32)
    candidate_race = np.asarray(candidates.race)
    for k, contest in enumerate(contests):
        shares = np.zeros(4)
        for j, (candidate, support) in enumerate(zip(contest.ballot, contest.support, strict=True)):
            choice[k, j] = code[candidates.candidate_id[candidate]]
            shares[j] = support
        shares[3] = max(0.0, 1.0 - shares[:3].sum())  # NO_ENDORSEMENT
        cumulative[k] = np.cumsum(shares) / shares.sum()
        invalid[k] = _invalid_choices(rng, contest, candidates, candidate_race, code, typos)
    return _Options(choice, cumulative, invalid)


def _invalid_choices(
    rng: np.random.Generator,
    contest: Contest,
    candidates: Candidates,
    candidate_race: np.ndarray,
    code: dict[str, int],
    typos: list[int],
) -> list[int]:
    """Three choices not on a contest's ballot: a candidate who is not on it (of the race
    where there is one, else of another race), a typo, and the lower-case id of the first
    ballot candidate (or another typo)."""
    others = list(contest.others)
    if others:
        off_ballot = others[int(rng.integers(len(others)))]
    else:
        elsewhere = np.flatnonzero(candidate_race != contest.race)
        off_ballot = int(elsewhere[int(rng.integers(len(elsewhere)))])
    typo = typos[int(rng.integers(len(typos)))]
    if contest.ballot:
        lower = code[candidates.candidate_id[contest.ballot[0]].lower()]
    else:
        lower = typos[int(rng.integers(len(typos)))]
    return [code[candidates.candidate_id[off_ballot]], typo, lower]


def _potential_voters(setting: _Setting) -> np.ndarray:
    """Per contest, the members of its area eligible in its wave."""
    members, electorate = setting.members, setting.electorate
    signed, opted = members.signed_up_at[electorate.order], members.opted_out_at[electorate.order]
    potential = np.zeros(len(setting.contest_wave), dtype=np.int64)
    for wave in range(WAVE_COUNT):
        eligible_before = np.concatenate([[0], np.cumsum(WAVE_CLOCK.eligible(signed, opted, wave))])
        mine = setting.contest_wave == wave
        potential[mine] = (
            eligible_before[electorate.end[mine]] - eligible_before[electorate.first[mine]]
        )
    return potential


def _scale_turnout(
    turnout: np.ndarray, potential: np.ndarray, on_ballot: np.ndarray, wanted: int | None
) -> tuple[np.ndarray, int]:
    """The turnout of each contest scaled so that the votes come near ``wanted`` rows
    (at most 60% of the potential voters), and how many re-votes should make up the rest.

    Scaling by a factor ``f`` makes the chance that a member does *not* vote the
    ``f``-th power of what it was: turnouts stay below 1 and keep their order.
    """
    if wanted is None:
        return turnout, 0
    potential, turnout_on_ballot = potential[on_ballot], turnout[on_ballot]
    goal = min(wanted / ROWS_PER_VOTER, 0.6 * potential.sum())
    if (turnout_on_ballot * potential).sum() <= 0 or goal <= 0:
        return turnout * 0, 0

    def voters(factor: float) -> float:
        return float((potential * (1 - (1 - turnout_on_ballot) ** factor)).sum())

    low, high = 0.0, 1.0
    while voters(high) < goal and high < 1e4:
        high *= 2
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if voters(middle) < goal else (low, middle)
    extra_revotes = max(0, int(wanted - ROWS_PER_VOTER * voters(high)))
    return 1 - (1 - turnout) ** high, extra_revotes


def _draw_wave(
    rng: np.random.Generator, wave: int, setting: _Setting, turnout: np.ndarray, rows: _VoteRows
) -> _Ballots:
    """All the votes of one wave's contests with a ballot; returns the regular ballots."""
    (contest, member), forwarders = _draw_voters(rng, wave, setting, turnout)
    choice = _draw_options(rng, setting, contest)
    ballots = _Ballots(contest, member, choice, _draw_cast_times(rng, wave, setting, contest))
    shuffled, cuts = _irregular_slices(rng, len(contest))
    early, late, off_ballot, outsiders, unknown = (
        shuffled[cuts[i] : cuts[i + 1]] for i in range(len(cuts) - 1)
    )
    _move_outside_window(rng, wave, ballots.cast_at, early, late)
    if len(shuffled) > cuts[-1]:
        # the next one exactly at the opening: inside the window, which is half-open
        ballots.cast_at[shuffled[cuts[-1]]] = WAVE_CLOCK.opens[wave]
    ballots.choice[off_ballot] = _invalid_choice(rng, setting, contest[off_ballot])
    protected = np.zeros(len(shuffled), dtype=bool)
    protected[early] = protected[late] = protected[off_ballot] = True
    race = setting.contest_race[contest]
    rows.add(wave, _Batch(race, member + 1, choice, ballots.cast_at, protected))
    rows.add(wave, _revotes(rng, setting, ballots, shuffled[: cuts[-1]]))
    rows.add(wave, _forwarded_votes(rng, wave, setting, *forwarders))
    rows.add(wave, _outsider_votes(rng, setting, ballots, outsiders))
    rows.add(wave, _unknown_member_votes(rng, setting, ballots, unknown))
    rows.add(wave, _unknown_race_votes(rng, wave, setting, len(shuffled)))
    return ballots


def _draw_voters(
    rng: np.random.Generator, wave: int, setting: _Setting, turnout: np.ndarray
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(contest, member) of the regular voters, and of members who are not eligible but
    vote anyway (signed up too late or opted out: a forwarded ballot)."""
    contests = np.flatnonzero((setting.contest_wave == wave) & setting.on_ballot)
    first, end = setting.electorate.first[contests], setting.electorate.end[contests]
    sizes = end - first
    contest = np.repeat(contests, sizes)
    block_start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    position = np.arange(int(sizes.sum())) - block_start + np.repeat(first, sizes)
    member = setting.electorate.order[position]
    signed = setting.members.signed_up_at[member]
    opted = setting.members.opted_out_at[member]
    eligible = WAVE_CLOCK.eligible(signed, opted, wave)
    forwarded = ~eligible & (signed < WAVE_CLOCK.closes[wave])
    u = rng.random(len(member))
    chance = turnout[contest]
    votes = eligible & (u < chance)
    forwards = forwarded & (u < chance * 0.08)
    return (contest[votes], member[votes]), (contest[forwards], member[forwards])


def _draw_options(rng: np.random.Generator, setting: _Setting, contest: np.ndarray) -> np.ndarray:
    """A ballot option per vote, drawn with the contest's support."""
    options = setting.options
    drawn = (rng.random(len(contest))[:, None] > options.cumulative[contest]).sum(axis=1)
    return options.choice[contest, drawn.clip(0, 3)]


def _invalid_choice(rng: np.random.Generator, setting: _Setting, contest: np.ndarray) -> np.ndarray:
    """One of the contest's three choices that are not on its ballot, per vote."""
    return setting.options.invalid[contest, rng.integers(0, 3, len(contest))]


def _draw_cast_times(
    rng: np.random.Generator, wave: int, setting: _Setting, contest: np.ndarray
) -> np.ndarray:
    """When each vote is cast: some delay after its contest's ballot e-mail."""
    sent = setting.ballot_sent[contest]
    return sent + _draw_delays(rng, sent, WAVE_CLOCK.closes[wave] - sent)


def _draw_delays(rng: np.random.Generator, sent: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Seconds from the ballot e-mail to the vote, within ``length``: half in the first
    hours, a quarter later that day, some at the reminder on the third morning, the rest
    any time; 80% of those that would fall between 1:00 and 6:30 local time wait till
    the morning."""
    count = len(sent)
    kind = np.searchsorted(np.array([0.5, 0.75, 0.87]), rng.random(count), side="right")
    e = rng.exponential(1.0, count)
    delay = np.select(
        [kind == 0, kind == 1, kind == 2],
        [e * 3 * HOUR, e * 14 * HOUR, 48 * HOUR + e * 4 * HOUR],
        rng.random(count) * length,
    )
    hour = (eastern_seconds(sent + delay.astype(np.int64)) % DAY) / HOUR
    night = (hour >= 1) & (hour < 6.5) & (rng.random(count) < 0.8)
    delay = np.where(night, delay + (7 - hour) * HOUR + rng.exponential(1.5 * HOUR, count), delay)
    delay = np.where(delay >= length, rng.random(count) * length, delay)
    return delay.astype(np.int64)


def _irregular_slices(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """A shuffle of the regular ballots, and cuts into it: disjoint slices to turn into
    early, late, off-ballot, outsider and unknown-member votes (at least a few of each,
    at most an eighth of the ballots each)."""

    def size(rate: float, least: int = 4) -> int:
        return min(max(least, int(round(rate * count))), count // 8)

    shuffled = rng.permutation(count)
    rates = (size(0.002), size(0.004), size(0.003), size(0.004), size(0.0015, 3))
    return shuffled, np.cumsum((0, *rates))


def _move_outside_window(
    rng: np.random.Generator, wave: int, cast_at: np.ndarray, early, late
) -> None:
    """Early votes: most up to 15 minutes before the opening, some up to two days. Late
    ones: after the close, the first exactly at it (outside: the window is half-open)."""
    opens, closes = WAVE_CLOCK.opens[wave], WAVE_CLOCK.closes[wave]
    minutes = rng.random(len(early)) < 0.7
    cast_at[early] = np.where(
        minutes,
        opens - rng.integers(30, 15 * 60, len(early)),
        opens - rng.integers(HOUR, 48 * HOUR, len(early)),
    )
    cast_at[late] = closes + rng.exponential(3 * HOUR, len(late)).astype(np.int64) + 1
    if len(late):
        cast_at[late[0]] = closes


def _revotes(
    rng: np.random.Generator, setting: _Setting, ballots: _Ballots, irregular: np.ndarray
) -> _Batch:
    """5% of the regular voters vote again: hours later, or in the same second (a double
    click); 4% of these for a choice not on the ballot. The first five are protected."""
    again = np.flatnonzero(rng.random(len(ballots.contest)) < 0.05)
    again = again[~np.isin(again, irregular)]
    count = len(again)
    later = rng.exponential(10 * HOUR, count).astype(np.int64) + 1
    later[rng.random(count) < 0.06] = 0
    contest = ballots.contest[again]
    choice = _draw_options(rng, setting, contest)
    invalid = rng.random(count) < 0.04
    choice[invalid] = _invalid_choice(rng, setting, contest[invalid])
    protected = np.zeros(count, dtype=bool)
    protected[:5] = True
    member_number = ballots.member[again] + 1
    cast_at = ballots.cast_at[again] + later
    return _Batch(setting.contest_race[contest], member_number, choice, cast_at, protected)


def _forwarded_votes(
    rng: np.random.Generator,
    wave: int,
    setting: _Setting,
    contest: np.ndarray,
    member: np.ndarray,
) -> _Batch:
    """Members who are not eligible vote for the first ballot candidate."""
    cast_at = _draw_cast_times(rng, wave, setting, contest)
    choice = setting.options.choice[contest, 0]
    return _Batch(setting.contest_race[contest], member + 1, choice, cast_at)


def _outsider_votes(
    rng: np.random.Generator, setting: _Setting, ballots: _Ballots, picked: np.ndarray
) -> _Batch:
    """Copies of some ballots cast by a member from elsewhere: in a House race mostly a
    member of the same state, else anyone."""
    contest, count = ballots.contest[picked], len(picked)
    electorate = setting.electorate
    same_state = ~setting.whole_state[contest] & (rng.random(count) < 0.9)
    state_first, state_end = electorate.state_first[contest], electorate.state_end[contest]
    position = state_first + (rng.random(count) * (state_end - state_first)).astype(np.int64)
    in_state = electorate.order[np.minimum(position, setting.members.count - 1)]
    member = np.where(same_state, in_state, rng.integers(0, setting.members.count, count))
    cast_at = ballots.cast_at[picked] + rng.integers(1, 600, count)
    return _Batch(setting.contest_race[contest], member + 1, ballots.choice[picked], cast_at)


def _unknown_member_votes(
    rng: np.random.Generator, setting: _Setting, ballots: _Ballots, picked: np.ndarray
) -> _Batch:
    """Copies of some ballots under a member id that is not on the list: a number past
    the end of the list, a listed member's id in lower case, or a short number."""
    count = len(picked)
    style = rng.choice(3, count, p=[0.6, 0.2, 0.2])
    number = np.select(
        [style == LISTED_ID, style == LOWER_CASE_ID],
        [setting.members.count + 1 + rng.integers(0, 90000, count), ballots.member[picked] + 1],
        rng.integers(1, 99999, count),
    )
    cast_at = ballots.cast_at[picked] + rng.integers(1, 900, count)
    race = setting.contest_race[ballots.contest[picked]]
    return _Batch(race, number, ballots.choice[picked], cast_at, id_style=style)


def _unknown_race_votes(
    rng: np.random.Generator, wave: int, setting: _Setting, regular: int
) -> _Batch:
    """Votes for a race that does not exist, by members with a state."""
    count = max(3, int(round(0.0002 * regular)))
    race = setting.unknown_races[rng.integers(0, len(UNKNOWN_RACES), count)]
    member = _draw_members_with_state(rng, setting, count)
    choice = rng.choice([setting.no_endorsement, setting.typos[0]], count)
    return _Batch(race, member + 1, choice, _draw_during_wave(rng, wave, count))


def _draw_members_with_state(rng: np.random.Generator, setting: _Setting, count: int) -> np.ndarray:
    electorate = setting.electorate
    return electorate.order[rng.integers(0, electorate.with_state, count)]


def _draw_during_wave(rng: np.random.Generator, wave: int, count: int) -> np.ndarray:
    opens, closes = WAVE_CLOCK.opens[wave], WAVE_CLOCK.closes[wave]
    return opens + rng.integers(0, closes - opens, count)


def _add_stray_votes(
    rng: np.random.Generator, setting: _Setting, contests: list[Contest], rows: _VoteRows
) -> None:
    """A few members vote in some contests with nobody on the ballot: mostly for a
    candidate of the race, else NO_ENDORSEMENT."""
    electorate = setting.electorate
    for k in np.flatnonzero(~setting.on_ballot):
        contest = contests[k]
        if not contest.stray_votes or electorate.end[k] == electorate.first[k]:
            continue
        count = int(rng.integers(1, 7))
        member = electorate.order[rng.integers(electorate.first[k], electorate.end[k], count)]
        for_candidate = rng.random(count) < 0.75
        choice = np.where(for_candidate, setting.options.invalid[k, 0], setting.no_endorsement)
        cast_at = _draw_during_wave(rng, contest.wave, count)
        rows.add(contest.wave, _Batch(contest.race, member + 1, choice, cast_at))


def _add_unknown_wave_votes(
    rng: np.random.Generator,
    setting: _Setting,
    country: Country,
    ballots: list[_Ballots],
    rows: _VoteRows,
) -> None:
    """Votes naming a wave that does not exist, in June 2026."""
    regular = sum(len(wave_ballots.contest) for wave_ballots in ballots)
    count = max(4, int(round(1e-5 * regular)))
    wave = WAVE_COUNT + rng.integers(0, len(UNKNOWN_WAVES), count)
    race = rng.integers(0, len(country.race_ids), count)
    member = _draw_members_with_state(rng, setting, count)
    cast_at = utc_seconds("2026-06-09T09:00:00-04:00") + rng.integers(0, 4 * DAY, count)
    rows.add(wave, _Batch(race, member + 1, setting.no_endorsement, cast_at))


def _add_late_revotes(
    rng: np.random.Generator,
    setting: _Setting,
    ballots: list[_Ballots],
    count: int,
    rows: _VoteRows,
) -> None:
    """More re-votes, to reach a number of rows: regular ballots drawn at random, voted
    again between the ballot and the close."""
    contest = np.concatenate([b.contest for b in ballots])
    if not len(contest):
        return
    member = np.concatenate([b.member for b in ballots])
    cast_at = np.concatenate([b.cast_at for b in ballots])
    pick = rng.integers(0, len(contest), count)
    contest = contest[pick]
    wave = setting.contest_wave[contest]
    closes = WAVE_CLOCK.closes[wave]
    start = np.minimum(cast_at[pick], closes - 1)
    again_at = start + (rng.random(count) * (closes - start)).astype(np.int64)
    choice = _draw_options(rng, setting, contest)
    race = setting.contest_race[contest]
    rows.add(wave, _Batch(race, member[pick] + 1, choice, again_at, protected=False))


def _drop_to(rng: np.random.Generator, votes: Votes, wanted: int) -> Votes:
    """Drop unprotected votes at random until ``wanted`` rows are left (if possible)."""
    count = len(votes.cast_at)
    if count <= wanted:
        return votes
    droppable = np.flatnonzero(~votes.protected)
    drop = rng.choice(droppable, min(len(droppable), count - wanted), replace=False)
    keep = np.ones(count, dtype=bool)
    keep[drop] = False
    return Votes(**{f.name: getattr(votes, f.name)[keep] for f in fields(Votes)})


# member_id: as the member list spells it, in lower case, or without leading zeros.
VOTES_SELECT = f"""
    SELECT vote_id, wave_id, race_id,
           CASE id_style WHEN {LISTED_ID} THEN printf('M%07d', member_number)
                         WHEN {LOWER_CASE_ID} THEN printf('m%07d', member_number)
                         ELSE printf('M%d', member_number) END AS member_id,
           choice,
           eastern(cast_at_local, cast_at_offset) AS cast_at
    FROM src"""  # noqa: S608 (no value of the data: the constants above)


def votes_table(
    rng: np.random.Generator, country: Country, candidates: Candidates, votes: Votes
) -> pa.Table:
    """The columns VOTES_SELECT turns into votes.csv: the votes in the order they were
    cast, numbered from 1 with a few gaps (ids of deleted votes); draws the gaps."""
    order = np.argsort(votes.cast_at, kind="stable")
    count = len(order)
    gaps = (rng.random(count) < 0.002) * rng.integers(1, 4, count)
    vote_id = np.arange(1, count + 1, dtype=np.int64) + np.cumsum(gaps)
    return pa.table(
        {
            "vote_id": pa.array(vote_id),
            "wave_id": dictionary(votes.wave[order], wave_spellings()),
            "race_id": dictionary(votes.race[order], race_spellings(country)),
            "id_style": pa.array(votes.id_style[order]),
            "member_number": pa.array(votes.member_number[order]),
            "choice": dictionary(votes.choice[order], choice_spellings(candidates)),
            **eastern_columns("cast_at", votes.cast_at[order]),
        }
    )
