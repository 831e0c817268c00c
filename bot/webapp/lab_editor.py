"""The Lab tab's editor: `/api/lab/files`, `/api/lab/file` (GET, PUT) and `/api/lab/build` (the build's steps
streamed as JSON lines). The caller's own workspace only: the learner is the one Telegram's initData names."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import web

from bot.context import Services
from bot.services.lab import LabRefusal
from bot.services.lab_editor import (
    EditorRefused,
    build_dockerfile,
    list_files,
    read_file,
    save_file,
)
from bot.services.lab_terminal import learner_id_of
from bot.webapp.server import APPLICATION, caller, json_error

if TYPE_CHECKING:
    from sandbox.results import BuildProgress

__all__ = ["routes"]

_STATUS = {"bad_path": 400, "too_big": 413, "not_text": 415, "not_found": 404, "lab_off": 403,
           "not_a_learner": 403, "files_not_written": 409}
LOG_TAIL = 4000


def routes() -> Iterable[web.AbstractRouteDef]:
    return [web.get("/api/lab/files", files), web.get("/api/lab/file", file), web.put("/api/lab/file", save),
            web.post("/api/lab/build", build)]


def _services(request: web.Request) -> Services:
    return request.app[APPLICATION].bot_data["services"]


async def _learner(request: web.Request) -> int:
    services = _services(request)
    if services.sandbox is None or not services.settings.lab_enabled:
        raise EditorRefused("lab_off")
    learner_id = await learner_id_of(services.db, caller(request).telegram_id)
    if learner_id is None:
        raise EditorRefused("not_a_learner")
    return learner_id


def _refused(refused: EditorRefused) -> web.Response:
    return json_error(_STATUS.get(refused.code, 503), refused.code)


async def files(request: web.Request) -> web.Response:
    try:
        listed = await list_files(sandbox=_services(request).sandbox, learner_id=await _learner(request))
    except EditorRefused as refused:
        return _refused(refused)
    return web.json_response({"files": [{"path": f.path, "folder": f.folder, "size": f.size} for f in listed]})


async def file(request: web.Request) -> web.Response:
    path = request.query.get("path", "")
    try:
        text = await read_file(sandbox=_services(request).sandbox, learner_id=await _learner(request), path=path)
    except EditorRefused as refused:
        return _refused(refused)
    return web.json_response({"path": path, "text": text})


async def save(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        path, text = str(body["path"]), str(body["text"])
    except (ValueError, KeyError, TypeError):
        return json_error(400, "bad_request")
    try:
        await save_file(sandbox=_services(request).sandbox, learner_id=await _learner(request), path=path, text=text)
    except EditorRefused as refused:
        return _refused(refused)
    return web.json_response({"saved": path})


async def build(request: web.Request) -> web.StreamResponse:
    """The build's progress as JSON lines (`queued`, `step`), then `done` with its outcome or `refused`."""
    try:
        body = await request.json()
        dockerfile, tag = str(body["dockerfile"]), str(body.get("tag") or "mon-image")
        learner_id = await _learner(request)
    except (ValueError, KeyError, TypeError):
        return json_error(400, "bad_request")
    except EditorRefused as refused:
        return _refused(refused)
    services = _services(request)
    response = web.StreamResponse(headers={"Content-Type": "application/x-ndjson", "Cache-Control": "no-store"})
    await response.prepare(request)

    async def send(line: dict) -> None:
        await response.write(json.dumps(line, ensure_ascii=False).encode() + b"\n")

    async def progress(step: BuildProgress) -> None:
        await send({"type": "step", "step": step.step, "total": step.total, "line": step.line,
                    "output": step.output})

    async def queued(position: int, why: str) -> None:
        await send({"type": "queued", "position": position, "why": why})

    outcome = await build_dockerfile(sandbox=services.sandbox, db=services.db, clock=services.clock,
                                     learner_id=learner_id, dockerfile=dockerfile, tag=tag, on_progress=progress,
                                     on_queued=queued)
    if isinstance(outcome, LabRefusal):
        await send({"type": "refused", "code": str(outcome.code)})
    else:
        result = outcome.result
        await send({"type": "done", "ok": result.ok, "tag": result.tag, "failed_step": result.failed_step,
                    "error": result.error, "timed_out": result.timed_out, "duration_s": round(result.duration_s, 1),
                    "log": result.log[-LOG_TAIL:]})
    await response.write_eof()
    return response
