"""Measure the lab on this machine and print the figures, the old recipe and the rootless one side by side.

For each recipe ("old": root dockerd in a container with every capability and the host's cgroup tree,
the lab before the isolation work; "rootless": the lab as it is now):

- a workspace ready from cold (container created until its daemon answers)
- the round trip of a trivial command in a warm workspace (p50/p95), with that recipe's command wrapper
- memory of an idle workspace
- a bystander's `echo` (p50/p95) while 4 hostile neighbours run a fork bomb, a memory bomb, a disk fill
  and a CPU burner

and, for the lab as the bot uses it (SandboxService): the warm command round trip, the first command
with and without the warm pool, an uncached and a cached build.

    .venv/bin/python bench/sandbox_bench.py [--runs 30] [--skip-old]

`--neighbours` prints only a bystander's `echo` p50/p95/max per kind of hostile neighbour (fork bomb, CPU
burner in the foreground and in `-d` containers, memory bomb, disk fill, mixed: bench/bystander_bench.py);
with `--against DIR` (an old checkout: `git archive <commit> | tar -x -C DIR`) before and after in one run:

    .venv/bin/python bench/sandbox_bench.py --neighbours --against /tmp/old [--samples 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docker  # noqa: E402

from sandbox.build_context import BuildContext  # noqa: E402
from sandbox.config import SandboxSettings  # noqa: E402
from sandbox.names import WORKSPACE_IMAGE  # noqa: E402
from sandbox.readiness import check_prepared  # noqa: E402
from sandbox.runner import ExecRequest, wrapper_script  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402
from sandbox.workspaces import WorkspaceHost  # noqa: E402

DOCKERFILE = "FROM busybox\nRUN echo bench > /bench.txt\nCMD [\"cat\", \"/bench.txt\"]\n"
PREFIX = "tbbench"
HOSTILE = {
    "fork bomb": "b(){ b|b& };b; sleep 600",
    "memory bomb": "while :; do head -c 3000m /dev/zero | tail; done",
    "disk fill": "i=0; while :; do head -c 50m /dev/zero > f$i 2>/dev/null && [ $i -lt 40 ] || { rm -f f*; i=0; }; i=$((i+1)); done",
    "CPU burner": "while :; do :; done & while :; do :; done",
}
OLD_CAPS = ["AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
            "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE",
            "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW",
            "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
            "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_TIME", "SYS_TTY_CONFIG",
            "WAKE_ALARM"]
OLD_INIT = ("dockerd --host=unix:///var/run/docker.sock >/var/log/dockerd.log 2>&1 & "
            "until docker info >/dev/null 2>&1; do sleep 0.05; done; touch /run/ready; wait")
OLD_WRAPPER = 'ulimit -f 2097152; echo $$ > /run/cmd.pid; exec timeout -s KILL 120 sh -c "$1" 2>&1'
# The lab's own wrapper for a learner's command (sweep and foreground-container check included).
NEW_WRAPPER = wrapper_script(ExecRequest(command="", timeout=120, output_limit=1 << 20, stream_limit=1 << 24,
                                         file_size_blocks=2097152))


class Recipe:
    """Start workspaces of one recipe directly on the engine, and run commands in them as the lab would."""

    def __init__(self, client: docker.DockerClient, name: str) -> None:
        self.client, self.name = client, name
        self.host = WorkspaceHost(client, settings(name_prefix=f"{PREFIX}{name[:3]}"))
        self.made: list[str] = []

    def start(self) -> tuple[str, float]:
        started = time.perf_counter()
        if self.name == "rootless":
            workspace = self.host.create(f"{self.host.prefix}-ws-{secrets.randbelow(10**6)}")
            container_id = workspace.container_id
        else:
            container_id = self._start_old()
        self.made.append(container_id)
        return container_id, time.perf_counter() - started

    def _start_old(self) -> str:
        api = self.client.api
        host_config = api.create_host_config(
            cap_add=OLD_CAPS, security_opt=["seccomp=unconfined", "apparmor=unconfined"],
            device_cgroup_rules=["c *:* rwm"], binds={"/sys/fs/cgroup": {"bind": "/sys/fs/cgroup", "mode": "rw"}},
            mounts=[docker.types.Mount("/var/lib/docker", None, type="volume")],
            mem_limit="1g", memswap_limit="1g", nano_cpus=10**9, pids_limit=1024)
        host_config.update(MaskedPaths=[], ReadonlyPaths=[])
        created = api.create_container(WORKSPACE_IMAGE, entrypoint=["sh", "-c", OLD_INIT], user="0",
                                       environment={"DOCKER_HOST": "unix:///var/run/docker.sock"},
                                       host_config=host_config, working_dir="/root",
                                       labels={"org.tutorbot.test": "bench-old"})
        api.start(created["Id"])
        while self.exec(created["Id"], "test -e /run/ready", wrapped=False)[0] != 0:
            time.sleep(0.05)
        return created["Id"]

    def exec(self, container_id: str, command: str, *, wrapped: bool = True) -> tuple[int, str]:
        user = "learner" if self.name == "rootless" else "0"
        argv = ["sh", "-c", (NEW_WRAPPER if self.name == "rootless" else OLD_WRAPPER), "bench", command] \
            if wrapped else ["sh", "-c", command]
        if self.name == "rootless" and not wrapped:
            user = "rootless"
        exec_id = self.client.api.exec_create(container_id, argv, user=user,
                                              workdir="/workspace" if self.name == "rootless" else "/root")["Id"]
        output = self.client.api.exec_start(exec_id).decode(errors="replace")
        return self.client.api.exec_inspect(exec_id)["ExitCode"], output

    def remove_all(self) -> None:
        for container_id in self.made:
            try:
                self.client.api.remove_container(container_id, force=True, v=True)
            except docker.errors.APIError:
                pass
        for workspace in self.host.list():
            self.host.remove(workspace)
        self.host.reap_orphans(min_age_s=0)


def settings(**overrides) -> SandboxSettings:
    return SandboxSettings(**{"name_prefix": PREFIX, "max_workspaces": 50, "reap_interval": 3600, **overrides})


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def workspace_memory_mib(client: docker.DockerClient, container_id: str) -> float:
    stats = client.api.stats(container_id, stream=False)
    usage = stats["memory_stats"].get("usage", 0)
    cache = stats["memory_stats"].get("stats", {}).get("cache", 0)
    return (usage - cache) / 2**20


def measure_recipe(client: docker.DockerClient, name: str, runs: int) -> dict[str, str]:
    recipe = Recipe(client, name)
    try:
        colds = []
        for _ in range(3):
            container_id, seconds = recipe.start()
            colds.append(seconds)
        bystander = recipe.made[0]
        warm = [timed(lambda: recipe.exec(bystander, "true")) for _ in range(runs)]
        time.sleep(5)
        idle = statistics.median(workspace_memory_mib(client, c) for c in recipe.made)
        neighbours = [recipe.start()[0] for _ in HOSTILE]
        threads = [threading.Thread(target=recipe.exec, args=(c, script), daemon=True)
                   for c, script in zip(neighbours, HOSTILE.values(), strict=True)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        under_attack = [timed(lambda: recipe.exec(bystander, "echo ok")) for _ in range(runs)]
        alive = sum(1 for c in neighbours if client.api.inspect_container(c)["State"]["Running"])
    finally:
        recipe.remove_all()
    p50, p95 = percentiles(warm)
    a50, a95 = percentiles(under_attack)
    return {
        "cold workspace ready (median of 3)": f"{statistics.median(colds):.2f} s",
        "warm command round trip p50 / p95": f"{p50:.0f} / {p95:.0f} ms",
        "idle workspace memory": f"{idle:.0f} MiB",
        "bystander echo under 4 hostile neighbours p50 / p95": f"{a50:.0f} / {a95:.0f} ms",
        "hostile neighbours still running after the attack": f"{alive}/4",
    }


def remove_service_workspaces(client: docker.DockerClient) -> None:
    """The bench's own workspaces, including the pool one a closed service leaves for the next start."""
    host = WorkspaceHost(client, settings())
    for workspace in host.list():
        host.remove(workspace)
    host.reap_orphans(min_age_s=0)


