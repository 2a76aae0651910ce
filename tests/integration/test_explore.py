"""The analyst's functions (api/explore/), checked by hand on data/sample (see EXPECTED.md),
their privacy rules, and the explore notebooks executed against the demo (nbval runs them
against the sample)."""

from __future__ import annotations

import os
import re
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from recover import recovered

from endorse_analysis.api import explore
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.tally import tally
from endorse_analysis.ingest import load_folder
from endorse_analysis.present.html import table_html
from endorse_analysis.present.tables import as_text
from endorse_analysis.rules import Thresholds
from endorse_analysis.rules.privacy import group, sum_of
from endorse_analysis.rules.words import float_percent
from endorse_analysis.vocabulary import MIN_CELL

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("explore_*.ipynb"))
PARAMETERS = ["db_path", "wave", "support_threshold", "min_turnout", "min_votes", "as_of",
              "outlier_z", "close_votes", "early_hours", "districts_file"]  # fmt: skip
MEMBER_IDS = (
    [f"s{i:02d}" for i in range(1, 17)]
    + [f"v0{i}" for i in range(1, 7)]
    + [f"w0{i}" for i in range(1, 10)]
    + ["x01", "x02"]
)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("explore_sample") / "sample.duckdb"
    load_folder(SAMPLE, db)
    return db


@pytest.fixture()
def con(sample_db):
    with connect(sample_db) as connection:
        yield connection


S_HALF = Thresholds(support=Fraction(1, 2))
S_TWO_THIRDS = Thresholds(support=Fraction(2, 3))
T_HALF = Thresholds(turnout=Fraction(1, 2))
T_NINE_TENTHS = Thresholds(turnout=Fraction(9, 10))
M_SIX = Thresholds(min_votes=Fraction(6))
VARIANTS = [Thresholds(), S_HALF, S_TWO_THIRDS, T_HALF, T_NINE_TENTHS, M_SIX]

# Worked by hand from EXPECTED.md's counts (N, E, votes), docs/rules.md §3's decision table.
#   2026-03  CA-12: A1 3, A2 1, NE 1 of N=5, E=6   CA-GOV: B1 1 of N=1, E=14
#            MI-SEN: J1 4, J2 3, NE 1 of N=8, E=9  VT-AL: E1 5, NE 1 of N=6, E=6
#   2026-04  CA-12: A1 4 of N=4, E=7   CA-GOV: B1 1 of N=1, E=15
#            MI-GOV: K1 4, K2 3, NE 1 of N=8, E=9  VT-AL: E1 2, NE 1 of N=3, E=5
E, R, NE, NC = "ENDORSE", "REVIEW", "NO_ENDORSEMENT", "NO_CANDIDATES"
BY_HAND = {
    "2026-03": {
        #          default S 1/2  S 2/3  T 1/2  T 9/10 M 6
        "CA-12": [E, E, NE, E, R, R],  # 3/5 < 2/3; 5 < 0.9 x 6; 5 < 6
        "CA-GOV": [R, R, R, R, R, R],  # 1 < 0.1 x 14 always
        "MI-11": [NC] * 6,
        "MI-SEN": [NE, E, NE, NE, NE, NE],  # 4/8 = 50% passes only S = 1/2 (J2 has 3)
        "VT-AL": [E, E, E, E, E, E],  # 5/6 >= 2/3; 6 >= 0.9 x 6 = 5.4; 6 >= 6
        "VT-GOV": [NC] * 6,
    },
    "2026-04": {
        "CA-12": [E, E, E, E, R, R],  # 4 >= 0.5 x 7; 4 < 0.9 x 7; 4 < 6
        "CA-GOV": [R, R, R, R, R, R],
        "MI-11": [NC] * 6,
        "MI-GOV": [NE, E, NE, NE, NE, NE],
        "VT-AL": [E, E, E, E, R, R],  # 2 of 3 is exactly 2/3: passes S = 2/3
    },
}


