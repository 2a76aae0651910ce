"""Tables for people: each function turns figures into a small frame of text for a page.

In: `WaveFigures` (and a race id). Out: a DataFrame whose cells are the words a reader
sees; `html.table_html` shows it. No SQL and no rule here: counts come from the figures,
margins from `api.enthusiasm`, words from `rules.words` and `present.words`. Aggregates
only; a breakdown finer than a contest goes through `rules.privacy` first.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd

from endorse_analysis.api.enthusiasm import robustness, turnout_standing
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.wave import WaveFigures
from endorse_analysis.present.words import (
    area,
    candidate_label,
    count_names,
    is_share,
    local_and_utc,
    period_label,
    period_short,
    yes_no,
)
from endorse_analysis.rules.margins import approval_flip, runoff_flip_bound
from endorse_analysis.rules.privacy import merge_small_periods
from endorse_analysis.rules.thresholds import decimal_text
from endorse_analysis.rules.words import (
    float_percent,
    percent,
    ruling_words,
    support_figure,
    threshold_percent,
    truncated_percent,
    turnout_figure,
)
from endorse_analysis.vocabulary import (
    APPROVAL,
    DECISIONS,
    HIDDEN,
    MIN_CELL,
    NO_CANDIDATES,
    NO_ENDORSEMENT,
    NO_ENDORSEMENT_WORDS,
    NO_FIGURE,
    OFFICES,
    RANKED,
    STATUS_WORDS,
    STATUSES,
)

# The header of an option's count, by method (contract §5).
VOTES_HEADER = {APPROVAL: "approvals", RANKED: "first preferences"}
# The part of a runoff round's bar that stands for ballots ranking no one still standing.
EXHAUSTED = "exhausted"


def _text(value: object) -> str:
    return NO_FIGURE if value is None or value is pd.NA else str(value)


# --- the race report --------------------------------------------------------------------


def ballot_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """The candidates on the ballot and what staff weighed: local groups, requests,
    conflicting endorsements, vetting, questionnaire, partners, first-time, incumbent."""
    rows = [r for r in _docket_rows(figures, race_id) if r["on_ballot"]]
    return pd.DataFrame(
        {
            "candidate": [f"{r['name']} ({r['candidate_id']})" for r in rows],
            "local groups endorsing": [
                count_names(r["local_groups"], r["local_group_names"]) for r in rows
            ],
            "requesting national": [
                count_names(r["requesting_groups"], r["requesting_group_names"]) for r in rows
            ],
            "conflicting endorsements": [
                count_names(r["conflicting_groups"], r["conflicts"]) for r in rows
            ],
            "vetting": [_text(r["vetting_status"]) for r in rows],
            "questionnaire": [_text(r["questionnaire"]) for r in rows],
            "partner endorsements": [_text(r["partner_endorsements"]) for r in rows],
            "first-time": [yes_no(r["first_time"]) for r in rows],
            "incumbent": [yes_no(r["incumbent"]) for r in rows],
        }
    )


def off_ballot_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """Candidates requested this wave but not on the ballot, and why."""
    rows = [r for r in _docket_rows(figures, race_id) if not r["on_ballot"]]
    return pd.DataFrame(
        {
            "candidate": [f"{r['name']} ({r['candidate_id']})" for r in rows],
            "why not on the ballot": [_text(r["reason"]) for r in rows],
            "requesting national": [
                count_names(r["requesting_groups"], r["requesting_group_names"]) for r in rows
            ],
            "endorsements from outside (not counted)": [
                count_names(r["outside_groups"], r["outside_endorsements"]) for r in rows
            ],
        }
    )


def _docket_rows(figures: WaveFigures, race_id: str) -> list[dict]:
    frame = figures.race_docket(race_id)
    rows = plain_records(frame)
    for row, lists in zip(rows, frame.itertuples(index=False), strict=True):
        for column in ("local_group_names", "requesting_group_names", "conflicts"):
            row[column] = list(getattr(lists, column))
        row["outside_endorsements"] = list(lists.outside_endorsements)
    return rows


def tally_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """Each option (ballot candidates by id, then NO_ENDORSEMENT) with its counted votes
    and share of the counted ballots: approvals in an approval contest, first preferences
    in a ranked one (contract §5), always of all counted ballots."""
    options = plain_records(figures.options(race_id), ["choice", "votes"])
    total = int(figures.contest(race_id)["ballots_counted"])
    votes = VOTES_HEADER.get(figures.contest(race_id).get("method"), "votes")
    return pd.DataFrame(
        {
            "option": [candidate_label(o["choice"], figures.candidate_names) for o in options],
            votes: [f"{int(o['votes']):,}" for o in options],
            "share of counted ballots": [
                f"{int(o['votes']):,} of {total:,} ({percent(int(o['votes']), total)})"
                for o in options
            ],
        }
    )


def rounds_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """A ranked contest's instant runoff (contract §5): one row per option, one column per
    round with its votes ('–' once eliminated), then the ballots exhausted by each round and
    who was eliminated in it."""
    rounds = figures.contest(race_id).get("runoff_rounds") or []
    names = figures.candidate_names
    options = list(rounds[0]["votes"]) if rounds else []
    columns = {"option": [candidate_label(o, names) for o in options]}
    columns["option"] += ["ballots exhausted (so far)", "eliminated"]
    for r in rounds:
        cells = [f"{r['votes'][o]:,}" if o in r["votes"] else "–" for o in options]
        cells.append(f"{r['exhausted']:,}")
        eliminated = r["eliminated"]
        cells.append("–" if eliminated is None else candidate_label(eliminated, names))
        columns[f"round {r['round']}"] = cells
    return pd.DataFrame(columns)


def rounds_frame(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """A ranked contest's rounds for the chart: one row per (round, option or exhausted)
    with its ballots; the options in ballot order, exhausted ballots last."""
    rounds = figures.contest(race_id).get("runoff_rounds") or []
    names = figures.candidate_names
    order = list(rounds[0]["votes"]) if rounds else []
    rows = []
    for r in rounds:
        for position, option in enumerate(order):
            votes = r["votes"].get(option)
            if votes is None:
                continue
            label = candidate_label(option, names)
            kind = "none" if option == NO_ENDORSEMENT else "candidate"
            rows.append((f"round {r['round']}", r["round"], label, kind, position, votes))
        exhausted = r["exhausted"]
        rows.append(
            (f"round {r['round']}", r["round"], EXHAUSTED, EXHAUSTED, len(order), exhausted)
        )
    return pd.DataFrame(rows, columns=["round", "number", "option", "kind", "order", "ballots"])


def chart_options(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """The options of a contest for the bar chart: label, votes, share and its text."""
    options = plain_records(figures.options(race_id), ["choice", "votes"])
    total = int(figures.contest(race_id)["ballots_counted"])
    return pd.DataFrame(
        {
            "option": [candidate_label(o["choice"], figures.candidate_names) for o in options],
            "ballots": total,
            "is_candidate": [o["choice"] != NO_ENDORSEMENT for o in options],
            "votes": [int(o["votes"]) for o in options],
            "share": [int(o["votes"]) / total if total else 0.0 for o in options],
            "share_text": [percent(int(o["votes"]), total) for o in options],
        }
    )


def votes_over_time(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """Counted ballots by the day (UTC) they were cast, and cumulatively, with adjacent
    days merged until each period holds at least MIN_CELL ballots (rules.privacy): no
    published figure gives back a smaller cell."""
    periods = merge_small_periods(figures.race_counted_by_day(race_id))
    cumulative = 0
    rows = []
    for period in periods:
        cumulative += period.ballots
        rows.append(
            {
                "first_day": period.first,
                "last_day": period.last,
                "period (UTC)": period_label(period.first, period.last),
                "period": period_short(period.first, period.last),
                "counted ballots": period.ballots,
                "cumulative": cumulative,
            }
        )
    columns = ["first_day", "last_day", "period (UTC)", "period", "counted ballots", "cumulative"]
    return pd.DataFrame(rows, columns=columns)


def privacy_note() -> str:
    return (
        "Counted ballots by the day (UTC) they were cast, and cumulatively. For privacy, a "
        f"day with fewer than {MIN_CELL} counted ballots is merged with the next day (or, at "
        "the end of the window, with the period before), so that no figure on this page "
        f"gives back a count under {MIN_CELL}."
    )


def robustness_note() -> str:
    return (
        "How close the decision is to flipping, in whole ballots (exact integers). Support "
        "margin: for a top choice at or above the threshold, the fewest of its ballots "
        "that, switched to no endorsement, would put it below; below the threshold, the "
        "fewest other ballots that would have to switch to it. Turnout margin: counted "
        "ballots against the fewest needed for the minimum turnout and minimum ballots. "
        "The 95% Wilson interval shows the uncertainty of the top choice's share."
    )


def votes_over_time_display(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period (UTC)": frame["period (UTC)"],
            "counted ballots": [f"{int(v):,}" for v in frame["counted ballots"]],
            "cumulative": [f"{int(v):,}" for v in frame["cumulative"]],
        }
    )


def turnout_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """This contest's turnout against the minimum and against the wave's contests that
    had a candidate on the ballot."""
    t = figures.thresholds
    s = turnout_standing(figures.contests, race_id, t)
    if s.rank is None:
        place = "not compared: no potential voters, or no candidate on the ballot"
    else:
        place = f"{s.rank:,} of {s.compared:,} (1 = highest turnout)"
    rows = [
        ("Turnout", turnout_figure(s.ballots, s.eligible)),
        (
            "Minimum turnout",
            f"{threshold_percent(t.turnout)} of {s.eligible:,} potential voters and at least "
            f"{decimal_text(t.min_votes)} ballot(s): {s.ballots_needed:,} counted ballot(s) needed",
        ),
        ("Meets the minimum", "yes" if s.meets_minimum else "no"),
        ("Place among contests with a candidate on the ballot", place),
        (
            "Median turnout of those contests",
            NO_FIGURE if s.median is None else truncated_percent(s.median),
        ),
        ("Those contests meeting the minimum", f"{s.meeting_minimum:,} of {s.compared:,}"),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def robustness_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """How close the decision is to flipping, in whole ballots, in words."""
    row = figures.contest(race_id)
    t = figures.thresholds
    m = robustness(row, t)
    s_text = threshold_percent(t.support)
    n, top_votes = int(row["ballots_counted"]), row["top_votes"]
    top = candidate_label(row["top_choice"], figures.candidate_names)
    if row["decision"] == NO_CANDIDATES:
        return pd.DataFrame(
            [("Support", "no candidate is on the ballot: there is nothing to decide")],
            columns=["measure", "value"],
        )
    rows: list[tuple[str, str]] = []
    if n == 0:
        rows.append(("Support", "no ballots were counted"))
    elif top_votes is None:
        rows.append(
            (
                "Support",
                f"no candidate received a vote; {m['support_needed']:,} of the {n:,} ballots "
                f"would have to go to one candidate to reach {s_text}",
            )
        )
    elif m["support_surplus"] >= 0:
        k = m["support_flip"]
        rows.append(
            (
                "Support margin",
                f"{k:,} of {top}'s {top_votes:,} ballots switched to {NO_ENDORSEMENT_WORDS} "
                f"would put it below {s_text} ({top_votes - k:,} of {n:,}, "
                f"{percent(top_votes - k, n)}); "
                f"it needs {m['support_needed']:,}",
            )
        )
    else:
        rows.append(
            (
                "Support margin",
                f"{m['support_flip']:,} more of the {n:,} ballots would have to switch to "
                f"{top} to reach {s_text} ({m['support_needed']:,} of {n:,})",
            )
        )
    surplus = m["ballots_surplus"]
    needed = m["ballots_needed"]
    if surplus >= 0:
        words = f"{surplus + 1:,} fewer ballots would have missed the minimum turnout"
    else:
        words = f"{-surplus:,} more ballots would have met the minimum turnout"
    rows.append(("Turnout margin", f"{n:,} ballots against {needed:,} needed: {words}"))
    rows += _method_margin(figures, row)
    if m["wilson_low"] is not None:
        rows.append(
            (
                "95% interval of the top choice's share",
                f"{float_percent(m['wilson_low'])} to {float_percent(m['wilson_high'])} "
                f"(Wilson score interval for {top_votes:,} of {n:,}); "
                f"the support threshold is {s_text}",
            )
        )
    return pd.DataFrame(rows, columns=["measure", "value"])


def _method_margin(figures: WaveFigures, row: dict) -> list[tuple[str, str]]:
    """The flip margin of an approval (exact) or ranked (a lower bound) contest, in whole
    ballots; nothing for a single-choice one, whose support margin above is exact."""
    n, support = int(row["ballots_counted"]), figures.thresholds.support
    if row.get("method") == APPROVAL:
        options = plain_records(figures.options(row["race_id"]), ["choice", "votes"])
        approvals = {o["choice"]: int(o["votes"]) for o in options if o["choice"] != NO_ENDORSEMENT}
        flip = approval_flip(approvals, n, support)
        if flip is None:
            return []
        return [
            (
                "Ballots to change the outcome (exact)",
                f"{flip:,} of the {n:,} ballots, changed, would alter the winner or the "
                "decision (a changed ballot can withdraw one approval and give another)",
            )
        ]
    if row.get("method") == RANKED:
        flip = runoff_flip_bound(row.get("runoff_rounds") or [], n, support, NO_ENDORSEMENT)
        if flip is None:
            return []
        return [
            (
                "Ballots to change the outcome (a lower bound)",
                f"at least {flip:,} of the {n:,} ballots: changing fewer leaves every round's "
                "eliminations and the final round as they are (each changed ballot moves at "
                "most one vote per round). The exact margin of a runoff can be larger; it is "
                "not computed.",
            )
        ]
    return []


def audit_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """This contest's votes per status (all seven, zeros included), with what each status
    means. Per-contest totals: nothing hidden."""
    row = figures.contest(race_id)
    votes = [int(row.get(s) or 0) for s in STATUSES]
    total = sum(votes)
    return pd.DataFrame(
        {
            "status": [STATUS_WORDS[s] for s in STATUSES],
            "votes": [f"{v:,}" for v in votes],
            "share of the contest's votes": [percent(v, total) for v in votes],
        }
    )


def outside_endorsements_table(figures: WaveFigures, race_id: str) -> pd.DataFrame:
    """Endorsements of this race's candidates by groups outside its jurisdiction."""
    rows = plain_records(figures.race_outside_endorsements(race_id))
    return pd.DataFrame(
        {
            "group": [r["group_name"] for r in rows],
            "group's area": [
                r["group_state"]
                + ("" if r["group_district"] is None else f"-{r['group_district']}")
                for r in rows
            ],
            "candidate": [f"{r['candidate_name']} ({r['candidate_id']})" for r in rows],
            "requests national": [yes_no(r["requests_national"]) for r in rows],
        }
    )


