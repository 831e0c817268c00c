"""What a learner asks us to build, checked and repacked as a clean tar before it reaches the lab.

The bot never extracts a learner's archive on its own disk: it reads members in memory with
hard limits (size, count, paths, links, devices) and writes a fresh tar that is streamed into
the learner's workspace. Archive bombs hit the byte budget long before memory is at risk.
"""

from __future__ import annotations

import io
import posixpath
import re
import tarfile
import zipfile
from dataclasses import dataclass, field
from typing import IO

from sandbox.errors import ErrorCode, InvalidBuildContext
from sandbox.workspace_spec import LEARNER_GID, LEARNER_UID

__all__ = ["BuildContext"]

MAX_DOCKERFILE_BYTES = 256 * 1024
MAX_INSTRUCTIONS = 200
MAX_ARCHIVE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000
_INSTRUCTION = re.compile(r"^\s*[A-Za-z]+\s", re.MULTILINE)


@dataclass(frozen=True)
class BuildContext:
    """A build: the Dockerfile text, and either the workspace folder or an uploaded tree as context."""

    dockerfile: str
    archive: bytes | None = None  # a clean tar of the uploaded context, or None: build the workspace folder
    source: str = "message"
    members: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_dockerfile(cls, text: str | bytes) -> BuildContext:
        """A Dockerfile sent as text: built with the learner's working folder as context."""
        raw = text.encode() if isinstance(text, str) else text
        if len(raw) > MAX_DOCKERFILE_BYTES:
            raise InvalidBuildContext(ErrorCode.DOCKERFILE_TOO_BIG, size_bytes=len(raw),
                                      limit_bytes=MAX_DOCKERFILE_BYTES)
        dockerfile = raw.decode("utf-8", errors="replace")
        _check_instructions(dockerfile)
        return cls(dockerfile=dockerfile)

    @classmethod
    def from_archive(cls, name: str, data: bytes) -> BuildContext:
        """A .zip / .tar / .tar.gz upload with a Dockerfile at its root."""
        if len(data) > MAX_ARCHIVE_BYTES:
            raise InvalidBuildContext(ErrorCode.ARCHIVE_TOO_BIG, size_bytes=len(data), limit_bytes=MAX_ARCHIVE_BYTES)
        lowered = name.lower()
        members = _read_zip(data) if lowered.endswith(".zip") else _read_tar(data)
        files = {path: body for path, body in members if body is not None}
        if "Dockerfile" not in files:
            raise InvalidBuildContext(ErrorCode.NO_DOCKERFILE)
        dockerfile = files["Dockerfile"].decode("utf-8", errors="replace")
        _check_instructions(dockerfile)
        return cls(dockerfile=dockerfile, archive=_repack(members), source=name,
                   members=tuple(path for path, _ in members))


def _check_instructions(dockerfile: str) -> None:
    count = len(_INSTRUCTION.findall(dockerfile))
    if count > MAX_INSTRUCTIONS:
        raise InvalidBuildContext(ErrorCode.TOO_MANY_INSTRUCTIONS, count=count, limit=MAX_INSTRUCTIONS)


def _safe_path(name: str) -> str:
    cleaned = name.replace("\\", "/")
    if cleaned.startswith("/") or re.match(r"^[A-Za-z]:", cleaned):
        raise InvalidBuildContext(ErrorCode.ABSOLUTE_PATH, name=name[:80])
    normalised = posixpath.normpath(cleaned)
    if normalised == ".." or normalised.startswith("../") or "/../" in f"/{cleaned}/":
        raise InvalidBuildContext(ErrorCode.PATH_ESCAPES, name=name[:80])
    return normalised


class _Budget:
    def __init__(self) -> None:
        self.bytes = 0
        self.members = 0

    def member(self) -> None:
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise InvalidBuildContext(ErrorCode.TOO_MANY_FILES, limit=MAX_MEMBERS)

    def read(self, stream: IO[bytes], declared: int) -> bytes:
        if self.bytes + declared > MAX_UNPACKED_BYTES:
            raise InvalidBuildContext(ErrorCode.UNPACKED_TOO_BIG, limit_bytes=MAX_UNPACKED_BYTES)
        chunks = []
        while chunk := stream.read(64 * 1024):
            self.bytes += len(chunk)
            if self.bytes > MAX_UNPACKED_BYTES:
                raise InvalidBuildContext(ErrorCode.UNPACKED_TOO_BIG, limit_bytes=MAX_UNPACKED_BYTES)
            chunks.append(chunk)
        return b"".join(chunks)


Member = tuple[str, bytes | None]  # (path, content) or (path, None) for a directory


def _read_zip(data: bytes) -> list[Member]:
    budget, members = _Budget(), list[Member]()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE) from None
    with archive:
        for info in archive.infolist():
            budget.member()
            path = _safe_path(info.filename)
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                raise InvalidBuildContext(ErrorCode.LINK_REFUSED, name=info.filename[:80])
            if info.is_dir():
                members.append((path, None))
                continue
            with archive.open(info) as stream:
                members.append((path, budget.read(stream, info.file_size)))
    return members


def _read_tar(data: bytes) -> list[Member]:
    budget, members = _Budget(), list[Member]()
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except (tarfile.TarError, EOFError, OSError):
        raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE) from None
    with archive:
        try:
            for info in archive:
                budget.member()
                path = _safe_path(info.name)
                if info.issym() or info.islnk():
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), info.linkname))
                    if info.linkname.startswith("/") or target == ".." or target.startswith("../"):
                        raise InvalidBuildContext(ErrorCode.LINK_ESCAPES, name=info.name[:80])
                    raise InvalidBuildContext(ErrorCode.LINK_REFUSED, name=info.name[:80])
                if info.isdir():
                    members.append((path, None))
                elif info.isfile():
                    stream = archive.extractfile(info)
                    members.append((path, budget.read(stream, info.size) if stream else b""))
                else:
                    raise InvalidBuildContext(ErrorCode.SPECIAL_FILE, name=info.name[:80])
        except (tarfile.TarError, EOFError, OSError, zipfile.BadZipFile):
            raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE) from None
    return members


def _repack(members: list[Member]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path, body in members:
            if path == ".":
                continue
            info = tarfile.TarInfo(path)
            info.uid, info.gid = LEARNER_UID, LEARNER_GID  # the learner's own files, never root's
            if body is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o2775
                archive.addfile(info)
            else:
                info.size, info.mode = len(body), 0o664
                archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()
