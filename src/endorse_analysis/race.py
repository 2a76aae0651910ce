"""The data of one race's decision report: each function returns a small DataFrame (or HTML).

The rules are not re-derived here: the decision comes from the wave's tally, the ballot from
the `ballot` macro (or the vetting docket), the statuses from `vote_status`. Every output is
an aggregate: no member id and no single ballot, and any breakdown finer than the contest
total (by day, by hour) hides a cell of fewer than `MIN_CELL` ballots (contract §3).
"""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

import endorse_analysis as ea
from endorse_analysis.database import as_of_instant, parse_as_of
from endorse_analysis.rules import Thresholds, percent, support_figure, threshold_percent
from endorse_analysis.rules import turnout_figure as _turnout_figure
from endorse_analysis.schema import STATUSES

MIN_CELL = 5  # privacy: a breakdown cell with fewer ballots is hidden
DECISION_COLOURS = {
    "ENDORSE": "#1a7f37",
    "REVIEW": "#b35900",
    "NO_ENDORSEMENT": "#6e7781",
    "NO_CANDIDATES": "#57606a",
}
DECISION_WORDS = {
    "ENDORSE": "Endorse",
    "REVIEW": "For staff review",
    "NO_ENDORSEMENT": "No endorsement",
    "NO_CANDIDATES": "No candidates on the ballot",
}


class UnknownRace(LookupError):
    """A race id that is not a contest of the wave."""


def open_db(db_path: str | os.PathLike, as_of: str = "") -> duckdb.DuckDBPyConnection:
    """Connect read-only; ENDORSE_THREADS / ENDORSE_MEMORY_LIMIT cap the connection when
    several kernels share a machine (the renderer sets them). With `as_of`, the report is
    provisional: it sees only what had happened before that instant."""
    threads = int(os.environ.get("ENDORSE_THREADS", "0") or 0) or None
    memory = os.environ.get("ENDORSE_MEMORY_LIMIT") or None
    instant = None
    if as_of:
        with ea.connect(db_path) as plain:
            instant = parse_as_of(plain, as_of)
    return ea.connect(db_path, as_of=instant, threads=threads, memory_limit=memory)


def provisional_html(con: duckdb.DuckDBPyConnection) -> str:
    """A banner saying the figures are provisional, and as of when; empty otherwise."""
    instant = as_of_instant(con)
    if instant is None:
        return ""
    return (
        '<div style="font-family:sans-serif;background:#fff8c5;border:2px solid #9a6700;'
        'padding:6px 12px;margin:4px 0"><b>PROVISIONAL</b>: counts only votes cast, '
        f"sign-ups and opt-outs before {html.escape(instant.isoformat(sep=' '))} UTC.</div>"
    )


