"""An instructor's calendar keeps its word: nothing is planned in the past, a long outage loses no lesson,
moving the class to another zone never sends a post early, dropping or moving a lesson says what happened,
every word of /class plan is read or refused, and /class new shows the class's time and a usable next step."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, col, select

from bot.jobs.class_calendar import run_class_sweep
from bot.storage.models import Classroom, LessonSent, PlanEntry, ScheduledPost

pytestmark = pytest.mark.both_databases

TEACHER, LEARNER = 700, 5100


async def said(api, user, text: str, predicate=None):
    before = api.last_message_id(user.id)
    await user.send(text)
    return await api.wait_for_message(user.id, after=before, predicate=predicate)


async def class_sweep(harness) -> int:
    queued = await run_class_sweep(harness.context())
    await harness.drain()
    return queued


def plan_rows(engine) -> dict[str, tuple[str, bool]]:
    with Session(engine) as session:
        return {e.on_date.isoformat(): (e.lesson_id, e.sent_at is not None)
                for e in session.exec(select(PlanEntry).order_by(col(PlanEntry.on_date)))}


def lesson_texts(api, chat_id: int, after: int) -> list[str]:
    return [m.text.split("\n")[0] for m in api.messages(chat_id) if m.message_id > after and m.from_bot
            and m.text and m.text.startswith("Les ")]


@pytest.fixture
async def school(make_harness):
    """Sunday 2026-11-29 08:00 in Paris; a class (lessons at 09:00) with one learner."""
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    harness.clock.set(datetime(2026, 11, 29, 7, 0, tzinfo=UTC))
    api = harness.api
    harness.teacher = api.user(TEACHER, first_name="Prof")
    harness.created = await said(api, harness.teacher, "/class new Docker L3 tz=Europe/Paris",
                                 predicate=lambda m: "Classe" in (m.text or ""))
    code = re.search(r"start=j-([A-Za-z0-9_-]{22})", harness.created.text).group(1)
    harness.learner = api.user(LEARNER, first_name="Élève")
    assert "Bienvenue" in (await said(api, harness.learner, f"/start j-{code}")).text
    return harness


async def test_a_calendar_cannot_start_in_the_past_and_says_the_first_possible_day(school):
    api, teacher = school.api, school.teacher
    # 08:00 on Sunday 11-29 in Paris: 11-20 is past; today 09:00 is still to come but a weekday plan starts Monday
    for command, earliest in (("/class plan daily 2026-11-20 09:00", "2026-11-29"),
                              ("/class plan weekdays 2020-01-06", "2026-11-30"),
                              ("/class plan set 2026-11-02 m1-images", "2026-11-29"),
                              ("/class plan daily 2026-11-29 07:30", "2026-11-30")):  # today, but 07:30 is over
        answer = await said(api, teacher, command, predicate=lambda m: "passé" in (m.text or ""))
        assert "Rien n'a changé" in answer.text and f"Premier jour possible : {earliest}" in answer.text, \
            (command, answer.text)
    assert plan_rows(school.engine) == {}, "nothing was planned"
    ok = await said(api, teacher, "/class plan daily 2026-11-29 09:00", predicate=lambda m: "leçon(s)" in (m.text or ""))
    assert "2026-11-29" in ok.text


async def test_after_a_long_outage_every_overdue_lesson_still_arrives_one_a_day(school):
    api, clock, teacher = school.api, school.clock, school.teacher
    await said(api, teacher, "/class plan daily 2026-11-30 09:00", predicate=lambda m: "leçon(s)" in (m.text or ""))
    start = api.last_message_id(LEARNER)
    clock.set(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))  # the bot was down for ten days
    assert await class_sweep(school) == 1, "one lesson now, not ten bundles squeezed into one"
    assert lesson_texts(api, LEARNER, start) == ["Les images"]
    rows = plan_rows(school.engine)
    sent_days = [day for day, (_, sent) in rows.items() if sent]
    assert sent_days == ["2026-11-30"], "only what was sent is marked sent"
    with Session(school.engine) as session:
        had = set(session.exec(select(LessonSent.lesson_id)).all())
    assert had == {rows["2026-11-30"][0]}

    plan = await said(api, teacher, "/class plan", predicate=lambda m: "Calendrier" in (m.text or ""))
    assert "⏳ 2026-12-01" in plan.text, "the late days are still in the plan, shown late"

    clock.set(datetime(2026, 12, 9, 12, 0, tzinfo=UTC))
    assert await class_sweep(school) == 0, "the next one waits for the next class time"
    clock.set(datetime(2026, 12, 10, 8, 0, tzinfo=UTC))  # 09:00 in Paris
    assert await class_sweep(school) == 1
    assert lesson_texts(api, LEARNER, start) == ["Les images", "Les conteneurs"], "in order, none lost"
    with Session(school.engine) as session:
        sent_entries = len(session.exec(select(PlanEntry).where(col(PlanEntry.sent_at).is_not(None))).all())
        had_count = len(session.exec(select(LessonSent)).all())
    assert sent_entries == had_count == 2


async def test_moving_to_tokyo_does_not_send_a_paris_morning_post_at_once(school):
    api, clock, teacher = school.api, school.clock, school.teacher
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # Monday 08:00 in Paris, 16:00 in Tokyo
    await said(api, teacher, "/class plan daily 2026-11-30 09:00", predicate=lambda m: "leçon(s)" in (m.text or ""))
    await said(api, teacher, "/schedule 2026-11-30 10:45 announce Pensez au TP !",
               predicate=lambda m: "10:45" in (m.text or ""))
    with Session(school.engine) as session:
        post_before = session.exec(select(ScheduledPost.due_at)).one()
    changed = await said(api, teacher, "/class tz Asia/Tokyo", predicate=lambda m: "Asia/Tokyo" in (m.text or ""))
    assert "ne partent pas en avance" in changed.text, changed.text
    # 09:00 Paris = 17:00 Tokyo, 10:45 Paris = 18:45 Tokyo: both listed, at their unchanged instant
    assert "leçon du calendrier : 2026-11-30 17:00" in changed.text and "envoi programmé : 2026-11-30 18:45" \
        in changed.text, changed.text
    with Session(school.engine) as session:
        assert session.exec(select(Classroom.timezone)).one() == "Asia/Tokyo"
        assert session.exec(select(ScheduledPost.due_at)).one() == post_before
        tomorrow = session.exec(select(PlanEntry.due_at).where(PlanEntry.on_date == datetime(2026, 12, 1).date())).one()
    assert tomorrow.replace(tzinfo=UTC) == datetime(2026, 12, 1, 0, 0, tzinfo=UTC), "09:00 Tokyo for the days to come"
    start = api.last_message_id(LEARNER)
    assert await class_sweep(school) == 0, "nothing goes out early"
    assert lesson_texts(api, LEARNER, start) == []
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # the instant planned before the move
    assert await class_sweep(school) == 1
    assert lesson_texts(api, LEARNER, start) == ["Les images"]


async def test_drop_and_set_say_what_they_did_and_never_plant_a_lesson_twice(school):
    api, teacher = school.api, school.teacher
    await said(api, teacher, "/class plan weekdays 2026-12-07 09:00", predicate=lambda m: "leçon(s)" in (m.text or ""))
    before = plan_rows(school.engine)
    empty = await said(api, teacher, "/class plan drop 2026-12-12", predicate=lambda m: "12-12" in (m.text or ""))
    assert "Rien n'était prévu le 2026-12-12" in empty.text and "✅" not in empty.text.split("\n")[0]
    assert plan_rows(school.engine) == before

    first_id = before["2026-12-07"][0]
    dropped = await said(api, teacher, "/class plan drop 2026-12-07", predicate=lambda m: "12-07" in (m.text or ""))
    assert "n'est plus au calendrier" in dropped.text and first_id in dropped.text, dropped.text
    second_id = before["2026-12-08"][0]
    moved = await said(api, teacher, f"/class plan set 2026-12-12 {second_id}",
                       predicate=lambda m: "12-12" in (m.text or ""))
    assert "Elle était prévue le 2026-12-08" in moved.text, moved.text
    rows = plan_rows(school.engine)
    assert [day for day, (lesson, _) in rows.items() if lesson == second_id] == ["2026-12-12"], "planned once"
    assert "2026-12-08" not in rows

    school.clock.set(datetime(2026, 12, 9, 8, 0, tzinfo=UTC))  # 09:00 Paris: the 12-09 lesson goes out
    assert await class_sweep(school) == 1
    sent_id = rows["2026-12-09"][0]
    again = await said(api, teacher, f"/class plan set 2026-12-14 {sent_id}",
                       predicate=lambda m: "12-14" in (m.text or ""))
    assert "déjà envoyée le 2026-12-09" in again.text, again.text


async def test_every_word_of_a_plan_is_read_or_refused(school):
    api, teacher = school.api, school.teacher
    ok = await said(api, teacher, "/class plan weekdays 2026-12-07 14h", predicate=lambda m: "leçon(s)" in (m.text or ""))
    assert "14:00" in ok.text, "14h is read, as /class new time=14h and /schedule 14h30"
    with Session(school.engine) as session:
        first = session.exec(select(PlanEntry.due_at).where(PlanEntry.on_date == datetime(2026, 12, 7).date())).one()
    assert first.replace(tzinfo=UTC) == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    before = plan_rows(school.engine)
    typo = await said(api, teacher, "/class plan weekdays 2026-12-07 14h skp 2026-12-08",
                      predicate=lambda m: "skp" in (m.text or ""))
    assert "Je ne comprends pas « skp »" in typo.text and "/class plan weekdays" in typo.text
    assert plan_rows(school.engine) == before, "nothing changed"
    tomorrow = await said(api, teacher, "/class plan daily demain 9h", predicate=lambda m: "leçon(s)" in (m.text or ""))
    assert "2026-11-30" in tomorrow.text, tomorrow.text


async def test_a_new_class_shows_its_time_and_a_next_step_that_works(school):
    api, teacher = school.api, school.teacher
    created = await said(api, teacher, "/class new Soir time=18h30 tz=Europe/Paris",
                         predicate=lambda m: "Soir" in (m.text or ""))
    assert "leçons à 18:30" in created.text, created.text
    # Sunday 08:00: the next weekday is Monday, at the class's own time
    assert "/class plan weekdays 2026-11-30 18:30" in created.text, created.text
    assert "leçons à 09:00" in school.created.text and "weekdays 2026-11-30 09:00" in school.created.text
    bad_zone = await said(api, teacher, "/class new X tz=Mars/Olympus", predicate=lambda m: "Mars" in (m.text or ""))
    assert "/class new" in bad_zone.text and "/timezone" not in bad_zone.text
    bad_time = await said(api, teacher, "/class new X time=25h", predicate=lambda m: "25h" in (m.text or ""))
    assert "/class new" in bad_time.text and "/time " not in bad_time.text
