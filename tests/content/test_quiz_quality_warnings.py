"""`tutorbot content check` warns about quizzes a learner could pass without knowing anything,
and about words the course does not use; each warning fires on a bad example, and not on a fair one."""

from __future__ import annotations

import yaml


def quiz(questions: list[dict]) -> str:
    return yaml.safe_dump({"id": "m1-quiz", "title": "Quiz", "questions": questions}, allow_unicode=True)


TOPICS = ["images", "volumes", "réseaux", "registres", "Compose", "Swarm", "couches", "ports", "tags", "cgroups",
          "namespaces", "secrets", "healthcheck", "logs", "events", "prune", "overlay", "bridge", "tmpfs", "digest",
          "rollback", "canary", "ENTRYPOINT", "WORKDIR"]


def question(n: int, *, answer: int, options: list[str], kind: str = "recall", text: str | None = None) -> dict:
    return {"id": f"m1-q{n}", "question": text or f"{TOPICS[n]} ?",
            "options": options, "answer": answer, "kind": kind}


def fair(n: int) -> dict:
    """Four options, the answer position cycling, two questions out of three application ones, and the
    right option the longest in one question out of four (its fair share)."""
    options = [f"option a{n:03}", f"option b{n:03}", f"option c{n:03}", f"option d{n:03}"]
    if n % 4 == 0:
        options[n % 4] += " (la plus longue)"
    else:
        options[(n + 1) % 4] += " (la plus longue)"
    return question(n, answer=n % 4, options=options, kind="recall" if n % 3 == 0 else "application")


def warnings(course) -> list[str]:
    return [p.message for p in course.problems() if p.warning]


def test_a_fair_quiz_of_twenty_four_questions_raises_no_warning(course) -> None:
    course.write("quizzes/m1-quiz.yaml", quiz([fair(n) for n in range(24)]))
    assert warnings(course) == []


def test_the_correct_option_being_the_longest_too_often_is_reported(course) -> None:
    biased = [fair(n) for n in range(24)]
    for n, q in enumerate(biased[:10]):
        q["options"][q["answer"]] = f"la bonne réponse, bien plus longue que les autres {n}"
    course.write("quizzes/m1-quiz.yaml", quiz(biased))
    found = warnings(course)
    assert any(m.startswith("option-length bias: the correct option is the longest in 13 of 24") for m in found)


def test_the_correct_option_almost_never_being_the_longest_is_reported_too(course) -> None:
    never = [fair(n) for n in range(24)]
    for q in never:
        q["options"] = [o.removesuffix(" (la plus longue)") for o in q["options"]]
        q["options"][(q["answer"] + 1) % 4] += " (la plus longue)"
    course.write("quizzes/m1-quiz.yaml", quiz(never))
    assert any(m.startswith("option-length bias: the correct option is the longest in only 0 of 24")
               for m in warnings(course))


def test_the_answer_sitting_at_the_same_position_too_often_is_reported(course) -> None:
    biased = [fair(n) for n in range(24)]
    for q in biased[:12]:
        q["answer"] = 0
    course.write("quizzes/m1-quiz.yaml", quiz(biased))
    assert any(m.startswith("answer-position bias: in 4-option questions, A is correct") for m in warnings(course))


def test_too_few_application_questions_are_reported_for_the_course_and_the_module(course) -> None:
    recall_only = [fair(n) | {"kind": "recall"} for n in range(24)]
    course.write("quizzes/m1-quiz.yaml", quiz(recall_only))
    found = warnings(course)
    assert any(m.startswith("too few application questions: 0 of 24") for m in found)
    assert "module m1 has 0 application question(s), at least 2 wanted" in found


def test_too_few_application_questions_is_reported_below_sixty_percent(course) -> None:
    half = [fair(n) | {"kind": "application" if n % 2 else "recall"} for n in range(24)]
    course.write("quizzes/m1-quiz.yaml", quiz(half))
    assert [m for m in warnings(course) if m.startswith("too few application")] == [
        "too few application questions: 12 of 24 (50%, at least 60% wanted)"]


def test_too_few_four_option_questions_are_reported(course) -> None:
    three = [fair(n) for n in range(24)]
    for q in three[:8]:
        drop = next(i for i in range(4) if i != q["answer"] and "plus longue" not in q["options"][i])
        del q["options"][drop]
        q["answer"] -= drop < q["answer"]
    course.write("quizzes/m1-quiz.yaml", quiz(three))
    assert "too few questions with 4 options: 16 of 24 (67%, at least 70% wanted)" in warnings(course)


def test_a_near_duplicate_question_is_reported_at_its_line(course) -> None:
    questions = [fair(n) for n in range(24)]
    questions[5]["question"] = "Quelle commande liste tous les conteneurs, même arrêtés ?"
    questions[9]["question"] = "Quelle commande liste tous les conteneurs, même ceux arrêtés ?"
    course.write("quizzes/m1-quiz.yaml", quiz(questions))
    found = [p for p in course.problems() if p.warning]
    assert [p.message for p in found] == ["duplicate question: 'm1-q9' asks nearly the same as 'm1-q5'"]
    assert found[0].line == course.line("quizzes/m1-quiz.yaml", "même ceux arrêtés")


def test_a_banned_word_variant_is_reported_in_prose_but_not_in_code(course) -> None:
    course.edit("course.yaml", "modules:\n", "terminology:\n  container: conteneur\n  lab: labo\nmodules:\n")
    course.write("lessons/m2-volumes.md", (
        '---\nid: m2-volumes\ntitle: "Les volumes"\n---\nUn volume garde les données du container.\n\n'
        "```sh\ndocker container ls\n```\n\nLa commande `docker container prune` nettoie.\n"))
    course.edit("quizzes/m1-quiz.yaml", "Quelle commande liste tous les conteneurs ?",
                "Dans ton lab, quelle commande liste tous les conteneurs ?")
    found = sorted(str(p) for p in course.problems() if p.warning)
    line = course.line("quizzes/m1-quiz.yaml", "Dans ton lab")
    assert found == [
        "content/demo/lessons/m2-volumes.md: warning: banned term variant 'container': the course says 'conteneur'"
        " (body line 1)",
        f"content/demo/quizzes/m1-quiz.yaml:{line}: warning: banned term variant 'lab': the course says 'labo'",
    ]
