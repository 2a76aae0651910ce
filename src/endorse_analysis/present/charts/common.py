"""The house style of every chart and what the charts share: the fonts, the colours, the
`endorse` theme, tooltips, pan and zoom, legend picks, and `to_svg`.

In: an Altair chart or a frame. Out: SVG text, scales, tooltips, plain-float frames.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from endorse_analysis.present.visible import visible_in_chart
from endorse_analysis.present.words import is_share, yes_no
from endorse_analysis.rules.words import float_percent
from endorse_analysis.vocabulary import DECISION_BADGES, DECISION_COLOURS, DECISIONS

FONT = "DejaVu Sans"  # shipped in present/fonts/ and embedded in every page with charts
FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
THIS_RACE = "#0969da"
OTHER = "#8c959f"


@alt.theme.register("endorse", enable=True)
def _theme() -> dict:
    """The house style of every chart (a theme, merged when a chart is converted: cheaper
    than configuring each chart, which copies it)."""
    return {"config": {"font": FONT, "view": {"stroke": None}}}


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


def _decision_colour(field: str, title: str) -> alt.Color:
    """A decision column in the decisions' colours, its legend in words (NO ENDORSEMENT)."""
    words = ", ".join(f"{json.dumps(d)}: {json.dumps(DECISION_BADGES[d])}" for d in DECISIONS)
    return alt.Color(
        f"{field}:N",
        scale=alt.Scale(domain=list(DECISIONS), range=[DECISION_COLOURS[d] for d in DECISIONS]),
        legend=alt.Legend(labelExpr=f"{{{words}}}[datum.label] || datum.label"),
        title=title,
    )


def _zoom() -> alt.Parameter:
    """Pan and zoom with the mouse (drag, wheel; double-click resets)."""
    return alt.selection_interval(bind="scales")


def _legend_pick(field: str) -> tuple[alt.Parameter, dict]:
    """A click on a legend entry picks its category out (others fade); shift-click adds."""
    picked = alt.selection_point(fields=[field], bind="legend")
    return picked, alt.condition(picked, alt.value(0.9), alt.value(0.12))


def _percent_tip(data: pd.DataFrame, column: str, title: str | None = None) -> alt.Tooltip:
    """A share's tooltip, truncated like the pages' percentages (d3's formats round): adds
    the column's text (`float_percent`) to `data` and shows that."""
    shown = f"{column}_text"
    data[shown] = [float_percent(v) for v in data[column]]
    return alt.Tooltip(f"{shown}:N", title=title or column.replace("_", " "))


def _tooltip(data: pd.DataFrame, fields: list[tuple[str, str, str]]) -> list[alt.Tooltip]:
    """Tooltips for the fields the data has: (column, type, title); shares as truncated
    percentages (their text added to `data`), counts with separators."""
    tips = []
    for column, kind, title in fields:
        if column not in data.columns:
            continue
        if kind == "Q" and is_share(column):
            tips.append(_percent_tip(data, column, title))
        elif kind == "Q":
            tips.append(alt.Tooltip(f"{column}:Q", title=title, format=",.0f"))
        else:
            tips.append(alt.Tooltip(f"{column}:{kind}", title=title))
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


def _contest_points(
    frame: pd.DataFrame, x: alt.X, y: alt.Y, colour: alt.Color, pick: str, size: int
) -> alt.Chart:
    """A point per contest of `frame` with its tooltips, coloured; a click on the legend
    picks a category of `pick` out; pan and zoom."""
    data, tips = _contests(frame)
    picked, opacity = _legend_pick(pick)
    return (
        alt.Chart(data)
        .mark_circle(size=size)
        .encode(x=x, y=y, color=colour, opacity=opacity, tooltip=tips)
        .add_params(picked, _zoom())
    )


def _as_words(data: pd.DataFrame, column: str) -> pd.Series:
    """A category column as its legend shows it: flags as yes or no, like the tables."""
    values = data[column]
    if values.dtype == bool or values.map(lambda v: isinstance(v, bool)).all():
        return values.map(yes_no)
    return values.astype(str)


def _numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with nullable numbers as plain floats (missing: NaN), which Vega-Lite reads."""
    data = frame.copy()
    for column in columns:
        data[column] = pd.to_numeric(data[column], errors="coerce").astype("float64")
    return data


def _hidden_title(text: str, counts: pd.Series) -> alt.TitleParams | str:
    """A chart's title, and under it how many of its cells are hidden and not drawn (a
    missing bar is not a zero)."""
    hidden = int(counts.isna().sum())
    if not hidden:
        return text
    return alt.TitleParams(text, subtitle=f"{hidden:,} hidden cell(s) not drawn (privacy)")
