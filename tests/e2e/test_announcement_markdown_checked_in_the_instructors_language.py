"""An instructor's announcement is checked before anything is sent: bold, italics or code left open are caught
with their line, and every problem is worded in the instructor's language; ordinary text is never flagged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class, said

ENGLISH_TEACHER = 702


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, ENGLISH_TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=1)


def problems(answer) -> list[str]:
    return [line for line in answer.text.split("\n")[1:] if line.strip()]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("Rappel\n\nLe TP a lieu **jeudi, apportez vos questions", "3", "gras"),
    ("Pensez à _relire le module 2", "1", "italique"),
    ("Lancez `docker ps pour voir", "1", "code"),
    ("Un\n**Deux** et __trois", "2", "gras"),
])
async def test_emphasis_or_code_left_open_is_refused_with_its_line_in_french(school, text, line, words):
    api = school.api
    answer = await said(api, school.teacher, f"/announce {text}")
    assert "rien n'est envoyé" in answer.text and not answer.buttons, answer.text
    found = problems(answer)
    assert len(found) == 1 and found[0].startswith(f"{line}: ") and words in found[0], found


async def test_other_problems_are_in_french_too(school):
    api = school.api
    answer = await said(api, school.teacher, "/announce Voir <b>ceci</b>\n\n![logo](https://x.fr/a.png)")
    text = answer.text
    assert "HTML" in text and "image" in text, text
    assert "not allowed" not in text and "not supported" not in text, "nothing in English for a French instructor"


async def test_an_english_instructor_reads_the_problems_in_english(school):
    api = school.api
    amy = api.user(ENGLISH_TEACHER, first_name="Amy", language_code="en")
    await said(api, amy, "/class new Bootcamp", predicate=lambda m: "Bootcamp" in m.text)
    answer = await said(api, amy, "/announce Meet at **10 tomorrow\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    found = problems(answer)
    assert any(p.startswith("1: ") and "bold" in p for p in found), found
    assert any(p.startswith("3: ") and "table" in p for p in found), found
    assert "rien" not in answer.text and "gras" not in answer.text


async def test_ordinary_text_with_stars_and_underscores_is_not_flagged(school):
    api = school.api
    text = ("**Rappel** : `docker_ps` et la variable my_var, 5 * 3 = 15, *italique* et _aussi_.\n\n"
            "```\nRUN a_b **\n```\n\nUn astérisque échappé \\*ici et un \\_là, les fichiers *.log.")
    answer = await said(api, school.teacher, f"/announce {text}", predicate=lambda m: bool(m.buttons))
    assert "Envoyer" in " ".join(label for label, _ in answer.buttons), answer.text
