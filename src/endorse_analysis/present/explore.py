"""The analyst's notebooks (notebooks/explore_*.ipynb), section by section.

In: a `Session` from `notebook.open_session` (the snapshot, wave, thresholds, instant,
cut-offs and time zone of the parameters cell). Out: each method of `Reach`, `Enthusiasm`,
`Timing`, `Outcomes`, `Panel`, `Members` and `Dynamics` displays one section (a sentence, a chart, a
table) and returns nothing, so that a notebook cell is one call under a line of prose.
Figures come from the api modules; every parameter from the session, so a notebook states
each threshold and cut-off once, in its parameters cell. Candidates show as names with
their ids, instants in the program's time zone and UTC.
"""

from __future__ import annotations

from functools import cached_property

import altair as alt
import duckdb
import pandas as pd
from IPython.display import display

from endorse_analysis.api import calendar, dynamics, explore, members, panel
from endorse_analysis.api.session import Session
from endorse_analysis.api.snapshot import snapshot_info
from endorse_analysis.present import alt_text, charts, lab
from endorse_analysis.present.words import candidate_label
from endorse_analysis.rules.words import float_percent, threshold_percent
from endorse_analysis.vocabulary import ENDORSE, NO_CANDIDATES, ZIP_DISTRICTS, ZIP_DISTRICTS_WORDS

CANDIDATE_COLUMNS = ("top_choice", "top_choice_early", "top_choice_final")


class Sections:
    """What every notebook's sections share: the session and how to show things."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self.session.con

    @property
    def wave(self) -> str:
        return self.session.wave

    @cached_property
    def names(self) -> dict[str, str]:
        return explore.candidate_names(self.con)

    def labelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Candidate ids as 'Name (id)', and a `top_label` column for chart tooltips."""
        out = frame.copy()
        for column in CANDIDATE_COLUMNS:
            if column in out.columns:
                out[column] = [
                    None if pd.isna(c) else candidate_label(c, self.names) for c in out[column]
                ]
        if "top_choice" in out.columns:
            out["top_label"] = out["top_choice"]
        return out

    def table(self, frame: pd.DataFrame, max_rows: int | None = 60) -> None:
        shown = frame.drop(columns=[c for c in ("top_label",) if c in frame.columns])
        display(lab.table(shown, max_rows, self.session.timezone))

    def chart(self, chart: alt.TopLevelMixin) -> None:
        display(lab.chart(chart))

    def say(self, text: str) -> None:
        display(lab.say(text))


class Reach(Sections):
    """explore_reach: who can vote, and who organises them."""

    def per_state(self) -> None:
        by_state = explore.reach_by_state(self.con, self.wave)
        self.say(
            f"Wave {self.wave}: {int(by_state['potential_voters'].sum()):,} potential voters "
            f"of statewide races in {int((by_state['potential_voters'] > 0).sum())} states, "
            f"and {int(by_state['groups'].sum()):,} local groups."
        )
        self.chart(charts.reach_states(by_state))
        ranked = by_state.sort_values("potential_voters_per_group", ascending=False)
        self.table(ranked, max_rows=20)

    def districts_without_groups(self) -> None:
        by_district = explore.reach_by_district(self.con, self.wave)
        gaps = explore.districts_without_groups(self.con, self.wave)
        uncovered = int((gaps["groups"] == 0).sum())
        self.say(
            f"{len(gaps):,} of {len(by_district):,} districts have potential voters but no "
            f"district group; {uncovered:,} of them have no statewide group either."
        )
        if snapshot_info(self.con).get("member_districts") == ZIP_DISTRICTS:
            self.say(ZIP_DISTRICTS_WORDS)
        self.table(gaps, max_rows=30)

    def signups(self) -> None:
        self.chart(charts.signups_over_time(explore.signups(self.con, "month")))

    def deadline_rush(self) -> None:
        self.chart(charts.signup_deadline_rush(explore.signups_around_deadlines(self.con)))
        self.table(explore.signup_rush(self.con))


