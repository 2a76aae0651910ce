"""What a synthetic vote is made of: the rows of votes.csv as codes (``Votes``), the
spellings of waves, races and choices they index, ids that name nothing, and the setting
every draw reads.

In: the ``Country`` and the ``Candidates``. Out: the spellings, and the types the draws
of regular_votes.py and irregular_votes.py fill in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from endorse_analysis.synthetic.country import Country
from endorse_analysis.synthetic.members import Members
from endorse_analysis.synthetic.races import Candidates
from endorse_analysis.synthetic.times import (
    WAVES,
)
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
