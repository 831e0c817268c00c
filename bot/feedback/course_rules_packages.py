"""Course rules about installing things: apt, pip, layer order, merged RUNs, sudo."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Finding
from bot.feedback.rule_helpers import runs_command, split_stages

__all__ = ["package_findings"]

_APT_INSTALL = r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b"
_APT_UPDATE = r"\bapt(?:-get)?\s+(?:-\S+\s+)*update\b"
_APT_LISTS_CLEANED = r"rm\s+-\S*\s+/var/lib/apt/lists"
_PIP_INSTALL = r"\bpip3?\s+install\b|\bpython3?\s+-m\s+pip\s+install\b"
_BROAD_SOURCES = {".", "./", "*", "./*"}
# Dependency installers and the manifest to copy before running them.
_DEPENDENCY_TOOLS: tuple[tuple[str, str], ...] = (
    (r"\bpip3?\s+install\b.*(?:-r\b|--requirement)|python3?\s+-m\s+pip\s+install\b.*-r\b", "requirements.txt"),
    (r"\bpoetry\s+install\b", "pyproject.toml poetry.lock"),
    (r"\bpipenv\s+install\b", "Pipfile Pipfile.lock"),
    (r"\bnpm\s+(?:install|ci)\b|\byarn(?:\s+install)?\s*(?:$|&&|;)", "package.json package-lock.json"),
    (r"\bbundle\s+install\b", "Gemfile Gemfile.lock"),
    (r"\bcomposer\s+install\b", "composer.json composer.lock"),
    (r"\bgo\s+mod\s+download\b", "go.mod go.sum"),
)


def package_findings(instructions: list[Instruction]) -> Iterator[Finding]:
    for stage in split_stages(instructions):
        yield from _apt_update(stage)
        yield from _apt_lists(stage)
        yield from _pip_cache(stage)
        yield from _layer_order(stage)
        yield from _merge_runs(stage)
    yield from _sudo(instructions)


def _apt_update(stage: list[Instruction]) -> Iterator[Finding]:
    updated_before = False
    for ins in stage:
        if runs_command(ins, _APT_INSTALL) and not runs_command(ins, _APT_UPDATE + r".*" + _APT_INSTALL):
            why = (
                "La liste des paquets vient d'une couche plus ancienne gardée en cache : elle peut être périmée et faire échouer l'installation."
                if updated_before
                else "Sur une image neuve, apt ne connaît encore aucun paquet : l'installation échoue avec « Unable to locate package »."
            )
            yield Finding(
                code="TB101", severity="warning" if updated_before else "error", line=ins.line,
                title_fr="`apt-get install` sans `apt-get update` dans le même RUN", why_fr=why,
                fix_fr="Écris `RUN apt-get update && apt-get install -y ...` dans une seule instruction.",
                topic="apt-update",
            )
        if runs_command(ins, _APT_UPDATE):
            updated_before = True


def _apt_lists(stage: list[Instruction]) -> Iterator[Finding]:
    for ins in stage:
        if runs_command(ins, _APT_UPDATE) and not runs_command(ins, _APT_LISTS_CLEANED):
            yield Finding(
                code="TB102", severity="info", line=ins.line,
                title_fr="Listes apt laissées dans l'image",
                why_fr="Les listes téléchargées par `apt-get update` restent dans la couche et alourdissent l'image de plusieurs dizaines de Mo.",
                fix_fr="Dans le RUN qui fait `apt-get update && apt-get install`, ajoute à la fin `&& rm -rf /var/lib/apt/lists/*`.",
                topic="apt-cleanup",
            )


def _pip_cache(stage: list[Instruction]) -> Iterator[Finding]:
    no_cache_env = False
    for ins in stage:
        if ins.keyword == "ENV" and re.search(r"PIP_NO_CACHE_DIR", ins.args):
            no_cache_env = True
        if runs_command(ins, _PIP_INSTALL) and not no_cache_env and not runs_command(ins, r"--no-cache-dir"):
            yield Finding(
                code="TB103", severity="info", line=ins.line,
                title_fr="`pip install` sans `--no-cache-dir`",
                why_fr="pip garde une copie de chaque paquet téléchargé, ce qui alourdit l'image sans rien apporter.",
                fix_fr="Écris `pip install --no-cache-dir ...`.",
                topic="pip-cache",
            )


def _layer_order(stage: list[Instruction]) -> Iterator[Finding]:
    broad_copy: Instruction | None = None
    for ins in stage:
        if ins.keyword in {"COPY", "ADD"} and broad_copy is None:
            flags, words = ins.flags_and_words()
            if "from" not in flags and len(words) >= 2 and any(w in _BROAD_SOURCES for w in words[:-1]):
                broad_copy = ins
        if broad_copy is None or ins.keyword != "RUN":
            continue
        for pattern, manifest in _DEPENDENCY_TOOLS:
            if runs_command(ins, pattern):
                files = manifest.split()
                yield Finding(
                    code="TB104", severity="warning", line=broad_copy.line,
                    title_fr="Tout le code est copié avant d'installer les dépendances",
                    why_fr=f"Au moindre changement dans ton code, Docker invalide cette couche et refait l'installation de la ligne {ins.line} au lieu de la reprendre du cache.",
                    fix_fr=f"Copie d'abord `{files[0]}` seul (`COPY {' '.join(files)} ./`), lance l'installation, puis seulement `{broad_copy.text}`.",
                    topic="layer-order",
                )
                return


def _merge_runs(stage: list[Instruction]) -> Iterator[Finding]:
    group: list[Instruction] = []
    for ins in [*stage, None]:
        if ins is not None and ins.keyword == "RUN":
            group.append(ins)
            continue
        if len(group) >= 2:
            yield Finding(
                code="TB105", severity="info", line=group[0].line, end_line=group[-1].line,
                title_fr=f"{len(group)} RUN d'affilée",
                why_fr="Chaque RUN crée une couche de plus, et un `apt-get update` séparé de son `install` peut servir une liste périmée depuis le cache.",
                fix_fr="Regroupe-les en un seul RUN, les commandes reliées par `&&` (une par ligne avec `\\` en fin de ligne).",
                topic="run-merge",
            )
        group = []


def _sudo(instructions: list[Instruction]) -> Iterator[Finding]:
    for ins in instructions:
        if runs_command(ins, r"(?:^|[;&|(]\s*|\s)sudo\s"):
            yield Finding(
                code="TB106", severity="error", line=ins.line,
                title_fr="`sudo` dans un RUN",
                why_fr="La construction tourne déjà en root, et `sudo` n'existe pas dans la plupart des images : la commande échoue.",
                fix_fr="Retire `sudo` ; pour agir en root après un `USER`, mets `USER root` juste avant.",
                topic="user",
            )
