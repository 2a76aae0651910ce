"""Headless Chromium for the browser tests, offline (see shared/notes/browser-check.md).

Not a conftest: import it with ``from chromium import ...`` (tests/conftest.py puts this
folder on sys.path). Debian's Chromium and its driver; no browser is ever downloaded.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/lib/chromium/chromium")
CHROMEDRIVER = os.environ.get(
    "CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver"
)
# Every host but an IP literal resolves to nothing and the proxy is a dead port, so a page
# that asks the network for anything gets nothing (the request is still listed).
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


def skip_reason() -> str | None:
    """Why the browser tests cannot run here, naming what is missing (the browser, its
    driver, or both) and the Debian packages that bring them; None when they can."""
    needed = (("Chromium", CHROMIUM, "chromium"),
              ("its driver, chromedriver", CHROMEDRIVER, "chromium-driver"))  # fmt: skip
    missing = [(f"{what} ({path})", package) for what, path, package in needed
               if not Path(path).is_file()]  # fmt: skip
    if not missing:
        return None
    return (
        f"{' and '.join(what for what, _ in missing)} not found: install with apt-get "
        f"install -y --no-install-recommends {' '.join(package for _, package in missing)}"
    )


@contextlib.contextmanager
def chromium(window: str = "1000,1000", local_server: bool = False) -> Iterator[object]:
    """A headless Chromium driven by selenium, with alert/confirm/prompt hooked (a script
    smuggled in through the data is recorded rather than blocking the driver); with
    `local_server`, 127.0.0.1 (a server the test started) still resolves. Skips the test
    when Chromium or its driver is not installed, naming which."""
    missing = skip_reason()
    if missing:
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    flags = [f for f in FLAGS if not f.startswith("--window-size")]
    if local_server:
        flags = [f + ", EXCLUDE 127.0.0.1" if f.startswith("--host-resolver") else f for f in flags]
    for flag in [*flags, f"--window-size={window}", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": HOOK})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
