"""A teacher pastes a long announcement on a phone after `/announce`: Telegram cuts it at 4,096 characters and the
bot gets several messages. "It must stay one announcement": the parts that come together are joined, the preview
says how many, the class gets the whole text once, and no part is answered as a lab command."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, open_class, said


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3", learners=1)


def part(tag: str, length: int = 4096) -> str:
    """A part as Telegram cuts it: `length` characters, starting with `tag`."""
    text = f"{tag} " + " ".join(f"mot{i}" for i in range(length))
    return text[:length].rstrip()


async def test_three_parts_sent_together_are_one_announcement(school):
    api, teacher, member = school.api, school.teacher, school.learners[0]
    await said(api, teacher, "/announce")
    before = api.last_message_id(TEACHER)
    for text in (part("DEBUT"), part("MILIEU"), "FIN du message."):
        await teacher.send(text)
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    assert "3 messages" in control.text and "réunis" in control.text, control.text
    said_meanwhile = [m.text or "" for m in bot_messages(api, TEACHER) if before < m.message_id < control.message_id]
    assert not any("pas compris" in text or "commande" in text for text in said_meanwhile), said_meanwhile

    mark = len(api.messages(member.id))
    await teacher.press(control, "📣 Envoyer")
    await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    await school.drain()
    got = "\n".join(m.text or "" for m in bot_messages(api, member.id, mark))
    assert got.count("DEBUT") == 1 and got.count("MILIEU") == 1 and got.count("FIN du message.") == 1, got[-300:]
    assert got.index("DEBUT") < got.index("MILIEU") < got.index("FIN du message.")


async def test_one_long_message_alone_is_announced_when_no_part_follows(school):
    api, teacher = school.api, school.teacher
    await said(api, teacher, "/announce")
    sent = await teacher.send(part("SEUL", 4000))
    control = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: bool(m.buttons), timeout=10)
    assert "Envoyer" in " ".join(label for label, _ in control.buttons)
    assert "réunis" not in control.text, control.text
    answer = await said(api, teacher, "merci")
    assert "Envoyer" not in " ".join(label for label, _ in answer.buttons), "the next message is no part of it"


async def test_a_short_announcement_is_previewed_at_once(school):
    api, teacher = school.api, school.teacher
    await said(api, teacher, "/announce")
    control = await said(api, teacher, "Salle B12 jeudi", predicate=lambda m: bool(m.buttons))
    assert "réunis" not in control.text
