"""Lab errors: each carries a stable `code` and the values behind it; `str()` is plain English, for logs.

The lab never words a learner's message: the bot renders `code` and `details` from bot/i18n.

SandboxError(code, details)
 ├── LabUnavailable            LAB_UNAVAILABLE: the sandbox host does not answer, or answered with an error
 │    └── HostDiskFull(free_bytes, needed_bytes)
 │                             HOST_DISK_FULL: the sandbox host has no room for one more workspace disk
 ├── LabNotPrepared            LAB_NOT_PREPARED: images missing, run `tutorbot sandbox prepare`
 ├── LabFull(position)         LAB_FULL: too many learners waiting; nothing was run
 ├── InvalidBuildContext(code) an upload we refuse to build: DOCKERFILE_TOO_BIG, TOO_MANY_INSTRUCTIONS,
 │                             ARCHIVE_TOO_BIG, UNPACKED_TOO_BIG, TOO_MANY_FILES, NO_DOCKERFILE,
 │                             UNREADABLE_ARCHIVE, ABSOLUTE_PATH, PATH_ESCAPES, LINK_ESCAPES, LINK_REFUSED,
 │                             SPECIAL_FILE, HEADER_TOO_BIG
 ├── FilesNotWritten(name)     FILES_NOT_WRITTEN: files the bot puts in a workspace (an upload, an exercise's
 │                             set-up) could not be written there, as the learner; `name` is the folder to clear
 └── CommandRejected(code)     input we refuse to run: EMPTY_COMMAND, COMMAND_TOO_LONG, NUL_BYTES, INVALID_TAG
      └── DiskLimitReached(used_bytes, limit_bytes)
                               DISK_LIMIT: the workspace is over its disk limit, only commands that free space run

`details` holds what a message may show, by name: sizes in bytes end in `_bytes` (`size_bytes`, `used_bytes`,
`limit_bytes`); `count`, `length` and `limit` are counts (instructions, files, characters); `position` in the
line; `name` a path in an archive and `tag` an image name, both cut short.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

__all__ = [
    "CommandRejected", "Detail", "DiskLimitReached", "ErrorCode", "FilesNotWritten", "HostDiskFull",
    "InvalidBuildContext", "LabFull", "LabNotPrepared", "LabUnavailable", "SandboxError",
]

Detail = int | str


class ErrorCode(StrEnum):
    """What went wrong, stable across releases: the bot keys its messages on these values."""

    LAB_UNAVAILABLE = "lab_unavailable"
    LAB_NOT_PREPARED = "lab_not_prepared"
    LAB_FULL = "lab_full"
    HOST_DISK_FULL = "lab_host_disk_full"
    # InvalidBuildContext
    DOCKERFILE_TOO_BIG = "dockerfile_too_big"
    TOO_MANY_INSTRUCTIONS = "too_many_instructions"
    ARCHIVE_TOO_BIG = "archive_too_big"
    UNPACKED_TOO_BIG = "unpacked_too_big"
    TOO_MANY_FILES = "too_many_files"
    NO_DOCKERFILE = "no_dockerfile"
    UNREADABLE_ARCHIVE = "unreadable_archive"
    ABSOLUTE_PATH = "absolute_path"
    PATH_ESCAPES = "path_escapes"
    LINK_ESCAPES = "link_escapes"
    LINK_REFUSED = "link_refused"
    SPECIAL_FILE = "special_file"
    HEADER_TOO_BIG = "header_too_big"
    # FilesNotWritten
    FILES_NOT_WRITTEN = "files_not_written"
    # CommandRejected
    EMPTY_COMMAND = "empty_command"
    COMMAND_TOO_LONG = "command_too_long"
    NUL_BYTES = "nul_bytes"
    INVALID_TAG = "invalid_tag"
    DISK_LIMIT = "disk_limit"


# English, for logs and recorded attempts; never shown to a learner.
_ENGLISH: dict[ErrorCode, str] = {
    ErrorCode.LAB_FULL: "the lab is full (position {position})",
    ErrorCode.HOST_DISK_FULL: "no room on the sandbox host for a workspace disk ({free_bytes} bytes free, "
                              "{needed_bytes} needed)",
    ErrorCode.DOCKERFILE_TOO_BIG: "Dockerfile too big ({size_bytes} bytes, {limit_bytes} at most)",
    ErrorCode.TOO_MANY_INSTRUCTIONS: "too many instructions ({count}, {limit} at most)",
    ErrorCode.ARCHIVE_TOO_BIG: "archive too big ({size_bytes} bytes, {limit_bytes} at most)",
    ErrorCode.UNPACKED_TOO_BIG: "archive too big once unpacked ({limit_bytes} bytes at most)",
    ErrorCode.TOO_MANY_FILES: "too many files in the archive ({limit} at most)",
    ErrorCode.NO_DOCKERFILE: "no Dockerfile at the root of the archive",
    ErrorCode.UNREADABLE_ARCHIVE: "unreadable or damaged archive",
    ErrorCode.ABSOLUTE_PATH: "absolute path in the archive: {name}",
    ErrorCode.PATH_ESCAPES: "path leaving the archive: {name}",
    ErrorCode.LINK_ESCAPES: "link pointing outside the archive: {name}",
    ErrorCode.LINK_REFUSED: "links are not accepted: {name}",
    ErrorCode.SPECIAL_FILE: "special file refused: {name}",
    ErrorCode.HEADER_TOO_BIG: "an archive header (long name or pax record) of {size_bytes} bytes ({limit_bytes} at most)",
    ErrorCode.FILES_NOT_WRITTEN: "files could not be written into {name} of the workspace, as the learner",
    ErrorCode.EMPTY_COMMAND: "empty command",
    ErrorCode.COMMAND_TOO_LONG: "command too long ({length} characters, {limit} at most)",
    ErrorCode.NUL_BYTES: "the command contains NUL bytes",
    ErrorCode.INVALID_TAG: "invalid image name: {tag}",
    ErrorCode.DISK_LIMIT: "the workspace uses {used_bytes} bytes of {limit_bytes}: only commands that free space run",
}


class SandboxError(Exception):
    """Base of every lab error: `code` says what happened, `details` the values a message may show."""

    codes: ClassVar[frozenset[ErrorCode]] = frozenset({ErrorCode.LAB_UNAVAILABLE})

    def __init__(self, message: str | None = None, *, code: ErrorCode | None = None, **details: Detail) -> None:
        if code is None:
            if len(self.codes) != 1:
                raise TypeError(f"{type(self).__name__} needs a code")
            (code,) = self.codes
        if code not in self.codes:
            raise ValueError(f"{type(self).__name__} cannot carry the code {code!r}")
        super().__init__(message or _ENGLISH.get(code, code.value).format(**details))
        self.code: ErrorCode = code
        self.details: Mapping[str, Detail] = dict(details)


class LabUnavailable(SandboxError):
    """The sandbox host does not answer, or answered with an error (the message says which, in English)."""

    codes = frozenset({ErrorCode.LAB_UNAVAILABLE})


class HostDiskFull(LabUnavailable):
    """The sandbox host's free space would not cover the workspace disks it has promised: nothing was started."""

    codes = frozenset({ErrorCode.HOST_DISK_FULL})

    def __init__(self, free_bytes: int, needed_bytes: int) -> None:
        super().__init__(None, code=ErrorCode.HOST_DISK_FULL, free_bytes=free_bytes, needed_bytes=needed_bytes)


