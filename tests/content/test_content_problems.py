"""Each kind of mistake an instructor can make is reported at the file and line where it is."""

from __future__ import annotations


def only(course) -> str:
    """The single problem reported, as the instructor sees it."""
    shown = course.shown()
    assert len(shown) == 1, shown
    return shown[0]


def test_a_question_with_eleven_options_points_at_its_options_line(course) -> None:
    eleven = ", ".join(f'"option {i}"' for i in range(11))
    course.edit("quizzes/m1-quiz.yaml", 'options: ["docker ps", "docker ps -a", "docker images"]',
                f"options: [{eleven}]")
    line = course.line("quizzes/m1-quiz.yaml", "option 10")
    problem = only(course)
    assert problem.startswith(f"content/demo/quizzes/m1-quiz.yaml:{line}: questions[1].options:")
    assert "at most 10" in problem


def test_quiz_items_must_fit_telegram_poll_limits(course) -> None:
    course.edit("quizzes/m1-quiz.yaml", "Qu'est-ce qu'une image ?", "x" * 301)
    course.edit("quizzes/m1-quiz.yaml", '"Un conteneur arrêté"', '"' + "y" * 101 + '"')
    course.edit("quizzes/m1-quiz.yaml", "Une image est un modèle.", "z" * 201)
    course.edit("quizzes/m1-quiz.yaml", "answer: 1\n    lesson: m1-conteneurs", "answer: 3\n    lesson: m1-conteneurs")
    quiz = "quizzes/m1-quiz.yaml"
    found = sorted((p.line, p.message) for p in course.problems())
    assert found == [
        (course.line(quiz, "x" * 301), "questions[0].question: String should have at most 300 characters"),
        (course.line(quiz, "y" * 101), "questions[0].options[0]: String should have at most 100 characters"),
        (course.line(quiz, "z" * 201), "questions[0].explanation: String should have at most 200 characters"),
        (course.line(quiz, "answer: 3"), "questions[1].answer: answer must be an option index from 0 to 2"),
    ]


def test_a_duplicate_lesson_id_names_both_places(course) -> None:
    course.write("lessons/copie.md", '---\nid: m1-images\ntitle: "Copie"\n---\nTexte.\n')
    shown = course.shown()
    assert "content/demo/lessons/m1-images.md:2: duplicate lesson id 'm1-images' (first defined at copie.md:2)" in shown


def test_a_module_listing_a_missing_lesson(course) -> None:
    course.edit("course.yaml", "lessons: [m2-volumes]", "lessons:\n      - m2-volumes\n      - m2-reseaux")
    line = course.line("course.yaml", "- m2-reseaux")
    assert only(course) == f"content/demo/course.yaml:{line}: unknown lesson 'm2-reseaux'"


def test_bad_yaml_syntax_reports_its_line(course) -> None:
    course.edit("exercises/hello.yaml", 'hints: ["La commande', 'hints: ["La commande: [oops')
    course.edit("exercises/hello.yaml", "    running: false", "    running: false\n   bad: indent")
    line = course.line("exercises/hello.yaml", "bad: indent")
    problems = course.problems()
    assert problems[0].file.as_posix() == "content/demo/exercises/hello.yaml"
    assert problems[0].line == line
    assert problems[0].message.startswith("invalid YAML")


def test_raw_html_in_a_lesson_is_refused_at_its_line(course) -> None:
    course.write("lessons/m2-volumes.md",
                 '---\nid: m2-volumes\ntitle: "Les volumes"\n---\nUn volume.\n\n<div>garde</div>\n')
    assert only(course) == (
        "content/demo/lessons/m2-volumes.md:7: raw HTML is not allowed in lessons (write Markdown instead)"
    )


