"""Every term in bold in a lesson's "À retenir" paragraph has a glossary entry `/def` answers (issue 23, item 4)."""

from __future__ import annotations

from pathlib import Path

from bot.content import check_content
from bot.content.key_terms import key_terms

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"

KEY_POINT = "**À retenir :** une **image** est faite de **couches**, lues par la **CLI**.\n"


def _with_key_point(course, text: str = KEY_POINT) -> int:
    """The m1-images lesson ends with `text`; returns the file line of the "À retenir" paragraph."""
    course.edit("lessons/m1-images.md", "Une **image** est un modèle.\n", "Une **image** est un modèle.\n\n" + text)
    return course.line("lessons/m1-images.md", "À retenir")


def test_a_bold_key_term_without_a_glossary_entry_is_reported_at_its_line(course) -> None:
    line = _with_key_point(course)
    reported = [p for p in course.shown() if "glossary entry" in p]
    assert reported == [
        f"content/demo/lessons/m1-images.md:{line}: the term 'couches' is in bold in 'À retenir' but has no glossary "
        "entry (add it to glossary.yaml, or give an entry this English name)",
        f"content/demo/lessons/m1-images.md:{line}: the term 'CLI' is in bold in 'À retenir' but has no glossary "
        "entry (add it to glossary.yaml, or give an entry this English name)",
    ], "'image' has an entry; the other two do not"


def test_an_entry_by_its_name_its_bracketed_part_or_an_english_name_answers_the_term(course) -> None:
    _with_key_point(course)
    course.edit("glossary.yaml", "terms:\n", (
        'terms:\n  - term: "Couche (layer)"\n    definition: "Une tranche de fichiers."\n'
        '  - term: "Interface en ligne de commande"\n    english: ["CLI"]\n    definition: "La commande docker."\n'
    ))
    assert not [p for p in course.shown() if "glossary entry" in p]


def test_bold_outside_the_key_point_and_the_label_itself_are_not_key_terms(course) -> None:
    text = "Du **gras** ailleurs.\n\n**À retenir :** rien en gras ici.\n\nPuis **autre** chose.\n"
    _with_key_point(course, text)
    assert not [p for p in course.shown() if "glossary entry" in p]
    assert key_terms(Path("x.md"), "**À retenir :** un\n**volume**, puis\n\n**pas ça**\n", 5) == [
        key_terms(Path("x.md"), "**À retenir :** un **volume**", 6)[0],
    ], "the paragraph runs to its blank line, and each term keeps its own line"


def test_the_shipped_course_has_its_key_terms_in_the_glossary_and_bolds_some() -> None:
    assert not [str(p) for p in check_content(REPO_CONTENT) if "glossary entry" in p.message]
    lessons = sorted(REPO_CONTENT.glob("*/lessons/*.md"))
    bolded = [path for path in lessons if key_terms(path, path.read_text(encoding="utf-8"), 1)]
    assert len(bolded) >= len(lessons) // 2, "the check must have terms to check"