@pytest.mark.parametrize("wave", sorted(BY_HAND))
def test_threshold_sensitivity_by_hand(con, wave):
    table = explore.threshold_sensitivity(con, wave, VARIANTS)
    labels = [explore.threshold_label(t) for t in VARIANTS]
    assert labels[2] == "S 2/3 · T 10% · M 1" and labels[0] == "S 60% · T 10% · M 1"
    assert list(table["race_id"]) == sorted(BY_HAND[wave])
    got = {row["race_id"]: [row[label] for label in labels] for _, row in table.iterrows()}
    assert got == BY_HAND[wave]
    changed = dict(zip(table["race_id"], table["changed"], strict=True))
    assert changed == {race: len(set(d)) > 1 for race, d in BY_HAND[wave].items()}
    counts = explore.sensitivity_counts(table)
    assert counts.loc["ENDORSE", labels[1]] == sum(d[1] == E for d in BY_HAND[wave].values())


def test_threshold_sensitivity_rejects_repeats(con):
    with pytest.raises(ValueError):
        explore.threshold_sensitivity(con, "2026-03", [Thresholds(), Thresholds()])
    with pytest.raises(ValueError):
        explore.threshold_sensitivity(con, "2026-03", [])


def test_threshold_margins_by_hand(con):
    m = explore.threshold_margins(con, "2026-03").set_index("race_id")
    assert list(m.index) == ["CA-12", "CA-GOV", "MI-SEN", "VT-AL"]  # contests with a top choice
    # CA-12: 60% of 5 needs 3 (has 3); 10% of 6 needs 1 (has 5)
    assert (m.loc["CA-12", "support_needed"], m.loc["CA-12", "support_surplus"]) == (3, 0)
    assert m.loc["CA-12", "turnout_surplus"] == 4
    # CA-GOV: 10% of 14 needs 2 ballots, has 1; MI-SEN: 60% of 8 needs 5, J1 has 4
    assert (m.loc["CA-GOV", "turnout_needed"], m.loc["CA-GOV", "turnout_surplus"]) == (2, -1)
    assert (m.loc["MI-SEN", "support_needed"], m.loc["MI-SEN", "support_surplus"]) == (5, -1)
    assert m.loc["VT-AL", "support_surplus"] == 1  # 5 of 6, 4 needed


def test_contest_summary_and_turnout(con):
    s = explore.contest_summary(con, ["2026-03"]).set_index("race_id")
    assert s["endorsing_groups"].to_dict() == {
        "CA-12": 2, "CA-GOV": 2, "MI-11": 0, "MI-SEN": 2, "VT-AL": 2, "VT-GOV": 1,
    }  # fmt: skip
    assert s["contested"].to_dict() == {
        "CA-12": True, "CA-GOV": False, "MI-11": False, "MI-SEN": True, "VT-AL": False,
        "VT-GOV": False,
    }  # fmt: skip
    assert s.loc["CA-12", "first_time"] and not s.loc["CA-GOV", "first_time"]
    by = explore.turnout_by_wave_office(con).set_index(["wave_id", "office"])
    house = by.loc[("2026-03", "house")]  # CA-12 5 of 6, VT-AL 6 of 6
    assert (house["contests"], house["ballots"], house["potential_voters"]) == (2, 11, 12)
    assert house["turnout"] == pytest.approx(11 / 12)
    contested = explore.turnout_by(con, "contested").set_index("contested")
    # contested: CA-12 (5/6), MI-SEN (8/9), 2026-04 MI-GOV (8/9)
    assert (contested.loc[True, "contests"], contested.loc[True, "ballots"]) == (3, 21)
    groups = explore.turnout_by(con, "endorsing_groups")
    assert groups["contests"].sum() == 8
    with pytest.raises(ValueError):
        explore.turnout_by(con, "party")
    outliers = explore.turnout_outliers(con, z=0.0)
    assert set(outliers["direction"]) <= {"high", "low"}


def test_reach_by_hand(con):
    d = explore.reach_by_district(con, "2026-03").set_index(["state", "district"])
    assert len(d) == 435
    assert d.loc[("CA", 12)].tolist() == [6, 1, 1, 2]  # s01-s06; GCA12 + statewide GCA
    assert d.loc[("VT", 0)].tolist() == [6, 1, 1, 2]  # v05 (unknown district) is at large
    assert d.loc[("MI", 11)].tolist() == [6, 0, 1, 1]
    gaps = explore.districts_without_groups(con, "2026-03")
    assert list(zip(gaps["state"], gaps["district"], strict=True)) == [("MI", 11)]
    s = explore.reach_by_state(con, "2026-03").set_index("state")
    assert s.loc["CA", "potential_voters"] == 14 and s.loc["CA", "groups"] == 3
    assert s.loc["MI", "potential_voters"] == 9 and s.loc["MI", "districts_without_group"] == 1
    assert s.loc["VT", "potential_voters"] == 6 and "DC" not in s.index


