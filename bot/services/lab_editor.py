"""The Lab tab's editor: the learner's files in /workspace, read and written as the learner, and the Dockerfile
built as the chat builds a pasted one (the same LabWork.build: recorded, diagnosed, in their own daemon)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.services import lab
from bot.services.clock import Clock
from bot.services.lab import LabRefusal
from bot.services.lab_work import BuildOutcome, LabWork, from_dockerfile
from bot.services.unit_of_work import Database
from sandbox.errors import SandboxError
from sandbox.workspace_files import MAX_FILE_BYTES, valid_path

if TYPE_CHECKING:
    from sandbox.results import BuildProgress
    from sandbox.service import SandboxService

__all__ = ["EditorRefused", "FileEntry", "build_dockerfile", "list_files", "read_file", "save_file"]


class EditorRefused(Exception):
    """`code`: `lab_off`, `bad_path`, `not_found`, `too_big`, `not_text`, or a sandbox ErrorCode."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class FileEntry:
    path: str
    folder: bool
    size: int


def _lab(sandbox: SandboxService | None) -> SandboxService:
    if sandbox is None:
        raise EditorRefused("lab_off")
    return sandbox


async def list_files(*, sandbox: SandboxService | None, learner_id: int) -> list[FileEntry]:
    try:
        listed = await _lab(sandbox).list_files(learner_id=learner_id)
    except SandboxError as exc:
        raise EditorRefused(str(exc.code)) from None
    return [FileEntry(path=entry.path, folder=entry.folder, size=entry.size) for entry in listed]


async def read_file(*, sandbox: SandboxService | None, learner_id: int, path: str) -> str:
    if not valid_path(path):
        raise EditorRefused("bad_path")
    try:
        data = await _lab(sandbox).read_file(learner_id=learner_id, path=path)
    except SandboxError as exc:
        raise EditorRefused(str(exc.code)) from None
    if data is None:
        raise EditorRefused("not_found")
    if len(data) > MAX_FILE_BYTES:
        raise EditorRefused("too_big")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditorRefused("not_text") from None


async def save_file(*, sandbox: SandboxService | None, learner_id: int, path: str, text: str) -> None:
    if not valid_path(path):
        raise EditorRefused("bad_path")
    data = text.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise EditorRefused("too_big")
    try:
        await _lab(sandbox).write_files(learner_id=learner_id, files={path: data})
    except SandboxError as exc:
        raise EditorRefused(str(exc.code)) from None


async def build_dockerfile(*, sandbox: SandboxService | None, db: Database, clock: Clock, learner_id: int,
                           dockerfile: str, tag: str,
                           on_progress: Callable[[BuildProgress], Awaitable[None]],
                           on_queued: Callable[[int, str], Awaitable[None]] | None) -> BuildOutcome | LabRefusal:
    """Build `dockerfile` (saved as /workspace/Dockerfile, the folder as context) as `tag`, as the chat does."""
    if sandbox is None:
        return lab.SWITCHED_OFF
    work = LabWork(sandbox=sandbox, db=db, clock=clock)
    worker = await work.worker(learner_id)
    context = await work.build_context(worker, dockerfile, from_dockerfile(dockerfile))
    if isinstance(context, LabRefusal):
        return context
    return await work.build(worker, dockerfile, context, tag=tag, on_progress=on_progress, on_queued=on_queued)
