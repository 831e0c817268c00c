"""Debian's Chromium driven by Playwright (async): the browser the Mini App tests open the page in.

Locally, a machine without Chromium or Playwright skips those tests; in CI (CI=true) their absence is a failure,
since .ci/run installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

CHROMIUM = os.environ.get("TUTORBOT_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _missing(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing: .ci/run installs it for the browser tests")
    pytest.skip(f"{what} is not installed (CI installs it)")


@asynccontextmanager
async def phone_page(*, width: int = 360, height: int = 740) -> AsyncIterator[object]:
    """A page of a 360-px-wide phone in a fresh Chromium."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _missing("Playwright (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        _missing("Chromium (apt-get install chromium)")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = await browser.new_context(viewport={"width": width, "height": height}, is_mobile=True,
                                                has_touch=True, locale="fr-FR")
            yield await context.new_page()
        finally:
            await browser.close()
