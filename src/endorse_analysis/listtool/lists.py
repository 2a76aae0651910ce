"""The member lists handed back to the list tool after a wave: for each contest whose
final decision is ENDORSE, who gets the announcement and who may volunteer.

In: a snapshot connection, a wave, the thresholds and a folder. Out: that folder, written
whole, owner-only (0700, its files 0600):

    <race>.announcement.csv   the contest's potential voters, opted-out members excluded
    <race>.volunteers.csv     members whose counted ballot chose the endorsed candidate
    manifest.json             the wave, the snapshot, and per contest the counts only

Each list is one `user_id` column, ready for the list tool's import; `<race>` is the race
id spelled by `reports.names.safe_name`. These are the one output of the package that
holds member ids, so they are never written into, or beside, a rendered report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.snapshot import snapshot_info
from endorse_analysis.api.tally import tally
from endorse_analysis.listtool.private import (
    FolderRefused,
    private_folder,
    write_member_lists,
    write_private,
)
from endorse_analysis.reports.names import MANIFEST
from endorse_analysis.rules.thresholds import Thresholds

LISTS = ("announcement", "volunteers")
KIND = "member-lists"  # the manifest's mark: a folder this module may replace

ListsRefused = FolderRefused  # the lists cannot go where asked


@dataclass(frozen=True)
class ContestLists:
    """One endorsed contest's lists: the files written and how many members each holds."""

    race_id: str
    candidate_id: str
    files: dict[str, str]
    members: dict[str, int]


def write_lists(
    con: duckdb.DuckDBPyConnection, wave_id: str, out: Path, thresholds: Thresholds | None = None
) -> list[ContestLists]:
    """Write the lists of every endorsed contest of the wave into `out`, replacing a
    folder of lists written before (and nothing else)."""
    thresholds = thresholds or Thresholds()
    endorsed = [
        (row["race_id"], endorsed_candidate(row))
        for row in plain_records(tally(con, wave_id, thresholds))
        if endorsed_candidate(row) is not None
    ]
    with private_folder(Path(out), KIND, "the lists") as tmp:
        written = write_member_lists(con, wave_id, endorsed, tmp, {k: k for k in LISTS})
        contests = [
            ContestLists(
                race_id,
                candidate_id,
                {k: name for k, (name, _) in written[race_id].items()},
                {k: n for k, (_, n) in written[race_id].items()},
            )
            for race_id, candidate_id in endorsed
        ]
        manifest = {
            "kind": KIND,
            "wave_id": wave_id,
            "snapshot_id": snapshot_info(con).get("snapshot_id"),
            "thresholds": thresholds.as_text(),
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "member ids: for the list tool's import only, never for a report",
            "contests": [
                {
                    "race_id": c.race_id,
                    "candidate_id": c.candidate_id,
                    "files": c.files,
                    "members": c.members,
                }
                for c in contests
            ],
        }
        write_private(tmp / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return contests
