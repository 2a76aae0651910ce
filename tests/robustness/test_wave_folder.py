"""A wave folder that cannot lie, and names safe at the door (issue 26, cases 3 to 8).

A page that fails is in the manifest as failed and `verify` says so; a full disk leaves no
cut file and ends in one line naming the file; `verify` names what is not a plain file
and pages at another race's path; a wave is never published in or around member lists;
headers and errors escape control characters as table rows do.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from helpers import INTERNAL_ERROR, copy_sample, env_with_src, run_cli

CLI = [sys.executable, "-c", "from endorse_analysis.cli import run; run()"]
WAVE = "2026-03"
HOSTILE_WAVE = "2026\x1b[2K\u202e\x0b04"
HOSTILE_NAME = "Ben\x0bBrooks\x1b[31m\u202e\x85"
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _cli(*argv: object, limit: int | None = None, env: dict | None = None):
    """The command line in a child process: an abort or a file-size limit stays there."""

    def apply() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [*CLI, *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**env_with_src(), **(env or {})},
        preexec_fn=apply,
    )


def _clean_end(code: int, err: str) -> None:
    assert code not in (0, INTERNAL_ERROR, -signal.SIGABRT), (code, err)
    assert "Traceback" not in err and "internal error" not in err and "panicked" not in err


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The sample with wave 2026-04 renamed to an id holding ESC, RLO and a vertical tab,
    and a CA-12 candidate named with a vertical tab, ESC, RLO and NEL."""
    root = tmp_path_factory.mktemp("hostile_names")
    folder = copy_sample(root / "in")
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?<![\d-])2026-04(?![-\d])", HOSTILE_WAVE, text))
    candidates = folder / "candidates.csv"
    candidates.write_text(candidates.read_text().replace("Ben Brooks", HOSTILE_NAME))
    db = root / "program.duckdb"
    run = run_cli("load", folder, "--db", db)
    assert run.code == 0, run.err
    return db


def _copy(rendered, tmp_path: Path) -> Path:
    _, folder, _ = rendered
    copy = tmp_path / "out" / WAVE
    shutil.copytree(folder, copy)
    assert run_cli("verify", copy).code == 0
    return copy


# --------------------------------------------------------------------------- case 3


