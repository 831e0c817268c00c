"""SandboxService: the lab as the bot sees it. One private workspace per learner, one command at a time.

Queues shed load instead of falling over: a learner's second command waits its turn, and when
every workspace slot is taken, learners wait in line and are told their position.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import docker
from docker.errors import DockerException

from sandbox.build_context import BuildContext
from sandbox.config import SandboxSettings
from sandbox.errors import CommandRejected, LabFull, LabNotPrepared, LabUnavailable
from sandbox.prepare import check_prepared
from sandbox.results import BuildProgress, BuildResult, CommandResult
from sandbox.runner import ExecRequest, run_in_workspace
from sandbox.workspace_spec import WORKDIR
from sandbox.workspaces import Workspace, WorkspaceHost

__all__ = ["SandboxService"]

log = logging.getLogger(__name__)
Queued = Callable[[int, str], Awaitable[None]]
MAX_COMMAND_CHARS = 10_000
MAX_WAITING = 200
_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)")
_TAG = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,100}(:[A-Za-z0-9._-]{1,64})?$")


class SandboxService:
    def __init__(self, settings: SandboxSettings | None = None,
                 client_factory: Callable[[], docker.DockerClient] | None = None) -> None:
        self.settings = settings or SandboxSettings()
        self._client_factory = client_factory or (lambda: docker.from_env(timeout=120))
        self._host: WorkspaceHost | None = None
        self._prepared = False
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._last_used: dict[int, float] = {}
        self._busy: set[int] = set()
        self._slot_queue: list[asyncio.Future] = []
        self._starting = asyncio.Lock()
        self._tasks: list[asyncio.Task] = []

    @classmethod
    def from_env(cls) -> SandboxService:
        return cls(SandboxSettings())

    # -- life -----------------------------------------------------------------------------------
    async def start(self) -> None:
        """Connect, re-adopt live workspaces, reap orphans, fill the pool. Never raises: the lab may be down."""
        try:
            await self._connect()
        except (LabUnavailable, LabNotPrepared) as exc:
            log.warning("lab not ready at start-up: %s", exc)
            return
        now = time.monotonic()
        for workspace in await asyncio.to_thread(self._host.list):
            if workspace.learner_id is not None and workspace.running:
                self._last_used[workspace.learner_id] = now
            elif workspace.pooled and not workspace.running:
                await asyncio.to_thread(self._host.remove, workspace)
        await asyncio.to_thread(lambda: self._host.reap_orphans(min_age_s=self.settings.orphan_min_age))
        self._tasks.append(asyncio.create_task(self._reaper(), name="sandbox-reaper"))
        self._tasks.append(asyncio.create_task(self._fill_pool(), name="sandbox-pool"))

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def _connect(self) -> WorkspaceHost:
        if self._host is not None and self._prepared:
            return self._host
        try:
            client = await asyncio.to_thread(self._client_factory)
            await asyncio.to_thread(client.ping)
        except (DockerException, OSError) as exc:
            raise LabUnavailable(f"the sandbox host does not answer: {exc}") from None
        status = await asyncio.to_thread(check_prepared, client)
        if not status.ok:
            raise LabNotPrepared(status.describe())
        self._host, self._prepared = WorkspaceHost(client, self.settings), True
        return self._host

    # -- learner commands -----------------------------------------------------------------------
    async def run_command(self, *, learner_id: int, command: str, on_queued: Queued | None = None) -> CommandResult:
        """Run a learner's shell command in their workspace, after their previous one."""
        command = _validated(command)
        async with self._turn(learner_id, on_queued):
            workspace = await self._workspace(learner_id, on_queued)
            return await self._exec(workspace, command, timeout=self.settings.command_timeout)

    async def run_internal(self, *, learner_id: int, command: str, timeout: float = 20) -> CommandResult:
        """A command of the bot's own (exercise checks and setup): not queued behind the learner's."""
        workspace = await self._workspace(learner_id, None)
        return await self._exec(workspace, command, timeout=timeout, pidfile="/run/tutorbot-internal.pid")

    async def write_files(self, *, learner_id: int, files: dict[str, bytes]) -> None:
        workspace = await self._workspace(learner_id, None)
        await self._docker(self._host.put_files, workspace, files)

    async def build(self, *, learner_id: int, context: BuildContext, tag: str | None = None,
                    on_progress: Callable[[BuildProgress], Awaitable[None]] | None = None,
                    on_queued: Queued | None = None) -> BuildResult:
        """Build in the learner's own daemon: the image stays there for `docker run`."""
        tag = tag or "mon-image"
        if not _TAG.match(tag):
            raise CommandRejected(f"nom d'image invalide : {tag[:60]}")
        async with self._turn(learner_id, on_queued):
            workspace = await self._workspace(learner_id, on_queued)
            if context.archive is not None:
                target = f"{WORKDIR}/contexte"
                await self._exec(workspace, f"rm -rf {target} && mkdir -p {target}", timeout=30)
                await self._docker(self._host.put_tar, workspace, context.archive, target)
            else:
                target = WORKDIR
                await self._docker(self._host.put_files, workspace, {"Dockerfile": context.dockerfile.encode()})
            return await self._build(workspace, target, tag, on_progress)

    async def reset(self, *, learner_id: int) -> None:
        """Throw the learner's workspace away; the next command gets a fresh one."""
        host = await self._connect()
        async with self._turn(learner_id, None):
            workspace = await self._docker(host.get, learner_id)
            if workspace is not None:
                await self._docker(host.remove, workspace)
            self._last_used.pop(learner_id, None)

    async def workspace_status(self, *, learner_id: int) -> str:
        host = await self._connect()
        workspace = await self._docker(host.get, learner_id)
        if workspace is None:
            return "none"
        return "running" if workspace.running else "stopped"

    # -- internals ------------------------------------------------------------------------------
    @asynccontextmanager
    async def _turn(self, learner_id: int, on_queued: Queued | None) -> AsyncIterator[None]:
        lock = self._locks.setdefault(learner_id, asyncio.Lock())
        if lock.locked():
            self._waiting[learner_id] = self._waiting.get(learner_id, 0) + 1
            if on_queued is not None:
                await on_queued(self._waiting[learner_id], "busy")
        try:
            async with lock:
                if self._waiting.get(learner_id):
                    self._waiting[learner_id] -= 1
                self._busy.add(learner_id)
                try:
                    yield
                finally:
                    self._busy.discard(learner_id)
                    self._last_used[learner_id] = time.monotonic()
        finally:
            if not lock.locked() and not self._waiting.get(learner_id):
                self._locks.pop(learner_id, None)

    async def _workspace(self, learner_id: int, on_queued: Queued | None) -> Workspace:
        host = await self._connect()
        existing = await self._docker(host.get, learner_id)
        if existing is not None and existing.running:
            self._last_used[learner_id] = time.monotonic()
            return existing
        await self._take_slot(learner_id, on_queued)
        async with self._starting:
            existing = await self._docker(host.get, learner_id)
            if existing is not None:
                workspace = await self._docker(host.ensure_running, existing)
            else:
                workspace = await self._docker(host.claim_pooled, learner_id) or \
                    await self._docker(host.create, host.learner_name(learner_id))
        self._last_used[learner_id] = time.monotonic()
        self._tasks.append(asyncio.create_task(self._fill_pool(), name="sandbox-pool"))
        return workspace

    def _running_learners(self) -> set[int]:
        return {learner for learner in self._last_used}

    async def _take_slot(self, learner_id: int, on_queued: Queued | None) -> None:
        """Wait for a free workspace slot; an idle workspace may be stopped to make room."""
        while len(self._running_learners() - {learner_id}) >= self.settings.max_workspaces:
            if await self._evict_one():
                return
            if len(self._slot_queue) >= MAX_WAITING:
                raise LabFull(len(self._slot_queue) + 1)
            waiter = asyncio.get_running_loop().create_future()
            self._slot_queue.append(waiter)
            if on_queued is not None:
                await on_queued(len(self._slot_queue), "full")
            try:
                await asyncio.wait_for(waiter, self.settings.evict_idle_after or 30)
            except TimeoutError:
                pass
            finally:
                if waiter in self._slot_queue:
                    self._slot_queue.remove(waiter)

    async def _evict_one(self) -> bool:
        now = time.monotonic()
        idle = [(used, learner) for learner, used in self._last_used.items()
                if learner not in self._busy and now - used >= self.settings.evict_idle_after]
        if not idle:
            return False
        _, learner = min(idle)
        await self._stop(learner)
        return True

    async def _stop(self, learner_id: int) -> None:
        workspace = await self._docker(self._host.get, learner_id)
        self._last_used.pop(learner_id, None)
        if workspace is not None and workspace.running:
            await self._docker(self._host.stop, workspace)
        if self._slot_queue:
            waiter = self._slot_queue.pop(0)
            if not waiter.done():
                waiter.set_result(None)

    async def _exec(self, workspace: Workspace, command: str, *, timeout: float,
                    pidfile: str = "/run/tutorbot-command.pid",
                    on_line: Callable[[str], None] | None = None) -> CommandResult:
        request = ExecRequest(command=command, timeout=timeout, output_limit=self.settings.output_limit,
                              stream_limit=self.settings.stream_limit, file_size_kb=int(self.settings.disk_limit_gb * 1024 * 1024),
                              pidfile=pidfile)
        try:
            return await run_in_workspace(self._host.client, workspace.container_id, request, on_line=on_line)
        except (DockerException, OSError) as exc:
            raise LabUnavailable(f"the workspace did not answer: {exc}") from None

    async def _build(self, workspace: Workspace, target: str, tag: str,
                     on_progress: Callable[[BuildProgress], Awaitable[None]] | None) -> BuildResult:
        loop = asyncio.get_running_loop()
        steps: list[tuple[int, int, str]] = []

        def on_line(line: str) -> None:
            match = _STEP.match(line.strip())
            if match:
                steps.append((int(match[1]), int(match[2]), match[3]))
                if on_progress is not None:
                    progress = BuildProgress(int(match[1]), int(match[2]), match[3])
                    loop.call_soon_threadsafe(lambda: loop.create_task(on_progress(progress)))

        result = await self._exec(workspace, f"DOCKER_BUILDKIT=0 docker build -t {tag} {target}",
                                  timeout=self.settings.build_timeout, on_line=on_line)
        total = steps[-1][1] if steps else None
        if result.exit_code != 0:
            failed = steps[-1][2] if steps else None
            error = "\n".join(result.output.strip().splitlines()[-15:])
            return BuildResult(False, None, None, result.duration_s, failed, error, result.output, total, tag)
        inspect = await self._exec(workspace, f"docker image inspect {tag} --format '{{{{.Id}}}} {{{{.Size}}}}'", timeout=20)
        image_id, _, size = inspect.output.strip().partition(" ")
        return BuildResult(True, image_id or None, int(size) if size.isdigit() else None, result.duration_s,
                           None, None, result.output, total, tag)

    async def _docker(self, function, *args):  # noqa: ANN001, ANN202
        try:
            return await asyncio.to_thread(function, *args)
        except (DockerException, OSError) as exc:
            raise LabUnavailable(f"the sandbox host failed: {exc}") from None

    async def _fill_pool(self) -> None:
        host = self._host
        if host is None or self.settings.warm_pool_size == 0:
            return
        try:
            workspaces = await asyncio.to_thread(host.list)
            pooled = sum(1 for w in workspaces if w.pooled and w.running)
            running = sum(1 for w in workspaces if w.running)
            while pooled < self.settings.warm_pool_size and running < self.settings.max_workspaces + self.settings.warm_pool_size:
                await asyncio.to_thread(host.create_pooled)
                pooled, running = pooled + 1, running + 1
        except Exception as exc:  # noqa: BLE001 - the pool is an optimisation
            log.warning("warm pool not filled: %s", exc)

    async def _reaper(self) -> None:
        while True:
            await asyncio.sleep(self.settings.reap_interval)
            try:
                await self.reap()
            except Exception as exc:  # noqa: BLE001 - keep reaping next time
                log.warning("reaper failed: %s", exc)

    async def reap(self) -> None:
        """Stop idle workspaces, remove those stopped for longer than the retention, and orphans."""
        now = time.monotonic()
        for learner, used in list(self._last_used.items()):
            if learner not in self._busy and now - used >= self.settings.idle_stop_after:
                await self._stop(learner)
        from datetime import UTC, datetime

        wall = datetime.now(UTC)
        for workspace in await asyncio.to_thread(self._host.list):
            if workspace.running or workspace.learner_id is None:
                continue
            detail = await asyncio.to_thread(self._host.get, workspace.learner_id)
            if detail and detail.finished_at and (wall - detail.finished_at).total_seconds() >= self.settings.remove_after:
                await asyncio.to_thread(self._host.remove, detail)
        await asyncio.to_thread(lambda: self._host.reap_orphans(min_age_s=self.settings.orphan_min_age))


def _validated(command: str) -> str:
    command = command.strip()
    if not command:
        raise CommandRejected("commande vide")
    if len(command) > MAX_COMMAND_CHARS:
        raise CommandRejected(f"commande trop longue ({len(command)} caractères, {MAX_COMMAND_CHARS} au plus)")
    if "\x00" in command:
        raise CommandRejected("la commande contient des octets nuls")
    return command
