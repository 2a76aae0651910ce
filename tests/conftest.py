"""Shared pytest fixtures: a loaded sample, rendered waves, placeholder notebooks.

The tests are by layer: unit/ (one module, no database), integration/ (a loaded
snapshot through the API, the command line and the rendered pages), robustness/
(hostile input, faults, privacy), cases/ (golden folders worked out by hand from the
contract). helpers.py and model.py sit beside this file and are importable from every
test module.
"""

import sys as _sys
from pathlib import Path as _HerePath

_sys.path.insert(0, str(_HerePath(__file__).resolve().parent))

import pytest as _pytest

_RENDER_PARAMETERS = """db_path = ""
wave = "2026-03"
race = "CA-12"
support_threshold = "0.6"
min_turnout = "0.1"
min_votes = "1"
as_of = ""
figures_path = ""
"""

_RENDER_RACE_CELLS = [
    """import html
import altair as alt
import pandas as pd
import vl_convert as vlc
from IPython.display import HTML, SVG, display
import os
from endorse_analysis.notebook import setup
page = setup("race", db_path, wave, support_threshold, min_turnout, min_votes, as_of,
             figures_path, race=race)
row = page.figures.contest(race)""",
    # the leak probe: what an earlier report left behind shows up here
    """print("probe:", "leak_marker" in globals(), os.environ.get("EA_LEAK_PROBE"),
      pd.get_option("display.max_rows"), alt.renderers.active, get_ipython().execution_count)
leak_marker = race
os.environ["EA_LEAK_PROBE"] = race
pd.set_option("display.max_rows", 7)
alt.renderers.enable("svg")""",
    """display(HTML(f"<p class='decision'>Decision: {html.escape(row['final_decision'])}</p>"
             f"<p>{html.escape(row['reason'])}</p>"))""",
    """names = sorted(page.figures.candidate_names.items())
display(HTML("".join(f"<p>{html.escape(i)}: {html.escape(n)}</p>" for i, n in names)))""",
    """options = page.figures.options(race)
spec = alt.Chart(options).mark_bar().encode(x="choice:N", y="votes:Q").to_dict()
display(SVG(vlc.vegalite_to_svg(spec)))""",
    "page.figures_for_machines()",
]

_RENDER_OVERVIEW_CELLS = [
    """from endorse_analysis.notebook import setup
page = setup("overview", db_path, wave, support_threshold, min_turnout, min_votes, as_of,
             figures_path)
tally = page.figures.contests
print(f"{len(tally)} contests in wave {wave}")
tally.groupby("final_decision").size().to_frame("contests")""",
    "page.figures_for_machines()",
]


