"""The analyst's notebooks' charts (notebooks/explore_*.ipynb): reach and sign-ups,
turnout by factor, arrivals, margins, contests across waves and member flows.

In: frames from `api.explore`, `api.panel`, `api.members`. Out: Altair charts.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from endorse_analysis.parameters import EARLY_HOURS
from endorse_analysis.present.charts.common import (
    OTHER,
    THIS_RACE,
    _as_words,
    _contest_points,
    _contests,
    _decision_colour,
    _hidden_title,
    _legend_pick,
    _numeric,
    _percent_tip,
    _tooltip,
    _zoom,
)
from endorse_analysis.vocabulary import DECISIONS, OFFICES


def _room(values: pd.Series) -> alt.Scale:
    """A scale from 0 with a tenth to spare above the largest value, so that the largest
    point is never drawn half outside the frame."""
    top = values.max()
    return alt.Scale(domain=[0, float(top) * 1.1 if pd.notna(top) and top > 0 else 1], nice=True)


def reach_states(by_state: pd.DataFrame, labelled: int = 12) -> alt.TopLevelMixin:
    """Potential voters against local groups per state (from `explore.reach_by_state`);
    the `labelled` states with the most potential voters carry their code (labelling all
    fifty makes them overlap), every point its tooltip."""
    columns = [c for c in ("state", "state_name", "potential_voters", "groups",
                            "potential_voters_per_group") if c in by_state.columns]  # fmt: skip
    shown = _numeric(by_state[columns], ["potential_voters", "groups"])
    data = shown.dropna(subset=["potential_voters"])  # a hidden count has no place
    largest = set(data.nlargest(labelled, "potential_voters")["state"])
    data["label"] = [s if s in largest else "" for s in data["state"]]
    base = alt.Chart(data).encode(
        x=alt.X("groups:Q", title="local groups", scale=_room(data["groups"])),
        y=alt.Y(
            "potential_voters:Q", title="potential voters", scale=_room(data["potential_voters"])
        ),
    )
    tips = _tooltip(
        data,
        [("state_name", "N", "state"), ("state", "N", "code"),
         ("potential_voters", "Q", "potential voters"), ("groups", "Q", "local groups"),
         ("potential_voters_per_group", "Q", "potential voters per group")],
    )  # fmt: skip
    points = (
        base.mark_circle(size=50, opacity=0.7, color="#0969da")
        .encode(tooltip=tips)
        .add_params(_zoom())
    )
    chart = points + base.mark_text(dx=9, align="left", fontSize=9).encode(text=alt.Text("label:N"))
    title = "Potential voters and local groups per state"
    if len(data) < len(shown):
        title += f" ({len(shown) - len(data)} states with hidden counts left out)"
    return chart.properties(width=480, height=300, title=title)


def signups_over_time(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Sign-ups per period (from `explore.signups`); hidden cells are left out, and the
    title says so."""
    data = _numeric(frame[["period", "signups"]], ["signups"]).dropna()
    chart = (
        alt.Chart(data)
        .mark_line(color="#0969da", point=True)
        .encode(
            x=alt.X("period:T", title=None),
            y=alt.Y("signups:Q", title="sign-ups"),
            tooltip=[alt.Tooltip("period:T", title="from"), alt.Tooltip("signups:Q", format=",")],
        )
        .add_params(_zoom())
    )
    title = _hidden_title("Member sign-ups over time", frame["signups"])
    return chart.properties(width=520, height=200, title=title)


def signup_deadline_rush(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Sign-ups per day around each wave's sign-up deadline (`explore.signups_around_deadlines`)."""
    data = _numeric(frame[["wave_id", "day", "signups"]], ["day", "signups"]).dropna()
    picked, opacity = _legend_pick("wave_id")
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:Q", title="days from the sign-up deadline (0: the day after)"),
            y=alt.Y("signups:Q", title="sign-ups per day"),
            color=alt.Color("wave_id:N", title="wave"),
            opacity=opacity,
            tooltip=[
                alt.Tooltip("wave_id:N", title="wave"),
                alt.Tooltip("day:Q"),
                alt.Tooltip("signups:Q", format=","),
            ],
        )
        .add_params(picked)
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE)
        .encode(x=alt.X("x:Q"))
    )
    title = _hidden_title("The rush before each sign-up deadline", frame["signups"])
    return (lines + rule).properties(width=520, height=220, title=title)