def test_images_and_tables_are_refused(course) -> None:
    course.write("lessons/m2-volumes.md", '---\nid: m2-volumes\ntitle: "V"\n---\n'
                 "Texte.\n\n![schéma](https://example.org/a.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    shown = course.shown()
    assert shown == ["content/demo/lessons/m2-volumes.md:7: images are not supported in lessons",
                     "content/demo/lessons/m2-volumes.md:9: tables are not supported in Telegram (use a list)"]


def test_a_front_matter_mistake_is_reported_inside_the_lesson(course) -> None:
    course.edit("lessons/m1-images.md", 'title: "Les images"', 'title: "Les images"\nauthor: moi')
    assert only(course) == "content/demo/lessons/m1-images.md:4: author: unknown field"


def test_an_id_with_capitals_is_refused(course) -> None:
    course.edit("course.yaml", "  - id: m2\n", "  - id: M2\n")
    assert only(course) == (
        "content/demo/course.yaml:12: modules[1].id: ids are lowercase letters, digits and '-', at most 32 characters"
    )


def test_course_id_must_match_its_folder(course) -> None:
    course.edit("course.yaml", "id: demo", "id: docker")
    assert only(course) == "content/demo/course.yaml:1: course id 'docker' must equal its folder name 'demo'"


def test_references_to_lessons_exercises_and_checks_must_exist(course) -> None:
    course.edit("lessons/m1-conteneurs.md", "exercise: hello", "exercise: hallo")
    course.edit("quizzes/m1-quiz.yaml", "lesson: m1-images", "lesson: m1-imgs")
    course.edit("glossary.yaml", "lesson: m1-images", "lesson: m3-images")
    course.edit("exercises/hello.yaml", "fails: ran-hello", "fails: ran-helo")
    shown = course.shown()
    assert "content/demo/lessons/m1-conteneurs.md:4: unknown exercise 'hallo'" in shown
    assert f"content/demo/quizzes/m1-quiz.yaml:{course.line('quizzes/m1-quiz.yaml', 'm1-imgs')}: unknown lesson 'm1-imgs'" in shown
    assert "content/demo/glossary.yaml:4: unknown lesson 'm3-images'" in shown
    line = course.line("exercises/hello.yaml", "fails:")
    assert f"content/demo/exercises/hello.yaml:{line}: unknown check 'ran-helo'" in shown


def test_a_check_regex_that_does_not_compile(course) -> None:
    course.edit("exercises/hello.yaml", 'matches: "docker (container )?run"', 'matches: "docker (run"')
    line = course.line("exercises/hello.yaml", "matches:")
    problem = only(course)
    assert problem.startswith(f"content/demo/exercises/hello.yaml:{line}: checks[1].matches: invalid regular expression")


def test_a_check_of_unknown_type_or_missing_field(course) -> None:
    course.edit("exercises/hello.yaml", "type: history", "type: histroy")
    course.edit("exercises/hello.yaml", "    image: hello-world\n", "")
    course.edit("exercises/hello.yaml", "    type: container", "    type: http")
    shown = course.shown()
    http_line = course.line("exercises/hello.yaml", "type: http") - 1
    assert f"content/demo/exercises/hello.yaml:{http_line}: checks[0].url: Field required" in shown
    running_line = course.line("exercises/hello.yaml", "running: false")
    assert f"content/demo/exercises/hello.yaml:{running_line}: checks[0].running: unknown field" in shown
    assert any("checks[1]" in s and "histroy" in s for s in shown)


def test_every_problem_is_reported_not_just_the_first(course) -> None:
    course.edit("course.yaml", "quiz: m1-quiz", "quiz: nope")
    course.write("lessons/m2-volumes.md", '---\nid: m2-volumes\ntitle: "V"\n---\n<div>gras</div>\n')
    course.edit("glossary.yaml", 'term: "Image"', 'term: ""')
    assert len([p for p in course.problems() if not p.warning]) == 3


def test_a_key_written_twice_is_reported_where_it_repeats(course) -> None:
    course.edit("quizzes/m1-quiz.yaml", "    answer: 1\n    explanation", "    answer: 1\n    answer: 0\n    explanation")
    assert only(course) == f"content/demo/quizzes/m1-quiz.yaml:{course.line('quizzes/m1-quiz.yaml', 'answer: 0')}: duplicate key 'answer'"


def test_a_lesson_without_front_matter(course) -> None:
    course.write("lessons/m2-volumes.md", "Un volume garde les données.\n")
    shown = course.shown()
    assert "content/demo/lessons/m2-volumes.md:1: a lesson starts with front matter between '---' lines" in shown


def test_raw_html_in_an_exercise_step_points_at_the_step(course) -> None:
    course.edit("exercises/hello.yaml", '"Envoie `docker run hello-world`."', '"Écris <h1>Salut</h1> dans index.html"')
    line = course.line("exercises/hello.yaml", "<h1>")
    shown = course.shown()
    assert shown and all(s.startswith(f"content/demo/exercises/hello.yaml:{line}: raw HTML") for s in shown)


def test_a_link_telegram_cannot_open(course) -> None:
    course.write("lessons/m2-volumes.md", '---\nid: m2-volumes\ntitle: "V"\n---\nVoir [la page](volumes.md).\n')
    assert only(course) == (
        "content/demo/lessons/m2-volumes.md:5: link target must start with http://, https:// or tg:// (got 'volumes.md')"
    )
