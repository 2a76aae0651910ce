"""Reference facts shipped with the project (data/reference/): the states with their House
seats, and the races of each cycle.

In a built wheel the files are package data (endorse_analysis/reference/); in a source
checkout they are read from data/reference/, their one home.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import pandas as pd


def reference_dir() -> Traversable:
    """The folder of the reference CSV files, installed or in the source tree."""
    packaged = resources.files("endorse_analysis") / "reference"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "data" / "reference"


def read_reference(name: str) -> pd.DataFrame:
    """One reference file as text columns (empty cells stay empty strings)."""
    with (reference_dir() / name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@cache
def _states() -> pd.DataFrame:
    frame = read_reference("states.csv")
    frame["house_seats"] = frame["house_seats"].astype("int64")
    return frame


def states_frame() -> pd.DataFrame:
    """The 50 states and DC: state, name, fips, house_seats (2020 apportionment)."""
    return _states().copy()
