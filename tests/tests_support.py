"""Helpers shared by test folders (importable because tests/ is on sys.path via rootdir conftest)."""

from __future__ import annotations

import os
import shutil

import pytest


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
    from pathlib import Path

    import docker

    from sandbox.prepare import check_prepared, prepare

    client = docker.from_env(timeout=600)
    if not check_prepared(client).ok:
        cache = Path(os.environ.get("TUTORBOT_CACHE_DIR") or Path.home() / ".cache" / "tutorbot")
        prepare(client, cache_dir=cache)
    return client
