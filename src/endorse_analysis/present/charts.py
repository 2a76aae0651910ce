"""One function per chart, each returning an Altair chart; `show` turns one into static SVG.

In: small frames of aggregates (the wave's tally, `present.tables`, `api.enthusiasm`,
`api.explore`). Out: an Altair chart. Reports show charts as SVG rendered in-process by
vl-convert, so a saved notebook and its HTML display offline and on GitHub (no Vega from
a CDN, no web fonts).
"""

from __future__ import annotations

from fractions import Fraction

import altair as alt
import pandas as pd

from endorse_analysis.rules.words import threshold_percent
from endorse_analysis.vocabulary import DECISION_COLOURS, DECISIONS, ENDORSE, OFFICES

FONT = "Helvetica, Arial, sans-serif"  # system fonts only: nothing is fetched
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


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(font=FONT).configure_view(stroke=None)


def show(chart: alt.TopLevelMixin):
    """The chart as static SVG for a notebook (IPython.display.SVG), rendered by vl-convert."""
    from IPython.display import SVG

    return SVG(to_svg(chart))


def to_svg(chart: alt.TopLevelMixin) -> str:
    import vl_convert

    # Schema validation costs more than the rendering; the tests validate every chart.
    return vl_convert.vegalite_to_svg(chart.to_dict(validate=False))


def _decision_colour() -> alt.Scale:
    return alt.Scale(domain=list(DECISIONS), range=[DECISION_COLOURS[d] for d in DECISIONS])


# Race report ------------------------------------------------------------------------------


