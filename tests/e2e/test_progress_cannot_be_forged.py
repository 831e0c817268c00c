"""A learner cannot forge progress: a lesson counts as read only when the bot showed its last page to them, and a
quiz answer counts only for a question the bot asked them, with the options in the order it sent them. A forged
`done:<lesson>` or `ans:<question>:<option>` is answered "this button has expired" and changes nothing in /progress;
the real flow (reading to the last page, answering the question asked) still counts."""

from __future__ import annotations

from datetime import UTC, datetime

from forged_presses import forge, toast
from lesson_reading import onward, read_lessons

from bot.callbacks import Answer, decode


async def _progress(api, user) -> str:  # noqa: ANN001
    sent = await user.send("/progress")
    return (await api.wait_for_message(user.id, after=sent, predicate=lambda m: "progression" in m.text)).text


async def _started(api, user_id: int, name: str):  # noqa: ANN001, ANN202
    user = api.user(user_id, first_name=name)
    sent = await user.send("/start mini")
    menu = await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
    return user, menu


def _expired(answer) -> bool:  # noqa: ANN001
    return bool(answer.show_alert) and "plus valable" in (answer.text or "")


async def test_forged_done_for_lessons_never_shown_are_refused_and_read_lessons_still_count(harness):
    api = harness.api
    mia, menu = await _started(api, 7101, "Mia")
    for lesson in ("m1-images", "m1-conteneurs", "m2-volumes"):
        answer = await forge(api, mia, menu, f"done:{lesson}")
        assert _expired(answer), (lesson, answer)
    assert "📖 0/3 leçons" in await _progress(api, mia), "no lesson was shown: none is read"
    await read_lessons(api, mia, 2)  # the first lesson's last page, its Suivant ▶, the second to its end
    assert "📖 2/3 leçons" in await _progress(api, mia)


async def test_forged_answers_to_questions_never_asked_are_refused_and_asked_ones_still_count(harness):
    api = harness.api
    course = harness.catalog.courses["mini"]
    leo, menu = await _started(api, 7102, "Léo")
    await read_lessons(api, leo, 2)  # both questions of the first module may now be asked
    for question in course.questions_in_order():
        answer = await forge(api, leo, menu, f"ans:{question.id}:{question.answer}")
        assert _expired(answer), (question.id, answer)
    assert "pas encore de quiz" in await _progress(api, leo), "no question was asked: no answer counts"

    sent = await leo.send("/quiz")
    asked_message = await api.wait_for_message(leo.id, after=sent, predicate=lambda m: "Question" in m.text)
    sent_data = [data for _, data in asked_message.buttons if data.startswith("ans:")]
    asked = decode(sent_data[0])
    assert isinstance(asked, Answer)
    question = course.question(asked.question_id)
    assert question is not None
    reordered = asked.order[::-1]  # the same question, but options in an order the bot never sent
    forged = Answer(asked.question_id, question.answer, reordered, asked.origin).encode()
    assert _expired(await forge(api, leo, asked_message, forged)), "the answer order really sent is checked"
    other = next(q for q in course.questions_in_order() if q.id != asked.question_id)
    assert _expired(await forge(api, leo, asked_message, f"ans:{other.id}:{other.answer}")), "only the one asked"

    right = next(data for data in sent_data if decode(data).choice == question.answer)  # type: ignore[attr-defined]
    verdict = await toast(api, await leo.press(asked_message, data=right))
    assert not _expired(verdict), verdict
    assert "❓ 1/1 justes" in await _progress(api, leo), "the question asked counts"


async def test_the_next_button_under_a_one_page_lesson_of_the_daily_bundle_still_counts(harness):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
    eva, menu = await _started(api, 7103, "Eva")
    assert _expired(await forge(api, eva, menu, "done:m1-images")), "not sent yet"
    before = api.last_message_id(eva.id)
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 1
    lesson = next(m for m in api.messages(eva.id) if m.message_id > before and "Les images" in m.text)
    assert _expired(await forge(api, eva, lesson, "done:m1-conteneurs")), "only the lesson the bundle showed"
    assert "📖 0/3 leçons" in await _progress(api, eva), "sending a lesson does not read it"
    answer = await toast(api, await eva.press(lesson, onward(lesson)))  # its last page, sent by the bundle
    assert not _expired(answer), answer
    assert "📖 1/3 leçons" in await _progress(api, eva)
