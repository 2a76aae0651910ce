"""Text from the data made safe to show: control characters (C0, C1, DEL), bidirectional
overrides and isolates, and what XML cannot hold, written as their escapes.

In: a name or id as stored (stored as given, never changed by the load). Out: the same
text with each such character as its Python escape (`\\x0b`, `\\x1b`, `\\u202e`), for a
terminal line, a header, an error or a chart's SVG text (vl-convert refuses a
character XML cannot hold, and aborts the process).
"""

from __future__ import annotations

import re

# What a terminal would act on or reorder: C0, DEL, C1, bidirectional marks, overrides
# and isolates.
UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Also what XML 1.0 cannot hold: lone surrogates, U+FFFE and U+FFFF.
UNSHOWN_IN_XML = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _escape(found: re.Match[str]) -> str:
    return repr(found.group())[1:-1]


def visible(text: str) -> str:
    """`text` with every character a terminal would act on written as its escape."""
    return UNSHOWN.sub(_escape, text)


def visible_in_chart(value: object) -> object:
    """A chart specification (dicts, lists, strings) with every string made visible and
    XML-safe: the same text everywhere it occurs, so data, fields and selections agree."""
    if isinstance(value, str):
        return UNSHOWN_IN_XML.sub(_escape, value)
    if isinstance(value, dict):
        return {visible_in_chart(k): visible_in_chart(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [visible_in_chart(v) for v in value]
    return value


def needs_escape_in_chart(value: object) -> bool:
    """Whether any string of a chart specification holds what `visible_in_chart` escapes."""
    if isinstance(value, str):
        return UNSHOWN_IN_XML.search(value) is not None
    if isinstance(value, dict):
        return any(needs_escape_in_chart(k) or needs_escape_in_chart(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(needs_escape_in_chart(v) for v in value)
    return False
