"""Headless Chromium through chromedriver, set up one way for the scripts and the tests.

    with headless_chromium() as driver:
        driver.get("http://127.0.0.1:8000/")

Debian's `chromium` and `chromium-driver` packages (or Google Chrome) are looked for
on PATH; `available()` says whether both are there. Each browser gets a throwaway
profile, removed when it quits, and no background traffic of its own (updates, sync,
QUIC), so what it fetches is what the page asked for."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

BINARY = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")
MISSING = "headless Chromium and chromedriver are needed (apt-get install chromium chromium-driver)"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--disable-quic")


def available() -> bool:
    return bool(BINARY and DRIVER)


@contextmanager
def headless_chromium(*, window_size: str | None = None, console_log: bool = False,
                      profile_prefix: str = "casehub-chromium-") -> Iterator:
    """A selenium driver for a fresh headless Chromium, quit and its profile removed on leaving.

    `window_size` ("1280,1000") sets the viewport; `console_log` keeps the page's console
    messages for `driver.get_log("browser")`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not available():
        raise RuntimeError(MISSING)
    profile = tempfile.mkdtemp(prefix=profile_prefix)
    try:
        options = webdriver.ChromeOptions()
        options.binary_location = BINARY
        for flag in (*FLAGS, f"--user-data-dir={profile}",
                     *([f"--window-size={window_size}"] if window_size else [])):
            options.add_argument(flag)
        if console_log:
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
