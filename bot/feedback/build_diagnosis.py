"""explain_build_failure: the cause of a failed build, as a code and its values, with the line to change."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.feedback.build_causes import CAUSES, Cause, Story
from bot.feedback.build_log import locate_instruction, read_build_log
from bot.feedback.dockerfile_parser import parse_dockerfile
from bot.feedback.models import BuildDiagnosis, Phrase, Value

__all__ = ["explain_build_failure"]


_BASE_NOT_FOUND = re.compile(r"registry-1\.docker\.io[^\n]*(?:no such host|i/o timeout|connection refused)"
                             r"|pull access denied for [^\s,]+|manifest (?:for \S+ )?(?:unknown|not found)"
                             r"|failed to resolve source metadata for \S+?: (?:\S+: )?not found")


def _lab_base(lab_tags: Mapping[str, Sequence[str]]) -> Cause:
    """In the lab (no Internet, its own registry), a base image it lacks is that, not a network failure."""
    def tell(_: re.Match[str], step: str | None) -> Story:
        named = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)", step or "", re.IGNORECASE)
        image = named.group(1) if named else None
        name = image.split(":", 1)[0].rsplit("/", 1)[-1] if image else ""
        also: Value = (Phrase("diag_offline_tag_also", {"name": name, "tags": tuple(lab_tags[name])}) if name in lab_tags
                       else Phrase("diag_offline_image_also", {"images": tuple(lab_tags)}))
        return Story("offline_image", "offline-image", {"image": image or Phrase("diag_unnamed_image"), "also": also},
                     lambda ins: ins.keyword == "FROM")

    return Cause(_BASE_NOT_FOUND, tell)


def explain_build_failure(log: str, dockerfile: str | None = None, *,
                          lab_tags: Mapping[str, Sequence[str]] | None = None) -> BuildDiagnosis | None:
    """Diagnose a failed `docker build` from its log (and the Dockerfile, to find the line).

    `lab_tags` (image -> the tags the lab's registry has) says the build ran in the offline lab: a base
    image it cannot pull is then one the lab lacks, and the learner is told which tags it has.
    Returns None when no known cause matches: the caller then shows the raw error.
    """
    if not log or not log.strip():
        return None
    step = read_build_log(log)
    causes = (_lab_base(lab_tags), *CAUSES) if lab_tags else CAUSES
    for cause in causes:
        match = cause.pattern.search(step.log)
        if match is None:
            continue
        failing = locate_instruction(step, dockerfile)
        story = cause.tell(match, step.instruction or (failing.text if failing else None))
        if failing is None and dockerfile and story.target is not None:
            failing = next((ins for ins in parse_dockerfile(dockerfile[:200_000]) if story.target(ins)), None)
            if failing is not None and step.instruction is None:
                story = cause.tell(match, failing.text)  # now we know the command that failed
        return BuildDiagnosis(
            step=step.instruction or (failing.text if failing else None),
            line=failing.line if failing is not None else step.line,
            code=story.code,
            topic=story.topic,
            values=story.values,
            evidence=_evidence_line(step.log, match.start()),
        )
    return None


def _evidence_line(log: str, position: int) -> str:
    """The log line holding the match, without BuildKit's `#8 0.321` prefix."""
    start = log.rfind("\n", 0, position) + 1
    end = log.find("\n", position)
    line = log[start : end if end != -1 else len(log)].strip()
    if line.startswith("#"):
        parts = line.split(" ", 2)
        line = parts[2] if len(parts) == 3 and parts[1].replace(".", "").isdigit() else line
    return line[:300]
