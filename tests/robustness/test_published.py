"""The privacy gate (issue 26, cases 1 and 2): every exploration notebook's published
figures, on random programs, give back no hidden cell by differencing.

The attacker (`recover.recovered`) knows every figure a notebook publishes beside
another: the timing figures with the decision-at-hour table (a contest's ballots as of
the hour differ from its first hours by a re-vote or an opt-out at most, taken as known),
members per district and per state with the contests' potential voters (results), the
sign-up figures, the member flows. A notebook reaches a figure only through a function
that protects it; unprotected frames say so in their name, and no notebook or page
calls them.
"""

from __future__ import annotations

import importlib.util
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from recover import Span, _indicator, _vector, recovered

from endorse_analysis.api import dynamics, explore, panel
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.wave import wave_figures
from endorse_analysis.ingest import load_folder
from endorse_analysis.present.tables import votes_over_time
from endorse_analysis.rules.privacy import Relation, group, sum_of
from endorse_analysis.rules.thresholds import Thresholds
from endorse_analysis.synthetic import write_demo
from endorse_analysis.vocabulary import MIN_CELL

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = 20


def _helper(module: str, name: str):
    path = ROOT / "tests" / "integration" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"_published_{module}", path)
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return getattr(loaded, name)


def _no_leak(values, hidden, relations, what):
    """No cell under MIN_CELL is shown but a result (what the totals alone give), and no
    hidden cell or sum of hidden cells under MIN_CELL comes back."""
    n = len(values)
    totals = Span([_vector(r, n) for r in relations])
    shown_small = [
        (i, v)
        for i, (v, h) in enumerate(zip(values, hidden, strict=True))
        if not h and v < MIN_CELL and not totals.contains(_indicator({i}, n))
    ]
    assert not shown_small, (what, "shown under the cut-off", shown_small)
    cells, sums = recovered(values, hidden, relations)
    assert not [v for v in cells.values() if 0 < v < MIN_CELL], (what, cells)
    assert not [s for s in sums if 0 < s[1] < MIN_CELL], (what, sums)


def _unprotected_decisions(con, wave, hours):
    """The decision-at-hour table before protection (before the gate, the only one)."""
    unprotected = getattr(panel, "decisions_at_hour_unprotected", panel.decisions_at_hour)
    return unprotected(con, wave, hours)


def published_timing(con, wave, hours):
    """The timing notebook's figures of a wave (summary, per hour, per contest, decisions
    at the hour) with the true counts behind them and what a reader knows."""
    per_hour = explore.arrivals_by_hour(con, wave, hours)
    contests = explore.first_hours_by_contest(con, wave, hours)
    summary = explore.arrival_summary(con, hours, waves=[wave]).iloc[0]
    at_hour = panel.decisions_at_hour(con, wave, hours).set_index("race_id")
    truth_at = _unprotected_decisions(con, wave, hours).set_index("race_id")
    truth = con.execute(
        "SELECT floor(hours) AS hour, race_id, hours < ? AS early FROM counted_arrivals(?)",
        [hours, wave],
    ).df()
    values, hidden = [], []

    def cell(true, shown):
        values.append(int(true))
        hidden.append(bool(pd.isna(shown)))
        assert hidden[-1] or int(shown) == int(true)
        return len(values) - 1

    hour_cells = [
        cell((truth["hour"] == h).sum(), b)
        for h, b in zip(per_hour["hour"], per_hour["ballots"], strict=True)
    ]
    n = int(summary["ballots"])
    first_true = int(truth["early"].sum())
    first = cell(first_true, summary["first_hours"])
    rest = cell(n - first_true, n - summary["first_hours"])
    relations = [
        group(hour_cells, n),
        group([first, rest], n),
        sum_of(hour_cells[: min(hours, len(hour_cells))], first),
        sum_of(hour_cells[min(hours, len(hour_cells)) :], rest),
    ]
    early_cells, late_cells = [], []
    for race, ballots, shown in zip(
        contests["race_id"], contests["ballots"], contests["first_hours"], strict=True
    ):
        e_true = int(((truth["race_id"] == race) & truth["early"]).sum())
        e, k = cell(e_true, shown), cell(int(ballots) - e_true, ballots - shown)
        early_cells.append(e), late_cells.append(k)
        relations.append(group([e, k], int(ballots)))
        if race in at_hour.index:
            a_true = int(truth_at.loc[race, "ballots_counted_early"])
            a = cell(a_true, at_hour.loc[race, "ballots_counted_early"])
            relations.append(Relation((a,), (e,), a_true - e_true))
    for race in at_hour.index.difference(list(contests["race_id"])):
        cell(
            truth_at.loc[race, "ballots_counted_early"], at_hour.loc[race, "ballots_counted_early"]
        )
    relations += [sum_of(early_cells, first), sum_of(late_cells, rest)]
    return values, hidden, relations


