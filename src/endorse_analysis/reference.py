"""Reference facts shipped with the project: states, House seats, races per cycle."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd


def _read(name: str) -> pd.DataFrame:
    path = resources.files("endorse_analysis") / "reference" / name
    with path.open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


@cache
def _states() -> pd.DataFrame:
    frame = _read("states.csv")
    frame["house_seats"] = frame["house_seats"].astype("int64")
    return frame


def states_frame() -> pd.DataFrame:
    """The 50 states and DC: state, name, fips, house_seats (2020 apportionment)."""
    return _states().copy()


def races_frame(cycle: int) -> pd.DataFrame:
    """The races of a cycle (2026 or 2028): race_id, office, state, district, cycle."""
    return _read(f"races-{cycle}.csv")
