"""A learner's Docker command fails: the output Docker printed in the lab is explained in plain French.

Each output below was printed by the lab itself (rootless Docker 20.10 in a workspace)."""

from __future__ import annotations

import pytest
from feedback_words import words

from bot.feedback import explain_build_failure, explain_command_failure
from bot.views.feedback import render_diagnosis_html

LAB_IMAGES = ("hello-world", "busybox", "alpine", "debian", "ubuntu", "nginx", "python", "registry")

CASES = [
    ("docker run -d -p 8080:80 --name web2 nginx",
     "docker: Error response from daemon: driver failed programming external connectivity on endpoint web2 "
     "(b37dc2b1991d): Bind for 0.0.0.0:8080 failed: port is already allocated.",
     "Le port 8080 est déjà pris", "-p 8081:80", "port-in-use"),
    ("docker run -d --name web nginx",
     'docker: Error response from daemon: Conflict. The container name "/web" is already in use by container '
     '"1813366cc9a6". You have to remove (or rename) that container to be able to reuse that name.',
     "Le nom web est déjà utilisé", "docker rm -f web", "container-name"),
    ("docker rm web3", "Error: No such container: web3",
     "Aucun conteneur ne s'appelle web3", "docker ps -a", "container-name"),
    ("docker logs nope", "Error: No such container: nope", "Aucun conteneur ne s'appelle nope", "docker ps -a",
     "container-name"),
    ("docker rmi nope", "Error: No such image: nope", "Aucune image ne s'appelle nope", "docker images",
     "image-name"),
    ("docker run --rm postgres",
     "Unable to find image 'postgres:latest' locally\ndocker: Error response from daemon: Get "
     '"https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: no such host.',
     "L'image postgres n'est pas disponible dans le labo", "`nginx`", "offline-image"),
    ("docker rm web",
     "Error response from daemon: You cannot remove a running container 51b62ff200ad. Stop the container before "
     "attempting removal or force remove", "On ne supprime pas un conteneur qui tourne", "docker rm -f NOM",
     "container-lifecycle"),
    ("docker rmi busybox",
     'Error response from daemon: conflict: unable to remove repository reference "busybox" (must force) - '
     "container 51b62ff200ad is using its referenced image 4cf4537eb642",
     "Cette image sert encore à un conteneur", "docker rm -f NOM", "container-lifecycle"),
    ("docker exec st ls", "Error response from daemon: Container 2df7a43ddd98 is not running",
     "Le conteneur est arrêté", "docker run -d --name NOM IMAGE sleep 3600", "container-lifecycle"),
    ("docker run MonImage", "docker: invalid reference format: repository name must be lowercase.",
     "Un nom d'image s'écrit en minuscules", "mon-image", "image-name"),
    ("docker run --foo busybox", "unknown flag: --foo\nSee 'docker run --help'.",
     "Docker ne connaît pas l'option --foo", "avant l'image", "container-lifecycle"),
    ("DOCKER_HOST=unix:///nope.sock docker ps",
     "Cannot connect to the Docker daemon at unix:///nope.sock. Is the docker daemon running?",
     "Le moteur Docker de ton labo ne répond pas", "/reset", "docker-daemon"),
    ("docker run --rm alpine apk add curl",
     "apk: this 'alpine' is an offline stand-in made of busybox; it has no package manager.\n"
     "apk: use a Debian-based image instead (FROM debian, then apt-get install ...).",
     "L'alpine du labo n'a pas de gestionnaire de paquets", "apt-get", "lab-images"),
    ("apk add curl", "sh: 1: apk: not found", "La commande apk n'existe pas", "apt-get", "command-not-found"),
    ("sudo docker ps", "sh: 1: sudo: not found", "La commande sudo n'existe pas", "pas besoin de `sudo`",
     "command-not-found"),
]


@pytest.mark.parametrize(("command", "output", "cause", "fix", "topic"), CASES, ids=[c[0] for c in CASES])
def test_a_failed_command_is_explained_with_its_cause_its_fix_and_a_lesson(command, output, cause, fix, topic):
    diagnosis = explain_command_failure(output, command, lab_images=LAB_IMAGES)
    assert diagnosis is not None
    assert words(diagnosis).cause.startswith(cause)
    assert fix in words(diagnosis).fix
    assert diagnosis.topic == topic
    html = render_diagnosis_html("fr", diagnosis, lesson_link=lambda t: f"Leçon {t}", command=True)
    assert f"📖 Leçon : <i>Leçon {topic}</i>" in html and "`" not in html


def test_an_unknown_failure_is_left_raw():
    assert explain_command_failure("grep: x: No such file or directory", "grep a x") is None
    assert explain_command_failure("", "false") is None


def test_a_build_meets_the_same_offline_alpine_and_gets_the_same_story():
    log = ("Step 2/2 : RUN apk add --no-cache curl\n ---> Running in 0a1b\n"
           "apk: this 'alpine' is an offline stand-in made of busybox; it has no package manager.\n"
           "The command '/bin/sh -c apk add --no-cache curl' returned a non-zero code: 1\n")
    diagnosis = explain_build_failure(log, "FROM alpine\nRUN apk add --no-cache curl\n")
    assert diagnosis is not None and diagnosis.topic == "lab-images" and diagnosis.line == 2


def test_every_topic_of_a_command_diagnosis_has_a_lesson_in_the_course():
    from pathlib import Path

    from bot.content import load_catalog

    course = load_catalog(Path(__file__).parents[2] / "content").courses["docker-fr"]
    for _, _, _, _, topic in CASES:
        assert course.lessons.get(course.feedback_topics.get(topic, "")), topic