def published_reach(con, wave):
    """Members per House district and per state as the reach and dynamics notebooks
    publish them, the contests' potential voters (results), and what a reader knows."""
    districts = explore.reach_by_district(con, wave)
    states = explore.reach_by_state(con, wave).set_index("state")
    safety = dynamics.members_and_safety(con, wave).set_index("state")
    gaps = explore.districts_without_groups(con, wave)
    truth_d = con.execute("SELECT * FROM reach_by_district(?)", [wave]).df()
    truth_s = con.execute("SELECT * FROM statewide_voters(?)", [wave]).df().set_index("state")
    contests = explore.contest_summary(con, [wave])
    results = {
        (s, 0 if pd.isna(d) else int(d)): int(e)
        for s, d, e, o in zip(
            contests["state"],
            contests["district"],
            contests["eligible_voters"],
            contests["office"],
            strict=True,
        )
        if o == "house"
    }
    statewide = {
        s: int(e)
        for s, e, o in zip(
            contests["state"], contests["eligible_voters"], contests["office"], strict=True
        )
        if o != "house"
    }
    values, hidden = [], []

    def cell(true, shown):
        values.append(int(true))
        hidden.append(bool(pd.isna(shown)))
        assert hidden[-1] or int(shown) == int(true)
        return len(values) - 1

    by_state: dict[str, list[int]] = {}
    relations, known = [], set()
    for (_, t), shown in zip(truth_d.iterrows(), districts["potential_voters"], strict=True):
        key = (t["state"], int(t["district"]))
        c = cell(t["potential_voters"], shown)
        if key in results:
            assert not hidden[c] and values[c] == results[key]  # a result, always shown
            known.add(c)
        by_state.setdefault(t["state"], []).append(c)
    shown_d = districts.set_index(["state", "district"])["potential_voters"]
    for state, district, shown in zip(
        gaps["state"], gaps["district"], gaps["potential_voters"], strict=True
    ):
        same = shown_d.loc[(state, district)]
        assert (pd.isna(same) and pd.isna(shown)) or same == shown
    state_cells = []
    for state, t in truth_s.iterrows():
        shown = states.loc[state, "potential_voters"]
        if state in safety.index:
            other = safety.loc[state, "potential_voters"]
            assert pd.isna(other) == pd.isna(shown) and (pd.isna(shown) or other == shown)
        c = cell(t["potential_voters"], shown)
        if state in statewide:
            assert not hidden[c] and values[c] == statewide[state]
            known.add(c)
        state_cells.append(c)
        inside = by_state.get(state, [])
        relations.append(Relation(tuple(inside), (c,), sum(values[i] for i in inside) - values[c]))
    relations.append(group(state_cells, sum(values[c] for c in state_cells)))
    return _without_results(values, hidden, relations, known)


def _without_results(values, hidden, relations, results):
    """The cells but the results (contest totals, published whatever happens), each
    relation's total taking in the results it held."""
    keep = [i for i in range(len(values)) if i not in results]
    index = {old: new for new, old in enumerate(keep)}
    folded = []
    for r in relations:
        total = r.total - sum(values[c] for c in r.plus if c in results)
        total += sum(values[c] for c in r.minus if c in results)
        plus = tuple(index[c] for c in r.plus if c in index)
        minus = tuple(index[c] for c in r.minus if c in index)
        if plus or minus:
            folded.append(Relation(plus, minus, total))
    return [values[i] for i in keep], [hidden[i] for i in keep], folded


