"""Outcomes (notebooks/explore_outcomes.ipynb): support against turnout, each contest's
margins to the thresholds in ballots, the decisions under other thresholds, and an approval
or ranked wave's decisions against a single-choice count of its first preferences.

In: an open connection and thresholds. Out: DataFrames; every decision comes from `tally`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

import duckdb
import pandas as pd

from endorse_analysis.api.explore.common import CONTEST_FIGURES
from endorse_analysis.api.explore.enthusiasm import contest_summary
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import tally
from endorse_analysis.rules.margins import contest_margins
from endorse_analysis.rules.thresholds import Thresholds, decimal_text
from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import (
    DECISIONS,
    ENDORSE,
    NO_CANDIDATES,
    NO_ENDORSEMENT,
    REVIEW,
    SINGLE,
)


def _share_text(value: Fraction) -> str:
    """3/5 -> '60%'; a fraction with no short decimal (2/3) stays a fraction: '2/3'."""
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1 and len(decimal_text(value * 100)) <= 8:
        return threshold_percent(value)
    return f"{value.numerator}/{value.denominator}"


def threshold_label(t: Thresholds) -> str:
    """'S 60% · T 10% · M 1' (or 'S 2/3 · ...'): a column name for a set of thresholds."""
    return (
        f"S {_share_text(t.support)} · T {_share_text(t.turnout)} · M {decimal_text(t.min_votes)}"
    )


def support_vs_turnout(
    con: duckdb.DuckDBPyConnection, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Every contest of every wave with a top choice: its top share, turnout and decision."""
    frame = contest_summary(con, thresholds=thresholds)
    frame = frame[frame["top_choice"].notna()]
    return frame[[*CONTEST_FIGURES, "decision"]].reset_index(drop=True)


