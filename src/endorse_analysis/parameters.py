"""Every parameter a person can set, once: its name, default, type and one line of help.

In: nothing. Out: `Setting`s that the command line (options and their help), the
thresholds and cut-offs (`rules.thresholds`, `api.session`), the notebooks' setup
(`notebook.py`), the templates and each notebook's parameters cell read; a test checks
every parameters cell against them. A default is written as text, the way a command line
or a notebook writes it, and read exactly (0.6 is 3/5).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Setting:
    """A parameter: `name` (as a notebook's parameters cell and, with hyphens, an option
    spell it), `default` as text, the `type` it is read as, one line of `help`, the
    `words` an error message calls it by, and the `symbol` the rules write it as."""

    name: str
    default: str
    type: type
    help: str
    words: str
    symbol: str = ""

    @property
    def value(self) -> Fraction | int | float | str:
        """The default, read as its type (exactly, for a fraction)."""
        return self.type(self.default)

    @property
    def option(self) -> str:
        """The command line's spelling: --support-threshold."""
        return "--" + self.name.replace("_", "-")

    def help_with_default(self) -> str:
        return f"{self.help} (default {self.default})"


# The thresholds of a decision (docs/rules.md, §3).
SUPPORT = Setting(
    "support_threshold", "0.6", Fraction,
    "share of ballots the top choice needs, in (0, 1]: a decimal (0.6) or a fraction (2/3)",
    "the support threshold", "S",
)  # fmt: skip
MIN_TURNOUT = Setting(
    "min_turnout", "0.1", Fraction,
    "ballots / potential voters needed to endorse, in [0, 1]: a decimal or a fraction",
    "the minimum turnout", "T",
)  # fmt: skip
MIN_VOTES = Setting(
    "min_votes", "1", Fraction,
    "ballots needed to endorse, 0 or more", "the minimum number of ballots", "M",
)  # fmt: skip
THRESHOLDS = (SUPPORT, MIN_TURNOUT, MIN_VOTES)

# The analyst's cut-offs (not rules of the program).
OUTLIER_Z = Setting(
    "outlier_z", "3", float,
    "a contest is unusual this many standard deviations from expectation",
    "the outlier cut-off",
)  # fmt: skip
CLOSE_VOTES = Setting(
    "close_votes", "1", int,
    "a contest is close within this many ballots of a threshold",
    "the closeness band (ballots)",
)  # fmt: skip
EARLY_HOURS = Setting(
    "early_hours", "24", int,
    "the early part of a window: arrivals, the decision as of that hour", "the early hours",
)  # fmt: skip
CUTOFFS = (OUTLIER_Z, CLOSE_VOTES, EARLY_HOURS)

# The competitiveness bands of a race's 2024 margin (api.context), in points.
TOSS_UP = Setting(
    "toss_up", "5", int, "points of margin: a toss-up is within this either way",
    "the toss-up cut-off",
)  # fmt: skip
LEAN = Setting(
    "lean", "10", int, "points of margin: a lean is within this (beyond a toss-up)",
    "the lean cut-off",
)  # fmt: skip

# The sign-up figures of the reach notebook (api.explore.reach), published together.
SIGNUP_UNIT = Setting(
    "signup_unit", "month", str, "the period sign-ups are counted per", "the sign-up period"
)
DAYS_BEFORE_DEADLINE = Setting(
    "days_before_deadline", "28", int, "days of sign-ups shown before each deadline",
    "the days before a deadline",
)  # fmt: skip
DAYS_AFTER_DEADLINE = Setting(
    "days_after_deadline", "7", int, "days of sign-ups shown after each deadline",
    "the days after a deadline",
)  # fmt: skip
RUSH_DAYS = Setting(
    "rush_days", "7", int, "the last days before a deadline that make its rush",
    "the days of the rush",
)  # fmt: skip
BASELINE_WEEKS = Setting(
    "baseline_weeks", "8", int, "weeks before the rush whose pace it is compared with",
    "the baseline weeks",
)  # fmt: skip

SETTINGS = {
    s.name: s
    for s in (
        *THRESHOLDS,
        *CUTOFFS,
        TOSS_UP,
        LEAN,
        SIGNUP_UNIT,
        DAYS_BEFORE_DEADLINE,
        DAYS_AFTER_DEADLINE,
        RUSH_DAYS,
        BASELINE_WEEKS,
    )
}