def _render_notebook(cells: list[str], parameters: str):
    import nbformat as _nbformat

    nb = _nbformat.v4.new_notebook()
    first = _nbformat.v4.new_code_cell(parameters)
    first.metadata["tags"] = ["parameters"]
    nb.cells = [_nbformat.v4.new_markdown_cell("# Placeholder report"), first]
    nb.cells += [_nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


@_pytest.fixture(scope="session")
def placeholder_notebooks(tmp_path_factory):
    """A tiny race_report and wave_overview notebook with a leak probe, for render tests."""
    import nbformat as _nbformat

    folder = tmp_path_factory.mktemp("placeholder_notebooks")
    _nbformat.write(
        _render_notebook(_RENDER_RACE_CELLS, _RENDER_PARAMETERS), folder / "race_report.ipynb"
    )
    overview = _RENDER_PARAMETERS.replace('race = "CA-12"\n', "")
    _nbformat.write(
        _render_notebook(_RENDER_OVERVIEW_CELLS, overview), folder / "wave_overview.ipynb"
    )
    return folder


@_pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """data/sample loaded once per session into a fresh database (shared: read it only)."""
    from endorse_analysis.cli import main

    db = tmp_path_factory.mktemp("sample_db") / "sample.duckdb"
    assert main(["load", "data/sample", "--db", str(db)]) == 0
    return db


@_pytest.fixture(scope="session")
def small_demo_db(tmp_path_factory):
    """The synthetic national program at 40,000 members, loaded once per session."""
    from endorse_analysis.ingest import load_folder
    from endorse_analysis.synthetic import write_demo

    folder = tmp_path_factory.mktemp("small_demo")
    write_demo(folder / "csv", members=40_000)
    load_folder(folder / "csv", folder / "demo.duckdb")
    return folder / "demo.duckdb"


@_pytest.fixture(scope="session")
def render_sample_db(sample_db):
    """The loaded sample, for the rendering tests."""
    return sample_db


RENDER_WAVE = "2026-03"
RENDER_CANARY_ID = "CANARY-MEMBER-7f3a"
RENDER_CANARY_EMAIL = "canary-7f3a@example.org"
RENDER_SCRIPT = "<script>alert(1)</script>"


@_pytest.fixture(scope="session")
def render_notebooks(tmp_path_factory, placeholder_notebooks):
    """The package's report notebooks, else the placeholders (when
    ENDORSE_RENDER_PLACEHOLDER=1)."""
    import os as _os

    from endorse_analysis.reports.plan import notebooks_dir

    if _os.environ.get("ENDORSE_RENDER_PLACEHOLDER") == "1":
        return placeholder_notebooks
    return notebooks_dir()


@_pytest.fixture(scope="session")
def rendered(tmp_path_factory, render_sample_db, render_notebooks):
    """Wave 2026-03 of the sample, rendered once through the command line:
    (out folder, wave folder, notebooks folder)."""
    from endorse_analysis.cli import main

    out = tmp_path_factory.mktemp("reports")
    notebooks = render_notebooks
    with _pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENDORSE_NOTEBOOKS", str(notebooks))
        code = main(
            [
                "reports",
                "--db",
                str(render_sample_db),
                "--wave",
                RENDER_WAVE,
                "--out",
                str(out),
                "--jobs",
                "1",
            ]
        )
    assert code == 0
    return out, out / RENDER_WAVE, notebooks


def _render_replace(folder, name, old, new):
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


@_pytest.fixture(scope="session")
def render_nasty(tmp_path_factory, render_notebooks):
    """The sample with race ids that are paths (`../../x`, `a/b`), a candidate and a group
    named `<script>alert(1)</script>`, and a canary member who votes; rendered with 2 jobs.
    Returns (db, out folder, index.html)."""
    import shutil as _shutil
    from pathlib import Path as _Path

    from endorse_analysis import reports
    from endorse_analysis.cli import main
    from endorse_analysis.rules import Thresholds

    data = tmp_path_factory.mktemp("nasty_data")
    for csv_file in (_Path(__file__).resolve().parents[1] / "data" / "sample").glob("*.csv"):
        _shutil.copy(csv_file, data / csv_file.name)
    for name in ("races.csv", "candidates.csv", "votes.csv"):
        _render_replace(data, name, "CA-12,", "../../x,")
        _render_replace(data, name, "CA-GOV,", "a/b,")
    _render_replace(data, "candidates.csv", "Ana Alvarez", RENDER_SCRIPT)
    _render_replace(data, "groups.csv", "East Bay Together (CA-12)", RENDER_SCRIPT)
    with open(data / "members.csv", "a", encoding="utf-8") as members:
        members.write(
            f"{RENDER_CANARY_ID},{RENDER_CANARY_EMAIL},Canary,CA,12,94601,555-7777,2025-10-01,\n"
        )
    with open(data / "votes.csv", "a", encoding="utf-8") as votes:
        votes.write(f"9001,2026-03,../../x,{RENDER_CANARY_ID},A1,2026-03-04T09:00:00-08:00\n")
    db = tmp_path_factory.mktemp("nasty_db") / "render_nasty.duckdb"
    assert main(["load", str(data), "--db", str(db)]) == 0
    out = tmp_path_factory.mktemp("nasty_out") / "reports"
    notebooks = render_notebooks
    index = reports.render_wave(db, RENDER_WAVE, out, Thresholds(), jobs=2, notebooks=notebooks)
    return db, out, index


@_pytest.fixture(scope="session")
def mariadb(tmp_path_factory):
    """A private MariaDB server for the session (tests/mariadb_server.py), stopped at the
    end; the tests that need it skip, saying why, where MariaDB is not installed."""
    import mariadb_server as _server

    reason = _server.missing()
    if reason:
        _pytest.skip(reason)
    running = _server.start(tmp_path_factory.mktemp("mariadb"))
    yield running
    running.stop()
