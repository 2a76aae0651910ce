"""An analyst's notebook as one offline HTML page: `jupyter nbconvert --to endorse_html`.

In: a notebook, executed (in JupyterLab, with Papermill or by nbconvert's --execute).
Out: JupyterLab's page with code and outputs, the chart fonts embedded, and nothing
loaded from a network: no require.js, MathJax, Mermaid or widget manager; each chart is
the static SVG that `present.lab` saves beside its interactive view.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from nbconvert import HTMLExporter
from traitlets import default

from endorse_analysis.present.html import embedded_fonts
from endorse_analysis.reports.export import DISPLAY_PRIORITY

TEMPLATES = Path(__file__).resolve().parent.parent / "present" / "templates" / "nbconvert"

# What a chart's SVG is made of (vl-convert draws with these); anything else is not
# inlined into the page.
SVG_ELEMENTS = {
    "svg", "g", "path", "rect", "line", "text", "tspan", "circle", "ellipse", "polygon",
    "polyline", "defs", "clipPath", "title", "desc",
}  # fmt: skip
_UNSAFE_VALUE = re.compile(r"javascript:|url\(\s*(?!['\"]?#)", re.I)


def _drawing_only(svg: str) -> bool:
    """Whether `svg` only draws: known elements, no event handlers, no links out."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return False
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] not in SVG_ELEMENTS:
            return False
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on") or _UNSAFE_VALUE.search(value):
                return False
            if name == "href" and not value.startswith("#"):
                return False
    return True


def inline_svg(svg: str) -> str:
    """A chart's SVG inline, so that its text is drawn with the page's embedded fonts;
    an SVG that does more than draw is shown as an image instead, where it cannot run."""
    if _drawing_only(svg):
        return svg
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img alt="chart" src="data:image/svg+xml;base64,{html.escape(data)}">'


class OfflineHTMLExporter(HTMLExporter):
    """HTML with no network resource (nbconvert's exporter `endorse_html`)."""

    export_from_notebook = "HTML, offline"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "endorse_offline"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        # Static SVG first: a chart's widget view needs a widget manager from a network.
        self.display_data_priority = list(DISPLAY_PRIORITY)
        self.register_filter("inline_svg", inline_svg)

    def _init_resources(self, resources: Any) -> Any:
        resources = super()._init_resources(resources)
        resources["endorse_fonts"] = embedded_fonts()
        return resources
