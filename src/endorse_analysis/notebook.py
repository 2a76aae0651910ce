"""The one setup every notebook calls: open the snapshot, read the parameters, and hand
back the page (or the connection) the notebook shows.

In: a notebook's parameters, as text (Papermill injects them; an analyst edits them).
Out: from `setup`, a `RacePage`, `OverviewPage` or `DocketPage` over the wave's figures;
from `open_session`, for the explore notebooks, a `Session`: the connection, thresholds,
instant, cut-offs and time zone that every section of the notebook reads. `show_table`,
`show_chart` and `say` display aggregates (`present.lab`: charts interactive in
JupyterLab, static SVG elsewhere); `strip_outputs` is the lab's pre-save hook.
A report rendered in a run gets its figures handed on (`figures_path`) and refuses them
unless they are of this snapshot, wave, thresholds and instant; run by hand, it computes
them, through the same `wave_figures`.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pandas as pd

from endorse_analysis.api.context import use_district_facts
from endorse_analysis.api.session import Cutoffs, Session
from endorse_analysis.api.snapshot import connect, parse_as_of, snapshot_info
from endorse_analysis.api.tally import UnknownWave, require_wave
from endorse_analysis.api.wave import WaveFigures, figures_key, wave_figures
from endorse_analysis.ingest.parse import parse_timestamp
from endorse_analysis.ingest.resources import connection_limits
from endorse_analysis.parameters import (
    CLOSE_VOTES,
    EARLY_HOURS,
    MIN_TURNOUT,
    MIN_VOTES,
    OUTLIER_Z,
    SUPPORT,
)
from endorse_analysis.present import lab
from endorse_analysis.present.pages import DocketPage, OverviewPage, RacePage
from endorse_analysis.rules.thresholds import Thresholds

if TYPE_CHECKING:
    import altair as alt

__all__ = ["Session", "open_session", "say", "setup", "show_chart", "show_table"]

DEFAULT_DB = Path("data") / "demo.duckdb"


def database_path(db_path: str = "") -> Path:
    """The snapshot to read: `db_path`, else $ENDORSE_DB, else data/demo.duckdb, found
    from the project folder or from notebooks/ (where JupyterLab runs a notebook)."""
    path = Path(db_path or os.environ.get("ENDORSE_DB", "") or DEFAULT_DB)
    if not path.is_absolute() and not path.exists() and (Path("..") / path).exists():
        path = Path("..") / path
    return path


def open_session(
    db_path: str = "",
    wave: str = "",
    support_threshold: str = SUPPORT.default,
    min_turnout: str = MIN_TURNOUT.default,
    min_votes: str = MIN_VOTES.default,
    as_of: str = "",
    outlier_z: str = OUTLIER_Z.default,
    close_votes: str = CLOSE_VOTES.default,
    early_hours: str = EARLY_HOURS.default,
    districts_file: str = "",
) -> Session:
    """Check the parameters and open the snapshot (provisional with `as_of`); a wave that
    is not in it is refused with the waves that are. A `districts_file` (newer district
    facts, the columns of data/reference/districts-2024-lines.csv) replaces the snapshot's
    on this connection."""
    thresholds = Thresholds.from_text(support_threshold, min_turnout, min_votes)
    cutoffs = Cutoffs.from_text(outlier_z, close_votes, early_hours)
    return _session(db_path, wave, thresholds, as_of, cutoffs, districts_file)


def _session(
    db_path: str,
    wave: str,
    thresholds: Thresholds,
    as_of: str,
    cutoffs: Cutoffs | None = None,
    districts_file: str = "",
) -> Session:
    """The snapshot opened for checked parameters (provisional with `as_of`)."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", None)
    path = database_path(db_path)
    instant = None
    if as_of:
        with connect(path) as plain:
            instant = parse_as_of(plain, as_of)
    threads, memory = connection_limits()
    con = connect(path, as_of=instant, threads=threads, memory_limit=memory)
    if wave:
        require_wave(con, wave)
    if districts_file:
        use_district_facts(con, database_path(districts_file))
    timezone = snapshot_info(con).get("timezone") or "UTC"
    return Session(con, wave, thresholds, instant, cutoffs or Cutoffs(), timezone)


