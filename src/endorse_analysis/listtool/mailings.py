"""The program's own mailings for a wave, handed to the list tool: the ballot email, the
results announcement, and the public list of endorsed candidates.

In: a snapshot, a wave, the thresholds (and optionally an --as-of instant, a program's own
templates). Out: one folder, written whole, owner-only (0700, its files 0600), never in,
beside or around a rendered report:

    ballot     <race>.ballot.txt, <race>.ballot.html, <race>.recipients.csv
               for every contest with a candidate on its ballot
    results    <race>.results.txt, <race>.results.html, <race>.recipients.csv and, for an
               endorsement, <race>.volunteers.csv, for every contest that went to a vote
               and is decided (REVIEW without a ruling: no draft, listed as pending)
    endorsed   endorsements.csv, endorsements.json, endorsements.html: every wave so far
    manifest.json   the run (snapshot, thresholds, instant), every file's hash, and per
               contest the counts only; `verify` checks the folder against it

Every figure comes from one `WaveFigures` of the snapshot, thresholds and instant: the
figures the wave's pages show. Recipients are the contest's potential voters as of the
sign-up close, opted-out members excluded: the one part of these folders with member ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.api import mailings as api
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.api.snapshot import connect, parse_as_of
from endorse_analysis.api.wave import WaveFigures, wave_figures
from endorse_analysis.files import sha256_file
from endorse_analysis.listtool.private import (
    check_destination,
    private_folder,
    write_member_lists,
    write_private,
)
from endorse_analysis.present import mailings as words
from endorse_analysis.reports.manifest import (
    MAILINGS_KIND,
    MANIFEST_VERSION,
    listed_files,
    run_block,
)
from endorse_analysis.reports.names import MANIFEST, safe_name
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.version import __version__

KINDS = ("ballot", "results", "endorsed")
RECIPIENTS = {"announcement": "recipients"}
RECIPIENTS_AND_VOLUNTEERS = {"announcement": "recipients", "volunteers": "volunteers"}


class MailingsRefused(ValueError):
    """The mailings cannot be written as asked: said in one sentence."""


@dataclass
class Mailings:
    """What a run wrote: the folder, the contests with a draft, those awaiting a ruling,
    and the members of each recipients list."""

    kind: str
    folder: Path
    drafts: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    members: dict[str, dict[str, int]] = field(default_factory=dict)
    endorsed: int = 0
    own_templates: list[str] = field(default_factory=list)
    provisional: bool = False


def write_mailings(
    db: Path,
    kind: str,
    wave_id: str,
    out: Path,
    thresholds: Thresholds | None = None,
    *,
    as_of: str | None = None,
    templates: Path | None = None,
    provisional: bool = False,
    with_figures: bool = False,
) -> Mailings:
    """Write the mailings of `kind` for the wave into `out`, replacing a folder of
    mailings written before (and nothing else)."""
    if kind not in KINDS:
        raise MailingsRefused(f"no mailing {kind!r}: one of {', '.join(KINDS)}")
    if with_figures and kind != "endorsed":
        raise MailingsRefused("--with-figures is for the endorsed list: the drafts show them")
    check_destination(Path(out), MAILINGS_KIND, "the mailings")  # before any work
    thresholds = thresholds or Thresholds()
    own = words.Templates(templates)
    own.check("endorsements" if kind == "endorsed" else kind)
    instant = None
    if as_of:
        with connect(db, macros=False) as con:
            instant = parse_as_of(con, as_of)
        if not provisional:
            raise MailingsRefused(
                "--as-of makes the tally provisional: add --provisional to write drafts "
                "that say so in their subject"
            )
    waves = None if kind == "endorsed" or instant is None else [wave_id]
    with connect(db, as_of=instant, waves=waves) as con:
        figures = wave_figures(con, wave_id, thresholds)
        result = Mailings(kind, Path(out), own_templates=own.own(), provisional=bool(instant))
        with private_folder(Path(out), MAILINGS_KIND, "the mailings") as tmp:
            if kind == "ballot":
                contests = _ballot(con, figures, own, tmp, result)
            elif kind == "results":
                contests = _results(con, figures, own, tmp, result)
            else:
                endorsed = api.endorsed_list(con, wave_id, thresholds)
                contests = _endorsed(endorsed, figures, own, tmp, with_figures)
                result.endorsed = len(endorsed)
            _manifest(tmp, kind, figures, contests, result, with_figures)
    return result


def write_mailings_of_wave(db: Path, wave_id: str, folder: Path) -> list[Path]:
    """Every kind of mailing of the wave at the default thresholds, each in its own
    folder under `folder` (contests awaiting a ruling are listed in the results'
    manifest): what the demo writes."""
    written = []
    for kind in KINDS:
        write_mailings(db, kind, wave_id, Path(folder) / kind)
        written.append(Path(folder) / kind)
    return written


def _ballot(
    con: duckdb.DuckDBPyConnection,
    figures: WaveFigures,
    own: words.Templates,
    folder: Path,
    result: Mailings,
) -> list[dict]:
    candidates = api.ballot_candidates(figures)
    races = sorted(set(candidates["race_id"]))
    for race_id in races:
        draft = words.ballot_draft(own, figures, race_id, candidates)
        _write_draft(folder, race_id, "ballot", draft)
    return _recipients(con, figures, [(r, None) for r in races], RECIPIENTS, folder, result)


def _results(
    con: duckdb.DuckDBPyConnection,
    figures: WaveFigures,
    own: words.Templates,
    folder: Path,
    result: Mailings,
) -> list[dict]:
    nominated = api.ballot_candidates(figures)
    decided = []
    for row in api.voted_contests(figures):
        if api.awaiting_ruling(row):
            result.pending.append(row["race_id"])
            continue
        draft = words.results_draft(own, figures, row["race_id"], nominated)
        _write_draft(folder, row["race_id"], "results", draft)
        decided.append((row["race_id"], endorsed_candidate(row)))
    return _recipients(con, figures, decided, RECIPIENTS_AND_VOLUNTEERS, folder, result)


def _recipients(
    con: duckdb.DuckDBPyConnection,
    figures: WaveFigures,
    contests: list[tuple[str, str | None]],
    names: dict[str, str],
    folder: Path,
    result: Mailings,
) -> list[dict]:
    written = write_member_lists(con, figures.wave_id, contests, folder, names)
    rows = []
    for race_id, candidate_id in contests:
        result.drafts.append(race_id)
        result.members[race_id] = {names[k]: n for k, (_, n) in written[race_id].items()}
        rows.append(
            {
                "race_id": race_id,
                "final_decision": figures.contest(race_id)["final_decision"],
                "candidate_id": candidate_id,
                "files": sorted(
                    [f"{safe_name(race_id)}.{result.kind}.{e}" for e in ("txt", "html")]
                    + [name for name, _ in written[race_id].values()]
                ),
                "members": result.members[race_id],
            }
        )
    return rows


def _write_draft(folder: Path, race_id: str, kind: str, draft: words.Draft) -> None:
    stem = f"{safe_name(race_id)}.{kind}"  # '.' never occurs in a safe name
    write_private(folder / f"{stem}.txt", draft.text)
    write_private(folder / f"{stem}.html", draft.html)


def _endorsed(
    endorsed: pd.DataFrame,
    figures: WaveFigures,
    own: words.Templates,
    folder: Path,
    with_figures: bool,
) -> list[dict]:
    zone = figures.snapshot.get("timezone") or "UTC"
    rows = words.public_rows(endorsed, zone, with_figures)
    write_private(folder / "endorsements.csv", words.endorsements_csv(rows, with_figures, figures))
    write_private(
        folder / "endorsements.json", words.endorsements_json(rows, figures, with_figures)
    )
    write_private(
        folder / "endorsements.html", words.endorsements_html(own, rows, figures, with_figures)
    )
    return [{k: r[k] for k in ("wave_id", "race_id", "candidate_id")} for r in rows]


def _manifest(
    folder: Path,
    kind: str,
    figures: WaveFigures,
    contests: list[dict],
    result: Mailings,
    with_figures: bool,
) -> None:
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "package": "endorse-analysis",
        "version": __version__,
        "kind": MAILINGS_KIND,
        "mailing": kind,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "run": run_block(figures),
        "provisional": result.provisional,
        "with_figures": with_figures,
        "templates": result.own_templates,
        "note": "recipients and volunteers hold member ids: for the list tool only, "
        "never for a report",
        "files": [
            {
                "path": path.relative_to(folder).as_posix(),
                "sha256": sha256_file(path),
                "size": path.stat().st_size,
            }
            for path in listed_files(folder)
        ],
        "contests" if kind != "endorsed" else "endorsements": contests,
        "pending": result.pending,
    }
    write_private(folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
