"""The vetting docket's chart: the wave's candidates at each stage of the docket.

In: `api.docket.funnel`. Out: an Altair chart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from endorse_analysis.present.charts.common import (
    _numeric,
)


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
    return chart.properties(
        width=420, height=34 * len(data), title="From local endorsement to national endorsement"
    )
