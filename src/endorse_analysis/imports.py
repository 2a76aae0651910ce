"""How a process of ours imports the heavy libraries, called where the process starts.

jsonschema (imported by altair and nbformat) builds some forty parsers at import when the
optional rfc3987_syntax is installed, in every process that renders or charts (the cost
is in BENCHMARKS.md).
Neither library checks the "iri" format those parsers serve, so our processes do without
them (jsonschema then leaves that one format unchecked). Importing the package changes
nothing: the command line, the rendering workers and the warm kernels call
`skip_iri_parsers` before they import altair or nbformat.
"""

from __future__ import annotations

import sys


def skip_iri_parsers() -> None:
    """Keep jsonschema from importing rfc3987_syntax, unless it is already imported."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
