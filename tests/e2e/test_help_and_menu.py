"""A learner looks for what the bot can do: /help lists every command it answers, the menu leads to the lab,
the exercises and the table of contents."""

from __future__ import annotations

import re

from telegram.ext import CommandHandler

from bot.app import COMMANDS, GROUP_COMMANDS
from bot.handlers.classes import INSTRUCTOR_COMMANDS
from bot.handlers.fallback import registered_commands


def registered_sets(harness) -> list[frozenset[str]]:
    return [frozenset(handler.commands) for group in harness.application.handlers.values() for handler in group
            if isinstance(handler, CommandHandler)]


async def test_help_lists_every_registered_command(harness):
    api = harness.api
    ali = api.user(871, first_name="Ali")
    sent = await ali.send("/help")
    shown = await api.wait_for_message(ali.id, after=sent)
    registered = {name for group in harness.application.handlers.values() for handler in group
                  if isinstance(handler, CommandHandler) for name in handler.commands}
    assert {"exercise", "check", "cancel", "lessons", "reset", "build"} <= registered
    instructors = {name for names in registered_sets(harness) if names & set(INSTRUCTOR_COMMANDS) for name in names}
    elsewhere = instructors | set(GROUP_COMMANDS) - {"quiz", "help"}  # instructors' menu (aliases too), groups
    missing = sorted(name for name in registered - elsewhere if not re.search(rf"/{name}(?![\w-])", shown.text))
    assert missing == [], f"/help does not list {missing}"
    listed = sorted(name for name in elsewhere if re.search(rf"/{name}(?![\w-])", shown.text))
    assert listed == [], f"a learner's /help lists instructor or group commands {listed}"
    assert "/annonce" not in shown.text, "nor an instructor command's alias"
    private = [name for names in registered_commands(harness.application) for name in names]
    assert sorted(n for n in set(private) if private.count(n) > 1) == [], "no name answers to two commands"
    assert set(COMMANDS) <= registered, "the Telegram menu offers only commands the bot answers"


async def test_a_command_added_later_shows_up_in_help(harness):
    async def nothing(update, context):
        return None

    harness.application.add_handler(CommandHandler("nouvelle", nothing))
    api = harness.api
    bo = api.user(872, first_name="Bo")
    sent = await bo.send("/help")
    shown = await api.wait_for_message(bo.id, after=sent)
    assert "/nouvelle" in shown.text


async def test_the_menu_has_lab_exercises_and_contents(harness):
    api = harness.api
    cy = api.user(873, first_name="Cy")
    sent = await cy.send("/start mini")
    menu = await api.wait_for_message(cy.id, after=sent, predicate=lambda m: bool(m.buttons))
    labels = [label for label, _ in menu.buttons]
    assert "🧪 Labo" in labels and "🏋️ Exercices" in labels and "📚 Sommaire" in labels
    await cy.press(menu, "🧪 Labo")
    lab = await api.wait_for_message(cy.id, after=menu, predicate=lambda m: "labo" in m.text.lower())
    assert "docker ps -a" in lab.text and "/cancel" in lab.text
    await cy.press(lab, "🏋️ Exercices")
    listing = await api.wait_for_message(cy.id, after=lab, predicate=lambda m: "Exercices du cours" in m.text)
    assert any(data and data.startswith("ex:") for _, data in listing.buttons), "each exercise is a button"


async def test_an_instructors_help_adds_the_instructor_commands(make_harness):
    bot = await make_harness(instructor_ids=frozenset({872}))
    api = bot.api
    teacher, learner = api.user(872, first_name="Prof"), api.user(873, first_name="Léa")
    sent = await teacher.send("/help")
    shown = await api.wait_for_message(teacher.id, after=sent, predicate=lambda m: "/progress" in (m.text or ""))
    assert "Formateur" in shown.text
    assert all(re.search(rf"/{name}(?![\w-])", shown.text) for name in INSTRUCTOR_COMMANDS), shown.text
    sent = await learner.send("/help")
    theirs = await api.wait_for_message(learner.id, after=sent, predicate=lambda m: "/progress" in (m.text or ""))
    assert "Formateur" not in theirs.text and "/push" not in theirs.text
