"""The usual reasons a `docker build` fails, each a regex on the log and a plain-French story.

Order matters: a network outage also produces "Unable to locate package" and "No matching
distribution", so network trouble is recognised before the package-name causes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.feedback.dockerfile_parser import Instruction

__all__ = ["CAUSES", "STANDIN_CAUSES", "Cause", "Story"]


@dataclass(frozen=True)
class Story:
    """What a cause tells; `target` helps find the line when the log does not give it."""

    cause: str
    explanation: str
    fix: str
    topic: str
    target: Callable[[Instruction], bool] | None = None


@dataclass(frozen=True)
class Cause:
    pattern: re.Pattern[str]
    tell: Callable[[re.Match[str], str | None], Story]  # (match, failing instruction text)


def _mentions(keyword: str, word: str) -> Callable[[Instruction], bool]:
    return lambda ins: ins.keyword == keyword and word.lower() in ins.args.lower()


def _unknown_instruction(m: re.Match[str], _: str | None) -> Story:
    word = m.group(1).upper()
    return Story(f"Instruction inconnue : {word}",
                 "Docker lit le Dockerfile avant de construire et s'arrête sur un mot qu'il ne connaît pas : souvent une faute de frappe, ou une commande shell à laquelle il manque `RUN` devant (ou le `\\` de la ligne d'avant).",
                 f"Corrige `{word}` : écris une instruction valide (RUN, COPY, FROM…), ou ajoute `RUN` devant la commande.",
                 "dockerfile-basics", lambda ins: ins.keyword.upper() == word)


def _copy_destination(_: re.Match[str], __: str | None) -> Story:
    return Story("COPY de plusieurs fichiers vers une destination qui n'est pas un dossier",
                 "Quand COPY reçoit plusieurs fichiers, Docker doit savoir qu'il les range dans un dossier : la destination doit se terminer par `/`.",
                 "Ajoute `/` à la fin de la destination, par exemple `COPY app.py requirements.txt /app/`.",
                 "copy-vs-add", lambda ins: ins.keyword in {"COPY", "ADD"} and len(ins.args.split()) > 2 and not ins.args.rstrip().endswith("/"))


def _parse_error(m: re.Match[str], _: str | None) -> Story:
    return Story("Le Dockerfile contient une erreur de syntaxe",
                 "Docker n'a pas pu lire cette ligne : une instruction mal écrite, un guillemet ou un crochet oublié dans une forme JSON, un `\\` de trop.",
                 "Relis la ligne indiquée, instruction et arguments, puis relance la construction.", "dockerfile-basics")


def _pull_denied(m: re.Match[str], _: str | None) -> Story:
    named = re.search(r"source metadata for (\S+?):? ", m.string)
    image = (m.group(1) or (named.group(1) if named else "demandée")).removeprefix("docker.io/library/")
    return Story(f"L'image de base {image} n'existe pas sur le registre",
                 "Docker n'a trouvé aucun dépôt à ce nom : c'est presque toujours une faute de frappe dans le nom de l'image (ou une image privée qui demande `docker login`).",
                 "Corrige le nom dans le FROM (par exemple `python`, `ubuntu`, `nginx`) en le vérifiant sur le registre.",
                 "base-image", lambda ins: ins.keyword == "FROM")


def _manifest_missing(m: re.Match[str], _: str | None) -> Story:
    image = (m.group(1) or m.group(2) or "cette image").removeprefix("docker.io/library/")
    return Story(f"Le tag demandé n'existe pas : {image}",
                 "Le nom de l'image est bon mais cette version (le tag après `:`) n'a jamais été publiée, ou pas pour ta plateforme.",
                 "Choisis un tag qui existe, par exemple `python:3.11-slim` ou `ubuntu:22.04`, dans le FROM.",
                 "base-tag", lambda ins: ins.keyword == "FROM")


def _network(m: re.Match[str], step: str | None) -> Story:
    if step is None or step.upper().startswith("FROM") or "source metadata" in m.string:
        return Story("Impossible de joindre le registre pour télécharger l'image de base",
                     "La machine qui construit n'arrive pas à résoudre ou contacter le registre : pas d'accès à Internet ou DNS en panne.",
                     "Réessaie dans un moment ; si ton environnement est hors ligne, prends une image de base déjà présente (`docker images`).",
                     "network", lambda ins: ins.keyword == "FROM")
    return Story("Pas d'accès au réseau pendant le RUN",
                 "La commande devait télécharger des paquets mais n'a pas pu joindre le serveur (pas d'Internet, DNS ou proxy) : le nom du paquet n'y est pour rien.",
                 "Réessaie plus tard ; si ton environnement est hors ligne, évite les téléchargements dans ce RUN.", "network")


def _copy_missing(m: re.Match[str], _: str | None) -> Story:
    name = next((g for g in m.groups() if g), "le fichier").lstrip("/")
    return Story(f"COPY ne trouve pas {name} dans le contexte de construction",
                 f"Docker ne voit que les fichiers du dossier passé à `docker build` (le « contexte ») : {name} n'y est pas, a un autre nom ou est exclu par `.dockerignore`.",
                 f"Vérifie que {name} est bien dans le dossier de construction (même nom, même casse) et pas listé dans `.dockerignore`, ou corrige le chemin dans le COPY.",
                 "build-context", lambda ins: ins.keyword in {"COPY", "ADD"} and name.rsplit("/", 1)[-1] in ins.args)


def _apt_missing(m: re.Match[str], step: str | None) -> Story:
    package = m.group(1) or m.group(2)
    no_update = m.group(2) is not None or (step is not None and not re.search(r"apt(?:-get)?\s+update", step))
    if no_update:
        return Story(f"apt ne trouve pas le paquet {package}",
                     "La liste des paquets de l'image est vide tant qu'on n'a pas lancé `apt-get update` dans le même RUN : apt ne connaît alors aucun paquet.",
                     f"Écris `RUN apt-get update && apt-get install -y {package}` en une seule instruction.",
                     "apt-update", _mentions("RUN", package))
    return Story(f"Le paquet {package} n'existe pas sous ce nom",
                 "La liste des paquets est à jour mais ce nom n'y figure pas : faute de frappe, ou le paquet s'appelle autrement dans cette distribution.",
                 f"Vérifie le nom exact (`apt-cache search {package}`) et corrige-le dans le RUN.", "package-not-found", _mentions("RUN", package))


def _pip_missing(m: re.Match[str], _: str | None) -> Story:
    package = m.group(1)
    return Story(f"pip ne trouve pas le paquet {package}",
                 "Aucune version de ce paquet ne convient : faute de frappe dans le nom, version inexistante, ou version incompatible avec le Python de l'image.",
                 f"Vérifie l'orthographe et la version de {package} (dans `requirements.txt` ou le RUN) et la version de Python du FROM.",
                 "package-not-found", _mentions("RUN", package.split("=")[0].split("<")[0].split(">")[0]))


_INSTALL_HINTS = {
    "pip": "pars d'une image `python:3.11-slim`, ou installe `python3-pip` avec apt-get",
    "pip3": "pars d'une image `python:3.11-slim`, ou installe `python3-pip` avec apt-get",
    "python": "pars d'une image `python:3.11-slim`, ou installe `python3` (et appelle `python3`)",
    "apt-get": "sur une image Alpine, le gestionnaire de paquets est `apk add --no-cache ...`",
    "apt": "sur une image Alpine, le gestionnaire de paquets est `apk add --no-cache ...`",
    "apk": "sur une image Debian ou Ubuntu, le gestionnaire de paquets est `apt-get`",
    "npm": "pars d'une image `node:20-slim`",
    "node": "pars d'une image `node:20-slim`",
    "sudo": "pas besoin de `sudo` : dans ton labo (et dans un RUN, qui tourne en root), la commande marche sans",
}


def _command_missing(m: re.Match[str], _: str | None) -> Story:
    command = next(g for g in m.groups() if g)
    hint = _INSTALL_HINTS.get(command, f"installe le paquet qui fournit `{command}` dans un RUN précédent, ou corrige son nom")
    return Story(f"La commande {command} n'existe pas dans l'image",
                 "L'image de base ne contient que le strict minimum : la commande n'y est pas installée, ou son nom est mal écrit (code de sortie 127).",
                 f"Pour `{command}` : {hint}.", "command-not-found",
                 lambda ins: ins.keyword == "RUN" and re.search(rf"(?:^|[\s;&|]){re.escape(command)}\b", ins.args) is not None)


def _standin_apk(_: re.Match[str], __: str | None) -> Story:
    return Story("L'alpine du labo n'a pas de gestionnaire de paquets",
                 "Ton labo travaille hors ligne : son image `alpine` est une doublure faite de busybox, qui a les commandes de base (`sh`, `ls`, `wget`…) mais pas `apk`, car il n'y a aucun dépôt de paquets à joindre.",
                 "Pour installer des paquets, pars d'une image Debian (`FROM debian` ou `FROM python`) et utilise `apt-get update && apt-get install -y ...` ; pour les commandes de base, `alpine` ou `busybox` suffisent.",
                 "lab-images", lambda ins: ins.keyword == "RUN" and "apk" in ins.args)


_NET = r"no such host|Temporary failure (?:resolving|in name resolution)|Could not resolve host|Network is unreachable|Failed to establish a new connection|i/o timeout|TLS handshake timeout|Could not connect to"
STANDIN_CAUSES: tuple[Cause, ...] = (
    Cause(re.compile(r"this 'alpine' is an offline stand-in"), _standin_apk),
)
"""Limits of the lab's offline images, met by commands and builds alike."""

