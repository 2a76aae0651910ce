"""The thresholds of a decision (docs/rules.md §3 and §4) as exact fractions.

In: decimal text such as "0.6" from a command line or a notebook's parameters. Out: a
`Thresholds` of exact fractions (0.6 is 3/5), whose integer pairs the tally macro compares
in 128-bit integers. Never a float: 3 of 5 is 60% and passes S = 0.6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Self

from endorse_analysis.parameters import MIN_TURNOUT, MIN_VOTES, SUPPORT, THRESHOLDS, Setting

MAX_THRESHOLD_DIGITS = 18  # keeps every product inside 128-bit integers
# The decimals a threshold is written as: digits with an optional fraction (0.6, .6, 1,
# 1.0), ASCII only. No exponent (1e1), no digit separators (1_000), no '+', no other
# digits; a '-' is read so that a negative threshold is refused for its range.
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class ThresholdError(ValueError):
    """A threshold that is not an exact decimal in its range."""


def parse_decimal(text: str, name: str, example: str = "0.6") -> Fraction:
    """Read '0.6' as exactly 3/5; refuse what is not a plain decimal (surrounding spaces
    are trimmed, as in the input files), naming `example` as one that is."""
    written = str(text).strip(" ")
    if not _DECIMAL.fullmatch(written):
        raise ThresholdError(f"{name} must be a decimal number such as {example}, not {text!r}")
    value = Decimal(written)
    if -value.as_tuple().exponent > MAX_THRESHOLD_DIGITS:
        raise ThresholdError(f"{name} may have at most {MAX_THRESHOLD_DIGITS} decimal places")
    if abs(value) >= 10**MAX_THRESHOLD_DIGITS:
        raise ThresholdError(f"{name} is too large: {text!r}")
    return Fraction(value)


def read_setting(setting: Setting, text: str) -> Fraction | int | float:
    """A parameter's text read as its setting's type: an exact fraction, a whole number or
    a float, each written as a plain decimal."""
    value = parse_decimal(text, setting.words, setting.default)
    if setting.type is int:
        if value.denominator != 1:
            raise ThresholdError(f"{setting.words} must be a whole number, not {text!r}")
        return int(value)
    return float(value) if setting.type is float else value


class FromText:
    """`from_text` for a dataclass whose fields are, in order, the given settings."""

    SETTINGS: ClassVar[tuple[Setting, ...]] = ()

    @classmethod
    def from_text(cls, *texts: str, **named: str) -> Self:
        """Read each field from its text (the setting's default where none is given)."""
        names = [s.name for s in cls.SETTINGS]
        given = dict(zip(names, texts, strict=False)) | named
        return cls(*(read_setting(s, given.get(s.name, s.default)) for s in cls.SETTINGS))


def decimal_text(value: Fraction) -> str:
    """An exact decimal as text: 3/5 -> '0.6', 1 -> '1'."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class Thresholds(FromText):
    """S (support), T (turnout) and M (minimum ballots), as exact fractions;
    `Thresholds.from_text("0.6", "0.1", "1")` reads them from decimal text."""

    SETTINGS = THRESHOLDS

    support: Fraction = SUPPORT.value
    turnout: Fraction = MIN_TURNOUT.value
    min_votes: Fraction = MIN_VOTES.value

    def __post_init__(self) -> None:
        if not 0 < self.support <= 1:
            raise ThresholdError("the support threshold must be more than 0 and at most 1")
        if not 0 <= self.turnout <= 1:
            raise ThresholdError("the minimum turnout must be between 0 and 1")
        if self.min_votes < 0:
            raise ThresholdError("the minimum number of ballots must be 0 or more")

    def sql_parameters(self) -> dict[str, int]:
        """The fractions as integer pairs for the tally macro."""
        return {
            "sp": self.support.numerator,
            "sq": self.support.denominator,
            "tp": self.turnout.numerator,
            "tq": self.turnout.denominator,
            "mp": self.min_votes.numerator,
            "mq": self.min_votes.denominator,
        }

    def as_json(self) -> dict[str, object]:
        """The `parameters` object of `tally --format json` (docs/rules.md §4): a whole
        `min_votes` is a JSON integer as the contract shows it; any other is decimal text,
        like the other thresholds, since a float would not be exact."""
        min_votes = self.min_votes
        return {
            "support_threshold": decimal_text(self.support),
            "min_turnout": decimal_text(self.turnout),
            "min_votes": int(min_votes) if min_votes.denominator == 1 else decimal_text(min_votes),
        }

    def as_text(self) -> dict[str, str]:
        """The three thresholds as exact decimal text, as a page's figures and a notebook's
        parameters carry them: {"support_threshold": "0.6", "min_turnout": "0.1", ...}."""
        return {
            "support_threshold": decimal_text(self.support),
            "min_turnout": decimal_text(self.turnout),
            "min_votes": decimal_text(self.min_votes),
        }
