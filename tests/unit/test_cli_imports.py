"""`endorse-analysis --help` and `tally` never import the rendering stack.

Each command runs the CLI's `main` in a fresh interpreter, then lists which of the heavy
rendering modules (Altair, Papermill, nbconvert, vl-convert and what they pull in) ended
up in `sys.modules`: none may. Only the import itself is checked, never a duration.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
HEAVY = ("altair", "papermill", "nbconvert", "nbclient", "vl_convert", "ipykernel")

PROBE = """
import contextlib, io, json, sys
from endorse_analysis.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        code = main(sys.argv[2:])
    except SystemExit as done:
        code = done.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1].split(",")))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def _imported(*argv: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(HEAVY), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from endorse_analysis import load_folder

    db = tmp_path_factory.mktemp("imports") / "sample.duckdb"
    load_folder(SAMPLE, db)
    return db


def test_help_imports_no_rendering_module() -> None:
    result = _imported("--help")
    assert result["code"] == 0
    assert result["heavy"] == []


@pytest.mark.parametrize("extra", [[], ["--as-of", "2026-03-20T00:00:00Z"]])
def test_tally_imports_no_rendering_module(sample_db: Path, extra: list[str]) -> None:
    result = _imported("tally", "--db", str(sample_db), "--wave", "2026-03", *extra)
    assert result["code"] == 0
    assert result["heavy"] == []
