"""Questions due again on the FSRS schedule come in the daily bundle as a second quiz poll, and
answering that poll (options shuffled) updates the schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lesson_reading import read_lessons
from sqlmodel import select

from bot.storage.models import QuizAnswer


def option_letter(message, text: str, *, right: bool) -> str:
    shown = {line[0]: line[3:] for line in message.text.split("\n") if len(line) > 3 and line[1:3] == ". "}
    return next(letter for letter, option in shown.items() if (option == text) == right)


async def test_a_question_due_again_comes_in_the_daily_bundle(harness):
    api, clock = harness.api, harness.clock
    start = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 in Paris, before the 08:00 default delivery
    clock.set(start)
    lou = api.user(701, first_name="Lou")
    sent = await lou.send("/start mini")
    await api.wait_for_message(lou.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await lou.send("/time 9:00")
    await api.wait_for_message(lou.id, after=sent, predicate=lambda m: "09:00" in m.text)
    await read_lessons(api, lou, 2)  # quizzes ask about lessons read: both lessons of m1

    # q1 right (due in 2 days), q2 wrong (due in 1 day; asked again after the questions not tried yet)
    for right in (True, False):
        sent = await lou.send("/quiz")
        asked = await api.wait_for_message(lou.id, after=sent, predicate=lambda m: ". " in m.text and m.buttons)
        text = next(line[3:] for line in asked.text.split("\n") if line[1:3] == ". " and line[3:] in (
            "Un modèle en lecture seule", "docker ps -a"))
        await lou.press(asked, option_letter(asked, text, right=right))
        await api.wait_for_edit(asked)
        if not right:
            break

    clock.set(start + timedelta(days=2, hours=3))  # 10:00 in Paris, two days later: q1 and q2 are due
    before = len(api.messages(lou.id))
    assert await harness.sweep() == 1
    delivered = api.messages(lou.id)[before:]
    polls = [m for m in delivered if m.poll is not None]
    assert [p.poll.question for p in polls] == [
        "Que devient un volume nommé quand on supprime le conteneur ?",  # today's lesson's, never tried: before q2
        "Quelle commande liste aussi les conteneurs arrêtés ?",  # q2, missed: the most overdue card
    ]
    assert any("question à revoir" in (m.text or "") for m in delivered)

    review = polls[1]
    await lou.answer_poll(review, [review.poll.correct_option_id])  # shuffled: the bot maps it back
    await harness.restart()
    sent = await lou.send("/progress")
    progress = await api.wait_for_message(lou.id, after=sent, predicate=lambda m: "progression" in m.text)
    assert "1 question(s) à revoir sur 2" in progress.text, "the reviewed card moved on, q1 is still due"

    def last_answer(session):
        answer = session.exec(select(QuizAnswer).order_by(QuizAnswer.id.desc())).first()
        return answer.question_id, answer.correct

    question_id, correct = await harness.application.bot_data["services"].db.run(last_answer)
    q2 = next(q for q in harness.catalog.courses["mini"].questions_in_order() if q.question == review.poll.question)
    assert (question_id, correct) == (q2.id, True), "the poll's option, shuffled, was mapped back to the right one"
