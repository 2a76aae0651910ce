"""What an analyst's notebook displays: tables of aggregates, sentences and charts.

In: a frame of aggregates, a sentence, or an Altair chart from `present.charts`. Out: an
IPython display object. A chart is interactive in JupyterLab (tooltips, zoom, selection),
drawn by the Vega bundle that vl-convert ships through an anywidget widget, so nothing is
fetched from a network; anywhere else (nbval, Papermill, nbconvert, a kernel without a
widget front end) it is the static SVG that the rendered reports use. A table scrolls
sideways rather than hide a column, and its ids and times never wrap.
"""

from __future__ import annotations

import os
from functools import cache

import altair as alt
import pandas as pd
from IPython.display import HTML, SVG

from endorse_analysis.present import charts
from endorse_analysis.present.html import table_html
from endorse_analysis.present.pages import say
from endorse_analysis.present.tables import as_text
from endorse_analysis.present.visible import needs_escape_in_chart, visible_in_chart

__all__ = ["chart", "interactive_charts", "say", "table"]

# "interactive" or "static" forces one kind of chart; unset, charts are interactive in a
# kernel that a Jupyter server started (JupyterLab), static elsewhere.
CHARTS_VARIABLE = "ENDORSE_CHARTS"
# Set by jupyter_server for the kernels of its sessions, never by nbval, Papermill or
# nbconvert, whose saved outputs must be readable without a widget front end.
SERVER_KERNEL_VARIABLE = "JPY_SESSION_NAME"
# Columns whose cells stay on one line: ids, names, places and instants.
NOWRAP_WORDS = ("_id", "race", "wave", "state", "_at", "deadline", "period", "choice", "name")


def interactive_charts() -> bool:
    """Whether `chart` draws interactive charts here (see the module's docstring)."""
    choice = os.environ.get(CHARTS_VARIABLE, "").strip().lower()
    if choice in ("interactive", "static"):
        return choice == "interactive"
    return bool(os.environ.get(SERVER_KERNEL_VARIABLE))


@cache
def _offline_widgets() -> bool:
    """Point Altair's widget at vl-convert's bundled Vega (once per kernel: it is slow);
    False when anywidget is not installed (the `lab` extra)."""
    try:
        import anywidget  # noqa: F401
    except ImportError:
        return False
    alt.JupyterChart.enable_offline()
    return True


@cache
def _lab_chart() -> type:
    class LabChart(alt.JupyterChart):
        """Altair's widget, saved with the chart's static SVG beside its view, so that
        the notebook exported (`--to endorse_html`) or read without a widget manager
        still shows the chart."""

        def __init__(self, chart: alt.TopLevelMixin) -> None:
            # SVG marks: text a reader can select, and marks a browser test can point at.
            spec = chart.to_dict(validate=False)
            shown = chart
            if needs_escape_in_chart(spec):  # rebuilt only then: the round trip costs tooltips
                shown = type(chart).from_dict(visible_in_chart(spec), validate=False)
            super().__init__(shown, embed_options={"actions": False, "renderer": "svg"})
            self._still = charts.to_svg(chart)

        def _repr_mimebundle_(self, **kwargs: object) -> object:
            bundle = super()._repr_mimebundle_(**kwargs)
            if isinstance(bundle, tuple):  # (data, metadata)
                return {**bundle[0], "image/svg+xml": self._still}, bundle[1]
            return {**bundle, "image/svg+xml": self._still}

    return LabChart


def chart(altair_chart: alt.TopLevelMixin) -> object:
    """The chart to display: an interactive widget in the lab (with its static SVG
    beside it), else static SVG. In the lab the widget's `selections` hold what the
    reader selected, for the next cell to use."""
    if interactive_charts() and _offline_widgets():
        return _lab_chart()(altair_chart)
    return SVG(charts.to_svg(altair_chart))


def _nowrap(column: str) -> bool:
    return any(word in column for word in NOWRAP_WORDS)


def table(frame: pd.DataFrame, max_rows: int | None = 60, timezone: str | None = None) -> HTML:
    """A frame of aggregates as text (`tables.as_text`: counts with separators, shares
    truncated, hidden cells as 'hidden', instants in `timezone` and UTC), every value
    escaped, in a box that scrolls sideways; rows past `max_rows` are counted."""
    shown = frame if max_rows is None else frame.head(max_rows)
    more = len(frame) - len(shown)
    text = as_text(shown, timezone=timezone)
    body = table_html(text, nowrap=tuple(c for c in text.columns if _nowrap(str(c))))
    note = f"<p>… and {more:,} more row(s); show them with max_rows=None.</p>" if more else ""
    return HTML(f'<div style="overflow-x:auto;max-width:100%">{body}</div>{note}')