def setup_display() -> None:
    """Show report tables whole: no truncated reason, no elided rows (a wave has a few
    hundred contests at most)."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 2000)
    pd.set_option("display.max_columns", 50)


def wave_tally(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    thresholds: Thresholds,
    wave_tally_path: str | os.PathLike | None = None,
) -> pd.DataFrame:
    """The wave's tally: read from `wave_tally_path` (a parquet of `ea.tally` written once
    per wave by the renderer) when given, else computed."""
    if wave_tally_path:
        frame = pd.read_parquet(Path(wave_tally_path))
        if len(frame) and (frame["wave_id"] != wave).any():
            raise ValueError(f"{wave_tally_path} is not the tally of wave {wave!r}")
        return frame
    return ea.tally(con, wave, thresholds)


def pick_race(wave_tally: pd.DataFrame, race: str = "") -> str:
    """`race` when it is a contest of the wave; the first contest when `race` is empty."""
    if not race:
        if wave_tally.empty:
            raise UnknownRace("the wave has no contests")
        return str(wave_tally["race_id"].min())
    if race not in set(wave_tally["race_id"]):
        raise UnknownRace(f"race {race!r} is not a contest of this wave")
    return race


def contest(wave_tally: pd.DataFrame, race: str) -> dict:
    """The tally row of one contest as plain Python values."""
    from endorse_analysis.tally import plain_records

    rows = plain_records(wave_tally[wave_tally["race_id"] == race])
    if not rows:
        raise UnknownRace(f"race {race!r} is not a contest of this wave")
    return rows[0]


def race_label(con: duckdb.DuckDBPyConnection, race: str) -> str:
    """'CA-12: U.S. House, California district 12' (office and place in words)."""
    row = con.execute(
        "SELECT r.office, r.state, r.district, s.name FROM races r "
        "LEFT JOIN states s ON s.state = r.state WHERE r.race_id = ?",
        [race],
    ).fetchone()
    if row is None:
        return race
    office, state, district, name = row
    name = name or state
    if office == "house":
        where = f"{name} at large" if district == 0 else f"{name} district {district}"
        return f"{race}: U.S. House, {where}"
    return f"{race}: {'U.S. Senate' if office == 'senate' else 'Governor'}, {name}"


def _candidate_names(con: duckdb.DuckDBPyConnection, race: str) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT candidate_id, name FROM candidates WHERE race_id = ?", [race]
        ).fetchall()
    )


def _label(candidate_id: str | None, names: dict[str, str]) -> str:
    if candidate_id is None:
        return "–"
    name = names.get(candidate_id)
    return f"{name} ({candidate_id})" if name else str(candidate_id)


# 1. The decision at a glance ------------------------------------------------------------


def headline_html(
    con: duckdb.DuckDBPyConnection, row: dict, thresholds: Thresholds, wave: str
) -> str:
    """A coloured badge with the decision, its reason and the two deciding figures.
    Every data value is escaped."""
    e = html.escape
    n, eligible = int(row["ballots_counted"]), int(row["eligible_voters"])
    decision = row["decision"]
    colour = DECISION_COLOURS.get(decision, "#57606a")
    top = row["top_choice"]
    names = _candidate_names(con, row["race_id"])
    if top is None:
        support = "no candidate received a vote" if n else "no ballots were counted"
    else:
        support = support_figure(int(row["top_votes"]), n) + f" for {_label(top, names)}"
    turnout = _turnout_figure(n, eligible) if eligible else f"{n:,} ballots, no potential voters"
    s_ok = decision in ("ENDORSE", "REVIEW")
    t_ok = bool(row.get("enough_turnout")) and bool(row.get("enough_ballots"))
    mark = {True: "&#10003;", False: "&#10007;"}
    return provisional_html(con) + (
        '<div style="font-family:sans-serif;border-left:8px solid {c};padding:8px 14px;'
        'margin:4px 0 12px 0;background:#f6f8fa">'
        '<div style="font-size:1.1em;color:#24292f">{label} &middot; wave {wave}</div>'
        '<div style="display:inline-block;background:{c};color:#fff;font-weight:bold;'
        'font-size:1.4em;padding:4px 12px;border-radius:6px;margin:6px 0">{decision}</div> '
        '<span style="font-size:1.1em">{words}</span>'
        '<div style="margin:4px 0">{reason}</div>'
        '<table style="border-collapse:collapse;margin-top:6px">'
        '<tr><td style="padding:2px 10px 2px 0"><b>Support</b></td><td>{support}</td>'
        '<td style="padding-left:10px">{s_mark} threshold {s}</td></tr>'
        '<tr><td style="padding:2px 10px 2px 0"><b>Turnout</b></td><td>{turnout}</td>'
        '<td style="padding-left:10px">{t_mark} minimum {t}</td></tr>'
        "</table>{ruling}</div>"
    ).format(
        ruling=_ruling_html(row),
        c=colour,
        label=e(race_label(con, row["race_id"])),
        wave=e(wave),
        decision=e(decision),
        words=e(DECISION_WORDS.get(decision, "")),
        reason=e(row["reason"]),
        support=e(support),
        turnout=e(turnout),
        s_mark=mark[s_ok] if decision != "NO_CANDIDATES" else "–",
        t_mark=mark[t_ok],
        s=e(threshold_percent(thresholds.support)),
        t=e(threshold_percent(thresholds.turnout)),
    )


def _ruling_html(row: dict) -> str:
    """A staff ruling, when there is one: the final decision, who made it, when and why;
    a ruling against the computed decision is marked as an override."""
    decision = row.get("ruling_decision")
    if decision is None or (isinstance(decision, float) and decision != decision):
        return ""
    e = html.escape
    kind = "Override" if row.get("ruling_override") else "Staff ruling"
    candidate = row.get("ruling_candidate")
    what = f"{decision} {candidate}" if isinstance(candidate, str) and candidate else decision
    when = row.get("ruling_at")
    when_text = when.strftime("%Y-%m-%d %H:%M UTC") if hasattr(when, "strftime") else ""
    note = row.get("ruling_note")
    note_text = f": {note}" if isinstance(note, str) and note else ""
    colour = "#9a6700" if row.get("ruling_override") else "#0969da"
    return (
        f'<div style="margin-top:8px;padding:6px 10px;border:2px solid {colour}">'
        f"<b>{e(kind)}: final decision {e(str(what))}</b> (computed: {e(row['decision'])}), "
        f"by {e(str(row.get('ruling_by')))} on {e(when_text)}{e(note_text)}</div>"
    )


# 2. The ballot ----------------------------------------------------------------------------


def candidates(con: duckdb.DuckDBPyConnection, wave: str, race: str) -> pd.DataFrame:
    """The vetting docket's rows for this race (`endorse_analysis.docket`): every candidate
    requested in the wave, on the ballot or not, with the reason. One place for the rule."""
    from endorse_analysis.docket import docket

    frame = docket(con, wave)
    return frame[frame["race_id"] == race].reset_index(drop=True)


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _yes_no(value: object) -> str:
    return "–" if _missing(value) else ("yes" if bool(value) else "no")


def _text(value: object) -> str:
    return "–" if _missing(value) else str(value)


def _count_names(count: object, names: object) -> str:
    """'2: A; B' (or '0')."""
    names = [] if _missing(names) else list(names)
    count = 0 if _missing(count) else int(count)
    return f"{count}: {'; '.join(map(str, names))}" if names else str(count)


def _candidate_label(frame: pd.DataFrame) -> list[str]:
    return [f"{n} ({c})" for n, c in zip(frame["name"], frame["candidate_id"], strict=True)]


def ballot_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The candidates on the ballot, for people: local groups, requests, conflicting
    endorsements, vetting and questionnaire, partners, first-time and incumbent."""
    on = frame[frame["on_ballot"].astype(bool)]
    rows = {
        "candidate": _candidate_label(on),
        "local groups endorsing": [
            _count_names(c, n)
            for c, n in zip(on["local_groups"], on["local_group_names"], strict=True)
        ],
        "requesting national": [
            _count_names(c, n)
            for c, n in zip(on["requesting_groups"], on["requesting_group_names"], strict=True)
        ],
        "conflicting endorsements": [
            _count_names(c, n)
            for c, n in zip(on["conflicting_groups"], on["conflicts"], strict=True)
        ],
        "vetting": on["vetting_status"].map(_text).tolist(),
        "questionnaire": on["questionnaire"].map(_text).tolist(),
        "partner endorsements": on["partner_endorsements"].map(_text).tolist(),
        "first-time": on["first_time"].map(_yes_no).tolist(),
        "incumbent": on["incumbent"].map(_yes_no).tolist(),
    }
    return pd.DataFrame(rows).set_index("candidate")


