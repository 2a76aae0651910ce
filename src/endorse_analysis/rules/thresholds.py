"""The thresholds of a decision (docs/rules.md §3, §4 and §5) as exact fractions.

In: text such as "0.6" or "2/3" from a command line or a notebook's parameters. Out: a
`Thresholds` of exact fractions (0.6 is 3/5, 2/3 two thirds), whose integer pairs the tally
macro compares in 128-bit integers. Never a float: 3 of 5 is 60% and passes S = 0.6. A
threshold written as a fraction is spelled back as one, in lowest terms ("4/6" -> "2/3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import ClassVar, Self

from endorse_analysis.parameters import MIN_TURNOUT, MIN_VOTES, SUPPORT, THRESHOLDS, Setting

MAX_THRESHOLD_DIGITS = 18  # keeps every product inside 128-bit integers
MAX_FRACTION_DIGITS = 1000  # a fraction's terms before reduction, which may shorten them
# The decimals a threshold is written as: digits with an optional fraction (0.6, .6, 1,
# 1.0), ASCII only. No exponent (1e1), no digit separators (1_000), no '+', no other
# digits; a '-' is read so that a negative threshold is refused for its range.
_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# A fraction p/q (contract §5): ASCII digits, leading zeros allowed, no sign, no spaces.
_FRACTION = re.compile(r"([0-9]+)/([0-9]+)")


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


def is_fraction_text(text: str) -> bool:
    """Whether a threshold is written as a fraction (it holds a '/')."""
    return "/" in str(text)


def parse_fraction(text: str, name: str) -> Fraction:
    """Read '2/3' as exactly two thirds; refuse '2 / 3', '+2/3', '2/0', '2.5/3'."""
    found = _FRACTION.fullmatch(str(text))
    if not found:
        raise ThresholdError(
            f"{name} must be a fraction of two whole numbers such as 2/3 (digits only, no "
            f"sign, no spaces), not {text!r}"
        )
    digits = [part.lstrip("0") for part in found.groups()]
    if any(len(d) > MAX_FRACTION_DIGITS for d in digits):  # int() of more is refused
        raise ThresholdError(f"{name} has too many digits: {text!r}")
    p, q = (int(d or "0") for d in digits)
    if q == 0:
        raise ThresholdError(f"{name} must not divide by zero: {text!r}")
    value = Fraction(p, q)  # in lowest terms: 10**18/10**18 is 1/1
    if max(value.numerator, value.denominator) >= 10**MAX_THRESHOLD_DIGITS:
        raise ThresholdError(
            f"{name} may have at most {MAX_THRESHOLD_DIGITS} digits in lowest terms: {text!r}"
        )
    return value


def parse_threshold(text: str, name: str, example: str = "0.6") -> Fraction:
    """A threshold written as a decimal ('0.6') or a fraction ('2/3'), read exactly."""
    if is_fraction_text(text):
        return parse_fraction(text, name)
    return parse_decimal(text, name, example)


def fraction_text(value: Fraction) -> str:
    """A fraction in lowest terms: 4/6 -> '2/3', 2 -> '2/1'."""
    return f"{value.numerator}/{value.denominator}"


def _finite_decimal(value: Fraction) -> bool:
    """Whether a fraction has an exact decimal (its denominator holds only 2s and 5s)."""
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    return rest == 1


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
    # The thresholds written as fractions ("support", "turnout"): they are spelled back as
    # fractions.
    as_fractions: frozenset[str] = field(default=frozenset(), compare=False)

    def __post_init__(self) -> None:
        if not 0 < self.support <= 1:
            raise ThresholdError("the support threshold must be more than 0 and at most 1")
        if not 0 <= self.turnout <= 1:
            raise ThresholdError("the minimum turnout must be between 0 and 1")
        if self.min_votes < 0:
            raise ThresholdError("the minimum number of ballots must be 0 or more")

    @classmethod
    def from_text(cls, *texts: str, **named: str) -> Self:
        """S and T from a decimal or a fraction ('2/3'), M from a decimal (a count), each
        the setting's default where none is given (docs/rules.md §5)."""
        names = [s.name for s in cls.SETTINGS]
        given = dict(zip(names, texts, strict=False)) | named
        text = {s.name: str(given.get(s.name, s.default)) for s in cls.SETTINGS}
        fractions = (("support", SUPPORT), ("turnout", MIN_TURNOUT))
        return cls(
            *(parse_threshold(text[s.name], s.words, s.default) for _, s in fractions),
            read_setting(MIN_VOTES, text[MIN_VOTES.name]),
            frozenset(f for f, s in fractions if is_fraction_text(text[s.name])),
        )

    def spelled(self, name: str) -> str:
        """One threshold as an output spells it: a fraction in lowest terms when it was
        written as one ("2/3"), else exact decimal text ("0.6")."""
        value = getattr(self, name)
        if name in self.as_fractions or not _finite_decimal(value):
            return fraction_text(value)  # 2/3 built in code has no exact decimal either
        return decimal_text(value)

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
            "support_threshold": self.spelled("support"),
            "min_turnout": self.spelled("turnout"),
            "min_votes": int(min_votes) if min_votes.denominator == 1 else decimal_text(min_votes),
        }

    def as_text(self) -> dict[str, str]:
        """The three thresholds as exact decimal text, as a page's figures and a notebook's
        parameters carry them: {"support_threshold": "0.6", "min_turnout": "1/10", ...}."""
        return {
            "support_threshold": self.spelled("support"),
            "min_turnout": self.spelled("turnout"),
            "min_votes": self.spelled("min_votes"),
        }
