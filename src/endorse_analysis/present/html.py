"""HTML for pages: the templates of present/templates/, filled from a wave's figures.

In: `WaveFigures` (and, for a page, the body an executed notebook exported). Out: HTML
text. Every template autoescapes, so a value from the data (a name, an id, a note) is
always text, never markup; the machine-readable figures go into a JSON block that no
value can close.
"""

from __future__ import annotations

import json
from functools import cache

import jinja2
import pandas as pd

from endorse_analysis.api.context import BANDS
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.ingest.reference import DISTRICT_MAP
from endorse_analysis.parameters import MIN_VOTES
from endorse_analysis.present.calendar_tables import days_words, holder_words
from endorse_analysis.present.words import (
    calendar_words,
    candidate_label,
    context_words,
    long_date,
    place_words,
    race_place,
)
from endorse_analysis.rules.words import (
    method_rule,
    percent,
    reason,
    ruling_words,
    threshold_percent,
)
from endorse_analysis.vocabulary import (
    DECISION_BADGES,
    DECISION_COLOURS,
    DECISION_CSS,
    DECISION_WORDS,
    DECISIONS,
    ENDORSE,
    NO_CANDIDATES,
    NO_ENDORSEMENT,
    NO_FIGURE,
    NO_INCUMBENT_DATA,
    PROVISIONAL_WORDS,
    REVIEW,
    SEATS,
    TIMINGS,
    VACANT,
    ZIP_DISTRICTS,
    ZIP_DISTRICTS_WORDS,
)