def test_arrivals_by_hand(con):
    summary = explore.arrival_summary(con).set_index("wave_id")
    # a ballot is a counted ballot, as in the tally: 22 in March, 16 in April
    assert summary.loc["2026-03", "ballots"] == 22
    assert summary.loc["2026-04", "ballots"] == 16
    for wave in ("2026-03", "2026-04"):
        assert summary.loc[wave, "ballots"] == tally(con, wave)["ballots_counted"].sum()
        assert explore.arrivals_by_hour(con, wave)["ballots"].fillna(0).sum() <= 22
    assert summary.loc["2026-03", "window_hours"] == 335.0  # DST starts inside the window
    hours = explore.arrivals_by_hour(con, "2026-03")
    assert len(hours) == 335 and list(hours["hour"]) == list(range(335))


def test_small_cells_are_hidden_and_no_member_leaves(con):
    frames = {
        "signups": explore.signups(con, "day"),
        "around": explore.signups_around_deadlines(con),
        "rush": explore.signup_rush(con),
        "hours": explore.arrivals_by_hour(con, "2026-03"),
        "per_contest": explore.first_hours_by_contest(con, "2026-03"),
        "summary": explore.arrival_summary(con),
        "contests": explore.contest_summary(con),
        "district": explore.reach_by_district(con, "2026-03"),
        "margins": explore.threshold_margins(con, "2026-04"),
    }
    for column, frame in [
        ("signups", frames["signups"]),
        ("signups", frames["around"]),
        ("ballots", frames["hours"]),
        ("first_hours", frames["per_contest"]),
    ]:
        shown = frame[column].dropna()
        assert (shown >= MIN_CELL).all(), column
    assert frames["signups"]["signups"].isna().any()  # the sample is small: something hidden
    per_contest = frames["per_contest"]
    late = (per_contest["ballots"] - per_contest["first_hours"]).dropna()
    assert (late >= MIN_CELL).all()
    assert frames["summary"]["first_hours"].isna().all()  # no ballot in the first 24 hours
    for name, frame in frames.items():
        assert not any("member" in str(c) for c in frame.columns), name
        values = {str(v) for v in frame.astype(str).to_numpy().ravel()}
        assert not values & set(MEMBER_IDS), name


def test_table_html_escapes_and_truncates():
    frame = pd.DataFrame(
        {
            "name<": ["<b>x</b>"],
            "turnout": [0.59996],
            "top_share": [2 / 3],
            "ballots": pd.array([None], dtype="Int64"),
        }
    )
    out = table_html(as_text(frame))
    assert "<b>x</b>" not in out and "&lt;b&gt;x&lt;/b&gt;" in out and "name&lt;" in out
    assert "59.99%" in out and "66.66%" in out and "hidden" in out
    assert float_percent(0.58) == "58.00%"


def test_explore_notebooks_are_thin():
    """One parameters cell first (the same names in every notebook), one open_session call,
    then one call per cell: no logic in a notebook."""
    import nbformat

    assert len(NOTEBOOKS) >= 6
    for name in NOTEBOOKS:
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        first = nb.cells[0]
        assert "parameters" in first.metadata.get("tags", []), name
        assert [line.split(" = ")[0] for line in first.source.splitlines()] == PARAMETERS
        code = [c.source for c in nb.cells[1:] if c.cell_type == "code"]
        assert code[0].count("open_session(") == 1, name
        for source in code[1:]:
            assert len(source.splitlines()) == 1 and "open_session" not in source, (name, source)
        assert "60%" not in "".join(c.source for c in nb.cells), name
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