def threshold_margins(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """How close each contest with a top choice was to the thresholds, in ballots (the
    margins of `rules.margins`, exact): support_surplus (top votes minus the fewest that
    reach S of N; negative: short), turnout_surplus and min_votes_surplus likewise."""
    thresholds = thresholds or Thresholds()
    frame = tally(con, wave_id, thresholds)
    frame = frame[frame["top_choice"].notna()].reset_index(drop=True)
    margins = pd.DataFrame(
        [
            contest_margins(int(n), int(e), int(v), thresholds)
            for n, e, v in zip(
                frame["ballots_counted"], frame["eligible_voters"], frame["top_votes"], strict=True
            )
        ],
        columns=list(MARGIN_COLUMNS),
    )
    return pd.concat([frame[[*CONTEST_FIGURES, "decision"]], margins], axis=1)


def close_contests(margins: pd.DataFrame, close_votes: int) -> pd.DataFrame:
    """The contests of a `threshold_margins` table within `close_votes` ballots of the
    support or the turnout threshold, either side."""
    near = (margins["support_surplus"].abs() <= close_votes) | (
        margins["turnout_surplus"].abs() <= close_votes
    )
    return margins[near].reset_index(drop=True)


def threshold_variants(thresholds: Thresholds) -> list[Thresholds]:
    """The run's thresholds first, then a simple majority, a two-thirds majority, half
    and twice the minimum turnout, and a minimum of 10 ballots (each once)."""
    variants = [thresholds]
    for change in (
        {"support": Fraction(1, 2)},
        {"support": Fraction(2, 3)},
        {"turnout": thresholds.turnout / 2},
        {"turnout": min(thresholds.turnout * 2, Fraction(1))},
        {"min_votes": Fraction(10)},
    ):
        variant = replace(thresholds, **change)
        if variant not in variants:
            variants.append(variant)
    return variants


MARGIN_COLUMNS = (
    "support_needed",
    "support_surplus",
    "turnout_needed",
    "turnout_surplus",
    "min_votes_surplus",
)


def threshold_sensitivity(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Sequence[Thresholds]
) -> pd.DataFrame:
    """The decision of every contest of the wave under each set of thresholds (one column
    per set, named by `threshold_label`, the first set being the baseline), computed by
    `endorse_analysis.tally`; `changed` is true where any set decides differently from the
    first. Sorted by race_id."""
    if not thresholds:
        raise ValueError("give at least one set of thresholds")
    labels = [threshold_label(t) for t in thresholds]
    if len(set(labels)) != len(labels):
        raise ValueError("the sets of thresholds must differ")
    base = tally(con, wave_id, thresholds[0])
    out = base[CONTEST_FIGURES].copy()
    for label, t in zip(labels, thresholds, strict=True):
        decided = tally(con, wave_id, t).set_index("race_id")["decision"]
        out[label] = out["race_id"].map(decided)
    out["changed"] = out[labels].ne(out[labels[0]], axis=0).any(axis=1)
    return out.sort_values("race_id").reset_index(drop=True)


def sensitivity_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Decisions per set of thresholds, from a `threshold_sensitivity` table."""
    labels = [c for c in table.columns if c.startswith("S ")]
    counts = {label: table[label].value_counts() for label in labels}
    return (
        pd.DataFrame(counts)
        .reindex(list(DECISIONS))
        .fillna(0)
        .astype("int64")
        .rename_axis("decision")
    )


def single_choice_decision(
    votes: dict[str, int], ballots: int, eligible: int, on_ballot: int, thresholds: Thresholds
) -> tuple[str | None, str]:
    """The top choice and decision of contract §3 for one contest's single-choice counts
    (`votes` of the ballot candidates), in exact integers."""
    if on_ballot == 0:
        return None, NO_CANDIDATES
    candidates = sorted(votes.items(), key=lambda item: (-item[1], item[0]))
    top, top_votes = candidates[0] if candidates and candidates[0][1] > 0 else (None, 0)
    s = thresholds.support
    if ballots == 0 or top is None or top_votes * s.denominator < s.numerator * ballots:
        return top, NO_ENDORSEMENT
    tied = sum(1 for _, v in candidates if v == top_votes) > 1
    enough = ballots >= thresholds.min_votes and ballots >= thresholds.turnout * eligible
    return top, ENDORSE if enough and not tied else REVIEW


def method_comparison(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """Each contest of an approval or ranked wave (contract §5) decided by its method and
    by a single-choice count of the same counted ballots' first preferences (the first
    option each ballot names): the top choice and decision of each, and whether they
    differ. Empty for a single-choice wave."""
    thresholds = thresholds or Thresholds()
    frame = tally(con, wave_id, thresholds)
    method = frame.attrs.get("method")
    columns = ["race_id", "method", "top_choice", "decision", "first_preference_top",
               "first_preference_decision", "differs"]  # fmt: skip
    if method in (None, SINGLE):
        return pd.DataFrame(columns=columns)
    firsts: dict[str, dict[str, int]] = {}
    for race, choice, votes in con.execute(
        "SELECT race_id, choice, votes FROM first_preferences(?)", [wave_id]
    ).fetchall():
        firsts.setdefault(race, {})[choice] = int(votes)
    on_ballot: dict[str, list[str]] = {}
    for race, candidate in con.execute(
        "SELECT race_id, candidate_id FROM ballot(?)", [wave_id]
    ).fetchall():
        on_ballot.setdefault(race, []).append(candidate)
    rows = []
    for row in plain_records(frame):
        race = row["race_id"]
        ballot = on_ballot.get(race, [])
        counts = {c: firsts.get(race, {}).get(c, 0) for c in ballot}
        top, decision = single_choice_decision(
            counts,
            int(row["ballots_counted"]),
            int(row["eligible_voters"]),
            len(ballot),
            thresholds,
        )
        rows.append(
            (race, method, row["top_choice"], row["decision"], top, decision,
             (top, decision) != (row["top_choice"], row["decision"]))
        )  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