YES, NO = "✓", "✗"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("endorse_analysis.present", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.globals["provisional_words"] = PROVISIONAL_WORDS
    environment.globals["decision_badges"] = DECISION_BADGES
    return environment


def render(template: str, **context: object) -> str:
    """Fill one template of present/templates/ (autoescaped)."""
    return _environment().get_template(template).render(**context)


def figures_json(figures: dict[str, object]) -> str:
    """Figures as JSON safe inside <script type="application/json">: no value can end
    the block or start markup, because <, > and & are written as \\u escapes."""
    text = json.dumps(figures, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def as_of_words(figures: WaveFigures) -> str | None:
    return None if figures.as_of is None else figures.as_of.isoformat(sep=" ")


def ruling_kind(row: dict) -> str:
    return "Override by staff ruling" if row.get("ruling_override") else "Staff ruling"


def _with_district_source(context: str, figures: WaveFigures, race: dict) -> str:
    """A House race's context line, saying where its members' districts came from when an
    import worked them out from ZIP codes (they are of the 2024 lines)."""
    if race.get("office") == "house" and figures.snapshot.get("member_districts") == ZIP_DISTRICTS:
        return f"{context} · {ZIP_DISTRICTS_WORDS}"
    return context


def headline_html(figures: WaveFigures, race_id: str) -> str:
    """A race's decision at a glance: the final decision as a coloured badge, the ruling
    behind it (who, when, why, override or not) with the computed decision, the reason, and
    the two deciding figures against their thresholds."""
    row = figures.contest(race_id)
    race = _race(figures, race_id)
    final, decision = row["final_decision"], row["decision"]
    n, e, top_votes = row["ballots_counted"], row["eligible_voters"], row["top_votes"]
    support_ok = decision in (ENDORSE, REVIEW)
    turnout_ok = bool(row["enough_turnout"]) and bool(row["enough_ballots"])
    names = figures.candidate_names
    return render(
        "headline.html",
        as_of=as_of_words(figures),
        place=race_place(race),
        context=_with_district_source(context_words(figures.race_context(race_id)), figures, race),
        calendar=calendar_words(figures.race_calendar(race_id), figures.candidate_names),
        wave_id=figures.wave_id,
        colour=DECISION_COLOURS[final],
        final_decision=final,
        final_words=_words_beside(final),
        ruling=ruling_words(row),
        ruling_kind=ruling_kind(row),
        ruling_colour="#9a6700" if row["ruling_override"] else "#0969da",
        decision=decision,
        reason=reason(row, figures.thresholds, lambda c: candidate_label(c, names)),
        rule=method_rule(row.get("method"), figures.thresholds),
        top_votes=top_votes,
        top_choice=row["top_choice"],
        top_label=" and ".join(candidate_label(c, names) for c in _at_top(figures, row)),
        each="each " if row["tied"] else "",
        ballots=n,
        eligible=e,
        no_support="no candidate received a vote" if n else "no ballots were counted",
        support_percent=percent(top_votes or 0, n),
        turnout_percent=percent(n, e),
        support_mark=NO_FIGURE if decision == NO_CANDIDATES else (YES if support_ok else NO),
        turnout_mark=NO_FIGURE if decision == NO_CANDIDATES else (YES if turnout_ok else NO),
        support_threshold=threshold_percent(figures.thresholds.support),
        min_turnout=threshold_percent(figures.thresholds.turnout),
        min_votes=(
            figures.thresholds.as_text()["min_votes"]
            if figures.thresholds.min_votes != MIN_VOTES.value
            else ""
        ),
    )


def _words_beside(decision: str) -> str:
    """The decision's words beside its badge, unless they only repeat it."""
    words = DECISION_WORDS[decision]
    return "" if words.upper().replace(" ", "_") == decision else words


def _at_top(figures: WaveFigures, row: dict) -> list[str]:
    """The top choice, and every candidate tied with it."""
    if row["top_choice"] is None:
        return []
    if not row["tied"]:
        return [row["top_choice"]]
    if row.get("runoff_rounds"):  # ranked: the final round decides (contract §5)
        final = row["runoff_rounds"][-1]["votes"]
        return sorted(c for c, v in final.items() if c != NO_ENDORSEMENT and v == row["top_votes"])
    options = figures.options(row["race_id"])
    tied = options[(options["votes"] == row["top_votes"]) & (options["choice"] != NO_ENDORSEMENT)]
    return sorted(tied["choice"])


def wave_headline_html(figures: WaveFigures) -> str:
    """The wave's name and window, and its contests per final decision."""
    wave = figures.wave
    counts = figures.final_counts()
    return render(
        "wave_headline.html",
        as_of=as_of_words(figures),
        wave_id=figures.wave_id,
        name=wave["name"],
        opens_at=f"{wave['opens_at']:%Y-%m-%d %H:%M}",
        closes_at=f"{wave['closes_at']:%Y-%m-%d %H:%M}",
        signup_closes_at=f"{wave['signup_closes_at']:%Y-%m-%d %H:%M}",
        contests=len(figures.contests),
        counts=[(d, counts[d], DECISION_COLOURS[d]) for d in DECISIONS],
        rule=method_rule(figures.contests.attrs.get("method"), figures.thresholds),
    )


def table_html(
    frame: pd.DataFrame,
    numeric: tuple[str, ...] = (),
    badges: tuple[str, ...] = (),
    nowrap: tuple[str, ...] = (),
) -> str:
    """A frame as a plain HTML table: one header row (its columns), cells as text; the
    columns of `badges` hold decisions, shown in their colours; those of `nowrap` (ids,
    instants) stay on one line, as does any cell of one word (a race id never breaks at
    its hyphen)."""
    rows = [
        list(zip(frame.columns, ("" if _missing(v) else str(v) for v in values), strict=True))
        for values in frame.itertuples(index=False, name=None)
    ]
    return render(
        "table.html",
        columns=list(frame.columns),
        rows=rows,
        numeric=set(numeric),
        badges=set(badges),
        nowrap=set(nowrap),
        colours=DECISION_COLOURS,
    )


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _race(figures: WaveFigures, race_id: str) -> dict:
    races = figures.races
    return plain_records(races[races["race_id"] == race_id])[0]


def index_html(
    figures: WaveFigures,
    links: dict[str, str | None],
    extras: list[tuple[str, str]],
    version: str,
    csv_href: str = "index.csv",
) -> str:
    """The wave's index: every contest by what staff must do (contests awaiting a ruling
    first), its final decision with the ruling and computed decision under it, linked to
    its report, and the figures of every contest for machines."""
    awaiting, decided = [], []
    names = figures.candidate_names
    contexts = {c["race_id"]: c for c in plain_records(figures.context)}
    for row in figures.in_index_order():
        race_id = row["race_id"]
        context = contexts[race_id]
        n, e, votes = row["ballots_counted"], row["eligible_voters"], row["top_votes"]
        item = {
            "race_id": race_id,
            "href": links.get(race_id),
            "place": place_words(_race(figures, race_id)),
            "final_decision": row["final_decision"],
            "decision": row["decision"],
            "ruling": ruling_words(row),
            "ruling_kind": ruling_kind(row),
            "top": candidate_label(row["top_choice"], figures.candidate_names),
            "support": NO_FIGURE if votes is None else f"{votes:,} of {n:,} ({percent(votes, n)})",
            "turnout": f"{n:,} of {e:,} ({percent(n, e)})",
            "support_value": "" if votes is None else repr(row["top_share"]),
            "turnout_value": "" if row["turnout"] is None else repr(row["turnout"]),
            "reason": reason(row, figures.thresholds, lambda c: candidate_label(c, names)),
            "lean": context["lean"] or NO_FIGURE,
            "band": context["band"],
            "margin_value": "" if context["margin"] is None else repr(context["margin"]),
            **_calendar_cells(figures.race_calendar(race_id)),
        }
        (awaiting if row["final_decision"] == REVIEW else decided).append(item)
    sections = []
    if awaiting:
        sections.append({"title": "Awaiting a staff ruling", "rows": awaiting})
    sections.append({"title": "Decided", "rows": decided})
    counts = figures.final_counts()
    return render(
        "index.html",
        wave_id=figures.wave_id,
        wave_name=figures.wave["name"] or figures.wave_id,
        rows=awaiting + decided,
        counts=[(d, counts[d]) for d in DECISIONS],
        css=DECISION_CSS,
        bands=[b for b in BANDS if b in set(figures.context["band"])],
        timings=[t for t in TIMINGS if t in set(figures.calendar["timing"])],
        seats=[t for t in SEATS if t in set(figures.calendar["seat"])],
        district_map=DISTRICT_MAP,
        as_of=as_of_words(figures),
        extras=extras,
        sections=sections,
        parameters=figures.thresholds.as_text(),
        snapshot=figures.snapshot,
        version=version,
        csv_href=csv_href,
        script=index_script(),
        script_hash=script_hash(index_script()),
        figures_json=figures_json(figures.page_figures("index")),
    )


def _calendar_cells(row: dict) -> dict[str, object]:
    """A contest's timing and seat for the index: words, and values to filter and sort by."""
    days = row["days_to_primary"]
    return {
        "timing": row["timing"],
        "primary": NO_FIGURE
        if days is None
        else f"{long_date(row['primary_date'])} ({days_words(row)})",
        "days_value": "" if days is None else str(days),
        "seat": row["seat"],
        "holder": "" if row["seat"] in (VACANT, NO_INCUMBENT_DATA) else holder_words(row),
    }


@cache
def index_script() -> str:
    """The index's small script (filter and sort), inlined and allowed by its hash."""
    environment = _environment()
    return environment.loader.get_source(environment, "index.js")[0]


def script_hash(script: str) -> str:
    """The Content-Security-Policy source that lets exactly this inline script run."""
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


def page_html(
    body: str, title: str, subtitle: str, index_href: str, figures: dict[str, object]
) -> str:
    """An exported notebook body as one offline page, with its figures for machines and
    the chart fonts embedded (charts were laid out with the same glyphs)."""
    return render(
        "page.html",
        title=title,
        subtitle=subtitle,
        index_href=index_href,
        body=body,
        fonts=embedded_fonts(),
        figures_json=figures_json(figures),
    )


def chart_html(svg: str, alt: str) -> str:
    """A chart's SVG inline in the page (so it draws with the page's fonts), described by
    `alt` for readers who cannot see it."""
    return render("chart.html", svg=svg, alt=alt)


@cache
def embedded_fonts() -> list[dict[str, str]]:
    """The chart fonts as data URLs for @font-face: (weight, url) of each WOFF2 file."""
    import base64

    from endorse_analysis.present.charts import FONTS_DIR

    fonts = []
    for weight, name in (("400", "DejaVuSans.woff2"), ("700", "DejaVuSans-Bold.woff2")):
        data = base64.b64encode((FONTS_DIR / name).read_bytes()).decode("ascii")
        fonts.append({"weight": weight, "url": f"data:font/woff2;base64,{data}"})
    return fonts
