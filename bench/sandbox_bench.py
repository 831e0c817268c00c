"""Measure the lab on this machine and print the figures.

- round-trip overhead of a trivial command in a warm workspace (p50/p95)
- first-command latency with and without the warm pool
- an uncached and a cached build of a small Dockerfile
- memory of an idle workspace, and how many idle workspaces would fit here

    .venv/bin/python bench/sandbox_bench.py [--runs 30]
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

import docker  # noqa: E402

from sandbox.build_context import BuildContext  # noqa: E402
from sandbox.config import SandboxSettings  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

DOCKERFILE = "FROM busybox\nRUN echo bench > /bench.txt\nCMD [\"cat\", \"/bench.txt\"]\n"


def settings(**overrides) -> SandboxSettings:
    return SandboxSettings(**{"name_prefix": "tbbench", "max_workspaces": 50, "reap_interval": 3600, **overrides})


async def timed(coroutine) -> float:
    started = time.perf_counter()
    await coroutine
    return time.perf_counter() - started


def workspace_memory_mib(client: docker.DockerClient, name: str) -> float:
    stats = client.containers.get(name).stats(stream=False)
    usage = stats["memory_stats"].get("usage", 0)
    cache = stats["memory_stats"].get("stats", {}).get("cache", 0)
    return (usage - cache) / 2**20


def available_memory_mib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main(runs: int) -> None:
    client = docker.from_env()
    cold = SandboxService(settings(warm_pool_size=0))
    await cold.start()
    first_cold = await timed(cold.run_command(learner_id=1, command="true"))
    warm = [await timed(cold.run_command(learner_id=1, command="true")) for _ in range(runs)]
    warm.sort()
    uncached = await cold.build(learner_id=1, context=BuildContext.from_dockerfile(DOCKERFILE), tag="bench")
    cached = await cold.build(learner_id=1, context=BuildContext.from_dockerfile(DOCKERFILE), tag="bench")
    await asyncio.sleep(5)
    idle_mib = workspace_memory_mib(client, "tbbench-ws-1")
    await cold.reset(learner_id=1)
    await cold.close()

    pooled = SandboxService(settings(warm_pool_size=1))
    await pooled.start()
    while pooled._pool_filling:  # noqa: SLF001 - wait until the pool is filled
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    first_pooled = await timed(pooled.run_command(learner_id=2, command="true"))
    await pooled.reset(learner_id=2)
    await pooled.close()
    from sandbox.workspaces import WorkspaceHost

    host = WorkspaceHost(client, settings())
    for workspace in host.list():  # the pool workspaces this run left
        host.remove(workspace)
    host.reap_orphans(min_age_s=0)

    p50 = statistics.median(warm) * 1000
    p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))] * 1000
    print(f"warm command round trip (true), {runs} runs: p50 {p50:.0f} ms, p95 {p95:.0f} ms  (target p50 <= 300 ms)")
    print(f"first command, no warm pool (workspace created): {first_cold * 1000:.0f} ms")
    print(f"first command, from the warm pool: {first_pooled * 1000:.0f} ms  (target <= 1000 ms)")
    print(f"build of a small Dockerfile: uncached {uncached.duration_s:.1f} s, cached {cached.duration_s:.1f} s")
    print(f"idle workspace memory: {idle_mib:.0f} MiB  (target <= 100 MiB)")
    fit = available_memory_mib() / idle_mib if idle_mib else float("nan")
    print(f"idle workspaces that fit in the {available_memory_mib():.0f} MiB available now: about {fit:.0f}"
          " (memory only; the 1 GiB limit is a ceiling, not a reservation)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(main(parser.parse_args().runs))
