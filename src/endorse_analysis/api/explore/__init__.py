"""Analysis for the analyst's notebooks (notebooks/explore_*.ipynb), a module per notebook:
reach, enthusiasm (with mobilisation by group), timing and outcomes of the program.

In: an open connection (`endorse_analysis.connect`). Out: pandas DataFrames of aggregates.
Decisions come from `tally` and the queries from the rule macros (rules/sql/explore.sql),
never from a copy of the rules; a ballot is a counted ballot, as everywhere. Privacy
(docs/rules.md §3): per-contest totals are shown as they are; a finer breakdown of ballots or
members (by hour, by day, by month) is protected with the totals and the other
breakdowns published beside it in the same notebook (`rules.privacy.protect`): a hidden
cell becomes missing, and none can be worked out from what is shown. The timing figures
of a wave (per hour, per contest, the first hours) are protected together, and so are
the sign-up figures (per period, around each deadline, the rush), each set at the
notebook's parameters. No member id or personal column ever leaves a query.
"""

from endorse_analysis.api.explore.common import (
    CONTEST_FIGURES,
    candidate_names,
    wave_ids,
    waves,
)
from endorse_analysis.api.explore.enthusiasm import (
    CHI2_1_MEDIAN,
    GROUP_BUCKETS,
    contest_expectations,
    contest_summary,
    mobilisation_by_group,
    turnout_by,
    turnout_by_wave_office,
    turnout_outliers,
)
from endorse_analysis.api.explore.outcomes import (
    MARGIN_COLUMNS,
    close_contests,
    method_comparison,
    sensitivity_counts,
    support_vs_turnout,
    threshold_label,
    threshold_margins,
    threshold_sensitivity,
    threshold_variants,
)
from endorse_analysis.api.explore.reach import (
    BASELINE_WEEKS,
    DAYS_AFTER_DEADLINE,
    DAYS_BEFORE_DEADLINE,
    RUSH_DAYS,
    SIGNUP_UNIT,
    SIGNUP_UNITS,
    districts_without_groups,
    reach_by_district,
    reach_by_state,
    signup_rush,
    signups,
    signups_around_deadlines,
)
from endorse_analysis.api.explore.timing import (
    FIRST_HOURS,
    arrival_summary,
    arrivals_by_hour,
    first_hours_by_contest,
)

__all__ = [
    "CONTEST_FIGURES",
    "wave_ids",
    "waves",
    "candidate_names",
    "SIGNUP_UNITS",
    "SIGNUP_UNIT",
    "DAYS_BEFORE_DEADLINE",
    "DAYS_AFTER_DEADLINE",
    "RUSH_DAYS",
    "BASELINE_WEEKS",
    "reach_by_district",
    "reach_by_state",
    "districts_without_groups",
    "signups",
    "signups_around_deadlines",
    "signup_rush",
    "CHI2_1_MEDIAN",
    "contest_summary",
    "turnout_by_wave_office",
    "GROUP_BUCKETS",
    "turnout_by",
    "contest_expectations",
    "turnout_outliers",
    "mobilisation_by_group",
    "FIRST_HOURS",
    "arrivals_by_hour",
    "arrival_summary",
    "first_hours_by_contest",
    "threshold_label",
    "support_vs_turnout",
    "threshold_margins",
    "close_contests",
    "threshold_variants",
    "MARGIN_COLUMNS",
    "threshold_sensitivity",
    "method_comparison",
    "sensitivity_counts",
]
