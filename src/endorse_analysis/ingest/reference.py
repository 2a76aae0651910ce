"""Reference facts shipped with the project (data/reference/): the states with their House
seats, the races of each cycle, and the House districts' description and 2024 presidential
result (the political context of a race).

In a built wheel the files are package data (endorse_analysis/reference/); in a source
checkout they are read from data/reference/, their one home.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.ingest.schema import DISTRICT_COLUMNS


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


# The district facts a load copies into the snapshot, and the map they describe (shown
# beside every lean: a state that redrew its districts after 2024 has other districts).
DISTRICTS_FILE = "districts-2024-lines.csv"
DISTRICT_MAP = "2024 lines"


def districts_frame() -> pd.DataFrame:
    """The House districts' facts as text (the snapshot types them): state, district,
    description, largest place, the Republican two-party share and the votes."""
    frame = read_reference(DISTRICTS_FILE)
    missing = set(DISTRICT_COLUMNS) - set(frame.columns)
    if missing:
        raise ValueError(
            f"data/reference/{DISTRICTS_FILE} lacks the column(s) {', '.join(sorted(missing))}"
        )
    return frame[list(DISTRICT_COLUMNS)]


def write_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The snapshot's copies of the reference facts: `states` and `districts`."""
    con.execute("CREATE TABLE states AS SELECT * FROM ref_states")
    con.register("districts_frame", districts_frame())
    typed = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in DISTRICT_COLUMNS.items())
    con.execute(f"CREATE TABLE districts AS SELECT {typed} FROM districts_frame")  # noqa: S608
    con.unregister("districts_frame")
