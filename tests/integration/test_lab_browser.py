"""The analyst's lab in a real browser, offline: JupyterLab started as `make lab` starts it
(notebooks/lab_config.py: as root too), an explore notebook opened and run in headless
Chromium, and its charts drawn interactively by vega-embed from the bundle the package
ships, with no http(s) request beyond the lab itself. A tooltip with a state's name and
figures appears under the pointer; tables keep every column (they scroll) and their ids on
one line. A screenshot goes to tests/artifacts/lab-explore_reach.png."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from chromium import ARTIFACTS, chromium

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "endorse-lab-test"
NOTEBOOK = "explore_reach"
CHARTS = 3  # the reach notebook draws three charts

STATE = """
const app = window.jupyterapp;
const panel = app && app.shell.currentWidget;
const kernel = panel && panel.sessionContext && panel.sessionContext.session
  && panel.sessionContext.session.kernel;
const prompts = Array.from(document.querySelectorAll('.jp-InputArea-prompt'))
  .map(p => p.textContent.trim());
return {
  ready: !!(panel && panel.content && panel.content.widgets),
  kernel: kernel ? kernel.status : null,
  running: prompts.filter(p => p.includes('*')).length,
  charts: document.querySelectorAll('.jp-OutputArea .vega-embed svg.marks').length,
  errors: Array.from(document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.innerText.slice(0, 300))
    .concat(Array.from(document.querySelectorAll('.jp-OutputArea-output'))
      .map(e => e.innerText).filter(t => /JavaScript Error|Error displaying widget/.test(t))
      .map(t => t.slice(0, 300))),
};
"""
LAYOUT = """
const origin = arguments[0];
const requests = performance.getEntriesByType('resource').map(r => r.name)
  .filter(n => /^https?:/i.test(n) && !n.startsWith(origin));
const tables = Array.from(document.querySelectorAll('.jp-OutputArea-output table'));
const hidden = tables.filter(t => {
  const box = t.parentElement;
  return getComputedStyle(box).overflowX !== 'auto' || t.scrollWidth > box.scrollWidth + 1;
}).length;
const wrapped = [];
for (const cell of document.querySelectorAll('.jp-OutputArea-output td')) {
  if (getComputedStyle(cell).whiteSpace !== 'nowrap') continue;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
  if (lines.size > 1) wrapped.push(cell.textContent);
}
const nowrap = Array.from(document.querySelectorAll('.jp-OutputArea-output td'))
  .filter(c => getComputedStyle(c).whiteSpace === 'nowrap').length;
return {requests, tables: tables.length, hidden, wrapped, nowrap,
        alerts: window.__alerts || []};
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(what: str, condition, timeout: float = 60.0, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture()
def lab(sample_db, tmp_path):
    """JupyterLab on a copy of notebooks/ (so nothing is saved into the repository), with
    the settings `make lab` uses, on a free port; yields its base URL."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", folder)
    # Every cell drawn, not only those near the viewport, so that the test sees them all;
    # and no question about Jupyter's news over the page.
    settings = tmp_path / "settings" / "@jupyterlab"
    for plugin, values in (
        ("notebook-extension/tracker", '{"windowingMode": "none"}'),
        ("apputils-extension/notification", '{"fetchNews": "false"}'),
    ):
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(values, encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "ENDORSE_DB": str(sample_db), "JUPYTER_CONFIG_DIR": str(tmp_path)}
    env.pop("ENDORSE_CHARTS", None)
    log = open(tmp_path / "lab.log", "w")  # closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--allow-root", "--no-browser",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
         f"--notebook-dir={folder}", f"--config={ROOT / 'notebooks' / 'lab_config.py'}",
         "--LabApp.expose_app_in_browser=True",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError((tmp_path / "lab.log").read_text())
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                return True
        except OSError:
            return False

    try:
        _wait("JupyterLab to start", up)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _screenshot(driver: WebDriver, name: str) -> None:
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def test_an_explore_notebook_runs_in_the_lab_with_interactive_charts_offline(lab):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    with chromium("1400,1000", local_server=True) as driver:
        driver.get(f"{lab}/lab/tree/{NOTEBOOK}.ipynb?token={TOKEN}")
        _wait("the notebook", lambda: driver.execute_script(STATE)["ready"])
        _wait("the kernel", lambda: driver.execute_script(STATE)["kernel"] == "idle")
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")

        def finished():
            state = driver.execute_script(STATE)
            assert not state["errors"], state["errors"]
            return state if state["running"] == 0 and state["charts"] >= CHARTS else None

        try:
            state = _wait("every cell and chart", finished, timeout=60)
        except AssertionError:
            _screenshot(driver, "lab-failed")
            raise AssertionError(driver.execute_script(STATE)) from None
        assert state["charts"] >= CHARTS

        # a tooltip names the state under the pointer, with its figures
        point = driver.find_elements(By.CSS_SELECTOR, ".vega-embed svg .mark-symbol path")[0]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
        ActionChains(driver).move_to_element(point).perform()
        tip = _wait(
            "a tooltip",
            lambda: driver.execute_script(
                "const t = document.querySelector('#vg-tooltip-element.visible');"
                "return t && t.innerText;"
            ),
            timeout=10,
        )
        assert "potential voters" in tip and "local groups" in tip, tip

        layout = driver.execute_script(LAYOUT, lab)
        _screenshot(driver, f"lab-{NOTEBOOK}")
    assert layout["requests"] == [], "a request left the machine"
    assert layout["alerts"] == []
    assert layout["tables"] >= 3 and layout["hidden"] == 0, layout
    assert layout["nowrap"] > 0 and layout["wrapped"] == [], layout["wrapped"]
