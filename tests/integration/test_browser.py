"""The rendered pages in a real headless Chromium, offline, at 1400 px and 400 px wide:
every image decodes, every SVG has a size and holds its labels, nothing is requested over
http(s), no script smuggled in through the data runs, no page scrolls sideways, no table
has an empty header row, every chart says what it shows, and the index lists first what
staff must act on. A full-page screenshot of each page kind at each width goes to
tests/artifacts/ for a reviewer to look at."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from chromium import ARTIFACTS, chromium

pytestmark = pytest.mark.browser

CHECK = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
  const images = Array.from(document.images).map(i => ({
    src: i.src.slice(0, 60), complete: i.complete, width: i.naturalWidth, alt: i.alt}));
  const svgs = Array.from(document.querySelectorAll('svg')).map(s => {
    const box = s.getBoundingClientRect(); return {w: box.width, h: box.height}; });
  const clipped = [];
  for (const svg of document.querySelectorAll('svg')) {
    const outer = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBoundingClientRect();
      if (!text.textContent.trim() || box.width === 0) continue;
      if (box.left < outer.left - 1 || box.right > outer.right + 1 ||
          box.top < outer.top - 1 || box.bottom > outer.bottom + 1) {
        clipped.push(text.textContent.slice(0, 40));
      }
    }
  }
  const emptyHeaders = Array.from(document.querySelectorAll('thead tr'))
    .filter(tr => !Array.from(tr.cells).some(c => c.textContent.trim())).length;
  const charts = Array.from(document.querySelectorAll('figure.endorse-chart'))
    .map(f => f.getAttribute('aria-label') || '');
  const requests = performance.getEntriesByType('resource').map(r => r.name)
    .filter(n => /^https?:/i.test(n));
  const root = document.documentElement;
  const context = (document.querySelector('.endorse-context') || {}).textContent || '';
  const calendar = (document.querySelector('.endorse-calendar') || {}).textContent || '';
  const finals = Array.from(document.querySelectorAll('tr[data-final]')).map(r => r.dataset.final);
  done({images, svgs, clipped, emptyHeaders, charts, requests, finals, context, calendar,
        alerts: window.__alerts || [], title: document.title,
        overflow: root.scrollWidth - root.clientWidth,
        text: document.body ? document.body.innerText.length : 0,
        body: document.body ? document.body.innerText : ''});
});
"""
DEFAULT_ALT = "No description has been provided for this image"
WIDTHS = (1400, 400)
ORDER = ["REVIEW", "ENDORSE", "NO_ENDORSEMENT", "NO_CANDIDATES"]  # awaiting a ruling first


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def check_page(driver, page: Path, screenshot: str, width: int = 1400) -> dict:
    """Load `page` at `width` px, check it, and save a full-page screenshot."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 700},
    )
    driver.get(page.resolve().as_uri())
    state = driver.execute_async_script(CHECK)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{screenshot}-{width}.png").write_bytes(base64.b64decode(shot["data"]))
    assert state["text"] > 0, page
    for image in state["images"]:
        assert image["complete"] and image["width"] > 0, (page, image)
        assert image["alt"] and image["alt"] != DEFAULT_ALT, (page, image)
    for box in state["svgs"]:
        assert box["w"] > 0 and box["h"] > 0, (page, box)
    assert state["clipped"] == [], (page, width, state["clipped"])
    assert state["overflow"] <= 0, (page, width, "scrolls sideways")
    assert state["emptyHeaders"] == 0, page
    assert all(alt and alt != DEFAULT_ALT for alt in state["charts"]), page
    assert state["requests"] == [], page
    assert state["alerts"] == [], page
    return state


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_renders_offline_and_fits(browser, rendered, width):
    _, folder, _ = rendered
    state = check_page(browser, folder / "index.html", "index", width)
    ranks = [ORDER.index(f) for f in state["finals"]]
    assert ranks and ranks[0] == 0, "contests awaiting a ruling come first"
    decided = [r for r in ranks if r > 0]
    assert decided == sorted(decided), "then by final decision"
    state = check_page(browser, folder / "races" / "CA-12.html", "report", width)
    assert len(state["charts"]) == 3, "the report's three charts"
    assert "2024 presidential result D+" in state["context"], "the race in its context"
    check_page(browser, folder / "races" / "MI-11.html", "report-no-candidates", width)
    state = check_page(browser, folder / "overview.html", "overview", width)
    assert len(state["charts"]) == 8, "the overview's charts, the lean and calendar ones included"
    check_page(browser, folder / "vetting_docket.html", "docket", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_primary_and_the_seat_show_offline(browser, rendered, width):
    _, folder, _ = rendered
    state = check_page(browser, folder / "races" / "VT-AL.html", "report-calendar", width)
    assert state["calendar"] == (
        "Primary August 11, 2026: 21 weeks after this wave closed. "
        "Incumbent: Becca Balint (Democrat) since 2023."
    )
    state = check_page(browser, folder / "vetting_docket.html", "docket-calendar", width)
    assert "before the primary" in state["body"] and "Becca Balint" in state["body"]
    state = check_page(browser, folder / "overview.html", "overview-calendar", width)
    assert any("weeks from the wave's close to the primary" in c for c in state["charts"])
    assert "weeks from close to primary" in state["body"]


def test_script_names_and_path_ids_do_not_run_or_break(browser, render_nasty):
    _, _, index = render_nasty
    check_page(browser, index, "nasty-index")
    # the report of race `../../x`, whose top candidate is named <script>alert(1)</script>
    check_page(browser, index.parent / "races" / "%2E%2E%2F%2E%2E%2Fx.html", "nasty-report")


def test_the_checks_catch_a_clipped_label_and_a_wide_page(browser, tmp_path):
    """The layout checks can fail: a label drawn past its chart's edge, and a page wider
    than the screen, are both caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><figure class='endorse-chart' aria-label='x'>"
        "<svg width='60' height='20'><text x='0' y='15'>a label much too long</text></svg>"
        "</figure><div style='width:3000px'>wide</div></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError) as caught:
        check_page(browser, page, "bad-example", 400)
    assert "a label much too long" in str(caught.value)
    (ARTIFACTS / "bad-example-400.png").unlink(missing_ok=True)
