"""Measure what the lab's advice costs (issue 9, lab on a phone), and print the figures.

- reading the learner's published ports (`docker ps` in their lab), done after a server image is built and when
  a port is taken: p50/p95;
- a failed build, and the removal of the images it committed (`failed_build_cleanup`), timed alone: median;
- explaining a failed command from the lab's tags (read once at start-up): per call.

    .venv/bin/python bench/lab_advice_bench.py [--runs 20]
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

from bot.services.lab_ports import published_ports  # noqa: E402
from bot.services.lab_work import LabWork, lab_tags  # noqa: E402
from sandbox.build_context import BuildContext  # noqa: E402
from sandbox.builder import failed_build_cleanup  # noqa: E402
from sandbox.results import CommandResult  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

LEARNER = 1
BROKEN = "FROM busybox\nRUN echo {n} > /f\nRUN echo deux > /g\nRUN false\n"


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def main(runs: int) -> None:
    lab = SandboxService(lab_settings_again(name_prefix="tbbenchla", command_timeout=60))
    await lab.start()
    ports, builds, cleanups = [], [], []
    try:
        await lab.run_command(learner_id=LEARNER, command="docker run -d -p 8080:80 --name exo nginx")
        for _ in range(runs):
            started = time.perf_counter()
            used = await published_ports(sandbox=lab, learner_id=LEARNER)
            ports.append((time.perf_counter() - started) * 1000)
            assert used == {8080: "exo"}, used
        for n in range(max(3, runs // 4)):
            started = time.perf_counter()
            built = await lab.build(learner_id=LEARNER, context=BuildContext.from_dockerfile(BROKEN.format(n=n)))
            builds.append((time.perf_counter() - started) * 1000)
            cleanup = failed_build_cleanup(built.log)
            assert not built.ok and cleanup is not None
            # the build already removed them: time the same command again (docker answers "no such image")
            started = time.perf_counter()
            await lab.run_internal(learner_id=LEARNER, command=cleanup)
            cleanups.append((time.perf_counter() - started) * 1000)
    finally:
        await lab.reset(learner_id=LEARNER)
        await lab.close()
    lab_tags()
    work = LabWork(sandbox=None, db=None, clock=None)  # type: ignore[arg-type]
    failed = CommandResult(exit_code=1, output="pull access denied for postgres, repository does not exist",
                           truncated=False, duration_s=0.1)
    started = time.perf_counter()
    for _ in range(1000):
        work.diagnose("docker pull postgres", failed)
    per_call = (time.perf_counter() - started) * 1000  # ms for 1000 calls = µs per call
    print(f"published ports (docker ps in the lab)   p50 {p(ports, .5):6.1f} ms  p95 {p(ports, .95):6.1f} ms  ({runs} runs)")
    print(f"failed 4-step build, cleanup included    median {statistics.median(builds):6.0f} ms  ({len(builds)} builds)")
    print(f"cleanup command alone (docker rmi)       median {statistics.median(cleanups):6.0f} ms")
    print(f"explain a failed command (tags cached)   {per_call:6.1f} µs per call")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    asyncio.run(main(parser.parse_args().runs))