async def measure_service(runs: int) -> dict[str, str]:
    remove_service_workspaces(docker.from_env(timeout=300))
    cold = SandboxService(settings(warm_pool_size=0))
    await cold.start()
    started = time.perf_counter()
    await cold.run_command(learner_id=1, command="true")
    first_cold = time.perf_counter() - started
    warm = []
    for _ in range(runs):
        started = time.perf_counter()
        await cold.run_command(learner_id=1, command="true")
        warm.append(time.perf_counter() - started)
    uncached = await cold.build(learner_id=1, context=BuildContext.from_dockerfile(DOCKERFILE), tag="bench")
    cached = await cold.build(learner_id=1, context=BuildContext.from_dockerfile(DOCKERFILE), tag="bench")
    await cold.reset(learner_id=1)
    await cold.close()

    pooled = SandboxService(settings(warm_pool_size=1))
    await pooled.start()
    while pooled._pool_filling:  # noqa: SLF001 - wait until the pool is filled
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    started = time.perf_counter()
    await pooled.run_command(learner_id=2, command="true")
    first_pooled = time.perf_counter() - started
    await pooled.reset(learner_id=2)
    await pooled.close()
    remove_service_workspaces(docker.from_env(timeout=300))
    p50, p95 = percentiles(warm)
    return {
        "warm command round trip p50 / p95 (target p50 <= 150 ms)": f"{p50:.0f} / {p95:.0f} ms",
        "first command, no warm pool (workspace created, target <= 3 s)": f"{first_cold * 1000:.0f} ms",
        "first command, from the warm pool (target <= 1 s)": f"{first_pooled * 1000:.0f} ms",
        "small Dockerfile build, uncached / cached": f"{uncached.duration_s:.1f} / {cached.duration_s:.1f} s",
    }


