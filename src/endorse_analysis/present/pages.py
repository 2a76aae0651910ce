"""The pages of a wave, section by section, as a notebook shows them.

In: `WaveFigures` (and a race id). Out: IPython display objects (HTML, SVG). A report
notebook is a list of these calls with a sentence of prose around each; every figure on
its page comes from the one `WaveFigures` it was handed, and `figures()` publishes what
the page showed for machines (the renderer puts it into the HTML, `verify` reads it).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from IPython.display import HTML

from endorse_analysis.api import docket as docket_api
from endorse_analysis.api.enthusiasm import compared_contests
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.present import alt_text, calendar_tables, charts, tables
from endorse_analysis.present.html import (
    chart_html,
    headline_html,
    render,
    table_html,
    wave_headline_html,
)
from endorse_analysis.present.words import candidate_label
from endorse_analysis.rules.words import approved_words, runoff_words, threshold_percent
from endorse_analysis.version import __version__
from endorse_analysis.vocabulary import (
    APPROVAL,
    DECISION_BADGES,
    MIN_CELL,
    NO_CANDIDATES,
    RANKED,
)

# The MIME type under which a page publishes its figures; the renderer moves them into
# the page's <script type="application/json" id="endorse-figures">.
FIGURES_MIME = "application/vnd.endorse-analysis.figures+json"

if TYPE_CHECKING:
    import altair


class Figures:
    """A display object carrying a page's figures (no visible output)."""

    def __init__(self, figures: dict[str, object]) -> None:
        self.figures = figures

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        """IPython's display hook: the figures under their own MIME type."""
        return {FIGURES_MIME: self.figures, "text/plain": ""}


def table(
    frame: pd.DataFrame,
    empty: str = "None.",
    numeric: tuple[str, ...] = (),
    badges: tuple[str, ...] = (),
) -> HTML:
    """A table of text, or a one-line note when it has no rows."""
    if frame.empty:
        return HTML(f"<p>{html.escape(empty)}</p>")
    return HTML(table_html(frame, numeric, badges))


def counts_table(frame: pd.DataFrame, empty: str, numeric: tuple[str, ...]) -> HTML:
    """A table of counts per decision, its decision columns headed as the badges and the
    charts' legends name them (ENDORSE, NO ENDORSEMENT), not by their codes."""
    return table(
        frame.rename(columns=DECISION_BADGES),
        empty,
        tuple(DECISION_BADGES.get(c, c) for c in numeric),
    )


def chart(altair_chart: altair.TopLevelMixin, alt: str) -> HTML:
    """A chart as inline SVG with its description for readers who cannot see it."""
    return HTML(chart_html(charts.to_svg(altair_chart), alt))


def described(name: str, *frames: object) -> HTML:
    """The chart `charts.<name>(*frames)` with its description `alt_text.<name>(*frames)`:
    every chart of alt_text has the name and arguments of its chart."""
    return chart(getattr(charts, name)(*frames), getattr(alt_text, name)(*frames))


def note(text: str) -> HTML:
    """A sentence beside, or in place of, a chart or table."""
    return HTML(f"<p>{html.escape(text)}</p>")


def join(*parts: HTML) -> HTML:
    """Several pieces of a section as one output."""
    return HTML("".join(part.data for part in parts))


