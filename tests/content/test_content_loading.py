"""An instructor's valid course loads, and the bot finds its way around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.content import ContainerCheck, ContentError, HistoryCheck, check_content, load_catalog


def test_a_valid_course_loads_with_no_problem(course) -> None:
    assert course.problems() == []
    catalog = load_catalog(course.content_dir)
    assert list(catalog.courses) == ["demo"]
    demo = catalog.course("demo")
    assert demo.title == "Docker en bref" and demo.language == "fr"
    assert catalog.course("nope") is None


def test_lessons_are_read_in_module_order_and_lead_to_the_next(course) -> None:
    demo = load_catalog(course.content_dir).course("demo")
    assert [lesson.id for lesson in demo.lessons_in_order()] == ["m1-images", "m1-conteneurs", "m2-volumes"]
    assert demo.next_lesson("m1-conteneurs").id == "m2-volumes"
    assert demo.next_lesson("m2-volumes") is None
    assert demo.module_of("m2-volumes").id == "m2"
    lesson = demo.lesson("m1-conteneurs")
    assert lesson.exercise == "hello"
    assert lesson.body.startswith("Un conteneur tourne.")
    assert lesson.source == course.folder / "lessons" / "m1-conteneurs.md"


def test_questions_exercises_and_glossary_are_found_by_id(course) -> None:
    demo = load_catalog(course.content_dir).course("demo")
    assert [q.id for q in demo.questions_in_order()] == ["m1-q1", "m1-q2"]
    assert demo.question("m1-q2").options[demo.question("m1-q2").answer] == "docker ps -a"
    assert demo.module_of_question("m1-q1").id == "m1"
    assert demo.module_questions("m2") == []
    assert demo.question("zzz") is None
    hello = demo.exercise("hello")
    assert isinstance(hello.checks[0], ContainerCheck) and hello.checks[0].running is False
    assert isinstance(hello.checks[1], HistoryCheck)
    assert hello.wrong_attempts[0].fails == "ran-hello"
    assert hello.solution.commands == ("docker run hello-world",)
    assert hello.setup is None
    assert demo.glossary[0].term == "Image"


def test_the_loaded_course_cannot_be_changed_by_accident(course) -> None:
    demo = load_catalog(course.content_dir).course("demo")
    with pytest.raises(ValidationError):
        demo.title = "autre"  # type: ignore[misc]


def test_a_broken_course_stops_loading_and_lists_every_problem(course) -> None:
    course.edit("quizzes/m1-quiz.yaml", "answer: 1", "answer: 7")
    course.edit("course.yaml", "quiz: m1-quiz", "quiz: m9-quiz")
    with pytest.raises(ContentError) as caught:
        load_catalog(course.content_dir)
    messages = [problem.message for problem in caught.value.problems]
    assert any("answer" in m for m in messages)
    assert any("unknown quiz 'm9-quiz'" in m for m in messages)


def test_a_lesson_no_module_lists_is_a_warning_that_does_not_stop_the_bot(course) -> None:
    course.write("lessons/m2-bonus.md", '---\nid: m2-bonus\ntitle: "Bonus"\n---\nEn plus.\n')
    problems = course.problems()
    assert [(p.warning, p.line) for p in problems] == [(True, 2)]
    assert str(problems[0]) == "content/demo/lessons/m2-bonus.md:2: warning: lesson 'm2-bonus' is not listed in any module"
    assert "m2-bonus" in load_catalog(course.content_dir).course("demo").lessons


def test_a_missing_content_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = check_content(tmp_path / "absent")
    assert [p.message for p in problems] == ["no such content directory"]
