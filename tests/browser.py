"""A real browser for the Mini App's tests: Playwright driving Debian's Chromium (browser downloads are
unreachable here, and the system's Chromium is what CI installs: `.ci/run`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from playwright.async_api import Browser, async_playwright

CHROMIUM = os.environ.get("TUTORBOT_TEST_CHROMIUM", "/usr/bin/chromium")


def chromium_path() -> str:
    """Debian's Chromium; missing, the test fails under CI=true (it must run there) and is skipped elsewhere."""
    if os.path.exists(CHROMIUM) or shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs Debian's `chromium`")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    executable = chromium_path()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()
