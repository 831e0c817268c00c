"""A learner's workspace boots its own Docker daemon and pulls the course images from the mirror."""

from __future__ import annotations

import pytest
from sandbox_lab_helpers import sh, start_workspace

pytestmark = [pytest.mark.docker, pytest.mark.slow]


@pytest.fixture
def workspace(docker_client, workspace_network):
    container = start_workspace(docker_client, workspace_network)
    yield container
    container.remove(force=True, v=True)


def test_docker_answers_in_the_workspace_with_the_mirror_configured(workspace):
    code, output = sh(workspace, "docker info --format '{{.Driver}} {{.RegistryConfig.Mirrors}}'")

    assert code == 0, output
    assert "overlay2" in output
    assert "http://tutorbot-mirror:5000/" in output


def test_a_learner_runs_hello_world_nginx_and_python_pulled_from_the_mirror(workspace):
    code, hello = sh(workspace, "docker run --rm hello-world")
    assert code == 0, hello
    assert "Hello from Docker!" in hello

    code, page = sh(workspace, "docker run -d -p 8080:80 nginx >/dev/null && "
                               "for i in $(seq 50); do curl -sf localhost:8080 && break; sleep 0.2; done")
    assert code == 0, page
    assert "Welcome to nginx" in page

    code, answer = sh(workspace, "docker run --rm python:3.11-slim python -c 'print(6*7)'")
    assert code == 0, answer
    assert answer.strip().splitlines()[-1] == "42"


COMPOSE_FILE = """services:
  web:
    image: nginx
    ports: ["8081:80"]
"""


def test_docker_compose_works_in_both_spellings(workspace):
    code, output = sh(workspace, f"mkdir -p /workspace/lab && cd /workspace/lab && cat > docker-compose.yml <<'EOF'\n{COMPOSE_FILE}EOF\n"
                                 "docker compose version && docker-compose version --short"
                                 " && docker compose up -d"
                                 " && for i in $(seq 50); do curl -sf localhost:8081 && break; sleep 0.2; done")

    assert code == 0, output
    assert "docker-compose version 1.29" in output
    assert "Welcome to nginx" in output


def test_a_learner_cannot_push_into_the_shared_mirror(workspace):
    code, output = sh(workspace, "docker pull -q busybox >/dev/null && "
                                 "docker tag busybox tutorbot-mirror:5000/library/nginx:latest && "
                                 "docker push tutorbot-mirror:5000/library/nginx:latest")

    assert code != 0
    assert "405" in output or "not allowed" in output.lower()
