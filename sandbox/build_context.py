"""What a learner asks us to build, checked and repacked as a clean tar before it reaches the lab.

The bot never extracts a learner's archive on its own disk: it reads members as a stream with hard
limits (size of every header, total size, count, paths, links, devices: sandbox/tar_stream.py for tars)
and writes a fresh tar as it goes, which the learner's own uid unpacks in their workspace
(sandbox/learner_writes.py). Archive bombs hit a budget before memory is at risk: one check holds at most
the upload, the Dockerfile and the repacked tree (`MAX_ARCHIVE_BYTES` + `MAX_UNPACKED_BYTES` and headers),
and at most `CHECKS_AT_ONCE` run at once, off the event loop (`read_upload`).
"""

from __future__ import annotations

import asyncio
import io
import posixpath
import re
import tarfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sandbox.errors import ErrorCode, InvalidBuildContext
from sandbox.tar_stream import MAX_HEADER_BYTES, Readable, TarStream, decompressed
from sandbox.workspace_spec import LEARNER_GID, LEARNER_UID

__all__ = ["CHECKS_AT_ONCE", "BuildContext", "read_upload"]

MAX_DOCKERFILE_BYTES = 256 * 1024
MAX_INSTRUCTIONS = 200
MAX_ARCHIVE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 2000
# Every byte of the decompressed tar counts, headers and padding included: a member costs at most a header,
# a long name, a long link name and a pax record (MAX_HEADER_BYTES each) and 511 bytes of padding.
MAX_TAR_STREAM_BYTES = MAX_UNPACKED_BYTES + MAX_MEMBERS * (4 * 512 + 3 * MAX_HEADER_BYTES) + 1024
CHECKS_AT_ONCE = 2  # archives checked at the same time: the bot's memory ceiling for uploads
_CHECKS = ThreadPoolExecutor(max_workers=CHECKS_AT_ONCE, thread_name_prefix="archive-check")
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
        """A .zip / .tar / .tar.gz / .tar.bz2 / .tar.xz upload with a Dockerfile at its root (blocking: the bot
        calls `read_upload`)."""
        if len(data) > MAX_ARCHIVE_BYTES:
            raise InvalidBuildContext(ErrorCode.ARCHIVE_TOO_BIG, size_bytes=len(data), limit_bytes=MAX_ARCHIVE_BYTES)
        repacked = _Repacked()
        if name.lower().endswith(".zip"):
            _read_zip(data, repacked)
        else:
            _read_tar(data, repacked)
        if repacked.dockerfile is None:
            raise InvalidBuildContext(ErrorCode.NO_DOCKERFILE)
        dockerfile = repacked.dockerfile.decode("utf-8", errors="replace")
        _check_instructions(dockerfile)
        return cls(dockerfile=dockerfile, archive=repacked.finish(), source=name, members=tuple(repacked.paths))


async def read_upload(name: str, data: bytes) -> BuildContext:
    """`BuildContext.from_archive` on the checks' own threads: the event loop, and so every other learner's
    reply, never waits for an archive, and no more than `CHECKS_AT_ONCE` are held in memory."""
    return await asyncio.get_running_loop().run_in_executor(_CHECKS, BuildContext.from_archive, name, data)


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

    def claim(self, declared: int) -> None:
        """A member's declared size, counted before a byte of it is read (it is then copied exactly)."""
        self.bytes += declared
        if self.bytes > MAX_UNPACKED_BYTES:
            raise InvalidBuildContext(ErrorCode.UNPACKED_TOO_BIG, limit_bytes=MAX_UNPACKED_BYTES)


class _Repacked:
    """The clean tar, written member by member as the upload is read: a member's body is copied from the
    decompressor into it, never held on its own (but the Dockerfile's, 256 KiB at most). The learner's own
    files, never root's, no setuid bit."""

    def __init__(self) -> None:
        self.budget = _Budget()
        self.paths: list[str] = []
        self.dockerfile: bytes | None = None
        self._buffer = io.BytesIO()
        self._tar = tarfile.open(fileobj=self._buffer, mode="w", format=tarfile.PAX_FORMAT)

    def add_folder(self, path: str) -> None:
        self.paths.append(path)
        if path != ".":
            self._tar.addfile(self._info(path, tarfile.DIRTYPE, 0o2775))

    def add_file(self, path: str, size: int, body: Readable) -> None:
        """Copy exactly `size` bytes of `body` (its declared size, already within the budget)."""
        self.budget.claim(size)
        self.paths.append(path)
        if path == "Dockerfile":
            if size > MAX_DOCKERFILE_BYTES:
                raise InvalidBuildContext(ErrorCode.DOCKERFILE_TOO_BIG, size_bytes=size,
                                          limit_bytes=MAX_DOCKERFILE_BYTES)
            self.dockerfile = body.read(size)
            body = io.BytesIO(self.dockerfile)
        info = self._info(path, tarfile.REGTYPE, 0o664)
        info.size = size
        try:
            self._tar.addfile(info, body)
        except (OSError, EOFError, zipfile.BadZipFile):  # shorter than declared, or a bad checksum
            raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE) from None

    @staticmethod
    def _info(path: str, kind: bytes, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(path)
        info.type, info.mode, info.uid, info.gid = kind, mode, LEARNER_UID, LEARNER_GID
        return info

    def finish(self) -> bytes:
        self._tar.close()
        return self._buffer.getvalue()


MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024  # zipfile parses the central directory whole: a budget before it does


def _zip_directory_size(data: bytes) -> int:
    """The central directory's size, read from the end record (zipfile would parse all its entries at once)."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if at < 0 or at + 22 > len(data):
        raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE)
    return int.from_bytes(data[at + 12:at + 16], "little")


def _read_zip(data: bytes, repacked: _Repacked) -> None:
    budget = repacked.budget
    if _zip_directory_size(data) > MAX_ZIP_DIRECTORY_BYTES:  # ZIP64's 0xFFFFFFFF included
        raise InvalidBuildContext(ErrorCode.TOO_MANY_FILES, limit=MAX_MEMBERS)
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
                repacked.add_folder(path)
                continue
            try:
                with archive.open(info) as stream:
                    repacked.add_file(path, info.file_size, stream)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
                raise InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE) from None


def _read_tar(data: bytes, repacked: _Repacked) -> None:
    budget = repacked.budget
    archive = TarStream(decompressed(data), max_bytes=MAX_TAR_STREAM_BYTES, limit_shown=MAX_UNPACKED_BYTES)
    for entry in archive.entries():
        budget.member()
        path = _safe_path(entry.name)
        if entry.kind in ("symlink", "hardlink"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), entry.linkname))
            if entry.linkname.startswith("/") or target == ".." or target.startswith("../"):
                raise InvalidBuildContext(ErrorCode.LINK_ESCAPES, name=entry.name[:80])
            raise InvalidBuildContext(ErrorCode.LINK_REFUSED, name=entry.name[:80])
        if entry.kind == "dir":
            repacked.add_folder(path)
        elif entry.kind == "file":
            repacked.add_file(path, entry.size, archive)
        else:
            raise InvalidBuildContext(ErrorCode.SPECIAL_FILE, name=entry.name[:80])
