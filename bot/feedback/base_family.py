"""Which package manager a stage's base image has, so the review's advice fits it.

`apk`: Alpine and busybox, and any `*-alpine` tag. `apt`: Debian, Ubuntu and the official images built on them.
None: unknown (a stage alias of an unknown base, `scratch`, another distribution): the review keeps every remark.
In the offline lab the alpine stand-in (busybox) has no working `apk` and no `adduser`: advice on it sticks to
what works there and on a real Alpine alike (bot/feedback/standin_notes.py explains the stand-ins).
"""

from __future__ import annotations

from typing import Literal

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Finding
from bot.feedback.rule_helpers import image_reference, split_stages

__all__ = ["Family", "fits_base", "stage_family"]

Family = Literal["apk", "apt"]
_APK_NAMES = frozenset({"alpine", "busybox"})
_APT_NAMES = frozenset({"debian", "ubuntu", "python", "nginx", "node", "httpd", "redis", "postgres", "php", "ruby",
                        "golang", "openjdk", "eclipse-temurin", "registry"})
# Remarks that only make sense with one package manager.
_APT_ONLY = frozenset({"TB101", "TB102", "TB107", "DL3005", "DL3008", "DL3009", "DL3014", "DL3015", "DL3027"})
_APK_ONLY = frozenset({"DL3017", "DL3018", "DL3019"})


def _family_of(image: str, earlier: dict[str, Family | None]) -> Family | None:
    lowered = image.lower()
    if lowered in earlier:
        return earlier[lowered]
    last = lowered.rsplit("/", 1)[-1]
    name, _, tag = last.partition("@")[0].partition(":")
    if name in _APK_NAMES or "alpine" in tag:
        return "apk"
    if name in _APT_NAMES:
        return "apt"
    return None


def stage_family(instructions: list[Instruction]) -> list[tuple[int, Family | None]]:
    """(first line, family) of each stage, in order."""
    found: list[tuple[int, Family | None]] = []
    aliases: dict[str, Family | None] = {}
    for stage in split_stages(instructions):
        image = image_reference(stage[0]) or ""
        family = _family_of(image, aliases)
        _, words = stage[0].flags_and_words()
        if len(words) >= 3 and words[1].lower() == "as":
            aliases[words[2].lower()] = family
        found.append((stage[0].line, family))
    return found


def _family_at(stages: list[tuple[int, Family | None]], line: int | None) -> Family | None:
    family: Family | None = None
    for start, stage in stages:
        if line is not None and start <= line:
            family = stage
    return family


def fits_base(findings: list[Finding], instructions: list[Instruction]) -> list[Finding]:
    """The findings without the apt advice on an apk-based stage, nor apk advice on an apt-based one. apk advice
    (pin its packages, `--no-cache`) goes on an apk-based stage too: no stand-in of the lab has a working `apk`,
    and the build's diagnosis already says so (diag_standin_apk_* in bot/i18n/*/diagnosis.yaml)."""
    stages = stage_family(instructions)
    kept = []
    for finding in findings:
        family = _family_at(stages, finding.line)
        if (family == "apk" and finding.code in _APT_ONLY) or (family is not None and finding.code in _APK_ONLY):
            continue
        kept.append(finding)
    return kept
