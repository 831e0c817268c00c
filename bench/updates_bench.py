"""Drive N simulated learners through /start and quiz answers against the local Bot API.

Prints updates handled per second, reply latency p50/p99 and the process memory.
Flood control is off here: this measures the bot, not Telegram's 30 messages/s cap.

    .venv/bin/python bench/updates_bench.py --learners 1000 --concurrency 100
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_application, start_bot, stop_bot  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.content import load_catalog  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-local-bot-api-0000"
CONTENT = ROOT / "tests" / "fixtures" / "content"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_learner(api: LocalBotApi, user_id: int, latencies: list[float]) -> int:
    """/start <course>, /quiz, answer: three updates; returns how many were answered."""
    user = api.user(user_id, first_name=f"L{user_id}")
    started = time.perf_counter()
    sent = await user.send("/start mini")
    await api.wait_for_message(user.id, after=sent, timeout=30)
    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    sent = await user.send("/quiz")
    question = await api.wait_for_message(user.id, after=sent, timeout=30,
                                          predicate=lambda m: bool(m.buttons))
    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await user.press(question, "B")
    await api.wait_for_message(user.id, after=question, timeout=30)
    latencies.append(time.perf_counter() - started)
    return 3


async def main(learners: int, concurrency: int) -> None:
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(bot_token=None, database_url=f"sqlite:///{tmp}/bench.sqlite3", content_dir=CONTENT,
                            log_level="WARNING")
        application = build_application(settings, catalog=load_catalog(CONTENT), base_url=api.url, token=TOKEN,
                                         rate_limit=False)
        await start_bot(application)
        rss_before = rss_mib()
        latencies: list[float] = []
        gate = asyncio.Semaphore(concurrency)

        async def guarded(user_id: int) -> int:
            async with gate:
                return await one_learner(api, user_id, latencies)

        started = time.perf_counter()
        handled = sum(await asyncio.gather(*(guarded(10_000 + i) for i in range(learners))))
        elapsed = time.perf_counter() - started
        await stop_bot(application)
    await api.stop()

    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"learners: {learners}, concurrency: {concurrency}, updates: {handled}")
    print(f"updates handled per second: {handled / elapsed:.0f}  (target >= 200)")
    print(f"reply latency p50: {statistics.median(latencies) * 1000:.0f} ms, p99: {p99 * 1000:.0f} ms  (target p99 < 250 ms)")
    print(f"memory: RSS {rss_before:.0f} MiB before, {rss_mib():.0f} MiB after, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print("(bot, local Bot API server and simulated learners share this one process)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.learners, args.concurrency))
