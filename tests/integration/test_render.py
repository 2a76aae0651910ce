"""Rendering (reports/): reports per contest, index, manifest/verify, skip, filename
safety, privacy, HTML escaping, and warm kernels that behave like cold ones."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from endorse_analysis import reports as render
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.tally import tally
from endorse_analysis.cli import main
from endorse_analysis.reports import execute
from endorse_analysis.reports.plan import notebooks_dir
from endorse_analysis.rules import Thresholds

# the same values as the `render_nasty` and `rendered` fixtures of conftest.py
WAVE = "2026-03"
CANARY_ID = "CANARY-MEMBER-7f3a"
CANARY_EMAIL = "canary-7f3a@example.org"
SCRIPT = "<script>alert(1)</script>"


def contests(db: Path, wave: str) -> list[dict]:
    with connect(db) as con:
        frame = tally(con, wave, Thresholds())
    return frame[["race_id", "decision", "final_decision"]].to_dict("records")


# --- names -------------------------------------------------------------------------------


def test_safe_name_keeps_plain_ids_and_escapes_the_rest():
    assert render.safe_name("CA-12") == "CA-12"
    assert render.safe_name("MI_SEN") == "MI_SEN"
    assert render.safe_name("a/b") == "a%2Fb"
    assert render.safe_name("../../x") == "%2E%2E%2F%2E%2E%2Fx"
    assert render.safe_name("%2F") == "%252F"  # the escape character escapes itself
    assert render.safe_name("") == "%"
    assert render.safe_name("é") == "%C3%A9"
    long = render.safe_name("/" * 400)
    assert len(long) < 200 and re.fullmatch(r"[A-Za-z0-9_%-]+", long)


@given(st.text(max_size=60), st.text(max_size=60))
def test_safe_name_is_injective_and_filename_safe(a, b):
    name_a, name_b = render.safe_name(a), render.safe_name(b)
    assert re.fullmatch(r"[A-Za-z0-9_%-]+", name_a)
    assert name_a not in (".", "..")
    if a != b:
        assert name_a != name_b


# --- one wave of the sample ----------------------------------------------------------------


def test_one_report_per_contest_naming_its_decision(rendered, render_sample_db):
    out, folder, _ = rendered
    rows = contests(render_sample_db, WAVE)
    assert rows
    pages = sorted(p.name for p in (folder / "races").glob("*.html"))
    assert pages == sorted(f"{render.safe_name(r['race_id'])}.html" for r in rows)
    for row in rows:
        base = folder / "races" / render.safe_name(row["race_id"])
        page = base.with_suffix(".html").read_text(encoding="utf-8")
        assert row["decision"] in page, row
        assert base.with_suffix(".ipynb").is_file()
    assert (folder / "overview.html").is_file()


def test_index_lists_every_contest_with_decision_and_link(rendered, render_sample_db):
    _, folder, _ = rendered
    index = (folder / "index.html").read_text(encoding="utf-8")
    for row in contests(render_sample_db, WAVE):
        href = f'href="races/{render.safe_name(row["race_id"])}.html"'
        assert href in index
        tr = f'<tr data-race="{row["race_id"]}" data-final="{row["final_decision"]}" '
        assert tr in index
        assert index.index(href) > index.index(tr)
    assert 'href="overview.html"' in index


def test_pages_load_nothing_from_a_network_and_show_no_code(rendered):
    _, folder, _ = rendered
    for page in folder.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""\bsrc\s*=\s*["']?\s*(https?:)?//""", text, re.I), page
        assert not re.search(r"<link[^>]*href", text, re.I), page
        assert "require.js" not in text and "MathJax" not in text, page
        assert "Content-Security-Policy" in text
        assert "page = setup" not in text and "figures_path" not in text  # no code