@dataclass
class RacePage:
    """One contest's decision report."""

    figures: WaveFigures
    race_id: str

    def headline(self) -> HTML:
        return HTML(headline_html(self.figures, self.race_id))

    def ballot(self) -> HTML:
        return table(
            tables.ballot_table(self.figures, self.race_id), "No candidate is on the ballot."
        )

    def off_ballot(self) -> HTML:
        return table(
            tables.off_ballot_table(self.figures, self.race_id),
            "None: every requested candidate is on the ballot.",
        )

    def tally(self) -> HTML:
        return table(tables.tally_table(self.figures, self.race_id), numeric=("votes",))

    def _no_candidates(self) -> bool:
        return self.figures.contest(self.race_id)["decision"] == NO_CANDIDATES

    def tally_chart(self) -> HTML:
        if self._no_candidates():
            return note("No candidate was on the ballot: there is no support to chart.")
        options = tables.chart_options(self.figures, self.race_id)
        support = self.figures.thresholds.support
        row = self.figures.contest(self.race_id)
        if row.get("method") == APPROVAL:
            names = self.figures.candidate_names
            return join(
                note("Each option's approval share: the counted ballots approving it, of all "
                     "counted ballots (a ballot may approve several, so the shares may add up "
                     f"to more than 100%); the dashed line is the support threshold "
                     f"({threshold_percent(support)}). "
                     + approved_words(row, self.figures.thresholds,
                                      lambda c: candidate_label(c, names))),
                chart(charts.tally_bars(options, support), alt_text.tally(options, support)),
            )  # fmt: skip
        first = "first preferences: " if row.get("method") == RANKED else ""
        parts = [
            note(f"Each option's share of the counted ballots ({first}round 1); the dashed "
                 f"line is the support threshold ({threshold_percent(support)})."),
            chart(charts.tally_bars(options, support), alt_text.tally(options, support)),
        ]  # fmt: skip
        if row.get("method") == RANKED:
            parts.append(self.runoff())
        return join(*parts)

    def runoff(self) -> HTML:
        """A ranked contest's every round (contract §5): a table and a chart of how the
        ballots moved between rounds."""
        row = self.figures.contest(self.race_id)
        support, ballots = self.figures.thresholds.support, int(row["ballots_counted"])
        frame = tables.rounds_frame(self.figures, self.race_id)
        return join(
            HTML("<h3>The instant runoff, round by round</h3>"),
            note(f"The count took {int(row['rounds']):,} round(s): "
                 f"{runoff_words(row)}. Every share is of all {ballots:,} counted ballots."),
            table(tables.rounds_table(self.figures, self.race_id)),
            chart(charts.runoff_rounds(frame, support, ballots),
                  alt_text.runoff_rounds(frame, support, ballots)),
        )  # fmt: skip

    def enthusiasm(self) -> HTML:
        """The turnout against the minimum and against the wave's contests with a candidate
        (a contest with nobody on the ballot has no minimum and is not compared)."""
        row = self.figures.contest(self.race_id)
        if self._no_candidates():
            return note(
                "No candidate was on the ballot, so no turnout minimum applies and the "
                f"contest is not compared: {row['ballots_counted']:,} ballot(s) for no "
                f"endorsement were counted among {row['eligible_voters']:,} potential voters."
            )
        compared = compared_contests(self.figures.contests)
        minimum = self.figures.thresholds.turnout
        return join(
            note("This race's turnout (counted ballots / potential voters) against the "
                 "minimum, and against the wave's contests that had a candidate on the "
                 "ballot."),
            table(tables.turnout_table(self.figures, self.race_id)),
            chart(
                charts.turnout_in_wave(compared, minimum, self.race_id),
                alt_text.turnout_in_wave(compared, minimum, self.race_id),
            ),
        )  # fmt: skip

    def votes_over_time(self) -> HTML:
        """Counted ballots by day, coarsened for privacy (rules.privacy)."""
        periods = tables.votes_over_time(self.figures, self.race_id)
        ballots = self.figures.contest(self.race_id)["ballots_counted"]
        if periods.empty:
            if not ballots:
                return note("No ballots were counted.")
            return note(
                f"Fewer than {MIN_CELL} ballots were counted in all: for privacy they are not "
                "broken down by day (their total is above)."
            )
        return join(
            note(tables.privacy_note()),
            table(
                tables.votes_over_time_display(periods),
                numeric=("counted ballots", "cumulative"),
            ),
            chart(charts.ballots_per_period(periods), alt_text.periods(periods)),
        )

    def robustness(self) -> HTML:
        if self._no_candidates():
            return note("No candidate was on the ballot: there is no decision to flip.")
        return join(
            note(tables.robustness_note()),
            table(tables.robustness_table(self.figures, self.race_id)),
        )

    def audit(self) -> HTML:
        return table(tables.audit_table(self.figures, self.race_id), numeric=("votes",))

    def outside_endorsements(self) -> HTML:
        return table(tables.outside_endorsements_table(self.figures, self.race_id))

    def provenance(self) -> HTML:
        return table(tables.provenance_table(self.figures, __version__))

    def figures_for_machines(self) -> Figures:
        return Figures(self.figures.page_figures("race", self.race_id))


