"""A small valid course written into tmp_path, which each test then breaks in one way."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from bot.content import Problem, check_content

COURSE_YAML = """\
id: demo
title: "Docker en bref"
language: fr
description: "Un cours minuscule pour les tests."
modules:
  - id: m1
    title: "Les bases"
    summary: "Images et conteneurs."
    lessons: [m1-images, m1-conteneurs]
    quiz: m1-quiz
    exercises: [hello]
  - id: m2
    title: "Les volumes"
    lessons: [m2-volumes]
"""

LESSONS = {
    "m1-images": '---\nid: m1-images\ntitle: "Les images"\n---\nUne **image** est un modèle.\n',
    "m1-conteneurs": (
        '---\nid: m1-conteneurs\ntitle: "Les conteneurs"\nexercise: hello\n---\n'
        "Un conteneur tourne.\n\n```sh\ndocker ps -a\n```\n"
    ),
    "m2-volumes": '---\nid: m2-volumes\ntitle: "Les volumes"\n---\nUn volume garde les données.\n',
}

QUIZ_YAML = """\
id: m1-quiz
title: "Quiz : les bases"
questions:
  - id: m1-q1
    question: "Qu'est-ce qu'une image ?"
    options: ["Un conteneur arrêté", "Un modèle en lecture seule"]
    answer: 1
    explanation: "Une image est un modèle."
    lesson: m1-images
  - id: m1-q2
    question: "Quelle commande liste tous les conteneurs ?"
    options: ["docker ps", "docker ps -a", "docker images"]
    answer: 1
    lesson: m1-conteneurs
"""

EXERCISE_YAML = """\
id: hello
title: "Ton premier conteneur"
lesson: m1-conteneurs
goal: "Lance le conteneur `hello-world`."
steps:
  - "Envoie `docker run hello-world`."
hints: ["La commande est `docker run hello-world`."]
checks:
  - id: ran-hello
    type: container
    image: hello-world
    running: false
    description: "Un conteneur hello-world a tourné"
    hint: "Lance `docker run hello-world`."
  - id: typed-run
    type: history
    matches: "docker (container )?run"
    description: "Tu as utilisé docker run"
    hint: "Utilise docker run."
solution:
  commands: ["docker run hello-world"]
wrong_attempts:
  - description: "Lister les images ne lance rien"
    commands: ["docker images"]
    fails: ran-hello
"""

GLOSSARY_YAML = """\
terms:
  - term: "Image"
    definition: "Un modèle en lecture seule."
    lesson: m1-images
"""


class CourseFolder:
    """content/demo/ on disk, with helpers to rewrite one file and find a line in it."""

    def __init__(self, root: Path) -> None:
        self.content_dir = root / "content"
        self.folder = self.content_dir / "demo"

    def write(self, relative: str, text: str) -> Path:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def read(self, relative: str) -> str:
        return (self.folder / relative).read_text(encoding="utf-8")

    def edit(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new, 1))

    def line(self, relative: str, needle: str, occurrence: int = 1) -> int:
        """1-based line of the `occurrence`-th line containing `needle`."""
        hits = [n for n, text in enumerate(self.read(relative).split("\n"), 1) if needle in text]
        return hits[occurrence - 1]

    def problems(self) -> list[Problem]:
        return check_content(self.content_dir)

    def shown(self) -> list[str]:
        return [str(problem) for problem in self.problems()]


@pytest.fixture
def course(tmp_path: Path) -> CourseFolder:
    folder = CourseFolder(tmp_path)
    folder.write("course.yaml", COURSE_YAML)
    for lesson_id, text in LESSONS.items():
        folder.write(f"lessons/{lesson_id}.md", text)
    folder.write("quizzes/m1-quiz.yaml", QUIZ_YAML)
    folder.write("exercises/hello.yaml", EXERCISE_YAML)
    folder.write("glossary.yaml", GLOSSARY_YAML)
    return folder
