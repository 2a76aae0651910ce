"""For `pytest --nbval-lax notebooks/`: run the analyst's notebooks against the sample.

At session start this loads data/sample into a temporary DuckDB file and points
ENDORSE_DB at it, which every notebook's setup reads when its `db_path` is empty. An
analyst's own notebooks go in notebooks/scratch/, which git ignores and this run skips.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

collect_ignore_glob = ["scratch/*", ".ipynb_checkpoints/*"]
_TEMP: list[str] = []


def pytest_configure(config):
    if not config.getoption("nbval_lax", default=False) and not config.getoption(
        "nbval", default=False
    ):
        return
    from endorse_analysis.cli import main

    folder = tempfile.mkdtemp(prefix="endorse-nbval-")
    _TEMP.append(folder)
    db = Path(folder) / "sample.duckdb"
    root = Path(__file__).resolve().parents[1]
    if main(["load", str(root / "data" / "sample"), "--db", str(db)]) != 0:
        raise RuntimeError("could not load data/sample for the notebook tests")
    os.environ["ENDORSE_DB"] = str(db)


def pytest_unconfigure(config):
    for folder in _TEMP:
        shutil.rmtree(folder, ignore_errors=True)
