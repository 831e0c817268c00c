"""A teacher on a phone runs the class with taps: "/push, and I pick the module, then the lesson — I can see which
ones they already had"; "I have two classes: the bot asks which once, and every answer says which class"; "I see
what announcements are scheduled and cancel or move one with a button"; "when the bot asks for a day, I tap
tomorrow or the next class day". Ids typed still work. Buttons forged by someone else do nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, open_class, said
from forged_presses import forge
from sqlmodel import Session, select

from bot.storage.models import ClassInstructor, ScheduledPost

OTHER_TEACHER = 701


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER_TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 7, 0, tzinfo=UTC),  # Monday 08:00 in Paris
                            name="Docker L3", learners=1)


def labels(message) -> list[str]:
    return [label for label, _ in message.buttons]


async def pressed(api, user, message, label: str, predicate=None):
    """`user` taps `label` under `message`; the bot's next message to them (matching `predicate`)."""
    before = api.last_message_id(user.id)
    await user.press(message, label)
    return await api.wait_for_message(user.id, after=before, predicate=predicate)


async def test_push_offers_the_modules_then_the_lessons_with_what_the_class_already_had(school):
    api, teacher, member = school.api, school.teacher, school.learners[0]
    typed = await said(api, teacher, "/push m1-images")  # ids typed still work
    assert "part vers 1 membre(s) de Docker L3" in typed.text, typed.text
    await school.drain()

    offer = await said(api, teacher, "/push", predicate=lambda m: bool(m.buttons))
    assert "/push m1-conteneurs" in offer.text, "the typed way is still shown"
    assert "Les conteneurs" in labels(offer) and "Les bases (1/2)" in labels(offer), labels(offer)
    module = await pressed(api, teacher, offer, "Les bases (1/2)", predicate=lambda m: bool(m.buttons))
    assert labels(module)[:2] == ["✅ Les images", "Les conteneurs"], labels(module)
    assert "Docker L3" in module.text

    mark = len(api.messages(member.id))
    done = await pressed(api, teacher, module, "Les conteneurs", predicate=lambda m: "part vers" in m.text)
    assert "« Les conteneurs » part vers 1 membre(s) de Docker L3" in done.text, done.text
    await school.drain()
    assert any("Les conteneurs" in (m.text or "") for m in bot_messages(api, member.id, mark))

    again = await said(api, teacher, "/push", predicate=lambda m: bool(m.buttons))
    back = await pressed(api, teacher, again, "✅ Les bases (2/2)", predicate=lambda m: bool(m.buttons))
    assert labels(back)[:2] == ["✅ Les images", "✅ Les conteneurs"], labels(back)


async def test_a_lesson_button_forged_by_another_teacher_sends_nothing(school):
    api, teacher, member = school.api, school.teacher, school.learners[0]
    offer = await said(api, teacher, "/push", predicate=lambda m: bool(m.buttons))
    data = next(d for label, d in offer.buttons if label == "Les images")
    stranger = api.user(OTHER_TEACHER, first_name="Autre")
    own = await said(api, stranger, "/class new Autre classe", predicate=lambda m: "Classe" in m.text)
    mark = len(api.messages(member.id))
    answer = await forge(api, stranger, own, data)  # the teacher's button data, sent from the stranger's chat
    assert answer.show_alert and "plus valable" in answer.text, answer
    assert not [m for m in bot_messages(api, stranger.id) if "part vers" in (m.text or "")]
    # positive control: the same button, pressed by the class's teacher, sends the lesson
    done = await pressed(api, teacher, offer, "Les images", predicate=lambda m: "part vers" in m.text)
    assert "Docker L3" in done.text
    await school.drain()
    assert any("Les images" in (m.text or "") for m in bot_messages(api, member.id, mark))


async def test_with_two_classes_the_teacher_chooses_once_and_every_answer_names_the_class(school):
    api, teacher = school.api, school.teacher
    second = await said(api, teacher, "/class new Docker M1", predicate=lambda m: "Classe" in m.text)
    assert "agissent maintenant sur Docker M1" in second.text, "a new class is chosen, and it says so"
    with Session(school.engine) as session:  # classes from before the choice existed: none is chosen
        for role in session.exec(select(ClassInstructor)).all():
            role.chosen_at = None
            session.add(role)
        session.commit()

    which = await said(api, teacher, "/push")
    assert "plusieurs classes" in which.text and labels(which) == ["Docker M1 (#2)", "Docker L3 (#1)"], labels(which)
    chosen = await pressed(api, teacher, which, "Docker L3 (#1)",
                           predicate=lambda m: "n'a pas encore de calendrier" in m.text)
    assert "Docker L3" in chosen.text, "the push runs on the class just chosen"

    announce = await said(api, teacher, "/announce")
    assert "Classe : Docker L3" in announce.text, announce.text
    await said(api, teacher, "/cancel")
    listed = await said(api, teacher, "/class")
    assert "agissent sur Docker L3" in listed.text and "🎯 Docker L3 (#1)" in labels(listed), labels(listed)
    moved = await pressed(api, teacher, listed, "Docker M1 (#2)")
    assert "Classe choisie : Docker M1" in moved.text
    assert "Docker M1" in (await said(api, teacher, "/class plan")).text
    stats = await said(api, teacher, "/class stats")
    assert "Docker M1" in stats.text and "Docker L3" not in stats.text, stats.text


