"""Whatever a learner sends, the bot answers kindly or ignores it cleanly, and keeps going."""

from __future__ import annotations

import asyncio


async def test_a_sticker_a_photo_and_an_unknown_command_get_friendly_answers(harness):
    api = harness.api
    ines = api.user(701, first_name="Inès")
    sent = await ines.send_sticker()
    answer = await api.wait_for_message(ines.id, after=sent)
    assert "texte" in answer.text

    sent = await ines.send("/teleport now")
    answer = await api.wait_for_message(ines.id, after=sent)
    assert "/teleport" in answer.text and "/help" in answer.text


async def test_ten_thousand_characters_get_an_answer_and_nothing_breaks(harness):
    api = harness.api
    otto = api.user(702, first_name="Otto")
    sent = await otto.send("é<>&" * 2500)
    answer = await api.wait_for_message(otto.id, after=sent)
    assert answer.text
    sent = await otto.send("/help")
    assert "/progress" in (await api.wait_for_message(otto.id, after=sent)).text


async def test_an_edited_message_is_ignored_without_error(harness):
    api = harness.api
    paul = api.user(703, first_name="Paul")
    sent = await paul.send("/help")
    await api.wait_for_message(paul.id, after=sent)
    count = len(api.messages(paul.id))
    await paul.edit(sent, "/help please")
    await asyncio.sleep(0.5)
    assert len(api.messages(paul.id)) == count


async def test_a_button_from_before_a_restart_still_works(harness):
    api = harness.api
    rita = api.user(704, first_name="Rita")
    sent = await rita.send("/start mini")
    menu = await api.wait_for_message(rita.id, after=sent, predicate=lambda m: bool(m.buttons))
    await harness.restart()
    await rita.press(menu, "📖 Les images")
    page = await api.wait_for_message(rita.id, after=menu)
    assert "Les images" in page.text


async def test_a_button_pointing_at_removed_content_is_answered_politely(harness):
    api = harness.api
    sam = api.user(705, first_name="Sam")
    sent = await sam.send("/start mini")
    menu = await api.wait_for_message(sam.id, after=sent, predicate=lambda m: bool(m.buttons))
    query_id = await sam.press(menu, data="les:lecon-supprimee:0")
    answer = await api.wait_for_callback_answer(query_id)
    assert "plus valable" in (answer.text or ""), "the learner is told the button expired"


async def test_an_exercise_asked_for_before_choosing_a_course_says_to_choose_one(harness):
    api = harness.api
    rosa = api.user(704, first_name="Rosa")
    sent = await rosa.send("/exercise hello-world")  # a newcomer copies a command from a friend, before any /start
    answer = await api.wait_for_message(rosa.id, after=sent)
    assert "pas encore de cours" in answer.text and "/start" in answer.text, answer.text
    assert "Je ne connais pas" not in answer.text
