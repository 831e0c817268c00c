"""SandboxService: the lab as the bot sees it. One private workspace per learner, one command at a time.

Queues shed load instead of falling over: a learner's second command waits its turn (FIFO), and
when every workspace slot is taken, learners wait in line and are told their position. Every
Docker SDK call runs on the lab's own thread pool; nothing blocks the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace

import docker
from docker.errors import DockerException

from sandbox.build_context import BuildContext
from sandbox.builder import (
    BuildSteps,
    build_command,
    build_result,
    failed_build_cleanup,
    inspect_command,
    valid_tag,
)
from sandbox.config import SandboxSettings
from sandbox.disk import DiskGuard, frees_space
from sandbox.docker_calls import DockerCalls
from sandbox.errors import CommandRejected, ErrorCode, LabNotPrepared, LabUnavailable
from sandbox.output import bytes_cut
from sandbox.readiness import check_prepared
from sandbox.reaper import ReapReport, reap_expired, reap_once
from sandbox.results import BuildProgress, BuildResult, CommandResult
from sandbox.runner import (
    ExecRequest,
    kill_command,
    oom_kills,
    run_in_workspace,
    since_now,
    stop_foreground,
)
from sandbox.slots import Queued, Slots
from sandbox.terminal import TerminalReplaced, TerminalSession
from sandbox.userns import NO_SHIFT, engine_id_shift
from sandbox.workspace_files import WorkspaceFile, list_as_learner, read_as_learner
from sandbox.workspace_spec import WORKDIR
from sandbox.workspaces import Workspace, WorkspaceHost

__all__ = ["SandboxService"]

log = logging.getLogger(__name__)
MAX_COMMAND_CHARS = 10_000
REAPER_TASK = "sandbox-reaper"
CLOSE_WAIT = 90
GROWTH_SLACK = 1024 * 1024
FOREGROUND_SETTLE = 1.0  # seconds a daemon may take to finish starting a container whose client was killed
NO_SPACE = "No space left on device"  # strerror(ENOSPC), as every tool prints it
CONTEXT_FOLDER = "contexte"  # where an uploaded build context is unpacked, under /workspace


class SandboxService:
    def __init__(self, settings: SandboxSettings | None = None,
                 client_factory: Callable[[], docker.DockerClient] | None = None) -> None:
        self.settings = settings or SandboxSettings()
        self._client_factory = client_factory or self._default_client
        self._calls = DockerCalls(self.settings.docker_threads)
        self._slots = Slots(self.settings.max_workspaces, evict_idle_after=self.settings.evict_idle_after)
        self._live_host: WorkspaceHost | None = None  # both set by _connect()
        self._live_disk: DiskGuard | None = None
        self._turns: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._starting: dict[int, asyncio.Lock] = {}
        self._oom_seen: dict[str, int] = {}
        self._running: dict[int, _Running] = {}
        self._terminals: dict[int, TerminalSession] = {}
        self._terminal_wanted: dict[int, object] = {}  # the newest terminal asked for, per learner
        self._tasks: set[asyncio.Task[object]] = set()
        self._pool_filling = False
        self._closing = False
        self._owner = ""  # set by start(owner=...)

    @property
    def _host(self) -> WorkspaceHost:
        """The sandbox host, once `_connect()` succeeded (every path connects first)."""
        if self._live_host is None:
            raise RuntimeError("the lab is used before it connected")
        return self._live_host

    @property
    def _disk(self) -> DiskGuard:
        if self._live_disk is None:
            raise RuntimeError("the lab is used before it connected")
        return self._live_disk

    @classmethod
    def from_env(cls) -> SandboxService:
        return cls(SandboxSettings())

    def _default_client(self) -> docker.DockerClient:
        return docker.from_env(timeout=120, max_pool_size=self.settings.docker_threads)

    # -- life -----------------------------------------------------------------------------------
    async def start(self, *, owner: str = "") -> None:
        """Connect, re-adopt live workspaces, remove expired ones and orphans, fill the pool, start reaping.

        `owner` names the bot's database (lowercase letters and digits): learner ids start again with a
        new database, so workspaces are named after it too, and those of another database are removed
        rather than handed to a new learner with the same id.
        Never raises: the lab may be down or unprepared, and learners are told so when they use it.
        """
        self._owner = owner
        try:
            host = await self._connect()
            for workspace in await self._calls(host.foreign):
                log.info("removing %s: its learner belongs to another database", workspace.name)
                await self._calls(host.remove, workspace)
            for workspace in await self._calls(host.list):
                if workspace.learner_id is not None and workspace.running:
                    self._slots.adopt(workspace.learner_id)
            await reap_expired(settings=self.settings, calls=self._calls, host=host)
            await self._calls(host.reap_orphans, min_age_s=self.settings.orphan_min_age)
        except (LabUnavailable, LabNotPrepared) as exc:
            log.warning("lab not ready at start-up: %s", exc)
            return
        self._spawn(self._reaper(), REAPER_TASK)
        self._fill_pool_soon()

    async def close(self) -> None:
        """Stop background work; workspaces keep running and are re-adopted by the next start.

        Work already handed to Docker (a pool workspace being created, a disk check) is waited for,
        so nothing appears on the host after close() returns.
        """
        self._closing = True
        for terminal in list(self._terminals.values()):
            await terminal.close("closed")
        for task in list(self._tasks):
            if task.get_name() == REAPER_TASK:
                task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=CLOSE_WAIT)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _connect(self) -> WorkspaceHost:
        if self._live_host is not None:
            return self._live_host
        try:
            client = await self._calls.raw(self._client_factory)
            await self._calls.raw(client.ping)
            status = await self._calls.raw(check_prepared, client)
            id_shift = await self._calls.raw(engine_id_shift, client)
        except (DockerException, OSError, ValueError) as exc:
            raise LabUnavailable(f"the sandbox host does not answer: {exc}") from None
        if not status.ok:
            raise LabNotPrepared(status.describe())
        if id_shift == NO_SHIFT:
            log.warning("the lab's engine does not remap user namespaces: a workspace's uid 0 would be the host's "
                        "root (see sandbox/README.md, 'Root in a workspace': sandbox/host/lab-engine.sh)")
        host = WorkspaceHost(client, self.settings, owner=self._owner, id_shift=id_shift)
        self._live_disk = DiskGuard(self._calls, client, self.settings.disk_limit_bytes, loop=host.disks,
                                    reclaim=host.exec_as_daemon)
        self._live_host = host
        return host

    # -- what the bot calls ---------------------------------------------------------------------
    async def run_command(self, *, learner_id: int, command: str, on_queued: Queued | None = None) -> CommandResult:
        """Run a learner's shell command in their workspace (`sh -c` in /workspace), after their previous one."""
        command = _validated(command)
        async with self._turn(learner_id, on_queued):
            running = self._running[learner_id] = _Running(None, "")  # from here on, `cancel` may stop it
            try:
                await self._connect()
                self._disk.refuse(learner_id, command)
                workspace = await self._workspace(learner_id, on_queued)
                result = await self._exec(workspace, command, timeout=self.settings.command_timeout,
                                          learner_id=learner_id)
            finally:
                if self._running.get(learner_id) is running:
                    del self._running[learner_id]
            if await self._after_learner_work(learner_id, workspace, wait=frees_space(command),
                                              refused_a_write=NO_SPACE in result.output) \
                    and not result.disk_full:
                result = replace(result, disk_full=True)
            return result

    async def build(self, *, learner_id: int, context: BuildContext, tag: str | None = None,
                    on_progress: Callable[[BuildProgress], Awaitable[None]] | None = None,
                    on_queued: Queued | None = None) -> BuildResult:
        """Build in the learner's own daemon: the image stays there for `docker run`."""
        tag = tag or "mon-image"
        if not valid_tag(tag):
            raise CommandRejected(ErrorCode.INVALID_TAG, tag=tag[:60])
        async with self._turn(learner_id, on_queued):
            await self._connect()
            self._disk.refuse(learner_id, None)
            workspace = await self._workspace(learner_id, on_queued)
            target = await self._upload_context(workspace, context)
            steps = BuildSteps(on_progress)
            run = await self._exec(workspace, build_command(tag, target), timeout=self.settings.build_timeout,
                                   learner_id=learner_id, on_line=steps.on_line)
            await steps.finish()
            inspected = None
            if run.exit_code == 0:
                inspected = await self._exec(workspace, inspect_command(tag), timeout=20)
                inspected = inspected if inspected.exit_code == 0 else None
            elif (cleanup := failed_build_cleanup(run.output)) is not None:
                await self._exec(workspace, cleanup, timeout=30)
            await self._after_learner_work(learner_id, workspace, wait=False)
            return build_result(run, steps, tag, inspected)

    @asynccontextmanager
    async def terminal(self, *, learner_id: int, cols: int, rows: int,
                       on_queued: Queued | None = None) -> AsyncIterator[TerminalSession]:
        """An interactive shell in the learner's workspace for as long as the block runs (sandbox/terminal.py).

        It holds the learner's turn, as a chat command does: their chat commands wait until it closes (the chat's
        end-of-command sweep would kill the shell). One per learner: a newer one closes the open one
        ("replaced"), and a waiting one that is no longer the newest gives up (TerminalReplaced).
        """
        wanted = self._terminal_wanted[learner_id] = object()
        previous = self._terminals.get(learner_id)
        if previous is not None:
            await previous.close("replaced")
        try:
            async with self._turn(learner_id, on_queued):
                if self._terminal_wanted.get(learner_id) is not wanted:
                    raise TerminalReplaced()
                await self._connect()
                self._disk.refuse(learner_id, None)
                workspace = await self._workspace(learner_id, on_queued)
                session = TerminalSession(
                    calls=self._calls, client=self._host.client, container_id=workspace.container_id,
                    learner_id=learner_id, idle_timeout=self.settings.terminal_idle_timeout,
                    total_timeout=self.settings.terminal_total_timeout,
                    file_size_blocks=max(1, self.settings.disk_limit_bytes // 512))
                self._terminals[learner_id] = session
                try:
                    try:
                        await session.open(cols, rows)
                    except (DockerException, OSError) as exc:
                        raise LabUnavailable(f"the workspace did not open a terminal: {exc}") from None
                    yield session
                finally:
                    await asyncio.shield(session.close())
                    if self._terminals.get(learner_id) is session:
                        del self._terminals[learner_id]
                    await self._after_learner_work(learner_id, workspace, wait=False)
        finally:
            if self._terminal_wanted.get(learner_id) is wanted:
                del self._terminal_wanted[learner_id]

    async def run_internal(self, *, learner_id: int, command: str, timeout: float = 20) -> CommandResult:
        """A command of the bot's own (exercise checks and setup): not queued behind the learner's."""
        workspace = await self._workspace(learner_id, None)
        self._slots.begin(learner_id)
        try:
            return await self._exec(workspace, command, timeout=timeout)
        finally:
            self._slots.end(learner_id)

    async def write_files(self, *, learner_id: int, files: dict[str, bytes]) -> None:
        """Put files (paths relative to /workspace) into the workspace, written as the learner (FilesNotWritten
        when something of the learner's there blocks them)."""
        workspace = await self._workspace(learner_id, None)
        await self._calls(self._host.put_files, workspace, files)

    async def read_file(self, *, learner_id: int, path: str) -> bytes | None:
        """A file of the learner's /workspace, read as the learner (sandbox/workspace_files.py); None when it is
        no file. Not queued behind the learner's command: it only reads."""
        workspace = await self._workspace(learner_id, None)
        return await self._calls(read_as_learner, self._host.client, workspace.container_id, path)

    async def list_files(self, *, learner_id: int) -> list[WorkspaceFile]:
        """The files and folders of the learner's /workspace, as the learner sees them."""
        workspace = await self._workspace(learner_id, None)
        return await self._calls(list_as_learner, self._host.client, workspace.container_id)

    async def reset(self, *, learner_id: int) -> None:
        """Throw the learner's workspace away (files, images, containers); the next command gets a fresh one."""
        host = await self._connect()
        async with self._turn(learner_id, None), self._start_lock(learner_id):
            workspace = await self._calls(host.get, learner_id)
            if workspace is not None:
                await self._calls(host.remove, workspace)
                self._oom_seen.pop(workspace.container_id, None)
            self._slots.release(learner_id)
            self._disk.forget(learner_id)

    async def cancel(self, *, learner_id: int) -> bool:
        """Stop the learner's running command or build, and the foreground containers it started.

        The command then ends as if killed (`CommandResult.cancelled`). False when nothing of the learner's runs;
        the bot's own commands (checks, set-up) are never cancelled. Containers started with `-d` stay.
        """
        running = self._running.get(learner_id)
        if running is None or self._live_host is None:
            return False
        running.cancelled = True
        if running.container_id is None:  # still waiting for its workspace: it will not start
            running.stopped.set()
            return True
        try:
            await kill_command(self._calls, self._host.client, running.container_id, None)
            await stop_foreground(self._calls, self._host.client, running.container_id, running.since)
            # A `docker run` killed while its container was starting: the daemon finishes the start on its own
            # (on a busy host it took more than a second): look again, twice.
            for _ in range(2):
                await asyncio.sleep(FOREGROUND_SETTLE)
                await stop_foreground(self._calls, self._host.client, running.container_id, running.since)
        finally:
            running.stopped.set()
        return True

    async def workspace_status(self, *, learner_id: int) -> str:
        """"none", "running" or "stopped"."""
        host = await self._connect()
        workspace = await self._calls(host.get, learner_id)
        if workspace is None:
            return "none"
        return "running" if workspace.running else "stopped"

    async def reap(self) -> ReapReport:
        """One round of housekeeping (the reaper task does this every `reap_interval`)."""
        host = await self._connect()
        return await reap_once(settings=self.settings, calls=self._calls, host=host, slots=self._slots,
                               disk=self._disk, stop=self._stop)

    # -- turns, slots and workspaces -------------------------------------------------------------
    @asynccontextmanager
    async def _turn(self, learner_id: int, on_queued: Queued | None) -> AsyncIterator[None]:
        """One command at a time per learner; the next ones wait in order and are told their place."""
        lock = self._turns.setdefault(learner_id, asyncio.Lock())
        waiting = lock.locked()
        if waiting:
            self._waiting[learner_id] = self._waiting.get(learner_id, 0) + 1
        try:
            if waiting and on_queued is not None:
                await on_queued(self._waiting[learner_id], "busy")
            async with lock:
                if waiting:
                    self._waiting[learner_id] -= 1
                    waiting = False
                self._slots.begin(learner_id)
                try:
                    yield
                finally:
                    self._slots.end(learner_id)
        finally:
            if waiting:
                self._waiting[learner_id] -= 1
            if not lock.locked() and not self._waiting.get(learner_id):
                self._turns.pop(learner_id, None)
                self._waiting.pop(learner_id, None)

    def _start_lock(self, learner_id: int) -> asyncio.Lock:
        return self._starting.setdefault(learner_id, asyncio.Lock())

    async def _workspace(self, learner_id: int, on_queued: Queued | None) -> Workspace:
        """The learner's running workspace: found, restarted, claimed from the pool or created."""
        host = await self._connect()
        await self._slots.acquire(learner_id, on_queued, self._evict)
        try:  # past this point a failure means the learner has no running workspace: free the slot
            async with self._start_lock(learner_id):
                workspace = await self._calls(host.get, learner_id)
                if workspace is not None and workspace.running:
                    self._slots.touch(learner_id)
                    return workspace
                if workspace is not None:
                    workspace = await self._calls(host.ensure_running, workspace)
                else:
                    workspace = await self._calls(host.claim_pooled, learner_id)
                    if workspace is None:
                        workspace = await self._calls(host.create, host.learner_name(learner_id))
                    self._fill_pool_soon()
                self._oom_seen[workspace.container_id] = 0  # a started container has a fresh cgroup
                return workspace
        except BaseException:
            self._slots.release(learner_id)
            raise

    async def _evict(self, learner_id: int) -> None:
        """Stop an idle learner's workspace to give its slot to someone waiting (files are kept)."""
        async with self._start_lock(learner_id):
            workspace = await self._calls(self._host.get, learner_id)
            if workspace is not None and workspace.running:
                await self._calls(self._host.stop, workspace)

    async def _stop(self, learner_id: int) -> None:
        await self._evict(learner_id)
        self._slots.release(learner_id)

    async def _upload_context(self, workspace: Workspace, context: BuildContext) -> str:
        """Put the build's context in the workspace, written by the learner's own uid (never the host's root):
        the Dockerfile in /workspace, or the upload's tree in a fresh /workspace/contexte."""
        if context.archive is None:
            await self._calls(self._host.put_files, workspace, {"Dockerfile": context.dockerfile.encode()})
            return WORKDIR
        target = f"{WORKDIR}/{CONTEXT_FOLDER}"
        await self._calls(self._host.put_tar, workspace, context.archive, target)
        return target

    # -- one command -----------------------------------------------------------------------------
    async def _exec(self, workspace: Workspace, command: str, *, timeout: float, learner_id: int | None = None,
                    on_line: Callable[[str], None] | None = None) -> CommandResult:
        """Run in the workspace: as the learner (swept when it ends, watched for disk use, checked for
        OOM) when `learner_id` is given, else as one of the bot's own commands."""
        pidfile = None if learner_id is not None else f"/run/user/1000/tutorbot-internal-{secrets.token_hex(4)}.pid"
        request = ExecRequest(command=command, timeout=timeout, output_limit=self.settings.output_limit,
                              stream_limit=self.settings.stream_limit,
                              file_size_blocks=max(1, self.settings.disk_limit_bytes // 512), pidfile=pidfile)
        watcher, disk_hit = None, asyncio.Event()
        if learner_id is not None and not self._disk.hard:
            watcher = asyncio.create_task(self._watch_disk(learner_id, workspace, pidfile, disk_hit))
        running = (self._running.get(learner_id) if learner_id is not None else None) or _Running(None, "")
        running.container_id, running.since = workspace.container_id, since_now()
        if learner_id is not None:
            self._running[learner_id] = running
        if running.is_cancelled():  # stopped before it began
            if watcher is not None:
                watcher.cancel()
            return CommandResult(exit_code=130, output="", truncated=False, duration_s=0.0, cancelled=True)
        try:
            result = await run_in_workspace(self._calls, self._host.client, workspace.container_id, request,
                                            on_line=on_line)
        except (DockerException, OSError) as exc:
            raise LabUnavailable(f"the workspace did not answer: {exc}") from None
        finally:
            if watcher is not None:
                watcher.cancel()
            if learner_id is not None and self._running.get(learner_id) is running:
                del self._running[learner_id]
        result = replace(result, cut_bytes=bytes_cut(result.output_bytes, request.output_limit))
        if running.is_cancelled():  # the command ended with its wrapper: wait for its containers to be stopped too
            await asyncio.wait_for(running.stopped.wait(), 60)
            return replace(result, cancelled=True, timed_out=False)
        if disk_hit.is_set():
            result = replace(result, disk_full=True, timed_out=False)
        if result.exit_code == 137 and not result.timed_out and not result.disk_full:
            result = replace(result, oom_killed=await self._oom_killed(workspace))
        return result

    async def _oom_killed(self, workspace: Workspace) -> bool:
        count = await oom_kills(self._calls, self._host.client, workspace.container_id)
        if count is None:
            return True  # unknown: exit 137 without a time-out is most likely the memory limit
        seen = self._oom_seen.get(workspace.container_id, 0)
        self._oom_seen[workspace.container_id] = count
        return count > seen

    async def _watch_disk(self, learner_id: int, workspace: Workspace, pidfile: str | None,
                          hit: asyncio.Event) -> None:
        """Soft quota: while a long command runs, stop it if it makes the workspace grow past its limit."""
        before = self._disk.over.get(learner_id)  # over the limit already: only growth counts
        while True:
            await asyncio.sleep(self.settings.disk_check_every)
            usage = await self._disk.usage(workspace.key)
            used = usage.used if usage else None
            if used is None or used <= self._disk.limit or (before is not None and used <= before + GROWTH_SLACK):
                continue
            self._disk.over[learner_id] = used
            hit.set()
            await kill_command(self._calls, self._host.client, workspace.container_id, pidfile)
            return

    async def _after_learner_work(self, learner_id: int, workspace: Workspace, *, wait: bool,
                                  refused_a_write: bool = False) -> bool:
        """Check the disk after each command: at once after a clean-up or with a hard quota (a statvfs on
        the host), in the background otherwise. True when the workspace's disk is full."""
        check = self._disk.check(learner_id, workspace.container_id, workspace.key, refused_a_write=refused_a_write)
        if wait or self._disk.hard:
            return await check
        self._spawn(check, f"sandbox-disk-{learner_id}")
        return False

    # -- background ------------------------------------------------------------------------------
    def _spawn(self, coroutine: Awaitable[object], name: str) -> None:
        task = asyncio.ensure_future(coroutine)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _fill_pool_soon(self) -> None:
        if self.settings.warm_pool_size > 0 and not self._pool_filling and not self._closing:
            self._pool_filling = True
            self._spawn(self._fill_pool(), "sandbox-pool")

    async def _fill_pool(self) -> None:
        try:
            host = self._host
            workspaces = await self._calls(host.list)
            pooled = sum(1 for w in workspaces if w.pooled and w.running)
            running = sum(1 for w in workspaces if w.running)
            limit = self.settings.max_workspaces + self.settings.warm_pool_size
            while pooled < self.settings.warm_pool_size and running < limit and not self._closing:
                await self._calls(host.create_pooled)
                pooled, running = pooled + 1, running + 1
        except Exception as exc:  # noqa: BLE001 - the pool is an optimisation
            log.warning("warm pool not filled: %s", exc)
        finally:
            self._pool_filling = False

    async def _reaper(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reap_interval)
            try:
                await self.reap()
            except Exception as exc:  # noqa: BLE001 - keep reaping next time
                log.warning("reaper failed: %s", exc)


class _Running:
    """A learner's command in flight: where it runs, since when (the workspace's clock), and whether it was stopped."""

    def __init__(self, container_id: str | None, since: str) -> None:
        self.container_id, self.since, self.cancelled = container_id, since, False
        self.stopped = asyncio.Event()

    def is_cancelled(self) -> bool:
        """Asked again after each await: `cancel` may have been called meanwhile."""
        return self.cancelled


def _validated(command: str) -> str:
    command = command.strip()
    if not command:
        raise CommandRejected(ErrorCode.EMPTY_COMMAND)
    if len(command) > MAX_COMMAND_CHARS:
        raise CommandRejected(ErrorCode.COMMAND_TOO_LONG, length=len(command), limit=MAX_COMMAND_CHARS)
    if "\x00" in command:
        raise CommandRejected(ErrorCode.NUL_BYTES)
    return command
