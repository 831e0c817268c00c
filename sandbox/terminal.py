"""An interactive terminal in a learner's workspace: `bash -i` on a TTY, bytes in and out, as a browser needs it.

A `docker exec` with a TTY and stdin, as the learner (uid 1001), in /workspace, with the chat's `ulimit -f` and
umask, inside the workspace's own memory, CPU and process limits. It ends when the shell exits, when it has
seen no keystroke and no output for `idle_timeout`, after `total_timeout` whatever happens (`timeout -s KILL`
inside, and this side's watchdog), or when the bot closes it; then, as after a chat command, every process of
the learner is killed and the containers the session ran in the foreground are stopped.

The exec's socket is read on a thread of the session's own (a terminal stays open for minutes: it must not hold
one of the lab's pooled threads) and written on another, so the event loop never waits on it. Output is handed
over through a bounded queue: a browser that reads slowly slows the shell down instead of filling the bot's
memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import socket
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import docker

from sandbox.docker_calls import DockerCalls
from sandbox.runner import SWEEP, kill_command, since_now, stop_foreground
from sandbox.workspace_spec import LEARNER_USER, WORKDIR

__all__ = ["CloseReason", "TerminalReplaced", "TerminalSession", "terminal_script"]

log = logging.getLogger(__name__)
CloseReason = Literal["exited", "idle", "total", "replaced", "closed"]
READ_SIZE = 65536
INSIDE_GRACE = 10  # the time-out inside is the backstop: this side's watchdog closes the session first
QUEUED_CHUNKS = 64  # output chunks waiting for the browser before the shell is slowed down
MAX_SIZE = 1000  # columns or rows
_END = b""

# As the chat's wrapper (sandbox/runner.py), with `bash -i` for the command: `--foreground` keeps the shell in
# the terminal's session, so job control, Ctrl-C and `docker run -it` work; the sweep after it kills the rest.
_SCRIPT = ('umask 002; ulimit -f {fsize_blocks} 2>/dev/null; '
           'timeout --foreground -s KILL {seconds} bash -i; rc=$?; ' + SWEEP + '; exit $rc')


def terminal_script(*, total_timeout: float, file_size_blocks: int) -> str:
    return _SCRIPT.format(fsize_blocks=file_size_blocks, seconds=max(1, math.ceil(total_timeout + INSIDE_GRACE)))


class TerminalReplaced(Exception):
    """A newer terminal of the same learner was asked for while this one waited for its turn."""


def _bounded(value: int) -> int:
    return max(1, min(MAX_SIZE, int(value)))


class TerminalSession:
    """One open terminal. `output()` yields what the shell prints until it ends; `write`, `resize`, `close`."""

    def __init__(self, *, calls: DockerCalls, client: docker.DockerClient, container_id: str, learner_id: int,
                 idle_timeout: float, total_timeout: float, file_size_blocks: int) -> None:
        self.learner_id, self.container_id = learner_id, container_id
        self.idle_timeout, self.total_timeout = idle_timeout, total_timeout
        self.reason: CloseReason | None = None
        self.exit_code: int | None = None
        self._calls, self._client, self._file_size_blocks = calls, client, file_size_blocks
        self._exec_id = ""
        self._socket: Any = None
        self._hijacked: Any = None
        self._since = since_now()
        self._queue: asyncio.Queue[bytes] = asyncio.Queue(QUEUED_CHUNKS)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"terminal-{learner_id}-in")
        self._reader: threading.Thread | None = None
        self._last_activity = time.monotonic()
        self._ended = asyncio.Event()
        self._watchdog: asyncio.Task[None] | None = None
        self._closer: asyncio.Future[None] | None = None
        self._finished = asyncio.Event()
        self._finishing = False

    # -- life -----------------------------------------------------------------------------------
    async def open(self, cols: int, rows: int) -> None:
        """Start the shell on a TTY of `cols` x `rows` (Docker errors are the caller's to turn into lab errors)."""
        script = terminal_script(total_timeout=self.total_timeout, file_size_blocks=self._file_size_blocks)
        created = await self._calls.raw(
            self._client.api.exec_create, self.container_id, ["sh", "-c", script, "tutorbot"],
            stdin=True, tty=True, user=LEARNER_USER, workdir=WORKDIR,
            environment={"TERM": "xterm-256color"})
        self._exec_id = created["Id"]
        hijacked = await self._calls.raw(self._client.api.exec_start, self._exec_id, tty=True, socket=True)
        self._socket = getattr(hijacked, "_sock", hijacked)  # the plain (or TLS) socket under docker's wrapper
        self._hijacked = hijacked  # keeps docker's response, and a TLS socket with it, alive
        loop = asyncio.get_running_loop()
        self._reader = threading.Thread(target=self._read, args=(loop,), name=f"terminal-{self.learner_id}-out",
                                        daemon=True)
        self._reader.start()
        self._watchdog = asyncio.ensure_future(self._watch())
        await self.resize(cols, rows)

    async def output(self) -> AsyncIterator[bytes]:
        """What the terminal shows, chunk by chunk, until the session ends."""
        while True:
            chunk = await self._queue.get()
            if chunk is _END:
                with contextlib.suppress(asyncio.QueueFull):
                    self._queue.put_nowait(_END)  # a second reader ends too
                return
            self._last_activity = time.monotonic()
            yield chunk

    async def write(self, data: bytes) -> None:
        """Keystrokes (or a paste) to the shell; waits while the shell does not read, so input stays bounded."""
        if self._ended.is_set() or not data:
            return
        self._last_activity = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._writer, self._socket.sendall, data)
        except OSError:
            self._ended.set()

    async def resize(self, cols: int, rows: int) -> None:
        if self._ended.is_set():
            return
        try:
            await self._calls.raw(self._client.api.exec_resize, self._exec_id, height=_bounded(rows),
                                  width=_bounded(cols))
        except Exception as exc:  # noqa: BLE001 - the shell may have just ended
            log.debug("terminal of learner %s not resized: %r", self.learner_id, exc)

    async def wait_closed(self) -> None:
        await self._finished.wait()

    async def close(self, reason: CloseReason = "closed") -> None:
        """End the session (idempotent): the shell and everything the learner started in it are killed, the
        foreground containers stopped; returns once that is done."""
        if self.reason is None:
            self.reason = reason
        self._ended.set()
        if self._finishing:
            await self._finished.wait()
            return
        self._finishing = True
        try:
            await self._finish()
        finally:
            self._finished.set()

    # -- inside ---------------------------------------------------------------------------------
    async def _watch(self) -> None:
        """Close on idleness or at the total time-out, or once the shell's output has ended."""
        started = time.monotonic()
        while not self._ended.is_set():
            now = time.monotonic()
            deadline = min(started + self.total_timeout, self._last_activity + self.idle_timeout)
            try:
                await asyncio.wait_for(self._ended.wait(), max(0.05, deadline - now))
            except TimeoutError:
                now = time.monotonic()
                if now >= started + self.total_timeout:
                    self.reason = self.reason or "total"
                elif now >= self._last_activity + self.idle_timeout:
                    self.reason = self.reason or "idle"
                else:
                    continue
                self._ended.set()
        self._closer = asyncio.ensure_future(self.close(self.reason or "exited"))

    def _read(self, loop: asyncio.AbstractEventLoop) -> None:
        """The reader thread: socket → queue (blocking on a full queue: the shell then waits too)."""
        try:
            while True:
                try:
                    chunk = self._socket.recv(READ_SIZE)
                except OSError:
                    chunk = _END
                if not chunk:
                    break
                if not self._put(loop, chunk):
                    return
        finally:
            try:
                loop.call_soon_threadsafe(self._ended.set)
            except RuntimeError:  # the loop is gone (the bot stopped)
                pass

    def _put(self, loop: asyncio.AbstractEventLoop, chunk: bytes) -> bool:
        try:
            asyncio.run_coroutine_threadsafe(self._queue.put(chunk), loop).result()
            return True
        except (RuntimeError, asyncio.CancelledError):
            return False

    async def _finish(self) -> None:
        if self._watchdog is not None and self._watchdog is not asyncio.current_task():
            self._watchdog.cancel()
        if await self._still_running():  # closed from here (browser gone, idle, time-out, replaced): as the watchdog
            await kill_command(self._calls, self._client, self.container_id, None)
        elif self.reason is None or self.reason == "closed":
            self.reason = "exited"
        await stop_foreground(self._calls, self._client, self.container_id, self._since)
        if self._socket is not None:
            try:
                self._socket.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                self._socket.close()
                self._hijacked.close()
            except Exception:  # noqa: BLE001
                pass
        for _ in range(500):  # the reader may wait for room in the queue that nobody reads any more
            if self._reader is None or not self._reader.is_alive():
                break
            while not self._queue.empty():
                self._queue.get_nowait()
            await asyncio.sleep(0.02)
        self._writer.shutdown(wait=False, cancel_futures=True)
        if self._exec_id:
            self.exit_code = await self._exit_code()
        while True:  # the end marker, once what was read is handed over (a full queue is drained by then)
            try:
                self._queue.put_nowait(_END)
                break
            except asyncio.QueueFull:
                self._queue.get_nowait()

    async def _still_running(self) -> bool:
        if not self._exec_id:
            return False
        try:
            info = await self._calls.raw(self._client.api.exec_inspect, self._exec_id)
        except Exception:  # noqa: BLE001 - unknown: kill to be sure
            return True
        return bool(info.get("Running"))

    async def _exit_code(self) -> int | None:
        for _ in range(30):
            try:
                info = await self._calls.raw(self._client.api.exec_inspect, self._exec_id)
            except Exception:  # noqa: BLE001
                return None
            if not info.get("Running"):
                code = info.get("ExitCode")
                return int(code) if code is not None else None
            await asyncio.sleep(0.1)
        return None
