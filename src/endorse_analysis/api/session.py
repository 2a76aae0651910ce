"""What an analyst's notebook works with: an open snapshot and the parameters of its run.

In: the parameters cell's text (cut-offs as decimal text). Out: a checked `Cutoffs`, and
the `Session` that `notebook.open_session` hands to the explore sections: the connection,
the wave, the thresholds, the instant, the cut-offs and the program's time zone. Each
analysis reads its parameters from here, so a notebook says a figure once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from endorse_analysis.parameters import CLOSE_VOTES, CUTOFFS, EARLY_HOURS, OUTLIER_Z
from endorse_analysis.rules.thresholds import FromText, ThresholdError, Thresholds


@dataclass(frozen=True)
class Cutoffs(FromText):
    """The analyst's cut-offs (not rules of the program): a contest is unusual at
    |z| >= outlier_z, close within close_votes ballots of a threshold, and early_hours
    is the early part of a window (arrivals, the decision as of that hour)."""

    SETTINGS = CUTOFFS

    outlier_z: float = OUTLIER_Z.value
    close_votes: int = CLOSE_VOTES.value
    early_hours: int = EARLY_HOURS.value

    def __post_init__(self) -> None:
        if not self.outlier_z > 0:
            raise ThresholdError("the outlier cut-off must be more than 0 standard deviations")
        if self.close_votes < 0:
            raise ThresholdError("the closeness band must be 0 or more ballots")
        if self.early_hours <= 0:
            raise ThresholdError("the early hours must be 1 or more")


@dataclass
class Session:
    """An open snapshot and the run's parameters, checked."""

    con: duckdb.DuckDBPyConnection
    wave: str
    thresholds: Thresholds
    as_of: datetime | None
    cutoffs: Cutoffs = field(default_factory=Cutoffs)
    timezone: str = "UTC"