def provenance_table(figures: WaveFigures, version: str) -> pd.DataFrame:
    """What this page was made from: the snapshot, the parameters, the package version."""
    snap = figures.snapshot
    rows = [
        ("wave", figures.wave_id),
        *[(name.replace("_", " "), value) for name, value in figures.thresholds.as_text().items()],
        ("as of", "final (every vote)" if figures.as_of is None else f"{figures.as_of} UTC"),
        ("input fingerprint", snap.get("fingerprint", "")),
        ("snapshot", snap.get("snapshot_id", "")),
        ("snapshot loaded at", snap.get("loaded_at", "")),
        ("time zone of the input", snap.get("timezone", "")),
        ("endorse-analysis", version),
        ("rendered at", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


# --- the vetting docket -----------------------------------------------------------------


def docket_table(figures: WaveFigures) -> pd.DataFrame:
    """Every requested candidate of the wave, in words: what staff weigh and why each is
    on the ballot or not."""
    frame = figures.docket
    rows = plain_records(frame.drop(columns=["local_group_names", "requesting_group_names",
                                              "conflicts", "outside_endorsements"]))  # fmt: skip
    lists = frame[["local_group_names", "requesting_group_names", "conflicts",
                   "outside_endorsements"]].itertuples(index=False)  # fmt: skip
    table = []
    for r, (local, requesting, conflicts, outside) in zip(rows, lists, strict=True):
        notes = [
            w for w, f in (("first-time", r["first_time"]), ("incumbent", r["incumbent"])) if f
        ]
        table.append(
            {
                "race": r["race_id"],
                "candidate": f"{r['name']} ({r['candidate_id']})",
                "on the ballot": "yes" if r["on_ballot"] else "no",
                "why": r["reason"],
                "party": _text(r["party"]),
                "local groups endorsing": count_names(r["local_groups"], local),
                "requesting national": count_names(r["requesting_groups"], requesting),
                "conflicting endorsements": count_names(r["conflicting_groups"], conflicts),
                "from outside (not counted)": count_names(r["outside_groups"], outside),
                "partner endorsements": _text(r["partner_endorsements"]),
                "vetting": r["vetting_status"] or "no vetting row",
                "questionnaire": r["questionnaire"] or NO_FIGURE,
                "notes": ", ".join(notes) or NO_FIGURE,
            }
        )
    return pd.DataFrame(table)


# --- the wave overview ------------------------------------------------------------------


def decisions_table(figures: WaveFigures) -> pd.DataFrame:
    """Every contest of the wave with its final decision and the figures behind it."""
    rows = []
    races = {r["race_id"]: r for r in plain_records(figures.races)}
    for r in figures.in_index_order():
        n, e = int(r["ballots_counted"]), int(r["eligible_voters"])
        context = figures.race_context(r["race_id"])
        rows.append(
            {
                "race": r["race_id"],
                "area": area(races[r["race_id"]]),
                "2024 lean": (
                    f"{context['lean']} ({context['band']})" if context["lean"] else NO_FIGURE
                ),
                "final decision": r["final_decision"],
                "computed": r["decision"],
                "top choice": candidate_label(r["top_choice"], figures.candidate_names),
                "support": NO_FIGURE
                if r["top_votes"] is None
                else support_figure(int(r["top_votes"]), n),
                "turnout": turnout_figure(n, e),
                "ruling": ruling_words(r) or "",
            }
        )
    return pd.DataFrame(rows)


def decision_counts_table(figures: WaveFigures) -> pd.DataFrame:
    """Contests per office and final decision, with totals (per-contest counts)."""
    frame = figures.contests
    rows = []
    for office in [*OFFICES, "all"]:
        mine = frame if office == "all" else frame[frame["office"] == office]
        if office != "all" and mine.empty:
            continue
        counts = mine["final_decision"].value_counts()
        rows.append(
            {"office": office, **{d: int(counts.get(d, 0)) for d in DECISIONS}, "all": len(mine)}
        )
    return pd.DataFrame(rows, columns=["office", *DECISIONS, "all"])


# --- any frame of aggregates, for the analyst's notebooks -------------------------------

# Columns of the analysis frames whose missing cells are hidden (rules.privacy), and the
# figures computed from them.
HIDDEN_COUNT_COLUMNS = {
    "signups", "ballots", "first_hours", "first_share", "last_days", "baseline",
    "baseline_same_length", "rush", "signed_up", "eligible", "voted", "voters",
    "eligible_again", "voted_again", "revoting_members", "changed_choice",
    "contests_with_changes",
}  # fmt: skip


def cell_text(column: str, value: object, timezone: str | None = None) -> str:
    """One cell of an analysis frame as text: counts with separators, shares and turnouts
    as truncated percentages, a hidden cell as 'hidden', flags as yes or no, an instant
    (naive UTC) in `timezone` and UTC when a zone is given."""
    if value is None or value is pd.NA or value is pd.NaT:
        return HIDDEN if column in HIDDEN_COUNT_COLUMNS else ""
    if isinstance(value, bool | np.bool_):
        return yes_no(value)
    if isinstance(value, float | np.floating):
        if value != value:
            return ""
        if is_share(column):
            return float_percent(float(value))
        return f"{float(value):,.2f}"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp | datetime):
        if timezone is not None:
            return local_and_utc(value, timezone)
        return value.isoformat(sep=" ")
    return str(value)


def as_text(frame: pd.DataFrame, words: bool = False, timezone: str | None = None) -> pd.DataFrame:
    """Every cell of an analysis frame as `cell_text` (instants in `timezone` and UTC when
    given); with `words`, headers in words too ('race_id' -> 'race')."""
    text = pd.DataFrame(
        {c: [cell_text(str(c), v, timezone) for v in frame[c]] for c in frame.columns},
        columns=frame.columns,
    )
    if words:
        text.columns = [header_words(str(c)) for c in frame.columns]
    return text


def header_words(column: str) -> str:
    """A column name as a header for people: 'race_id' -> 'race', 'top_share' -> 'top share'."""
    return column.removesuffix("_id").replace("_", " ")
