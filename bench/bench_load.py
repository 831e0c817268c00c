"""One measured run: a bot process against a fresh local Bot API, driven by simulated learners."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.local_api import LocalBotApi

__all__ = ["Figures", "run_load"]

TOKEN = "123456789:BENCH-token-for-the-local-bot-api-0000"
_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Figures:
    label: str
    updates: int
    elapsed: float
    latencies: tuple[float, ...]  # sorted, seconds
    cpu_seconds: float  # the bot process's user + system time during the load
    loop_cpu_seconds: float  # of which on its main thread (the event loop); the rest is other threads (database)
    rss_before: float
    rss_after: float
    calls: tuple[tuple[str, int], ...] = ()  # Bot API methods the bot called during the load, most used first
    driver_cpu_seconds: float = 0.0  # the bench's own process (the local API and the learners) during the load

    @property
    def throughput(self) -> float:
        return self.updates / self.elapsed

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p99(self) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * 0.99))]

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_seconds * 1000 / self.updates

    @property
    def driver_cpu_ms_per_update(self) -> float:
        return self.driver_cpu_seconds * 1000 / self.updates

    @property
    def loop_cpu_ms_per_update(self) -> float:
        return self.loop_cpu_seconds * 1000 / self.updates


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int, task: int | None = None) -> float:
    """User + system time of a process, or of one of its threads (`task`)."""
    where = f"/proc/{pid}/task/{task}/stat" if task is not None else f"/proc/{pid}/stat"
    try:
        fields = Path(where).read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # a thread that ended
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


async def one_learner(api: LocalBotApi, user_id: int, latencies: list[float]) -> int:
    """/start <course>, /lesson (read the first lesson: quizzes ask only about lessons read), /quiz, answer:
    four updates; returns how many were answered."""
    user = api.user(user_id, first_name=f"L{user_id}")
    started = time.perf_counter()
    sent = await user.send("/start mini")
    await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: bool(m.buttons))
    latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    sent = await user.send("/lesson")
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
    return 4


async def run_load(label: str, command: list[str], env: dict[str, str], *, cwd: str, learners: int,
                   concurrency: int, measuring: Callable[[int], None] | None = None) -> Figures:
    """Start `command` as the bot (BOT_TOKEN and TELEGRAM_API_URL added to `env`), wait for it to answer,
    then run `learners` learners, `concurrency` at a time, and stop it. `measuring(pid)` is called
    when the measured part starts (the bot up and warm)."""
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    full_env = {**os.environ, **env, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url}
    bot = await asyncio.create_subprocess_exec(*command, env=full_env, cwd=cwd)
    try:
        probe = api.user(1, first_name="Probe")
        sent = await probe.send("/help")
        await api.wait_for_message(probe.id, after=sent, timeout=60)  # the bot is up
        await one_learner(api, 2, [])  # first-use costs (imports, rendering) paid before measuring
        if measuring is not None:
            measuring(bot.pid)
        rss_before, cpu_before = rss_mib(bot.pid), cpu_seconds(bot.pid)
        loop_before = cpu_seconds(bot.pid, bot.pid)
        calls_before = len(api.requests_log)
        latencies: list[float] = []
        gate = asyncio.Semaphore(concurrency)

        async def guarded(user_id: int) -> int:
            async with gate:
                return await one_learner(api, user_id, latencies)

        driver_before = time.process_time()
        started = time.perf_counter()
        handled = sum(await asyncio.gather(*(guarded(10_000 + i) for i in range(learners))))
        elapsed = time.perf_counter() - started
        driver_cpu = time.process_time() - driver_before
        rss_after, cpu_after = rss_mib(bot.pid), cpu_seconds(bot.pid)
        loop_after = cpu_seconds(bot.pid, bot.pid)
        calls = Counter(method for method, _, _ in api.requests_log[calls_before:] if method != "getUpdates")
    finally:
        bot.terminate()
        await bot.wait()
        await api.stop()
    return Figures(label=label, updates=handled, elapsed=elapsed, latencies=tuple(sorted(latencies)),
                   cpu_seconds=cpu_after - cpu_before, loop_cpu_seconds=loop_after - loop_before, rss_before=rss_before, rss_after=rss_after,
                   calls=tuple(calls.most_common()), driver_cpu_seconds=driver_cpu)
