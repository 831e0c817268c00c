"""Run one shell command in a workspace: time-limited inside and watched from outside.

`wait(timeout=...)` in the Docker SDK is only an HTTP read timeout, so the limit is enforced
twice: `timeout -s KILL` inside the workspace, and a host-side watchdog that kills the
command's process group (and, as a last resort, restarts the workspace) if it overruns.
Output comes back on the exec stream only; the host never reads a file the learner controls.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import docker

from sandbox.output import OutputCollector
from sandbox.results import CommandResult
from sandbox.workspace_spec import WORKDIR

__all__ = ["ExecRequest", "run_in_workspace"]

WATCHDOG_GRACE = 10.0
_WRAPPER = ('ulimit -f {fsize} 2>/dev/null; echo $$ > {pidfile}; '
            'exec timeout -s KILL {seconds} sh -c "$1" 2>&1')


@dataclass(frozen=True)
class ExecRequest:
    command: str
    timeout: float
    output_limit: int
    stream_limit: int
    file_size_kb: int
    pidfile: str = "/run/tutorbot-command.pid"
    environment: tuple[tuple[str, str], ...] = ()


async def run_in_workspace(client: docker.DockerClient, container_id: str, request: ExecRequest, *,
                           on_line: Callable[[str], None] | None = None) -> CommandResult:
    """Run the command; returns its result even when it had to be killed."""
    started = time.monotonic()
    collector = OutputCollector(request.output_limit)
    state = _StreamState()
    script = _WRAPPER.format(fsize=request.file_size_kb, pidfile=request.pidfile, seconds=int(request.timeout))
    exec_id = await asyncio.to_thread(
        client.api.exec_create, container_id, ["sh", "-c", script, "tutorbot", request.command],
        workdir=WORKDIR, environment=dict(request.environment) or None, stdin=False, tty=False,
    )
    reader = asyncio.to_thread(_read, client, exec_id["Id"], collector, request.stream_limit, state, on_line)
    task = asyncio.ensure_future(reader)
    timed_out = False
    try:
        await asyncio.wait_for(asyncio.shield(task), request.timeout + WATCHDOG_GRACE)
    except TimeoutError:
        timed_out = True
        await _kill_group(client, container_id, request.pidfile)
        try:
            await asyncio.wait_for(asyncio.shield(task), 5)
        except TimeoutError:
            state.abandon()
            await asyncio.to_thread(_restart, client, container_id)
    if state.cut:
        await _kill_group(client, container_id, request.pidfile)
    exit_code = await _exit_code(client, exec_id["Id"])
    duration = time.monotonic() - started
    timed_out = timed_out or (exit_code == 137 and duration >= request.timeout - 0.5)
    return CommandResult(
        exit_code=exit_code, output=collector.text(), truncated=collector.truncated or state.cut,
        duration_s=duration, timed_out=timed_out,
        oom_killed=exit_code == 137 and not timed_out and not state.cut, output_bytes=collector.total,
    )


class _StreamState:
    def __init__(self) -> None:
        self.cut = False
        self.stream = None
        self.lock = threading.Lock()

    def abandon(self) -> None:
        with self.lock:
            if self.stream is not None:
                self.stream.close()


def _read(client, exec_id: str, collector: OutputCollector, stream_limit: int, state: _StreamState,  # noqa: ANN001
          on_line: Callable[[str], None] | None) -> None:
    stream = client.api.exec_start(exec_id, stream=True, demux=False)
    state.stream = stream
    pending = b""
    try:
        for chunk in stream:
            collector.add(chunk)
            if on_line is not None:
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    on_line(line.decode("utf-8", errors="replace"))
            if collector.total > stream_limit:
                state.cut = True
                break
    except Exception:  # noqa: BLE001 - a closed stream after the watchdog fired
        return
    finally:
        try:
            stream.close()
        except Exception:  # noqa: BLE001
            pass


async def _kill_group(client, container_id: str, pidfile: str) -> None:  # noqa: ANN001
    script = f'pid=$(cat {pidfile} 2>/dev/null) && kill -KILL -- -"$pid" "$pid" 2>/dev/null; true'

    def kill() -> None:
        client.api.exec_start(client.api.exec_create(container_id, ["sh", "-c", script])["Id"])

    try:
        await asyncio.wait_for(asyncio.to_thread(kill), 10)
    except Exception:  # noqa: BLE001 - the restart is the last resort
        pass


def _restart(client, container_id: str) -> None:  # noqa: ANN001
    client.api.kill(container_id)
    client.api.start(container_id)


async def _exit_code(client, exec_id: str) -> int:  # noqa: ANN001
    for _ in range(50):
        info = await asyncio.to_thread(client.api.exec_inspect, exec_id)
        if not info.get("Running"):
            return info.get("ExitCode") if info.get("ExitCode") is not None else 137
        await asyncio.sleep(0.1)
    return 137
