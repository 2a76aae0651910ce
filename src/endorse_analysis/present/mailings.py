"""The words of the program's own emails and public list, from templates staff can replace.

In: a wave's `WaveFigures`, the frames of `api.mailings`, and optionally a program's own
folder of templates. Out: text: each draft's subject, its plain-text and HTML bodies, and
the public list as csv, json and an offline page.

The templates (present/templates/mailings/, package data) run in Jinja's sandbox with
StrictUndefined: a template gets the figures and words below and nothing else, so one that
asks for anything more (a member's id, email or name) is refused in one line, before a
file is written. Plain-text templates are not escaped; HTML templates are autoescaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
import jinja2.sandbox
import pandas as pd
from markupsafe import escape

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.wave import WaveFigures, instant_text
from endorse_analysis.present.formats import csv_text
from endorse_analysis.present.html import figures_json
from endorse_analysis.present.words import (
    candidate_label,
    local_date,
    local_time,
    race_name,
)
from endorse_analysis.rules.words import (
    choice_figure,
    reason,
    ruling_words,
    support_figure,
    threshold_percent,
    turnout_figure,
)
from endorse_analysis.vocabulary import DECISION_WORDS, NO_ENDORSEMENT, OFFICE_WORDS

# The templates, each of which a program's --templates folder may replace.
TEMPLATES = (
    "email.html",  # the layout both HTML emails extend
    "ballot.subject.txt",
    "ballot.txt",
    "ballot.html",
    "results.subject.txt",
    "results.txt",
    "results.html",
    "endorsements.html",
)
# What each template may ask for: figures and words, never member data.
COMMON_NAMES = ("subject", "provisional", "wave", "race", "thresholds", "figures_json")
TEMPLATE_NAMES = {
    "ballot": (*COMMON_NAMES, "candidates", "no_endorsement"),
    "results": (*COMMON_NAMES, "decision", "options", "turnout", "reason", "nominated"),
    "endorsements": ("title", "provisional", "wave", "columns", "rows", "figures_json"),
    "email": COMMON_NAMES,
}
PROVISIONAL_WORDS = "PROVISIONAL, as of {instant}: the vote is not over"
BLURB_PLACEHOLDER = "[[BLURB: {label}: write 2 to 3 sentences here]]"
SUBJECT_PREFIX = "Subject: "
# The public list's columns (csv, json, page), and those --with-figures adds.
PUBLIC_COLUMNS = [
    "race",
    "race_id",
    "office",
    "state",
    "district",
    "candidate",
    "candidate_id",
    "party",
    "wave_id",
    "wave",
    "decided_on",
]
# Ids for programs: in the csv and json, not on the page.
MACHINE_COLUMNS = ("race_id", "candidate_id", "wave_id")
FIGURE_COLUMNS = ["votes", "ballots_counted", "eligible_voters", "support", "turnout"]


class TemplateRefused(ValueError):
    """A template asks for what a mailing does not give it, or cannot be read."""


@dataclass(frozen=True)
class Draft:
    """One email draft: its subject line and its two bodies."""

    subject: str
    text: str
    html: str


class Templates:
    """The mailing templates: a program's own folder first, the package's behind it."""

    def __init__(self, folder: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if folder is not None:
            if not Path(folder).is_dir():
                raise TemplateRefused(f"--templates {folder} is not a folder")
            loaders.append(jinja2.FileSystemLoader(str(folder)))
        loaders.append(jinja2.PackageLoader("endorse_analysis.present", "templates/mailings"))
        self.folder = folder
        self.env = jinja2.sandbox.ImmutableSandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )

    def own(self) -> list[str]:
        """The templates the program's folder replaces."""
        if self.folder is None:
            return []
        return [name for name in TEMPLATES if (Path(self.folder) / name).is_file()]

    def check(self, kind: str) -> None:
        """Refuse, before anything is written, a template of `kind` that names a variable
        a mailing does not give it."""
        layout = ["email.html"] if kind in ("ballot", "results") else []
        for name in [*layout, *(n for n in TEMPLATES if n.startswith(kind + "."))]:
            own_kind = name.split(".")[0]
            allowed = set(TEMPLATE_NAMES[own_kind]) | set(self.env.globals)
            source = self._source(name)
            try:
                asked = jinja2.meta.find_undeclared_variables(self.env.parse(source))
            except jinja2.TemplateSyntaxError as err:
                raise TemplateRefused(
                    f"template {name} is not valid Jinja (line {err.lineno}: {err.message})"
                ) from None
            unknown = sorted(asked - allowed)
            if unknown:
                raise self._refusal(name, ", ".join(unknown), own_kind)

    def render(self, name: str, context: dict[str, object]) -> str:
        kind = name.split(".")[0]
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.UndefinedError as err:
            raise self._refusal(name, str(err.message), kind) from None
        except jinja2.sandbox.SecurityError as err:
            raise TemplateRefused(f"template {name} does what a template may not: {err}") from None
        except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as err:
            raise TemplateRefused(f"template {name} fails: {type(err).__name__}: {err}") from None

    def _source(self, name: str) -> str:
        try:
            return self.env.loader.get_source(self.env, name)[0]
        except (OSError, UnicodeDecodeError) as err:
            raise TemplateRefused(f"template {name} cannot be read ({err})") from None

    @staticmethod
    def _refusal(name: str, asked: str, kind: str) -> TemplateRefused:
        gets = ", ".join(TEMPLATE_NAMES[kind])
        return TemplateRefused(
            f"template {name} asks for {asked}, which a mailing does not give: a template "
            f"gets figures and words only, never member data ({gets})"
        )


