"""Measure what issue 9 added to the lab's round trip, and how fast a stop takes effect, and print the figures.

- a trivial command (`true`) through SandboxService, plain and wrapped as /terminal wraps it (cd and exported
  variables carried over): p50/p95 of each, and the difference;
- ⏹ Stop on a foreground nginx: from `cancel()` until the command's result is back and its container is gone
  (the sweep, the foreground kill, and the wait for it), median of a few runs.

    .venv/bin/python bench/learner_lab_bench.py [--runs 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from tests_sandbox_settings import lab_settings_again  # noqa: E402

from bot.services.terminal_shell import in_terminal  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

LEARNER = 1


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def round_trips(lab: SandboxService, command: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await lab.run_command(learner_id=LEARNER, command=command)
        times.append((time.perf_counter() - started) * 1000)
        assert result.exit_code == 0, result.output
    return times


async def stop_latency(lab: SandboxService, runs: int) -> list[float]:
    await lab.run_command(learner_id=LEARNER, command="docker pull -q nginx")
    times = []
    for _ in range(runs):
        task = asyncio.create_task(lab.run_command(learner_id=LEARNER, command="docker run --rm nginx"))
        await asyncio.sleep(3)
        started = time.perf_counter()
        assert await lab.cancel(learner_id=LEARNER)
        result = await task
        times.append((time.perf_counter() - started) * 1000)
        left = await lab.run_internal(learner_id=LEARNER, command="docker ps -q")
        assert result.cancelled and not left.output.strip(), left.output
    return times


async def main(runs: int) -> None:
    lab = SandboxService(lab_settings_again(name_prefix="tbbench9", command_timeout=60))
    await lab.start()
    try:
        await lab.run_command(learner_id=LEARNER, command="true")  # the workspace, created once
        plain = await round_trips(lab, "true", runs)
        wrapped = await round_trips(lab, in_terminal("true"), runs)
        stops = await stop_latency(lab, max(3, runs // 10))
    finally:
        await lab.reset(learner_id=LEARNER)
        await lab.close()
    print(f"command round trip, plain        p50 {p(plain, .5):6.1f} ms  p95 {p(plain, .95):6.1f} ms  ({runs} runs)")
    print(f"command round trip, /terminal    p50 {p(wrapped, .5):6.1f} ms  p95 {p(wrapped, .95):6.1f} ms")
    print(f"terminal state costs             p50 {p(wrapped, .5) - p(plain, .5):+6.1f} ms")
    print(f"stop a foreground nginx (cancel -> result, container gone)  median {statistics.median(stops):6.0f} ms"
          f"  max {max(stops):6.0f} ms  ({len(stops)} runs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(main(parser.parse_args().runs))
