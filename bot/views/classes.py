"""Rendering of instructors' classes: links, lists, calendars, broadcast progress, statistics text."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.callbacks import (
    AnnounceCancel,
    AnnounceSchedule,
    AnnounceSend,
    BroadcastStop,
    ClassDelete,
)
from bot.i18n import Raw, label, t
from bot.services.class_calendar import PlanLine
from bot.services.class_errors import ContentProblem, NothingToPush
from bot.services.class_stats import ChartLabels, ClassStats, LearnerStats
from bot.services.classes import ClassInfo
from bot.services.outbox import Progress
from bot.services.zone_names import zone_label
from bot.views.base import View, keyboard

__all__ = [
    "announce_preview_view", "broadcast_view", "chart_labels", "class_created_text", "class_link_text", "class_list_text",
    "content_problems_text", "delete_view", "join_link", "plan_text", "push_nothing_text", "stats_text",
]


def join_link(bot_username: str, code: str, prefix: str = "j-") -> str:
    return f"https://t.me/{bot_username}?start={prefix}{code}"


def class_created_text(lang: str, info: ClassInfo, *, course_title: str, bot_username: str, today: date) -> str:
    """`today`: the day the hint proposes to start the calendar on (the next weekday whose class time is to come)."""
    code = info.join_code or ""
    return t(lang, "class_created", name=info.name, id=info.id, course=course_title, timezone=zone_label(info.timezone),
             link=join_link(bot_username, code), code=f"j-{code}", today=today.isoformat(),
             time=info.lesson_time.strftime("%H:%M"))


def class_link_text(lang: str, info: ClassInfo, *, bot_username: str) -> str:
    if info.join_code is None:
        return t(lang, "class_link_none", name=info.name)
    cap = t(lang, "class_cap_note", cap=info.member_cap) if info.member_cap else ""
    expiry = t(lang, "class_expiry_note", date=info.code_expires_at.astimezone(ZoneInfo(info.timezone)).date()
               .isoformat()) if info.code_expires_at else ""
    return t(lang, "class_link", name=info.name, id=info.id, members=info.members, cap=cap, expiry=expiry,
             link=join_link(bot_username, info.join_code), code=f"j-{info.join_code}")


def class_list_text(lang: str, classes: list[ClassInfo], course_titles: dict[str, str],
                    groups: dict[int, list[str]] | None = None) -> str:
    """The instructor's classes; `groups`: the titles of the groups linked to each."""
    if not classes:
        return t(lang, "class_list_empty")
    groups = groups or {}
    lines = "\n".join(t(lang, "class_list_line", id=c.id, name=c.name, members=c.members,
                        course=course_titles.get(c.course_id, c.course_id), timezone=zone_label(c.timezone),
                        time=c.lesson_time.strftime("%H:%M"))
                      + (t(lang, "class_list_groups", groups=", ".join(groups[c.id])) if groups.get(c.id) else "")
                      for c in classes)
    return t(lang, "class_list", lines=Raw(lines))


def plan_text(lang: str, info: ClassInfo, lines: list[PlanLine], *, today: date, start: date | None = None) -> str:
    """`start`: the first weekday a calendar can start on, proposed when the plan is empty."""
    at = info.lesson_time.strftime("%H:%M")
    heading = t(lang, "plan_heading", name=info.name, timezone=zone_label(info.timezone), time=at)
    if not lines:
        return heading + "\n" + t(lang, "plan_empty", today=(start or today).isoformat(), time=at)
    body = [t(lang, "plan_line", mark="✅" if line.sent else ("▶️" if line.on_date >= today else "⏳"),
              date=line.on_date.isoformat(), title=line.title) for line in lines]
    return heading + "\n" + "\n".join(body)


def announce_preview_view(lang: str, *, announcement_id: int, members: int, class_name: str, parts: int) -> View:
    rows = [[(label(lang, "btn_announce_send"), AnnounceSend(announcement_id).encode()),
             (label(lang, "btn_announce_schedule"), AnnounceSchedule(announcement_id).encode())],
            [(label(lang, "btn_announce_cancel"), AnnounceCancel(announcement_id).encode())]]
    return View(t(lang, "announce_preview", members=members, name=class_name, parts=parts), keyboard(rows))


def broadcast_view(lang: str, *, class_name: str, progress: Progress, announcement_id: int,
                   scheduled: bool = False) -> View:
    cancelled = t(lang, "broadcast_cancelled_note", cancelled=progress.cancelled) if progress.cancelled else ""
    text = t(lang, "broadcast_status", name=class_name, queued=progress.queued, sent=progress.sent,
             failed=progress.failed, blocked=progress.blocked, cancelled=cancelled)
    if scheduled:
        text = t(lang, "broadcast_scheduled_note") + text
    if progress.done:
        return View(text + "\n" + t(lang, "broadcast_done"))
    return View(text, keyboard([[(label(lang, "btn_broadcast_stop"), BroadcastStop(announcement_id).encode())]]))