FIGURES_BLOCK = '<script type="application/json" id="endorse-figures">{}</script>'


def with_figures_block(html: str, block: str) -> str:
    """A page with its figures for machines (which `verify` reads): where the template put
    them, or else added before </body> (or at the end)."""
    if 'id="endorse-figures"' in html:
        return html
    tag = FIGURES_BLOCK.format(block)
    at = html.rfind("</body>")
    return html + tag + "\n" if at < 0 else html[:at] + tag + "\n" + html[at:]


def provisional_words(figures: WaveFigures) -> str | None:
    """What a provisional draft says first, or None for the final tally."""
    if figures.as_of is None:
        return None
    return PROVISIONAL_WORDS.format(instant=local_time(figures.as_of, _zone(figures)))


def _zone(figures: WaveFigures) -> str:
    return figures.snapshot.get("timezone") or "UTC"


def _race(figures: WaveFigures, race_id: str) -> dict:
    race = plain_records(figures.races[figures.races["race_id"] == race_id])[0]
    return {
        "id": race_id,
        "name": race_name(race),
        "office": OFFICE_WORDS.get(race["office"], race["office"]),
        "state": race["state"],
        "state_name": race["state_name"] or race["state"],
        "district": race["district"],
    }


def _wave(figures: WaveFigures) -> dict:
    wave, zone = figures.wave, _zone(figures)
    return {
        "id": figures.wave_id,
        "name": wave["name"] or figures.wave_id,
        "opens": local_time(wave["opens_at"], zone),
        "closes": local_time(wave["closes_at"], zone),
        "signup_closes": local_time(wave["signup_closes_at"], zone),
        "timezone": zone,
    }


def _thresholds(figures: WaveFigures) -> dict:
    return {
        "support": threshold_percent(figures.thresholds.support),
        "turnout": threshold_percent(figures.thresholds.turnout),
        "min_votes": figures.thresholds.as_text()["min_votes"],
    }


def _common(figures: WaveFigures, race_id: str, block: dict[str, object]) -> dict:
    """What every draft's templates get: the words of COMMON_NAMES (the subject comes
    once its own template is rendered)."""
    return {
        "subject": "",
        "provisional": provisional_words(figures),
        "wave": _wave(figures),
        "race": _race(figures, race_id),
        "thresholds": _thresholds(figures),
        "figures_json": figures_json(block),
    }


def _draft(templates: Templates, kind: str, context: dict[str, object]) -> Draft:
    """Render a draft's subject, then its bodies with the subject first."""
    subject = " ".join(templates.render(f"{kind}.subject.txt", context).split())
    if context["provisional"]:
        subject = f"[{context['provisional']}] {subject}"
    context = {**context, "subject": subject}
    text = f"{SUBJECT_PREFIX}{subject}\n\n{templates.render(f'{kind}.txt', context).lstrip()}"
    html = with_figures_block(
        templates.render(f"{kind}.html", context), str(context["figures_json"])
    )
    if escape(subject) not in html:
        raise TemplateRefused(
            f"template {kind}.html does not show {{{{ subject }}}}: a draft says its subject first"
        )
    return Draft(subject, text, html)


def ballot_draft(
    templates: Templates, figures: WaveFigures, race_id: str, candidates: pd.DataFrame
) -> Draft:
    """The ballot email of one contest: the race, each candidate on its ballot with the
    groups that asked for them and a marked place for a blurb, the window, and the option
    of no endorsement."""
    names = figures.candidate_names
    people = []
    for row in plain_records(candidates[candidates["race_id"] == race_id]):
        label = row["name"] or row["candidate_id"]
        people.append(
            {
                "id": row["candidate_id"],
                "name": label,
                "party": row["party"],
                "label": candidate_label(row["candidate_id"], names),
                "groups": row["groups"],
                "groups_text": "; ".join(row["groups"]),
                "blurb": BLURB_PLACEHOLDER.format(label=label),
            }
        )
    figures_block = {
        "kind": "mailing-ballot",
        **figures.run_figures(),
        "race_id": race_id,
        "candidates": [p["id"] for p in people],
    }
    context = {
        **_common(figures, race_id, figures_block),
        "candidates": people,
        "no_endorsement": candidate_label(NO_ENDORSEMENT, names),
    }
    return _draft(templates, "ballot", context)


