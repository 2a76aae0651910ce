"""The regular votes, and a number of rows met exactly.

Each contest's potential voters (the eligible members of its area)
vote with the contest's turnout, for an option drawn by its support, at a time drawn
after the ballot e-mail (most within hours, a bump at the third-day reminder, few at
night); the turnout is scaled, and late re-votes added, to reach a number of rows.

In: the ``Country``, the ``Members``, the contests and candidates of races.py and the
random generator. Out: the setting of the draws, and ballots as codes.
"""

from __future__ import annotations

import numpy as np

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.members import Members
from endorse_analysis.synthetic.races import Candidates, Contest
from endorse_analysis.synthetic.times import (
    DAY,
    HOUR,
    WAVE_CLOCK,
    WAVE_COUNT,
    eastern_seconds,
)
from endorse_analysis.synthetic.vote_rows import (
    TYPO_CHOICES,
    UNKNOWN_RACES,
    _Ballots,
    _Batch,
    _Electorate,
    _Options,
    _Setting,
    _VoteRows,
    choice_spellings,
    race_spellings,
)
from endorse_analysis.vocabulary import NO_ENDORSEMENT

# Rows of votes.csv per regular voter: re-votes and irregular votes add about 7.5%.
ROWS_PER_VOTER = 1.075


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