def off_ballot_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidates requested this wave but not on the ballot, and why."""
    off = frame[~frame["on_ballot"].astype(bool)]
    rows = {
        "candidate": _candidate_label(off),
        "why not on the ballot": off["reason"].map(_text).tolist(),
        "requesting national": [
            _count_names(c, n)
            for c, n in zip(off["requesting_groups"], off["requesting_group_names"], strict=True)
        ],
        "endorsements from outside (not counted)": [
            _count_names(c, n)
            for c, n in zip(off["outside_groups"], off["outside_endorsements"], strict=True)
        ],
    }
    return pd.DataFrame(rows).set_index("candidate")


# 3. The tally ----------------------------------------------------------------------------


def vote_counts(
    con: duckdb.DuckDBPyConnection, wave: str, race: str, bin_unit: str = "day"
) -> pd.DataFrame:
    """Votes of the contest per (status, choice, time bin), by the `vote_status` macro.
    Internal: its cells can be small, so it never goes into a report as it is.

    A vote's status depends only on the votes of its own contest, so the macro runs on a
    side connection (a cursor) where a temporary `votes` holds just this contest's votes:
    the cost follows the race's votes, not the wave's. (Reads the snapshot's votes table;
    an `as_of` view of the main connection is not seen.)"""
    if bin_unit not in ("day", "hour"):
        raise ValueError("bin_unit must be 'day' or 'hour'")
    from endorse_analysis.rules import install_macros

    database = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    with con.cursor() as side:
        side.execute(
            f'CREATE TEMP TABLE votes AS SELECT * FROM "{database}".main.votes '  # noqa: S608
            "WHERE wave_id = $wave AND race_id = $race",
            {"wave": wave, "race": race},
        )
        install_macros(side)
        return side.execute(
            f"SELECT status, choice, date_trunc('{bin_unit}', cast_at) AS bin, "  # noqa: S608
            "count(*) AS votes FROM vote_status($wave) WHERE race_id = $race GROUP BY ALL",
            {"wave": wave, "race": race},
        ).df()


def tally_table(
    con: duckdb.DuckDBPyConnection, wave: str, race: str, counts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each option of the contest (ballot candidates by id, then NO_ENDORSEMENT) with its
    counted votes and share (truncated percent)."""
    counts = vote_counts(con, wave, race) if counts is None else counts
    on_ballot = [
        r[0]
        for r in con.execute(
            "SELECT candidate_id FROM ballot(?) WHERE race_id = ? ORDER BY candidate_id",
            [wave, race],
        ).fetchall()
    ]
    names = _candidate_names(con, race)
    counted = counts[counts["status"] == "counted"].groupby("choice")["votes"].sum()
    options = on_ballot + ["NO_ENDORSEMENT"]
    votes = [int(counted.get(c, 0)) for c in options]
    total = sum(votes)
    return pd.DataFrame(
        {
            "choice": options,
            "label": [
                names.get(c, c) if c != "NO_ENDORSEMENT" else "No endorsement" for c in options
            ],
            "votes": votes,
            "share": [v / total if total else None for v in votes],
            "share_text": [percent(v, total) for v in votes],
            "is_candidate": [c != "NO_ENDORSEMENT" for c in options],
        }
    )


