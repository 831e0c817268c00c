"""The daily lesson arrives at the learner's own local time, once, even across a restart."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from bot.storage.models import Learner, OutboxMessage


def learner_blocked(harness, telegram_id: int) -> bool:
    with Session(harness.engine) as session:
        return session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).one().blocked


def bundle_statuses(harness) -> list[str]:
    with Session(harness.engine) as session:
        return [row.status for row in session.exec(select(OutboxMessage).where(OutboxMessage.kind == "bundle"))]



async def enrol(api, user):
    """Enrol and wait for the whole answer (the welcome, then the menu with its buttons)."""
    sent = await user.send("/start mini")
    return await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))


async def test_the_daily_lesson_and_question_arrive_at_the_chosen_local_time_and_only_once(harness):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    lea = api.user(601, first_name="Léa")
    await enrol(api, lea)
    sent = await lea.send("/timezone America/Montreal")
    await api.wait_for_message(lea.id, after=sent)
    sent = await lea.send("/time 7:30")
    settings_view = await api.wait_for_message(lea.id, after=sent, predicate=lambda m: "07:30" in m.text)
    assert "America/Montreal" in settings_view.text and "07:30" in settings_view.text
    before = len(api.messages(lea.id))

    clock.set(datetime(2026, 3, 3, 12, 29, tzinfo=UTC))  # 07:29 in Montreal
    assert await harness.sweep() == 0
    clock.set(datetime(2026, 3, 3, 12, 31, tzinfo=UTC))  # 07:31 in Montreal
    assert await harness.sweep() == 1

    delivered = api.messages(lea.id)[before:]
    assert any("leçon du jour" in m.text for m in delivered)
    assert any("Les images" in m.text for m in delivered)
    poll = next(m for m in delivered if m.poll is not None)
    assert poll.poll.type == "quiz" and not poll.poll.is_anonymous

    await lea.answer_poll(poll, [poll.poll.correct_option_id])  # options are shuffled per learner
    await harness.restart()
    clock.set(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    assert await harness.sweep() == 0, "a restart must not send today's lesson again"
    assert bundle_statuses(harness) == ["sent"]
    sent = await lea.send("/progress")
    progress = await api.wait_for_message(lea.id, after=sent)
    assert "1/1 justes" in progress.text, "the poll answer was recorded through poll_answer"

    clock.set(datetime(2026, 3, 4, 12, 31, tzinfo=UTC))
    assert await harness.sweep() == 1, "the next day brings the next delivery"


async def test_a_paused_learner_gets_nothing_until_they_resume(harness):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    max_ = api.user(602, first_name="Max")
    await enrol(api, max_)
    sent = await max_.send("/settings")
    view = await api.wait_for_message(max_.id, after=sent)
    await max_.press(view, next(label for label, _ in view.buttons if "pause" in label.lower()))
    paused_view = await api.wait_for_message(max_.id, after=view)
    assert "en pause" in paused_view.text

    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 0
    await max_.press(paused_view, next(label for label, _ in paused_view.buttons if "Reprendre" in label))
    await api.wait_for_message(max_.id, after=paused_view)
    assert await harness.sweep() == 1


async def test_a_learner_who_blocked_the_bot_is_not_delivered_to_again(harness):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    zed = api.user(603, first_name="Zed")
    await enrol(api, zed)
    await zed.block()
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 1, "the bundle is queued: nobody knows yet that Zed blocked the bot"
    assert learner_blocked(harness, zed.id), "the 403 marked Zed blocked"
    assert bundle_statuses(harness) == ["blocked"]
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 0, "a blocked learner gets nothing queued any more"