def test_manifest_verifies_then_reports_tampering(rendered, tmp_path):
    _, folder, _ = rendered
    assert render.verify(folder) == []
    manifest = json.loads((folder / "manifest.json").read_text())
    run = manifest["run"]
    assert run["input_fingerprint"] and run["support_threshold"] == "0.6"
    assert run["snapshot_id"] and run["as_of"] is None
    assert manifest["version"] and manifest["rendered_at"]
    paths = {f["path"] for f in manifest["files"]}
    assert "index.html" in paths and any(p.startswith("races/") for p in paths)
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"])

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    page = next((copy / "races").glob("*.html"))
    page.write_text(page.read_text() + "<!-- edited -->")
    (copy / "overview.ipynb").unlink()
    (copy / "extra.txt").write_text("hello")
    lines = render.verify(copy)
    assert f"changed: races/{page.name}" in lines
    assert "missing: overview.ipynb" in lines
    assert any(line.startswith("added: extra.txt") for line in lines)
    assert len(lines) == 3
    assert main(["verify", str(copy)]) == 1
    assert main(["verify", str(folder)]) == 0


def test_rerun_skips_unchanged_reports(rendered, render_sample_db, capsys):
    out, folder, notebooks = rendered
    before = {p: p.stat().st_mtime_ns for p in (folder / "races").iterdir()}
    render.render_wave(render_sample_db, WAVE, out, Thresholds(), jobs=1, notebooks=notebooks)
    err = capsys.readouterr().err
    assert "unchanged" in err and "skipped" in err
    assert {p: p.stat().st_mtime_ns for p in (folder / "races").iterdir()} == before
    assert render.verify(folder) == []


