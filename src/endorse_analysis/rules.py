"""The rules of contract §3 that live in Python: exact thresholds, and the words of a decision.

The rules themselves (jurisdiction, ballot, potential voters, vote status, tally, decision)
are SQL macros in sql/; `install_macros` puts them on a connection.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import duckdb

from endorse_analysis.sqlfiles import sql

RULE_FILES = (
    "jurisdiction",
    "contests",
    "ballot",
    "potential_voters",
    "vote_status",
    "tally",
    "results",
)
MAX_THRESHOLD_DIGITS = 18  # keeps every product inside 128-bit integers


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the rule macros (temporary, so read-only connections can have them too)."""
    for name in RULE_FILES:
        con.execute(sql(name))


class ThresholdError(ValueError):
    """A threshold that is not an exact decimal in its range."""


def parse_decimal(text: str, name: str) -> Fraction:
    """Read '0.6' as exactly 3/5; refuse what is not a plain finite decimal."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ThresholdError(f"{name} must be a decimal number such as 0.6, not {text!r}") from None
    if not value.is_finite():
        raise ThresholdError(f"{name} must be a finite decimal number, not {text!r}")
    if -value.as_tuple().exponent > MAX_THRESHOLD_DIGITS:
        raise ThresholdError(f"{name} may have at most {MAX_THRESHOLD_DIGITS} decimal places")
    if abs(value) >= 10**MAX_THRESHOLD_DIGITS:
        raise ThresholdError(f"{name} is too large: {text!r}")
    return Fraction(value)


def decimal_text(value: Fraction) -> str:
    """An exact decimal as text: 3/5 -> '0.6', 1 -> '1'."""
    text = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class Thresholds:
    """S (support), T (turnout) and M (minimum ballots), as exact fractions."""

    support: Fraction = Fraction(3, 5)
    turnout: Fraction = Fraction(1, 10)
    min_votes: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        if not 0 < self.support <= 1:
            raise ThresholdError("the support threshold must be more than 0 and at most 1")
        if not 0 <= self.turnout <= 1:
            raise ThresholdError("the minimum turnout must be between 0 and 1")
        if self.min_votes < 0:
            raise ThresholdError("the minimum number of ballots must be 0 or more")

    @classmethod
    def from_text(
        cls, support: str = "0.6", turnout: str = "0.1", min_votes: str = "1"
    ) -> Thresholds:
        return cls(
            parse_decimal(support, "the support threshold"),
            parse_decimal(turnout, "the minimum turnout"),
            parse_decimal(min_votes, "the minimum number of ballots"),
        )

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
        min_votes = self.min_votes
        return {
            "support_threshold": decimal_text(self.support),
            "min_turnout": decimal_text(self.turnout),
            "min_votes": int(min_votes) if min_votes.denominator == 1 else float(min_votes),
        }


def percent(part: int, whole: int) -> str:
    """part/whole as a percentage truncated to two decimals: 59.996% shows as 59.99%."""
    if whole == 0:
        return "–"
    hundredths = part * 10000 // whole
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def threshold_percent(value: Fraction) -> str:
    """A threshold as a percentage, exactly: 3/5 -> '60%', 2/3-ish decimals keep their digits."""
    return decimal_text(value * 100) + "%"


def support_figure(votes: int, ballots: int) -> str:
    return f"{votes:,} of {ballots:,} ballots ({percent(votes, ballots)})"


def turnout_figure(ballots: int, eligible: int) -> str:
    return f"{ballots:,} of {eligible:,} potential voters ({percent(ballots, eligible)})"


def reason(row: dict, thresholds: Thresholds) -> str:
    """One line, in words, with the figures behind a contest's decision."""
    decision = row["decision"]
    n, e = row["ballots_counted"], row["eligible_voters"]
    top, votes = row["top_choice"], row["top_votes"]
    s_text = threshold_percent(thresholds.support)
    t_text = threshold_percent(thresholds.turnout)
    if decision == "NO_CANDIDATES":
        return (
            "No candidate is on the ballot: none has a national request from a group in "
            "the jurisdiction together with cleared vetting and a passed questionnaire."
        )
    if decision == "NO_ENDORSEMENT":
        if n == 0:
            return "No ballots were counted."
        if top is None:
            return f"No candidate received a vote: all {n:,} counted ballots chose NO_ENDORSEMENT."
        figure = support_figure(votes, n)
        return f"Top choice {top} has {figure}, below the {s_text} support threshold."
    support = f"{top} has {support_figure(votes, n)}, at least the {s_text} support threshold"
    turnout = f"turnout {turnout_figure(n, e)}" if e else "no potential voters"
    if decision == "ENDORSE":
        return f"{support}; {turnout} meets the {t_text} minimum."
    why = []
    if row["tied"]:
        why.append(f"another candidate ties it with {votes:,} votes")
    if not row["enough_ballots"]:
        why.append(
            f"{n:,} ballots are fewer than the minimum of {decimal_text(thresholds.min_votes)}"
        )
    if not row["enough_turnout"]:
        why.append(f"{turnout} is below the {t_text} minimum")
    return f"{support}, but {' and '.join(why)}: for staff to review."
