"""The one setup every notebook calls: open the snapshot, read the parameters, and hand
back the page (or the connection) the notebook shows.

In: a notebook's parameters, as text (Papermill injects them; an analyst edits them).
Out: from `setup`, a `RacePage`, `OverviewPage` or `DocketPage` over the wave's figures;
from `open_session`, for the explore notebooks, a connection and the run's thresholds.
A report rendered in a run gets its figures handed on (`figures_path`) and refuses them
unless they are of this snapshot, wave, thresholds and instant; run by hand, it computes
them, through the same `wave_figures`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.api.snapshot import connect, parse_as_of, snapshot_info
from endorse_analysis.api.tally import UnknownWave, require_wave
from endorse_analysis.api.wave import WaveFigures, figures_key, wave_figures
from endorse_analysis.present.pages import DocketPage, OverviewPage, RacePage
from endorse_analysis.rules.thresholds import Thresholds

DEFAULT_DB = Path("data") / "demo.duckdb"
# Set by the renderer so that several kernels share the machine's cores and memory.
THREADS_VARIABLE = "ENDORSE_THREADS"
MEMORY_VARIABLE = "ENDORSE_MEMORY_LIMIT"


def database_path(db_path: str = "") -> Path:
    """The snapshot to read: `db_path`, else $ENDORSE_DB, else data/demo.duckdb, found
    from the project folder or from notebooks/ (where JupyterLab runs a notebook)."""
    path = Path(db_path or os.environ.get("ENDORSE_DB", "") or DEFAULT_DB)
    if not path.is_absolute() and not path.exists() and (Path("..") / path).exists():
        path = Path("..") / path
    return path


@dataclass
class Session:
    """What a notebook works with: the connection, the wave, thresholds and instant."""

    con: duckdb.DuckDBPyConnection
    wave: str
    thresholds: Thresholds
    as_of: datetime | None


def open_session(
    db_path: str = "",
    wave: str = "",
    support_threshold: str = "0.6",
    min_turnout: str = "0.1",
    min_votes: str = "1",
    as_of: str = "",
) -> Session:
    """Check the parameters and open the snapshot (provisional with `as_of`)."""
    pd.set_option("display.max_colwidth", None)
    thresholds = Thresholds.from_text(support_threshold, min_turnout, min_votes)
    path = database_path(db_path)
    instant = None
    if as_of:
        with connect(path) as plain:
            instant = parse_as_of(plain, as_of)
    threads = int(os.environ.get(THREADS_VARIABLE, "0") or 0) or None
    memory = os.environ.get(MEMORY_VARIABLE) or None
    con = connect(path, as_of=instant, threads=threads, memory_limit=memory)
    if wave:
        require_wave(con, wave)
    return Session(con, wave, thresholds, instant)


def _figures(session: Session, figures_path: str) -> WaveFigures:
    """The wave's figures: handed on by a rendering run, or computed here."""
    if not figures_path:
        return wave_figures(session.con, session.wave, session.thresholds)
    expected = figures_key(
        snapshot_info(session.con)["snapshot_id"], session.wave, session.thresholds, session.as_of
    )
    return WaveFigures.load(figures_path, expected)


PAGES = {"race": RacePage, "overview": OverviewPage, "docket": DocketPage}


def setup(
    page: str,
    db_path: str = "",
    wave: str = "",
    support_threshold: str = "0.6",
    min_turnout: str = "0.1",
    min_votes: str = "1",
    as_of: str = "",
    figures_path: str = "",
    race: str = "",
) -> RacePage | OverviewPage | DocketPage:
    """Set up a report page, "race", "overview" or "docket", from a notebook's parameters.
    A race page with an empty `race` takes the wave's first contest."""
    if page not in PAGES:
        raise ValueError(f"page must be one of {', '.join(PAGES)}, not {page!r}")
    session = open_session(db_path, wave, support_threshold, min_turnout, min_votes, as_of)
    figures = _figures(session, figures_path)
    if page != "race":
        return PAGES[page](figures)
    contests = sorted(figures.contests["race_id"].astype(str))
    if not race:
        if not contests:
            raise UnknownWave(f"wave {wave!r} has no contests")
        race = contests[0]
    figures.contest(race)  # a clear error for a race that is not a contest
    return RacePage(figures, race)


def show_table(frame: pd.DataFrame, max_rows: int | None = 60) -> None:
    """Display a frame of aggregates as text (counts with separators, shares truncated,
    hidden cells as 'hidden'), every value escaped; rows past `max_rows` are counted."""
    from IPython.display import HTML, display

    from endorse_analysis.present.html import table_html
    from endorse_analysis.present.tables import as_text

    shown = frame if max_rows is None else frame.head(max_rows)
    more = len(frame) - len(shown)
    note = f"<p>… and {more:,} more row(s); show them with max_rows=None.</p>" if more else ""
    display(HTML(table_html(as_text(shown)) + note))


def say(text: str) -> None:
    """Display a sentence built from the data, escaped."""
    from IPython.display import display

    from endorse_analysis.present.pages import say as sentence

    display(sentence(text))