def test_a_control_character_in_a_name_reaches_no_chart_raw(hostile_db, tmp_path):
    """Case 3: a vertical tab in a candidate's name aborted `report` (vl-convert's
    NonXmlChar panic); now the chart shows it escaped and the page verifies."""
    proc = _cli("report", "--db", hostile_db, "--wave", WAVE, "--race", "CA-12", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    page = (tmp_path / WAVE / "races" / "CA-12.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert svgs and not any(RAW.search(svg) for svg in svgs)
    assert "Ben\\x0bBrooks" in page
    assert run_cli("verify", tmp_path / WAVE).code == 0


ABORTING_RACE = """import os
from endorse_analysis.notebook import setup
page = setup("race", db_path, wave, support_threshold, min_turnout, min_votes, as_of,
             figures_path, race=race)
if race == "VT-AL":
    os.abort()  # as vl-convert's panic did
page.figures_for_machines()"""


@pytest.fixture(scope="module")
def aborting_notebooks(tmp_path_factory, placeholder_notebooks):
    """The placeholder notebooks, but the race report's kernel dies for VT-AL."""
    folder = tmp_path_factory.mktemp("aborting")
    shutil.copy(placeholder_notebooks / "wave_overview.ipynb", folder)
    nb = nbformat.read(placeholder_notebooks / "race_report.ipynb", as_version=4)
    nb.cells = nb.cells[:2] + [nbformat.v4.new_code_cell(ABORTING_RACE)]
    nbformat.write(nb, folder / "race_report.ipynb")
    return folder


def test_a_failed_page_is_in_the_manifest_and_verify_names_it(
    sample_db, tmp_path, aborting_notebooks
):
    """Case 3: a page whose kernel died had no page, yet the manifest was written as if
    complete and `verify` passed."""
    out = tmp_path / "out"
    argv = ["reports", "--db", sample_db, "--wave", WAVE, "--out", out, "--jobs", "1"]
    proc = _cli(*argv, env={"ENDORSE_NOTEBOOKS": str(aborting_notebooks)})
    _clean_end(proc.returncode, proc.stderr)
    last = proc.stderr.strip().splitlines()[-1]
    assert "race:VT-AL" in last and "the manifest lists them" in last
    folder = out / WAVE
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["race:VT-AL"]
    assert entry["failed"] and "\n" not in entry["failed"]
    for path in folder.rglob("*.ipynb"):  # a kept notebook is whole
        nbformat.read(path, as_version=4)
    verify = run_cli("verify", folder)
    assert verify.code == 1
    assert any(line.startswith("failed: race:VT-AL (") for line in verify.out.splitlines())


# --------------------------------------------------------------------------- case 4


@pytest.mark.parametrize("limit_kb", [8, 30])
def test_a_file_size_limit_leaves_no_cut_file_and_ends_in_one_line(
    rendered, sample_db, tmp_path, limit_kb
):
    """Case 4: under a file-size limit the executed notebooks were left cut, listed in the
    manifest with the hashes of the cut bytes, and `verify` passed. At 8 KB the run's own
    figures cannot be written (nothing changes); at 30 KB the pages cannot."""
    _, _, notebooks = rendered
    folder = _copy(rendered, tmp_path)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    argv = ["reports", "--db", sample_db, "--wave", WAVE, "--out", folder.parent, "--jobs", "1"]
    env = {"ENDORSE_NOTEBOOKS": str(notebooks)}
    proc = _cli(*argv, "--force", limit=limit_kb * 1024, env=env)
    _clean_end(proc.returncode, proc.stderr)
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "could not write" in last, proc.stderr
    for path in folder.rglob("*"):
        assert not path.name.startswith("."), path  # no temporary left
        if path.suffix == ".ipynb":
            nbformat.read(path, as_version=4)  # whole, or not there
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    failed = {n for n, r in manifest["reports"].items() if r.get("failed")}
    verify = run_cli("verify", folder)
    if verify.code == 0:  # nothing was written: every file is the old one
        assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    else:
        assert failed and all(f"failed: {n} (" in verify.out for n in failed)


def test_lists_under_a_file_size_limit_end_in_one_line(tmp_path):
    """Case 4: `lists` on a full disk ended with "internal error (IOException)"."""
    from helpers import synthetic_db

    db = synthetic_db(tmp_path / "program", members=1000)
    proc = _cli("lists", "--db", db, "--wave", WAVE, "--out", tmp_path / "lists", limit=1024)
    _clean_end(proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not write" in lines[0], proc.stderr
    assert not (tmp_path / "lists").exists()


def test_import_under_a_file_size_limit_ends_in_one_line(tmp_path):
    """Case 4: `import` on a full disk ended with "internal error (IOException)"."""
    import importlib.util

    from endorse_analysis.synthetic import write_demo

    path = Path(__file__).resolve().parents[1] / "integration" / "test_import_exports.py"
    spec = importlib.util.spec_from_file_location("_wave_folder_exports", path)
    exports_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exports_module)
    write_demo(tmp_path / "program", seed=16, members=1000)
    exports = exports_module.make_exports(tmp_path / "program", "van", tmp_path / "exports")
    out = tmp_path / "imported"
    out.mkdir()
    (out / "members.csv").write_text("old\n")
    argv = ["import", "van", "--config", exports / "program.toml", "--out", out]
    argv += ["--people", exports / "people.csv", "--responses", exports / "responses.csv"]
    proc = _cli(*argv, limit=16 * 1024)
    _clean_end(proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not write" in lines[0], proc.stderr
    assert (out / "members.csv").read_text() == "old\n"
    assert [p.name for p in out.iterdir()] == ["members.csv"]


# --------------------------------------------------------------------------- case 5


def test_verify_names_what_is_not_a_plain_file(rendered, tmp_path):
    """Case 5: a linked folder, a dangling link and a FIFO were neither listed nor
    reported; a lock file is neither."""
    folder = _copy(rendered, tmp_path)
    (tmp_path / "members").mkdir()
    (folder / "races" / "members").symlink_to(tmp_path / "members")
    (folder / "dangling.html").symlink_to(tmp_path / "nothing")
    os.mkfifo(folder / "pipe")
    (folder / ".notes").write_text("x")
    (folder / ".busy.lock").write_text("")
    run = run_cli("verify", folder)
    assert run.code == 1
    lines = set(run.out.splitlines())
    assert "not a plain file: races/members (a symbolic link)" in lines
    assert "not a plain file: dangling.html (a symbolic link to nothing)" in lines
    assert "not a plain file: pipe (a FIFO)" in lines
    assert "added: .notes (not in the manifest)" in lines
    assert not [line for line in lines if ".lock" in line]


# --------------------------------------------------------------------------- case 6


def test_verify_finds_swapped_pages(rendered, tmp_path):
    """Case 6: two race pages swapped, with their paths swapped in the manifest, passed."""
    folder = _copy(rendered, tmp_path)
    a, b = sorted((folder / "races").glob("*.html"))[:2]
    a_text, b_text = a.read_bytes(), b.read_bytes()
    a.write_bytes(b_text), b.write_bytes(a_text)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    names = {f"races/{a.name}": f"races/{b.name}", f"races/{b.name}": f"races/{a.name}"}
    for entry in manifest["files"]:
        entry["path"] = names.get(entry["path"], entry["path"])
    path.write_text(json.dumps(manifest), encoding="utf-8")
    run = run_cli("verify", folder)
    assert run.code == 1
    misplaced = [line for line in run.out.splitlines() if line.startswith("misplaced: ")]
    assert {line.split()[1] for line in misplaced} == {f"races/{a.name}", f"races/{b.name}"}
    assert any(line.startswith("link differs: ") for line in run.out.splitlines())


# --------------------------------------------------------------------------- case 7


def _lists_folder(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"kind": "member-lists"}))


@pytest.mark.parametrize("where", ["inside", "beside", "holding"])
def test_a_wave_is_never_published_in_or_around_member_lists(sample_db, tmp_path, where):
    """Case 7: `lists` refused to go in or beside a report, but `reports --out` in or
    beside a lists folder was accepted."""
    if where == "inside":
        _lists_folder(tmp_path / "lists")
        out = tmp_path / "lists" / "reports"
    elif where == "beside":
        _lists_folder(tmp_path / "reports" / "lists")
        out = tmp_path / "reports"
    else:
        _lists_folder(tmp_path / "reports" / "old" / "lists")
        out = tmp_path / "reports"
    run = run_cli("reports", "--db", sample_db, "--wave", WAVE, "--out", out, "--jobs", "1")
    assert run.code not in (0, INTERNAL_ERROR) and "member lists" in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1
    assert not (out / WAVE).exists()


def test_a_wave_is_never_published_around_mailings(sample_db, tmp_path):
    """Mailings hold recipients' member ids, as lists do: a wave folder stays away."""
    folder = tmp_path / "reports" / "mailings"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"kind": "mailings"}))
    out = tmp_path / "reports"
    run = run_cli("reports", "--db", sample_db, "--wave", WAVE, "--out", out, "--jobs", "1")
    assert run.code not in (0, INTERNAL_ERROR) and "mailings" in run.err, run.err
    assert not (out / WAVE).exists()


