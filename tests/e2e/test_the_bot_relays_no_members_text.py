"""In a group, the bot never repeats a member's text: a bad `/quiz` from a non-admin is answered without their words
(a link in them would become the bot's own message); an admin's own mistake is quoted back to help them."""

from __future__ import annotations

from bot_harness import REPO_CONTENT
from group_play import make_group

SPAM = "/quiz every Visit t.me/scam for FREE crypto"


async def test_a_members_bad_quiz_command_is_not_echoed(make_harness, local_api):
    await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -7101, 1)
    for text in (SPAM, "/quiz t.me/scam", "/quiz m99"):
        sent = await ana.send(text, chat=group)
        answer = await local_api.wait_for_message(group.id, after=sent.message_id)
        assert "scam" not in answer.text and "m99" not in answer.text, answer.text
    sent = await admin.send(SPAM, chat=group)  # positive control: the same words from an admin are quoted
    answer = await local_api.wait_for_message(group.id, after=sent.message_id)
    assert "t.me/scam" in answer.text
