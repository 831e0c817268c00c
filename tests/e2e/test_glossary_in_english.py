"""A learner using the English interface looks up Docker's words as they know them (/def container) and finds
the course's term, with its English names; a French learner finds it too, worded as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import POLL_TIMEOUT, TOKEN

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
from bot.services.glossary import english_names, fold, look_up

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


async def test_an_english_learner_finds_terms_by_their_english_names(course_bot, local_api):
    api = local_api
    amy = api.user(4301, first_name="Amy", language_code="en")
    sent = await amy.send("/start docker-fr")
    await api.wait_for_message(amy.id, after=sent, predicate=lambda m: bool(m.buttons))
    found = await ask(api, amy, "/def container")
    assert found.text.startswith("📖 Conteneur\n") and "In English: container" in found.text
    found = await ask(api, amy, "/def Containers")
    assert found.text.startswith("📖 Conteneur\n")
    for word, term in (("registry", "Registre"), ("network", "Réseau"), ("layer", "Couche (layer)"),
                       ("image", "Image"), ("volume", "Volume"), ("exit code", "Code de sortie")):
        found = await ask(api, amy, f"/def {word}")
        assert found.text.startswith(f"📖 {term}\n"), word
    registry = await ask(api, amy, "/def registry")
    assert "In English: registry, container registry" in registry.text and "Lesson:" in registry.text
    image = await ask(api, amy, "/def image")
    assert "In English" not in image.text, "no English line when the name is the same word"


async def test_a_french_learner_finds_the_term_by_its_english_name_without_an_english_line(course_bot, local_api):
    api = local_api
    max_ = api.user(4302, first_name="Max")
    sent = await max_.send("/start docker-fr")
    await api.wait_for_message(max_.id, after=sent, predicate=lambda m: bool(m.buttons))
    found = await ask(api, max_, "/def container")
    assert found.text.startswith("📖 Conteneur\n") and "anglais" not in found.text


def test_the_main_terms_have_english_names_and_each_finds_its_own_term():
    named = {fold(name) for term in COURSE.glossary for name in term.english}
    assert {"container", "image", "volume", "network", "layer", "registry", "node", "replica"} <= named
    for term in COURSE.glossary:
        for name in term.english:
            assert look_up(COURSE, name).found == term, name
            assert look_up(COURSE, name.upper()).found == term, name


def test_english_names_already_in_the_term_are_not_repeated():
    layer = next(term for term in COURSE.glossary if term.term == "Couche (layer)")
    assert "layer" not in english_names(layer)
    image = next(term for term in COURSE.glossary if term.term == "Image")
    assert english_names(image) == ()
