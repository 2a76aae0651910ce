"""For `pytest --nbval-lax notebooks/`: run the notebooks against the sample program.

At session start this loads data/sample into a temporary DuckDB file and points ENDORSE_DB
at it, so every notebook's parameter cell (`os.environ.get("ENDORSE_DB", ...)`) reads the
sample. The kernels nbval starts also get the renderer's DuckDB import workaround (see
endorse_analysis.kernels: under Jupyter, `connect` needs ipywidgets otherwise) through an
IPython startup file in a temporary IPYTHONDIR.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_TEMP: list[str] = []


def pytest_configure(config):
    if not config.getoption("nbval_lax", default=False) and not config.getoption(
        "nbval", default=False
    ):
        return
    from endorse_analysis.cli import main
    from endorse_analysis.kernels import _PREIMPORT_DUCKDB

    folder = tempfile.mkdtemp(prefix="endorse-nbval-")
    _TEMP.append(folder)
    db = Path(folder) / "sample.duckdb"
    root = Path(__file__).resolve().parents[1]
    if main(["load", str(root / "data" / "sample"), "--db", str(db)]) != 0:
        raise RuntimeError("could not load data/sample for the notebook tests")
    os.environ["ENDORSE_DB"] = str(db)
    startup = Path(folder) / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-duckdb.py").write_text(
        "try:\n    " + _PREIMPORT_DUCKDB.replace("; ", "\n    ") + "\nexcept Exception:\n    pass\n"
    )
    os.environ["IPYTHONDIR"] = str(Path(folder) / "ipython")


def pytest_unconfigure(config):
    for folder in _TEMP:
        shutil.rmtree(folder, ignore_errors=True)
