"""One person flooding the bot cannot make others wait: each chat waits its turn in its own bounded queue before
it takes one of the bot's processing slots, and what overflows that queue is dropped with one friendly notice."""

from __future__ import annotations

from bot.i18n import t

FLOOD = 300  # more than the bot's 256 processing slots


def helps(api, chat_id: int) -> list[str]:
    return [m.text for m in api.messages(chat_id) if "/lesson" in (m.text or "")]


def notices(api, chat_id: int) -> list[str]:
    return [m.text for m in api.messages(chat_id) if m.text == t("fr", "flood_dropped")]


async def test_a_learners_help_is_answered_while_another_learners_chat_is_stuck(make_harness):
    harness = await make_harness()
    api = harness.api
    mallory, lea = api.user(7101, first_name="Mallory"), api.user(7102, first_name="Léa")
    gate = api.hold(mallory.id)  # Mallory's chat is slow: the bot's answers to her wait here
    for _ in range(FLOOD):
        await mallory.send("/help")
    sent = await lea.send("/help")
    try:  # Léa is answered while Mallory's 300 commands wait
        await api.wait_for_message(lea.id, after=sent, timeout=10, predicate=lambda m: "/lesson" in m.text)
    finally:
        processor = harness.application.update_processor
        waiting = getattr(processor, "waiting_in", {}).get(mallory.id)
        gate.set()
    assert waiting == harness.settings.chat_queue, "Mallory's queue is bounded"
    queued = harness.settings.chat_queue
    await api.wait_for_message(mallory.id, timeout=20, predicate=lambda m: len(helps(api, mallory.id)) == queued)
    await mallory.send("/help")  # her queue drained: this one is hers again, and comes after all the others
    await api.wait_for_message(mallory.id, timeout=20, predicate=lambda m: len(helps(api, mallory.id)) == queued + 1)
    assert notices(api, mallory.id) == [t("fr", "flood_dropped")], "one notice for the whole flood"
    assert processor.dropped == FLOOD - harness.settings.chat_queue

