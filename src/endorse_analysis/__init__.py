"""endorse_analysis: tally, eligibility and turnout of an endorsement vote, as SQL over DuckDB.

    import endorse_analysis as ea
    con = ea.connect("data/demo.duckdb")          # read-only snapshot
    ea.tally(con, "2026-03")                      # one row per contest, with its decision

The layers, in the order data flows through them: `ingest` (CSV folder -> snapshot),
`rules` (the contract's rules as SQL macros and exact thresholds), `api` (DataFrames over
one connection), `present` (words, tables, charts, HTML), `reports` (Papermill runs,
index, manifest). The docket, results, diff, explore and wave figures live in their
`api` modules.
"""

import sys

# jsonschema (imported by altair and nbformat) builds some forty parsers at import when
# the optional rfc3987_syntax is installed: a second for every process that renders or
# charts. Neither library checks the "iri" format those parsers serve, so the package
# does without them (jsonschema then leaves that one format unchecked).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from endorse_analysis.api.snapshot import DatabaseError, connect, snapshot_info  # noqa: E402
from endorse_analysis.api.tally import (  # noqa: E402
    UnknownWave,
    audit,
    choices,
    counted_by_day,
    potential_voters,
    rulings,
    tally,
    vote_status,
)
from endorse_analysis.api.wave import WaveFigures, wave_figures  # noqa: E402
from endorse_analysis.ingest import LoadRefused, load_folder  # noqa: E402
from endorse_analysis.rules.thresholds import Thresholds  # noqa: E402
from endorse_analysis.version import __version__  # noqa: E402

__all__ = [
    "DatabaseError",
    "LoadRefused",
    "Thresholds",
    "UnknownWave",
    "WaveFigures",
    "__version__",
    "audit",
    "choices",
    "connect",
    "counted_by_day",
    "load_folder",
    "potential_voters",
    "rulings",
    "snapshot_info",
    "tally",
    "vote_status",
    "wave_figures",
]
