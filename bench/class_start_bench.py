"""A class of 20 sends the exercise's first lab command at the planned time: with and without pre-warming.

Without: 20 learners with no workspace send `docker ps` at the same moment (every private Docker
daemon boots at once). With: the same for 20 other learners whose workspaces the bot started
before the class (bot/services/lab_prewarm.py: `warm`, boots spread over `--spread` seconds, as
the job spreads them over the 10 minutes before a class). Prints p50/p95 of the first answers.

The limit on this machine: a daemon boot costs about C CPU-seconds, so 20 boots at once need
20 x C / cores seconds before the last one answers; spreading the boots ahead removes them from
the class's first minute.

    .venv/bin/python bench/class_start_bench.py --learners 20 --spread 60
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.services.lab_prewarm import warm  # noqa: E402
from sandbox.config import SandboxSettings  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

PREFIX = "tb-classbench"


async def first_answers(lab: SandboxService, learners: list[int]) -> list[float]:
    async def one(learner_id: int) -> float:
        started = time.perf_counter()
        await lab.run_command(learner_id=learner_id, command="docker ps")
        return time.perf_counter() - started

    return sorted(await asyncio.gather(*(one(learner) for learner in learners)))


def p(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]


async def main(args: argparse.Namespace) -> None:
    lab = SandboxService(SandboxSettings(name_prefix=PREFIX, max_workspaces=2 * args.learners + 2, warm_pool_size=0,
                                         reap_interval=3600))
    await lab.start()
    cold_class = [9_100_000 + i for i in range(args.learners)]
    warm_class = [9_200_000 + i for i in range(args.learners)]
    try:
        cold = await first_answers(lab, cold_class)
        for learner in cold_class:
            await lab.reset(learner_id=learner)
        booted = time.perf_counter()
        step = args.spread / max(1, args.learners)
        boots = []
        for index, learner in enumerate(warm_class):
            boots.append(asyncio.create_task(warm(lab=lab, learner_id=learner)))
            if index < len(warm_class) - 1:
                await asyncio.sleep(step)
        ok = sum(await asyncio.gather(*boots))
        spent = time.perf_counter() - booted
        warmed = await first_answers(lab, warm_class)
    finally:
        for learner in warm_class + cold_class:
            try:
                await lab.reset(learner_id=learner)
            except Exception:  # noqa: BLE001 - cleaning up
                pass
        await lab.close()
    print(f"class of {args.learners}, first `docker ps` at the same moment:")
    print(f"  without pre-warming: p50 {statistics.median(cold):.1f} s, p95 {p(cold, 0.95):.1f} s")
    print(f"  with pre-warming ({ok} workspaces started over {spent:.0f} s before): "
          f"p50 {statistics.median(warmed):.2f} s, p95 {p(warmed, 0.95):.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which the boots are spread")
    asyncio.run(main(parser.parse_args()))
