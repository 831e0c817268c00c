"""A bystander's `echo` while 4 hostile neighbours attack, per kind of neighbour; prints JSON figures.

One bystander and four neighbour workspaces are made with the `sandbox` package found first on the path
(`--sandbox-root`: an old checkout made with `git archive`, to compare before and after in one run; see
`bench/sandbox_bench.py --neighbours`). For each kind, the four neighbours run the attack as learners'
commands (with the lab's wrapper and a time limit); after a settling time the bystander runs `echo ok`
as the lab would, one sample after another, until it has `--samples` of them or the time budget is spent.
A sample that has not come back after CAP seconds counts as CAP and ends the kind.

The neighbours run with the test suite's limits (256 pids, 768 MiB): the machine is shared.

    .venv/bin/python bench/bystander_bench.py [--sandbox-root DIR] [--samples 20] [--kinds "fork bomb,..."]
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import threading
import time
from pathlib import Path

FORK_BOMB = "b(){ b|b& };b"
BURNER = "while :; do :; done & while :; do :; done & wait"
KINDS = {
    "fork bomb": FORK_BOMB,
    "CPU burner": BURNER,
    "CPU burner in -d containers": f"docker run -d busybox sh -c '{BURNER}' >/dev/null",
    "memory bomb": "while :; do head -c 3000m /dev/zero | tail; done",
    "disk fill": "i=0; while :; do head -c 50m /dev/zero > f$i 2>/dev/null && [ $i -lt 40 ] || { rm -f f*; i=0; };"
                 " i=$((i+1)); done",
}
MIXED = ("fork bomb", "CPU burner in -d containers", "memory bomb", "disk fill")
SETTLE, BUDGET, CAP = 3.0, 20.0, 15.0
CLEANUP = "docker rm -f $(docker ps -aq) >/dev/null 2>&1; rm -f f*; true"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox-root", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--kinds", default=",".join([*KINDS, "mixed"]))
    args = parser.parse_args()
    sys.path.insert(0, str(args.sandbox_root.resolve()))
    print(json.dumps(measure(args.samples, args.kinds.split(","))))


def measure(samples: int, kinds: list[str]) -> dict[str, list[float]]:
    import docker

    from sandbox.config import SandboxSettings
    from sandbox.runner import ExecRequest, wrapper_script
    from sandbox.workspaces import WorkspaceHost

    client = docker.from_env(timeout=300)
    settings = SandboxSettings(name_prefix=f"tbby{secrets.token_hex(3)}", max_workspaces=10, warm_pool_size=0,
                               memory="768m", pids=256, disk_limit="1g", reap_interval=3600)
    host = WorkspaceHost(client, settings)

    def run(container_id: str, command: str, timeout: float) -> None:
        request = ExecRequest(command="", timeout=timeout, output_limit=1 << 20, stream_limit=1 << 24,
                              file_size_blocks=2097152)
        exec_id = client.api.exec_create(container_id, ["sh", "-c", wrapper_script(request), "bench", command],
                                         user="learner", workdir="/workspace")["Id"]
        client.api.exec_start(exec_id)

    try:
        bystander, *neighbours = [host.create(f"{settings.name_prefix}-ws-{n}").container_id for n in range(5)]
        run(bystander, "echo warm", 10)
        figures = {}
        for kind in kinds:
            scripts = [KINDS[name] for name in MIXED] if kind == "mixed" else [KINDS[kind]] * 4
            attacks = [threading.Thread(target=run, args=(c, s, SETTLE + BUDGET + 2), daemon=True)
                       for c, s in zip(neighbours, scripts, strict=True)]
            for attack in attacks:
                attack.start()
            time.sleep(SETTLE)
            figures[kind] = _bystander(lambda: run(bystander, "echo ok", 10), samples)
            for attack in attacks:
                attack.join(CAP + BUDGET)
            for neighbour in neighbours:
                run(neighbour, CLEANUP, 30)
            time.sleep(2)  # let the machine calm down between kinds
        return figures
    finally:
        for workspace in host.list():
            host.remove(workspace)
        host.reap_orphans(min_age_s=0)


def _bystander(echo, samples: int) -> list[float]:
    """p50, p95, max in seconds and the number of samples."""
    taken: list[float] = []
    deadline = time.monotonic() + BUDGET
    while len(taken) < samples and time.monotonic() < deadline:
        done = threading.Event()
        thread = threading.Thread(target=_then_set, args=(echo, done), daemon=True)
        started = time.perf_counter()
        thread.start()
        if not done.wait(CAP):
            taken.append(CAP)
            break
        taken.append(time.perf_counter() - started)
    ordered = sorted(taken)
    return [ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], ordered[-1],
            len(ordered)]


def _then_set(call, done: threading.Event) -> None:
    call()
    done.set()


if __name__ == "__main__":
    main()
