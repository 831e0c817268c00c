"""The usual reasons a Docker command fails in the lab, each a regex on its output and a plain-French story.

Same shape as bot/feedback/build_causes.py (a `Cause` per error, a `Story` told from the match), read by
the same engine (bot/feedback/diagnosis.py). `step` is the learner's command here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.feedback.build_causes import Cause, Story

__all__ = ["command_causes"]


def _port_taken(m: re.Match[str], _: str | None) -> Story:
    port = m.group(1)
    return Story(f"Le port {port} est déjà pris",
                 f"Un autre conteneur de ton labo publie déjà le port {port} (`-p {port}:…`) : deux conteneurs ne peuvent pas écouter sur le même port de la machine. Docker a créé le nouveau conteneur mais ne l'a pas démarré.",
                 f"Repère le conteneur qui tient le port avec `docker ps`, arrête-le (`docker rm -f NOM`), ou publie un autre port, par exemple `-p {int(port) + 1}:80`.",
                 "port-in-use")


def _name_taken(m: re.Match[str], _: str | None) -> Story:
    name = m.group(1)
    return Story(f"Le nom {name} est déjà utilisé",
                 f"Un conteneur s'appelle déjà `{name}`, même s'il est arrêté : un nom ne sert qu'à un conteneur à la fois, jusqu'à ce qu'on le supprime.",
                 f"Supprime l'ancien avec `docker rm -f {name}` puis relance ta commande, ou choisis un autre `--name`.",
                 "container-name")


def _no_container(m: re.Match[str], _: str | None) -> Story:
    name = m.group(1)
    return Story(f"Aucun conteneur ne s'appelle {name}",
                 "Docker ne trouve ni nom ni identifiant qui corresponde : faute de frappe, ou le conteneur a été supprimé (par exemple lancé avec `--rm`).",
                 "Liste tes conteneurs, même arrêtés, avec `docker ps -a` et reprends le nom de la dernière colonne (NAMES).",
                 "container-name")


def _no_image(m: re.Match[str], _: str | None) -> Story:
    name = m.group(1)
    return Story(f"Aucune image ne s'appelle {name} dans ton labo",
                 "Cette image n'est pas (ou plus) dans ton labo : faute de frappe, tag différent, ou image déjà supprimée.",
                 "Liste les images présentes avec `docker images` et reprends le nom et le tag exacts.",
                 "image-name")


def _offline(lab_images: Sequence[str]) -> Cause:
    available = ", ".join(f"`{name}`" for name in lab_images)

    def tell(m: re.Match[str], step: str | None) -> Story:
        asked = re.search(r"Unable to find image '([^']+)'", m.string)
        pulled = re.search(r"\bdocker\s+(?:image\s+)?pull\s+(?:-\S+\s+)*([^\s;&|]+)", step or "")
        image = (asked.group(1) if asked else pulled.group(1) if pulled else "demandée").removesuffix(":latest")
        also = f" Le labo propose : {available}." if available else ""
        return Story(f"L'image {image} n'est pas disponible dans le labo",
                     "Ton labo n'a pas accès à Internet : il ne télécharge que les images de son propre registre. Celle-ci n'y est pas (ou son nom est mal écrit)." + also,
                     "Prends une image du labo (par exemple `nginx` ou `python`), ou construis la tienne avec un Dockerfile ; `docker images` montre celles déjà téléchargées.",
                     "offline-image")

    return Cause(re.compile(r"registry-1\.docker\.io[^\n]*(?:no such host|i/o timeout|connection refused)"
                            r"|pull access denied for ([^\s,]+)"), tell)


def _remove_running(_: re.Match[str], __: str | None) -> Story:
    return Story("On ne supprime pas un conteneur qui tourne",
                 "`docker rm` refuse d'effacer un conteneur en marche, pour ne rien couper par erreur.",
                 "Arrête-le d'abord avec `docker stop NOM`, puis `docker rm NOM` ; ou fais les deux d'un coup avec `docker rm -f NOM`.",
                 "container-lifecycle")


def _image_in_use(m: re.Match[str], _: str | None) -> Story:
    return Story("Cette image sert encore à un conteneur",
                 f"Le conteneur {m.group(1)} a été créé à partir de cette image (même s'il est arrêté) : Docker garde l'image tant qu'il existe.",
                 "Supprime d'abord le conteneur (`docker ps -a`, puis `docker rm -f NOM`), puis l'image avec `docker rmi`.",
                 "container-lifecycle")


def _not_running(_: re.Match[str], __: str | None) -> Story:
    return Story("Le conteneur est arrêté",
                 "`docker exec` lance une commande dans un conteneur en marche ; celui-ci est arrêté (son programme principal est terminé).",
                 "Supprime-le (`docker rm NOM`) et lances-en un qui reste en vie, par exemple `docker run -d --name NOM IMAGE sleep 3600`, puis refais ton `docker exec`.",
                 "container-lifecycle")


def _uppercase(_: re.Match[str], __: str | None) -> Story:
    return Story("Un nom d'image s'écrit en minuscules",
                 "Docker refuse les majuscules dans le nom d'une image (le nom d'un conteneur, lui, peut en avoir).",
                 "Écris le nom de l'image en minuscules, par exemple `mon-image` au lieu de `MonImage`.",
                 "image-name")


def _unknown_flag(m: re.Match[str], _: str | None) -> Story:
    flag = m.group(1)
    return Story(f"Docker ne connaît pas l'option {flag}",
                 "Une option mal écrite, ou placée après le nom de l'image : tout ce qui suit l'image est passé au programme du conteneur, pas à Docker.",
                 f"Vérifie l'orthographe de `{flag}` (un tiret pour une lettre, deux pour un mot : `-d`, `--detach`) et place les options de Docker avant l'image.",
                 "container-lifecycle")


def _daemon(_: re.Match[str], __: str | None) -> Story:
    return Story("Le moteur Docker de ton labo ne répond pas",
                 "La commande `docker` n'a pas pu joindre le démon : la variable `DOCKER_HOST` a été changée, ou le moteur de ton labo s'est arrêté.",
                 "Si tu as changé `DOCKER_HOST`, n'y touche plus et relance la commande ; sinon, /reset remet ton labo à neuf.",
                 "docker-daemon")


def command_causes(lab_images: Sequence[str] = ()) -> tuple[Cause, ...]:
    """The command causes, in order; `lab_images` are the images the lab's registry offers."""
    return (
        Cause(re.compile(r"Bind for [\d.:\[\]]*?:(\d+) failed: port is already allocated"), _port_taken),
        Cause(re.compile(r'The container name "/([^"]+)" is already in use'), _name_taken),
        Cause(re.compile(r"No such container: (\S+)"), _no_container),
        Cause(re.compile(r"No such image: (\S+)"), _no_image),
        _offline(lab_images),
        Cause(re.compile(r"You cannot remove a running container"), _remove_running),
        Cause(re.compile(r"container (\w+) is using its referenced image"), _image_in_use),
        Cause(re.compile(r"Container \w+ is not running"), _not_running),
        Cause(re.compile(r"invalid reference format: repository name must be lowercase"), _uppercase),
        Cause(re.compile(r"unknown (?:shorthand )?flag: '?(-{1,2}[\w-]+)"), _unknown_flag),
        Cause(re.compile(r"Cannot connect to the Docker daemon|permission denied while trying to connect to the Docker daemon"),
              _daemon),
    )

