"""endorse_analysis: tally, eligibility and turnout of an endorsement vote, as SQL over DuckDB.

    import endorse_analysis as ea
    con = ea.connect("data/demo.duckdb")          # read-only snapshot
    ea.tally(con, "2026-03")                      # one row per contest, with its decision

The layers, in the order data flows through them: `ingest` (CSV folder -> snapshot),
`rules` (the program's rules as SQL macros and exact thresholds), `api` (DataFrames over
one connection), `present` (words, tables, charts, HTML), `reports` (Papermill runs,
index, manifest). The docket, results, diff, explore and wave figures live in their
`api` modules.
"""

from endorse_analysis.api.snapshot import DatabaseError, connect, snapshot_info
from endorse_analysis.api.tally import (
    UnknownWave,
    audit,
    choices,
    counted_by_day,
    potential_voters,
    rulings,
    tally,
    vote_status,
)
from endorse_analysis.api.wave import WaveFigures, wave_figures
from endorse_analysis.ingest import LoadRefused, load_folder
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.version import __version__

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
