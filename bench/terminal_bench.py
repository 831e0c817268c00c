"""Measure the Mini App terminal: keystroke echo latency through its WebSocket on a warm workspace, and what one
open terminal costs in memory, and print the figures.

The bot runs as in the lab tests (local Bot API, the real lab, the Mini App served on a free port); a learner
opens the terminal with a signed initData and types one key at a time, each timed from the WebSocket send to
its echo coming back (the browser's view, xterm.js aside).

    .venv/bin/python bench/terminal_bench.py [--keys 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import aiohttp  # noqa: E402
from bot_harness import FIXTURE_CONTENT, POLL_TIMEOUT, TOKEN, catalog_of  # noqa: E402
from databases import fresh_database  # noqa: E402
from mini_app import init_data_for  # noqa: E402
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces  # noqa: E402

from bot.app import build_application, start_bot, stop_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402
from bot.services.clock import ManualClock  # noqa: E402
from bot.services.lab_terminal import learner_id_of  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

LEARNER = 881
PREFIX = "tbbenchterm"
_PAGE = os.sysconf("SC_PAGE_SIZE")


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 2**20


async def read_until(ws: aiohttp.ClientWebSocketResponse, wanted: bytes, timeout: float = 30) -> None:
    seen = b""
    while wanted not in seen:
        message = await ws.receive(timeout=timeout)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen += message.data
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise RuntimeError(f"the terminal closed: {message}")


# Letters that neither the prompt (learner@labo:/workspace$) nor the shell's escape sequences hold: a key's echo is
# then seen by counting it in everything shown, whatever else arrives meanwhile.
KEYS = b"dfgijmqtuvxyz"


async def echo_latencies(ws: aiohttp.ClientWebSocketResponse, keys: int) -> list[float]:
    shown = bytearray()
    arrived = asyncio.Event()

    async def read() -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                shown.extend(message.data)
                arrived.set()

    reader = asyncio.ensure_future(read())
    times = []
    try:
        for index in range(keys):
            if index % 40 == 39:  # Ctrl-C: a fresh prompt, so that the line stays short
                await ws.send_bytes(b"\x03")
                await asyncio.sleep(0.3)
            key = KEYS[index % len(KEYS):index % len(KEYS) + 1]
            before = shown.count(key)
            started = time.perf_counter()
            await ws.send_bytes(key)
            while shown.count(key) <= before:
                arrived.clear()
                await asyncio.wait_for(arrived.wait(), 30)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        reader.cancel()
    return times


async def main(keys: int) -> None:
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    sandbox = SandboxService(lab_settings_again(name_prefix=PREFIX, command_timeout=30))
    with tempfile.TemporaryDirectory() as folder, fresh_database("sqlite", Path(folder), migrated=True) as url:
        settings = Settings(bot_token=None, fair_budgets=False, database_url=url, content_dir=FIXTURE_CONTENT,
                            delivery_sweep_seconds=3600, periodic_jobs=False)
        application = build_application(settings, catalog=catalog_of(FIXTURE_CONTENT), base_url=api.url,
                                        token=TOKEN, clock=ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC)), rate_limit=False, sandbox=sandbox)
        await start_bot(application, poll_timeout=POLL_TIMEOUT)
        try:
            sent = await api.user(LEARNER, first_name="Bench").send("/start")
            await api.wait_for_message(LEARNER, after=sent, timeout=30)
            learner_id = await learner_id_of(application.bot_data["services"].db, LEARNER)
            assert learner_id is not None
            await sandbox.run_command(learner_id=learner_id, command="true")  # a warm workspace
            before = rss_mib()
            url = application.bot_data["webapp"].local_url + "ws/terminal"
            async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
                await ws.send_str(json.dumps({"init_data": init_data_for(LEARNER), "cols": 80, "rows": 24}))
                opened = time.perf_counter()
                await read_until(ws, b"$ ")
                ready_ms = (time.perf_counter() - opened) * 1000
                latencies = await echo_latencies(ws, keys)
                bot_side = rss_mib() - before
                shells = await sandbox.run_internal(
                    learner_id=learner_id, command="ps -o rss=,comm= -u learner")
                await ws.send_bytes(b"\x15exit\r")
                await ws.receive(timeout=30)
        finally:
            await stop_bot(application)
            await api.stop()
            await remove_the_tests_workspaces(PREFIX)
    workspace_kib = sum(int(line.split()[0]) for line in shells.output.splitlines() if line.strip())
    print(f"terminal open to first prompt      {ready_ms:6.0f} ms (warm workspace)")
    print(f"keystroke echo over the WebSocket  p50 {p(latencies, .5):6.1f} ms  p95 {p(latencies, .95):6.1f} ms"
          f"  max {max(latencies):6.1f} ms  ({keys} keys)")
    print(f"one open terminal: bot process     {bot_side:+6.1f} MiB RSS (its two threads, the socket, the queue)")
    print(f"one open terminal: in the workspace {workspace_kib / 1024:5.1f} MiB RSS "
          f"({', '.join(line.split()[1] for line in shells.output.splitlines() if line.strip())})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=300)
    asyncio.run(main(parser.parse_args().keys))
