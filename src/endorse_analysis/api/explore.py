"""Analysis for the analyst's notebooks (notebooks/explore_*.ipynb): reach, enthusiasm,
mobilisation by group, timing and outcomes of the endorsement program.

In: an open connection (`endorse_analysis.connect`). Out: pandas DataFrames of aggregates.
Decisions come from `tally` and the queries from the rule macros (rules/sql/explore.sql),
never from a copy of the rules; a ballot is a counted ballot, as everywhere. Privacy
(contract §3): per-contest totals are shown as they are; a finer breakdown of ballots or
members (by hour, by day, by month) is protected with the totals and the other
breakdowns published beside it in the same notebook (`rules.privacy.protect`): a hidden
cell becomes missing, and none can be worked out from what is shown. The timing figures
of a wave (per hour, per contest, the first hours) are protected together, and so are
the sign-up figures (per period, around each deadline, the rush), each set at the
notebook's parameters. No member id or personal column ever leaves a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import duckdb
import numpy as np
import pandas as pd

from endorse_analysis.api import published
from endorse_analysis.api.tally import TALLY_COLUMNS, require_wave, tally
from endorse_analysis.rules.margins import Z_95, contest_margins
from endorse_analysis.rules.privacy import Relation, group, protect, sum_of
from endorse_analysis.rules.thresholds import Thresholds, decimal_text
from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import DECISIONS, MIN_CELL, NO_CANDIDATES

# The figures of a contest that the outcome tables show beside its decisions.
CONTEST_FIGURES = [
    c
    for c in TALLY_COLUMNS
    if c not in ("state", "district", "candidates_on_ballot", "decision", "reason")
]
SIGNUP_UNITS = ("day", "week", "month", "quarter", "year")
CHI2_1_MEDIAN = 0.454936  # the median of a chi-square distribution with one degree of freedom
# The sign-up figures the reach notebook publishes together, and so protects together.
SIGNUP_UNIT = "month"
DAYS_BEFORE_DEADLINE, DAYS_AFTER_DEADLINE = 28, 7
RUSH_DAYS, BASELINE_WEEKS = 7, 8
# The timing figures of a wave are split at this hour since the window opened.
FIRST_HOURS = 24


def wave_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The loaded waves, in order of opening."""
    return [
        r[0] for r in con.execute("SELECT wave_id FROM waves ORDER BY opens_at, wave_id").fetchall()
    ]


