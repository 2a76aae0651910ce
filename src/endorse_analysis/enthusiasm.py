"""Enthusiasm and robustness of a decision: turnout in the wave, flip margins, Wilson interval.

Everything here works on the wave's tally (`endorse_analysis.tally`, one row per contest),
computed once per wave, so a race report adds no query of its own. Margins are exact
integer arithmetic on the thresholds' fractions (contract §3: never compare rounded floats).
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from endorse_analysis.rules import Thresholds, decimal_text, percent, threshold_percent

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def _int(value: object) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def ballots_needed(eligible: int, thresholds: Thresholds) -> int:
    """The fewest counted ballots N with N >= T x E and N >= M (exact)."""
    return max(_ceil(thresholds.turnout * eligible), _ceil(thresholds.min_votes), 0)


def support_needed(ballots: int, thresholds: Thresholds) -> int:
    """The fewest votes v with v >= S x N (exact): the top choice needs this many."""
    return _ceil(thresholds.support * ballots)


def wave_turnout(wave_tally: pd.DataFrame, race_id: str | None = None) -> pd.DataFrame:
    """Every contest of the wave with potential voters, by turnout (highest first): turnout,
    its rank, whether it meets the minimum (exact), and `is_this_race` for `race_id`."""
    frame = wave_tally[wave_tally["eligible_voters"] > 0][
        ["race_id", "office", "state", "decision", "eligible_voters", "ballots_counted", "turnout"]
    ].copy()
    frame["turnout"] = frame["turnout"].astype("float64")
    frame = frame.sort_values(["turnout", "race_id"], ascending=[False, True], kind="stable")
    frame["rank"] = frame["turnout"].rank(method="min", ascending=False).astype("int64")
    frame["turnout_text"] = [
        percent(int(n), int(e))
        for n, e in zip(frame["ballots_counted"], frame["eligible_voters"], strict=True)
    ]
    frame["is_this_race"] = frame["race_id"] == race_id
    return frame.reset_index(drop=True)


def turnout_position(
    wave_tally: pd.DataFrame, race_id: str, thresholds: Thresholds | None = None
) -> pd.DataFrame:
    """This contest's turnout against the minimum and against the wave, as a small table."""
    thresholds = thresholds or Thresholds()
    row = wave_tally.loc[wave_tally["race_id"] == race_id].iloc[0]
    n, e = int(row["ballots_counted"]), int(row["eligible_voters"])
    ranked = wave_turnout(wave_tally, race_id)
    contests = len(ranked)
    median = float(ranked["turnout"].median()) if contests else None
    meets = int(
        sum(
            int(b) * thresholds.turnout.denominator >= thresholds.turnout.numerator * int(el)
            for b, el in zip(ranked["ballots_counted"], ranked["eligible_voters"], strict=True)
        )
    )
    if e == 0:
        place = "no potential voters: turnout is undefined"
    else:
        rank = int(ranked.loc[ranked["is_this_race"], "rank"].iloc[0])
        place = f"{rank:,} of {contests:,} contests with potential voters (1 = highest turnout)"
    needed = ballots_needed(e, thresholds)
    rows = [
        ("Turnout", f"{n:,} of {e:,} potential voters ({percent(n, e)})"),
        (
            "Minimum turnout",
            f"{threshold_percent(thresholds.turnout)} of {e:,} potential voters and at least "
            f"{decimal_text(thresholds.min_votes)} ballot(s): {needed:,} counted ballot(s) needed",
        ),
        ("Meets the minimum", "yes" if n >= needed else "no"),
        ("Place in the wave", place),
        ("Wave median turnout", "–" if median is None else _percent_float(median)),
        ("Contests of the wave meeting the minimum turnout", f"{meets:,} of {contests:,}"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")


def _percent_float(value: float) -> str:
    """A float share as a percentage truncated to two decimals (never rounded up)."""
    hundredths = math.floor(value * 10000 + 1e-9)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def wilson_interval(votes: int, ballots: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a share votes/ballots (None when ballots is 0)."""
    if ballots <= 0:
        return None
    p = votes / ballots
    denominator = 1 + z * z / ballots
    centre = (p + z * z / (2 * ballots)) / denominator
    half = z * math.sqrt(p * (1 - p) / ballots + z * z / (4 * ballots * ballots)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def flip_margins(row: dict | pd.Series, thresholds: Thresholds | None = None) -> dict:
    """How far a contest's decision is from flipping, in whole ballots (exact integers).

    Keys: decision, ballots (N), top_votes, support_needed (ceil(S x N)),
    support_margin: for a top choice at or above S, the fewest of its ballots that,
        switched to NO_ENDORSEMENT, would put it below S (N unchanged); for a top choice
        below S, the fewest other ballots that would have to switch to it to reach S;
    ballots_needed (max(ceil(T x E), ceil(M))), turnout_margin: N - ballots_needed
        (negative: ballots short of the minimum; else the ballots to spare, and
        turnout_margin + 1 fewer ballots would miss it); wilson_low, wilson_high.
    """
    thresholds = thresholds or Thresholds()
    n = _int(row["ballots_counted"]) or 0
    e = _int(row["eligible_voters"]) or 0
    top = _int(row["top_votes"])
    decision = row["decision"]
    result: dict[str, object] = {
        "decision": decision,
        "ballots": n,
        "top_choice": None if top is None else row["top_choice"],
        "top_votes": top,
        "support_needed": support_needed(n, thresholds),
        "support_margin": None,
        "ballots_needed": ballots_needed(e, thresholds),
        "turnout_margin": n - ballots_needed(e, thresholds),
        "wilson_low": None,
        "wilson_high": None,
    }
    if decision == "NO_CANDIDATES" or n == 0:
        return result
    votes = top or 0
    needed = support_needed(n, thresholds)
    if votes >= needed:
        result["support_margin"] = votes - needed + 1
    else:
        result["support_margin"] = needed - votes
    interval = wilson_interval(votes, n)
    if interval is not None and top is not None:
        result["wilson_low"], result["wilson_high"] = interval
    return result


def robustness(row: dict | pd.Series, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The flip margins of one contest in words, as a two-column table for a report."""
    thresholds = thresholds or Thresholds()
    m = flip_margins(row, thresholds)
    s_text = threshold_percent(thresholds.support)
    n, decision, top = m["ballots"], m["decision"], m["top_choice"]
    rows: list[tuple[str, str]] = []
    if decision == "NO_CANDIDATES":
        rows.append(("Support", "no candidate is on the ballot: there is nothing to flip"))
    elif n == 0:
        rows.append(("Support", "no ballots were counted"))
    elif m["top_votes"] is None or m["top_votes"] == 0:
        rows.append(
            (
                "Support",
                f"no candidate received a vote; {m['support_needed']:,} of the {n:,} ballots "
                f"would have to switch to one candidate to reach {s_text}",
            )
        )
    elif m["top_votes"] >= m["support_needed"]:
        k = m["support_margin"]
        rows.append(
            (
                "Support margin",
                f"{k:,} of {top}'s {m['top_votes']:,} ballots switched to NO_ENDORSEMENT would "
                f"put it below {s_text} ({m['top_votes'] - k:,} of {n:,}, "
                f"{percent(m['top_votes'] - k, n)}); it needs {m['support_needed']:,}",
            )
        )
    else:
        k = m["support_margin"]
        rows.append(
            (
                "Support margin",
                f"{k:,} more of the {n:,} ballots would have to switch to {top} to reach "
                f"{s_text} ({m['support_needed']:,} of {n:,})",
            )
        )
    margin = m["turnout_margin"]
    if margin >= 0:
        rows.append(
            (
                "Turnout margin",
                f"{n:,} ballots against {m['ballots_needed']:,} needed: {margin + 1:,} fewer "
                "ballots would have missed the minimum turnout",
            )
        )
    else:
        rows.append(
            (
                "Turnout margin",
                f"{n:,} ballots against {m['ballots_needed']:,} needed: {-margin:,} more ballots "
                "would have met the minimum turnout",
            )
        )
    if m["wilson_low"] is not None:
        rows.append(
            (
                "95% interval of the top choice's share",
                f"{_percent_float(m['wilson_low'])} to {_percent_float(m['wilson_high'])} "
                f"(Wilson score interval for {m['top_votes']:,} of {n:,}); "
                f"the support threshold is {s_text}",
            )
        )
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