def results_draft(
    templates: Templates, figures: WaveFigures, race_id: str, nominated: pd.DataFrame
) -> Draft:
    """The results announcement of one contest that went to a vote: the final decision in
    words (the ruling where there is one), each option's votes, turnout, the reason, the
    groups that nominated; for an endorsement the template adds the next steps."""
    row = figures.contest(race_id)
    names = figures.candidate_names

    def label(choice: str) -> str:
        """A candidate by name; the other option as a sentence says it."""
        if choice == NO_ENDORSEMENT:
            return candidate_label(choice, names).lower()
        return names.get(choice) or choice

    n, e = row["ballots_counted"], row["eligible_voters"]
    final = row["final_decision"]
    endorsed = endorsed_candidate(row)
    options = [
        {
            "id": o["choice"],
            "label": label(o["choice"]),
            "votes": o["votes"],
            "line": choice_figure(o["votes"], n, label(o["choice"])),
        }
        for o in plain_records(figures.options(race_id))
    ]
    decision = {
        "final": final,
        "words": DECISION_WORDS[final],
        "endorsed": None if endorsed is None else label(endorsed),
        "endorsed_id": endorsed,
        "computed": row["decision"],
        "computed_words": DECISION_WORDS[row["decision"]],
        "ruling": ruling_words(row),
        "override": bool(row["ruling_override"]),
        "support": None
        if endorsed is None
        else support_figure(next(o["votes"] for o in options if o["id"] == endorsed), n),
    }
    groups = [
        {"label": label(r["candidate_id"]), "groups": r["groups"], "text": "; ".join(r["groups"])}
        for r in plain_records(nominated[nominated["race_id"] == race_id])
    ]
    figures_block = {"kind": "mailing-results", **figures.run_figures(),
                     **figures.contest_figures(race_id)}  # fmt: skip
    context = {
        **_common(figures, race_id, figures_block),
        "decision": decision,
        "options": options,
        "turnout": {"ballots": n, "eligible": e, "line": turnout_figure(n, e)},
        "reason": reason(row, figures.thresholds, label),
        "nominated": groups,
    }
    return _draft(templates, "results", context)


# --- the public list ----------------------------------------------------------------------


def public_rows(endorsed: pd.DataFrame, zone: str, with_figures: bool) -> list[dict]:
    """The endorsed candidates as the public list shows them: no member ids, and vote
    counts only `with_figures`."""
    rows = []
    for r in plain_records(endorsed):
        race = {k: r[k] for k in ("race_id", "office", "state", "state_name", "district")}
        row = {
            "race": race_name(race),
            "race_id": r["race_id"],
            "office": OFFICE_WORDS.get(r["office"], r["office"]),
            "state": r["state"],
            "district": r["district"],
            "candidate": r["candidate_name"],
            "candidate_id": r["candidate_id"],
            "party": r["party"],
            "wave_id": r["wave_id"],
            "wave": r["wave_name"] or r["wave_id"],
            "decided_on": local_date(r["decided_at"], zone),
        }
        if with_figures:
            n, e = r["ballots_counted"], r["eligible_voters"]
            row.update(
                {
                    "votes": r["votes"],
                    "ballots_counted": n,
                    "eligible_voters": e,
                    "support": support_figure(r["votes"], n),
                    "turnout": turnout_figure(n, e),
                }
            )
        rows.append(row)
    return rows


def public_columns(with_figures: bool) -> list[str]:
    return PUBLIC_COLUMNS + (FIGURE_COLUMNS if with_figures else [])


def endorsements_csv(rows: list[dict], with_figures: bool, figures: WaveFigures) -> str:
    """The public list as csv (cells a spreadsheet would run as a formula neutralised);
    a provisional list says so in a last column, `as_of`."""
    columns = public_columns(with_figures)
    as_of = instant_text(figures.as_of)
    if as_of is not None:
        rows, columns = [{**r, "as_of": as_of} for r in rows], [*columns, "as_of"]
    return csv_text(rows, columns)


def endorsements_json(rows: list[dict], figures: WaveFigures, with_figures: bool) -> str:
    """The public list as json: the wave it runs up to, the instant if provisional, rows."""
    document = {
        "up_to_wave": figures.wave_id,
        "as_of": instant_text(figures.as_of),
        "snapshot_id": figures.snapshot.get("snapshot_id"),
        "columns": public_columns(with_figures),
        "endorsements": rows,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def endorsements_html(
    templates: Templates, rows: list[dict], figures: WaveFigures, with_figures: bool
) -> str:
    """The public list as a small offline page."""
    figures_block = {
        "kind": "endorsements",
        **figures.run_figures(),
        "endorsements": [{k: r[k] for k in ("wave_id", "race_id", "candidate_id")} for r in rows],
    }
    shown = [c for c in public_columns(with_figures) if c not in MACHINE_COLUMNS]
    block = figures_json(figures_block)
    html = templates.render(
        "endorsements.html",
        {
            "title": f"Endorsed candidates, up to {figures.wave['name'] or figures.wave_id}",
            "provisional": provisional_words(figures),
            "wave": _wave(figures),
            "columns": [(c, c.replace("_", " ").capitalize()) for c in shown],
            "rows": [{c: ("" if r[c] is None else r[c]) for c in shown} for r in rows],
            "figures_json": block,
        },
    )
    return with_figures_block(html, block)
