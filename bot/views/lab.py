"""The lab in the chat: a command's output, a build's progress and summary, a refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup

from bot.callbacks import LessonPage
from bot.content import Catalog
from bot.feedback import standin_note
from bot.i18n import Raw, size, t
from bot.services.check_traffic import without_check_requests
from bot.services.lab import NEEDS_TTY, LabRefusal, run_suggestion
from bot.views.base import keyboard
from bot.views.feedback import phrase

if TYPE_CHECKING:
    from sandbox.results import BuildProgress, BuildResult, CommandResult

__all__ = ["MESSAGE_OUTPUT_CHARS", "build_end_text", "build_progress_text", "build_summary", "command_output", "lesson_buttons",
           "lesson_link",
           "needs_full_log", "refusal_text"]

MESSAGE_OUTPUT_CHARS = 3000
COMMAND_SHOWN_CHARS = 200
HEAD_CHARS = 800


def command_output(lang: str, command: str, result: CommandResult) -> str:
    """`$ command`, its output (the end of it when long, without the exercise checks' own requests), and how it
    ended."""
    output, hidden = without_check_requests(result.output)
    output = output.rstrip("\n")
    shown = output if len(output) <= MESSAGE_OUTPUT_CHARS else (  # the beginning and the end, as the note says
        output[:HEAD_CHARS].rstrip("\n") + "\n[…]\n" + output[-(MESSAGE_OUTPUT_CHARS - HEAD_CHARS):].lstrip("\n"))
    lines = [f"<b>$</b> <code>{escape(command[:COMMAND_SHOWN_CHARS])}</code>"]
    lines.append(f"<pre>{escape(shown)}</pre>" if shown.strip() else t(lang, "no_output"))
    if result.disk_full:
        lines.append(t(lang, "disk_full"))
    elif result.cancelled:
        pass  # said after the output, with what still runs (bot/views/lab_running.py)
    elif result.timed_out:
        lines.append(t(lang, "timed_out", seconds=round(result.duration_s)))
    elif result.oom_killed:
        lines.append(t(lang, "oom_killed"))
    if not result.cancelled:  # a stopped command's status is the stop itself (said after the output)
        status = "exit_ok" if result.exit_code == 0 else "exit_failed"
        lines.append(t(lang, status, code=result.exit_code, seconds=f"{result.duration_s:.1f}"))
    note = standin_note(command, output) if result.exit_code == 0 else None
    if note:
        lines.append("ℹ️ " + phrase(lang, note))
    if hidden:
        lines.append(t(lang, "check_requests_hidden_one") if hidden == 1
                     else t(lang, "check_requests_hidden_many", count=hidden))
    if result.truncated:
        lines.append(t(lang, "output_cut", size=size(lang, result.cut_bytes)) if result.cut_bytes
                     else t(lang, "output_capped"))
    return "\n".join(lines)


def needs_full_log(text: str) -> bool:
    """Output too long for a message is also sent whole, as a file."""
    return len(text.rstrip("\n")) > MESSAGE_OUTPUT_CHARS


def build_progress_text(lang: str, progress: BuildProgress) -> str:
    text = t(lang, "build_progress", step=progress.step, total=progress.total or "?", line=progress.line[:120])
    if progress.output:
        text += "\n<pre>" + escape(progress.output[-200:]) + "</pre>"
    return text


def build_end_text(lang: str, ok: bool, last: BuildProgress | None) -> str:
    """The status message's last words: done, or failed at the step that was running (not the last one shown)."""
    if ok:
        return t(lang, "build_done_short")
    if last is None:
        return t(lang, "build_failed_short")
    return t(lang, "build_failed_at_step", step=last.step, total=last.total or "?", line=last.line[:120])


def build_summary(lang: str, result: BuildResult, tag: str, dockerfile: str | None = None,
                  host_port: int = 8080) -> str:
    if result.ok:
        run = Raw("\n".join(f"<code>{escape(line)}</code>"
                            for line in run_suggestion(result.tag or tag, dockerfile, host_port)))
        size = t(lang, "megabytes", value=f"{result.image_size / 1_000_000:.1f}") if result.image_size else "?"
        return t(lang, "build_ok", tag=result.tag or tag, image=(result.image_id or "")[:19], run=run,
                 size=size, seconds=f"{result.duration_s:.1f}")
    failed = t(lang, "build_failed", step=result.failed_step or "?", error=(result.error or "")[-1500:],
               seconds=f"{result.duration_s:.1f}")
    if result.timed_out:
        return failed + "\n" + t(lang, "build_timed_out", seconds=round(result.duration_s))
    return failed


def refusal_text(lang: str, refusal: LabRefusal, *, command: str = "") -> str:
    """Why the lab did not run the learner's input: the message of its code, with its details.

    An unavailable lab, or files that could not be written, are told by the code's own message (`lab_full`,
    `files_not_written`...); a refused input by a headline
    (`lab_rejected`, `bad_context`) and the reason `refused_<code>`. Sizes (`*_bytes`) are worded.
    """
    if refusal.code == NEEDS_TTY:
        kind = refusal.details.get("kind", "plain")
        key = {"shell": "needs_tty_shell", "attach": "needs_tty_attach"}.get(str(kind), "needs_tty")
        text = t(lang, key, command=command, alternative=refusal.details.get("alternative", ""),
                 several=refusal.details.get("several", ""))
        return text + "\n" + t(lang, "needs_tty_sh_not_bash") if refusal.details.get("not_sh") else text
    values = {name: size(lang, value) if name.endswith("_bytes") and isinstance(value, int) else value
              for name, value in refusal.details.items()}
    if refusal.kind in ("unavailable", "blocked"):
        return t(lang, refusal.code, **values)
    reason = Raw(t(lang, f"refused_{refusal.code}", **values))
    return t(lang, "lab_rejected" if refusal.kind == "rejected" else "bad_context", detail=reason)


def lesson_link(catalog: Catalog, course_id: str | None) -> Callable[[str], str | None]:
    """Topic -> title of the lesson that teaches it, from the course's feedback map."""
    course = catalog.courses.get(course_id or "") or next(iter(catalog.courses.values()), None)  # not enrolled: first
    topics = getattr(course, "feedback_topics", None) or {}

    def link(topic: str) -> str | None:
        lesson = course.lessons.get(topics.get(topic, "")) if course else None
        return lesson.title if lesson else None

    return link


def lesson_buttons(catalog: Catalog, course_id: str | None, topics: Iterable[str]) -> InlineKeyboardMarkup | None:
    """A button per lesson the feedback links to ("📖 Leçon : …"), which opens it; None when there is none."""
    course = catalog.courses.get(course_id or "") or next(iter(catalog.courses.values()), None)
    mapping = getattr(course, "feedback_topics", None) or {}
    rows, seen = [], set()
    for topic in topics:
        lesson = course.lessons.get(mapping.get(topic, "")) if course else None
        if lesson is not None and lesson.id not in seen:
            seen.add(lesson.id)
            rows.append([(f"📖 {lesson.title}"[:60], LessonPage(lesson.id).encode())])
    return keyboard(rows[:3]) if rows else None
