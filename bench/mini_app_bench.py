"""The instructor's Mini App: the Learners API's latency for a class of 300, and the page's weight as served.

Fills a SQLite database as bench/stats_bench.py does (300 learners, 100 days of lessons, quiz answers, exercises
and group games), serves the Mini App (bot/webapp) on a free local port, and calls
`GET /api/class/{id}/learners` with a signed initData, one call after another, as a phone would: prints p50 and
p95 (target: p95 <= 150 ms). The first call computes the table (class_stats, as /class stats does); the next ones
find the class in the same state and reuse it (bot/services/mini_app_learners.py): the first call's time is what
a call after any change (an answer, a visit) costs, printed apart. The machine's load average is printed too:
figures on a shared machine are only comparable at the same load. Then fetches the page and every script and style sheet it loads, compressed as a
browser asks (Accept-Encoding: gzip), and prints their weight (target: <= 200 KB).

    .venv/bin/python bench/mini_app_bench.py --learners 300 --days 100 --calls 200
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import aiohttp  # noqa: E402
from stats_bench import CONTENT, populate  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.content import load_catalog  # noqa: E402
from bot.context import Services  # noqa: E402
from bot.local_api.web_app_data import signed_init_data  # noqa: E402
from bot.services.clock import ManualClock  # noqa: E402
from bot.services.unit_of_work import Database, LearnerDefaults  # noqa: E402
from bot.storage import make_engine  # noqa: E402
from bot.webapp.features import FEATURES  # noqa: E402
from bot.webapp.server import INIT_DATA_HEADER, WebAppServer  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-mini-app-000000"
INSTRUCTOR = 1  # the class's creator in stats_bench.populate
_ASSET = re.compile(r'(?:src|href)="(static/[^"]+)"')
# What the Lab tab loads when a terminal is first opened (static/tab-lab.js: loadXterm), not with the page
_LAB_TAB_ASSETS = ("static/vendor/xterm/xterm.css", "static/vendor/xterm/xterm.js", "static/vendor/xterm/addon-fit.js")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def learners_latency(base: str, class_id: int, calls: int) -> tuple[float, list[float], int]:
    """(the first call, the next ones, learners listed)."""
    init_data = signed_init_data(TOKEN, {"id": INSTRUCTOR, "first_name": "Prof", "language_code": "fr"})
    timings, rows = [], 0
    async with aiohttp.ClientSession(headers={INIT_DATA_HEADER: init_data}) as http:
        for _ in range(calls + 1):
            started = time.perf_counter()
            async with http.get(f"{base}api/class/{class_id}/learners") as response:
                body = await response.json()
                assert response.status == 200, body
            timings.append(time.perf_counter() - started)
            rows = len(body["learners"])
    return timings[0], timings[1:], rows


async def page_weight(base: str, extra: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """(path, bytes sent, bytes uncompressed) for the page and each script and style sheet it loads (and `extra`)."""
    sizes = []
    async with aiohttp.ClientSession(auto_decompress=False, headers={"Accept-Encoding": "gzip"}) as http:
        async with http.get(base) as response:
            sent = await response.read()
        async with aiohttp.ClientSession() as plain, plain.get(base) as response:
            page = await response.text()
        sizes.append(("index.html", len(sent), len(page.encode())))
        for path in [*_ASSET.findall(page), *extra]:
            async with http.get(base + path) as response:
                sent = await response.read()
                assert response.status == 200, path
            sizes.append((path, len(sent), (ROOT / "bot" / "webapp" / path).stat().st_size))
    return sizes


async def run(args: argparse.Namespace) -> None:
    catalog = load_catalog(CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/mini_app.sqlite3"
        class_id, now = populate(url, args.learners, args.days, args.games)
        engine = make_engine(url)
        settings = Settings(bot_token=TOKEN, database_url=url, instructor_ids=frozenset({INSTRUCTOR}))
        clock = ManualClock(now)
        services = Services(settings=settings, engine=engine, catalog=catalog, clock=clock, db=Database(
            engine, defaults=LearnerDefaults(language="fr", timezone="Europe/Paris",
                                             daily_time=settings.default_daily_time), now=clock.now))
        application = SimpleNamespace(bot_data={"services": services})
        server = WebAppServer(application, bot_token=TOKEN, listen="127.0.0.1", port=0,  # type: ignore[arg-type]
                              features=FEATURES)
        await server.start()
        try:
            first, timings, rows = await learners_latency(server.local_url, class_id, args.calls)
            sizes = await page_weight(server.local_url)
            with_lab = await page_weight(server.local_url, _LAB_TAB_ASSETS)
        finally:
            await server.stop()
            engine.dispose()
    print(f"GET /api/class/{{id}}/learners, {rows} learners, {len(timings)} calls one after another: "
          f"p50 {1000 * statistics.median(timings):.0f} ms, p95 {1000 * percentile(timings, 0.95):.0f} ms "
          f"(target p95 <= 150 ms); the first call (computes the table) {1000 * first:.0f} ms; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    total = sum(sent for _, sent, _ in sizes)
    print(f"page weight as served (gzip): {total / 1000:.1f} KB, {sum(raw for _, _, raw in sizes) / 1000:.1f} KB "
          f"uncompressed (target <= 200 KB)")
    for path, sent, raw in sizes:
        print(f"  {path}: {sent / 1000:.1f} KB ({raw / 1000:.1f} KB uncompressed)")
    lab_total = sum(sent for _, sent, _ in with_lab)
    print(f"with the Lab tab's terminal opened (xterm.js, loaded then): {lab_total / 1000:.1f} KB as served, "
          f"{sum(raw for _, _, raw in with_lab) / 1000:.1f} KB uncompressed (target <= 200 KB)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--games", type=int, default=100)
    parser.add_argument("--calls", type=int, default=200)
    asyncio.run(run(parser.parse_args()))
