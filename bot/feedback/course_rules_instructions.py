"""Course rules about instructions themselves: FROM tags, ADD, WORKDIR, CMD, USER, EXPOSE, ENV."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from bot.feedback.base_family import stage_family
from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Finding, Phrase
from bot.feedback.rule_helpers import (
    image_reference,
    remark_words,
    runs_command,
    split_stages,
    stage_aliases,
)

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
            yield Finding("TB210", "info", ins.line, *remark_words("review_maintainer"), "labels")
    stages = split_stages(instructions)
    for stage in stages:
        yield from _only_last_counts(stage, "CMD", "TB205")
        yield from _only_last_counts(stage, "ENTRYPOINT", "TB206")
    if stages:
        yield from _root_user(stages[-1], apk=stage_family(instructions)[-1][1] == "apk")
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
        title = "review_base_tag_title_latest" if tag else "review_base_tag_title_none"
        yield Finding("TB201", "warning", ins.line, Phrase(title), Phrase("review_base_tag_why"),
                      Phrase("review_base_tag_fix", {"name": name, "tag": _example_tag(name)}), "base-tag")


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
        yield Finding("TB202", "info", ins.line, *remark_words("review_add_url"), "copy-vs-add")
    elif not all(_ARCHIVE.search(s) for s in sources):
        yield Finding("TB202", "warning", ins.line, *remark_words("review_add_local", words=" ".join(words)), "copy-vs-add")


def _cd_in_run(ins: Instruction) -> Iterator[Finding]:
    if runs_command(ins, r"(?:^|&&|;|\|\|)\s*cd\s"):
        yield Finding("TB203", "warning", ins.line, *remark_words("review_cd"), "workdir")


def _shell_form(ins: Instruction) -> Iterator[Finding]:
    if ins.keyword in {"CMD", "ENTRYPOINT"} and ins.args and ins.exec_form() is None:
        words = shlex.split(ins.args, posix=True) if _splittable(ins.args) else ins.args.split()
        exec_form = ", ".join(f'"{w}"' for w in words)
        yield Finding("TB204", "warning", ins.line, *remark_words("review_shell_form", keyword=ins.keyword, exec_form=exec_form),
                      "cmd-form")


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
            yield Finding("TB209", "warning", ins.line, *remark_words("review_secret", keyword=ins.keyword, key=key), "env-secrets")
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
        values = {"keyword": keyword, "ignored": ", ".join(str(ins.line) for ins in found[:-1]), "last": found[-1].line}
        why = "review_only_last_why_many" if len(found) > 2 else "review_only_last_why_one"
        yield Finding(code, "warning", found[0].line, Phrase("review_only_last_title", values), Phrase(why, values),
                      Phrase("review_only_last_fix", values), "cmd-entrypoint", end_line=found[-1].line)


def _root_user(stage: list[Instruction], *, apk: bool) -> Iterator[Finding]:
    users = [ins for ins in stage if ins.keyword == "USER"]
    if users and users[-1].args.split(":")[0] not in {"root", "0"}:
        return
    if any(_SELF_PRIVILEGED.search(ins.args) for ins in stage if ins.keyword in {"FROM", "RUN", "CMD", "ENTRYPOINT"}):
        return  # nginx/apache start as root to open port 80, then drop privileges themselves
    # busybox (the lab's alpine) has neither useradd nor adduser: its `nobody` account is already there
    how = "nobody" if apk else "useradd"
    starts = [ins.keyword for ins in stage if ins.keyword in {"CMD", "ENTRYPOINT"}]
    fix = Phrase(f"review_root_fix_{how}_before", {"keyword": starts[0]}) if starts else Phrase(f"review_root_fix_{how}_end")
    yield Finding("TB207", "info", users[-1].line if users else None, Phrase("review_root_title"), Phrase("review_root_why"),
                  fix, "user")


def _missing_expose(stage: list[Instruction]) -> Iterator[Finding]:
    if any(ins.keyword == "EXPOSE" for ins in stage):
        return
    text = " ".join(ins.args for ins in stage if ins.keyword in {"FROM", "RUN", "CMD", "ENTRYPOINT"})
    for pattern, port in _SERVERS:
        if re.search(pattern, text):
            yield Finding("TB208", "info", None, *remark_words("review_expose", port=port), "expose")
            return
