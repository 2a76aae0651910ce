"""The rendered pages in a real headless Chromium, offline:
every image decodes, every SVG has a size, nothing is requested over http(s), and no
script smuggled in through the data runs. A full-page screenshot goes to tests/artifacts/."""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/lib/chromium/chromium")
CHROMEDRIVER = os.environ.get(
    "CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver"
)
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1000,1000",
]
HOOK = """
window.__alerts = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = function (message) { window.__alerts.push(name + ':' + String(message)); };
}
"""
CHECK = """
const images = Array.from(document.images).map(i => ({
  src: i.src.slice(0, 60), complete: i.complete, width: i.naturalWidth}));
const svgs = Array.from(document.querySelectorAll('svg')).map(s => {
  const box = s.getBoundingClientRect(); return {w: box.width, h: box.height}; });
const requests = performance.getEntriesByType('resource').map(r => r.name)
  .filter(n => /^https?:/i.test(n));
return {images, svgs, requests, alerts: window.__alerts || [], title: document.title,
        text: document.body ? document.body.innerText.length : 0};
"""


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        pytest.skip(
            f"headless Chromium not found ({CHROMIUM}, {CHROMEDRIVER}): install it with "
            "apt-get install -y --no-install-recommends chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def check_page(driver, page: Path, screenshot: str) -> dict:
    driver.get(page.resolve().as_uri())
    state = driver.execute_script(CHECK)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / screenshot).write_bytes(base64.b64decode(shot["data"]))
    assert state["text"] > 0, page
    for image in state["images"]:
        assert image["complete"] and image["width"] > 0, (page, image)
    for box in state["svgs"]:
        assert box["w"] > 0 and box["h"] > 0, (page, box)
    assert state["requests"] == [], page
    assert state["alerts"] == [], page
    return state


def test_index_and_a_report_render_offline(browser, rendered):
    _, folder, _ = rendered
    check_page(browser, folder / "index.html", "index.png")
    reports = sorted((folder / "races").glob("*.html"))
    state = check_page(browser, reports[0], "report.png")
    assert state["images"] or state["svgs"], "a report without a chart"
    check_page(browser, folder / "overview.html", "overview.png")


def test_script_names_and_path_ids_do_not_run_or_break(browser, render_nasty):
    _, _, index = render_nasty
    check_page(browser, index, "nasty-index.png")
    # the report of race `../../x`, whose top candidate is named <script>alert(1)</script>
    check_page(browser, index.parent / "races" / "%2E%2E%2F%2E%2E%2Fx.html", "nasty-report.png")
