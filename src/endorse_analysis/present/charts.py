"""One function per chart, each returning an Altair chart; `to_svg` makes one static SVG.

In: small frames of aggregates (the wave's tally, `present.tables`, `api.enthusiasm`,
`api.explore`, `api.members`, `api.panel`). Out: an Altair chart. Reports show charts as
SVG rendered in-process by vl-convert, so a saved notebook and its HTML display offline
(no Vega from a CDN). Text is laid out with the fonts of present/fonts/, which every page
embeds: a label measured here is drawn with the same glyphs in the reader's browser, so it
never clips. The same chart is interactive where a reader can interact (`present.lab` in
JupyterLab): its tooltips name what a mark stands for with its figures, scatters and time
lines zoom and pan, and a click on a legend entry picks that category out; a static SVG
simply draws every mark.
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from endorse_analysis.api.context import BANDS
from endorse_analysis.present.visible import visible_in_chart
from endorse_analysis.present.words import is_share, yes_no
from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import DECISION_COLOURS, DECISIONS, ENDORSE, NO_CANDIDATES, OFFICES

FONT = "DejaVu Sans"  # shipped in present/fonts/ and embedded in every page with charts
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
THIS_RACE = "#0969da"
OTHER = "#8c959f"

# A standard 50-state + DC tile grid: (column, row), row 0 at the top.
STATE_TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (10, 0),
    "WI": (5, 1), "VT": (9, 1), "NH": (10, 1),
    "WA": (0, 2), "ID": (1, 2), "MT": (2, 2), "ND": (3, 2), "MN": (4, 2), "IL": (5, 2),
    "MI": (6, 2), "NY": (8, 2), "MA": (9, 2),
    "OR": (0, 3), "NV": (1, 3), "WY": (2, 3), "SD": (3, 3), "IA": (4, 3), "IN": (5, 3),
    "OH": (6, 3), "PA": (7, 3), "NJ": (8, 3), "CT": (9, 3), "RI": (10, 3),
    "CA": (0, 4), "UT": (1, 4), "CO": (2, 4), "NE": (3, 4), "MO": (4, 4), "KY": (5, 4),
    "WV": (6, 4), "VA": (7, 4), "MD": (8, 4), "DE": (9, 4),
    "AZ": (1, 5), "NM": (2, 5), "KS": (3, 5), "AR": (4, 5), "TN": (5, 5), "NC": (6, 5),
    "SC": (7, 5), "DC": (8, 5),
    "OK": (3, 6), "LA": (4, 6), "MS": (5, 6), "AL": (6, 6), "GA": (7, 6),
    "HI": (0, 7), "TX": (3, 7), "FL": (8, 7),
}  # fmt: skip


@alt.theme.register("endorse", enable=True)
def _theme() -> dict:
    """The house style of every chart (a theme, merged when a chart is converted: cheaper
    than configuring each chart, which copies it)."""
    return {"config": {"font": FONT, "view": {"stroke": None}}}


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A chart in the house style: the `endorse` theme, enabled with this module."""
    return chart


def show(chart: alt.TopLevelMixin):
    """The chart as static SVG for a notebook (IPython.display.SVG), rendered by vl-convert."""
    from IPython.display import SVG

    return SVG(to_svg(chart))


@cache
def _vl_convert():
    import vl_convert

    vl_convert.register_font_directory(str(FONTS_DIR))
    return vl_convert


def to_svg(chart: alt.TopLevelMixin) -> str:
    # Schema validation costs more than the rendering; the tests validate every chart.
    return _vl_convert().vegalite_to_svg(visible_in_chart(chart.to_dict(validate=False)))


def _decision_colour() -> alt.Scale:
    return alt.Scale(domain=list(DECISIONS), range=[DECISION_COLOURS[d] for d in DECISIONS])


def _zoom() -> alt.Parameter:
    """Pan and zoom with the mouse (drag, wheel; double-click resets)."""
    return alt.selection_interval(bind="scales")


def _pick(field: str) -> tuple[alt.Parameter, dict]:
    """A click on a legend entry picks its category out (others fade); shift-click adds."""
    picked = alt.selection_point(fields=[field], bind="legend")
    return picked, alt.condition(picked, alt.value(0.9), alt.value(0.12))


