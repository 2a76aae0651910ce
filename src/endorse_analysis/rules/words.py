"""How a figure and a decision are said to a person (docs/rules.md §3).

In: exact counts and a contest's tally row. Out: text. A percentage is truncated, never
rounded up (59.996% shows as 59.99%, never 60%), and shown next to its counts ("74 of
106"); every decision carries a one-line reason in words with the figures behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction

from endorse_analysis.rules.thresholds import Thresholds, decimal_text
from endorse_analysis.vocabulary import (
    APPROVAL,
    ENDORSE,
    NO_CANDIDATES,
    NO_ENDORSEMENT,
    NO_ENDORSEMENT_WORDS,
    NO_FIGURE,
    RANKED,
)


def known_ids(given: str, known: Sequence[str], kind: str) -> str:
    """What to tell a person whose id is not among `known`: the one that differs only by
    case ("did you mean 'CA-22'?"), else the ids there are ("its races: AK-AL, …")."""
    same = [k for k in known if k.lower() == given.lower()]
    if same:
        return f"did you mean {same[0]!r}?"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"its {kind}: {shown or 'none'}"


def truncated_percent(value: Fraction) -> str:
    """An exact share as a percentage truncated to two decimals: 0.59996 -> '59.99%'."""
    hundredths = value.numerator * 10000 // value.denominator
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def percent(part: int, whole: int) -> str:
    """part/whole as a truncated percentage; '–' when whole is 0."""
    if whole == 0:
        return NO_FIGURE
    return truncated_percent(Fraction(int(part), int(whole)))


def float_percent(value: float | None) -> str:
    """A share held as a float (a median, an interval bound) as a truncated percentage.
    The float is first read back as the small fraction it stands for, so that 0.6 (stored
    as 0.59999999999999997...) shows as 60.00%, not 59.99%."""
    if value is None or value != value:
        return NO_FIGURE
    return truncated_percent(Fraction(float(value)).limit_denominator(10**9))


def threshold_percent(value: Fraction) -> str:
    """A threshold as a percentage, exactly: 3/5 -> '60%'; more digits are kept, not cut.
    One with no exact decimal is said as its fraction: 2/3 -> '2/3 (66.66%)'."""
    hundredfold = Fraction(value) * 100
    rest = hundredfold.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return f"{value.numerator}/{value.denominator} ({truncated_percent(Fraction(value))})"
    return decimal_text(hundredfold) + "%"


def support_figure(votes: int, ballots: int) -> str:
    """'74 of 106 ballots (69.81%)'."""
    return f"{votes:,} of {ballots:,} ballots ({percent(votes, ballots)})"


def choice_figure(votes: int, ballots: int, label: str) -> str:
    """'74 of 106 members who voted chose Ana Alvarez: 69.81%'."""
    return f"{votes:,} of {ballots:,} members who voted chose {label}: {percent(votes, ballots)}"


def turnout_figure(ballots: int, eligible: int) -> str:
    """'106 of 950 potential voters (11.15%)'."""
    return f"{ballots:,} of {eligible:,} potential voters ({percent(ballots, eligible)})"


def reason(row: dict, thresholds: Thresholds, label: Callable[[str], str] = str) -> str:
    """One line, in words, with the figures behind a contest's computed decision; `label`
    turns the top choice's id into what the reader sees (a page: its name and id). An
    approval or ranked contest (contract §5) says its method and what it counted."""
    said = _single_reason(row, thresholds, label)
    method = row.get("method")
    if method == APPROVAL and row["decision"] != NO_CANDIDATES:
        return f"Approval: {said} {approved_words(row, thresholds, label)}"
    if method == RANKED and row["decision"] != NO_CANDIDATES and row.get("rounds"):
        return f"Ranked choice, {runoff_words(row)}: {said}"
    return said


def approved_words(row: dict, thresholds: Thresholds, label: Callable[[str], str] = str) -> str:
    """The sentence naming every candidate approved by at least S of N."""
    s_text = threshold_percent(thresholds.support)
    names = [label(c) for c in row.get("approved_enough") or []]
    if not names:
        return f"No candidate is approved by at least {s_text} of the ballots."
    return f"Approved by at least {s_text} of the ballots: {', '.join(names)}."


def runoff_words(row: dict) -> str:
    """'after 3 rounds of instant runoff (4 ballots ranked no one still standing)'."""
    rounds = int(row["rounds"])
    text = "counted in one round" if rounds == 1 else f"after {rounds} rounds of instant runoff"
    exhausted = int(row.get("exhausted") or 0)
    if exhausted:
        text += f" ({exhausted:,} ballot(s) ranked no one still standing)"
    return text


def _single_reason(row: dict, thresholds: Thresholds, label: Callable[[str], str]) -> str:
    decision = row["decision"]
    n, e = row["ballots_counted"], row["eligible_voters"]
    top, votes = row["top_choice"], row["top_votes"]
    top = None if top is None else label(top)
    s_text = threshold_percent(thresholds.support)
    t_text = threshold_percent(thresholds.turnout)
    if decision == NO_CANDIDATES:
        return (
            "No candidate is on the ballot: none has a national request from a group in "
            "the jurisdiction together with cleared vetting and a passed questionnaire."
        )
    if decision == NO_ENDORSEMENT:
        if n == 0:
            return "No ballots were counted."
        if top is None:
            chose = f"all {n:,} counted ballots chose {NO_ENDORSEMENT_WORDS}"
            return f"No candidate received a vote: {chose}."
        figure = support_figure(votes, n)
        return f"Top choice {top} has {figure}, below the {s_text} support threshold."
    support = f"{top} has {support_figure(votes, n)}, at least the {s_text} support threshold"
    turnout = f"turnout {turnout_figure(n, e)}" if e else "no potential voters"
    if decision == ENDORSE:
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


def ruling_words(row: dict) -> str | None:
    """A staff ruling in words, from a tally row: 'override of ENDORSE by Jo Park on
    2026-03-12: note' or 'ruling by Jo Park on 2026-03-12'; None without a ruling."""
    if row.get("ruling_decision") is None:
        return None
    kind = f"override of {row['decision']}" if row.get("ruling_override") else "ruling"
    when = row.get("ruling_at")
    when_text = f" on {when:%Y-%m-%d}" if when is not None else ""
    note = f": {row['ruling_note']}" if row.get("ruling_note") else ""
    return f"{kind} by {row['ruling_by']}{when_text}{note}"


def ruling_short(row: dict) -> str | None:
    """A ruling in a few words for csv and terminal tables: 'ENDORSE C1 (override)'."""
    if row.get("ruling_decision") is None:
        return None
    text = str(row["ruling_decision"])
    if row.get("ruling_candidate"):
        text += f" {row['ruling_candidate']}"
    return text + (" (override)" if row.get("ruling_override") else "")


def method_rule(method: str | None, thresholds: Thresholds) -> str | None:
    """The counting rule of an approval or ranked contest in words (contract §5); None for
    a single-choice one, whose rule every page already states."""
    s_text = threshold_percent(thresholds.support)
    if method == APPROVAL:
        return (
            "Counted by approval: each ballot approves one or more candidates, or none of "
            f"them; a candidate is endorsed when approved by at least {s_text} of all counted "
            "ballots and by more ballots than any other candidate."
        )
    if method == RANKED:
        return (
            "Counted by ranked choice (instant runoff): each ballot counts for its highest-"
            "ranked option still standing; round by round the candidate with the fewest "
            "votes is eliminated and their ballots pass on, until a candidate has at least "
            f"{s_text} of all counted ballots or one candidate is left. A ballot that ranks "
            "no one still standing is exhausted: it stays in the count and supports no one."
        )
    return None
