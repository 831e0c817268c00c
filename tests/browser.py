"""A real browser for the Mini App's tests: Playwright driving Debian's Chromium (browser downloads are
unreachable here, and the system's Chromium is what CI installs: `.ci/run`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from playwright.async_api import Browser, Page, async_playwright

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


@asynccontextmanager
async def phone_page(*, width: int = 360, height: int = 740) -> AsyncIterator[Page]:
    """A page of a 360-px-wide phone, in French, in a fresh Chromium."""
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": width, "height": height}, is_mobile=True,
                                            has_touch=True, locale="fr-FR")
        yield await context.new_page()