CAUSES: tuple[Cause, ...] = (
    *STANDIN_CAUSES,
    Cause(re.compile(r"unknown instruction: ?([^\s(]+)", re.IGNORECASE), _unknown_instruction),
    Cause(re.compile(r"When using COPY with more than one source file, the destination must be a directory and end with a /"), _copy_destination),
    Cause(re.compile(r"dockerfile parse error", re.IGNORECASE), _parse_error),
    Cause(re.compile(r"pull access denied for ([^\s,]+)|pull access denied, repository does not exist()"), _pull_denied),
    Cause(re.compile(r"manifest for (\S+) not found|failed to resolve source metadata for (\S+?): (?:\S+: )?not found"), _manifest_missing),
    Cause(re.compile(_NET, re.IGNORECASE), _network),
    Cause(re.compile(r"COPY failed: file not found in build context[^\n]*?stat ([^:\s]+): file does not exist|COPY failed: stat [^\n]*?/([^/\s:]+): no such file|\"(/[^\"]+)\": not found"), _copy_missing),
    Cause(re.compile(r"E: Unable to locate package (\S+)|E: Package '([^']+)' has no installation candidate"), _apt_missing),
    Cause(re.compile(r"No matching distribution found for (\S+)"), _pip_missing),
    Cause(re.compile(r"/bin/sh: (?:\d+: )?([^:\s]+): not found|(?:^|\s)([^:\s]+): command not found|exec: \"([^\"]+)\": executable file not found"), _command_missing),
)