def tally_bars(options: pd.DataFrame, support_threshold: Fraction) -> alt.TopLevelMixin:
    """Each option's share of the counted ballots (from `tables.chart_options`), with the
    support threshold as a rule."""
    data = options[["option", "is_candidate", "votes", "share", "share_text"]].copy()
    data["share"] = data["share"].astype("float64")
    data["kind"] = ["candidate" if c else "no endorsement" for c in data["is_candidate"]]
    order = list(data["option"])
    base = alt.Chart(data)
    bars = base.mark_bar().encode(
        x=alt.X(
            "share:Q",
            title="share of counted ballots",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        y=alt.Y("option:N", sort=order, title=None),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=["candidate", "no endorsement"], range=["#0969da", OTHER]),
            legend=None,
        ),
    )
    labels = (
        base.mark_text(align="left", dx=4)
        .encode(
            x="share:Q",
            y=alt.Y("option:N", sort=order),
            text=alt.Text("label_text:N"),
        )
        .transform_calculate(label_text="format(datum.votes, ',') + ' (' + datum.share_text + ')'")
    )
    threshold = pd.DataFrame(
        {
            "x": [float(support_threshold)],
            "text": [f"support threshold {threshold_percent(support_threshold)}"],
        }
    )
    rule = (
        alt.Chart(threshold).mark_rule(color="#cf222e", strokeDash=[5, 3], size=2).encode(x="x:Q")
    )
    rule_text = (
        alt.Chart(threshold)
        .mark_text(color="#cf222e", align="left", dx=4, baseline="bottom", y=0)
        .encode(x="x:Q", text="text:N")
    )
    chart = (bars + labels + rule + rule_text).properties(
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
    data["is_this_race"] = data["race_id"] == race_id
    data["contest"] = ["this race" if t else "other contests" for t in data["is_this_race"]]
    upper = max(float(data["turnout"].max()) if len(data) else 0.0, float(min_turnout), 0.05)
    x = alt.X(
        "turnout:Q",
        title="turnout (counted ballots / potential voters)",
        scale=alt.Scale(domain=[0, min(1.0, upper * 1.05) or 1.0]),
        axis=alt.Axis(format="%"),
    )
    y = alt.Y("office:N", sort=list(OFFICES), title=None)
    others = (
        alt.Chart(data[~data["is_this_race"]])
        .mark_tick(color=OTHER, thickness=2, size=18, opacity=0.7)
        .encode(x=x, y=y)
    )
    mine = (
        alt.Chart(data[data["is_this_race"]])
        .mark_point(color=THIS_RACE, size=160, filled=True, shape="diamond")
        .encode(x=x, y=y)
    )
    mine_text = (
        alt.Chart(data[data["is_this_race"]])
        .mark_text(color=THIS_RACE, dy=-16, fontWeight="bold")
        .encode(x=x, y=y, text=alt.Text("label:N"))
        .transform_calculate(label="datum.race_id + ' ' + datum.turnout_text")
    )
    threshold = pd.DataFrame(
        {"x": [float(min_turnout)], "text": [f"minimum {threshold_percent(min_turnout)}"]}
    )
    rule = alt.Chart(threshold).mark_rule(color="#24292f", strokeDash=[5, 3]).encode(x="x:Q")
    rule_text = (
        alt.Chart(threshold).mark_text(align="left", dx=4, y=-6).encode(x="x:Q", text="text:N")
    )
    chart = (others + mine + mine_text + rule + rule_text).properties(
        width=520,
        height=150,
        title=f"Turnout of {race_id} among the wave's {len(data):,} contests with a candidate",
    )
    return _config(chart)


def cumulative_ballots(periods: pd.DataFrame) -> alt.TopLevelMixin:
    """Cumulative counted ballots at the end of each published period (from
    `tables.votes_over_time`: periods already merged for privacy)."""
    data = periods[["last_day", "cumulative"]].copy()
    if data.empty:
        note = pd.DataFrame({"text": ["No ballots were counted."]})
        chart = (
            alt.Chart(note)
            .mark_text(align="left", fontSize=13, color="#57606a")
            .encode(text="text:N")
        )
        return _config(chart.properties(width=520, height=30, title="Counted ballots over time"))
    data["last_day"] = pd.to_datetime(data["last_day"])
    data["cumulative"] = data["cumulative"].astype("int64")
    base = alt.Chart(data).encode(
        x=alt.X("yearmonthdate(last_day):T", title="end of period (UTC)"),
        y=alt.Y("cumulative:Q", title="counted ballots, cumulative"),
    )
    chart = base.mark_line(color="#0969da") + base.mark_point(color="#0969da", filled=True)
    return _config(chart.properties(width=520, height=220, title="Counted ballots over time"))


# Wave overview ---------------------------------------------------------------------------


def decision_space(wave_tally: pd.DataFrame, support: Fraction, turnout: Fraction):
    """Top choice's share against turnout for every contest with a top choice, coloured by
    its computed decision (what the thresholds decide); the support threshold and the
    minimum turnout drawn as rules."""
    data = wave_tally[wave_tally["top_share"].notna() & wave_tally["turnout"].notna()][
        ["race_id", "office", "decision", "top_share", "turnout", "ballots_counted"]
    ].copy()
    data["top_share"] = data["top_share"].astype("float64")
    data["turnout"] = data["turnout"].astype("float64")
    points = (
        alt.Chart(data)
        .mark_circle(size=60, opacity=0.8)
        .encode(
            x=alt.X("turnout:Q", title="turnout", axis=alt.Axis(format="%")),
            y=alt.Y(
                "top_share:Q",
                title="top choice's share",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color("decision:N", scale=_decision_colour(), title="computed decision"),
            tooltip=["race_id:N", "decision:N"],
        )
    )
    s_rule = (
        alt.Chart(pd.DataFrame({"y": [float(support)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(y="y:Q")
    )
    t_rule = (
        alt.Chart(pd.DataFrame({"x": [float(turnout)]}))
        .mark_rule(strokeDash=[5, 3], color="#24292f")
        .encode(x="x:Q")
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
        .encode(x="x:Q")
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
    code = base.mark_text(dy=-6, fontWeight="bold", fontSize=11).encode(text="state:N")
    count = base.mark_text(dy=8, fontSize=9).encode(text="text:N")
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
        text="candidates:Q"
    )
    return _config(
        chart.properties(
            width=420, height=34 * len(data), title="From local endorsement to national endorsement"
        )
    )


def reach_states(by_state: pd.DataFrame) -> alt.TopLevelMixin:
    """Potential voters against local groups per state (from `explore.reach_by_state`)."""
    data = _numeric(
        by_state[["state", "potential_voters", "groups"]], ["potential_voters", "groups"]
    )
    base = alt.Chart(data).encode(
        x=alt.X("groups:Q", title="local groups"),
        y=alt.Y("potential_voters:Q", title="potential voters"),
    )
    chart = base.mark_circle(size=50, opacity=0.7, color="#0969da") + base.mark_text(
        dx=9, align="left", fontSize=9
    ).encode(text="state:N")
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
        .encode(x=alt.X("period:T", title=None), y=alt.Y("signups:Q", title="sign-ups"))
    )
    title = _hidden_title("Member sign-ups over time", frame["signups"])
    return _config(chart.properties(width=520, height=200, title=title))


def signup_deadline_rush(frame: pd.DataFrame) -> alt.TopLevelMixin:
    """Sign-ups per day around each wave's sign-up deadline (`explore.signups_around_deadlines`)."""
    data = _numeric(frame[["wave_id", "day", "signups"]], ["day", "signups"]).dropna()
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("day:Q", title="days from the sign-up deadline (0: the day after)"),
            y=alt.Y("signups:Q", title="sign-ups per day"),
            color=alt.Color("wave_id:N", title="wave"),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [0.0]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE)
        .encode(x="x:Q")
    )
    title = _hidden_title("The rush before each sign-up deadline", frame["signups"])
    return _config((lines + rule).properties(width=520, height=220, title=title))


def turnout_bars(
    frame: pd.DataFrame, category: str, title: str, colour: str | None = None
) -> alt.TopLevelMixin:
    """Pooled turnout (bars) and the median contest's turnout (ticks) per category, from
    `explore.turnout_by_wave_office` or `explore.turnout_by`."""
    columns = [category] + ([colour] if colour and colour != category else [])
    data = _numeric(
        frame[[*columns, "turnout", "median_turnout", "contests"]],
        ["turnout", "median_turnout", "contests"],
    )
    data[category] = data[category].astype(str)
    y = alt.Y(f"{category}:N", title=None, sort=None)
    offset = {}
    encode = {"y": y, "x": alt.X("turnout:Q", title="turnout", axis=alt.Axis(format="%"))}
    if colour:
        data[colour] = data[colour].astype(str)
        encode["color"] = alt.Color(f"{colour}:N")
        if colour != category:
            offset = {"yOffset": alt.YOffset(f"{colour}:N")}
    bars = alt.Chart(data).mark_bar(opacity=0.85).encode(**encode, **offset)
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#24292f", thickness=2)
        .encode(y=y, x="median_turnout:Q", **offset)
    )
    height = (26 if offset else 30) * len(data)
    return _config((bars + ticks).properties(width=420, height=max(60, height), title=title))


def turnout_by_size(contests: pd.DataFrame) -> alt.TopLevelMixin:
    """Each contest's turnout against its number of potential voters (log scale), by office."""
    data = contests[(contests["eligible_voters"] > 0) & (contests["candidates_on_ballot"] > 0)]
    data = _numeric(
        data[["race_id", "wave_id", "office", "eligible_voters", "turnout"]],
        ["eligible_voters", "turnout"],
    )
    chart = (
        alt.Chart(data)
        .mark_circle(size=30, opacity=0.6)
        .encode(
            x=alt.X("eligible_voters:Q", scale=alt.Scale(type="log"), title="potential voters"),
            y=alt.Y("turnout:Q", axis=alt.Axis(format="%"), title="turnout"),
            color=alt.Color("office:N", sort=list(OFFICES)),
            tooltip=["wave_id:N", "race_id:N"],
        )
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
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"x": [float(first_hours)]}))
        .mark_rule(strokeDash=[5, 3], color=THIS_RACE, size=2)
        .encode(x="x:Q")
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


