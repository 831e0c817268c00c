"""Course rules about installing things: apt, pip, layer order, merged RUNs, sudo."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Finding, Phrase
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
        yield from _apt_yes(stage)
        yield from _apt_lists(stage)
        yield from _pip_cache(stage)
        yield from _layer_order(stage)
        yield from _merge_runs(stage)
    yield from _sudo(instructions)


def _apt_update(stage: list[Instruction]) -> Iterator[Finding]:
    updated_before = False
    for ins in stage:
        if runs_command(ins, _APT_INSTALL) and not runs_command(ins, _APT_UPDATE + r".*" + _APT_INSTALL):
            yield Finding(
                code="TB101", severity="warning" if updated_before else "error", line=ins.line,
                title=Phrase("review_apt_update_title"),
                why=Phrase("review_apt_update_why_cached" if updated_before else "review_apt_update_why_fresh"),
                fix=Phrase("review_apt_update_fix"), topic="apt-update",
            )
        if runs_command(ins, _APT_UPDATE):
            updated_before = True


_APT_INSTALL_CALL = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b[^;&|]*")
_YES = re.compile(r"(?<!\S)(?:-[a-zA-Z]*y[a-zA-Z]*|--yes|--assume-yes|-o\s*APT::Get::Assume-Yes=(?:true|1))(?!\S)")


def _apt_yes(stage: list[Instruction]) -> Iterator[Finding]:
    """`apt-get install` without `-y` asks "Do you want to continue? [Y/n]": a build cannot answer, it aborts."""
    for ins in stage:
        if ins.keyword != "RUN":
            continue
        exec_form = ins.exec_form()
        command = " ".join(exec_form) if exec_form is not None else ins.args
        if any(not _YES.search(call.group(0)) for call in _APT_INSTALL_CALL.finditer(command)):
            yield Finding(
                code="TB107", severity="error", line=ins.line, title=Phrase("review_apt_yes_title"),
                why=Phrase("review_apt_yes_why"), fix=Phrase("review_apt_yes_fix"), topic="package-install",
            )


def _apt_lists(stage: list[Instruction]) -> Iterator[Finding]:
    for ins in stage:
        if runs_command(ins, _APT_UPDATE) and not runs_command(ins, _APT_LISTS_CLEANED):
            yield Finding(
                code="TB102", severity="info", line=ins.line,
                title=Phrase("review_apt_lists_title"), why=Phrase("review_apt_lists_why"),
                fix=Phrase("review_apt_lists_fix"), topic="apt-cleanup",
            )


def _pip_cache(stage: list[Instruction]) -> Iterator[Finding]:
    no_cache_env = False
    for ins in stage:
        if ins.keyword == "ENV" and re.search(r"PIP_NO_CACHE_DIR", ins.args):
            no_cache_env = True
        if runs_command(ins, _PIP_INSTALL) and not no_cache_env and not runs_command(ins, r"--no-cache-dir"):
            yield Finding(
                code="TB103", severity="info", line=ins.line,
                title=Phrase("review_pip_cache_title"), why=Phrase("review_pip_cache_why"),
                fix=Phrase("review_pip_cache_fix"), topic="pip-cache",
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
                    title=Phrase("review_layer_order_title"),
                    why=Phrase("review_layer_order_why", {"line": ins.line}),
                    fix=Phrase("review_layer_order_fix",
                               {"first": files[0], "files": " ".join(files), "copy": broad_copy.text}),
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
                title=Phrase("review_merge_runs_title", {"count": len(group)}), why=Phrase("review_merge_runs_why" if any(runs_command(i, _APT_UPDATE) for i in group)
                                                         else "review_merge_runs_why_layers"),
                fix=Phrase("review_merge_runs_fix"), topic="run-merge",
            )
        group = []


def _sudo(instructions: list[Instruction]) -> Iterator[Finding]:
    for ins in instructions:
        if runs_command(ins, r"(?:^|[;&|(]\s*|\s)sudo\s"):
            yield Finding(
                code="TB106", severity="error", line=ins.line,
                title=Phrase("review_sudo_title"), why=Phrase("review_sudo_why"), fix=Phrase("review_sudo_fix"),
                topic="user",
            )
