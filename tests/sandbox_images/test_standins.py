"""Each learner image behaves like the real one for the course's exercises."""

from __future__ import annotations

import io
import tarfile

import pytest
from sandbox_lab_helpers import wait_for_exit

from sandbox.recipes import standin_recipe, standin_tags

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def test_hello_world_prints_the_docker_greeting(run_container):
    code, output = wait_for_exit(run_container("hello-world"))

    assert code == 0
    assert "Hello from Docker!" in output
    assert "This message shows that your installation appears to be working correctly." in output


def test_busybox_has_a_shell_and_the_usual_applets(run_container):
    code, output = wait_for_exit(run_container("busybox", ["sh", "-c", "echo $((6 * 7)); ls /bin | wc -l"]))

    assert code == 0
    first, applets = output.split()
    assert first == "42"
    assert int(applets) > 100


def test_alpine_runs_sh_and_apk_explains_it_is_absent(run_container):
    code, output = wait_for_exit(run_container("alpine:3.19", ["sh", "-c", "cat /etc/alpine-release; apk add curl"]))

    assert code == 1
    assert "3.19" in output
    assert "no package manager" in output


@pytest.mark.parametrize("image", ["ubuntu", "ubuntu:22.04", "debian:bookworm-slim"])
def test_ubuntu_and_debian_have_os_release_and_apt_get(run_container, image):
    code, output = wait_for_exit(run_container(image, ["sh", "-c", "cat /etc/os-release && command -v apt-get"]))

    assert code == 0
    assert "bookworm" in output
    assert "/usr/bin/apt-get" in output


def test_nginx_serves_its_welcome_page_on_port_80(run_container):
    server = run_container("nginx")
    probe = run_container("busybox", ["sh", "-c", "sleep 1; wget -q -O- http://127.0.0.1:80/"],
                          network_mode=f"container:{server.id}")

    code, output = wait_for_exit(probe)

    assert code == 0
    assert "<title>Welcome to nginx!</title>" in output
    assert server.image.attrs["Config"]["Cmd"] == ["nginx", "-g", "daemon off;"]


def test_the_seeds_python_dockerfile_builds_and_runs_app_py(docker_client, run_container):
    dockerfile = b"FROM python:3.9-slim\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n"
    context = _tar({"Dockerfile": dockerfile, "app.py": b"print('answer', 6 * 7)\n"})
    image, _ = docker_client.images.build(fileobj=context, custom_context=True, tag="tutorbot-test-pyapp",
                                             rm=True, forcerm=True)
    try:
        code, output = wait_for_exit(run_container(image.id))
        pip_code, pip_output = wait_for_exit(run_container("python:3.11-slim", ["pip", "--version"]))
    finally:
        docker_client.images.remove(image.id, force=True)

    assert (code, output.strip()) == (0, "answer 42")
    assert pip_code == 0 and "python 3" in pip_output


def test_registry_2_answers_the_v2_api_on_port_5000(run_container):
    registry = run_container("registry:2")
    probe = run_container("busybox", ["sh", "-c", "sleep 1; wget -q -O- http://127.0.0.1:5000/v2/"],
                          network_mode=f"container:{registry.id}")

    code, output = wait_for_exit(probe)

    assert (code, output.strip()) == (0, "{}")


def test_every_stand_in_is_labelled_with_its_current_recipe(docker_client, first_report):
    if first_report.mode != "offline":
        pytest.skip("stand-ins are only built when no registry answers")
    for key, refs in standin_tags().items():
        ids = {docker_client.images.get(ref).id for ref in refs}
        labels = docker_client.images.get(refs[0]).labels

        assert len(ids) == 1, f"{key}: every tag is the same image"
        assert labels["org.tutorbot.standin"] == "true"
        assert labels["org.tutorbot.recipe"] == standin_recipe(key)


def _tar(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return buffer