def turnout_bars(
    frame: pd.DataFrame, category: str, title: str, colour: str | None = None
) -> alt.TopLevelMixin:
    """Pooled turnout (bars) and the median contest's turnout (ticks) per category, from
    `explore.turnout_by_wave_office` or `explore.turnout_by`."""
    columns = [category] + ([colour] if colour and colour != category else [])
    figures = [c for c in ("turnout", "median_turnout", "contests", "ballots", "potential_voters")
               if c in frame.columns]  # fmt: skip
    data = _numeric(frame[[*columns, *figures]], figures)
    data[category] = _as_words(frame, category)
    y = alt.Y(f"{category}:N", title=None, sort=None)
    offset = {}
    tips = _tooltip(
        data,
        [(category, "N", category.replace("_", " "))]
        + ([(colour, "N", colour.replace("_", " "))] if colour and colour != category else [])
        + [("contests", "Q", "contests"), ("ballots", "Q", "ballots"),
           ("potential_voters", "Q", "potential voters"), ("turnout", "Q", "pooled turnout"),
           ("median_turnout", "Q", "median contest's turnout")],
    )  # fmt: skip
    encode = {
        "y": y,
        "x": alt.X("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
        "tooltip": tips,
    }
    if colour:
        data[colour] = _as_words(frame, colour)
        encode["color"] = alt.Color(f"{colour}:N", title=colour.replace("_", " "))
        if colour != category:
            offset = {"yOffset": alt.YOffset(f"{colour}:N")}
    bars = alt.Chart(data).mark_bar(opacity=0.85).encode(**encode, **offset)
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#24292f", thickness=2)
        .encode(y=y, x=alt.X("median_turnout:Q"), **offset)
    )
    height = (26 if offset else 30) * len(data)
    return (bars + ticks).properties(width=420, height=max(60, height), title=title)


def turnout_by_size(contests: pd.DataFrame) -> alt.TopLevelMixin:
    """Each contest's turnout against its number of potential voters (log scale), by office."""
    shown = (contests["eligible_voters"] > 0) & (contests["candidates_on_ballot"] > 0)
    chart = _contest_points(
        contests[shown],
        x=alt.X("eligible_voters:Q", scale=alt.Scale(type="log"), title="potential voters"),
        y=alt.Y("turnout:Q", axis=alt.Axis(format="%"), title="turnout"),
        colour=alt.Color("office:N", sort=list(OFFICES)),
        pick="office",
        size=30,
    )
    return chart.properties(width=480, height=300, title="Turnout and contest size")


def arrivals(frame: pd.DataFrame, first_hours: int = EARLY_HOURS.value) -> alt.TopLevelMixin:
    """Ballots per hour since the window opened (`explore.arrivals_by_hour`), hidden cells
    left out (the title says so); a rule at `first_hours`."""
    data = _numeric(frame[["hour", "ballots"]], ["hour", "ballots"]).dropna()
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(
            x=alt.X("hour:Q", title="hours since the window opened"),
            y=alt.Y("ballots:Q", title="ballots cast"),
            tooltip=[alt.Tooltip("hour:Q", title="hour"), alt.Tooltip("ballots:Q", format=",")],
        )
        .add_params(_zoom())
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [float(first_hours)]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE, size=2)
        .encode(x=alt.X("x:Q"))
    )
    title = _hidden_title("When ballots arrive", frame["ballots"])
    return (bars + rule).properties(width=520, height=220, title=title)


def _contest_histogram(frame: pd.DataFrame, column: str, x: alt.X, bins: alt.Bin) -> alt.Chart:
    """Contests counted per bin of one column (missing values left out)."""
    data = _numeric(frame[[column]], [column]).dropna()
    return (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(
            x=x,
            y=alt.Y("count():Q", title="contests"),
            tooltip=[
                alt.Tooltip(f"{column}:Q", bin=bins, title=column.replace("_", " ")),
                alt.Tooltip("count():Q", title="contests"),
            ],
        )
    )


