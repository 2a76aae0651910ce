"""The pages of a wave, section by section, as a notebook shows them.

In: `WaveFigures` (and a race id). Out: IPython display objects (HTML, SVG). A report
notebook is a list of these calls with a sentence of prose around each; every figure on
its page comes from the one `WaveFigures` it was handed, and `figures()` publishes what
the page showed for machines (the renderer puts it into the HTML, `verify` reads it).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
from IPython.display import HTML, SVG

from endorse_analysis.api import docket as docket_api
from endorse_analysis.api.enthusiasm import compared_contests
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.present import charts, tables
from endorse_analysis.present.html import headline_html, render, table_html, wave_headline_html
from endorse_analysis.version import __version__

# The MIME type under which a page publishes its figures; the renderer moves them into
# the page's <script type="application/json" id="endorse-figures">.
FIGURES_MIME = "application/vnd.endorse-analysis.figures+json"


class Figures:
    """A display object carrying a page's figures (no visible output)."""

    def __init__(self, figures: dict[str, object]) -> None:
        self.figures = figures

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001 - IPython's hook
        return {FIGURES_MIME: self.figures, "text/plain": ""}


def table(frame: pd.DataFrame, empty: str = "None.", numeric: tuple[str, ...] = ()) -> HTML:
    """A table of text, or a one-line note when it has no rows."""
    if frame.empty:
        return HTML(f"<p>{html.escape(empty)}</p>")
    return HTML(table_html(frame, numeric))


def svg(chart) -> SVG:  # noqa: ANN001 - an Altair chart
    return SVG(charts.to_svg(chart))


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

    def tally_chart(self) -> SVG:
        options = tables.chart_options(self.figures, self.race_id)
        return svg(charts.tally_bars(options, self.figures.thresholds.support))

    def turnout(self) -> HTML:
        return table(tables.turnout_table(self.figures, self.race_id))

    def turnout_chart(self) -> SVG:
        compared = compared_contests(self.figures.contests)
        return svg(charts.turnout_in_wave(compared, self.figures.thresholds.turnout, self.race_id))

    def votes_over_time(self) -> HTML:
        periods = tables.votes_over_time(self.figures, self.race_id)
        return table(
            tables.votes_over_time_display(periods),
            "No ballots were counted.",
            numeric=("counted ballots", "cumulative"),
        )

    def votes_over_time_chart(self) -> SVG:
        return svg(charts.cumulative_ballots(tables.votes_over_time(self.figures, self.race_id)))

    def robustness(self) -> HTML:
        return table(tables.robustness_table(self.figures, self.race_id))

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
        return table(tables.decisions_table(self.figures), "The wave has no contests.")

    def decision_space(self) -> SVG:
        t = self.figures.thresholds
        return svg(charts.decision_space(self.figures.contests, t.support, t.turnout))

    def turnout_distribution(self) -> SVG:
        compared = compared_contests(self.figures.contests)
        return svg(charts.turnout_distribution(compared, self.figures.thresholds.turnout))

    def state_tiles(self) -> SVG:
        return svg(charts.state_tiles(self.figures.contests))

    def decision_counts(self) -> HTML:
        return table(tables.decision_counts_table(self.figures))

    def decision_counts_chart(self) -> SVG:
        return svg(charts.decision_counts(self.figures.contests))

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
        return say(
            f"Wave {self.figures.wave_id}: {len(frame):,} requested candidate(s) in "
            f"{frame['race_id'].nunique():,} race(s); {int(frame['on_ballot'].sum()):,} on "
            "the ballot."
        )

    def funnel_chart(self) -> SVG:
        return svg(charts.docket_funnel(self.figures.funnel))

    def funnel(self) -> HTML:
        return table(tables.as_text(self.figures.funnel), numeric=("candidates",))

    def contested(self) -> HTML:
        frame = docket_api.contested_races(self.figures.docket)
        return HTML(
            f"<p>{len(frame):,} contested race(s).</p>"
            + (table_html(tables.as_text(frame)) if len(frame) else "")
        )

    def flag_counts(self) -> HTML:
        flags = docket_api.flags(self.figures.docket)
        counts = flags.groupby("flag", as_index=False).size().rename(columns={"size": "candidates"})
        return table(tables.as_text(counts), "No flags.")

    def flags(self) -> HTML:
        return table(tables.as_text(docket_api.flags(self.figures.docket)), "No flags.")

    def ballot_list(self) -> HTML:
        ballot = docket_api.ballot_list(self.figures.docket)
        races = [
            (race_id, plain_records(group))
            for race_id, group in ballot.groupby("race_id", sort=True)
        ]
        return HTML(render("ballot_list.html", races=races))

    def whole_docket(self) -> HTML:
        frame = self.figures.docket.drop(columns=["wave_id", "state", "district", "ballot_rule"])
        return table(tables.as_text(frame), "No candidate was requested.")

    def provenance(self) -> HTML:
        return table(tables.provenance_table(self.figures, __version__))

    def figures_for_machines(self) -> Figures:
        return Figures(self.figures.page_figures("docket"))


def say(text: str) -> HTML:
    """A sentence built from the data, escaped."""
    return HTML(f"<p>{html.escape(text)}</p>")
