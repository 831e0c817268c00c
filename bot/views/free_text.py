"""Answers to a learner's plain words: a warm reply with the next useful step as buttons, or what the course
says about their question."""

from __future__ import annotations

from bot.callbacks import (
    Define,
    Exercises,
    Help,
    Lab,
    LessonPage,
    LessonsToc,
    Menu,
    Progress,
    QuizModule,
    SettingsAction,
)
from bot.content import GlossaryTerm
from bot.i18n import label, t
from bot.services.free_text import Kind, Understood
from bot.services.glossary import english_names
from bot.services.journey import Bookmark
from bot.views.base import View, keyboard

__all__ = ["define_view", "free_text_view", "join_link_view", "next_steps", "suggestions_view", "unknown_command_view"]

_COMMAND_BUTTONS = {
    "menu": Menu(), "start": Menu(), "help": Help(), "aide": Help(), "progress": Progress(), "progression": Progress(),
    "lessons": LessonsToc(), "lecons": LessonsToc(), "sommaire": LessonsToc(), "quiz": QuizModule(),
    "exercise": Exercises(), "exercice": Exercises(), "settings": SettingsAction(), "reglages": SettingsAction(),
}
"""Commands a "did you mean" button can run by itself (the others are offered as text to tap)."""


def next_steps(lang: str, place: Bookmark | None, *, lab: bool) -> list[list[tuple[str, str]]]:
    """The buttons of what to do next: the lesson where they stand, a quiz, the lab (when there is one)."""
    if place is None:
        return [[(label(lang, "btn_menu"), Menu().encode())]]
    lesson = place.lesson
    return [
        [(label(lang, "btn_continue", title=lesson.title), LessonPage(lesson.id, 0).encode())] if lesson else [],
        [(label(lang, "btn_quiz"), QuizModule(place.module_id).encode())]
        + ([(label(lang, "btn_lab"), Lab().encode())] if lab else [])
        + [(label(lang, "btn_menu"), Menu().encode())],
    ]


def free_text_view(lang: str, name: str, understood: Understood, place: Bookmark | None, *, lab: bool) -> View:
    """The reply to a greeting, thanks, a call for help, a question, a long text, or words the bot did not get."""
    steps = next_steps(lang, place, lab=lab)
    kind = understood.kind
    if kind is Kind.GREETING:
        return View(t(lang, "free_greeting", name=name), keyboard(steps))
    if kind is Kind.THANKS:
        return View(t(lang, "free_thanks"), keyboard(steps))
    if kind is Kind.HELP:
        return View(t(lang, "free_help_lab" if lab else "free_help"), keyboard(steps))
    if kind is Kind.TOO_LONG:
        return View(t(lang, "free_too_long_lab" if lab else "free_too_long"), keyboard(steps))
    if kind is Kind.QUESTION:
        return _answer(lang, understood)
    return View(t(lang, "free_unknown_lab" if lab else "free_unknown"), keyboard(steps))


def _answer(lang: str, understood: Understood) -> View:
    match = understood.match
    rows = [[(label(lang, "btn_read_lesson", title=lesson.title), LessonPage(lesson.id, 0).encode())]
            for lesson in match.lessons]
    if match.term is not None:
        return View(define_view(lang, match.term).text, keyboard(rows))
    if match.lessons:
        return View(t(lang, "free_lessons_about", topic=understood.topic), keyboard(rows))
    rows = [[(label(lang, "btn_toc"), LessonsToc().encode()), (label(lang, "btn_menu"), Menu().encode())]]
    return View(t(lang, "free_not_in_course", topic=understood.topic), keyboard(rows))


def define_view(lang: str, term: GlossaryTerm, *, lesson_title: str | None = None) -> View:
    """A glossary entry (with its English names for a learner using English)."""
    text = t(lang, "def_found", term=term.term, definition=term.definition)
    english = english_names(term) if lang == "en" else ()
    if english:
        text += "\n" + t(lang, "def_english", names=", ".join(english))
    if lesson_title:
        text += "\n" + t(lang, "def_lesson", title=lesson_title)
    return View(text)


def suggestions_view(lang: str, query: str, terms: tuple[str, ...]) -> View:
    """"No such word", with the close glossary terms as buttons."""
    text = t(lang, "def_unknown", term=query[:60])
    if not terms:
        return View(text)
    rows = [[(term[:60], Define(term[:48]).encode())] for term in terms]
    return View(text + "\n" + t(lang, "def_suggest_buttons"), keyboard(rows))


def join_link_view(lang: str) -> View:
    """A class link or code pasted but cut or mistyped (a whole one joins at once: bot/handlers/classes.py)."""
    return View(t(lang, "free_join_link_broken"))


def unknown_command_view(lang: str, typed: str, meant: str | None) -> View:
    """An unknown command, with the one it most likely meant ("did you mean /lessons?") as a button."""
    if meant is None:
        return View(t(lang, "unknown_command", command=typed))
    text = t(lang, "unknown_command_meant", command=typed, meant=f"/{meant}")
    payload = _COMMAND_BUTTONS.get(meant)
    if payload is None:
        return View(text)
    return View(text, keyboard([[(f"/{meant}", payload.encode())]]))
