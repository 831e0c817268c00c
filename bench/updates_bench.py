"""Drive N simulated learners through /start and quiz answers against the local Bot API.

The bot runs as its own process (`python -m bot run`, as in production) and talks HTTP to the
local Bot API server held by this script, which also plays the learners. Prints updates handled
per second, reply latency p50/p99 and the bot process's memory. Telegram's flood limits and the
bot's client-side rate limiter are off: this measures the bot, not Telegram's 30 messages/s cap.

    .venv/bin/python bench/updates_bench.py --learners 1000 --concurrency 100
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.local_api import LocalBotApi  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-local-bot-api-0000"
CONTENT = ROOT / "tests" / "fixtures" / "content"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_learner(api: LocalBotApi, user_id: int, latencies: list[float]) -> int:
    """/start <course>, /quiz, answer: three updates; returns how many were answered."""
    user = api.user(user_id, first_name=f"L{user_id}")
    started = time.perf_counter()
    sent = await user.send("/start mini")
    await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: bool(m.buttons))
    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    sent = await user.send("/quiz")
    question = await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "Question" in m.text)
    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await user.press(question, "B")
    await api.wait_for_edit(question, timeout=60)  # the verdict replaces the buttons
    latencies.append(time.perf_counter() - started)
    return 3


async def main(learners: int, concurrency: int) -> None:
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url, "CONTENT_DIR": str(CONTENT),
               "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "LOG_LEVEL": "WARNING", "RATE_LIMIT": "false",
               "LAB_ENABLED": "false"}
        profile = ["-m", "cProfile", "-o", os.environ["BENCH_PROFILE"]] if os.environ.get("BENCH_PROFILE") else []
        bot = await asyncio.create_subprocess_exec(sys.executable, *profile, "-m", "bot", "run", env=env, cwd=tmp)
        try:
            probe = api.user(1, first_name="Probe")
            sent = await probe.send("/help")
            await api.wait_for_message(probe.id, after=sent, timeout=60)  # the bot is up
            rss_before = rss_mib(bot.pid)
            latencies: list[float] = []
            gate = asyncio.Semaphore(concurrency)

            async def guarded(user_id: int) -> int:
                async with gate:
                    return await one_learner(api, user_id, latencies)

            started = time.perf_counter()
            handled = sum(await asyncio.gather(*(guarded(10_000 + i) for i in range(learners))))
            elapsed = time.perf_counter() - started
            rss_after = rss_mib(bot.pid)
        finally:
            bot.terminate()
            await bot.wait()
    await api.stop()

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"learners: {learners}, concurrency: {concurrency}, updates: {handled}")
    print(f"updates handled per second: {handled / elapsed:.0f}  (target >= 200)")
    print(f"reply latency p50: {statistics.median(latencies) * 1000:.0f} ms, p99: {p99 * 1000:.0f} ms  (target p99 < 250 ms)")
    print(f"bot process memory: RSS {rss_before:.0f} MiB at start, {rss_after:.0f} MiB after {learners} learners")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.learners, args.concurrency))