def _contest_histogram(frame: pd.DataFrame, column: str, x: alt.X) -> alt.Chart:
    """Contests counted per bin of one column (missing values left out)."""
    data = _numeric(frame[[column]], [column]).dropna()
    return (
        alt.Chart(data)
        .mark_bar(color="#0969da")
        .encode(x=x, y=alt.Y("count():Q", title="contests"))
    )


def share_histogram(frame: pd.DataFrame, column: str, title: str) -> alt.TopLevelMixin:
    """Histogram of a share (0..1) column, missing values left out."""
    bins = alt.Bin(maxbins=20, extent=[0, 1])
    x = alt.X(f"{column}:Q", bin=bins, title=column.replace("_", " "), axis=alt.Axis(format="%"))
    chart = _contest_histogram(frame, column, x)
    return _config(chart.properties(width=480, height=200, title=title))


def margin_histogram(frame: pd.DataFrame, column: str, title: str) -> alt.TopLevelMixin:
    """Histogram of a margin in ballots (from `explore.threshold_margins`), 0 marked."""
    x = alt.X(f"{column}:Q", bin=alt.Bin(maxbins=30), title=column.replace("_", " "))
    bars = _contest_histogram(frame, column, x)
    rule = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=THIS_RACE, size=2).encode(x="x:Q")
    return _config((bars + rule).properties(width=480, height=200, title=title))
