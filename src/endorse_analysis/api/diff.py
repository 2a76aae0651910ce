"""What changed between two loads: contests whose decision, ballot, counts or turnout differ.

In: two connections (the earlier and the later snapshot), optionally a wave, and the
thresholds. Out: one row per (contest, field) that differs, with the value before and after.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.tally import UnknownWave, choices, tally
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.vocabulary import NO_ENDORSEMENT

COMPARED = [
    "decision",
    "final_decision",
    "candidates_on_ballot",
    "ballot",
    "eligible_voters",
    "ballots_counted",
    "turnout",
    "top_choice",
    "top_votes",
    "votes",
]
DIFF_COLUMNS = ["wave_id", "race_id", "field", "before", "after"]


def _waves(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {w for (w,) in con.execute("SELECT wave_id FROM waves").fetchall()}


def _contests(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds
) -> dict[str, dict[str, object]]:
    if wave_id not in _waves(con):
        return {}
    options = choices(con, wave_id)
    contests = {}
    for row in plain_records(tally(con, wave_id, thresholds)):
        mine = options[options["race_id"] == row["race_id"]]
        row["ballot"] = ", ".join(c for c in mine["choice"] if c != NO_ENDORSEMENT) or None
        pairs = zip(mine["choice"], mine["votes"], strict=True)
        row["votes"] = ", ".join(f"{c} {v}" for c, v in pairs)
        contests[row["race_id"]] = row
    return contests


def diff(
    old: duckdb.DuckDBPyConnection,
    new: duckdb.DuckDBPyConnection,
    wave_id: str | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per (contest, field) that differs, with the value before and after. A
    wave in neither snapshot is an error (UnknownWave)."""
    if wave_id is not None and wave_id not in _waves(old) | _waves(new):
        raise UnknownWave(f"wave {wave_id!r} is in neither database")
    thresholds = thresholds or Thresholds()
    waves = [wave_id] if wave_id else sorted(_waves(old) | _waves(new))
    rows = []
    for wave in waves:
        before, after = _contests(old, wave, thresholds), _contests(new, wave, thresholds)
        for race in sorted(set(before) | set(after)):
            if race not in before or race not in after:
                rows.append(
                    {
                        "wave_id": wave,
                        "race_id": race,
                        "field": "contest",
                        "before": "present" if race in before else None,
                        "after": "present" if race in after else None,
                    }
                )
                continue
            for field in COMPARED:
                if before[race][field] != after[race][field]:
                    rows.append(
                        {
                            "wave_id": wave,
                            "race_id": race,
                            "field": field,
                            "before": before[race][field],
                            "after": after[race][field],
                        }
                    )
    return pd.DataFrame(rows, columns=DIFF_COLUMNS)
