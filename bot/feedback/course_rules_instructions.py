"""Course rules about instructions themselves: FROM tags, ADD, WORKDIR, CMD, USER, EXPOSE, ENV."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Finding
from bot.feedback.rule_helpers import image_reference, runs_command, split_stages, stage_aliases

__all__ = ["instruction_findings"]

_ARCHIVE = re.compile(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz)$", re.IGNORECASE)
_SECRET_KEY = re.compile(r"PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|PRIVATE_KEY|ACCESS_KEY", re.IGNORECASE)
_NOT_A_SECRET = re.compile(r"_(FILE|PATH|DIR)$", re.IGNORECASE)
_SELF_PRIVILEGED = re.compile(r"\b(nginx|httpd|apache2?)\b")
# (pattern in FROM/RUN/CMD/ENTRYPOINT, usual port) for images that obviously serve HTTP.
_SERVERS: tuple[tuple[str, str], ...] = (
    (r"\bnginx\b", "80"), (r"\bhttpd\b|\bapache2\b", "80"), (r"http\.server", "8000"),
    (r"\bflask\s+run\b", "5000"), (r"\buvicorn\b", "8000"), (r"\bgunicorn\b", "8000"),
    (r"\brunserver\b", "8000"),
)


def instruction_findings(instructions: list[Instruction]) -> Iterator[Finding]:
    yield from _base_tags(instructions)
    for ins in instructions:
        yield from _add_vs_copy(ins)
        yield from _cd_in_run(ins)
        yield from _shell_form(ins)
        yield from _env_secrets(ins)
        if ins.keyword == "MAINTAINER":
            yield Finding("TB210", "info", ins.line, "MAINTAINER est obsolète",
                          "Docker ne maintient plus cette instruction : l'auteur se note désormais dans un LABEL.",
                          'Remplace-la par `LABEL maintainer="toi@example.com"`.', "labels")
    stages = split_stages(instructions)
    for stage in stages:
        yield from _only_last_counts(stage, "CMD", "TB205")
        yield from _only_last_counts(stage, "ENTRYPOINT", "TB206")
    if stages:
        yield from _root_user(stages[-1])
        yield from _missing_expose(stages[-1])


def _base_tags(instructions: list[Instruction]) -> Iterator[Finding]:
    aliases = stage_aliases(instructions)
    for ins in instructions:
        image = image_reference(ins) if ins.keyword == "FROM" else None
        if not image or image.lower() in aliases or image == "scratch" or "$" in image or "@" in image:
            continue
        name, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
        if tag and tag != "latest":
            continue
        title = "Tag `latest` dans FROM" if tag else "Image de base sans tag"
        yield Finding("TB201", "warning", ins.line, title,
                      "Sans version précise, Docker prend `latest`, qui change sans prévenir : la même construction donnera une autre image demain.",
                      f"Indique une version, par exemple `FROM {name}:{_example_tag(name)}`.", "base-tag")


def _example_tag(name: str) -> str:
    examples = {"ubuntu": "22.04", "debian": "bookworm-slim", "python": "3.11-slim", "node": "20-slim",
                "nginx": "1.25", "alpine": "3.19", "httpd": "2.4", "redis": "7", "postgres": "16"}
    return examples.get(name.rsplit("/", 1)[-1].lower(), "<version>")


def _add_vs_copy(ins: Instruction) -> Iterator[Finding]:
    if ins.keyword != "ADD":
        return
    _, words = ins.flags_and_words()
    sources = [w.strip('[]",') for w in words[:-1]]
    if not sources:
        return
    if any(re.match(r"https?://", s) for s in sources):
        yield Finding("TB202", "info", ins.line, "ADD pour télécharger une URL",
                      "ADD télécharge sans montrer comment ni vérifier ce qu'il reçoit, et le fichier reste dans une couche.",
                      "Télécharge dans un RUN (`curl -fsSL URL -o fichier`) pour maîtriser et nettoyer le téléchargement.", "copy-vs-add")
    elif not all(_ARCHIVE.search(s) for s in sources):
        yield Finding("TB202", "warning", ins.line, "ADD là où COPY suffit",
                      "ADD sait aussi télécharger et décompresser en silence ; pour copier un fichier local, COPY fait exactement ce qu'on lit.",
                      f"Remplace par `COPY {' '.join(words)}`.", "copy-vs-add")


def _cd_in_run(ins: Instruction) -> Iterator[Finding]:
    if runs_command(ins, r"(?:^|&&|;|\|\|)\s*cd\s"):
        yield Finding("TB203", "warning", ins.line, "`cd` dans un RUN au lieu de WORKDIR",
                      "Le `cd` ne vaut que pour ce RUN : les instructions suivantes repartent du répertoire d'avant.",
                      "Mets `WORKDIR /le/dossier` avant ce RUN et retire le `cd`.", "workdir")


def _shell_form(ins: Instruction) -> Iterator[Finding]:
    if ins.keyword in {"CMD", "ENTRYPOINT"} and ins.args and ins.exec_form() is None:
        words = shlex.split(ins.args, posix=True) if _splittable(ins.args) else ins.args.split()
        exec_form = ", ".join(f'"{w}"' for w in words)
        yield Finding("TB204", "warning", ins.line, f"{ins.keyword} en forme shell",
                      "Écrit ainsi, ton programme tourne sous `/bin/sh` et ne reçoit pas le signal d'arrêt de `docker stop`, qui doit alors le tuer au bout de 10 s.",
                      f"Écris la forme JSON : `{ins.keyword} [{exec_form}]`.", "cmd-form")


def _splittable(text: str) -> bool:
    try:
        shlex.split(text)
    except ValueError:
        return False
    return True


def _env_secrets(ins: Instruction) -> Iterator[Finding]:
    if ins.keyword not in {"ENV", "ARG"}:
        return
    for key, value in _assignments(ins.args):
        if _SECRET_KEY.search(key) and not _NOT_A_SECRET.search(key) and value and not value.startswith("$"):
            yield Finding("TB209", "warning", ins.line, f"Secret écrit en clair dans {ins.keyword} ({key})",
                          "Tout ce qui est écrit dans le Dockerfile reste lisible dans l'image (`docker history`, `docker inspect`) par quiconque la récupère.",
                          f"Retire la valeur et passe-la au lancement : `docker run -e {key}=...` (ou un secret Docker).", "env-secrets")
            return


def _assignments(args: str) -> list[tuple[str, str]]:
    """`KEY=value KEY2="a b"` pairs, or the legacy `KEY value` form."""
    words = shlex.split(args) if _splittable(args) else args.split()
    if not words:
        return []
    if "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    return [(key, value) for key, _, value in (w.partition("=") for w in words)]


def _only_last_counts(stage: list[Instruction], keyword: str, code: str) -> Iterator[Finding]:
    found = [ins for ins in stage if ins.keyword == keyword]
    if len(found) >= 2:
        ignored = ", ".join(str(ins.line) for ins in found[:-1])
        where = f"des lignes {ignored}" if len(found) > 2 else f"de la ligne {ignored}"
        yield Finding(code, "warning", found[0].line, f"Plusieurs {keyword} : seul le dernier compte",
                      f"Docker ignore le{'s' if len(found) > 2 else ''} {keyword} {where} et ne garde que celui de la ligne {found[-1].line}.",
                      f"Garde un seul {keyword}, celui qui lance vraiment l'application.", "cmd-entrypoint",
                      end_line=found[-1].line)


def _root_user(stage: list[Instruction]) -> Iterator[Finding]:
    users = [ins for ins in stage if ins.keyword == "USER"]
    if users and users[-1].args.split(":")[0] not in {"root", "0"}:
        return
    if any(_SELF_PRIVILEGED.search(ins.args) for ins in stage if ins.keyword in {"FROM", "RUN", "CMD", "ENTRYPOINT"}):
        return  # nginx/apache start as root to open port 80, then drop privileges themselves
    yield Finding("TB207", "info", users[-1].line if users else None, "Le conteneur tourne en root",
                  "Si l'application est compromise, l'attaquant a tous les droits dans le conteneur.",
                  "Crée un utilisateur (`RUN useradd -m app`) et ajoute `USER app` avant le CMD.", "user")


def _missing_expose(stage: list[Instruction]) -> Iterator[Finding]:
    if any(ins.keyword == "EXPOSE" for ins in stage):
        return
    text = " ".join(ins.args for ins in stage if ins.keyword in {"FROM", "RUN", "CMD", "ENTRYPOINT"})
    for pattern, port in _SERVERS:
        if re.search(pattern, text):
            yield Finding("TB208", "info", None, "Pas d'EXPOSE alors que l'image sert des pages",
                          "EXPOSE documente le port sur lequel le service écoute, ce qui aide à choisir le bon `-p` au `docker run`.",
                          f"Ajoute `EXPOSE {port}` (le port où ton serveur écoute).", "expose")
            return