def tally_display(table: pd.DataFrame) -> pd.DataFrame:
    """The tally for people: option, votes, 'share' as '3 of 5 (60.00%)'."""
    total = int(table["votes"].sum())
    return pd.DataFrame(
        {
            "option": [
                f"{label} ({c})" if c != "NO_ENDORSEMENT" else "NO_ENDORSEMENT"
                for label, c in zip(table["label"], table["choice"], strict=True)
            ],
            "votes": table["votes"].map(lambda v: f"{v:,}"),
            "share": [f"{v:,} of {total:,} ({percent(v, total)})" for v in table["votes"]],
        }
    ).set_index("option")


# 5. Votes over the window --------------------------------------------------------------


def votes_over_time(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    race: str,
    counts: pd.DataFrame | None = None,
    bin_unit: str = "day",
) -> pd.DataFrame:
    """Counted ballots per time bin (UTC) and cumulatively, with small cells suppressed.

    A bin with fewer than MIN_CELL ballots is hidden (ballots and cumulative both empty).
    So that no hidden cell can be recovered from the contest total, trailing shown bins are
    hidden too until the ballots after the last shown bin are 0 or at least MIN_CELL
    (differences between shown cumulative points always span a shown bin of >= MIN_CELL).
    """
    counts = vote_counts(con, wave, race, bin_unit) if counts is None else counts
    counted = counts[counts["status"] == "counted"]
    per_bin = (
        counted.groupby("bin")["votes"].sum().sort_index().rename("votes").reset_index()
        if len(counted)
        else pd.DataFrame({"bin": pd.Series([], dtype="datetime64[us]"), "votes": []})
    )
    per_bin["votes"] = per_bin["votes"].astype("int64")
    per_bin["cumulative"] = per_bin["votes"].cumsum()
    shown = (per_bin["votes"] >= MIN_CELL).tolist()
    total = int(per_bin["votes"].sum())
    last = len(shown) - 1
    while last >= 0:
        if not shown[last]:
            last -= 1
            continue
        rest = total - int(per_bin["cumulative"].iloc[last])
        if rest == 0 or rest >= MIN_CELL:
            break
        shown[last] = False
        last -= 1
    per_bin["shown"] = pd.Series(shown, index=per_bin.index, dtype=bool)
    per_bin["ballots"] = per_bin["votes"].where(per_bin["shown"]).astype("Int64")
    per_bin["cumulative_ballots"] = per_bin["cumulative"].where(per_bin["shown"]).astype("Int64")
    return per_bin[["bin", "ballots", "cumulative_ballots", "shown"]]