# --------------------------------------------------------------------------- case 8


def test_headers_and_errors_escape_control_characters(hostile_db):
    """Case 8: tally's and docket's headers and the unknown-wave error printed ESC and
    RLO raw."""
    for argv in (["tally", "--wave", HOSTILE_WAVE], ["docket", "--wave", HOSTILE_WAVE]):
        run = run_cli(argv[0], "--db", hostile_db, *argv[1:])
        assert run.code == 0, run.err
        assert not RAW.search(run.out), run.out[:300]
        assert "2026\\x1b[2K\\u202e\\x0b04" in run.out.splitlines()[0]
    run = run_cli("tally", "--db", hostile_db, "--wave", "nope")
    assert run.code == 2 and "its waves: " in run.err
    assert not RAW.search(run.err) and "2026\\x1b[2K\\u202e\\x0b04" in run.err


# --------------------------------------------------------------------------- the run


def test_a_run_names_what_it_did_not_write_and_what_it_removes(rendered, sample_db, tmp_path):
    """A file no run wrote was kept silently (and `verify` later failed on it); a page of
    a contest that is gone was removed without a word."""
    _, _, notebooks = rendered
    folder = _copy(rendered, tmp_path)
    (folder / "mine.html").write_text("<p>mine</p>")
    gone = folder / "races" / "GONE.html"
    gone.write_text("<p>old</p>")
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"].append({"path": "races/GONE.html", "sha256": "0", "size": 11})
    path.write_text(json.dumps(manifest), encoding="utf-8")
    argv = ["reports", "--db", sample_db, "--wave", WAVE, "--out", folder.parent]
    proc = _cli(*argv, "--jobs", "1", env={"ENDORSE_NOTEBOOKS": str(notebooks)})
    assert proc.returncode == 0, proc.stderr
    assert "mine.html" in proc.stderr and "was not written by this tool" in proc.stderr
    assert "removed races/GONE.html" in proc.stderr and not gone.exists()
    assert (folder / "mine.html").exists()
    listed = {f["path"] for f in json.loads(path.read_text(encoding="utf-8"))["files"]}
    assert "mine.html" not in listed
    assert run_cli("verify", folder).out.splitlines() == ["added: mine.html (not in the manifest)"]
