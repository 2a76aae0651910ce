"""The irregular votes: a minimum of each kind in every wave, so that every status occurs.

Before the opening or after the close, a choice not on the ballot, a re-vote
(superseding the first), a member outside the area or not eligible, a member id not on
the list, a race that does not exist; a few votes in contests with nobody on the ballot
and a few naming a wave that does not exist.

In: the setting and a wave's regular ballots. Out: batches of votes (protected: never
dropped to meet a number of rows).
"""

from __future__ import annotations

import numpy as np

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.races import Contest
from endorse_analysis.synthetic.regular_votes import (
    _draw_cast_times,
    _draw_options,
    _invalid_choice,
)
from endorse_analysis.synthetic.times import (
    DAY,
    HOUR,
    WAVE_CLOCK,
    WAVE_COUNT,
    utc_seconds,
)
from endorse_analysis.synthetic.vote_rows import (
    LISTED_ID,
    LOWER_CASE_ID,
    UNKNOWN_RACES,
    UNKNOWN_WAVES,
    _Ballots,
    _Batch,
    _Setting,
    _VoteRows,
)


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