def bystander_figures(sandbox_root: Path, samples: int) -> dict[str, list[float]]:
    """bench/bystander_bench.py run with the `sandbox` package of `sandbox_root` (its own process)."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bystander_bench.py"), "--sandbox-root",
                           str(sandbox_root), "--samples", str(samples)], capture_output=True, text=True, check=True)
    figures: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def print_neighbours(against: Path | None, samples: int) -> None:
    sides = ([("before", against)] if against else []) + [("after", ROOT)]
    figures = {label: bystander_figures(root, samples) for label, root in sides}
    print("bystander `echo` under 4 hostile neighbours, p50 / p95 / max in ms (samples)")
    print(f"{'neighbours':30}" + "".join(f"{label:>28}" for label, _ in sides))
    for kind in figures["after"]:
        cells = []
        for label, _ in sides:
            p50, p95, top, count = figures[label].get(kind, [0, 0, 0, 0])
            cells.append(f"{p50 * 1000:.0f} / {p95 * 1000:.0f} / {top * 1000:.0f} ({count:.0f})")
        print(f"{kind:30}" + "".join(f"{cell:>28}" for cell in cells))
    print("target: p95 <= 500 ms and max <= 2000 ms for every kind")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--skip-old", action="store_true", help="measure only the rootless recipe")
    parser.add_argument("--neighbours", action="store_true", help="only the bystander under each kind of neighbour")
    parser.add_argument("--against", type=Path, help="with --neighbours: an old checkout to measure first")
    parser.add_argument("--samples", type=int, default=20, help="with --neighbours: bystander samples per kind")
    args = parser.parse_args()
    if args.neighbours:
        print_neighbours(args.against, args.samples)
        return
    client = docker.from_env(timeout=300)
    if not check_prepared(client).ok:
        raise SystemExit("the lab is not prepared: run `tutorbot sandbox prepare` first")
    recipes = ["rootless"] if args.skip_old else ["old", "rootless"]
    figures = {name: measure_recipe(client, name, args.runs) for name in recipes}
    print(f"{'':58} " + " ".join(f"{name:>18}" for name in recipes))
    for label in figures["rootless"]:
        print(f"{label:58} " + " ".join(f"{figures[name][label]:>18}" for name in recipes))
    print("targets (rootless): cold ready <= 3 s, idle <= 60 MiB, bystander p95 <= 500 ms")
    print()
    print("the lab as the bot uses it (SandboxService, rootless):")
    for label, value in asyncio.run(measure_service(args.runs)).items():
        print(f"  {label}: {value}")


if __name__ == "__main__":
    main()