REMOTE = re.compile(r"""(?:\bsrc|<link[^>]*\bhref)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_explore_notebooks_run_on_the_demo(small_demo_db, tmp_path):
    """Each notebook executed by papermill with ENDORSE_DB set to the demo at 40,000
    members. One kernel serves them all (its namespace reset before each), to keep the test
    quick; outside a Jupyter server the charts are static SVG. Each is then exported as
    `jupyter nbconvert --to endorse_html` would, and loads nothing from a network."""
    import papermill as pm
    from jupyter_client.manager import KernelManager
    from nbconvert.exporters import get_exporter

    exporter = get_exporter("endorse_html")()  # the entry point pyproject.toml declares

    km = KernelManager(kernel_name="python3")
    env = {k: v for k, v in os.environ.items() if k not in ("JPY_SESSION_NAME", "ENDORSE_CHARTS")}
    km.start_kernel(cwd=str(ROOT / "notebooks"), env={**env, "ENDORSE_DB": str(small_demo_db)})
    try:
        for name in NOTEBOOKS:
            source = ROOT / "notebooks" / f"{name}.ipynb"
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=60)
                reply = kc.execute_interactive(
                    "get_ipython().run_line_magic('reset', '-f')", timeout=60
                )
                assert reply["content"]["status"] == "ok"
            finally:
                kc.stop_channels()
            out = tmp_path / f"{name}.ipynb"
            pm.execute_notebook(
                str(source), str(out), kernel_name="python3", km=km, progress_bar=False
            )
            text = out.read_text("utf-8")
            assert "<svg" in text, name
            assert "example.org" not in text and "M000" not in text, name
            assert '"ename"' not in text, name
            page, _ = exporter.from_filename(str(out))
            assert_offline(page, name)
    finally:
        km.shutdown_kernel(now=True)


def assert_offline(page: str, name: str) -> None:
    """An exported page draws its charts and loads nothing: no script or stylesheet from
    a network, no MathJax, require.js or widget manager."""
    assert not REMOTE.search(page), (name, REMOTE.search(page))
    for word in ("mathjax", "require.js", "require.min.js", "mermaid", "@jupyter-widgets"):
        assert word not in page.lower(), (name, word)
    assert "<svg" in page and "@font-face" in page and "DejaVu Sans" in page, name


def test_a_chart_saved_from_the_lab_exports_as_its_still():
    """A chart output saved by JupyterLab (its widget view, and the SVG beside it) is
    exported as the SVG, with no widget script."""
    import nbformat
    from nbconvert.exporters import get_exporter

    output = nbformat.v4.new_output(
        "display_data",
        data={"application/vnd.jupyter.widget-view+json": {"model_id": "m1",
              "version_major": 2, "version_minor": 0},
              "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg"><text>turnout</text></svg>',
              "text/plain": "JupyterChart(...)"},
    )  # fmt: skip
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("show_chart(c)", outputs=[output])]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page, _ = get_exporter("endorse_html")().from_notebook_node(nb)
    assert_offline(page, "saved from the lab")
    assert "<text>turnout</text>" in page and '"model_id"' not in page
    assert "application/vnd.jupyter.widget-view+json" not in page


def test_an_svg_that_does_more_than_draw_is_not_inlined():
    from endorse_analysis.reports.offline import inline_svg

    drawing = '<svg xmlns="http://www.w3.org/2000/svg"><g><text x="1">a &lt; b</text></g></svg>'
    assert inline_svg(drawing) == drawing
    for hostile in (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://x.test/a)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
        '<path x:href="javascript:alert(1)"/></svg>',
        "<svg><unclosed>",
    ):
        shown = inline_svg(hostile)
        assert shown.startswith('<img alt="chart" src="data:image/svg+xml;base64,'), hostile
        assert "<script" not in shown and "onload" not in shown


def test_unusual_contests_allow_for_the_spread_between_contests(small_demo_db):
    """A plain binomial model flags most contests of the demo as unusual (contests differ
    far more than chance); the quasi-binomial one flags a handful."""
    import numpy as np

    with connect(small_demo_db) as con:
        flagged = explore.turnout_outliers(con, z=3.0)
        contests = explore.contest_summary(con)
    compared = contests[
        (contests["decision"] != "NO_CANDIDATES") & (contests["eligible_voters"] > 0)
    ]
    pooled = compared.groupby(["wave_id", "office"])["ballots_counted"].transform("sum") / (
        compared.groupby(["wave_id", "office"])["eligible_voters"].transform("sum")
    )
    e = compared["eligible_voters"]
    plain = (compared["ballots_counted"] - pooled * e) / np.sqrt(e * pooled * (1 - pooled))
    assert (plain.abs() >= 3).mean() > 0.3  # the binomial model would flag many
    assert len(flagged) <= 0.05 * len(compared)  # a handful
    assert (flagged["dispersion"] >= 1).all()


# --- no hidden figure comes back ------------------------------------------------------------


def _published_timing(con, wave):
    """The timing figures of a wave as the notebook publishes them, with the true counts
    behind them and the relations a reader knows: (true cells, hidden, relations)."""
    hours = explore.arrivals_by_hour(con, wave)
    contests = explore.first_hours_by_contest(con, wave)
    summary = explore.arrival_summary(con, waves=[wave]).iloc[0]
    truth = con.execute(
        "SELECT floor(hours) AS hour, race_id, hours < 24 AS early FROM counted_arrivals(?)",
        [wave],
    ).df()
    n = int(summary["ballots"])
    per_hour = [int((truth["hour"] == h).sum()) for h in hours["hour"]]
    early = [int(((truth["race_id"] == r) & truth["early"]).sum()) for r in contests["race_id"]]
    late = [int(b) - e for b, e in zip(contests["ballots"], early, strict=True)]
    first = int(truth["early"].sum())
    values = [*per_hour, first, n - first, *early, *late]
    split_hidden = list(contests["first_hours"].isna())
    hidden = [
        *hours["ballots"].isna(),
        pd.isna(summary["first_hours"]),
        pd.isna(summary["first_hours"]),
        *split_hidden,
        *split_hidden,
    ]
    shown = [
        v
        for v, h in zip([*hours["ballots"], summary["first_hours"]], hidden, strict=False)
        if not h
    ]
    assert all(int(v) >= MIN_CELL for v in shown)
    k, m = len(per_hour), len(early)
    e_cells, l_cells = range(k + 2, k + 2 + m), range(k + 2 + m, k + 2 + 2 * m)
    relations = [
        group(range(k), n),
        group([k, k + 1], n),
        sum_of(range(min(24, k)), k),
        sum_of(range(min(24, k), k), k + 1),
        *(
            group([e, x], int(b))
            for e, x, b in zip(e_cells, l_cells, contests["ballots"], strict=True)
        ),
        sum_of(e_cells, k),
        sum_of(l_cells, k + 1),
    ]
    return values, hidden, relations


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory):
    from helpers import synthetic_db as load_synthetic

    return load_synthetic(tmp_path_factory.mktemp("explore_synthetic"), members=3000)


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_no_hidden_timing_figure_comes_back(which, sample_db, synthetic_db):
    """Hours, contests' first hours and the wave's first hours, published together: shown
    cells are never under MIN_CELL, and no linear difference of the published figures
    gives back a hidden cell or a hidden sum under MIN_CELL."""
    with connect(sample_db if which == "sample" else synthetic_db) as con:
        for wave in explore.wave_ids(con):
            values, hidden, relations = _published_timing(con, wave)
            cells, sums = recovered(values, hidden, relations)
            assert not [v for v in cells.values() if 0 < v < MIN_CELL], (wave, cells)
            assert not [s for s in sums if 0 < s[1] < MIN_CELL], (wave, sums)
            assert any(hidden) and not all(hidden)


def test_hiding_small_cells_alone_would_give_them_back(synthetic_db):
    """The attacker above does find what plain small-cell hiding leaves open."""
    with connect(synthetic_db) as con:
        wave = explore.wave_ids(con)[0]
        values, _, relations = _published_timing(con, wave)
    punched = [v < MIN_CELL for v in values]
    cells, sums = recovered(values, punched, relations)
    assert [v for v in cells.values() if 0 < v < MIN_CELL] or [
        s for s in sums if 0 < s[1] < MIN_CELL
    ]


def _published_signups(con):
    """The sign-up figures of the reach notebook (per month, per day around each deadline,
    the rush), the true counts behind them, and what a reader knows: the months add up to
    the members; a wave's last seven days add up to its rush count; a month that a wave's
    days cover exactly adds up from them."""
    months = explore.signups(con, "month")
    days = explore.signups_around_deadlines(con)
    rush = explore.signup_rush(con)
    members = con.execute("SELECT signed_up_at FROM members").df()["signed_up_at"]
    deadlines = dict(
        con.execute("SELECT wave_id, coalesce(signup_closes_at, closes_at) FROM waves").fetchall()
    )
    one_day = pd.Timedelta(days=1)

    def between(start, end):
        return int(((members >= start) & (members < end)).sum())

    month_spans = [(p, p + pd.DateOffset(months=1)) for p in months["period"]]
    day_spans = [
        (deadlines[w] + d * one_day, deadlines[w] + (d + 1) * one_day)
        for w, d in zip(days["wave_id"], days["day"], strict=True)
    ]
    rush_spans = [(deadlines[w] - 7 * one_day, deadlines[w]) for w in rush["wave_id"]]
    base_spans = [
        (deadlines[w] - 63 * one_day, deadlines[w] - 7 * one_day) for w in rush["wave_id"]
    ]
    spans = month_spans + day_spans + rush_spans + base_spans
    values = [between(a, b) for a, b in spans]
    shown = [*months["signups"], *days["signups"], *rush["last_days"], *rush["baseline"]]
    hidden = [pd.isna(v) for v in shown]
    for v, h, truth in zip(shown, hidden, values, strict=True):
        assert h or int(v) == truth >= MIN_CELL
    first_day = len(month_spans)
    relations = [group(range(len(month_spans)), len(members))]
    for i, (a, b) in enumerate(month_spans + rush_spans + base_spans):
        whole = i if i < len(month_spans) else i + len(day_spans)
        for wave in deadlines:
            inside = [
                first_day + j
                for j, ((s, e), w) in enumerate(zip(day_spans, days["wave_id"], strict=True))
                if w == wave and s >= a and e <= b
            ]
            covered = sum((spans[j][1] - spans[j][0] for j in inside), pd.Timedelta(0))
            if inside and spans[inside[0]][0] == a and covered == b - a:
                relations.append(sum_of(inside, whole))
    return values, hidden, relations


@pytest.fixture(scope="module")
def months_db(tmp_path_factory):
    """The sample with its 33 members signed up 12 in October, 3 in November and 18 in
    December: the total gives the 3 back when only small cells are hidden."""
    from helpers import copy_sample, read_table, write_table

    root = tmp_path_factory.mktemp("explore_months")
    folder = copy_sample(root / "in")
    header, rows = read_table(folder, "members.csv")
    column = header.index("signed_up_at")
    for i, row in enumerate(rows):
        row[column] = "2025-10-05" if i < 12 else "2025-11-05" if i < 15 else "2025-12-05"
    write_table(folder, "members.csv", header, rows)
    load_folder(folder, root / "months.duckdb")
    return root / "months.duckdb"


@pytest.mark.parametrize("which", ["sample", "synthetic", "months"])
def test_no_hidden_signup_figure_comes_back(which, sample_db, synthetic_db, months_db):
    """Sign-ups per month, per day around each deadline and the rush, published together:
    no linear difference gives back a hidden count or a hidden sum under MIN_CELL."""
    db = {"sample": sample_db, "synthetic": synthetic_db, "months": months_db}[which]
    with connect(db) as con:
        values, hidden, relations = _published_signups(con)
    assert any(hidden)
    cells, sums = recovered(values, hidden, relations)
    assert not [v for v in cells.values() if 0 < v < MIN_CELL], cells
    assert not [s for s in sums if 0 < s[1] < MIN_CELL], sums
    if which == "months":
        punched = [v < MIN_CELL for v in values]
        assert recovered(values, punched, relations)[0] == {1: 3}  # what hiding alone leaks


def test_hidden_cells_say_hidden_never_fewer_than_5(con):
    """Some hidden cells hold 5 or more (hidden to protect a smaller one): a table shows
    every hidden cell as 'hidden', and a chart says how many cells it does not draw."""
    from endorse_analysis.present import charts

    hours = explore.arrivals_by_hour(con, "2026-03")
    shown = as_text(hours)
    hidden = hours["ballots"].isna()
    assert hidden.any()
    assert set(shown.loc[hidden, "ballots"]) == {"hidden"}
    assert not shown.apply(lambda c: c.str.contains("fewer than")).any().any()
    title = charts.arrivals(hours).to_dict()["title"]
    assert f"{int(hidden.sum()):,} hidden cell(s) not drawn" in title["subtitle"]
