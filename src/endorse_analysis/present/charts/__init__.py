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

from endorse_analysis.present.charts.calendar import (
    by_seat,
    by_weeks,
    primary_weeks,
)
from endorse_analysis.present.charts.common import (
    CONTEST_TIPS,
    FONT,
    FONTS_DIR,
    OTHER,
    THIS_RACE,
    show,
    to_svg,
)
from endorse_analysis.present.charts.context import (
    decisions_by_band,
    lean_trend,
    no_candidates_by_band,
    turnout_against_lean,
)
from endorse_analysis.present.charts.docket import (
    docket_funnel,
)
from endorse_analysis.present.charts.explore import (
    arrivals,
    decision_crosstab,
    margin_histogram,
    member_funnel,
    panel_turnout,
    rate_intervals,
    reach_states,
    share_histogram,
    signup_deadline_rush,
    signups_over_time,
    turnout_bars,
    turnout_by_size,
    vote_changes,
)
from endorse_analysis.present.charts.overview import (
    STATE_TILES,
    decision_counts,
    decision_space,
    state_tiles,
    turnout_distribution,
)
from endorse_analysis.present.charts.race import (
    ballots_per_period,
    tally_bars,
    turnout_in_wave,
)

__all__ = [
    "FONT",
    "FONTS_DIR",
    "THIS_RACE",
    "OTHER",
    "show",
    "to_svg",
    "CONTEST_TIPS",
    "tally_bars",
    "turnout_in_wave",
    "ballots_per_period",
    "STATE_TILES",
    "decision_space",
    "turnout_distribution",
    "state_tiles",
    "decision_counts",
    "docket_funnel",
    "reach_states",
    "signups_over_time",
    "signup_deadline_rush",
    "turnout_bars",
    "turnout_by_size",
    "arrivals",
    "share_histogram",
    "margin_histogram",
    "panel_turnout",
    "member_funnel",
    "rate_intervals",
    "decision_crosstab",
    "vote_changes",
    "decisions_by_band",
    "turnout_against_lean",
    "no_candidates_by_band",
    "lean_trend",
    "primary_weeks",
    "by_weeks",
    "by_seat",
]
