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
dropped, so a very small number cannot be met). The draws are in regular_votes.py and
irregular_votes.py, the rows and spellings in vote_rows.py.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pyarrow as pa

from endorse_analysis.sqlfiles import sql_text
from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.irregular_votes import (
    _add_stray_votes,
    _add_unknown_wave_votes,
    _forwarded_votes,
    _irregular_slices,
    _move_outside_window,
    _outsider_votes,
    _revotes,
    _unknown_member_votes,
    _unknown_race_votes,
)
from endorse_analysis.synthetic.members import Members
from endorse_analysis.synthetic.races import Candidates, Contest
from endorse_analysis.synthetic.regular_votes import (
    _add_late_revotes,
    _draw_cast_times,
    _draw_options,
    _draw_voters,
    _invalid_choice,
    _potential_voters,
    _prepare,
    _scale_turnout,
)
from endorse_analysis.synthetic.times import (
    WAVE_CLOCK,
    WAVE_COUNT,
    WAVES,
)
from endorse_analysis.synthetic.vote_rows import (
    LISTED_ID,
    LOWER_CASE_ID,
    Votes,
    _Ballots,
    _Batch,
    _Setting,
    _VoteRows,
    choice_spellings,
    race_spellings,
    wave_spellings,
)
from endorse_analysis.synthetic.write import dictionary, eastern_columns

__all__ = ["VOTES_SELECT", "Votes", "draw_votes", "votes_table"]


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


# Each wave's method (contract §5), as constants of the demo's calendar.
_METHODS = " ".join(f"WHEN '{w.wave_id}' THEN '{w.method}'" for w in WAVES if w.method)
# member_id: as the member list spells it, in lower case, or without leading zeros; the
# choices of a ranked or approval wave in their forms (sql/method_choices.sql).
VOTES_SELECT = f"""
    WITH plain AS (
    SELECT vote_id, wave_id, race_id,
           CASE id_style WHEN {LISTED_ID} THEN printf('M%07d', member_number)
                         WHEN {LOWER_CASE_ID} THEN printf('m%07d', member_number)
                         ELSE printf('M%d', member_number) END AS member_id,
           choice,
           eastern(cast_at_local, cast_at_offset) AS cast_at,
           CASE wave_id {_METHODS} ELSE '' END AS method
    FROM src)
    SELECT * FROM ({sql_text("endorse_analysis.synthetic", "method_choices")}) ORDER BY vote_id
"""  # noqa: S608 (no value of the data: the constants above)


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