class Enthusiasm(Sections):
    """explore_enthusiasm: turnout, what goes with it, and unusual contests."""

    @cached_property
    def contests(self) -> pd.DataFrame:
        return self.labelled(explore.contest_summary(self.con, thresholds=self.session.thresholds))

    def overview(self) -> None:
        voted = self.contests[self.contests["candidates_on_ballot"] > 0]
        self.say(
            f"{len(voted):,} contests with a candidate on the ballot across "
            f"{self.contests['wave_id'].nunique()} wave(s)."
        )

    def by_wave_office(self) -> None:
        by_wave = explore.turnout_by_wave_office(self.con)
        self.chart(charts.turnout_bars(by_wave, "wave_id", "Turnout by wave and office", "office"))
        self.table(by_wave)

    def by_factor(self, factor: str) -> None:
        """Turnout by `endorsing_groups`, `contested`, `first_time` or `incumbent`."""
        frame = explore.turnout_by(self.con, factor)
        groups = factor == "endorsing_groups"
        title = f"Turnout by {'number of endorsing groups' if groups else factor.replace('_', ' ')}"
        colour = None if groups else factor
        self.chart(charts.turnout_bars(frame, factor, title, colour))
        self.table(frame)

    def by_size(self) -> None:
        self.chart(charts.turnout_by_size(self.contests))

    def unusual(self) -> None:
        z = self.session.cutoffs.outlier_z
        outliers = explore.turnout_outliers(self.con, z=z)
        high = int((outliers["direction"] == "high").sum())
        self.say(
            f"{high} unusually high and {len(outliers) - high} unusually low contest(s): "
            f"{z:g} or more standard deviations from what their wave and office predict."
        )
        self.table(outliers, max_rows=25)


class Timing(Sections):
    """explore_timing: when ballots arrive, and what an earlier end would have decided."""

    @property
    def hours(self) -> int:
        return self.session.cutoffs.early_hours

    def waves(self) -> None:
        self.table(explore.waves(self.con))

    def summary(self) -> None:
        summary = explore.arrival_summary(self.con, self.hours)
        self.table(summary)
        row = summary[summary["wave_id"] == self.wave].iloc[0]
        if pd.isna(row["first_hours"]):  # hidden when either part has fewer than MIN_CELL
            self.say(f"Wave {self.wave}: too few ballots for the first-{self.hours}-hour share.")
            return
        self.say(
            f"Wave {self.wave}: {float_percent(row['first_share'])} of {int(row['ballots']):,} "
            f"ballots arrived in the first {self.hours} hours of a "
            f"{row['window_hours']:.0f}-hour window."
        )

    def per_hour(self) -> None:
        self.chart(
            charts.arrivals(explore.arrivals_by_hour(self.con, self.wave, self.hours), self.hours)
        )

    def per_contest(self) -> None:
        per_contest = explore.first_hours_by_contest(self.con, self.wave, self.hours)
        title = f"Share of a contest's ballots in the first {self.hours} hours"
        self.chart(charts.share_histogram(per_contest, "first_share", title))
        self.table(per_contest.sort_values("first_share"), max_rows=20)

    def early_decisions(self) -> None:
        t = self.session.thresholds
        frame = self.labelled(panel.decisions_at_hour(self.con, self.wave, self.hours, t))
        changed = frame[frame["changed"]]
        self.say(
            f"Wave {self.wave}: {len(changed):,} of {len(frame):,} contests with a candidate "
            f"would have been decided otherwise {self.hours} hours after the window opened."
        )
        title = f"Decision at hour {self.hours} against the decision at the end, wave {self.wave}"
        self.chart(charts.decision_crosstab(frame, "decision_early", "decision_final", title))
        self.table(changed.drop(columns=["changed"]), max_rows=None)

    def early_decisions_every_wave(self) -> None:
        self.table(panel.early_decision_summary(self.con, self.hours, self.session.thresholds))


