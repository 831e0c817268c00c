"""Group game texts: the poll's explanation fits Telegram's 200 characters, the rest is in the scoreboard."""

from __future__ import annotations

from bot.services.competition_values import GameView, RoundResult, Standing
from bot.views.group_quiz import poll_explanation, poll_question, round_text


def test_a_long_explanation_is_cut_for_the_poll_and_whole_in_the_scoreboard():
    long = "Une image est un modèle en lecture seule ; " * 8
    cut = poll_explanation(long)
    assert cut is not None and len(cut) <= 200 and cut.endswith("…") and long.startswith(cut[:-1])
    assert poll_explanation("court") == "court" and poll_explanation("") is None
    game = GameView(id=1, chat_id=-1, status="running", language="fr", course_id="c", module_id="", question_count=3,
                    timer=20, current_index=0, lobby_message_id=None, lobby_ends_at=None, scoreboard_message_id=5)
    result = RoundResult(game=game, position=0, question="q", answer="docker ps", explanation=long, answered=2,
                         right=1, standings=(Standing(1, "Ana <3", 950, 1, 2.0, 2.0),), last=False)
    text = round_text(result)
    assert long in text
    assert "Ana &lt;3 · 950 pts" in text and "question 1/3" in text


def test_a_question_near_300_characters_keeps_its_number_and_fits():
    assert len(poll_question("fr", 2, 10, "x" * 300)) == 300
    assert poll_question("fr", 2, 10, "Quelle commande ?") == "[3/10] Quelle commande ?"
