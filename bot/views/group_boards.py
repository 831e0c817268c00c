"""Lasting leaderboards, season ends and schedule notices as text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Raw, t
from bot.services.competition_boards import Board, BoardLine, SeasonEnd
from bot.services.competition_schedules import DueSchedule
from bot.views.group_quiz import MEDALS
from bot.views.player_names import player_name

__all__ = ["board_text", "notice_text", "scheduled_text", "season_end_text"]


def board_text(board: Board) -> str:
    lang = board.language
    lines = [t(lang, f"gq_top_{board.period}")]
    if not board.lines:
        return lines[0] + "\n\n" + t(lang, "gq_top_empty")
    lines.append("")
    lines += [_line(lang, line) for line in board.lines]
    lines.append("")
    lines.append(t(lang, "gq_top_me", rank=board.me.rank, points=board.me.points) if board.me
                 else t(lang, "gq_top_me_none"))
    return "\n".join(lines)


def _line(lang: str, line: BoardLine) -> str:
    rank = MEDALS[line.rank - 1] if line.rank <= len(MEDALS) else f"{line.rank}."
    return t(lang, "gq_top_line", rank=rank, name=player_name(lang, line.first_name), points=line.points, games=line.games)


def season_end_text(end: SeasonEnd) -> str:
    lang = end.language
    if not end.winners:
        return t(lang, "gq_season_end_nobody", number=end.season_number, next=end.season_number + 1)
    lines = "\n".join(_line(lang, winner) for winner in end.winners)
    return t(lang, "gq_season_end", number=end.season_number, lines=Raw(lines), next=end.season_number + 1)


def scheduled_text(lang: str, *, weekday: int, at: str, timezone: str, run_at: datetime) -> str:
    day = t(lang, "gq_weekdays").split(",")[weekday]
    when = run_at.astimezone(ZoneInfo(timezone)).strftime("%d/%m %H:%M")
    return t(lang, "gq_scheduled", day=day, time=at, timezone=timezone, when=when)


def notice_text(due: DueSchedule, scope: str) -> str:
    at = due.run_at.astimezone(ZoneInfo(due.timezone)).strftime("%H:%M")
    return t(due.language, "gq_notice", time=at, count=due.question_count, scope=Raw(scope))
