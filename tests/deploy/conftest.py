"""The docker-compose deployment, brought up for real: images built offline, the stack started with
docker-compose, the lab prepared in the sandbox service. The escape tests of tests/sandbox run again
against this lab (their positive controls stay on the host's engine)."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "sandbox"))  # the escape tests and their helpers

from lab_support import PREFIX, lab_settings  # noqa: E402
from tests_support import ensure_lab_prepared  # noqa: E402

from sandbox.recipes import standin_tags  # noqa: E402
from sandbox.service import SandboxService  # noqa: E402

PROJECT = f"tbc{secrets.token_hex(3)}"
BOOT_TIMEOUT = 120


class Stack:
    def __init__(self, project: str) -> None:
        self.project = project
        self.host = docker.from_env(timeout=300)
        self.run_dir = Path(self.host.volumes.get(f"{project}_lab-run").attrs["Mountpoint"])
        self.docker_host = f"unix://{self.run_dir / 'docker.sock'}"
        self.agent = str(self.run_dir / "agent.sock")
        self.lab = docker.DockerClient(base_url=self.docker_host, timeout=300)
        self.env = dict(os.environ)  # docker-compose itself talks to the host's engine, whatever tests set later

    def compose(self, *args: str, input: str | None = None, timeout: float = 600) -> str:  # noqa: A002
        done = subprocess.run(["docker-compose", "-p", self.project, *args], cwd=ROOT, input=input, text=True,
                              capture_output=True, timeout=timeout, env=self.env)
        assert done.returncode == 0, f"docker-compose {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout


def _compose(*args: str, timeout: float = 900) -> None:
    done = subprocess.run(["docker-compose", "-p", PROJECT, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"docker-compose {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def _wheelhouse() -> None:
    """The bot image installs from these wheels when its build cannot reach PyPI (as here)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "-w", str(ROOT / "docker" / "wheels"), str(ROOT),
                    "setuptools", "wheel"], check=True, capture_output=True, timeout=600)


@pytest.fixture(scope="module")
def stack():
    if shutil.which("docker-compose") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must test the docker-compose deployment: install docker-compose")
        pytest.skip("docker-compose is not installed")
    host = ensure_lab_prepared()  # also builds the stand-ins the Dockerfiles start from (python, debian)
    _wheelhouse()
    _compose("up", "-d", "--build")
    try:
        stack = Stack(PROJECT)
        deadline = time.monotonic() + BOOT_TIMEOUT
        while not (Path(stack.agent).exists() and (stack.run_dir / "docker.sock").exists()):
            assert time.monotonic() < deadline, stack.compose("logs", "--tail", "40", "sandbox")
            time.sleep(0.5)
        # The lab's images, from the host's engine: what `tutorbot sandbox prepare` would build offline.
        refs = ["tutorbot/workspace:1", *(ref for refs in standin_tags().values() for ref in refs)]
        saved = subprocess.Popen(["docker", "save", *refs], stdout=subprocess.PIPE)
        subprocess.run(["docker", "-H", stack.docker_host, "load", "-q"], stdin=saved.stdout, check=True,
                       capture_output=True, timeout=600)
        saved.wait(timeout=60)
        stack.compose("exec", "-T", "bot", "tutorbot", "sandbox", "prepare")
        yield stack
    finally:
        _compose("down", "-v", "--timeout", "20")
        del host


@pytest.fixture(scope="module")
def engine(stack) -> docker.DockerClient:
    """The compose lab's own engine: where the escape tests look for the workspaces."""
    return stack.lab


@pytest.fixture(scope="module")
def control_engine(stack) -> docker.DockerClient:
    """The positive controls still run on the host's engine: inside the sandbox service even a weakened
    container has no host cgroup tree to escape through, which is the point of that service."""
    return stack.host


@pytest.fixture(scope="module", autouse=True)
def _lab_is_the_compose_one(stack):
    """Every SandboxSettings of this module (the escape tests make their own) talks to the compose lab;
    the rest of the suite, after this module, to the host's engine again."""
    saved = {key: os.environ.get(key) for key in ("DOCKER_HOST", "SANDBOX_HOST_AGENT")}
    os.environ["DOCKER_HOST"], os.environ["SANDBOX_HOST_AGENT"] = stack.docker_host, stack.agent
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab(stack, _lab_is_the_compose_one):
    service = SandboxService(lab_settings(PREFIX))
    await service.start()
    yield service
    await service.close()