def _tooltip(data: pd.DataFrame, fields: list[tuple[str, str, str]]) -> list[alt.Tooltip]:
    """Tooltips for the fields the data has: (column, type, title); shares as percentages,
    counts with separators."""
    tips = []
    for column, kind, title in fields:
        if column not in data.columns:
            continue
        fmt = None
        if kind == "Q":
            fmt = ".2%" if is_share(column) else ",.0f"
        tips.append(
            alt.Tooltip(f"{column}:{kind}", title=title, **({"format": fmt} if fmt else {}))
        )
    return tips


# What a contest's mark says under the pointer, in this order, for the columns a frame has.
CONTEST_TIPS = [
    ("race_id", "N", "race"), ("wave_id", "N", "wave"), ("office", "N", "office"),
    ("top_label", "N", "top choice"), ("top_share", "Q", "top share"),
    ("ballots_counted", "Q", "ballots"), ("eligible_voters", "Q", "potential voters"),
    ("turnout", "Q", "turnout"), ("decision", "N", "decision"),
]  # fmt: skip


def _contests(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[alt.Tooltip]]:
    """A contest frame cut to what its marks show and say (figures as plain floats), and
    the tooltips."""
    columns = [c for c, _, _ in CONTEST_TIPS if c in frame.columns]
    numbers = [c for c, kind, _ in CONTEST_TIPS if kind == "Q" and c in frame.columns]
    data = _numeric(frame[columns], numbers)
    return data, _tooltip(data, CONTEST_TIPS)


def _as_words(data: pd.DataFrame, column: str) -> pd.Series:
    """A category column as its legend shows it: flags as yes or no, like the tables."""
    values = data[column]
    if values.dtype == bool or values.map(lambda v: isinstance(v, bool)).all():
        return values.map(yes_no)
    return values.astype(str)


# Race report ------------------------------------------------------------------------------


def _threshold_rule(value: Fraction, text: str, colour: str) -> list[alt.Chart]:
    """A dashed rule at an exact threshold and its label, as two layers of one inline row
    each (a layer that inherited the chart's data would draw one rule per row)."""
    row = alt.Data(values=[{"x": float(value), "text": text}])
    rule = alt.Chart(row).mark_rule(color=colour, strokeDash=[5, 3], size=2).encode(x=alt.X("x:Q"))
    label = (
        alt.Chart(row)
        .mark_text(color=colour, align="left", dx=4, baseline="bottom", y=0)
        .encode(x=alt.X("x:Q"), text=alt.Text("text:N"))
    )
    return [rule, label]


def tally_bars(options: pd.DataFrame, support_threshold: Fraction) -> alt.TopLevelMixin:
    """Each option's share of the counted ballots (from `tables.chart_options`), with the
    support threshold as a rule."""
    data = options[["option", "is_candidate", "votes", "share", "share_text"]].copy()
    data["share"] = data["share"].astype("float64")
    data["kind"] = ["candidate" if c else "no endorsement" for c in data["is_candidate"]]
    data["label"] = [f"{v:,} ({t})" for v, t in zip(data["votes"], data["share_text"], strict=True)]
    data = data.drop(columns=["is_candidate", "share_text"])
    y = alt.Y("option:N", sort=list(data["option"]), title=None)
    x = alt.X(
        "share:Q",
        title="share of counted ballots",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
    )
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=["candidate", "no endorsement"], range=["#0969da", OTHER]),
                legend=None,
            ),
        )
    )
    labels = (
        alt.Chart()
        .mark_text(align="left", dx=4)
        .encode(x=alt.X("share:Q"), y=y, text=alt.Text("label:N"))
    )
    rule = _threshold_rule(
        support_threshold, f"support threshold {threshold_percent(support_threshold)}", "#cf222e"
    )
    chart = alt.layer(bars, labels, *rule, data=data).properties(
        width=460, height=max(60, 34 * len(data)), title="Share of counted ballots per option"
    )
    return _config(chart)