def waves(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The loaded waves in order of opening: name, window and sign-up deadline (UTC)."""
    return con.execute(
        "SELECT wave_id, name, opens_at, closes_at, "
        "coalesce(signup_closes_at, closes_at) AS signup_deadline "
        "FROM waves ORDER BY opens_at, wave_id"
    ).df()


def candidate_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Every candidate's name by id, to show a candidate as a name with its id."""
    return dict(con.execute("SELECT candidate_id, name FROM candidates").fetchall())


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


# ----------------------------------------------------------------------------- reach


def reach_by_district(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Every House district of the 50 states (0 at large): potential voters of the wave
    (members who could vote in its House race), groups with that district, statewide groups
    of its state (they count for every House race of the state), and both together."""
    return published.member_reach(con, wave_id).districts


def reach_by_state(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Per state: potential voters of its statewide races in the wave, local groups (all of
    the state), House districts, and districts with potential voters but no district group."""
    reach = published.member_reach(con, wave_id)
    by_district, voters = reach.districts, reach.states
    groups = con.execute("SELECT state, count(*) AS groups FROM groups GROUP BY state").df()
    per = by_district.groupby("state").agg(
        districts=("district", "size"),
        districts_without_group=(
            "district_groups",
            lambda s: int(((s == 0) & reach.reached.loc[s.index]).sum()),
        ),
    )
    out = voters.merge(groups, on="state", how="left").merge(per, on="state", how="left")
    out["groups"] = out["groups"].fillna(0).astype("int64")
    per_group = out["potential_voters"].astype("Float64") / out["groups"].where(out["groups"] > 0)
    out["potential_voters_per_group"] = per_group.astype("float64")
    return out.sort_values("state").reset_index(drop=True)


def districts_without_groups(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """House districts with potential voters but no group of their own (a statewide group
    may still cover them: see `statewide_groups`), the most potential voters first."""
    reach = published.member_reach(con, wave_id)
    frame = reach.districts
    gaps = frame[reach.reached & (frame["district_groups"] == 0)]
    return gaps.sort_values(
        ["potential_voters", "state", "district"], ascending=[False, True, True]
    ).reset_index(drop=True)


def signups(con: duckdb.DuckDBPyConnection, unit: str = SIGNUP_UNIT) -> pd.DataFrame:
    """Members signed up per period (national), protected with the other sign-up figures."""
    return _signup_figures(con, unit=unit).periods


def signups_around_deadlines(
    con: duckdb.DuckDBPyConnection,
    before: int = DAYS_BEFORE_DEADLINE,
    after: int = DAYS_AFTER_DEADLINE,
) -> pd.DataFrame:
    """Sign-ups per day relative to each wave's sign-up deadline (day -1 is the last 24 hours
    before it, day 0 the 24 hours after), national, protected with the other sign-up
    figures."""
    return _signup_figures(con, before=before, after=after).days


def signup_rush(
    con: duckdb.DuckDBPyConnection, days: int = RUSH_DAYS, baseline_weeks: int = BASELINE_WEEKS
) -> pd.DataFrame:
    """Per wave: sign-ups in the `days` days before its sign-up deadline, against the
    average of the same length over the `baseline_weeks` weeks before that; `rush` is
    their ratio (2.0: twice the usual pace). Protected with the other sign-up figures; a
    ratio is hidden with either of its counts."""
    return _signup_figures(con, rush_days=days, baseline_weeks=baseline_weeks).rush


@dataclass(frozen=True)
class _SignupFigures:
    periods: pd.DataFrame
    days: pd.DataFrame
    rush: pd.DataFrame


@dataclass(frozen=True)
class _Span:
    """A published count of sign-ups and the instants it covers: [start, end)."""

    series: str
    start: pd.Timestamp
    end: pd.Timestamp
    count: int


_UNIT_LENGTH = {
    "day": pd.DateOffset(days=1),
    "week": pd.DateOffset(weeks=1),
    "month": pd.DateOffset(months=1),
    "quarter": pd.DateOffset(months=3),
    "year": pd.DateOffset(years=1),
}


def _signup_figures(
    con: duckdb.DuckDBPyConnection,
    unit: str = SIGNUP_UNIT,
    before: int = DAYS_BEFORE_DEADLINE,
    after: int = DAYS_AFTER_DEADLINE,
    rush_days: int = RUSH_DAYS,
    baseline_weeks: int = BASELINE_WEEKS,
) -> _SignupFigures:
    """The sign-up figures of the reach notebook, protected together: the periods add up to
    the members, and any published count that spans exactly the days or periods of another
    series (the rush window, a month inside the days around a deadline, a day two waves
    share) is their sum."""
    if unit not in SIGNUP_UNITS:
        raise ValueError(f"unit must be one of {', '.join(SIGNUP_UNITS)}")
    periods = con.execute("SELECT * FROM signups_by_period(?)", [unit]).df()
    days = con.execute("SELECT * FROM signups_around_deadlines(?, ?)", [before, after]).df()
    rush = con.execute("SELECT * FROM signup_rush_counts(?, ?)", [rush_days, baseline_weeks]).df()
    members = con.execute("SELECT count(*) FROM members").fetchone()[0]

    spans = [
        _Span("period", start, start + _UNIT_LENGTH[unit], count)
        for start, count in zip(periods["period"], periods["signups"], strict=True)
    ]
    one_day = pd.Timedelta(days=1)
    spans += [
        _Span(f"days {wave}", deadline + day * one_day, deadline + (day + 1) * one_day, count)
        for wave, deadline, day, count in zip(
            days["wave_id"], days["deadline"], days["day"], days["signups"], strict=True
        )
    ]
    last = rush_days * one_day
    baseline = (rush_days + 7 * baseline_weeks) * one_day
    for deadline, last_days, base in zip(
        rush["deadline"], rush["last_days"], rush["baseline"], strict=True
    ):
        spans.append(_Span("rush", deadline - last, deadline, last_days))
        spans.append(_Span("baseline", deadline - baseline, deadline - last, base))
    relations = [group(range(len(periods)), members), *_tilings(spans)]
    hidden = protect([s.count for s in spans], relations)

    n_periods, n_days = len(periods), len(days)
    periods["signups"] = _masked(periods["signups"], hidden[:n_periods])
    days["signups"] = _masked(days["signups"], hidden[n_periods : n_periods + n_days])
    days = days.drop(columns="deadline")
    rush_hidden = hidden[n_periods + n_days :]
    rush["last_days"] = _masked(rush["last_days"], rush_hidden[0::2])
    rush["baseline"] = _masked(rush["baseline"], rush_hidden[1::2])
    per_period = rush["baseline"].astype("Float64") * rush_days / (7 * baseline_weeks)
    rush["baseline_same_length"] = per_period
    rush["rush"] = rush["last_days"].astype("Float64") / per_period.where(per_period > 0)
    return _SignupFigures(periods, days, rush)


def _tilings(spans: list[_Span]) -> list[Relation]:
    """ "This count is the sum of those": for every span, the spans of another series that
    cover exactly its instants, end to end."""
    by_series: dict[str, list[int]] = {}
    for i, span in enumerate(spans):
        by_series.setdefault(span.series, []).append(i)
    for members in by_series.values():
        members.sort(key=lambda i: spans[i].start)
    relations = []
    for whole, span in enumerate(spans):
        for series, members in by_series.items():
            if series == span.series:
                continue
            inside = [
                i for i in members if spans[i].start >= span.start and spans[i].end <= span.end
            ]
            if inside and _end_to_end([spans[i] for i in inside], span.start, span.end):
                relations.append(sum_of(inside, whole))
    return relations


def _end_to_end(parts: list[_Span], start: pd.Timestamp, end: pd.Timestamp) -> bool:
    if parts[0].start != start or parts[-1].end != end:
        return False
    return all(a.end == b.start for a, b in zip(parts, parts[1:], strict=False))


def _masked(counts: pd.Series, hidden: Sequence[bool]) -> pd.Series:
    """The counts with the hidden ones missing (nullable integers)."""
    return counts.astype("Int64").mask(pd.Series(list(hidden), index=counts.index, dtype=bool))


# ----------------------------------------------------------------------------- enthusiasm


def contest_summary(
    con: duckdb.DuckDBPyConnection,
    waves: Sequence[str] | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per contest of the waves (default: all), from the tally: office, E, N,
    turnout, top share, decision, and what may explain enthusiasm: the number of groups of
    the jurisdiction endorsing any candidate of the race in the wave, whether two or more
    candidates are on the ballot (contested), whether one of them runs for the first time."""
    waves = list(waves) if waves is not None else wave_ids(con)
    frames = []
    for w in waves:
        t = tally(con, w, thresholds)
        extra = con.execute("SELECT * FROM contest_traits(?)", [w]).df()
        frames.append(t.merge(extra, on="race_id", how="left"))
    without_reason = [c for c in TALLY_COLUMNS if c != "reason"]
    columns = [*without_reason, "endorsing_groups", "first_time", "incumbent"]
    if not frames:
        return pd.DataFrame(columns=[*columns, "contested"])
    out = pd.concat(frames, ignore_index=True)[columns]
    out["contested"] = out["candidates_on_ballot"] >= 2
    out["endorsing_groups"] = out["endorsing_groups"].astype("int64")
    out["first_time"] = out["first_time"].astype(bool)
    out["incumbent"] = out["incumbent"].astype(bool)
    return out


def _pooled(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=True, observed=True)
    out = grouped.agg(
        contests=("race_id", "size"),
        ballots=("ballots_counted", "sum"),
        potential_voters=("eligible_voters", "sum"),
        median_turnout=("turnout", "median"),
    ).reset_index()
    out["turnout"] = out["ballots"] / out["potential_voters"].where(out["potential_voters"] > 0)
    return out


def turnout_by_wave_office(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Turnout per wave and office over contests with a candidate on the ballot: contests,
    ballots, potential voters, pooled turnout (ballots / potential voters) and the median
    contest's turnout."""
    frame = contest_summary(con)
    frame = frame[frame["decision"] != NO_CANDIDATES]
    return _pooled(frame, ["wave_id", "office"])


GROUP_BUCKETS = ["0", "1", "2", "3", "4", "5+"]


def turnout_by(con: duckdb.DuckDBPyConnection, factor: str) -> pd.DataFrame:
    """Turnout over all waves' contests with a candidate on the ballot, by one factor:
    `endorsing_groups` (0..4, 5+), `contested`, `first_time` or `incumbent`."""
    if factor not in ("endorsing_groups", "contested", "first_time", "incumbent"):
        raise ValueError(f"unknown factor {factor!r}")
    frame = contest_summary(con)
    frame = frame[frame["decision"] != NO_CANDIDATES].copy()
    if factor == "endorsing_groups":
        frame[factor] = pd.Categorical(
            [GROUP_BUCKETS[min(n, 5)] for n in frame[factor]],
            categories=GROUP_BUCKETS,
            ordered=True,
        )
    return _pooled(frame, [factor])


def contest_expectations(
    con: duckdb.DuckDBPyConnection, waves: Sequence[str] | None = None
) -> pd.DataFrame:
    """The contests of the waves (default: all) with a candidate and potential voters, and
    what a quasi-binomial model expects of each: the pooled turnout p of its wave and
    office (`expected_turnout`), p x E ballots, the group's dispersion and the contest's
    z, its Pearson residual (N - pE) / sqrt(E p (1 - p)) divided by the square root of the
    dispersion. Contests differ far more than binomial chance allows (enthusiasm varies
    from race to race), so without that correction most contests would look unusual. The
    dispersion is estimated robustly, from the median squared residual (the median of a
    chi-square with one degree of freedom is 0.455), so that unusual contests do not hide
    themselves; it is at least 1."""
    frame = contest_summary(con, waves)
    frame = frame[(frame["decision"] != NO_CANDIDATES) & (frame["eligible_voters"] > 0)].copy()
    pooled = _pooled(frame, ["wave_id", "office"])[["wave_id", "office", "turnout"]]
    frame = frame.merge(
        pooled.rename(columns={"turnout": "expected_turnout"}), on=["wave_id", "office"]
    )
    p = frame["expected_turnout"]
    e = frame["eligible_voters"]
    frame["expected_ballots"] = p * e
    sd = np.sqrt(e * p * (1 - p))
    residual = (frame["ballots_counted"] - frame["expected_ballots"]) / sd.where(sd > 0)
    squares = residual.pow(2).groupby([frame["wave_id"], frame["office"]])
    frame["dispersion"] = (squares.transform("median") / CHI2_1_MEDIAN).clip(lower=1.0)
    frame["z"] = residual / np.sqrt(frame["dispersion"])
    return frame


def turnout_outliers(con: duckdb.DuckDBPyConnection, z: float = 3.0) -> pd.DataFrame:
    """Contests whose turnout is unusually high or low for their size: |z| >= `z` in the
    quasi-binomial model of `contest_expectations`, the most extreme first. Expect a few."""
    frame = contest_expectations(con)
    out = frame[frame["z"].abs() >= z].copy()
    out["direction"] = np.where(out["z"] > 0, "high", "low")
    out = out.reindex(out["z"].abs().sort_values(ascending=False).index)
    columns = ["wave_id", "race_id", "office", "eligible_voters", "ballots_counted", "turnout",
               "expected_turnout", "expected_ballots", "dispersion", "z", "direction"]  # fmt: skip
    return out[columns].reset_index(drop=True)


def mobilisation_by_group(con: duckdb.DuckDBPyConnection, wave_id: str) -> pd.DataFrame:
    """Which groups' endorsements go with turnout: per group that endorsed a candidate on
    the wave's ballot within its jurisdiction, those contests' ballots and potential voters
    (sums of contest totals, which are public), their pooled turnout, the turnout their
    wave and office lead one to expect (`contest_expectations`), `lift` = ballots /
    expected ballots with a 95% interval and z that allow for the spread between contests.
    A lift is an association, not a cause: a group may endorse where members are keen
    anyway. The highest z first."""
    require_wave(con, wave_id)
    links = con.execute("SELECT * FROM group_endorsed_contests(?)", [wave_id]).df()
    contests = contest_expectations(con, [wave_id])
    p = contests["expected_turnout"]
    contests["variance"] = contests["dispersion"] * contests["eligible_voters"] * p * (1 - p)
    figures = ["ballots_counted", "eligible_voters", "expected_ballots", "variance"]
    merged = links.merge(contests[["race_id", *figures]], on="race_id")
    per = merged.groupby("group_id").agg(
        contests=("race_id", "size"),
        ballots=("ballots_counted", "sum"),
        potential_voters=("eligible_voters", "sum"),
        expected_ballots=("expected_ballots", "sum"),
        variance=("variance", "sum"),
    )
    names = links.drop_duplicates("group_id").set_index("group_id")[
        ["group_name", "state", "district"]
    ]
    out = names.join(per, how="inner").reset_index()
    expected = out["expected_ballots"].where(out["expected_ballots"] > 0)
    spread = np.sqrt(out["variance"].where(out["variance"] > 0))
    out["turnout"] = out["ballots"] / out["potential_voters"]
    out["expected_turnout"] = out["expected_ballots"] / out["potential_voters"]
    out["lift"] = out["ballots"] / expected
    out["lift_low"] = (out["lift"] - Z_95 * spread / expected).clip(lower=0.0)
    out["lift_high"] = out["lift"] + Z_95 * spread / expected
    out["z"] = (out["ballots"] - out["expected_ballots"]) / spread
    out = out.drop(columns=["variance"]).sort_values(["z", "group_id"], ascending=[False, True])
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- timing


def arrivals_by_hour(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int = FIRST_HOURS
) -> pd.DataFrame:
    """Counted ballots per hour since the window opened, national; protected with the
    wave's other timing figures (`first_hours` says where they split the window)."""
    return _timing_figures(con, wave_id, first_hours).hours


def arrival_summary(
    con: duckdb.DuckDBPyConnection,
    first_hours: int = FIRST_HOURS,
    waves: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per wave: window length, its counted ballots (the same number the tally counts), the
    share cast in the first `first_hours` hours (hidden when it or the rest is under
    MIN_CELL ballots, or to protect a cell of the wave's other timing figures), and the
    hours until half and 90% had been cast."""
    rows = []
    for w in list(waves) if waves is not None else wave_ids(con):
        window = con.execute(
            "SELECT date_diff('second', opens_at, closes_at) / 3600.0 FROM waves WHERE wave_id = ?",
            [w],
        ).fetchone()[0]
        hours = (
            con.execute("SELECT hours FROM counted_arrivals(?) ORDER BY hours", [w])
            .df()["hours"]
            .to_numpy()
        )
        n = len(hours)
        rows.append(
            {
                "wave_id": w,
                "window_hours": float(window),
                "ballots": n,
                "first_hours": _timing_figures(con, w, first_hours).first,
                "hours_to_half": float(np.quantile(hours, 0.5)) if n >= MIN_CELL else None,
                "hours_to_90pct": float(np.quantile(hours, 0.9)) if n >= MIN_CELL else None,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "wave_id",
            "window_hours",
            "ballots",
            "first_hours",
            "hours_to_half",
            "hours_to_90pct",
        ],
    )
    out["first_hours"] = out["first_hours"].astype("Int64")
    out["first_share"] = out["first_hours"].astype("Float64") / out["ballots"]
    return out


def first_hours_by_contest(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int = FIRST_HOURS
) -> pd.DataFrame:
    """Per contest of the wave: its counted ballots and the share cast in the first
    `first_hours` hours; the split is hidden (missing) when either part (the first hours,
    the rest) has fewer than MIN_CELL ballots, none included, or to protect another
    contest's split or a cell of the wave's other timing figures."""
    return _timing_figures(con, wave_id, first_hours).contests


def _timing_figures(
    con: duckdb.DuckDBPyConnection, wave_id: str, first_hours: int
) -> published.TimingFigures:
    """The timing figures of a wave, protected together with the decision-at-hour table
    (`api.published.timing_figures`)."""
    return published.timing_figures(con, wave_id, first_hours)


# ----------------------------------------------------------------------------- outcomes


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
