"""Is this a Dockerfile at all? Binary data, empty files, prose, unknown instructions, no FROM."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from bot.feedback.dockerfile_parser import KNOWN_INSTRUCTIONS, Instruction
from bot.feedback.models import Finding

__all__ = [
    "NOT_A_DOCKERFILE_TITLE",
    "is_mostly_prose",
    "looks_binary",
    "not_a_dockerfile",
    "syntax_findings",
]

NOT_A_DOCKERFILE_TITLE = "Ce fichier ne ressemble pas à un Dockerfile : il n'y a pas d'instruction FROM"
_FIX = "Un Dockerfile commence par `FROM image:version` (par exemple `FROM python:3.11-slim`), puis une instruction par ligne : RUN, COPY, CMD…"
_SHELL_WORDS = {"apt-get", "apt", "apk", "pip", "pip3", "npm", "yarn", "cd", "echo", "mkdir", "rm", "cp",
                "mv", "curl", "wget", "chmod", "chown", "python", "python3", "&&", "ln", "touch", "tar"}


def looks_binary(text: str) -> bool:
    """NUL characters or many control characters: an image, an archive, not text."""
    sample = text[:8192]
    if "\x00" in sample or "\ufffd" * 4 in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > len(sample) // 50


def not_a_dockerfile(reason: str, title: str = NOT_A_DOCKERFILE_TITLE) -> Finding:
    """The single finding a review holds when the text cannot be a Dockerfile."""
    return Finding("TB001", "error", None, title, reason, _FIX, "dockerfile-basics")


def is_mostly_prose(instructions: list[Instruction]) -> bool:
    known = sum(1 for ins in instructions if ins.known)
    return known == 0 or (len(instructions) - known > max(2, known))


def syntax_findings(instructions: list[Instruction]) -> Iterator[Finding]:
    """Unknown instructions (typos, a forgotten RUN) and a missing FROM."""
    for ins in instructions:
        if ins.known:
            continue
        word = ins.keyword[:40]
        if word.lower() in _SHELL_WORDS:
            fix = "Ajoute `RUN` devant, ou termine la ligne précédente par `\\` si elle continue la commande."
        else:
            close = difflib.get_close_matches(word.upper(), sorted(KNOWN_INSTRUCTIONS), n=1, cutoff=0.6)
            fix = f"Tu voulais sans doute écrire `{close[0]}`." if close else "Vérifie l'orthographe : les instructions sont FROM, RUN, COPY, CMD, EXPOSE…"
        yield Finding("TB002", "error", ins.line, f"Instruction inconnue : `{word}`",
                      "Docker s'arrête net sur une instruction qu'il ne connaît pas, et l'image ne se construit pas.",
                      fix, "dockerfile-basics")
    if not any(ins.keyword == "FROM" for ins in instructions):
        yield not_a_dockerfile("Toute image part d'une image de base : sans FROM, Docker refuse de construire quoi que ce soit.",
                               "Il manque l'instruction FROM")
