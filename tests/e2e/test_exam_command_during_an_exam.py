"""/exam during an exam no longer throws it away: the bot says an exam is running (how far), and offers to
resume it (the same question again) or start over (after a confirmation). The attempt row stays until then."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN
from sqlmodel import Session, select

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
from bot.storage import make_engine
from bot.storage.models import ExamAttempt

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
async def course_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=COURSE_DIR,
                        delivery_sweep_seconds=3600)
    catalog = load_catalog(COURSE_DIR)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield database_url
    await stop_bot(application)


def attempts(database_url: str) -> list[tuple[int, str, bool]]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return [(a.id, a.answers, a.finished_at is not None) for a in session.exec(select(ExamAttempt)).all()]
    finally:
        engine.dispose()


async def start_and_answer_one(api, user):
    sent = await user.send("/exam")
    warning = await api.wait_for_message(user.id, after=sent, predicate=lambda m: "Avant l'examen" in m.text)
    await user.press(warning, "🎓 Commencer quand même")
    first = await api.wait_for_message(user.id, after=warning, predicate=lambda m: "question 1/20" in m.text)
    await user.press(first, "A")
    second = await api.wait_for_message(user.id, after=first, predicate=lambda m: "question 2/20" in m.text)
    return second


async def test_exam_during_an_exam_offers_to_resume_it(course_bot, local_api):
    api, database_url = local_api, course_bot
    lea = api.user(3401, first_name="Léa")
    sent = await lea.send("/start docker-fr")
    await api.wait_for_message(lea.id, after=sent, predicate=lambda m: bool(m.buttons))
    second = await start_and_answer_one(api, lea)
    [(attempt_id, answers, finished)] = attempts(database_url)
    assert len(answers.split(",")) == 1 and not finished

    sent = await lea.send("/exam")
    note = await api.wait_for_message(lea.id, after=sent, predicate=lambda m: "examen en cours" in m.text)
    assert "(1/20)" in note.text
    assert [label for label, _ in note.buttons] == ["▶️ Reprendre", "🔄 Recommencer"]
    assert not any("Avant l'examen" in (m.text or "") for m in api.messages(lea.id) if m.message_id > sent.message_id)
    assert attempts(database_url) == [(attempt_id, answers, False)], "the running exam is kept"

    await lea.press(note, "▶️ Reprendre")
    again = await api.wait_for_message(lea.id, after=note, predicate=lambda m: "question 2/20" in m.text)
    assert again.text == second.text, "the same question, in the same order"
    await lea.press(again, "B")
    await api.wait_for_message(lea.id, after=again, predicate=lambda m: "question 3/20" in m.text)
    [(same_id, answers, _)] = attempts(database_url)
    assert same_id == attempt_id and len(answers.split(",")) == 2


async def test_start_over_asks_first_then_starts_a_new_exam(course_bot, local_api):
    api, database_url = local_api, course_bot
    max_ = api.user(3402, first_name="Max")
    sent = await max_.send("/start docker-fr")
    await api.wait_for_message(max_.id, after=sent, predicate=lambda m: bool(m.buttons))
    await start_and_answer_one(api, max_)
    [(attempt_id, _, _)] = attempts(database_url)

    sent = await max_.send("/examen")
    note = await api.wait_for_message(max_.id, after=sent, predicate=lambda m: "examen en cours" in m.text)
    await max_.press(note, "🔄 Recommencer")
    confirm = await api.wait_for_message(max_.id, after=note, predicate=lambda m: "Recommencer l'examen ?" in m.text)
    assert "1 réponse(s)" in confirm.text
    assert [label for label, _ in confirm.buttons] == ["🔄 Oui, recommencer", "▶️ Reprendre"]
    assert [a[0] for a in attempts(database_url)] == [attempt_id], "nothing dropped before the confirmation"

    await max_.press(confirm, "🔄 Oui, recommencer")
    intro = await api.wait_for_message(max_.id, after=confirm, predicate=lambda m: "Examen final" in m.text)
    await api.wait_for_message(max_.id, after=intro, predicate=lambda m: "question 1/20" in m.text)
    [(new_id, answers, finished)] = attempts(database_url)
    assert new_id != attempt_id and answers == "" and not finished
