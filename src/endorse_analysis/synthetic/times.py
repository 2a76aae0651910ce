"""The calendar of the demo: the four voting waves of 2026, and U.S. Eastern time.

In: nothing (the waves are fixed facts of the demo). Out:

- ``WAVES``: the rows of waves.csv (``waves_table``), and ``WAVE_CLOCK``: the same
  instants as numbers, with the rule of who may vote in a wave;
- conversions of instants to Eastern wall-clock time with its UTC offset (``-05:00`` in
  winter, ``-04:00`` while daylight saving time is in force), for one instant and for
  arrays of millions.

Every instant of the demo is held as whole seconds since 1970-01-01T00:00:00Z (UTC), an
``int`` or a ``numpy.int64`` array. The offsets come from the time zone database
(``zoneinfo``); an array is converted with the handful of instants at which the offset
changes, so no instant is looked up one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

EASTERN = ZoneInfo("America/New_York")
HOUR = 3600
DAY = 86400


class Wave(NamedTuple):
    """One row of waves.csv."""

    wave_id: str
    name: str
    opens_at: str
    closes_at: str
    signup_closes_at: str
    method: str = ""  # contract §5: empty is single


# The March window spans the start of daylight saving time (Sunday 2026-03-08). April is
# counted by ranked choice and May by approval (contract §5), so every page kind shows
# each method; March and July are single-choice.
WAVES = (
    Wave(
        "2026-03",
        "March 2026 endorsement vote",
        "2026-03-05T09:00:00-05:00",
        "2026-03-09T21:00:00-04:00",
        "2026-02-26T23:59:59-05:00",
    ),
    Wave(
        "2026-04",
        "April 2026 endorsement vote",
        "2026-04-14T09:00:00-04:00",
        "2026-04-17T21:00:00-04:00",
        "2026-04-07T23:59:59-04:00",
        "ranked",
    ),
    Wave(
        "2026-05",
        "May 2026 endorsement vote",
        "2026-05-12T09:00:00-04:00",
        "2026-05-15T21:00:00-04:00",
        "2026-05-05T23:59:59-04:00",
        "approval",
    ),
    Wave(
        "2026-07",
        "July 2026 endorsement vote",
        "2026-07-14T09:00:00-04:00",
        "2026-07-17T21:00:00-04:00",
        "2026-07-07T23:59:59-04:00",
    ),
)
WAVE_COUNT = len(WAVES)


def waves_table() -> pd.DataFrame:
    """The rows of waves.csv."""
    return pd.DataFrame(WAVES, columns=list(Wave._fields))


def utc_seconds(timestamp: str) -> int:
    """An ISO 8601 timestamp with its offset, as seconds since the epoch."""
    return int(datetime.fromisoformat(timestamp).timestamp())


@dataclass(frozen=True)
class WaveClock:
    """The instants of each wave (index: position in ``WAVES``), as seconds since the epoch."""

    opens: np.ndarray
    closes: np.ndarray
    signup_closes: np.ndarray

    def eligible(self, signed_up_at: np.ndarray, opted_out_at: np.ndarray, wave: int) -> np.ndarray:
        """Who may vote in a wave: signed up before its sign-up deadline and not opted out
        before it opens (opting out at the very opening still leaves the vote)."""
        return (signed_up_at < self.signup_closes[wave]) & (opted_out_at >= self.opens[wave])


WAVE_CLOCK = WaveClock(
    opens=np.array([utc_seconds(w.opens_at) for w in WAVES]),
    closes=np.array([utc_seconds(w.closes_at) for w in WAVES]),
    signup_closes=np.array([utc_seconds(w.signup_closes_at) for w in WAVES]),
)


def eastern_date(instant: int) -> str:
    """The date in Eastern time of one instant: ``2026-02-20``."""
    return datetime.fromtimestamp(instant, EASTERN).strftime("%Y-%m-%d")


class WallClock(NamedTuple):
    """Instants as an Eastern wall clock shows them."""

    seconds: np.ndarray  # the local date and time, counted in seconds from 1970-01-01 00:00
    offset: np.ndarray  # each instant's UTC offset, as an index into ``offsets``
    offsets: tuple[str, ...]  # the offsets that occur, as written: "-05:00", "-04:00"


def eastern_wall_clock(instants: np.ndarray) -> WallClock:
    """Eastern wall-clock time and UTC offset of every instant of an array."""
    instants = np.asarray(instants, dtype=np.int64)
    if instants.size == 0:
        return WallClock(instants.copy(), np.zeros(0, dtype=np.int32), ())
    changes, period_offsets = _offset_changes(_year(instants.min()), _year(instants.max()))
    period = np.searchsorted(changes, instants, side="right")
    distinct, period_code = np.unique(period_offsets, return_inverse=True)
    offset = period_code[period].astype(np.int32)
    texts = tuple(_offset_text(int(seconds)) for seconds in distinct)
    return WallClock(instants + distinct[offset], offset, texts)


def eastern_seconds(instants: np.ndarray) -> np.ndarray:
    """Eastern local date and time of each instant, in seconds from 1970-01-01 00:00."""
    return eastern_wall_clock(instants).seconds


def _year(instant: int) -> int:
    return datetime.fromtimestamp(int(instant), UTC).year


def _offset_at(instant: int) -> int:
    """Seconds to add to UTC to get Eastern time (negative: the zone is behind UTC)."""
    return int(datetime.fromtimestamp(instant, EASTERN).utcoffset().total_seconds())


@cache
def _offset_changes(first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """When the Eastern UTC offset changes between the start of ``first_year`` and the
    end of ``last_year`` (UTC), and the offset of each period between the changes.

    Returns ``changes`` (n instants, ascending) and ``offsets`` (n + 1 values): before
    ``changes[0]`` the offset is ``offsets[0]``; from ``changes[i]`` on, ``offsets[i + 1]``.
    The zone is asked once a day and, where two days differ, the second of the change is
    found by bisection: the zone never changes its offset twice within a day.
    """
    start = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    days = range(start, end + DAY, DAY)
    offsets = [_offset_at(day) for day in days]
    changes = [
        _first_second_after_change(day, day + DAY)
        for day, today, tomorrow in zip(days, offsets, offsets[1:], strict=False)
        if today != tomorrow
    ]
    kept = [offsets[0]] + [_offset_at(change) for change in changes]
    return np.array(changes, dtype=np.int64), np.array(kept, dtype=np.int64)


def _first_second_after_change(before: int, after: int) -> int:
    """The first second in (before, after] whose offset is no longer that of ``before``."""
    old = _offset_at(before)
    while after - before > 1:
        middle = (before + after) // 2
        if _offset_at(middle) == old:
            before = middle
        else:
            after = middle
    return after


def _offset_text(seconds: int) -> str:
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
