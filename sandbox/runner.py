"""Run one shell command in a workspace: time-limited inside and watched from outside.

`wait(timeout=...)` in the Docker SDK is only an HTTP read timeout, so the limit is enforced
twice: `timeout -s KILL` inside the workspace, and a host-side watchdog that kills the
command's process group (and, as a last resort, restarts the workspace) if it overruns.
Output comes back on the exec stream only; the host never reads a file the learner controls.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docker

from sandbox.docker_calls import DockerCalls
from sandbox.output import OutputCollector
from sandbox.results import CommandResult
from sandbox.workspace_spec import DAEMON_USER, LEARNER_USER, WORKDIR

__all__ = ["SWEEP", "ExecRequest", "kill_command", "oom_kills", "run_in_workspace", "since_now", "stop_foreground",
           "wrapper_script"]

WATCHDOG_GRACE = 10.0
_PREAMBLE = 'umask 002; ulimit -f {fsize_blocks} 2>/dev/null; '
# The bot's own commands (checks, set-up) run as the daemon's user, killed through their pidfile.
_INTERNAL = _PREAMBLE + 'echo $$ > {pidfile}; exec timeout -s KILL {seconds} sh -c "$1" 2>&1'
# A learner's command runs as the learner; nothing it started outlives it: when it ends, every other
# process of the learner's uid is killed (kill -1 spares only the caller), and so is every container it
# started in the foreground (attached, started since) whose `docker run` client is gone.
SWEEP = 'n=0; while kill -9 -1 2>/dev/null && [ $n -lt 50 ]; do n=$((n+1)); done'
_STOP_FOREGROUND = (
    "docker ps -q --no-trunc --filter status=running 2>/dev/null"
    " | xargs -r docker inspect -f '{{{{.Config.AttachStdout}}}} {{{{.State.StartedAt}}}} {{{{.Id}}}}' 2>/dev/null"
    ' | while read -r attached started id; do'
    ' [ "$attached" = true ] && [ ! "$started" \\< "$since" ] && docker kill "$id" >/dev/null 2>&1; done')
# A `docker run` killed between creating its container and starting it leaves a created container that no one
# will start (and `--rm` removes only stopped ones): remove those the command created.
_REMOVE_NEVER_STARTED = (
    "docker ps -aq --no-trunc --filter status=created 2>/dev/null"
    " | xargs -r docker inspect -f '{{.Config.AttachStdout}} {{.Created}} {{.Id}}' 2>/dev/null"
    ' | while read -r attached created id; do'
    ' [ "$attached" = true ] && [ ! "$created" \\< "$since" ] && docker rm -f "$id" >/dev/null 2>&1; done; true')
_LEARNER = (_PREAMBLE + 'since=$(date -u +%Y-%m-%dT%H:%M:%S); timeout -s KILL {seconds} sh -c "$1" 2>&1; rc=$?; '
            + SWEEP + '; ' + _STOP_FOREGROUND + '; exit $rc')

log = logging.getLogger(__name__)


def since_now() -> str:
    """The wrapper's `since` for a command starting now (the workspace shares the host's clock), a second early."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 1))


def wrapper_script(request: ExecRequest) -> str:
    """The `sh -c` script that runs `$1` for this request: the learner's (swept) or the bot's own."""
    template = _LEARNER if request.learners else _INTERNAL
    return template.format(fsize_blocks=request.file_size_blocks, pidfile=request.pidfile,
                           seconds=max(1, math.ceil(request.timeout)))


@dataclass(frozen=True)
class ExecRequest:
    command: str
    timeout: float
    output_limit: int
    stream_limit: int
    file_size_blocks: int  # ulimit -f in dash counts 512-byte blocks
    user: str = LEARNER_USER
    pidfile: str | None = None  # set for the bot's own commands (then run as the daemon's user)
    environment: tuple[tuple[str, str], ...] = ()

    @property
    def learners(self) -> bool:
        return self.pidfile is None


async def run_in_workspace(calls: DockerCalls, client: docker.DockerClient, container_id: str,
                           request: ExecRequest, *, on_line: Callable[[str], None] | None = None) -> CommandResult:
    """Run the command; returns its result even when it had to be killed (`oom_killed` is the caller's to find)."""
    started = time.monotonic()
    collector = OutputCollector(request.output_limit)
    state = _StreamState()
    script = wrapper_script(request)
    exec_id = await calls.raw(
        client.api.exec_create, container_id, ["sh", "-c", script, "tutorbot", request.command],
        workdir=WORKDIR, environment=dict(request.environment) or None, stdin=False, tty=False,
        user=LEARNER_USER if request.learners else DAEMON_USER,
    )
    task = asyncio.ensure_future(
        calls.raw(_read, client, exec_id["Id"], collector, request.stream_limit, state, on_line))
    timed_out = False
    since = since_now()
    try:
        await asyncio.wait_for(asyncio.shield(task), request.timeout + WATCHDOG_GRACE)
    except TimeoutError:
        timed_out = True
        await kill_command(calls, client, container_id, request.pidfile)
        if request.learners:  # the sweep killed the wrapper too: its own foreground clean-up never ran
            await stop_foreground(calls, client, container_id, since)
        try:
            await asyncio.wait_for(asyncio.shield(task), 5)
        except TimeoutError:
            state.abandon()
            await calls.raw(_restart, client, container_id)
    if state.cut:
        await kill_command(calls, client, container_id, request.pidfile)
    exit_code = await _exit_code(calls, client, exec_id["Id"])
    duration = time.monotonic() - started
    timed_out = timed_out or (exit_code == 137 and duration >= request.timeout - 0.5)
    return CommandResult(
        exit_code=exit_code, output=collector.text(), truncated=collector.truncated or state.cut,
        duration_s=duration, timed_out=timed_out,
        output_bytes=collector.total,
    )