def test_report_for_unknown_race_or_wave_is_one_clear_line(
    render_sample_db, tmp_path, capsys, placeholder_notebooks, monkeypatch
):
    monkeypatch.setenv("ENDORSE_NOTEBOOKS", str(placeholder_notebooks))
    base = ["report", "--db", str(render_sample_db), "--out", str(tmp_path)]
    assert main([*base, "--wave", WAVE, "--race", "NO-SUCH"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: race 'NO-SUCH' is not in the database "
        "(its contests: CA-12, CA-GOV, MI-11, MI-SEN, VT-AL, VT-GOV)"
    )
    assert main([*base, "--wave", WAVE, "--race", "ca-12"]) == 2
    assert "did you mean 'CA-12'?" in capsys.readouterr().err
    assert main([*base, "--wave", "1999-01", "--race", "CA-12"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "1999-01" in err
    assert main(["verify", str(tmp_path)]) == 2  # no manifest: one line
    assert "manifest.json" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.html"))


# --- render_nasty ids, injection and privacy ---------------------------------------------------


def test_nasty_race_ids_stay_inside_the_output_folder(render_nasty):
    db, out, index = render_nasty
    races = {r["race_id"] for r in contests(db, WAVE)}
    assert {"../../x", "a/b"} <= races
    files = [p for p in out.parent.rglob("*") if p.is_file()]
    assert all(p.resolve().is_relative_to(out.resolve()) for p in files)
    folder = index.parent
    assert (folder / "races" / "%2E%2E%2F%2E%2E%2Fx.html").is_file()
    assert (folder / "races" / "a%2Fb.html").is_file()
    text = index.read_text(encoding="utf-8")
    assert 'href="races/a%252Fb.html"' in text  # the file name, URL-quoted
    assert render.verify(folder) == []


def test_names_from_the_data_are_escaped_everywhere(render_nasty):
    _, out, index = render_nasty
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index.read_text(encoding="utf-8")
    for page in out.rglob("*.html"):
        assert SCRIPT not in page.read_text(encoding="utf-8"), page


def test_no_member_id_or_email_in_any_rendered_file(render_nasty):
    _, out, _ = render_nasty
    checked = 0
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert CANARY_ID.encode() not in data, path
            assert CANARY_EMAIL.encode() not in data, path
            checked += 1
    assert checked > 5


# --- warm kernels ------------------------------------------------------------------------


def _normalized(text: str, out: Path) -> str:
    text = text.replace(str(out), "OUT")  # the output folder
    return re.sub(r"T_[0-9a-f]{5}", "T_x", text)  # pandas Styler ids differ between runs


def _normalized_outputs(path: Path, out: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        outputs = _normalized(json.dumps(cell.get("outputs", []), sort_keys=True), out)
        source = _normalized(cell.source, out)
        cells.append((cell.cell_type, source, cell.get("execution_count"), outputs))
    return cells


def test_no_state_leaks_between_reports_of_a_warm_kernel(
    render_sample_db, tmp_path, placeholder_notebooks
):
    """The placeholder report prints what an earlier report could have left behind (a
    variable, an env var, a pandas option, the Altair renderer, the execution count), then
    changes all of them; three reports in a row on one warm kernel must all see none."""
    for race in ("CA-12", "VT-AL", "CA-GOV"):
        render.render_race(render_sample_db, WAVE, race, tmp_path, notebooks=placeholder_notebooks)
    counts = set()
    for race in ("CA-12", "VT-AL", "CA-GOV"):
        page = (tmp_path / WAVE / "races" / f"{race}.html").read_text(encoding="utf-8")
        found = re.search(r"probe: False None 60 default (\d+)", page)
        assert found, race
        counts.add(found.group(1))
    assert len(counts) == 1  # the execution count starts afresh for every report
    assert render.verify(tmp_path / WAVE) == []


def test_warm_kernel_namespace_is_reset(rendered):
    kernel = execute._warm_kernel()  # the kernel that rendered the sample, still warm
    kernel._run("leak_marker = 42\nimport os\nos.environ['EA_LEAK_PROBE'] = 'x'")
    kernel.reports += 1
    kernel.reset()
    kernel._run(
        "import os\nassert 'leak_marker' not in globals()\n"
        "assert 'EA_LEAK_PROBE' not in os.environ\n"
        "assert get_ipython().execution_count == 1"
    )


def test_vetting_docket_is_rendered_beside_the_reports(render_sample_db, tmp_path):
    index = render.render_wave(
        render_sample_db, "2026-04", tmp_path, jobs=1, notebooks=notebooks_dir()
    )
    assert (index.parent / "vetting_docket.html").is_file()
    assert 'href="vetting_docket.html"' in index.read_text(encoding="utf-8")
    assert render.verify(index.parent) == []


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "in-process"])
def test_project_race_report_warm_equals_cold_and_in_process(
    rendered, render_sample_db, tmp_path, cold
):
    """The race report as the wave render made it (warm kernel, after other reports) and
    as a single `report` makes it (a fresh kernel, or inside the rendering process): equal
    apart from output folder, timestamps and ids."""
    out, folder, notebooks = rendered
    single = render.render_race(
        render_sample_db, WAVE, "VT-AL", tmp_path, cold=cold, notebooks=notebooks
    )
    stamp = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?")

    def norm(text: str, root: Path) -> str:
        return stamp.sub("TIME", _normalized(text, root))

    warm_page = (folder / "races" / "VT-AL.html").read_text(encoding="utf-8")
    assert norm(warm_page, out) == norm(single.read_text(encoding="utf-8"), tmp_path)
    warm_cells = _normalized_outputs(folder / "races" / "VT-AL.ipynb", out)
    single_cells = _normalized_outputs(single.with_suffix(".ipynb"), tmp_path)

    def plain(cells: list) -> list[str]:
        return [re.sub(r"(\\n|\s)+", " ", stamp.sub("TIME", str(c))) for c in cells]

    assert plain(warm_cells) == plain(single_cells)


def test_every_kernel_executes_through_papermill(rendered, render_sample_db, tmp_path):
    """Papermill runs every report, on a warm kernel or in-process alike: it injects the
    parameters in a cell of its own and records the run and each cell in its metadata."""
    import papermill

    out, folder, notebooks = rendered
    single = render.render_race(render_sample_db, WAVE, "VT-AL", tmp_path, notebooks=notebooks)
    for path in (folder / "races" / "VT-AL.ipynb", single.with_suffix(".ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata.papermill["version"] == papermill.__version__
        assert nb.metadata.papermill["parameters"]["race"] == "VT-AL"
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        assert tags.index(["injected-parameters"]) == tags.index(["parameters"]) + 1
        states = {c.metadata.papermill["status"] for c in nb.cells}
        assert states == {"completed"}
        assert all(c.execution_count for c in nb.cells if c.cell_type == "code")


def _notebook(path: Path, *sources: str) -> Path:
    """A notebook of these code cells, its first tagged `parameters` (db_path)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Py", "language": "python"}
    first = nbformat.v4.new_code_cell('db_path = ""')
    first.metadata["tags"] = ["parameters"]
    nb.cells = [first, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("kernel", [execute.WARM, execute.IN_PROCESS])
def test_values_json_cannot_hold_are_sent_as_jupyter_sends_them(rendered, tmp_path, kernel):
    """A cell displaying a numpy integer or a datetime fails neither the report nor the
    batch: the value is written as Jupyter's own messages carry it."""
    notebook = _notebook(
        tmp_path / "values.ipynb",
        "import datetime, numpy as np\n"
        "display({'application/json': {'n': np.int64(3), 't': datetime.date(2026, 3, 1)}},"
        " raw=True)",
    )
    nb = execute.execute(notebook, tmp_path / "out.ipynb", {"db_path": "x"}, kernel)
    assert nb.cells[-1].outputs[0]["data"]["application/json"] == {"n": 3, "t": "2026-03-01"}


def test_a_report_in_process_leaves_the_caller_as_it_was(rendered, tmp_path):
    """The in-process shell gives back `__main__` and lets the caller's garbage be
    collected again (nothing stays frozen out of the collector)."""
    import gc
    import sys

    main_before = sys.modules["__main__"]
    notebook = _notebook(tmp_path / "plain.ipynb", "x = 1")
    execute.execute(notebook, tmp_path / "out.ipynb", {"db_path": "x"}, execute.IN_PROCESS)
    assert sys.modules["__main__"] is main_before
    assert gc.get_freeze_count() == 0


def test_a_warm_kernel_forgets_the_time_zone_a_report_set(rendered, tmp_path):
    """A report that sets TZ and calls tzset leaves the next report in the zone of the
    kernel's start, as it leaves its other settings (numpy's errors, decimal's context)."""
    changed = _notebook(
        tmp_path / "zone.ipynb",
        "import decimal, os, time, numpy as np\nos.environ['TZ'] = 'Asia/Tokyo'\ntime.tzset()\n"
        "np.seterr(all='raise')\ndecimal.getcontext().prec = 3",
    )
    probe = _notebook(
        tmp_path / "probe.ipynb",
        "import decimal, time, numpy as np\n"
        "print(time.tzname[0], np.geterr()['divide'], decimal.getcontext().prec)",
    )
    before = execute.execute(probe, tmp_path / "a.ipynb", {"db_path": "x"}, execute.WARM)
    execute.execute(changed, tmp_path / "b.ipynb", {"db_path": "x"}, execute.WARM)
    after = execute.execute(probe, tmp_path / "c.ipynb", {"db_path": "x"}, execute.WARM)
    assert after.cells[-1].outputs == before.cells[-1].outputs
    assert "JST" not in after.cells[-1].outputs[0]["text"]


def test_a_failed_report_keeps_its_notebook_without_the_machines_paths(rendered, tmp_path):
    """The executed notebook of a failed report is kept to see why, with the database's
    path written as its file name, in its parameters and in the error it printed."""
    secret = tmp_path / "secret-folder" / "db.duckdb"
    notebook = _notebook(tmp_path / "fail.ipynb", "raise FileNotFoundError(db_path)")
    ipynb, page = tmp_path / "out" / "t.ipynb", tmp_path / "out" / "t.html"
    ipynb.parent.mkdir()
    task = {
        "name": "t",
        "notebook": str(notebook),
        "ipynb": str(ipynb),
        "html": str(page),
        "parameters": {"db_path": str(secret)},
        "kernel": execute.WARM,
        "title": "t",
        "subtitle": "",
        "index_href": "index.html",
    }
    result = execute.render_task(task)
    assert not result["ok"] and result["kept"] and not result["fatal"]
    text = ipynb.read_text(encoding="utf-8")
    assert "db.duckdb" in text and "secret-folder" not in text and str(tmp_path) not in text
    assert not page.exists()
