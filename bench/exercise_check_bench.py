"""Measure one check run of an exercise in a real workspace, and print the figures.

Since issue 9 a learner's command waits for the check run in progress (checks never see a command half done), and
commands sent in a row share one check run: this is how long that wait can be, and what a burst saves.

    .venv/bin/python bench/exercise_check_bench.py [--exercise api-gateway] [--runs 5]
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

from bot.content import load_catalog  # noqa: E402
from bot.services.exercise_checks import Evidence, evaluate_checks  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

LEARNER = 1


async def main(exercise_id: str, runs: int) -> None:
    exercise = load_catalog(ROOT / "content").courses["docker-fr"].exercise(exercise_id)
    if exercise is None:
        raise SystemExit(f"no exercise {exercise_id}")
    lab = SandboxService(lab_settings_again(name_prefix="tbbenchcheck", command_timeout=120))
    await lab.start()
    try:
        await lab.reset(learner_id=LEARNER)
        if exercise.setup is not None and exercise.setup.files:
            await lab.write_files(learner_id=LEARNER,
                                  files={name: body.encode() for name, body in exercise.setup.files.items()})
        for command in exercise.solution.commands:
            await lab.run_command(learner_id=LEARNER, command=command)

        async def run(command: str) -> tuple[int, str]:
            result = await lab.run_internal(learner_id=LEARNER, command=command, timeout=20)
            return result.exit_code, result.output

        seconds, passed = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            outcomes = await evaluate_checks(exercise.checks, run=run, evidence=Evidence())
            seconds.append(time.perf_counter() - started)
            passed = sum(o.passed for o in outcomes)
        print(f"{exercise_id}: {len(exercise.checks)} checks, {passed} passed; one check run: "
              f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s over {runs} runs")
        print(f"a burst of 4 commands: 1 check run instead of 4, about {3 * statistics.median(seconds):.1f} s "
              "of lab work saved")
    finally:
        await lab.reset(learner_id=LEARNER)
        await lab.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--exercise", default="api-gateway")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.exercise, arguments.runs))