class LabNotPrepared(SandboxError):
    """The lab's images or mirror are missing: an administrator runs `tutorbot sandbox prepare`."""

    codes = frozenset({ErrorCode.LAB_NOT_PREPARED})


class LabFull(SandboxError):
    """Every workspace slot is taken and the line is too long: nothing was run."""

    codes = frozenset({ErrorCode.LAB_FULL})

    def __init__(self, position: int) -> None:
        super().__init__(code=ErrorCode.LAB_FULL, position=position)
        self.position = position


class InvalidBuildContext(SandboxError):
    """An upload or Dockerfile we refuse to build; `code` says why."""

    codes = frozenset({
        ErrorCode.DOCKERFILE_TOO_BIG, ErrorCode.TOO_MANY_INSTRUCTIONS, ErrorCode.ARCHIVE_TOO_BIG,
        ErrorCode.UNPACKED_TOO_BIG, ErrorCode.TOO_MANY_FILES, ErrorCode.NO_DOCKERFILE, ErrorCode.UNREADABLE_ARCHIVE,
        ErrorCode.ABSOLUTE_PATH, ErrorCode.PATH_ESCAPES, ErrorCode.LINK_ESCAPES, ErrorCode.LINK_REFUSED,
        ErrorCode.SPECIAL_FILE, ErrorCode.HEADER_TOO_BIG,
    })

    def __init__(self, code: ErrorCode, **details: Detail) -> None:
        super().__init__(None, code=code, **details)


class FilesNotWritten(SandboxError):
    """Files the bot puts in a workspace could not be written there as the learner (something in `name`, such
    as a folder a container made, blocks them): never ignored, the learner is told what to clear."""

    codes = frozenset({ErrorCode.FILES_NOT_WRITTEN})

    def __init__(self, name: str, reason: str = "") -> None:
        english = _ENGLISH[ErrorCode.FILES_NOT_WRITTEN].format(name=name)
        super().__init__(f"{english}: {reason[:200]}" if reason else english, code=ErrorCode.FILES_NOT_WRITTEN,
                         name=name)
        self.name = name


class CommandRejected(SandboxError):
    """Input we refuse to run; `code` says why."""

    codes = frozenset({ErrorCode.EMPTY_COMMAND, ErrorCode.COMMAND_TOO_LONG, ErrorCode.NUL_BYTES,
                       ErrorCode.INVALID_TAG})

    def __init__(self, code: ErrorCode, **details: Detail) -> None:
        super().__init__(None, code=code, **details)


class DiskLimitReached(CommandRejected):
    """The workspace is over its disk limit: only commands that look at or free space run."""

    codes = frozenset({ErrorCode.DISK_LIMIT})

    def __init__(self, used_bytes: int, limit_bytes: int) -> None:
        super().__init__(ErrorCode.DISK_LIMIT, used_bytes=used_bytes, limit_bytes=limit_bytes)
        self.used_bytes, self.limit_bytes = used_bytes, limit_bytes
