"""endorse_analysis: tally, eligibility and turnout of an endorsement vote, as SQL over DuckDB.

import endorse_analysis as ea
con = ea.connect("data/demo.duckdb")          # read-only snapshot
ea.tally(con, "2026-03")                      # one row per contest, with its decision

The docket, results and diff live in their modules (endorse_analysis.docket, .results,
.diff), whose names are not shadowed here.
"""

from endorse_analysis.database import DatabaseError, connect, snapshot_info
from endorse_analysis.load import load_folder
from endorse_analysis.problems import LoadRefused
from endorse_analysis.rules import Thresholds
from endorse_analysis.tally import (
    UnknownWave,
    audit,
    choices,
    potential_voters,
    rulings,
    tally,
    vote_status,
)
from endorse_analysis.version import __version__

__all__ = [
    "DatabaseError",
    "LoadRefused",
    "Thresholds",
    "UnknownWave",
    "__version__",
    "audit",
    "choices",
    "connect",
    "load_folder",
    "potential_voters",
    "rulings",
    "snapshot_info",
    "tally",
    "vote_status",
]
