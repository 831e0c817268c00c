"""/memo gives a module's cheat sheet, one line per command; /def finds a glossary term whatever
the accents and case, and suggests terms when it does not know the word."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
from bot.services.glossary import look_up

COURSE_DIR = Path(__file__).resolve().parents[2] / "content"
COURSE = load_catalog(COURSE_DIR).courses["docker-fr"]


@pytest.fixture
async def course_bot(local_api, clock, database_url):
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=COURSE_DIR,
                        delivery_sweep_seconds=3600)
    application = build_application(settings, catalog=load_catalog(COURSE_DIR), base_url=local_api.url,
                                    token=TOKEN, clock=clock, rate_limit=False)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield
    await stop_bot(application)


async def ask(api, user, text):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent)


async def test_memo_lists_modules_then_shows_one_cheat_sheet(course_bot, local_api):
    api = local_api
    ines = api.user(4101, first_name="Inès")
    sent = await ines.send("/start docker-fr")
    await api.wait_for_message(ines.id, after=sent, predicate=lambda m: bool(m.buttons))
    choose = await ask(api, ines, "/memo")
    assert "Aide-mémoire" in choose.text and len(choose.buttons) == len([m for m in COURSE.modules if m.memo])
    await ines.press(choose, next(label for label, _ in choose.buttons if label.startswith("m05")))
    sheet = await api.wait_for_message(ines.id, after=choose, predicate=lambda m: "Volumes" in m.text)
    lines = [line for line in sheet.text.split("\n")[2:] if line]
    assert len(lines) == len(COURSE.module("m05").memo), "one line per command"
    assert "docker volume create data : créer un volume nommé" in lines
    typed = await ask(api, ines, "/memo 5")
    assert typed.text == sheet.text, "/memo 5 and /memo m05 are the same sheet"
    unknown = await ask(api, ines, "/memo m99")
    assert "Je ne connais pas le module" in unknown.text


async def test_def_forgives_accents_and_case(course_bot, local_api):
    api = local_api
    max_ = api.user(4201, first_name="Max")
    sent = await max_.send("/start docker-fr")
    await api.wait_for_message(max_.id, after=sent, predicate=lambda m: bool(m.buttons))
    found = await ask(api, max_, "/def NOEUD")
    assert found.text.startswith("📖 Nœud") and "Leçon" in found.text
    found = await ask(api, max_, "/def replicas")
    assert found.text.startswith("📖 Réplica")
    found = await ask(api, max_, "/def layer")
    assert found.text.startswith("📖 Couche (layer)")
    missing = await ask(api, max_, "/def kubernetes operator")
    assert "Pas de « kubernetes operator »" in missing.text
    usage = await ask(api, max_, "/def")
    assert "/def mot" in usage.text


def test_every_glossary_term_is_found_by_its_own_name_without_accents_in_capitals():
    for term in COURSE.glossary:
        plain = "".join(c for c in unicodedata.normalize("NFKD", term.term) if not unicodedata.combining(c))
        assert look_up(COURSE, plain.upper()).found == term, term.term