class _StreamState:
    def __init__(self) -> None:
        self.cut = False
        self.stream: Any = None  # docker's CancellableStream, set by the reader thread
        self.lock = threading.Lock()

    def abandon(self) -> None:
        with self.lock:
            if self.stream is not None:
                self.stream.close()


def _read(client: docker.DockerClient, exec_id: str, collector: OutputCollector, stream_limit: int,
          state: _StreamState, on_line: Callable[[str], None] | None) -> None:
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
    except Exception as exc:  # noqa: BLE001 - a closed stream after the watchdog fired, or a broken attach
        log.warning("output stream of exec %s ended early (%s bytes kept): %r", exec_id[:12], collector.total, exc)
        return
    finally:
        try:
            stream.close()
        except Exception:  # noqa: BLE001
            pass


async def kill_command(calls: DockerCalls, client: docker.DockerClient, container_id: str,
                       pidfile: str | None) -> None:
    """Kill a running command (the watchdog's first resort): every process of the learner, or the
    bot's own command's process group through its pidfile."""
    if pidfile is None:
        user, script = LEARNER_USER, SWEEP
    else:  # dash's kill takes no "--": the group first (timeout leads it), then the process itself.
        user = DAEMON_USER
        script = f'pid=$(cat {pidfile} 2>/dev/null) && {{ kill -KILL -"$pid"; kill -KILL "$pid"; }} 2>/dev/null; true'

    def kill() -> None:
        client.api.exec_start(client.api.exec_create(container_id, ["sh", "-c", script], user=user)["Id"])

    try:
        await asyncio.wait_for(calls.raw(kill), 10)
    except Exception:  # noqa: BLE001 - the restart is the last resort
        pass


async def stop_foreground(calls: DockerCalls, client: docker.DockerClient, container_id: str, since: str) -> None:
    """Kill the foreground containers a learner's command started since `since` (what the wrapper does at the
    end of a command, for a command that was killed with its wrapper: stopped by the learner, or by the watchdog),
    and wait until they are gone, so that what the learner is told still runs is true."""

    def stop() -> None:
        script = "since=$1; " + _STOP_FOREGROUND.replace("{{", "{").replace("}}", "}").replace(
            'docker kill "$id" >/dev/null 2>&1', '{ docker kill "$id" && docker wait "$id"; } >/dev/null 2>&1'
        ) + "; " + _REMOVE_NEVER_STARTED
        exec_id = client.api.exec_create(container_id, ["sh", "-c", script, "tutorbot", since], user=LEARNER_USER)
        client.api.exec_start(exec_id["Id"])

    try:
        await asyncio.wait_for(calls.raw(stop), 20)
    except Exception as exc:  # noqa: BLE001 - the reaper and the next command's sweep remain
        log.warning("foreground containers of %s not stopped: %r", container_id[:12], exc)


def _restart(client: docker.DockerClient, container_id: str) -> None:
    client.api.kill(container_id)
    client.api.start(container_id)


async def _exit_code(calls: DockerCalls, client: docker.DockerClient, exec_id: str) -> int:
    for _ in range(50):
        info = await calls.raw(client.api.exec_inspect, exec_id)
        if not info.get("Running"):
            code = info.get("ExitCode")
            return int(code) if code is not None else 137
        await asyncio.sleep(0.1)
    return 137


_OOM_SCRIPT = (
    'for f in /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory$(sed -n "s/^[0-9]*:memory://p" /proc/1/cgroup)/memory.oom_control '
    '/sys/fs/cgroup$(sed -n "s/^0:://p" /proc/1/cgroup)/memory.events /sys/fs/cgroup/memory.events; '
    'do [ -r "$f" ] && sed -n "s/^oom_kill //p" "$f" && break; done'
)


async def oom_kills(calls: DockerCalls, client: docker.DockerClient, container_id: str) -> int | None:
    """How many processes the kernel killed for memory in this workspace since it started (None: unknown)."""

    def read() -> bytes:
        exec_id = client.api.exec_create(container_id, ["sh", "-c", _OOM_SCRIPT], user=DAEMON_USER)["Id"]
        return client.api.exec_start(exec_id)

    try:
        output = await asyncio.wait_for(calls.raw(read), 10)
    except Exception:  # noqa: BLE001 - unknown, the caller falls back on the exit status
        return None
    text = output.decode(errors="replace").strip()
    return int(text) if text.isdigit() else None
