"""Lab errors; the bot turns each into a friendly reply and records the attempt.

SandboxError
 ├── LabUnavailable       the sandbox host does not answer, or answered with an error
 ├── LabNotPrepared       images missing: run `tutorbot sandbox prepare`
 ├── LabFull(position)    too many learners waiting; nothing was run
 ├── InvalidBuildContext  an upload we refuse to build (size, paths, links, no Dockerfile)
 └── CommandRejected      input we refuse to run (empty, too long, binary)
      └── DiskLimitReached(used_bytes, limit_bytes)
                          the workspace is over its disk limit: only commands that free space run
"""

from __future__ import annotations

__all__ = ["CommandRejected", "DiskLimitReached", "InvalidBuildContext", "LabFull", "LabNotPrepared", "LabUnavailable", "SandboxError"]


class SandboxError(Exception):
    """Base of every lab error."""


class LabUnavailable(SandboxError):
    pass


class LabNotPrepared(SandboxError):
    pass


class LabFull(SandboxError):
    def __init__(self, position: int) -> None:
        super().__init__(f"the lab is full (position {position})")
        self.position = position


class InvalidBuildContext(SandboxError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CommandRejected(SandboxError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DiskLimitReached(CommandRejected):
    def __init__(self, used_bytes: int, limit_bytes: int) -> None:
        super().__init__(
            f"ton labo utilise {used_bytes / 1e9:.1f} Go sur {limit_bytes / 1e9:.1f} Go : libère de la place "
            "(docker system prune -a, docker rmi, rm) ou repars de zéro avec /reset")
        self.used_bytes, self.limit_bytes = used_bytes, limit_bytes
