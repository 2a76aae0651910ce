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

from endorse_analysis.rules.thresholds import ThresholdError, Thresholds, parse_decimal


@dataclass(frozen=True)
class Cutoffs:
    """The analyst's cut-offs (not rules of the contract): a contest is unusual at
    |z| >= outlier_z, close within close_votes ballots of a threshold, and early_hours
    is the early part of a window (arrivals, the decision as of that hour)."""

    outlier_z: float = 3.0
    close_votes: int = 1
    early_hours: int = 24

    def __post_init__(self) -> None:
        if not self.outlier_z > 0:
            raise ThresholdError("the outlier cut-off must be more than 0 standard deviations")
        if self.close_votes < 0:
            raise ThresholdError("the closeness band must be 0 or more ballots")
        if self.early_hours <= 0:
            raise ThresholdError("the early hours must be 1 or more")

    @classmethod
    def from_text(
        cls, outlier_z: str = "3", close_votes: str = "1", early_hours: str = "24"
    ) -> Cutoffs:
        return cls(
            float(parse_decimal(outlier_z, "the outlier cut-off")),
            _whole(close_votes, "the closeness band (ballots)"),
            _whole(early_hours, "the early hours"),
        )


def _whole(text: str, name: str) -> int:
    value = parse_decimal(text, name)
    if value.denominator != 1:
        raise ThresholdError(f"{name} must be a whole number, not {text!r}")
    return int(value)


@dataclass
class Session:
    """An open snapshot and the run's parameters, checked."""

    con: duckdb.DuckDBPyConnection
    wave: str
    thresholds: Thresholds
    as_of: datetime | None
    cutoffs: Cutoffs = field(default_factory=Cutoffs)
    timezone: str = "UTC"
