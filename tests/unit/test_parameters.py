"""One home for every parameter: each notebook's parameters cell, the notebook setup and the
command line read their defaults and help from `endorse_analysis.parameters`."""

from __future__ import annotations

import ast
import inspect
import json
from fractions import Fraction
from pathlib import Path

import pytest

from endorse_analysis import notebook
from endorse_analysis.api.session import Cutoffs
from endorse_analysis.cli import build_parser
from endorse_analysis.parameters import CUTOFFS, SETTINGS, THRESHOLDS
from endorse_analysis.rules.thresholds import Thresholds

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(
    [*(ROOT / "notebooks").glob("*.ipynb"),
     *(ROOT / "src" / "endorse_analysis" / "reports" / "notebooks").glob("*.ipynb")]
)  # fmt: skip


def _parameters_cell(path: Path) -> dict[str, str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    values = {}
    for node in ast.parse("".join(cell["source"])).body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant), path
        values[node.targets[0].id] = node.value.value
    return values


def test_the_notebooks_are_found():
    assert len(NOTEBOOKS) == 10


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameters_cell_agrees_with_the_registry(path):
    """A parameter of the registry has its default; every parameter is one the notebook's
    setup function takes, with the same default."""
    cell = _parameters_cell(path)
    setup = notebook.open_session if path.name.startswith("explore_") else notebook.setup
    signature = inspect.signature(setup).parameters
    for name, value in cell.items():
        assert name in signature, (path.name, name)
        if name in SETTINGS:
            assert value == SETTINGS[name].default, (path.name, name)
            assert signature[name].default == SETTINGS[name].default, (setup.__name__, name)


def test_the_dataclasses_default_to_the_registry():
    assert Thresholds() == Thresholds.from_text()
    assert [Fraction(s.default) for s in THRESHOLDS] == [
        Thresholds().support, Thresholds().turnout, Thresholds().min_votes
    ]  # fmt: skip
    assert Cutoffs() == Cutoffs.from_text()
    assert [s.value for s in CUTOFFS] == [
        Cutoffs().outlier_z, Cutoffs().close_votes, Cutoffs().early_hours
    ]  # fmt: skip


def test_the_command_line_reads_the_registry():
    """Each threshold option's default and help come from its setting."""
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    tally = commands.choices["tally"]
    for setting in THRESHOLDS:
        action = next(a for a in tally._actions if setting.option in a.option_strings)
        assert action.default == setting.default
        assert action.help == setting.help_with_default()
