"""A hostile wave folder: manifest.json as a FIFO, nested deep, or of the wrong types, and
pages whose figures are not what they should be. `verify` and `reports` say what is
wrong in one line (or list the difference) and never hang, crash or read outside the
folder.

`reports` reads the manifest only after computing the wave's figures and before
rendering any page, so a refused manifest costs no kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import INTERNAL_ERROR, env_with_src, run_cli

CLI = [sys.executable, "-c", "from endorse_analysis.cli import run; run()"]
WAVE = "2026-03"
NESTED = "[" * 200_000 + "]" * 200_000
GOOD = {"manifest_version": 2, "run": {}, "files": [], "reports": {}}
MISTYPED = {
    "a list": [],
    "a string": "manifest",
    "version as text": {**GOOD, "manifest_version": "2"},
    "version as a float": {**GOOD, "manifest_version": 2.0},
    "version as true": {**GOOD, "manifest_version": True},
    "run as a list": {**GOOD, "run": []},
    "files as an object": {**GOOD, "files": {}},
    "a file without a hash": {**GOOD, "files": [{"path": "index.html", "size": 1}]},
    "a size that is true": {**GOOD, "files": [{"path": "a", "sha256": "x", "size": True}]},
    "a path outside": {**GOOD, "files": [{"path": "../../x.html", "sha256": "x", "size": 1}]},
    "an absolute path": {**GOOD, "files": [{"path": "/etc/hostname", "sha256": "x", "size": 1}]},
    "reports as a list": {**GOOD, "reports": []},
    "a report as a number": {**GOOD, "reports": {"race CA-12": 7}},
}


def one_line(argv: list, child: bool = False) -> str:
    """Run the command line, in a child where it could hang (a hang fails the test
    instead of stopping the suite)."""
    if child:
        proc = subprocess.run(
            [*CLI, *map(str, argv)], capture_output=True, text=True, timeout=120, env=env_with_src()
        )
        code, err = proc.returncode, proc.stderr
    else:
        run = run_cli(*argv)
        code, err = run.code, run.err
    assert code not in (0, INTERNAL_ERROR), (code, err)
    assert "Traceback" not in err and "internal error" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def wave_folder(tmp_path: Path, manifest: object | None = None, fifo: bool = False) -> Path:
    folder = tmp_path / "out" / WAVE
    folder.mkdir(parents=True)
    if fifo:
        os.mkfifo(folder / "manifest.json")
    elif isinstance(manifest, str):
        (folder / "manifest.json").write_text(manifest)
    else:
        (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def reports_argv(db: Path, folder: Path) -> list:
    return ["reports", "--db", db, "--wave", WAVE, "--out", folder.parent, "--jobs", "1"]


@pytest.mark.parametrize("command", ["verify", "reports"])
def test_a_fifo_manifest_is_refused_without_hanging(sample_db, tmp_path, command):
    folder = wave_folder(tmp_path, fifo=True)
    argv = ["verify", folder] if command == "verify" else reports_argv(sample_db, folder)
    assert "is not a regular file" in one_line(argv, child=True)


@pytest.mark.parametrize("command", ["verify", "reports"])
def test_a_deeply_nested_manifest_is_one_line(sample_db, tmp_path, command):
    folder = wave_folder(tmp_path, NESTED)
    argv = ["verify", folder] if command == "verify" else reports_argv(sample_db, folder)
    assert "is not a readable manifest" in one_line(argv)


@pytest.mark.parametrize("kind", sorted(MISTYPED))
def test_a_mistyped_manifest_is_one_line_for_verify(tmp_path, kind):
    folder = wave_folder(tmp_path, json.dumps(MISTYPED[kind]))
    line = one_line(["verify", folder])
    assert "manifest.json is not a" in line and "a manifest of this tool" in line


@pytest.mark.parametrize("kind", ["a list", "version as a float", "a path outside"])
def test_a_mistyped_manifest_is_one_line_for_reports(sample_db, tmp_path, kind):
    folder = wave_folder(tmp_path, json.dumps(MISTYPED[kind]))
    assert "is not a manifest of this tool" in one_line(reports_argv(sample_db, folder))


FIGURES = '<script type="application/json" id="endorse-figures">{}</script>'


@pytest.mark.parametrize(
    "figures",
    [
        "[1, 2]",
        '"text"',
        '{"contests": 5}',
        '{"contests": [1, "x", {"race_id": ["CA-12"]}]}',
        '{"race_id": {"a": 1}}',
        NESTED,
    ],
)
def test_pages_with_mistyped_figures_are_listed_not_crashed(rendered, tmp_path, figures):
    """verify reads every page's figures: whatever they hold, it lists the page."""
    _, folder, _ = rendered
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    for page in [copy / "index.html", next((copy / "races").glob("*.html"))]:
        text = page.read_text(encoding="utf-8")
        start = text.index('<script type="application/json" id="endorse-figures">')
        end = text.index("</script>", start) + len("</script>")
        page.write_text(text[:start] + FIGURES.format(figures) + text[end:], encoding="utf-8")
    run = run_cli("verify", copy)
    assert run.code == 1, run.err
    assert "changed: index.html" in run.out
    assert "Traceback" not in run.err and "internal error" not in run.err