def delete_view(lang: str, *, class_id: int, name: str, posts: int) -> View:
    return View(t(lang, "class_delete_confirm", name=name, posts=posts), keyboard([[
        (label(lang, "btn_class_delete"), ClassDelete(class_id, True).encode()),
        (label(lang, "btn_class_keep"), ClassDelete(class_id, False).encode())]]))


def _last(lang: str, moment: datetime | None, zone: str) -> str:
    if moment is None:
        return t(lang, "stats_never")
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")


STATS_LIMIT = 4000
"""The statistics' text stays under Telegram's 4,096 characters whatever the class's size: what does not fit is
counted and left to the CSV, which always has every learner."""
STATS_ROWS = 40


def stats_text(lang: str, stats: ClassStats) -> str:
    if not stats.rows:
        return t(lang, "stats_empty", name=stats.class_name, id=stats.class_id)
    head = t(lang, "stats_heading", name=stats.class_name, members=len(stats.rows), planned=stats.planned_so_far) \
        + "\n" + t(lang, "stats_legend")
    hard = [t(lang, "stats_hard")] + [t(lang, "stats_hard_line", question=q.question[:80], percent=round(q.percent_correct),
                                        wrong=q.top_wrong or "–") for q in stats.hardest] if stats.hardest else []
    room = STATS_LIMIT - len(head) - sum(len(line) + 1 for line in hard) - 600  # 600: the "behind" line's share
    learner_lines = _fitting([_stats_line(lang, stats, row) for row in stats.rows[:STATS_ROWS]], room)
    lines = [head, *learner_lines]
    if len(stats.rows) > len(learner_lines):
        lines.append(t(lang, "stats_more_rows", count=len(stats.rows) - len(learner_lines)))
    behind = [escape(row.name, quote=False) for row in stats.rows if row.behind]
    if behind:
        room = STATS_LIMIT - sum(len(line) + 1 for line in lines + hard) - len(t(lang, "stats_behind", names="")) - 80
        shown = _fitting(behind, room, separator=2)
        names = ", ".join(shown) + (" " + t(lang, "stats_more_names", count=len(behind) - len(shown))
                                    if len(shown) < len(behind) else "")
        lines.append(t(lang, "stats_behind", names=Raw(names)))
    else:
        lines.append(t(lang, "stats_nobody_behind"))
    return "\n".join(lines + hard)


def _stats_line(lang: str, stats: ClassStats, row: LearnerStats) -> str:
    accuracy = f"{row.first_try_accuracy:.0%}" if row.first_try_accuracy is not None else "–"
    games = (t(lang, "stats_games_note", games=row.games.games, points=row.games.points,
               rank=row.games.best_rank) if row.games.games else "")
    return t(lang, "stats_line", name=row.name, lessons=row.lessons_done, accuracy=accuracy,
             exercises=row.exercises_done, streak=row.streak, last=_last(lang, row.last_activity, stats.timezone)) + games


def _fitting(items: list[str], room: int, *, separator: int = 1) -> list[str]:
    """The first items whose total length (with a separator after each) fits in `room`."""
    kept, used = [], 0
    for item in items:
        used += len(item) + separator
        if used > room:
            break
        kept.append(item)
    return kept


def push_nothing_text(lang: str, nothing: NothingToPush, ref: str | None) -> str:
    """No lesson left to push: why (no calendar yet, or it ran out), the exact `/push` commands for the next lessons
    the class has not had, and where to see every lesson or make a calendar."""
    lines = [t(lang, "push_nothing" if nothing.had_plan else "push_no_plan", name=nothing.class_name)]
    if nothing.next_lessons:
        commands = "\n".join(t(lang, "push_next_line", ref=f"{ref} " if ref else "", id=lesson_id, title=title)
                              for lesson_id, title in nothing.next_lessons)
        lines.append(t(lang, "push_next_lessons", lines=Raw(commands)))
    else:
        lines.append(t(lang, "push_all_sent"))
    lines.append(t(lang, "push_where_lessons"))
    return "\n\n".join(lines)


def content_problems_text(lang: str, problems: list[ContentProblem]) -> str:
    """"The announcement has problems, nothing is sent", then one `line: problem` per line, in `lang`."""
    lines = "\n".join(f"{p.line}: {t(lang, f'md_{p.code}', **dict(p.values))}" for p in problems)
    return t(lang, "announce_problems", problems=Raw(lines))


def chart_labels(lang: str) -> ChartLabels:
    """The stats chart's legend and axis in `lang` (plain text: matplotlib draws it)."""
    return ChartLabels(planned=label(lang, "stats_chart_planned"), done=label(lang, "stats_chart_done"),
                       axis=label(lang, "stats_chart_axis"))
