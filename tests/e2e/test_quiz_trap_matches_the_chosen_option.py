"""A learner who picks a wrong option sees the trap written for that option (by its index in the course
file), whatever place the shuffle gave it; another wrong option does not get that trap. The real course's
explanations, shown whatever the choice, no longer speak of one wrong option ("Piège : ...")."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot_harness import FIXTURE_CONTENT
from lesson_reading import read_lessons

from bot.content import load_catalog

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"
TRAP = "Piège : un conteneur arrêté reste une instance, avec sa propre couche."


def shown_options(message) -> dict[str, str]:
    return {line[0]: line[3:] for line in message.text.split("\n") if len(line) > 3 and line[1:3] == ". "}


async def test_the_trap_shown_is_the_chosen_options(make_harness, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    quiz = content / "mini" / "quizzes" / "m1-quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace(
        '    answer: 1\n    explanation: "Une image',
        f'    answer: 1\n    traps:\n      0: "{TRAP}"\n    explanation: "Une image', 1), encoding="utf-8")
    assert TRAP in quiz.read_text(encoding="utf-8")
    harness = await make_harness(content=content)
    api = harness.api
    positions = {}
    for learner_id, chosen in ((7101, "Un conteneur arrêté"), (7102, "Une machine virtuelle"),
                               (7103, "Un conteneur arrêté"), (7104, "Une machine virtuelle"),
                               (7105, "Un conteneur arrêté"), (7106, "Un conteneur arrêté")):
        user = api.user(learner_id, first_name="L")
        sent = await user.send("/start mini")
        await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
        await read_lessons(api, user)
        sent = await user.send("/quiz")
        question = await api.wait_for_message(
            user.id, after=sent, predicate=lambda m: "Qu'est-ce qu'une image Docker ?" in m.text and bool(m.buttons))
        options = shown_options(question)
        letter = next(letter for letter, text in options.items() if text == chosen)
        positions.setdefault(chosen, set()).add(letter)
        await user.press(question, letter)
        verdict = await api.wait_for_edit(question)
        assert "Pas tout à fait" in verdict.text and "💡 Une image est un modèle" in verdict.text
        assert (TRAP in verdict.text) == (chosen == "Un conteneur arrêté"), (chosen, letter, verdict.text)
    assert len(positions["Un conteneur arrêté"]) > 1, "the trapped option was shown at different places"


def test_the_real_courses_explanations_speak_of_no_single_wrong_option():
    course = load_catalog(COURSE_DIR).courses["docker-fr"]
    for question in course.questions_in_order():
        assert "Piège" not in question.explanation, question.id
    assert course.question("m01-q1").trap(1).startswith("Piège : « un seul fichier »")
    assert course.question("m01-q1").trap(3) is None, "no trap for the right answer"
