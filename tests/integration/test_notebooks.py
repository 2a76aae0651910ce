"""The report notebooks run against the sample program (Papermill) and say what they should.

Executed the way the renderer executes them (its kernel arguments), with ENDORSE_DB
pointing at a freshly loaded sample. Slow-ish (a kernel per notebook), so few runs.
"""

from __future__ import annotations

import csv
import logging
import os
from pathlib import Path

import nbformat
import pytest

from endorse_analysis.cli import main
from endorse_analysis.reports.plan import notebooks_dir

papermill = pytest.importorskip("papermill")

NOTEBOOKS = notebooks_dir()
ROOT = Path(__file__).resolve().parents[2]
PARAMETER_NAMES = [
    "db_path",
    "wave",
    "support_threshold",
    "min_turnout",
    "min_votes",
    "as_of",
    "figures_path",
]
MEMBER_IDS = [r["member_id"] for r in csv.DictReader(open("data/sample/members.csv"))]


@pytest.fixture(scope="module")
def sample_env(tmp_path_factory, monkeypatch_module):
    folder = tmp_path_factory.mktemp("notebooks")
    db = folder / "sample.duckdb"
    assert main(["load", "data/sample", "--db", str(db)]) == 0
    monkeypatch_module.setenv("ENDORSE_DB", str(db))
    return folder


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def run(name: str, out: Path, **parameters) -> nbformat.NotebookNode:
    from endorse_analysis.reports.kernels import KERNEL_ARGUMENTS

    logging.getLogger("papermill").setLevel(logging.ERROR)
    return papermill.execute_notebook(
        str(NOTEBOOKS / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        extra_arguments=list(KERNEL_ARGUMENTS),
        cwd=str(ROOT),
    )


def text_of(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise AssertionError(f"{output['ename']}: {output['evalue']}")
            data = output.get("data", {})
            for kind in ("text/html", "text/markdown", "text/plain", "image/svg+xml"):
                if kind in data:
                    parts.append(str(data[kind]))
            parts.append(str(output.get("text", "")))
    return "\n".join(parts)


def assert_private(text: str) -> None:
    for member in MEMBER_IDS + ["m-999", "S01"]:
        for pattern in (f">{member}<", f" {member} ", f"'{member}'", f'"{member}"'):
            assert pattern not in text, member


@pytest.mark.parametrize("name", ["race_report", "wave_overview", "vetting_docket"])
def test_committed_without_outputs_and_with_parameters_first(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "code" and "parameters" in first.metadata.get("tags", [])
    names = [line.split(" = ")[0] for line in first.source.splitlines() if " = " in line]
    expected = list(PARAMETER_NAMES)
    if name == "race_report":
        expected.insert(2, "race")
    assert names == expected
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_race_report_default_race(sample_env):
    """race = "": the first contest of the wave (CA-12), every section present."""
    text = text_of(run("race_report", sample_env / "race.ipynb", wave="2026-03"))
    for needle in (
        "CA-12",
        "ENDORSE",
        "3 of 5 ballots (60.00%)",
        "5 of 6 potential voters (83.33%)",
        "Ana Alvarez (A1)",
        "Cleo Chen (A3)",
        "jurisdiction",
        "Central Valley Rising (CA-13)",
        "2026-03-03 to 2026-03-05",  # five ballots over three days: one period
        "Support margin",
        "Wilson",
        "superseded",
        "input fingerprint",
        "<svg",
    ):
        assert needle in text, needle
    assert_private(text)


def test_race_report_with_handed_on_figures(sample_env):
    import endorse_analysis as ea
    from endorse_analysis.rules import Thresholds

    with ea.connect(os.environ["ENDORSE_DB"]) as con:
        path = ea.wave_figures(con, "2026-04", Thresholds()).save(sample_env / "figures.pickle")
    text = text_of(
        run(
            "race_report",
            sample_env / "gov.ipynb",
            wave="2026-04",
            race="CA-GOV",
            figures_path=str(path),
        )
    )
    for needle in ("REVIEW", "1 of 15 potential voters (6.66%)", "Dana Diaz (B1)"):
        assert needle in text, needle
    assert_private(text)


def test_race_report_without_candidates(sample_env):
    text = text_of(run("race_report", sample_env / "mi11.ipynb", wave="2026-04", race="MI-11"))
    assert "NO_CANDIDATES" in text and "No candidate is on the ballot." in text


def test_wave_overview(sample_env):
    text = text_of(run("wave_overview", sample_env / "overview.ipynb", wave="2026-03"))
    for needle in (
        "March 2026",
        "6 contests",
        "VT-AL",
        "NO_CANDIDATES",
        "<svg",
        "input fingerprint",
        "Decision space",
    ):
        assert needle in text, needle
    assert_private(text)
