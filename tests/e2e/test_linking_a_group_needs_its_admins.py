"""Linking a group to a class makes the class's instructors game admins there, so only an admin of the group may
link it (an instructor who is a plain member may not take the group over); unlinking takes away the weekly games
the class's instructors set up with the link, and leaves the group admins' own."""

from __future__ import annotations

from datetime import UTC, datetime

from class_school import TEACHER, open_class
from sqlalchemy import text

BOT = "@docker_tutor_bot"


def schedules_by(engine, chat_id: int) -> list[int]:  # noqa: ANN001
    with engine.connect() as connection:
        return sorted(r[0] for r in connection.execute(
            text("SELECT created_by FROM quiz_schedule WHERE chat_id = :c"), {"c": chat_id}))


async def in_group(api, group, user, words: str):
    sent = await user.send(words, chat=group)
    return await api.wait_for_message(group.id, after=sent, predicate=lambda m: m.from_bot)


async def test_a_plain_member_who_teaches_cannot_link_and_unlinking_drops_their_schedules(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    api, teacher = school.api, school.teacher
    group = api.group(-7301, "Club de quelqu'un d'autre")
    boss = group.add(api.user(7399, first_name="Boss"), status="creator")
    group.add(teacher)

    refused = await in_group(api, group, teacher, f"/class{BOT} linkgroup")
    assert "admin" in refused.text and "lié à la classe" not in refused.text, refused.text
    assert "n'est lié à aucune classe" in (await in_group(api, group, boss, f"/class{BOT}")).text
    assert "Seuls les admins" in (await in_group(api, group, teacher, f"/quiz{BOT} every fri 18:00")).text

    group.add(teacher, status="administrator")  # positive control: made admin by the group, they link it
    assert "maintenant lié" in (await in_group(api, group, teacher, f"/class{BOT} linkgroup")).text
    group.add(teacher)  # a plain member again, still a game admin as the class's instructor
    assert "programmée" in (await in_group(api, group, teacher, f"/quiz{BOT} every fri 18:00")).text
    assert "programmée" in (await in_group(api, group, boss, f"/quiz{BOT} every mon 18:00")).text
    assert schedules_by(school.engine, group.id) == sorted([TEACHER, boss.id])

    assert "n'est plus lié" in (await in_group(api, group, boss, f"/class{BOT} unlinkgroup")).text
    assert schedules_by(school.engine, group.id) == [boss.id], "the instructor's game went with the link"