def votes_over_time_display(frame: pd.DataFrame, bin_unit: str = "day") -> pd.DataFrame:
    fmt = "%Y-%m-%d" if bin_unit == "day" else "%Y-%m-%d %H:00"
    hidden = f"fewer than {MIN_CELL}"
    return pd.DataFrame(
        {
            f"{bin_unit} (UTC)": [b.strftime(fmt) for b in frame["bin"]],
            "counted ballots": [
                f"{int(v):,}" if s else hidden
                for v, s in zip(frame["ballots"], frame["shown"], strict=True)
            ],
            "cumulative": [
                f"{int(v):,}" if s else "hidden"
                for v, s in zip(frame["cumulative_ballots"], frame["shown"], strict=True)
            ],
        }
    ).set_index(f"{bin_unit} (UTC)")


# 7. Data quality -------------------------------------------------------------------------


def audit_table(row: dict) -> pd.DataFrame:
    """This contest's votes per status (all seven, zeros included) from its tally row.
    Per-contest totals, so no cell is hidden."""
    votes = [int(row.get(s) or 0) for s in STATUSES]
    total = sum(votes)
    return pd.DataFrame(
        {
            "status": list(STATUSES),
            "votes": votes,
            "share of the contest's votes": [percent(v, total) for v in votes],
        }
    ).set_index("status")


def uncounted_endorsements(con: duckdb.DuckDBPyConnection, wave: str, race: str) -> pd.DataFrame:
    """Endorsements of this race's candidates in the wave by groups outside the race's
    jurisdiction: they do not count toward the ballot (a data issue, contract §3)."""
    return (
        con.execute(
            """
        SELECT g.name AS "group", g.state AS "group state",
            coalesce(CAST(g.district AS VARCHAR), 'statewide') AS "group district",
            c.name || ' (' || c.candidate_id || ')' AS candidate,
            CASE WHEN e.requests_national THEN 'yes' ELSE 'no' END AS "requests national"
        FROM endorsements e
        JOIN candidates c ON c.candidate_id = e.candidate_id
        JOIN races r ON r.race_id = c.race_id
        JOIN groups g ON g.group_id = e.group_id
        WHERE e.wave_id = $wave AND c.race_id = $race
          AND NOT group_in_race(g.state, g.district, r.office, r.state, r.district)
        ORDER BY c.candidate_id, g.group_id
        """,
            {"wave": wave, "race": race},
        )
        .df()
        .set_index("group")
    )


# 8. Provenance ---------------------------------------------------------------------------


def provenance(con: duckdb.DuckDBPyConnection, parameters: dict[str, object]) -> pd.DataFrame:
    """Package version, parameters, the snapshot's fingerprint, and when this was rendered.
    The database path is shown by file name only."""
    info = ea.snapshot_info(con)
    rows: list[tuple[str, str]] = [("package version", ea.__version__)]
    for key, value in parameters.items():
        if key == "db_path":
            value = Path(str(value)).name
        rows.append((f"parameter {key}", str(value) if value != "" else "(empty)"))
    for key in ("fingerprint", "loaded_at", "package_version"):
        if key in info:
            rows.append((f"snapshot {key}", info[key]))
    rows.append(("rendered at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")))
    return pd.DataFrame(rows, columns=["item", "value"]).set_index("item")


