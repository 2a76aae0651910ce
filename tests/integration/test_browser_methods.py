"""A ranked and an approval race page (contract §5) in a real headless Chromium, offline,
at 1400 px and 400 px: the checks of test_browser (images, SVG sizes and labels, no
request, no sideways scroll, every chart described), the rounds table and runoff chart of
a ranked page, and the approval shares of an approval page. Screenshots go to
tests/artifacts/ for a reviewer to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chromium import chromium
from helpers import run_cli
from test_browser import WIDTHS, check_page

pytestmark = pytest.mark.browser
CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def method_pages(tmp_path_factory) -> dict[str, Path]:
    """The TX-SEN page of the ranked case (four rounds) and the CA-SEN page of the approval
    case, rendered by the command line."""
    root = tmp_path_factory.mktemp("methods")
    pages = {}
    for case, wave, race in (
        ("ranked_stop_rules", "R", "TX-SEN"),
        ("approval_outcomes", "A", "CA-SEN"),
    ):
        folder = root / case
        shutil.copytree(CASES / case, folder)
        db = root / f"{case}.duckdb"
        assert run_cli("load", folder, "--db", db).code == 0
        out = root / f"{case}-pages"
        run = run_cli("report", "--db", db, "--wave", wave, "--race", race, "--out", out)
        assert run.code == 0, run.err
        pages[wave] = out / wave / "races" / f"{race}.html"
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_ranked_page_shows_every_round(browser, method_pages, width):
    page = method_pages["R"]
    state = check_page(browser, page, "report-ranked", width)
    assert len(state["charts"]) == 4, "tally, runoff, turnout and votes-over-time charts"
    assert any("round 4" in alt for alt in state["charts"]), "the runoff chart names each round"
    text = page.read_text(encoding="utf-8")
    assert "instant runoff" in text and "round 4" in text and "exhausted" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_approval_page_shows_shares_against_the_threshold(browser, method_pages, width):
    page = method_pages["A"]
    state = check_page(browser, page, "report-approval", width)
    assert state["charts"], "the approval shares chart"
    text = page.read_text(encoding="utf-8")
    assert "Counted by approval" in text
    assert "Approved by at least 60% of the ballots" in text
