"""The analyst's workbench: parameters checked by open_session, charts interactive only
where a widget front end can draw them, tables that keep their columns, the member flows,
panel and early decisions against independent counts on data/sample, and the privacy of
member counts (nothing under 5, no split that gives a hidden part back)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

import endorse_analysis as ea
from endorse_analysis.api import explore, members, panel
from endorse_analysis.api.session import Cutoffs
from endorse_analysis.notebook import open_session, strip_outputs
from endorse_analysis.present import charts, lab
from endorse_analysis.present.words import local_and_utc
from endorse_analysis.rules.privacy import sum_of
from endorse_analysis.rules.thresholds import ThresholdError
from endorse_analysis.vocabulary import MIN_CELL


@pytest.fixture(scope="module")
def con(sample_db):
    with ea.connect(sample_db) as connection:
        yield connection


def test_open_session_checks_every_parameter(sample_db):
    session = open_session(str(sample_db), "2026-03", "0.6667", "0.2", "3", "", "2.5", "2", "12")
    assert session.cutoffs == Cutoffs(2.5, 2, 12) and session.timezone == "UTC"
    assert session.thresholds.support == ea.Thresholds.from_text("0.6667").support
    with pytest.raises(ea.UnknownWave, match="2026-03, 2026-04"):
        open_session(str(sample_db), "2026-13")
    for bad in (("x",), ("3", "1.5"), ("3", "1", "0"), ("0",)):
        with pytest.raises(ThresholdError):
            Cutoffs.from_text(*bad)


def test_charts_are_widgets_only_under_a_jupyter_server(monkeypatch):
    chart = charts.turnout_bars(
        pd.DataFrame({"contested": [True, False], "turnout": [0.2, 0.1],
                      "median_turnout": [0.2, 0.1], "contests": [3, 4]}),
        "contested", "t", "contested",
    )  # fmt: skip
    spec = str(chart.to_dict())
    assert "'yes'" in spec and "'no'" in spec and "True" not in spec  # legends say yes/no
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("ENDORSE_CHARTS", raising=False)
    assert not lab.interactive_charts() and "<svg" in lab.chart(chart).data
    monkeypatch.setenv("JPY_SESSION_NAME", "explore_reach.ipynb")
    assert lab.interactive_charts()
    monkeypatch.setenv("ENDORSE_CHARTS", "static")
    assert not lab.interactive_charts()
    monkeypatch.setenv("ENDORSE_CHARTS", "interactive")
    pytest.importorskip("anywidget")
    import altair as alt

    widget = lab.chart(chart)
    assert isinstance(widget, alt.JupyterChart) and "https://" not in widget._esm[:2000]
    bundle = widget._repr_mimebundle_()  # the view, and the still for pages without widgets
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/svg+xml"].startswith("<svg") and "turnout" in bundle["image/svg+xml"]


def test_tables_scroll_keep_ids_on_one_line_and_show_local_times():
    frame = pd.DataFrame({"race_id": ["CA-12"], "signup_deadline": [datetime(2026, 3, 1, 4, 59)],
                          "ballots": pd.array([None], dtype="Int64")})  # fmt: skip
    html = lab.table(frame, timezone="America/New_York").data
    # the id and instant columns, and any one-word cell (here "hidden"), stay on one line
    assert "overflow-x:auto" in html and html.count("white-space:nowrap") == 5
    assert "2026-02-28 23:59 EST (2026-03-01 04:59 UTC)" in html
    assert '<td style="white-space:nowrap">hidden</td>' in html
    assert local_and_utc(datetime(2026, 3, 1), "UTC") == "2026-03-01 00:00 UTC"


def test_saving_strips_outputs_except_in_scratch():
    def model():
        cell = {"cell_type": "code", "outputs": [{"x": 1}], "execution_count": 3}
        return {"type": "notebook", "content": {"cells": [cell]}}

    kept, stripped = model(), model()
    strip_outputs(kept, "scratch/mine.ipynb")
    strip_outputs(stripped, "explore_reach.ipynb")
    assert kept["content"]["cells"][0]["outputs"] == [{"x": 1}]
    assert stripped["content"]["cells"][0] == {"cell_type": "code", "outputs": [],
                                               "execution_count": None}  # fmt: skip


def _eligible_members(con, wave: str) -> set[str]:
    """An independent reading: members in the jurisdiction of some contest of the wave,
    signed up before its deadline and not opted out before it opened (docs/rules.md §3)."""
    m = con.execute("SELECT * FROM members").df()
    w = con.execute("SELECT * FROM waves WHERE wave_id = ?", [wave]).df().iloc[0]
    races = con.execute(
        "SELECT r.* FROM races r WHERE race_id IN (SELECT race_id FROM contests(?))", [wave]
    ).df()
    deadline = w["signup_closes_at"] if pd.notna(w["signup_closes_at"]) else w["closes_at"]
    ok = (m["signed_up_at"] < deadline) & (
        m["opted_out_at"].isna() | (m["opted_out_at"] >= w["opens_at"])
    )
    found = set()
    for _, r in races.iterrows():
        here = m["state"] == r["state"]
        if r["office"] == "house":
            here &= (m["district"] == r["district"]) | (m["district"].isna() & (r["district"] == 0))
        found |= set(m[ok & here.fillna(False)]["member_id"])
    return found


def test_member_flows_by_an_independent_count(con):
    """The macros behind the member tables count what a plain reading of the rules counts
    (the published tables show these counts or hide them: see the privacy test below)."""
    from endorse_analysis.api.frames import rate_with_interval

    funnel = con.execute("SELECT * FROM member_funnel()").df().set_index("wave_id")
    tenure = con.execute("SELECT * FROM member_tenure()").df()
    earlier: set[str] = set()
    for wave in ("2026-03", "2026-04"):
        eligible = _eligible_members(con, wave)
        voted = {r[0] for r in con.execute(
            "SELECT DISTINCT member_id FROM vote_status(?) WHERE status = 'counted'", [wave]
        ).fetchall()}  # fmt: skip
        assert voted <= eligible
        assert funnel.loc[wave, "eligible"] == len(eligible)
        assert funnel.loc[wave, "voted"] == len(voted)
        new = tenure[(tenure["wave_id"] == wave) & tenure["new_member"]]["eligible"].sum()
        assert new == len(eligible - earlier)
        earlier |= eligible
    raw = con.execute("SELECT * FROM member_retention()").df()
    retention = rate_with_interval(raw, "voted_again", "eligible_again", "retention").iloc[0]
    low, high = retention["retention_low"], retention["retention_high"]
    assert low < retention["retention"] < high and retention["voted_again"] <= 20


def test_member_counts_hide_small_cells_and_split_pairs(con):
    for frame in (members.funnel(con), members.retention(con), members.new_and_veteran(con),
                  members.vote_changes(con)):  # fmt: skip
        for column in frame.columns:
            if str(frame[column].dtype) == "Int64":
                assert (frame[column].dropna() >= MIN_CELL).all(), column
    split = members.new_and_veteran(con)
    april = split[split["wave_id"] == "2026-04"]  # 1 new member: both parts hidden
    assert april["eligible"].isna().all() and april["voted_share"].isna().all()
    assert members.vote_changes(con)["changed_share"].isna().all()  # 1 change per wave


def _published_member_flows(con):
    """The member-flow tables as the notebook publishes them, the true counts behind them
    (from the macros), and what a reader knows: each stage of the funnel lies inside the
    one before, new and veteran members make up a wave's eligible members and voters,
    those eligible again lie inside a wave's voters, the next wave's eligible members and
    its veterans, those who voted again inside them, the next wave's voters and its
    veteran voters, the second wave's veterans inside the first wave's eligible members,
    changed votes inside repeated ones. Each difference is a cell of its own, never
    published. A wave's eligible members and voters must always be shown: the contests'
    totals, which every tally publishes, can add up to them."""
    truth_funnel = con.execute("SELECT * FROM member_funnel()").df().set_index("wave_id")
    truth_tenure = con.execute("SELECT * FROM member_tenure()").df()
    truth_retention = con.execute("SELECT * FROM member_retention()").df()
    raw_changes = con.execute("SELECT * FROM vote_changes(NULL)").df()
    funnel = members.funnel(con).set_index("wave_id")
    tenure = members.new_and_veteran(con)
    retention = members.retention(con)
    changes = members.vote_changes(con).set_index("wave_id")
    values, hidden, relations = [], [], []

    def cell(true, shown=None):  # shown: the published value, None when never published
        values.append(int(true))
        hidden.append(shown is None or pd.isna(shown))
        if not hidden[-1]:
            assert int(shown) == int(true)
        return len(values) - 1

    def inside(whole, part):
        rest = cell(values[whole] - values[part])
        relations.append(sum_of([part, rest], whole))

    at, veteran = {}, {}
    for wave, row in truth_funnel.iterrows():
        shown = funnel.loc[wave]
        s, e, v = (cell(row[c], shown[c]) for c in ("signed_up", "eligible", "voted"))
        assert not hidden[e] and not hidden[v]  # results
        inside(s, e), inside(e, v)
        at[wave] = (e, v)
    for wave, rows in truth_tenure.groupby("wave_id"):
        shown = tenure[tenure["wave_id"] == wave]
        parts = []
        for (_, t), (_, p) in zip(rows.iterrows(), shown.iterrows(), strict=True):
            parts.append((cell(t["eligible"], p["eligible"]), cell(t["voted"], p["voted"])))
            if not t["new_member"]:
                veteran[wave] = parts[-1]
        for e, v in parts:
            inside(e, v)
        relations.append(sum_of([e for e, _ in parts], at[wave][0]))
        relations.append(sum_of([v for _, v in parts], at[wave][1]))
    waves = list(truth_funnel.index)
    if len(waves) > 1 and waves[1] in veteran:
        inside(at[waves[0]][0], veteran[waves[1]][0])
    for (_, t), (_, p) in zip(truth_retention.iterrows(), retention.iterrows(), strict=True):
        voters = at[t["from_wave"]][1]
        assert int(p["voters"]) == values[voters]
        e, v = (
            cell(t["eligible_again"], p["eligible_again"]),
            cell(t["voted_again"], p["voted_again"]),
        )
        inside(voters, e), inside(e, v)
        inside(at[t["to_wave"]][0], e), inside(at[t["to_wave"]][1], v)
        if t["to_wave"] in veteran:
            inside(veteran[t["to_wave"]][0], e), inside(veteran[t["to_wave"]][1], v)
    for wave, rows in raw_changes.groupby("wave_id"):
        m = cell(rows["revoting_members"].sum(), changes.loc[wave, "revoting_members"])
        k = cell(rows["changed_choice"].sum(), changes.loc[wave, "changed_choice"])
        inside(m, k)
    return values, hidden, relations


@pytest.mark.parametrize("which", ["sample", "demo"])
def test_no_hidden_member_count_comes_back(which, con, small_demo_db):
    """The funnel, new and veteran members, retention and vote changes, published together:
    no count under MIN_CELL is shown, and no linear difference of the published counts
    gives back one, or a sum of hidden counts under MIN_CELL."""
    from recover import recovered

    if which == "demo":
        with ea.connect(small_demo_db) as demo:
            values, hidden, relations = _published_member_flows(demo)
    else:
        values, hidden, relations = _published_member_flows(con)
        assert not all(hidden[i] for i in range(len(values)) if values[i] >= MIN_CELL)
    assert all(v >= MIN_CELL for v, h in zip(values, hidden, strict=True) if not h)
    cells, sums = recovered(values, hidden, relations)
    assert not [v for v in cells.values() if 0 < v < MIN_CELL], cells
    assert not [s for s in sums if 0 < s[1] < MIN_CELL], sums


def test_vote_changes_and_panel_by_hand(con):
    raw = con.execute("SELECT * FROM vote_changes(NULL)").df()
    assert list(zip(raw["wave_id"], raw["race_id"], raw["changed_choice"], strict=True)) == [
        ("2026-03", "CA-12", 1), ("2026-04", "CA-12", 1), ("2026-04", "MI-GOV", 1)
    ]  # fmt: skip
    table = panel.contest_panel(con)
    assert set(table["race_id"]) == {"CA-12", "CA-GOV", "MI-11", "VT-AL"}
    row = table[(table["race_id"] == "VT-AL") & (table["wave_id"] == "2026-04")].iloc[0]
    assert row["top_share_low"] < 2 / 3 < row["top_share_high"]
    transitions = panel.panel_transitions(table)
    assert transitions.to_numpy().sum() == 4  # four races, each followed once


def test_the_decision_at_an_hour_is_the_tally_as_of_that_hour(con, sample_db):
    early = panel.decisions_at_hour_unprotected(con, "2026-03", 48).set_index("race_id")
    published = panel.decisions_at_hour(con, "2026-03", 48).set_index("race_id")
    shown = published["ballots_counted_early"].dropna()
    assert (shown >= MIN_CELL).all() and (
        shown == early.loc[shown.index, "ballots_counted_early"]
    ).all()
    assert published.drop(columns="ballots_counted_early").equals(
        early.drop(columns="ballots_counted_early")
    )
    opens = con.execute("SELECT opens_at FROM waves WHERE wave_id = '2026-03'").fetchone()[0]
    with ea.connect(sample_db, as_of=opens + timedelta(hours=48)) as then:
        expected = ea.tally(then, "2026-03").set_index("race_id")
    for race in early.index:
        assert early.loc[race, "decision_early"] == expected.loc[race, "decision"]
        assert early.loc[race, "ballots_counted_early"] == expected.loc[race, "ballots_counted"]
    summary = panel.early_decision_summary(con, 48).set_index("wave_id")
    assert summary.loc["2026-03", "contests"] == len(early)
    assert summary.loc["2026-03", "changed"] == int(early["changed"].sum())


def test_mobilisation_sums_the_contests_each_group_endorsed(con):
    groups = explore.mobilisation_by_group(con, "2026-03").set_index("group_id")
    tallied = ea.tally(con, "2026-03").set_index("race_id")
    # the statewide California group endorsed on the CA-12 and CA-GOV ballots
    assert groups.loc["GCA", "contests"] == 2
    assert groups.loc["GCA", "ballots"] == tallied.loc[["CA-12", "CA-GOV"], "ballots_counted"].sum()
    assert (groups["lift_low"] <= groups["lift"]).all() and (
        groups["lift"] <= groups["lift_high"]
    ).all()


def test_close_calls_show_a_table_only_when_there_are_some(sample_db, monkeypatch):
    from endorse_analysis.present import explore as sections

    outcomes = sections.Outcomes(open_session(str(sample_db), "2026-03"))
    shown: list[object] = []
    monkeypatch.setattr(sections.Outcomes, "table", lambda self, frame, *a: shown.append(frame))
    monkeypatch.setattr(sections.Outcomes, "say", lambda self, text: shown.append(text))
    for close, expected in ((lambda m, band: m.iloc[0:0], 1), (lambda m, band: m, 2)):
        shown.clear()
        monkeypatch.setattr(sections.explore, "close_contests", close)
        outcomes.close_calls()
        assert len(shown) == expected and str(shown[0]).endswith("turnout threshold.")
    assert str(shown[0]).startswith(f"{len(outcomes.margins):,} contest(s)")
