"""An instructor's commands do what they say: the class named is the class used, a co-instructor teaches and does
not own, a cap or an expiry keeps the shared link, a bad class number is refused, a learner's name cannot run as a
spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from bot.storage.models import Announcement, Classroom, ScheduledPost

TEACHER, COTEACHER, OTHER = 700, 701, 702
LINK = re.compile(r"start=j-([A-Za-z0-9_-]{22})")
CLASS_ID = re.compile(r"\(#(\d+)\)")


async def said(api, user, text: str, predicate=None):
    before = api.last_message_id(user.id)
    await user.send(text)
    return await api.wait_for_message(user.id, after=before, predicate=predicate or (lambda m: bool(m.text)))


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER}), class_sweep_seconds=3600)
    harness.clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    teacher = harness.api.user(TEACHER, first_name="Prof")
    created = await said(harness.api, teacher, "/class new Docker L3", predicate=lambda m: "créée" in m.text)
    harness.code = LINK.search(created.text).group(1)
    harness.first_id = int(CLASS_ID.search(created.text).group(1))
    harness.teacher = teacher
    return harness


async def second_class(school) -> int:
    created = await said(school.api, school.teacher, "/class new Docker M1", predicate=lambda m: "créée" in m.text)
    return int(CLASS_ID.search(created.text).group(1))


async def test_schedule_keeps_the_text_as_typed_and_takes_the_class_only_right_after_the_command(school):
    api = school.api
    newest = await second_class(school)
    typed = "Rendu de l'exercice #1 en salle #12 et #1b"
    answer = await said(api, school.teacher, f"/schedule demain 9:00 announce {typed}",
                        predicate=lambda m: "Programmé" in m.text)
    assert "Docker M1" in answer.text and f"#{newest}" in answer.text, answer.text
    assert typed.replace("'", "&#x27;") in answer.text or typed in answer.text, "a preview of the announcement"
    named = await said(api, school.teacher, f"/schedule #{school.first_id} demain 10:00 announce Salle #3",
                       predicate=lambda m: "Programmé" in m.text)
    assert "Docker L3" in named.text, named.text
    with Session(school.engine) as session:
        posts = {post.announcement_id: post.class_id for post in session.exec(select(ScheduledPost))}
        texts = {row.id: row.parts for row in session.exec(select(Announcement))}
    by_class = {class_id: texts[announcement_id] for announcement_id, class_id in posts.items()}
    assert "#1 en salle #12 et #1b" in by_class[newest], by_class
    assert "Salle #3" in by_class[school.first_id], by_class


async def test_a_co_instructor_teaches_the_class_but_does_not_own_it(school):
    api = school.api
    invite = await said(api, school.teacher, "/class invite", predicate=lambda m: "start=i-" in m.text)
    code = re.search(r"start=i-([A-Za-z0-9_-]{22})", invite.text).group(1)
    co = api.user(COTEACHER, first_name="Co")
    assert "co-formateur" in (await said(api, co, f"/start i-{code}")).text
    for command in ("/class delete", "/class revoke", "/class invite", "/class cap 5", "/class expire 2026-04-01",
                    "/class tz Europe/London"):
        answer = await said(api, co, command)
        assert "Seul·e le ou la responsable de la classe" in answer.text and "Docker L3" in answer.text, \
            (command, answer.text)
        assert not answer.buttons, command
    refused = await said(api, co, "/class new Ma classe")
    assert "INSTRUCTOR_IDS" in refused.text, refused.text
    assert "Programmé" in (await said(api, co, "/schedule demain 9:00 announce Rappel")).text, "co-teaching works"
    assert school.code in (await said(api, co, "/class link")).text, "the co-instructor sees the link"
    with Session(school.engine) as session:
        assert [c.name for c in session.exec(select(Classroom))] == ["Docker L3"]
        assert all(c.deleted_at is None for c in session.exec(select(Classroom)))
        assert session.exec(select(Classroom).where(Classroom.timezone == "Europe/Paris")).first() is not None
    eve = api.user(2101, first_name="Eve")
    assert "Bienvenue" in (await said(api, eve, f"/start j-{school.code}")).text, "the shared link still works"


async def test_cap_and_expiry_change_the_shared_link_instead_of_replacing_it(school):
    api = school.api
    for user_id in (2201, 2202):
        assert "Bienvenue" in (await said(api, api.user(user_id), f"/start j-{school.code}")).text
    capped = await said(api, school.teacher, "/class cap 3")
    assert school.code in capped.text and "limite 3" in capped.text, capped.text
    dated = await said(api, school.teacher, "/class expire 2026-04-01")
    assert school.code in dated.text and "2026-04-01" in dated.text, dated.text
    assert "Bienvenue" in (await said(api, api.user(2203), f"/start j-{school.code}")).text, "the link still works"
    assert "complète" in (await said(api, api.user(2204), f"/start j-{school.code}")).text, "the cap applies"
    too_low = await said(api, school.teacher, "/class cap 2")
    assert "déjà 3 membre(s)" in too_low.text and "Rien n'est changé" in too_low.text, too_low.text
    past = await said(api, school.teacher, "/class expire 2026-03-01")
    assert "déjà passé" in past.text and "rien n'est changé" in past.text, past.text
    link = await said(api, school.teacher, "/class link")
    assert school.code in link.text and "limite 3" in link.text and "2026-04-01" in link.text, link.text


async def test_a_drafted_announcement_is_scheduled_for_its_own_class_once(school):
    api = school.api
    await second_class(school)
    before = api.last_message_id(TEACHER)
    await school.teacher.send(f"/announce #{school.first_id} TP jeudi")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    before = api.last_message_id(TEACHER)
    await school.teacher.press(control, "⏰ Programmer")
    await api.wait_for_message(TEACHER, after=before, predicate=lambda m: "Quand" in (m.text or ""))
    scheduled = await said(api, school.teacher, "demain 9:00")  # the answer to "when?" is the whole command
    assert "Programmé" in scheduled.text and "Docker L3" in scheduled.text and "TP jeudi" in scheduled.text, \
        scheduled.text
    with Session(school.engine) as session:
        drafted = session.exec(select(Announcement).order_by(Announcement.id.desc())).first()
    again = await said(api, school.teacher, f"/schedule demain 9:00 #a{drafted.id}")
    assert "déjà programmée" in again.text, again.text

    for user_id in (2301,):
        await said(api, api.user(user_id), f"/start j-{school.code}", predicate=lambda m: "Bienvenue" in m.text)
    before = api.last_message_id(TEACHER)
    await school.teacher.send(f"/announce #{school.first_id} Sortie vendredi")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    await school.teacher.press(control, "📣 Envoyer")
    await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    with Session(school.engine) as session:
        sent = session.exec(select(Announcement).where(Announcement.status == "sent")).one()
    gone = await said(api, school.teacher, f"/schedule demain 9:00 #a{sent.id}")
    assert "déjà partie" in gone.text, gone.text

    other = api.user(OTHER, first_name="Autre")
    await said(api, other, "/class new Autre classe", predicate=lambda m: "créée" in m.text)
    theirs = await said(api, other, f"/schedule demain 9:00 #a{sent.id}")
    assert "n'est pas une annonce d'une de tes classes" in theirs.text, theirs.text
    with Session(school.engine) as session:
        assert len(session.exec(select(ScheduledPost)).all()) == 1


async def test_a_malformed_class_number_is_refused_with_the_classes_to_choose_from(school):
    api = school.api
    newest = await second_class(school)
    for command in ("/class stats #abc", "/push #abc", "/schedule #abc demain 9:00 lesson m1-images"):
        answer = await said(api, school.teacher, command)
        assert "#abc n'est pas un numéro de classe" in answer.text, (command, answer.text)
        assert f"#{school.first_id}" in answer.text and "Docker L3" in answer.text, answer.text
        assert f"#{newest}" in answer.text and "Docker M1" in answer.text, answer.text


async def test_a_learner_name_that_looks_like_a_formula_stays_text_in_the_csv(school):
    api = school.api
    for user_id, name in ((2001, "=HYPERLINK(\"http://evil\",\"x\")"), (2002, "+1+2"), (2003, "@SUM(A1)"),
                          (2004, "-3"), (2005, "Élise")):
        await said(api, api.user(user_id, first_name=name), f"/start j-{school.code}",
                   predicate=lambda m: "Bienvenue" in m.text)
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/class stats")
    document = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: m.document is not None,
                                          timeout=20)
    rows = list(csv.DictReader(io.StringIO(document.document.data.decode("utf-8-sig"))))
    names = sorted(row["learner"] for row in rows)
    assert names == sorted(["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+2", "'@SUM(A1)", "'-3", "Élise"]), names


async def test_the_class_list_has_one_heading_each_class_zone_and_time_and_a_zone_in_any_case(school):
    api = school.api
    await said(api, school.teacher, "/class new Docker M1 tz=america/montreal time=8:30",
               predicate=lambda m: "créée" in m.text)
    listing = await said(api, school.teacher, "/class list")
    assert listing.text.count("Tes classes") == 1, listing.text
    assert "09:00 (Europe/Paris)" in listing.text and "08:30 (America/Montreal)" in listing.text, listing.text
    moved = await said(api, school.teacher, f"/class tz #{school.first_id} europe/london")
    assert "Europe/London" in moved.text and "ne connais pas" not in moved.text, moved.text
    with Session(school.engine) as session:
        assert {c.timezone for c in session.exec(select(Classroom))} == {"Europe/London", "America/Montreal"}


async def test_a_learner_typing_a_malformed_class_number_gets_the_usual_refusal(school):
    answer = await said(school.api, school.api.user(2401, first_name="Eve"), "/class stats #abc")
    assert "réservée aux formateurs" in answer.text, answer.text


async def test_schedule_reads_the_time_as_the_class_commands_do(school):
    api = school.api
    answer = await said(api, school.teacher, "/schedule demain 14h announce Salle 12",
                        predicate=lambda m: "Programmé" in m.text or "Exemples" in m.text or "lisible" in m.text)
    assert "Programmé" in answer.text and "14:00" in answer.text, answer.text