def share_histogram(frame: pd.DataFrame, column: str, title: str) -> alt.TopLevelMixin:
    """Histogram of a share (0..1) column, missing values left out."""
    bins = alt.Bin(maxbins=20, extent=[0, 1])
    x = alt.X(f"{column}:Q", bin=bins, title=column.replace("_", " "), axis=alt.Axis(format="%"))
    chart = _contest_histogram(frame, column, x, bins)
    return chart.properties(width=480, height=200, title=title)


def margin_histogram(frame: pd.DataFrame, column: str, title: str) -> alt.TopLevelMixin:
    """Histogram of a margin in ballots (from `explore.threshold_margins`), 0 marked."""
    bins = alt.Bin(maxbins=30)
    x = alt.X(f"{column}:Q", bin=bins, title=column.replace("_", " "))
    bars = _contest_histogram(frame, column, x, bins)
    rule = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(color=THIS_RACE, size=2)
        .encode(x=alt.X("x:Q"))
    )
    return (bars + rule).properties(width=480, height=200, title=title)


def panel_turnout(panel: pd.DataFrame) -> alt.TopLevelMixin:
    """Turnout of each race in every wave it had a contest (from `panel.contest_panel`), a
    line per race, waves in order; points coloured by decision. Hover a line to follow
    one race; a click on the legend picks a decision out."""
    data, tips = _contests(panel)
    order = list(dict.fromkeys(panel["wave_id"]))
    hover = alt.selection_point(fields=["race_id"], on="pointerover", clear="pointerout")
    picked, opacity = _legend_pick("decision")
    x = alt.X("wave_id:N", sort=sorted(order), title="wave", axis=alt.Axis(labelAngle=0))
    y = alt.Y("turnout:Q", axis=alt.Axis(format="%"), title="turnout")
    lines = (
        alt.Chart(data)
        .mark_line(color=OTHER)
        .encode(
            x=x,
            y=y,
            detail=alt.Detail("race_id:N"),
            opacity=alt.condition(hover, alt.value(1.0), alt.value(0.25)),
            strokeWidth=alt.condition(hover, alt.value(3), alt.value(1)),
        )
        .add_params(hover)
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=50)
        .encode(
            x=x,
            y=y,
            color=_decision_colour("decision", "decision"),
            opacity=opacity,
            tooltip=tips,
        )
        .add_params(picked)
    )
    races = data["race_id"].nunique()
    chart = (lines + points).properties(
        width=max(240, 120 * len(order)),
        height=280,
        title=f"Turnout of the {races:,} races with a contest in two or more waves",
    )
    return chart


def _members_per_wave(
    frame: pd.DataFrame, kinds: dict[str, str], title: str, axis: str
) -> alt.TopLevelMixin:
    """Bars of member counts per wave, one per kind (column -> words), in the kinds' order;
    hidden small counts left out; a click on the legend picks a kind out."""
    data = _numeric(frame[["wave_id", *kinds]], list(kinds)).melt(
        id_vars="wave_id", var_name="kind", value_name="members"
    )
    data = data.dropna()
    data["kind"] = data["kind"].map(kinds)
    picked, opacity = _legend_pick("kind")
    order = list(kinds.values())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("wave_id:N", title="wave"),
            yOffset=alt.YOffset("kind:N", sort=order),
            x=alt.X("members:Q", title=axis),
            color=alt.Color("kind:N", sort=order, title=None),
            opacity=opacity,
            tooltip=[alt.Tooltip("wave_id:N", title="wave"), alt.Tooltip("kind:N", title="members"),
                     alt.Tooltip("members:Q", title="how many", format=",")],
        )
        .add_params(picked)
    )  # fmt: skip
    return chart.properties(width=460, height=max(60, 18 * len(data) + 20), title=title)


def member_funnel(funnel: pd.DataFrame) -> alt.TopLevelMixin:
    """Members at each stage per wave (from `members.funnel`): on the list, eligible,
    voted."""
    stages = {"signed_up": "on the list", "eligible": "eligible", "voted": "voted"}
    return _members_per_wave(funnel, stages, "From sign-up to eligible to voted", "members")


