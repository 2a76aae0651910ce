"""An executed notebook as one offline HTML page, and as a notebook safe to publish.

In: the executed notebook (nbformat). Out: the page's HTML (no code, no prompts, no
script, no network resource, its figures in a JSON block) and the notebook with the
machine's paths taken out of its parameters and metadata. The page is the cells' prose
and outputs in the markup of Jupyter's HTML export, written here directly (nbconvert's
templates cost a page about 35 ms, and a single `report` 0.3 s to import).
"""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import PurePath
from typing import Any

from endorse_analysis.present.html import page_html
from endorse_analysis.present.pages import FIGURES_MIME
from endorse_analysis.reports.names import RenderError

# Only these output types reach the HTML: no JavaScript, no widgets, no Vega specs.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
]
PARAMETER_TAGS = {"parameters", "injected-parameters"}
_REMOTE = re.compile(r"""(?:\bsrc|<link[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


REMOVE_CELL_TAGS = {"remove_cell", "hide"}
REMOVE_OUTPUT_TAGS = {"remove_output"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@cache
def _markdown() -> Any:
    import mistune

    class Renderer(mistune.HTMLRenderer):
        """Headings with an id and an anchor link, as Jupyter's exporters write them."""

        def heading(self, text: str, level: int, **attrs: Any) -> str:
            words = html.unescape(re.sub(r"<[^>]*>", "", text))
            anchor = html.escape(re.sub(r"\s+", "-", words.strip()))
            return (
                f'<h{level} id="{anchor}">{text}<a class="anchor-link" '
                f'href="#{anchor}">&#182;</a></h{level}>\n'
            )

    return mistune.create_markdown(
        escape=False, renderer=Renderer(escape=False), plugins=["table", "strikethrough"]
    )


@cache
def markdown_html(text: str) -> str:
    """A markdown cell as HTML (the notebook's own prose: the same for every page)."""
    return _markdown()(text)


def _text(value: object) -> str:
    return value if isinstance(value, str) else "".join(value)  # type: ignore[arg-type]


def _output_html(output: Any) -> str | None:
    """One output as HTML, by DISPLAY_PRIORITY (None: nothing to show)."""
    kind = output.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(_text(output.get('text', '')))}</pre>"
    if kind == "error":
        trace = _ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f"<pre>{html.escape(trace)}</pre>"
    data = output.get("data", {})
    mime = next((m for m in DISPLAY_PRIORITY if m in data), None)
    if mime is None:
        return None
    value = _text(data[mime])
    if mime == "text/html":
        return value
    if mime == "text/markdown":
        return markdown_html(value)
    if mime == "image/svg+xml":
        return value
    if mime in ("image/png", "image/jpeg"):
        return f'<img src="data:{mime};base64,{html.escape(value.strip())}">'
    return f"<pre>{html.escape(value)}</pre>"


def _cell_html(cell: Any) -> str:
    """A cell as the page shows it: prose, or a code cell's outputs (never its code)."""
    cell_id = html.escape(str(cell.get("id", "")))
    if cell.get("cell_type") == "markdown":
        return (
            f'<div id="cell-id={cell_id}" class="cell border-box-sizing text_cell rendered">'
            '<div class="inner_cell">\n<div class="text_cell_render border-box-sizing '
            f'rendered_html">\n{markdown_html(_text(cell.get("source", "")))}\n</div>\n'
            "</div>\n</div>\n"
        )
    if cell.get("cell_type") != "code":
        return ""
    shown = []
    if not REMOVE_OUTPUT_TAGS & _tags(cell):
        for output in cell.get("outputs", []):
            body = _output_html(output)
            if body is not None:
                kind = output.get("output_type", "")
                shown.append(
                    '<div class="output_area">\n<div class="output_html rendered_html '
                    f'output_subarea output_{kind}">{body}</div>\n</div>\n'
                )
    wrapped = (
        '<div class="output_wrapper">\n<div class="output">\n' + "".join(shown) + "</div>\n</div>\n"
        if shown
        else ""
    )
    opening = f'<div id="cell-id={cell_id}" class="cell border-box-sizing code_cell rendered">'
    return f"{opening}\n{wrapped}</div>\n"


def _tags(cell: Any) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def published_figures(nb: Any) -> dict[str, object]:
    """The figures the page published (`RacePage.figures_for_machines` and the like)."""
    found = [
        output["data"][FIGURES_MIME]
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if FIGURES_MIME in output.get("data", {})
    ]
    if len(found) != 1:
        raise RenderError(f"a page must publish its figures once, not {len(found)} times")
    return dict(found[0])


def notebook_html(nb: Any, title: str, subtitle: str, index_href: str) -> str:
    """The page: the notebook's outputs without code, prompts, stderr or parameter cells,
    wrapped with its title, a link to the index, and its figures."""
    figures = published_figures(nb)
    parts = []
    for cell in nb.cells:
        if (PARAMETER_TAGS | REMOVE_CELL_TAGS) & _tags(cell):
            continue
        if cell.get("cell_type") == "code":
            outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and FIGURES_MIME not in o.get("data", {})
            ]
            cell = {**cell, "outputs": outputs}
        parts.append(_cell_html(cell))
    page = page_html("".join(parts), title, subtitle, index_href, figures)
    if _REMOTE.search(page):
        raise RenderError(f"the report {title!r} would load a resource from the network")
    return page


def without_paths(nb: Any, paths: dict[str, str]) -> Any:
    """The executed notebook with each absolute path of `paths` (a parameter's value)
    written as its file name, in the injected parameters, the cells' printed text and
    errors, and Papermill's metadata, so that a published notebook holds no path of the
    machine that rendered it."""
    names = {value: PurePath(value).name for value in paths.values() if os.path.isabs(value)}

    def scrub(text: str) -> str:
        for value, name in names.items():
            text = text.replace(repr(value), repr(name)).replace(value, name)
        return text

    for cell in nb.cells:
        if "injected-parameters" in _tags(cell):
            cell["source"] = scrub("".join(cell["source"]))
        for output in cell.get("outputs", []):  # a failed cell's message may quote a path
            if "text" in output:
                output["text"] = scrub("".join(output["text"]))
            if "evalue" in output:
                output["evalue"] = scrub(output["evalue"])
            if "traceback" in output:
                output["traceback"] = [scrub(line) for line in output["traceback"]]
    papermill = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if papermill.get(key):
            papermill[key] = PurePath(papermill[key]).name
    parameters = papermill.get("parameters", {})
    for key, value in list(parameters.items()):
        if isinstance(value, str):
            parameters[key] = scrub(value)
    return nb
