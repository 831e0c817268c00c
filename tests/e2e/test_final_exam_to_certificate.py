"""The final exam from /exam to the certificate: questions from every module (the synthesis ones among
them), a pass mark, the certificate only once every exercise is done, and /verify for anyone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN
from sqlmodel import Session

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
from bot.storage import make_engine
from bot.storage.models import ExerciseCompletion, Learner

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
async def course_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=COURSE_DIR,
                        delivery_sweep_seconds=3600)
    catalog = load_catalog(COURSE_DIR)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield catalog.courses["docker-fr"], database_url
    await stop_bot(application)


def question_of(course, message):
    paragraphs = message.text.split("\n\n")
    return next(q for q in course.questions_in_order() if q.question in paragraphs)


def letter_for(message, text: str, *, right: bool) -> str:
    shown = {line[0]: line[3:] for line in message.text.split("\n") if len(line) > 3 and line[1:3] == ". "}
    return next(letter for letter, option in shown.items() if (option == text) == right)


async def sit_exam(api, user, course, *, right_answers: int):
    """Answer the whole exam: the first `right_answers` questions right, the others wrong."""
    sent = await user.send("/exam")  # no lesson read: the bot warns first, the learner starts anyway
    warning = await api.wait_for_message(user.id, after=sent, predicate=lambda m: "Avant l'examen" in m.text)
    await user.press(warning, "🎓 Commencer quand même")
    intro = await api.wait_for_message(user.id, after=warning, predicate=lambda m: "Examen final" in m.text)
    asked, modules, message = [], set(), intro
    for number in range(1, 21):
        message = await api.wait_for_message(user.id, after=message,
                                             predicate=lambda m, n=number: f"question {n}/20" in m.text)
        question = question_of(course, message)
        asked.append(question.id)
        modules.add(course.module_of_question(question.id).id)
        right = question.options[question.answer]
        await user.press(message, letter_for(message, right, right=len(asked) <= right_answers))
    return intro, asked, modules, message


async def test_the_exam_draws_from_every_module_passes_and_gives_a_certificate_once_exercises_are_done(
        course_bot, local_api, clock):
    course, database_url = course_bot
    api = local_api
    clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    zoe = api.user(3101, first_name="Zoé")
    sent = await zoe.send("/start docker-fr")
    await api.wait_for_message(zoe.id, after=sent, predicate=lambda m: bool(m.buttons))

    intro, asked, modules, last = await sit_exam(api, zoe, course, right_answers=16)
    assert "14 bonnes réponses" in intro.text, "pass mark: 70 % of 20"
    assert len(set(asked)) == 20
    assert {"m02-q1", "m02-q2", "m02-q3"} <= set(asked), "the synthesis questions are always asked"
    assert modules == {m.id for m in course.modules if m.quiz}, "every module is represented"
    result = await api.wait_for_message(zoe.id, after=last, predicate=lambda m: "Examen réussi" in m.text)
    assert "16/20" in result.text
    missing = await api.wait_for_message(zoe.id, after=result, predicate=lambda m: "il te reste" in m.text)
    assert "Bascule blue/green" in missing.text, "no certificate before every exercise is done"
    assert not any(m.extra.get("photo") for m in api.messages(zoe.id))

    engine = make_engine(database_url)  # the learner does every exercise (recorded as the lab would)
    with Session(engine) as session:
        learner = session.exec(Learner.__table__.select().where(Learner.telegram_id == zoe.id)).first()
        for module in course.modules:
            for exercise_id in module.exercises:
                session.add(ExerciseCompletion(learner_id=learner.id, course_id=course.id, exercise_id=exercise_id,
                                               completed_at=clock.now()))
        session.commit()
    engine.dispose()

    sent = await zoe.send("/exam")
    photo = await api.wait_for_message(zoe.id, after=sent, predicate=lambda m: bool(m.extra.get("photo")))
    document = api.store.files[photo.extra["photo"][0]["file_id"]]
    assert document.data.startswith(b"\x89PNG"), "the certificate is a PNG image"
    assert "code de vérification" in photo.caption
    code = photo.caption.split("/verify ")[1].rstrip(").")
    assert len(code) == 10 and code.isalnum()

    stranger = api.user(3199, first_name="Vérificateur")
    sent = await stranger.send(f"/verify {code.lower()[:5]}-{code.lower()[5:]}")
    ok = await api.wait_for_message(stranger.id, after=sent)
    assert "Certificat valide" in ok.text and "Zoé" in ok.text and "16/20" in ok.text and "01/06/2026" in ok.text
    sent = await stranger.send("/verify ZZZZZZZZZZ")
    unknown = await api.wait_for_message(stranger.id, after=sent)
    assert "Aucun certificat" in unknown.text
    sent = await stranger.send("/verify")
    usage = await api.wait_for_message(stranger.id, after=sent)
    assert "/verify CODE" in usage.text


async def test_a_failed_exam_says_how_many_were_needed_and_old_buttons_are_stale(course_bot, local_api):
    course, _ = course_bot
    api = local_api
    tom = api.user(3201, first_name="Tom")
    sent = await tom.send("/start docker-fr")
    await api.wait_for_message(tom.id, after=sent, predicate=lambda m: bool(m.buttons))
    _, _, _, last = await sit_exam(api, tom, course, right_answers=5)
    result = await api.wait_for_message(tom.id, after=last, predicate=lambda m: "non réussi" in m.text)
    assert "5/20" in result.text and "il en fallait 14" in result.text
    assert "le plus manqué" in result.text and 1 <= len(result.buttons) <= 3, "the weakest modules, as buttons"
    module_button = result.buttons[0][0]
    await tom.press(result, module_button)
    toc = await api.wait_for_message(tom.id, after=result, predicate=lambda m: "leçons lues" in (m.text or ""))
    assert module_button.removeprefix("📚 ") in toc.text, "the button opens that module's lessons"
    before = len(api.messages(tom.id))
    old_button = next(data for _, data in last.buttons) if last.buttons else "xa:1:19:0"
    await tom.press(last, data=old_button)  # an answer to a finished exam: stale, nothing recorded or asked
    sent = await tom.send("/progress")
    await api.wait_for_message(tom.id, after=sent, predicate=lambda m: "progression" in m.text)
    assert not any("Examen" in (m.text or "") for m in api.messages(tom.id)[before:])


@pytest.fixture
async def teaching_only_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=COURSE_DIR,
                        delivery_sweep_seconds=3600, lab_enabled=False)
    catalog = load_catalog(COURSE_DIR)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield catalog.courses["docker-fr"]
    await stop_bot(application)


async def test_a_bot_without_a_lab_certifies_the_exam_alone_and_says_so(teaching_only_bot, local_api, clock):
    course, api = teaching_only_bot, local_api
    clock.set(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    ana = api.user(3102, first_name="Ana")
    sent = await ana.send("/start docker-fr")
    await api.wait_for_message(ana.id, after=sent, predicate=lambda m: bool(m.buttons))
    _, _, _, last = await sit_exam(api, ana, course, right_answers=16)
    photo = await api.wait_for_message(ana.id, after=last, predicate=lambda m: bool(m.extra.get("photo")))
    assert not any("il te reste" in (m.text or "") for m in api.messages(ana.id)), "no exercise asked for: no lab"
    sent_png = api.store.files[photo.extra["photo"][0]["file_id"]].data
    code = photo.caption.split("/verify ")[1].rstrip(").")
    from bot.views.certificate import certificate_png
    common = {"lang": "fr", "name": "Ana", "course": course.title, "score": 16, "total": 20,
              "issued": clock.now(), "code": code}
    assert sent_png == certificate_png(**common, exam_only=True), "the certificate names the exam alone"
    assert sent_png != certificate_png(**common), "(control) the lab's certificate reads differently"