def turnout_in_wave(
    compared: pd.DataFrame, min_turnout: Fraction, race_id: str
) -> alt.TopLevelMixin:
    """The turnout of the wave's contests with a candidate on the ballot (from
    `api.enthusiasm.compared_contests`), by office, this race highlighted; the minimum
    turnout as a rule."""
    data = compared[["race_id", "office", "turnout", "turnout_text"]].copy()
    data["turnout"] = data["turnout"].astype("float64")
    data["mine"] = data["race_id"] == race_id
    data["label"] = [
        f"{r} {t}" if m else ""
        for r, t, m in zip(data["race_id"], data["turnout_text"], data["mine"], strict=True)
    ]
    data = data.drop(columns=["turnout_text"])
    upper = max(float(data["turnout"].max()) if len(data) else 0.0, float(min_turnout), 0.05)
    x = alt.X(
        "turnout:Q",
        title="turnout (counted ballots / potential voters)",
        scale=alt.Scale(domain=[0, min(1.0, upper * 1.05) or 1.0]),
        axis=alt.Axis(format="%"),
    )
    y = alt.Y("office:N", sort=list(OFFICES), title=None)
    others = (
        alt.Chart()
        .mark_tick(color=OTHER, thickness=2, size=18, opacity=0.7)
        .encode(x=x, y=y)
        .transform_filter("!datum.mine")
    )
    mine = alt.Chart().transform_filter("datum.mine")
    point = mine.mark_point(color=THIS_RACE, size=160, filled=True, shape="diamond").encode(
        x=x, y=y
    )
    text = mine.mark_text(color=THIS_RACE, dy=-16, fontWeight="bold").encode(
        x=x, y=y, text=alt.Text("label:N")
    )
    rule = _threshold_rule(min_turnout, f"minimum {threshold_percent(min_turnout)}", "#24292f")
    chart = alt.layer(others, point, text, *rule, data=data).properties(
        width=520,
        height=150,
        title=f"Turnout of {race_id} among the wave's {len(data):,} contests with a candidate",
    )
    return _config(chart)


def ballots_per_period(periods: pd.DataFrame) -> alt.TopLevelMixin:
    """Counted ballots per published period (from `tables.votes_over_time`: days already
    merged for privacy), in time order."""
    data = periods[["period", "counted ballots"]].rename(columns={"counted ballots": "ballots"})
    data["ballots"] = data["ballots"].astype("int64")
    order = list(data["period"])
    angle = 0 if len(data) <= 6 else -40
    base = alt.Chart(data).encode(
        x=alt.X("period:N", sort=order, title="days cast (UTC)", axis=alt.Axis(labelAngle=angle)),
        y=alt.Y("ballots:Q", title="counted ballots", scale=alt.Scale(zero=True)),
    )
    bars = base.mark_bar(color="#0969da")
    labels = base.mark_text(dy=-6, color="#24292f").encode(text=alt.Text("ballots:Q", format=","))
    width = max(160, min(520, 110 * len(data)))
    chart = (bars + labels).properties(width=width, height=200, title="Counted ballots per period")
    return _config(chart)


# Wave overview ---------------------------------------------------------------------------


