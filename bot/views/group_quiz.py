"""Group games as text: the lobby, the poll's question, the scoreboard, the final leaderboard."""

from __future__ import annotations

from html import escape

from bot.callbacks import JoinGame
from bot.i18n import Raw, label, t
from bot.services.competition_values import FinalResult, GameView, RoundResult, Standing
from bot.services.shown_names import shown_name
from bot.telegram_html import utf16_len
from bot.views.base import View, keyboard
from bot.views.player_names import player_name

__all__ = ["BOARD_LINES", "MEDALS", "final_text", "lobby_view", "poll_explanation", "poll_question", "round_text", "scoreboard_start", "scope_text",
           "started_text"]

BOARD_LINES = 10
MEDALS = ("🥇", "🥈", "🥉")
POLL_QUESTION_MAX, POLL_EXPLANATION_MAX = 300, 200


def scope_text(lang: str, module_id: str, *, class_game: bool = False) -> str:
    if module_id:
        return t(lang, "gq_scope_module", module=module_id)
    return t(lang, "gq_scope_class" if class_game else "gq_scope_course")


def _scope(game: GameView) -> str:
    return scope_text(game.language, game.module_id, class_game=game.class_game)


def _players(game: GameView) -> str:
    if not game.players:
        return t(game.language, "gq_no_players_yet")
    shown = ", ".join(shown_name(p) for p in game.players[:30]) + (f" +{len(game.players) - 30}" if len(game.players) > 30 else "")
    return escape(shown)


def lobby_view(game: GameView, seconds: int) -> View:
    text = t(game.language, "gq_lobby", count=game.question_count, scope=Raw(_scope(game)), timer=game.timer,
             seconds=seconds, players=Raw(_players(game)))
    return View(text, keyboard([[(label(game.language, "gq_btn_join"), JoinGame().encode())]]))


def started_text(game: GameView) -> str:
    return t(game.language, "gq_lobby_over", count=game.question_count, scope=Raw(_scope(game)), timer=game.timer,
             players=Raw(_players(game)))


def scoreboard_start(game: GameView) -> str:
    return t(game.language, "gq_scoreboard_start", total=game.question_count)


def poll_question(lang: str, position: int, total: int, question: str) -> str:
    """The question with its place in the game, cut to Telegram's 300 characters if need be."""
    text = t(lang, "gq_poll_question", position=position + 1, total=total, question=Raw(question))
    return text if len(text) <= POLL_QUESTION_MAX else text[:POLL_QUESTION_MAX - 1] + "…"


def poll_explanation(explanation: str) -> str | None:
    """What fits Telegram's 200-character explanation field; the whole text goes in the scoreboard anyway."""
    if not explanation:
        return None
    if utf16_len(explanation) <= POLL_EXPLANATION_MAX:
        return explanation
    cut = explanation
    while utf16_len(cut) > POLL_EXPLANATION_MAX - 1:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _lines(lang: str, standings: tuple[Standing, ...]) -> str:
    scored = [s for s in standings if s.points or s.correct][:BOARD_LINES]
    if not scored:
        return t(lang, "gq_board_empty")
    return "\n".join(t(lang, "gq_board_line", rank=i, name=player_name(lang, s.first_name), points=s.points)
                     for i, s in enumerate(scored, start=1))


def round_text(result: RoundResult) -> str:
    """The scoreboard after a question: the right answer, the full explanation, the top players."""
    lang = result.game.language
    explanation = escape(result.explanation) + "\n" if result.explanation else ""
    return t(lang, "gq_scoreboard", position=result.position + 1, total=result.game.question_count,
             answer=result.answer, explanation=Raw(explanation), right=result.right, answered=result.answered,
             lines=Raw(_lines(lang, result.standings)))


def final_text(result: FinalResult) -> str:
    """🥇🥈🥉 then the others, with points and right answers, and the fastest right answer."""
    lang = result.game.language
    board = [s for s in result.standings if s.points or s.correct]
    if not board:
        return t(lang, "gq_final_nobody")
    lines = [t(lang, "gq_final_line", medal=MEDALS[i] if i < len(MEDALS) else f"{i + 1}.", name=player_name(lang, s.first_name),
               points=s.points, correct=s.correct, total=result.questions_played)
             for i, s in enumerate(board[:BOARD_LINES])]
    text = t(lang, "gq_final", lines=Raw("\n".join(lines)))
    fastest = min((s for s in board if s.fastest_correct is not None), key=lambda s: s.fastest_correct or 0.0,
                  default=None)
    if fastest is not None and fastest.fastest_correct is not None:
        seconds = f"{fastest.fastest_correct:.2f}".replace(".", t(lang, "decimal_point"))
        text += "\n\n" + t(lang, "gq_fastest", name=player_name(lang, fastest.first_name), seconds=seconds)
    return text
