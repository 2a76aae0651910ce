"""Every figure the pages of one wave show, computed once from one snapshot.

In: a connection (`connect`, with the run's as-of instant or none), a wave id and the
run's `Thresholds`. Out: a `WaveFigures`: the wave's tally with final decisions, the
option counts, counted ballots per day, the docket and its funnel, the endorsements that
do not count, and the snapshot and parameters they were computed for.

A rendering run computes it once and hands it to every page of the wave (race reports,
overview, docket, index); a notebook run by hand computes it itself, through the same
function. Handed on, it carries its `key` (snapshot, wave, thresholds, instant) and a page
refuses it when the key differs from the page's own parameters: a page can show no
figure of another snapshot, threshold or instant.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from endorse_analysis.api import docket as docket_api
from endorse_analysis.api.calendar import race_calendar
from endorse_analysis.api.context import race_context
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.snapshot import as_of_instant, snapshot_info
from endorse_analysis.api.tally import choices, counted_by_day, require_wave, tally
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.rules.words import known_ids
from endorse_analysis.vocabulary import DECISIONS, REVIEW, SINGLE


class FiguresMismatch(ValueError):
    """Figures handed to a page were computed for another snapshot or other parameters."""


def instant_text(instant: datetime | None) -> str | None:
    """An as-of instant (naive UTC) as it is written in keys, figures and parameters."""
    return None if instant is None else instant.isoformat() + "Z"


def figures_key(
    snapshot_id: str, wave_id: str, thresholds: Thresholds, as_of: datetime | None
) -> dict[str, str | None]:
    """What a set of figures depends on, besides the code that computed them."""
    return {
        "snapshot_id": snapshot_id,
        "wave_id": wave_id,
        **thresholds.as_text(),
        "as_of": instant_text(as_of),
    }


@dataclass
class WaveFigures:
    """The figures of one wave at one snapshot, thresholds and instant."""

    wave: dict[str, object]  # wave_id, name, opens_at, closes_at, signup_closes_at
    thresholds: Thresholds
    as_of: datetime | None
    snapshot: dict[str, str]  # snapshot_info: snapshot_id, fingerprint, loaded_at, ...
    contests: pd.DataFrame  # api.tally: one row per contest
    choices: pd.DataFrame  # api.choices: one row per (contest, option)
    counted_by_day: pd.DataFrame  # internal, small cells: pages merge periods first
    docket: pd.DataFrame  # api.docket: one row per requested candidate
    funnel: pd.DataFrame  # api.docket.funnel at these thresholds and instant
    outside_endorsements: pd.DataFrame  # endorsements that do not count, per race
    races: pd.DataFrame  # race_id, office, state, state_name, district
    context: pd.DataFrame  # api.context.race_context: each race's place, lean and band
    candidate_names: dict[str, str] = field(default_factory=dict)
    calendar: pd.DataFrame = field(default_factory=pd.DataFrame)  # api.calendar, every race

    @property
    def wave_id(self) -> str:
        return str(self.wave["wave_id"])

    @property
    def key(self) -> dict[str, str | None]:
        return figures_key(self.snapshot["snapshot_id"], self.wave_id, self.thresholds, self.as_of)

    def check(self, expected: dict[str, str | None]) -> None:
        """Refuse to serve a page whose parameters differ from what these figures are of."""
        mine = self.key
        differ = [k for k in expected if mine.get(k) != expected[k]]
        if differ:
            said = "; ".join(f"{k} {mine.get(k)!r}, the page {expected[k]!r}" for k in differ)
            raise FiguresMismatch(f"the wave's figures were computed for other parameters: {said}")

    # --- one contest ---------------------------------------------------------------------

    def _every_race(self) -> None:
        """Read each race's rows of the contests, context, calendar and choices once, for
        a page that shows every contest (the index, the overview, the docket): filtering
        the frames per contest cost about 15 ms a contest."""
        if "_race_rows" in self.__dict__:
            return
        read: dict[str, dict[str, dict]] = {}
        for name in ("contests", "context", "calendar"):
            rows: dict[str, dict] = {}
            for row in plain_records(getattr(self, name)):
                rows.setdefault(row["race_id"], row)
            read[name] = rows
        columns = ["choice", "votes", "share"]
        options = {
            race: group[columns].reset_index(drop=True)
            for race, group in self.choices.groupby("race_id", sort=False)
        }
        self.__dict__["_race_options"] = options
        self.__dict__["_race_rows"] = read

    def _race_row(self, name: str, race_id: str) -> dict | None:
        """The race's first row of the frame `name` as plain values, or None; read from
        the frame unless every race's rows were read at once."""
        every = self.__dict__.get("_race_rows")
        if every is not None:
            row = every[name].get(race_id)
            return None if row is None else dict(row)
        frame = getattr(self, name)
        rows = plain_records(frame[frame["race_id"] == race_id])
        return rows[0] if rows else None

    def contest(self, race_id: str) -> dict:
        """The tally row of one contest as plain values (a copy: a page reads it several
        times, so it is read from the frame once)."""
        read = self.__dict__.setdefault("_contest_rows", {})
        if race_id not in read:
            row = self._race_row("contests", race_id)
            if row is None:
                contests = sorted(self.contests["race_id"].astype(str))
                hint = known_ids(race_id, contests, "contests")
                raise LookupError(
                    f"race {race_id!r} is not a contest of wave {self.wave_id!r} ({hint})"
                )
            read[race_id] = row
        return dict(read[race_id])

    def options(self, race_id: str) -> pd.DataFrame:
        """The contest's options (ballot candidates by id, then NO_ENDORSEMENT) with votes."""
        every = self.__dict__.get("_race_options")
        if every is not None and race_id in every:
            return every[race_id].copy()
        mine = self.choices[self.choices["race_id"] == race_id]
        return mine[["choice", "votes", "share"]].reset_index(drop=True)

    def race_docket(self, race_id: str) -> pd.DataFrame:
        return self.docket[self.docket["race_id"] == race_id].reset_index(drop=True)

    def race_outside_endorsements(self, race_id: str) -> pd.DataFrame:
        frame = self.outside_endorsements
        return frame[frame["race_id"] == race_id].reset_index(drop=True)

    def race_context(self, race_id: str) -> dict:
        """The race's place, lean and band (`api.context`)."""
        return self._known_row("context", race_id)

    def race_calendar(self, race_id: str) -> dict:
        """The race's primary, timing and seat holder (`api.calendar`)."""
        return self._known_row("calendar", race_id)

    def _known_row(self, name: str, race_id: str) -> dict:
        row = self._race_row(name, race_id)
        if row is None:
            raise IndexError(f"race {race_id!r} has no row in the wave's {name}")
        return row

    def race_counted_by_day(self, race_id: str) -> list[tuple[object, int]]:
        """(day, counted ballots) of one contest: internal, for `merge_small_periods`."""
        frame = self.counted_by_day[self.counted_by_day["race_id"] == race_id]
        return [(d, int(n)) for d, n in zip(frame["cast_day"], frame["ballots"], strict=True)]

    # --- the wave ------------------------------------------------------------------------

    def final_counts(self) -> dict[str, int]:
        """Contests per final decision, in the order of DECISIONS (REVIEW: still awaiting a
        ruling)."""
        counts = self.contests["final_decision"].value_counts()
        return {d: int(counts.get(d, 0)) for d in DECISIONS}

    def in_index_order(self) -> list[dict]:
        """The contests as staff act on them: those awaiting a ruling first, then by final
        decision (in the order of DECISIONS), then by race id."""
        rank = {d: i for i, d in enumerate(DECISIONS)}
        rows = plain_records(self.contests)
        return sorted(
            rows,
            key=lambda r: (r["final_decision"] != REVIEW, rank[r["final_decision"]], r["race_id"]),
        )

    # --- figures for machines: what every page embeds ----------------------------------

    def run_figures(self) -> dict[str, object]:
        """The parameters and snapshot every page of the run states."""
        return {
            "wave_id": self.wave_id,
            **self.thresholds.as_text(),
            "as_of": instant_text(self.as_of),
            "input_fingerprint": self.snapshot.get("fingerprint"),
            "snapshot_id": self.snapshot.get("snapshot_id"),
        }

    def contest_figures(self, race_id: str) -> dict[str, object]:
        """One contest's figures as its page, the overview and the index embed them."""
        row = self.contest(race_id)
        options = plain_records(self.options(race_id), ["choice", "votes"])
        context = self.race_context(race_id)
        calendar = self.race_calendar(race_id)
        method = {}
        if row.get("method") not in (None, SINGLE):  # contract §5: what counted, as tally says
            method = {"method": row["method"]}
            if row.get("runoff_rounds") is not None:
                method["rounds"] = row["runoff_rounds"]
        return {
            **method,
            "race_id": race_id,
            "lean": context["lean"],
            "band": context["band"],
            "timing": calendar["timing"],
            "days_to_primary": calendar["days_to_primary"],
            "seat": calendar["seat"],
            "decision": row["decision"],
            "final_decision": row["final_decision"],
            "ballots_counted": row["ballots_counted"],
            "eligible_voters": row["eligible_voters"],
            "top_choice": row["top_choice"],
            "top_votes": row["top_votes"],
            "candidates_on_ballot": row["candidates_on_ballot"],
            "choices": options,
            "ruling": None
            if row["ruling_decision"] is None
            else {
                "decision": row["ruling_decision"],
                "candidate_id": row["ruling_candidate"],
                "decided_by": row["ruling_by"],
                "decided_at": instant_text(row["ruling_at"]),
                "override": bool(row["ruling_override"]),
            },
        }

    def page_figures(self, kind: str, race_id: str | None = None) -> dict[str, object]:
        """The machine-readable figures of one page: a race report, or a wave page
        (overview, docket, index) with every contest's figures and the final counts."""
        figures: dict[str, object] = {"kind": kind, **self.run_figures()}
        if race_id is not None:
            figures.update(self.contest_figures(race_id))
            return figures
        figures["final_counts"] = self.final_counts()
        self._every_race()
        figures["contests"] = [
            self.contest_figures(r) for r in sorted(self.contests["race_id"].astype(str))
        ]
        if kind == "docket":
            figures["funnel"] = dict(
                zip(self.funnel["stage"], map(int, self.funnel["candidates"]), strict=True)
            )
        return figures

    # --- handing it on -----------------------------------------------------------------

    def save(self, path: str | os.PathLike) -> Path:
        """Write the figures for the pages of a run (a private file of the run's folder)."""
        path = Path(path)
        with open(path, "wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        return path

    @staticmethod
    def load(path: str | os.PathLike, expected: dict[str, str | None]) -> WaveFigures:
        """Read figures a run handed on, refusing them unless they are of `expected`."""
        with open(path, "rb") as handle:
            figures = pickle.load(handle)  # written by this run, in its own folder
        if not isinstance(figures, WaveFigures):
            raise FiguresMismatch(f"{path} does not hold a wave's figures")
        figures.check(expected)
        return figures


def wave_figures(
    con: duckdb.DuckDBPyConnection, wave_id: str, thresholds: Thresholds | None = None
) -> WaveFigures:
    """Compute every figure of the wave's pages from `con` (one snapshot, one instant)."""
    require_wave(con, wave_id)
    thresholds = thresholds or Thresholds()
    contests = tally(con, wave_id, thresholds)
    wave = con.execute(
        "SELECT wave_id, name, opens_at, closes_at, "
        "coalesce(signup_closes_at, closes_at) AS signup_closes_at FROM waves WHERE wave_id = ?",
        [wave_id],
    ).df()
    races = con.execute(
        "SELECT r.race_id, r.office, r.state, s.name AS state_name, r.district "
        "FROM races r LEFT JOIN states s ON s.state = r.state "
        "WHERE r.race_id IN (SELECT race_id FROM contests(?)) ORDER BY r.race_id",
        [wave_id],
    ).df()
    races["district"] = races["district"].astype("Int64")
    names = con.execute(
        "SELECT candidate_id, name FROM candidates "
        "WHERE race_id IN (SELECT race_id FROM contests(?))",
        [wave_id],
    ).fetchall()
    return WaveFigures(
        wave=plain_records(wave)[0],
        thresholds=thresholds,
        as_of=as_of_instant(con),
        snapshot=snapshot_info(con),
        contests=contests,
        choices=choices(con, wave_id),
        counted_by_day=counted_by_day(con, wave_id),
        docket=docket_api.docket(con, wave_id),
        funnel=docket_api.funnel(con, wave_id, contests),
        outside_endorsements=con.execute("SELECT * FROM outside_endorsements(?)", [wave_id]).df(),
        races=races,
        context=race_context(con, wave_id),
        candidate_names=dict(names),
        calendar=race_calendar(con, wave_id),
    )