def or_note(frame: pd.DataFrame, note: str = "None."):
    """The table, or a one-line Markdown note when it has no rows."""
    if len(frame):
        return frame
    from IPython.display import Markdown

    return Markdown(note)


# The wave overview -------------------------------------------------------------------------


def _area(office: str, state: str, district: object) -> str:
    if office != "house":
        return state
    return f"{state} at large" if int(district) == 0 else f"{state}-{int(district)}"


def wave_headline_html(con: duckdb.DuckDBPyConnection, wave_tally: pd.DataFrame, wave: str) -> str:
    """The wave's name and window, and its contests per decision, as escaped HTML."""
    e = html.escape
    row = con.execute(
        "SELECT name, opens_at, closes_at, coalesce(signup_closes_at, closes_at) FROM waves "
        "WHERE wave_id = ?",
        [wave],
    ).fetchone()
    name, opens, closes, signup = row if row else (wave, None, None, None)
    counts = wave_tally["decision"].value_counts()
    badges = "".join(
        f'<span style="display:inline-block;background:{colour};color:#fff;font-weight:bold;'
        f'padding:3px 10px;border-radius:6px;margin:2px 6px 2px 0">'
        f"{e(decision)}: {int(counts.get(decision, 0)):,}</span>"
        for decision, colour in DECISION_COLOURS.items()
    )
    window = (
        f"voting from {opens:%Y-%m-%d %H:%M} to {closes:%Y-%m-%d %H:%M} UTC; "
        f"sign-up deadline {signup:%Y-%m-%d %H:%M} UTC"
        if opens is not None
        else ""
    )
    return provisional_html(con) + (
        '<div style="font-family:sans-serif;border-left:8px solid #0969da;padding:8px 14px;'
        'margin:4px 0 12px 0;background:#f6f8fa">'
        f'<div style="font-size:1.3em;font-weight:bold">Wave {e(wave)}: {e(str(name))}</div>'
        f"<div>{e(window)}</div>"
        f'<div style="margin:6px 0">{len(wave_tally):,} contests</div>{badges}</div>'
    )


def decisions_table(wave_tally: pd.DataFrame) -> pd.DataFrame:
    """Every contest of the wave with its decision and the figures behind it."""
    from endorse_analysis.tally import plain_records

    rows = []
    for r in plain_records(wave_tally):
        n, eligible = int(r["ballots_counted"]), int(r["eligible_voters"])
        top = r["top_choice"]
        rows.append(
            {
                "race": r["race_id"],
                "office": r["office"],
                "area": _area(r["office"], r["state"], r["district"]),
                "candidates on the ballot": int(r["candidates_on_ballot"]),
                "top choice": top or "–",
                "support": "–" if top is None else support_figure(int(r["top_votes"]), n),
                "turnout": _turnout_figure(n, eligible),
                "decision": r["decision"],
                "reason": r["reason"],
            }
        )
    columns = [
        "race",
        "office",
        "area",
        "candidates on the ballot",
        "top choice",
        "support",
        "turnout",
        "decision",
        "reason",
    ]
    return pd.DataFrame(rows, columns=columns).set_index("race")


def decision_counts_table(wave_tally: pd.DataFrame) -> pd.DataFrame:
    """Contests per office and decision, with totals (per-contest counts: nothing hidden)."""
    table = pd.crosstab(
        wave_tally["office"], wave_tally["decision"], margins=True, margins_name="all"
    )
    offices = [o for o in ("house", "senate", "governor") if o in table.index] + ["all"]
    decisions = list(DECISION_COLOURS) + ["all"]
    return table.reindex(index=offices, columns=decisions, fill_value=0).rename_axis(
        index="office", columns="decision"
    )
