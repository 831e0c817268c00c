"""Errors of `tutorbot sandbox prepare`.

PrepareError            preparing the lab failed; the message says which step and shows its output tail
 +-- BuildFailed        an image build script exited non-zero
 +-- MirrorFailed       the registry mirror could not be started or filled
"""

from __future__ import annotations

__all__ = ["BuildFailed", "MirrorFailed", "PrepareError"]


class PrepareError(RuntimeError):
    """Preparing the lab failed."""


class BuildFailed(PrepareError):
    """An image build script exited non-zero."""


class MirrorFailed(PrepareError):
    """The registry mirror could not be started or filled."""