class Outcomes(Sections):
    """explore_outcomes: support, turnout, how close decisions were, other thresholds."""

    def decision_space(self) -> None:
        t = self.session.thresholds
        points = self.labelled(explore.support_vs_turnout(self.con, t))
        self.chart(charts.decision_space(points, t.support, t.turnout))

    @cached_property
    def margins(self) -> pd.DataFrame:
        margins = explore.threshold_margins(self.con, self.wave, self.session.thresholds)
        return self.labelled(margins)

    def support_margins(self) -> None:
        s_text = threshold_percent(self.session.thresholds.support)
        title = f"Votes above (or below) {s_text} support, wave {self.wave}"
        self.chart(charts.margin_histogram(self.margins, "support_surplus", title))

    def close_calls(self) -> None:
        band = self.session.cutoffs.close_votes
        close = explore.close_contests(self.margins, band)
        self.say(
            f"{len(close):,} contest(s) of wave {self.wave} within {band:,} ballot(s) of the "
            f"support or the turnout threshold."
        )
        if len(close):  # none: the sentence says so, and an empty table would say nothing
            self.table(close)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        variants = explore.threshold_variants(self.session.thresholds)
        return explore.threshold_sensitivity(self.con, self.wave, variants)

    def sensitivity_counts(self) -> None:
        self.table(explore.sensitivity_counts(self.sensitivity).reset_index())

    def sensitivity_changes(self) -> None:
        changed = self.sensitivity[self.sensitivity["changed"]].drop(columns=["changed"])
        self.table(self.labelled(changed), max_rows=None)

    def methods(self) -> None:
        """An approval or ranked wave's decisions against a single-choice count of the same
        ballots' first preferences (contract §5)."""
        compared = explore.method_comparison(self.con, self.wave, self.session.thresholds)
        if compared.empty:
            self.say(f"Wave {self.wave} is counted by single choice: there is nothing to compare.")
            return
        differ = int(compared["differs"].sum())
        self.say(
            f"Wave {self.wave} is counted by {compared['method'].iloc[0]}; a single-choice "
            f"count of the first preferences would have decided {differ:,} of its "
            f"{len(compared):,} contest(s) otherwise (top choice or decision)."
        )
        self.table(self.labelled(compared[compared["differs"]].drop(columns=["differs"])))


class Panel(Sections):
    """explore_panel: the same race across waves."""

    @cached_property
    def panel(self) -> pd.DataFrame:
        return self.labelled(panel.contest_panel(self.con, self.session.thresholds))

    def overview(self) -> None:
        races = self.panel["race_id"].nunique()
        voted = self.panel[self.panel["decision"] != NO_CANDIDATES]
        again = voted.groupby("race_id").size()
        self.say(
            f"{races:,} races had a contest in two or more waves; {int((again >= 2).sum()):,} "
            f"of them had a candidate on the ballot in two or more."
        )

    def turnout(self) -> None:
        self.chart(charts.panel_turnout(self.panel))

    def transitions(self) -> None:
        self.table(panel.panel_transitions(self.panel).reset_index())

    def support(self) -> None:
        voted = self.panel[self.panel["ballots_counted"] > 0]
        endorsed = voted.groupby("race_id")["decision"].transform(lambda d: (d == ENDORSE).any())
        shown = voted[endorsed]
        self.chart(
            charts.rate_intervals(
                shown.assign(contest=shown["race_id"] + " " + shown["wave_id"]),
                "contest",
                "top_share",
                "Top choice's share with its 95% interval, races endorsed in some wave",
                reference=float(self.session.thresholds.support),
            )
        )
        self.table(self.panel, max_rows=None)


class Members(Sections):
    """explore_members: sign-up to vote, retention, new and veteran members, groups that
    mobilise, and vote changes."""

    def funnel(self) -> None:
        frame = members.funnel(self.con)
        self.chart(charts.member_funnel(frame))
        self.table(frame)

    def retention(self) -> None:
        frame = members.retention(self.con)
        frame = frame.assign(waves=frame["from_wave"] + " → " + frame["to_wave"])
        self.chart(
            charts.rate_intervals(
                frame, "waves", "retention", "Voters of a wave who voted again in the next"
            )
        )
        self.table(frame.drop(columns=["waves"]))

    def new_and_veteran(self) -> None:
        frame = members.new_and_veteran(self.con)
        title = "Share of eligible members who voted: new and veteran"
        self.chart(charts.rate_intervals(frame, "wave_id", "voted_share", title, "members"))
        self.table(frame)

    def mobilisation(self) -> None:
        frame = explore.mobilisation_by_group(self.con, self.wave)
        self.say(
            f"Wave {self.wave}: {len(frame):,} groups endorsed a candidate on a ballot of their "
            f"jurisdiction; the {min(len(frame), 15)} with the highest z below."
        )
        top = frame.head(15).assign(group=lambda f: f["group_name"] + " (" + f["group_id"] + ")")
        title = "Turnout against expectation where a group endorsed (1 = as expected)"
        self.chart(charts.rate_intervals(top, "group", "lift", title, reference=1.0, percent=False))
        self.table(frame, max_rows=25)

    def vote_changes(self) -> None:
        frame = members.vote_changes(self.con)
        self.chart(charts.vote_changes(frame))
        self.table(frame)