@dataclass
class OverviewPage:
    """The wave overview: every contest's final decision and the wave's charts."""

    figures: WaveFigures

    def headline(self) -> HTML:
        return HTML(wave_headline_html(self.figures))

    def decisions(self) -> HTML:
        return table(
            tables.decisions_table(self.figures),
            "The wave has no contests.",
            badges=("final decision", "computed"),
        )

    def decision_space(self) -> HTML:
        t, contests = self.figures.thresholds, self.figures.contests
        return chart(
            charts.decision_space(contests, t.support, t.turnout),
            alt_text.decision_space(contests, t.support, t.turnout),
        )

    def turnout_distribution(self) -> HTML:
        compared = compared_contests(self.figures.contests)
        minimum = self.figures.thresholds.turnout
        return chart(
            charts.turnout_distribution(compared, minimum),
            alt_text.turnout_distribution(compared, minimum),
        )

    def state_tiles(self) -> HTML:
        return described("state_tiles", self.figures.contests)

    def decisions_by_band(self) -> HTML:
        return described("decisions_by_band", self.figures.contests, self.figures.context)

    def turnout_against_lean(self) -> HTML:
        return described("turnout_against_lean", self.figures.contests, self.figures.context)

    def no_candidates_by_band(self) -> HTML:
        return described("no_candidates_by_band", self.figures.contests, self.figures.context)

    def primary_weeks(self) -> HTML:
        """Contests by whole weeks from the wave's close to their primary, by final decision."""
        frame = calendar_tables.weeks_table(self.figures)
        return join(
            chart(charts.primary_weeks(frame), alt_text.primary_weeks(frame)),
            counts_table(
                calendar_tables.weeks_text(frame),
                "The wave has no contests.",
                calendar_tables.COUNTS,
            ),
        )

    def decision_counts(self) -> HTML:
        counts = tables.decision_counts_table(self.figures)
        return counts_table(counts, "None.", tuple(c for c in counts.columns if c != "office"))

    def decision_counts_chart(self) -> HTML:
        counts = alt_text.decision_counts(tables.decision_counts_table(self.figures))
        return chart(charts.decision_counts(self.figures.contests), counts)

    def provenance(self) -> HTML:
        return table(tables.provenance_table(self.figures, __version__))

    def figures_for_machines(self) -> Figures:
        return Figures(self.figures.page_figures("overview"))


@dataclass
class DocketPage:
    """The vetting docket: every requested candidate of the wave, before the vote."""

    figures: WaveFigures

    def summary(self) -> HTML:
        frame = self.figures.docket
        local = int((frame["requesting_groups"] > 0).sum())
        return say(
            f"Wave {self.figures.wave_id}: {len(frame):,} candidate(s) in "
            f"{frame['race_id'].nunique():,} race(s) with a request for a national "
            f"endorsement, {local:,} of them from a group of their own jurisdiction (the "
            f"funnel's 'requested'; a request from outside it does not count); "
            f"{int(frame['on_ballot'].sum()):,} on the ballot."
        )

    def calendar(self) -> HTML:
        """Each race of the docket: its primary against the wave's close and its seat,
        races whose primary is past when the wave closes first."""
        races = calendar_tables.docket_races(self.figures)
        past = calendar_tables.past_primaries(self.figures, races)
        lead = say(
            f"{len(past):,} race(s) of the docket have their primary before the wave closes"
            + (": " + ", ".join(f"{r['race_id']} ({r['timing']})" for r in past) if past else "")
            + "."
        )
        frame = calendar_tables.calendar_table(self.figures, races)
        return join(lead, table(frame, "No race is on the docket."))

    def funnel_chart(self) -> HTML:
        funnel = self.figures.funnel
        return chart(charts.docket_funnel(funnel), alt_text.funnel(funnel))

    def funnel(self) -> HTML:
        return table(tables.as_text(self.figures.funnel, words=True), numeric=("candidates",))

    def contested(self) -> HTML:
        frame = docket_api.contested_races(self.figures.docket)
        return HTML(
            f"<p>{len(frame):,} contested race(s).</p>"
            + (table_html(tables.as_text(frame, words=True)) if len(frame) else "")
        )

    def flag_counts(self) -> HTML:
        flags = docket_api.flags(self.figures.docket)
        counts = flags.groupby("flag", as_index=False).size().rename(columns={"size": "candidates"})
        return table(tables.as_text(counts, words=True), "No flags.")

    def flags(self) -> HTML:
        return table(tables.as_text(docket_api.flags(self.figures.docket), words=True), "No flags.")

    def ballot_list(self) -> HTML:
        ballot = docket_api.ballot_list(self.figures.docket)
        races = [
            (race_id, plain_records(group))
            for race_id, group in ballot.groupby("race_id", sort=True)
        ]
        return HTML(render("ballot_list.html", races=races))

    def whole_docket(self) -> HTML:
        frame = calendar_tables.with_calendar(tables.docket_table(self.figures), self.figures)
        return table(frame, "No candidate was requested.")

    def provenance(self) -> HTML:
        return table(tables.provenance_table(self.figures, __version__))

    def figures_for_machines(self) -> Figures:
        return Figures(self.figures.page_figures("docket"))


def say(text: str) -> HTML:
    """A sentence built from the data, escaped."""
    return HTML(f"<p>{html.escape(text)}</p>")
