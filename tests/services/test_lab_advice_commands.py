"""The commands the lab's advice is made of, read from the learner's own command (no lab needed here; the
tests in tests/e2e_lab run them in the real lab)."""

from __future__ import annotations

import pytest

from bot.services.lab import container_name_for, run_suggestion
from bot.services.lab_ports import free_port, republished
from bot.services.tty_advice import tty_advice


@pytest.mark.parametrize(("command", "kind", "alternative"), [
    ("docker exec -it web bash", "shell", "docker exec web ls /"),
    ("docker exec -ti -u root web /bin/sh", "shell", "docker exec -u root web ls /"),
    ("docker container exec -it web sh", "shell", "docker exec web ls /"),
    ("docker exec -it web bash -l", "shell", "docker exec web ls /"),
    ("docker exec -it web sh -c 'ls /etc'", "plain", "docker exec web sh -c 'ls /etc'"),
    ("docker run -it ubuntu bash", "shell", "docker run --rm ubuntu ls /"),
    ("docker run -it --rm debian:12-slim", "shell", "docker run --rm debian:12-slim ls /"),
    ("docker run -it python", "shell", "docker run --rm python python -c 'print(6 * 7)'"),
    ("docker exec -it web nginx -t", "plain", "docker exec web nginx -t"),  # -t of nginx is nginx's
    ("docker run -it -e 'A=b c' alpine echo hi", "plain", "docker run -e 'A=b c' alpine echo hi"),
    ("docker attach web", "attach", "docker logs --tail 20 web"),
    ("docker run -it ubuntu bash; echo fini", "plain", "docker run ubuntu bash; echo fini"),
])
def test_a_command_needing_a_keyboard_gets_one_that_runs_in_a_chat(command, kind, alternative):
    advice = tty_advice(command)
    assert (advice.kind, advice.alternative) == (kind, alternative)
    assert (advice.several != "") == (kind == "shell")
    if kind == "shell":
        assert " sh -c '" in advice.several and "bash" not in advice.several


@pytest.mark.parametrize(("command", "port", "new", "expected"), [
    ("docker run -d -p 8080:80 --name web nginx", 8080, 8081, "docker run -d -p 8081:80 --name web nginx"),
    ("docker run -d --publish=8080:80 nginx", 8080, 8082, "docker run -d --publish=8082:80 nginx"),
    ("docker run -d -p 127.0.0.1:8080:80 nginx", 8080, 8081, "docker run -d -p 127.0.0.1:8081:80 nginx"),
    ("docker run -d -p 8080:80 -p 8443:443 nginx", 8443, 8444, "docker run -d -p 8080:80 -p 8444:443 nginx"),
    ("docker run -d -p 18080:80 nginx", 8080, 8081, None),
    ("docker run -d -p 8080:80 nginx && curl localhost:8080", 8080, 8081, None),
    ("docker start web", 8080, 8081, None),
])
def test_a_taken_port_is_replaced_in_a_single_docker_run_only(command, port, new, expected):
    assert republished(command, port, new) == expected


def test_the_first_free_port_counts_the_replaced_containers_own_as_free():
    assert free_port({}) == 8080
    assert free_port({8080: "exo", 8081: "autre"}) == 8082
    assert free_port({8080: "exo", 8081: "site"}, keep="site") == 8081


def test_the_run_suggestion_names_the_container_after_the_image_and_publishes_the_given_port():
    assert container_name_for("mon-site:v2") == "mon-site-v2"
    assert container_name_for("ghcr.io/moi/app") == "ghcr.io-moi-app"
    assert run_suggestion("site", "FROM nginx\n", 8083) == (
        "docker rm -f site 2>/dev/null; docker run -d -p 8083:80 --name site site", "curl -s localhost:8083")
    assert run_suggestion("outil", "FROM busybox\nCMD echo hi\n", 8083) == ("docker run --rm outil",)
