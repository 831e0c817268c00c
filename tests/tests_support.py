"""Helpers shared by test folders (importable because tests/ is on sys.path via rootdir conftest)."""

from __future__ import annotations

import functools
import os
import shutil

import pytest
from filelock import FileLock


def docker_available() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        import docker

        docker.from_env(timeout=5).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means no engine
        return False


def require_docker_here() -> None:
    """Skip locally without Docker; in CI (CI=true) a missing engine is a failure, never a skip."""
    if docker_available():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but no Docker engine answers: the lab tests must run in CI")
    pytest.skip("no Docker engine on this machine (these tests always run in CI)")


def ensure_lab_prepared():
    """A Docker client whose engine has the lab images (prepared on first use, as `tutorbot sandbox prepare`)."""
    require_docker_here()

    import docker

    from sandbox.prepare import check_prepared, prepare

    client = docker.from_env(timeout=600)
    if not check_prepared(client).ok:
        cache = lab_cache_dir()
        with preparation_lock(cache):  # one preparation, whatever the number of workers and test runs
            if not check_prepared(client).ok:
                prepare(client, cache_dir=cache)
    return client


def lab_cache_dir():
    from pathlib import Path

    return Path(os.environ.get("TUTORBOT_CACHE_DIR") or Path.home() / ".cache" / "tutorbot")


def preparation_lock(cache_dir) -> FileLock:
    """Held while the lab is prepared: the pytest-xdist workers (and other test runs on this engine) wait.

    One lock object per process (re-entrant), so a test holding it may call what takes it again. Its file is
    not `prepare.lock`: `prepare()` locks that one itself, and a second flock of the same file in the same
    process waits for ever.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    return _lock(str(cache_dir / "prepare-tests.lock"))


@functools.cache
def _lock(path: str) -> FileLock:
    return FileLock(path)