def published_race_pages(con, wave):
    """Every race page's votes over time (periods of merged days, with the cumulative sum
    and the contest's total), with the true ballots of each day behind them. The
    overview, the docket and the index publish contest totals and counts of contests
    only: results."""
    figures = wave_figures(con, wave, Thresholds())
    values, hidden, relations = [], [], []
    for race in figures.contests["race_id"]:
        days = dict(figures.race_counted_by_day(race))
        cells = {day: len(values) + k for k, day in enumerate(sorted(days))}
        values += [int(days[d]) for d in sorted(days)]
        hidden += [True] * len(days)  # a day is published only as a period's sum
        shown = votes_over_time(figures, race)
        for first, last, ballots in zip(
            shown["first_day"], shown["last_day"], shown["counted ballots"], strict=True
        ):
            inside = [c for d, c in cells.items() if first <= d <= last]
            assert sum(values[c] for c in inside) == int(ballots)
            relations.append(group(inside, int(ballots)))
        relations.append(group(list(cells.values()), int(figures.contest(race)["ballots_counted"])))
    return values, hidden, relations


def random_program(root: Path, seed: int) -> Path:
    rng = random.Random(seed)
    write_demo(root / "csv", seed=seed, members=rng.choice([1000, 1200, 1500]))
    load_folder(root / "csv", root / "db.duckdb")
    return root / "db.duckdb"


@pytest.fixture(scope="module")
def flows():
    return (
        _helper("test_workbench", "_published_member_flows"),
        _helper("test_explore", "_published_signups"),
    )


@pytest.mark.parametrize("seed", range(PROGRAMS))
def test_no_notebook_figure_comes_back_by_differencing(seed, tmp_path, flows):
    """Every exploration notebook's published breakdowns on a random program: timing
    (with the decision at the hour), reach and dynamics (members per district and per
    state), sign-ups, member flows; and every page kind's: a race page's votes over time
    (the overview, the docket and the index publish contest totals only, results, as do
    the enthusiasm, outcomes and panel notebooks)."""
    db = random_program(tmp_path, seed)
    member_flows, signups = flows
    rng = random.Random(seed)
    with connect(db) as con:
        wave = rng.choice(explore.wave_ids(con))
        hours = rng.choice([6, 24, 48, 72])
        _no_leak(*published_timing(con, wave, hours), ("timing", wave, hours))
        _no_leak(*published_reach(con, wave), ("reach", wave))
        _no_leak(*signups(con), "sign-ups")
        _no_leak(*member_flows(con), "member flows")
        _no_leak(*published_race_pages(con, wave), "race pages")


def test_the_timing_notebook_does_not_give_back_a_hidden_split(sample_db):
    """Case 1: the decision at hour 24 printed a contest's ballots counted early beside
    the hidden split of its first 24 hours."""
    with connect(sample_db) as con:
        for wave in explore.wave_ids(con):
            for hours in (24, 48, 200):
                values, hidden, relations = published_timing(con, wave, hours)
                _no_leak(values, hidden, relations, (wave, hours))
                early = panel.decisions_at_hour(con, wave, hours)["ballots_counted_early"]
                assert (early.dropna() >= MIN_CELL).all()


def test_the_reach_notebooks_print_no_member_count_under_5(sample_db):
    """Case 2: members per district (districts without groups), per state (reach, and
    members and safety in dynamics)."""
    with connect(sample_db) as con:
        for wave in explore.wave_ids(con):
            frames = [
                explore.reach_by_district(con, wave),
                explore.districts_without_groups(con, wave),
                explore.reach_by_state(con, wave),
                dynamics.members_and_safety(con, wave),
            ]
            for frame in frames:
                shown = frame["potential_voters"].dropna()
                assert (shown >= MIN_CELL).all(), frame
            _no_leak(*published_reach(con, wave), wave)


UNPROTECTED = re.compile(
    r"_unprotected\b|\bvote_status\s*\(|FROM\s+(?:counted_by_hour|counted_first_hours|"
    r"counted_arrivals|statewide_voters|reach_by_district)\s*\("
)


def test_no_notebook_or_page_calls_an_unprotected_frame():
    """Unprotected frames carry `_unprotected` in their name (or are the rule macros
    themselves); no notebook, page or section of one calls them."""
    sources = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources[path.name] = "\n".join("".join(c["source"]) for c in cells)
    package = ROOT / "src" / "endorse_analysis"
    for path in sorted([*package.glob("present/**/*.py"), package / "notebook.py"]):
        sources[str(path.relative_to(package))] = path.read_text(encoding="utf-8")
    for path in sorted(package.glob("reports/notebooks/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources[path.name] = "\n".join("".join(c["source"]) for c in cells)
    calls = {name: UNPROTECTED.findall(text) for name, text in sources.items()}
    assert not {name: found for name, found in calls.items() if found}
    assert len(sources) > 8