def _wave_figures(
    db_path: str, wave: str, thresholds: Thresholds, as_of: str, figures_path: str
) -> WaveFigures:
    """The wave's figures: handed on by a rendering run (refused unless of this snapshot,
    wave, thresholds and instant; reading them needs no rules, only what the load
    recorded), or computed here through the same `wave_figures`."""
    if not figures_path:
        session = _session(db_path, wave, thresholds, as_of)
        return wave_figures(session.con, session.wave, session.thresholds)
    info = _snapshot_record(database_path(db_path))
    instant = parse_timestamp(as_of, info.get("timezone", "UTC")) if as_of else None
    expected = figures_key(info["snapshot_id"], wave, thresholds, instant)
    return WaveFigures.load(figures_path, expected)


_RECORDS: dict[tuple, dict[str, str]] = {}


def _snapshot_record(path: Path) -> dict[str, str]:
    """What the load recorded in the snapshot at `path` (snapshot_info), read once per
    file: a warm kernel renders every page of a run from the same pinned file. The file's
    identity (device, inode, size, modification time) is the key, so another file at the
    same path is read afresh."""
    try:
        stat = path.stat()
    except OSError:  # connect says why, in one line
        stat = None
    key = (
        (str(path.resolve()), stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if stat
        else None
    )
    if key is None or key not in _RECORDS:
        with connect(path, macros=False) as con:
            _RECORDS[key] = snapshot_info(con)
    return dict(_RECORDS[key])


PAGES = {"race": RacePage, "overview": OverviewPage, "docket": DocketPage}


def setup(
    page: str,
    db_path: str = "",
    wave: str = "",
    support_threshold: str = SUPPORT.default,
    min_turnout: str = MIN_TURNOUT.default,
    min_votes: str = MIN_VOTES.default,
    as_of: str = "",
    figures_path: str = "",
    race: str = "",
) -> RacePage | OverviewPage | DocketPage:
    """Set up a report page, "race", "overview" or "docket", from a notebook's parameters.
    A race page with an empty `race` takes the wave's first contest."""
    if page not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, not {page!r}")
    thresholds = Thresholds.from_text(support_threshold, min_turnout, min_votes)
    figures = _wave_figures(db_path, wave, thresholds, as_of, figures_path)
    if page != "race":
        return PAGES[page](figures)
    contests = sorted(figures.contests["race_id"].astype(str))
    if not race:
        if not contests:
            raise UnknownWave(f"wave {wave!r} has no contests")
        race = contests[0]
    figures.contest(race)  # a clear error for a race that is not a contest
    return RacePage(figures, race)


def show_table(frame: pd.DataFrame, max_rows: int | None = 60, timezone: str | None = None):
    """A frame of aggregates as text (counts with separators, shares truncated, hidden
    small cells as '–', instants in `timezone` and UTC), every value escaped, in a box that
    scrolls sideways; rows past `max_rows` are counted."""
    return lab.table(frame, max_rows, timezone)


def show_chart(chart: alt.TopLevelMixin) -> object:
    """A chart from `present.charts`: interactive in JupyterLab (tooltips, zoom, selection,
    drawn offline), static SVG elsewhere; set ENDORSE_CHARTS=static or =interactive to
    choose."""
    return lab.chart(chart)


def say(text: str) -> object:
    """A sentence built from the data, escaped."""
    return lab.say(text)


def strip_outputs(model: dict, path: str, **_: object) -> None:
    """JupyterLab's pre-save hook (notebooks/lab_config.py): the committed notebooks are
    saved without outputs or execution counts, as git and the tests expect them; an
    analyst's notebooks in scratch/ keep theirs."""
    if model.get("type") != "notebook" or "scratch" in PurePosixPath(path).parts:
        return
    for cell in model.get("content", {}).get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
