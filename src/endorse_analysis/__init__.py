"""endorse_analysis: tally, eligibility and turnout of an endorsement vote, as SQL over DuckDB.

import endorse_analysis as ea
con = ea.connect("data/demo.duckdb")          # read-only snapshot
ea.tally(con, "2026-03")                      # one row per contest, with its decision
"""

from endorse_analysis.database import DatabaseError, connect, snapshot_info
from endorse_analysis.diff import diff
from endorse_analysis.docket import docket
from endorse_analysis.load import load_folder
from endorse_analysis.problems import LoadRefused
from endorse_analysis.results import results, results_by_group
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
    "snapshot_info",
    "tally",
    "vote_status",
]