class Dynamics(Sections):
    """explore_dynamics: enthusiasm and decisions against each race's 2024 lean."""

    @cached_property
    def contests(self) -> pd.DataFrame:
        """Every contest of every wave beside its 2024 margin and band."""
        return dynamics.contests_in_context(self.con, self.session.thresholds)

    @cached_property
    def voted(self) -> pd.DataFrame:
        return self.contests[self.contests["decision"] != NO_CANDIDATES]

    def summary(self) -> None:
        toss_ups = int((self.contests["band"] == dynamics.BATTLEGROUND).sum())
        self.say(
            f"{len(self.voted):,} contests with a candidate on the ballot in "
            f"{self.contests['wave_id'].nunique()} wave(s); {toss_ups:,} contests were "
            "toss-ups."
        )

    def turnout_and_closeness(self) -> None:
        """Turnout against the margin, and how it changes away from an even race."""
        close = self.voted.assign(closeness=self.voted["margin"].abs())
        fitted = dynamics.trend(close, "closeness", "turnout")
        if fitted is not None:
            self.say(
                f"Turnout changes by {fitted.slope * 100:+.3f} points per point of margin "
                f"away from even (95% interval {fitted.slope_low * 100:+.3f} to "
                f"{fitted.slope_high * 100:+.3f}), over {fitted.points:,} contests: an "
                "estimate, with its uncertainty."
            )
        trend = dynamics.trend(self.voted, "margin", "turnout")
        self.chart(
            charts.lean_trend(self.voted, "turnout", trend, "Turnout against the 2024 margin")
        )

    def support(self) -> None:
        trend = dynamics.trend(self.voted, "margin", "top_share")
        title = "The top choice's share against the 2024 margin"
        self.chart(charts.lean_trend(self.voted, "top_share", trend, title))

    def decisions_by_band(self) -> None:
        self.table(dynamics.decisions_by_band(self.contests).reset_index())

    def battlegrounds(self) -> None:
        self.table(dynamics.battlegrounds(self.contests))

    def members_and_safety(self) -> None:
        self.table(dynamics.members_and_safety(self.con, self.wave), max_rows=15)

    @cached_property
    def on_calendar(self) -> pd.DataFrame:
        """Every contest with a candidate, of every wave, with its primary and seat."""
        return calendar.contests_on_calendar(self.con, self.session.thresholds)

    def _shares_beside(self, frame: pd.DataFrame, group: str, make) -> None:
        """Turnout and support per group, each chart with its figures in a table under it
        (hidden groups, of fewer than MIN_CELL ballots, say 'hidden')."""
        for y, title in (("turnout", "Turnout"), ("top_share", "The top choice's share")):
            chart = make(frame, y, f"{title} by {group.replace('_', ' ')}")
            self.chart(chart)
            self.say(alt_text.calendar_shares(frame, group, y))
            self.table(frame, max_rows=None)

    def by_weeks_to_primary(self) -> None:
        """Turnout and support against the weeks from the wave's close to the primary."""
        frame = calendar.by_weeks(self.on_calendar)
        self._shares_beside(frame, "weeks_group", charts.by_weeks)

    def by_seat(self) -> None:
        """Turnout and support by seat: open (vacant), each party's incumbent, unknown."""
        frame = calendar.by_seat(self.on_calendar)
        self._shares_beside(frame, "seat", charts.by_seat)
