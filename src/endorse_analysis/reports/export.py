"""An executed notebook as one offline HTML page, and as a notebook safe to publish.

In: the executed notebook (nbformat). Out: the page's HTML (no code, no prompts, no
script, no network resource, its figures in a JSON block) and the notebook with the
machine's paths taken out of its parameters and metadata.
"""

from __future__ import annotations

import logging
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


@cache
def _exporter() -> Any:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class PageExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass, which parses the whole page
        again with BeautifulSoup to add alt text and tab stops: our charts carry their own
        alt text and the page has no cell to focus (BENCHMARKS.md: the reports)."""

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(parent=self))
            data_types = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("filter_data_type", data_types)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = PageExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.display_data_priority = list(DISPLAY_PRIORITY)
    quiet = logging.getLogger("endorse_analysis.nbconvert")
    quiet.setLevel(logging.ERROR)  # e.g. "alternative text is missing" for each chart
    exporter.log = quiet
    tags = TagRemovePreprocessor(
        remove_cell_tags={"remove_cell", "hide"},
        remove_all_outputs_tags={"remove_output"},
        remove_input_tags={"remove_input"},
    )
    exporter.register_preprocessor(tags, enabled=True)
    return exporter


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
    import nbformat

    figures = published_figures(nb)
    cells = []
    for cell in nb.cells:
        if PARAMETER_TAGS & _tags(cell):
            continue
        if cell.get("cell_type") == "code":
            outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and FIGURES_MIME not in o.get("data", {})
            ]
            cell = nbformat.NotebookNode({**cell, "outputs": outputs})
        cells.append(cell)
    body, _resources = _exporter().from_notebook_node(nbformat.NotebookNode({**nb, "cells": cells}))
    page = page_html(body, title, subtitle, index_href, figures)
    if _REMOTE.search(page):
        raise RenderError(f"the report {title!r} would load a resource from the network")
    return page


def without_paths(nb: Any, paths: dict[str, str]) -> Any:
    """The executed notebook with each absolute path of `paths` (a parameter's value)
    written as its file name, in the injected parameters and in Papermill's metadata, so
    that a published notebook holds no path of the machine that rendered it."""
    names = {value: PurePath(value).name for value in paths.values() if os.path.isabs(value)}

    def scrub(text: str) -> str:
        for value, name in names.items():
            text = text.replace(repr(value), repr(name)).replace(value, name)
        return text

    for cell in nb.cells:
        if "injected-parameters" in _tags(cell):
            cell["source"] = scrub("".join(cell["source"]))
    papermill = nb.metadata.get("papermill", {})
    for key in ("input_path", "output_path"):
        if papermill.get(key):
            papermill[key] = PurePath(papermill[key]).name
    parameters = papermill.get("parameters", {})
    for key, value in list(parameters.items()):
        if isinstance(value, str):
            parameters[key] = scrub(value)
    return nb
