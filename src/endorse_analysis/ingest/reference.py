"""Reference facts shipped with the project (data/reference/): the states with their House
seats, the races of each cycle, the House districts' description and 2024 presidential
result (the political context of a race), and per cycle the primary calendar
(primaries-<cycle>.csv) and the seats' holders (incumbents-<cycle>.csv).

In a built wheel the files are package data (endorse_analysis/reference/); in a source
checkout they are read from data/reference/, their one home.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.ingest.problems import LoadRefused, Problem
from endorse_analysis.ingest.schema import DISTRICT_COLUMNS, INCUMBENT_COLUMNS, PRIMARY_COLUMNS
from endorse_analysis.vocabulary import OFFICES


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


# The per-cycle files: primaries-2026.csv, incumbents-2026.csv; staff add a later cycle's.
PRIMARIES_FILE = re.compile(r"primaries-([0-9]{4})\.csv")
INCUMBENTS_FILE = re.compile(r"incumbents-([0-9]{4})\.csv")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RACE_ID = re.compile(r"[A-Z]{2}-([0-9]{2}|AL|SEN|GOV)")


def cycle_files(pattern: re.Pattern[str]) -> dict[int, str]:
    """The reference files of one kind, by cycle: {2026: "primaries-2026.csv"}."""
    found = {}
    for entry in reference_dir().iterdir():
        match = pattern.fullmatch(entry.name)
        if match:
            found[int(match.group(1))] = entry.name
    return dict(sorted(found.items()))


def _checked_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _file_problems(
    name: str, frame: pd.DataFrame, columns: tuple[str, ...], check
) -> list[Problem]:
    """The header, then each row (line 2 on) through `check(row) -> [(column, value, msg)]`."""
    where = f"data/reference/{name}"
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        return [Problem(where, 1, None, None, f"lacks the column(s) {', '.join(missing)}")]
    problems = []
    for number, row in enumerate(frame.to_dict("records"), start=2):
        problems.extend(Problem(where, number, c, v, m) for c, v, m in check(row))
    return problems


def _primary_row(row: dict[str, str], states: set[str]) -> list[tuple[str, str | None, str]]:
    out = []
    if row["state"] not in states:
        out.append(("state", row["state"], "is not a USPS state code"))
    if row["office"] and row["office"] not in OFFICES:
        out.append(("office", row["office"], f"is not empty or one of {', '.join(OFFICES)}"))
    primary = _checked_date(row["primary_date"])
    if primary is None:
        out.append(("primary_date", row["primary_date"], "is not a date YYYY-MM-DD"))
    if row["runoff_date"]:
        runoff = _checked_date(row["runoff_date"])
        if runoff is None:
            out.append(("runoff_date", row["runoff_date"], "is not empty or a date YYYY-MM-DD"))
        elif primary is not None and runoff <= primary:
            out.append(("runoff_date", row["runoff_date"], "is not after primary_date"))
    if row["sources_agreeing"] and not row["sources_agreeing"].isdigit():
        out.append(("sources_agreeing", row["sources_agreeing"], "is not a whole number"))
    return out


def _incumbent_row(row: dict[str, str]) -> list[tuple[str, str | None, str]]:
    out = []
    if not _RACE_ID.fullmatch(row["race_id"]):
        out.append(("race_id", row["race_id"], "is not a race id such as CA-12 or CA-SEN"))
    if row["incumbent"]:
        if not row["party"]:
            out.append(("party", None, "is empty for a seat with an incumbent"))
        if _checked_date(row["in_seat_since"]) is None:
            out.append(("in_seat_since", row["in_seat_since"], "is not a date YYYY-MM-DD"))
    elif row["party"] or row["in_seat_since"]:
        out.append(("incumbent", None, "is empty (a vacant seat) but party or date is not"))
    return out


def _duplicates(name: str, frame: pd.DataFrame, key: list[str]) -> list[Problem]:
    repeated = frame[frame.duplicated(key, keep="first")]
    return [
        Problem(f"data/reference/{name}", int(i) + 2, None, None, f"repeats the {'/'.join(key)}")
        for i in repeated.index
    ]


def primaries_frame() -> pd.DataFrame:
    """Every cycle's primary calendar as text, with its cycle; LoadRefused if a file is bad.
    `office` empty: all three offices; a row with an office overrides it for that office."""
    states = set(_states()["state"])
    frames, problems = [], []
    for cycle, name in cycle_files(PRIMARIES_FILE).items():
        frame = read_reference(name)
        columns = tuple(c for c in PRIMARY_COLUMNS if c != "cycle")
        found = _file_problems(name, frame, columns, lambda r: _primary_row(r, states))
        if not found:
            found = _duplicates(name, frame, ["state", "office"])
        problems.extend(found)
        frames.append(frame.assign(cycle=str(cycle)))
    if problems:
        raise LoadRefused(problems)
    return _stacked(frames, PRIMARY_COLUMNS)


def incumbents_frame() -> pd.DataFrame:
    """Every cycle's seat holders as text, with its cycle; LoadRefused if a file is bad.
    An empty `incumbent` is a vacant seat."""
    frames, problems = [], []
    for cycle, name in cycle_files(INCUMBENTS_FILE).items():
        frame = read_reference(name)
        columns = ("race_id", "incumbent", "party", "in_seat_since", "bioguide_id")
        found = _file_problems(name, frame, columns, _incumbent_row)
        if not found:
            found = _duplicates(name, frame, ["race_id"])
        problems.extend(found)
        if not found:
            frames.append(frame.assign(cycle=str(cycle), **_seats(frame["race_id"])))
    if problems:
        raise LoadRefused(problems)
    return _stacked(frames, INCUMBENT_COLUMNS)


def _seats(race_ids: pd.Series) -> dict[str, list[str]]:
    """The state, office and district (text; empty for the Senate) of each seat id."""
    parts = [str(r).partition("-") for r in race_ids]
    offices = ["senate" if seat == "SEN" else "house" for _, _, seat in parts]
    districts = [
        "" if seat == "SEN" else ("0" if seat == "AL" else str(int(seat or 0)))
        for _, _, seat in parts
    ]
    return {"state": [s for s, _, _ in parts], "office": offices, "district": districts}


def _stacked(frames: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    return pd.concat([f[list(columns)] for f in frames], ignore_index=True)


def _write_typed(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, columns: dict[str, str]
) -> None:
    """`table` from a frame of text: each column cast to its type, an empty text NULL."""
    con.register(f"{table}_frame", frame)
    typed = ", ".join(f"CAST(nullif({c}, '') AS {t}) AS {c}" for c, t in columns.items())
    con.execute(f"CREATE TABLE {table} AS SELECT {typed} FROM {table}_frame")  # noqa: S608
    con.unregister(f"{table}_frame")


def write_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The snapshot's copies of the reference facts: `states`, `districts`, and every
    cycle's `primaries` and `incumbents`."""
    primaries, incumbents = primaries_frame(), incumbents_frame()
    con.execute("CREATE TABLE states AS SELECT * FROM ref_states")
    con.register("districts_frame", districts_frame())
    typed = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in DISTRICT_COLUMNS.items())
    con.execute(f"CREATE TABLE districts AS SELECT {typed} FROM districts_frame")  # noqa: S608
    con.unregister("districts_frame")
    _write_typed(con, "primaries", primaries, PRIMARY_COLUMNS)
    _write_typed(con, "incumbents", incumbents, INCUMBENT_COLUMNS)
