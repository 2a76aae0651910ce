"""The country the demo is set in: the states and the races of 2026.

In: the project's reference files ``states.csv`` (the 50 states and DC with their House
seats) and ``races-2026.csv`` (the 506 races of the cycle). Out: ``Country``, those
facts as lists and arrays indexed by position, which every other module refers to: a
state is its position in ``Country.states``, a race its position in ``Country.race_ids``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import numpy as np

from endorse_analysis.ingest.reference import reference_dir


@dataclass(frozen=True)
class Country:
    """States and races, in the order of the reference files."""

    states: list[str]  # USPS codes
    state_names: list[str]
    house_seats: np.ndarray  # per state; 1: one at-large district (numbered 0)
    race_ids: list[str]
    race_offices: list[str]  # house, senate or governor
    race_states: np.ndarray  # per race, a state's position
    race_districts: np.ndarray  # per race; -1 for a statewide race
    race_cycles: list[str]

    def statewide(self, race: int) -> bool:
        return self.race_offices[race] != "house"

    def at_large(self, state: int) -> bool:
        return int(self.house_seats[state]) == 1


def read_country() -> Country:
    """The states and the 2026 races from the reference files."""
    states = _read_reference("states.csv")
    races = _read_reference("races-2026.csv")
    position = {row["state"]: i for i, row in enumerate(states)}
    return Country(
        states=[row["state"] for row in states],
        state_names=[row["name"] for row in states],
        house_seats=np.array([int(row["house_seats"]) for row in states]),
        race_ids=[row["race_id"] for row in races],
        race_offices=[row["office"] for row in races],
        race_states=np.array([position[row["state"]] for row in races]),
        race_districts=np.array([int(row["district"]) if row["district"] else -1 for row in races]),
        race_cycles=[row["cycle"] for row in races],
    )


def read_reference_rows(name: str) -> list[dict[str, str]]:
    """A reference file's rows as dicts of text."""
    return _read_reference(name)


def _read_reference(name: str) -> list[dict[str, str]]:
    with (reference_dir() / name).open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