def rate_intervals(
    frame: pd.DataFrame,
    category: str,
    rate: str,
    title: str,
    colour: str | None = None,
    reference: float | None = None,
    percent: bool = True,
) -> alt.TopLevelMixin:
    """A rate per category as a dot with its 95% interval as a bar (`rate`_low to
    `rate`_high, from `frames.rate_with_interval` or `explore.mobilisation_by_group`), an
    optional reference line; hidden rates left out."""
    low, high = f"{rate}_low", f"{rate}_high"
    extra = [c for c in ("contests", "ballots", "potential_voters", "eligible", "voted",
                         "eligible_again", "voted_again", "group_name", "z")
             if c in frame.columns and c not in (category, colour)]  # fmt: skip
    columns = list(
        dict.fromkeys([category, *([colour] if colour else []), rate, low, high, *extra])
    )
    numbers = [rate, low, high, *[c for c in extra if c != "group_name"]]
    data = _numeric(frame[columns], numbers).dropna(subset=[rate])
    data[category] = _as_words(data, category)
    axis = alt.Axis(format="%") if percent else alt.Axis()
    y = alt.Y(f"{category}:N", title=category.replace("_", " "), sort=None)
    offset = {}
    encode_colour = {}
    if colour:
        data[colour] = _as_words(data, colour)
        offset = {"yOffset": alt.YOffset(f"{colour}:N")}
        encode_colour = {"color": alt.Color(f"{colour}:N", title=colour.replace("_", " "))}
    tips = [alt.Tooltip(f"{category}:N", title=category.replace("_", " "))]
    if colour:
        tips.append(alt.Tooltip(f"{colour}:N", title=colour.replace("_", " ")))
    tips += [
        _percent_tip(data, c)
        if percent
        else alt.Tooltip(f"{c}:Q", format=".2f", title=c.replace("_", " "))
        for c in (rate, low, high)
    ]
    tips += [
        alt.Tooltip(f"{c}:{'N' if c == 'group_name' else 'Q'}", title=c.replace("_", " "),
                    **({} if c == "group_name" else {"format": ",.2f" if c == "z" else ","}))
        for c in extra
    ]  # fmt: skip
    base = alt.Chart(data).encode(y=y, **offset)
    bars = base.mark_rule(size=2).encode(
        x=alt.X(f"{low}:Q", title=rate.replace("_", " "), axis=axis), x2=f"{high}:Q",
        **encode_colour,
    )  # fmt: skip
    dots = base.mark_circle(size=60, opacity=1).encode(x=f"{rate}:Q", tooltip=tips, **encode_colour)
    layers = [bars, dots]
    if reference is not None:
        rule = alt.Chart(pd.DataFrame({"x": [float(reference)]}))
        layers.append(rule.mark_rule(strokeDash=[5, 3], color="#24292f").encode(x=alt.X("x:Q")))
    rows = len(data) * (1 if not colour else 1)
    return alt.layer(*layers).properties(width=440, height=max(60, 24 * rows), title=title)


def decision_crosstab(frame: pd.DataFrame, before: str, after: str, title: str):
    """Contests per pair of decisions (from `panel.decisions_at_hour`: early against final),
    as a grid of counts in the decisions' order."""
    counts = frame.groupby([before, after]).size().rename("contests").reset_index()
    order = list(DECISIONS)
    base = alt.Chart(counts).encode(
        x=alt.X(f"{after}:N", sort=order, title=after.replace("_", " "),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{before}:N", sort=order, title=before.replace("_", " ")),
    )  # fmt: skip
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("contests:Q", scale=alt.Scale(scheme="blues"), title="contests"),
        tooltip=[alt.Tooltip(f"{before}:N", title=before.replace("_", " ")),
                 alt.Tooltip(f"{after}:N", title=after.replace("_", " ")),
                 alt.Tooltip("contests:Q")],
    )  # fmt: skip
    text = base.mark_text(fontWeight="bold").encode(text=alt.Text("contests:Q"))
    return (cells + text).properties(width=420, height=160, title=title)


def vote_changes(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Per wave, members who voted more than once in a contest and those of them whose
    counted choice differs from their first (`members.vote_changes`)."""
    kinds = {"revoting_members": "voted more than once", "changed_choice": "changed choice"}
    return _members_per_wave(frame, kinds, "Vote changes", "members (once per contest)")
