"""A learner finds and reads lessons on a phone: a lesson counts once its last page is shown, /lessons jumps
anywhere, quizzes ask only about what was read and lead on to the next lesson, lesson links open the lesson."""

from __future__ import annotations

from lab_fakes import FakeLab
from lesson_reading import finish_lesson, onward

from sandbox.results import CommandResult


async def progress_text(api, user) -> str:
    sent = await user.send("/progress")
    return (await api.wait_for_message(user.id, after=sent, predicate=lambda m: "progression" in m.text)).text


async def test_a_lesson_counts_when_its_last_page_is_shown(harness):
    api = harness.api
    dan = api.user(881, first_name="Dan")
    sent = await dan.send("/start mini")
    menu = await api.wait_for_message(dan.id, after=sent, predicate=lambda m: bool(m.buttons))
    await dan.press(menu, "📖 Les images")
    page = await api.wait_for_message(dan.id, after=menu, predicate=lambda m: "Les images" in m.text)
    assert "📖 1/3 leçons" in await progress_text(api, dan), "a one-page lesson is read once shown"
    await dan.press(page, onward(page))
    first = await api.wait_for_message(dan.id, after=page, predicate=lambda m: "Les conteneurs" in m.text)
    assert "📖 1/3 leçons" in await progress_text(api, dan), "page 1 of a long lesson does not count it"
    await dan.press(first, onward(first))
    last = await api.wait_for_message(dan.id, after=first, predicate=lambda m: "Paragraphe" in m.text)
    await finish_lesson(api, dan, last)
    assert "📖 2/3 leçons" in await progress_text(api, dan), "its last page shown: read, no extra press"


async def test_lessons_is_a_table_of_contents_that_jumps_to_any_lesson(harness):
    api = harness.api
    eva = api.user(882, first_name="Eva")
    sent = await eva.send("/start mini")
    await api.wait_for_message(eva.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await eva.send("/lessons")
    toc = await api.wait_for_message(eva.id, after=sent)
    assert [label for label, _ in toc.buttons][:2] == ["Les bases (0/2)", "Aller plus loin (0/1)"]
    await eva.press(toc, "Aller plus loin (0/1)")
    module = await api.wait_for_message(eva.id, after=toc, predicate=lambda m: "Aller plus loin" in m.text)
    lesson_label = next(label for label, _ in module.buttons if "olume" in label)
    await eva.press(module, lesson_label)
    lesson = await api.wait_for_message(eva.id, after=module, predicate=lambda m: "olume" in m.text)
    assert lesson.buttons
    sent = await eva.send("/lessons")
    toc = await api.wait_for_message(eva.id, after=sent)
    assert "✅ Aller plus loin (1/1)" in [label for label, _ in toc.buttons], "a lesson read is ticked"


async def test_quizzes_wait_for_the_lesson_and_lead_to_the_next_one(harness):
    api = harness.api
    fay = api.user(883, first_name="Fay")
    sent = await fay.send("/start mini")
    menu = await api.wait_for_message(fay.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await fay.send("/quiz")
    wait = await api.wait_for_message(fay.id, after=sent)
    assert "pas encore lues" in wait.text and any("Les images" in label for label, _ in wait.buttons)
    await fay.press(menu, "📖 Les images")
    page = await api.wait_for_message(fay.id, after=menu, predicate=lambda m: "Les images" in m.text)
    sent = await fay.send("/quiz")
    question = await api.wait_for_message(fay.id, after=sent, predicate=lambda m: "Question" in m.text)
    course = harness.catalog.courses["mini"]
    asked = next(q for q in course.questions_in_order() if q.question in question.text)
    assert asked.lesson == "m1-images", "only a question on the lesson read"
    await fay.press(question, "ABCD"[asked.answer])
    answered = await api.wait_for_edit(question)
    assert "📖 Leçon suivante" in [label for label, _ in answered.buttons]
    await fay.press(answered, "📖 Leçon suivante")
    following = await api.wait_for_message(fay.id, after=page, predicate=lambda m: "Les conteneurs" in m.text)
    assert following.buttons


async def test_a_lesson_link_under_a_diagnosis_opens_the_lesson(make_harness):
    output = "E: Unable to locate package curl"
    lab = FakeLab(answers={"apt-get install -y curl": CommandResult(exit_code=100, output=output, truncated=False,
                                                                     duration_s=0.2)})
    harness = await make_harness(sandbox=lab)
    api = harness.api
    gus = api.user(884, first_name="Gus")
    sent = await gus.send("/start mini")
    await api.wait_for_message(gus.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await gus.send("/run apt-get install -y curl")
    why = await api.wait_for_message(gus.id, after=sent, predicate=lambda m: "Ce qui s'est passé" in m.text)
    assert "📖 Leçon : Les images" in why.text
    await gus.press(why, "📖 Les images")
    lesson = await api.wait_for_message(gus.id, after=why, predicate=lambda m: "modèle en lecture seule" in m.text)
    assert lesson.buttons


async def test_quiz_asks_about_a_lesson_read_elsewhere_when_the_current_module_waits(harness):
    api = harness.api
    hui = api.user(885, first_name="Hui")
    sent = await hui.send("/start mini")
    await api.wait_for_message(hui.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await hui.send("/lessons")
    toc = await api.wait_for_message(hui.id, after=sent)
    await hui.press(toc, "Aller plus loin (0/1)")
    module = await api.wait_for_message(hui.id, after=toc, predicate=lambda m: "Aller plus loin" in m.text)
    await hui.press(module, next(label for label, _ in module.buttons if "olume" in label))
    await api.wait_for_message(hui.id, after=module, predicate=lambda m: "olume" in m.text)
    sent = await hui.send("/quiz")
    question = await api.wait_for_message(hui.id, after=sent, predicate=lambda m: "Question" in m.text)
    course = harness.catalog.courses["mini"]
    assert next(q for q in course.questions_in_order() if q.question in question.text).lesson == "m2-volumes"


async def test_reading_the_last_lesson_first_does_not_finish_the_course(harness):
    api = harness.api
    ivo = api.user(886, first_name="Ivo")
    sent = await ivo.send("/start mini")
    await api.wait_for_message(ivo.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await ivo.send("/lessons")
    toc = await api.wait_for_message(ivo.id, after=sent)
    await ivo.press(toc, "Aller plus loin (0/1)")
    module = await api.wait_for_message(ivo.id, after=toc, predicate=lambda m: "Aller plus loin" in m.text)
    await ivo.press(module, next(label for label, _ in module.buttons if "olume" in label))
    await api.wait_for_message(ivo.id, after=module, predicate=lambda m: "olume" in m.text)
    sent = await ivo.send("/menu")
    menu = await api.wait_for_message(ivo.id, after=sent)
    assert any("Les images" in label for label, _ in menu.buttons), "the first lesson not read is next"
