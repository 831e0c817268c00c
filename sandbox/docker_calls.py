"""Synchronous Docker SDK calls, run on a thread pool of the lab's own so they never block the event loop.

The pool is sized for the cap: every running command holds a thread for its output stream, and the
default executor (a handful of threads on a small machine) would make twenty learners wait on each
other and start their time limits before their commands do.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from docker.errors import DockerException

from sandbox.errors import LabUnavailable

__all__ = ["DockerCalls"]

P = ParamSpec("P")
T = TypeVar("T")


class DockerCalls:
    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sandbox-docker")

    async def raw(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run in the pool; Docker errors are the caller's to interpret."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(function, *args, **kwargs))

    async def __call__(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run in the pool; a failing or unreachable sandbox host becomes LabUnavailable."""
        try:
            return await self.raw(function, *args, **kwargs)
        except (DockerException, OSError) as exc:
            raise LabUnavailable(f"the sandbox host failed: {exc}") from None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