def decision_space(wave_tally: pd.DataFrame, support: Fraction, turnout: Fraction):
    """Top choice's share against turnout for every contest with a top choice, coloured by
    its computed decision (what the thresholds decide); the support threshold and the
    minimum turnout drawn as rules."""
    shown = wave_tally["top_share"].notna() & wave_tally["turnout"].notna()
    data, tips = _contests(wave_tally[shown])
    picked, opacity = _pick("decision")
    points = (
        alt.Chart(data)
        .mark_circle(size=60)
        .encode(
            x=alt.X("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
            y=alt.Y(
                "top_share:Q",
                title="top choice's share",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("decision:N", scale=_decision_colour(), title="computed decision"),
            opacity=opacity,
            tooltip=tips,
        )
        .add_params(picked, _zoom())
    )
    s_rule = (
        alt.Chart(pd.DataFrame({"y": [float(support)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(y=alt.Y("y:Q"))
    )
    t_rule = (
        alt.Chart(pd.DataFrame({"x": [float(turnout)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(x=alt.X("x:Q"))
    )
    chart = (points + s_rule + t_rule).properties(
        width=480,
        height=320,
        title=f"Decision space: support (threshold {threshold_percent(support)}) "
        f"against turnout (minimum {threshold_percent(turnout)})",
    )
    return _config(chart)


def turnout_distribution(compared: pd.DataFrame, turnout: Fraction) -> alt.TopLevelMixin:
    """Histogram of the turnout of the wave's contests with a candidate on the ballot
    (from `api.enthusiasm.compared_contests`)."""
    data = compared[["race_id", "turnout"]].copy()
    data["turnout"] = data["turnout"].astype("float64")
    bars = (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(
            x=alt.X(
                "turnout:Q", bin=alt.Bin(maxbins=25), title="turnout", axis=alt.Axis(format="%")
            ),
            y=alt.Y("count():Q", title="contests"),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [float(turnout)]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE, size=2)
        .encode(x=alt.X("x:Q"))
    )
    chart = (bars + rule).properties(
        width=480,
        height=200,
        title=f"Turnout of the contests with a candidate (minimum {threshold_percent(turnout)})",
    )
    return _config(chart)


def state_tiles(wave_tally: pd.DataFrame) -> alt.TopLevelMixin:
    """A tile-grid map: endorsements (final decisions ENDORSE) per state, contests in the
    label."""
    per_state = wave_tally.groupby("state").agg(
        contests=("race_id", "size"),
        endorsements=("final_decision", lambda d: int((d == ENDORSE).sum())),
    )
    rows = []
    for state, (col, row) in STATE_TILES.items():
        contests = int(per_state["contests"].get(state, 0))
        endorsed = int(per_state["endorsements"].get(state, 0))
        rows.append(
            {
                "state": state,
                "col": col,
                "row": row,
                "contests": contests,
                "endorsements": endorsed,
                "text": f"{endorsed}/{contests}" if contests else "",
            }
        )
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
    )
    empty = base.mark_rect(stroke="white", strokeWidth=2, color="#eaeef2")
    tiles = (
        base.mark_rect(stroke="white", strokeWidth=2)
        .encode(
            color=alt.Color(
                "endorsements:Q",
                title="endorsements",
                scale=alt.Scale(scheme="greens", domainMin=0),
            )
        )
        .transform_filter("datum.contests > 0")
    )
    code = base.mark_text(dy=-6, fontWeight="bold", fontSize=11).encode(text=alt.Text("state:N"))
    count = base.mark_text(dy=8, fontSize=9).encode(text=alt.Text("text:N"))
    chart = (empty + tiles + code + count).properties(
        width=11 * 44,
        height=8 * 40,
        title="Endorsements per state (label: endorsed / contests; grey: no contest)",
    )
    return _config(chart)


def decision_counts(wave_tally: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests per office, stacked by final decision."""
    data = (
        wave_tally.groupby(["office", "final_decision"], as_index=False)
        .size()
        .rename(columns={"final_decision": "decision"})
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("office:N", sort=list(OFFICES), title=None),
            x=alt.X("size:Q", title="contests"),
            color=alt.Color("decision:N", scale=_decision_colour(), title="final decision"),
            order=alt.Order("decision_rank:Q"),
        )
        .transform_calculate(
            decision_rank="indexof(" + repr(list(DECISIONS)).replace("'", '"') + ", datum.decision)"
        )
        .properties(width=420, height=110, title="Final decisions per office")
    )
    return _config(chart)


# Vetting docket and the analyst's notebooks (api.docket, api.explore) -------------------


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with nullable numbers as plain floats (missing: NaN), which Vega-Lite reads."""
    data = frame.copy()
    for column in columns:
        data[column] = pd.to_numeric(data[column], errors="coerce").astype("float64")
    return data


def docket_funnel(funnel: pd.DataFrame) -> alt.TopLevelMixin:
    """The wave's candidates at each stage of the docket, from `docket.funnel`."""
    data = _numeric(funnel[["stage", "candidates"]], ["candidates"])
    order = list(data["stage"])
    base = alt.Chart(data).encode(
        y=alt.Y("stage:N", sort=order, title=None),
        x=alt.X("candidates:Q", title="candidates"),
    )
    chart = base.mark_bar(color="#0969da") + base.mark_text(align="left", dx=4).encode(
        text=alt.Text("candidates:Q")
    )
    return _config(
        chart.properties(
            width=420, height=34 * len(data), title="From local endorsement to national endorsement"
        )
    )


def reach_states(by_state: pd.DataFrame, labelled: int = 12) -> alt.TopLevelMixin:
    """Potential voters against local groups per state (from `explore.reach_by_state`);
    the `labelled` states with the most potential voters carry their code (labelling all
    fifty makes them overlap), every point its tooltip."""
    columns = [c for c in ("state", "state_name", "potential_voters", "groups",
                            "potential_voters_per_group") if c in by_state.columns]  # fmt: skip
    data = _numeric(by_state[columns], ["potential_voters", "groups"])
    largest = set(data.nlargest(labelled, "potential_voters")["state"])
    data["label"] = [s if s in largest else "" for s in data["state"]]
    base = alt.Chart(data).encode(
        x=alt.X("groups:Q", title="local groups"),
        y=alt.Y("potential_voters:Q", title="potential voters"),
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
    return _config(
        chart.properties(width=480, height=300, title="Potential voters and local groups per state")
    )


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
    return _config(chart.properties(width=520, height=200, title=title))


def signup_deadline_rush(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Sign-ups per day around each wave's sign-up deadline (`explore.signups_around_deadlines`)."""
    data = _numeric(frame[["wave_id", "day", "signups"]], ["day", "signups"]).dropna()
    picked, opacity = _pick("wave_id")
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
    return _config((lines + rule).properties(width=520, height=220, title=title))


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
    return _config((bars + ticks).properties(width=420, height=max(60, height), title=title))


def turnout_by_size(contests: pd.DataFrame) -> alt.TopLevelMixin:
    """Each contest's turnout against its number of potential voters (log scale), by office."""
    shown = (contests["eligible_voters"] > 0) & (contests["candidates_on_ballot"] > 0)
    data, tips = _contests(contests[shown])
    picked, opacity = _pick("office")
    chart = (
        alt.Chart(data)
        .mark_circle(size=30)
        .encode(
            x=alt.X("eligible_voters:Q", scale=alt.Scale(type="log"), title="potential voters"),
            y=alt.Y("turnout:Q", axis=alt.Axis(format="%"), title="turnout"),
            color=alt.Color("office:N", sort=list(OFFICES)),
            opacity=opacity,
            tooltip=tips,
        )
        .add_params(picked, _zoom())
    )
    return _config(chart.properties(width=480, height=300, title="Turnout and contest size"))


def arrivals(frame: pd.DataFrame, first_hours: int = 24) -> alt.TopLevelMixin:
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
    return _config((bars + rule).properties(width=520, height=220, title=title))


def _hidden_title(text: str, counts: pd.Series) -> alt.TitleParams | str:
    """A chart's title, and under it how many of its cells are hidden and not drawn (a
    missing bar is not a zero)."""
    hidden = int(counts.isna().sum())
    if not hidden:
        return text
    return alt.TitleParams(text, subtitle=f"{hidden:,} hidden cell(s) not drawn (privacy)")


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
    return _config(chart.properties(width=480, height=200, title=title))


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
    return _config((bars + rule).properties(width=480, height=200, title=title))


# Contests across waves, member flows and groups (api.panel, api.members, api.explore) --


def panel_turnout(panel: pd.DataFrame) -> alt.TopLevelMixin:
    """Turnout of each race in every wave it had a contest (from `panel.contest_panel`), a
    line per race, waves in order; points coloured by decision. Hover a line to follow
    one race; a click on the legend picks a decision out."""
    data, tips = _contests(panel)
    order = list(dict.fromkeys(panel["wave_id"]))
    hover = alt.selection_point(fields=["race_id"], on="pointerover", clear="pointerout")
    picked, opacity = _pick("decision")
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
            color=alt.Color("decision:N", scale=_decision_colour(), title="decision"),
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
    return _config(chart)


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
    picked, opacity = _pick("kind")
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
    return _config(chart.properties(width=460, height=max(60, 18 * len(data) + 20), title=title))


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
    fmt = ".1%" if percent else ".2f"
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
        alt.Tooltip(f"{c}:Q", format=fmt, title=c.replace("_", " ")) for c in (rate, low, high)
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
    return _config(alt.layer(*layers).properties(width=440, height=max(60, 24 * rows), title=title))


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
    return _config((cells + text).properties(width=420, height=160, title=title))


def vote_changes(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Per wave, members who voted more than once in a contest and those of them whose
    counted choice differs from their first (`members.vote_changes`)."""
    kinds = {"revoting_members": "voted more than once", "changed_choice": "changed choice"}
    return _members_per_wave(frame, kinds, "Vote changes", "members (once per contest)")


# Electoral context (api.context) --------------------------------------------------------


def _with_context(contests: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """The wave's tally beside each race's 2024 margin and band."""
    return contests.merge(context[["race_id", "margin", "lean", "band"]], on="race_id")


def decisions_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests per 2024 competitiveness band, stacked by final decision."""
    data = (
        _with_context(contests, context)
        .groupby(["band", "final_decision"], as_index=False)
        .size()
        .rename(columns={"final_decision": "decision", "size": "contests"})
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("band:N", sort=list(BANDS), title="2024 lean"),
            x=alt.X("contests:Q", title="contests"),
            color=alt.Color("decision:N", scale=_decision_colour(), title="final decision"),
            order=alt.Order("decision_rank:Q"),
            tooltip=[alt.Tooltip("band:N"), alt.Tooltip("decision:N"), alt.Tooltip("contests:Q")],
        )
        .transform_calculate(
            decision_rank="indexof(" + repr(list(DECISIONS)).replace("'", '"') + ", datum.decision)"
        )
        .properties(width=420, height=170, title="Final decisions by the race's 2024 lean")
    )
    return _config(chart)


def turnout_against_lean(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Each contest with a candidate and a 2024 figure: its turnout against the 2024
    margin (Democratic to the left, Republican to the right), coloured by final decision."""
    data = _with_context(contests, context)
    data = data[(data["decision"] != NO_CANDIDATES) & data["margin"].notna()]
    data = _numeric(data[["race_id", "final_decision", "lean", "margin", "turnout"]],
                    ["margin", "turnout"]).dropna(subset=["turnout"])  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_circle(size=50, opacity=0.8)
        .encode(
            x=alt.X("margin:Q", title="2024 presidential margin, points (D left, R right)"),
            y=alt.Y("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
            color=alt.Color("final_decision:N", scale=_decision_colour(), title="final decision"),
            tooltip=[
                alt.Tooltip("race_id:N"),
                alt.Tooltip("lean:N"),
                alt.Tooltip("turnout:Q", format=".2%"),
            ],
        )
    )
    even = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#8c959f").encode(x=alt.X("x:Q"))
    chart = (points + even).properties(
        width=480, height=280, title="Turnout against the race's 2024 lean"
    )
    return _config(chart)


def no_candidates_by_band(contests: pd.DataFrame, context: pd.DataFrame) -> alt.TopLevelMixin:
    """Contests with no candidate on the ballot per 2024 band: where no one was put up."""
    data = _with_context(contests, context)
    data = (
        data[data["decision"] == NO_CANDIDATES]
        .groupby("band", as_index=False)
        .size()
        .rename(columns={"size": "contests"})
    )
    base = alt.Chart(data).encode(
        y=alt.Y("band:N", sort=list(BANDS), title="2024 lean"),
        x=alt.X("contests:Q", title="contests with no candidate"),
    )
    chart = base.mark_bar(color=DECISION_COLOURS[NO_CANDIDATES]) + base.mark_text(
        align="left", dx=4
    ).encode(text=alt.Text("contests:Q"))
    return _config(
        chart.properties(width=420, height=150, title="Contests with no candidate, by 2024 lean")
    )


def lean_trend(contests: pd.DataFrame, y: str, fitted, title: str) -> alt.TopLevelMixin:  # noqa: ANN001 - an api.dynamics.Trend or None
    """A share (`y`: turnout or top_share) of each contest against its 2024 margin, with
    the fitted line and its 95% band (from `api.dynamics.trend`) where there is one."""
    data = _numeric(contests[["wave_id", "race_id", "margin", y, "final_decision"]],
                    ["margin", y]).dropna(subset=["margin", y])  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_circle(size=35, opacity=0.6)
        .encode(
            x=alt.X("margin:Q", title="2024 presidential margin, points (D left, R right)"),
            y=alt.Y(f"{y}:Q", title=y.replace("_", " "), axis=alt.Axis(format="%")),
            color=alt.Color("final_decision:N", scale=_decision_colour(), title="final decision"),
            tooltip=[
                alt.Tooltip("wave_id:N"),
                alt.Tooltip("race_id:N"),
                alt.Tooltip(f"{y}:Q", format=".2%"),
            ],
        )
    )
    layers = [points]
    if fitted is not None:
        line = alt.Chart(fitted.line)
        layers.insert(0, line.mark_area(opacity=0.2, color="#24292f").encode(
            x=alt.X("margin:Q"), y=alt.Y("low:Q"), y2=alt.Y2("high:Q")))  # fmt: skip
        layers.append(line.mark_line(color="#24292f").encode(x=alt.X("margin:Q"), y=alt.Y("fit:Q")))
    return _config(alt.layer(*layers).properties(width=480, height=280, title=title))