async def test_scheduled_announcements_are_listed_and_cancelled_or_moved_with_buttons(school):
    api, teacher, member = school.api, school.teacher, school.learners[0]
    await said(api, teacher, "/announce")
    preview = await said(api, teacher, "TP noté vendredi", predicate=lambda m: bool(m.buttons))
    asked = await pressed(api, teacher, preview, "⏰ Programmer", predicate=lambda m: "Quand" in m.text)
    assert labels(asked) == ["Aujourd'hui 02/03 09:00", "Demain 03/03 09:00", "Prochain cours 04/03 09:00"]
    scheduled = await pressed(api, teacher, asked, "Demain 03/03 09:00")
    assert "2026-03-03 09:00" in scheduled.text and "Docker L3" in scheduled.text, scheduled.text

    menu = await said(api, teacher, "/schedule", predicate=lambda m: bool(m.buttons))
    listing = await pressed(api, teacher, menu, "🗓 Annonces programmées", predicate=lambda m: bool(m.buttons))
    assert "2026-03-03 09:00 — TP noté vendredi" in listing.text, listing.text
    move = next(label for label in labels(listing) if label.startswith("⏰"))
    ask = await pressed(api, teacher, listing, move, predicate=lambda m: "Quand" in m.text)
    moved = await said(api, teacher, "mercredi 14h")  # typed rather than tapped
    assert "2026-03-04 14:00" in moved.text, moved.text

    again = await said(api, teacher, "/schedule", predicate=lambda m: bool(m.buttons))
    listing = await pressed(api, teacher, again, "🗓 Annonces programmées", predicate=lambda m: bool(m.buttons))
    assert "2026-03-04 14:00" in listing.text and "2026-03-03 09:00" not in listing.text, listing.text
    assert labels(ask), "the day was offered as buttons too"
    cancel, data = next((label, d) for label, d in listing.buttons if label.startswith("🗑"))
    cancelled = await pressed(api, teacher, listing, cancel)
    assert "annulée" in cancelled.text and "Docker L3" in cancelled.text
    stale = await forge(api, teacher, listing, data)
    assert "plus valable" in stale.text, "a cancelled announcement cannot be cancelled twice"

    mark = len(api.messages(member.id))
    school.clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    assert await class_sweep(school.harness) == 0, "nothing left to send"
    assert not [m for m in bot_messages(api, member.id, mark) if "TP noté" in (m.text or "")]


async def test_a_lesson_is_scheduled_or_put_on_the_calendar_with_quick_days_in_the_class_time_zone(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 20, 0, tzinfo=UTC),  # 15:00 in Montreal
                              name="Docker Qc", options="tz=America/Montreal", learners=1)
    api, teacher = school.api, school.teacher
    await said(api, teacher, "/class plan weekdays 2026-03-09")
    menu = await said(api, teacher, "/schedule", predicate=lambda m: bool(m.buttons))
    modules = await pressed(api, teacher, menu, "📚 Programmer une leçon", predicate=lambda m: bool(m.buttons))
    lessons = await pressed(api, teacher, modules, "Aller plus loin (0/1)", predicate=lambda m: bool(m.buttons))
    days = await pressed(api, teacher, lessons, "Les volumes", predicate=lambda m: "Quand" in m.text)
    assert labels(days) == ["Demain 03/03 09:00", "Prochain cours 09/03 09:00"], "today's 09:00 is past in Montreal"
    done = await pressed(api, teacher, days, "Prochain cours 09/03 09:00")
    assert "2026-03-09 09:00" in done.text and "America/Montreal" in done.text, done.text
    with Session(school.engine) as session:
        post = session.exec(select(ScheduledPost).where(ScheduledPost.lesson_id == "m2-volumes")).one()
    assert post.due_at.replace(tzinfo=UTC) == datetime(2026, 3, 9, 13, 0, tzinfo=UTC), "09:00 EDT is 13:00 UTC"

    plan = await said(api, teacher, "/class plan", predicate=lambda m: bool(m.buttons))
    modules = await pressed(api, teacher, plan, "📅 Mettre une leçon au calendrier", predicate=lambda m: bool(m.buttons))
    lessons = await pressed(api, teacher, modules, "Les bases (0/2)", predicate=lambda m: bool(m.buttons))
    days = await pressed(api, teacher, lessons, "Les conteneurs", predicate=lambda m: "Quel jour" in m.text)
    put = await pressed(api, teacher, days, "Demain 03/03 09:00")
    assert "2026-03-03" in put.text and "Les conteneurs" in put.text, put.text
