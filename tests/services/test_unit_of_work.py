"""The database boundary: work runs off the event loop, hands back values, and a domain error undoes it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time

import pytest
from sqlmodel import select

from bot.services.errors import UnknownCourse
from bot.services.learners import LearnerDefaults, update_learner
from bot.services.unit_of_work import Database, Identity
from bot.storage import make_engine, upgrade_database
from bot.storage.models import Learner

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    database = Database(engine, defaults=LearnerDefaults("fr", "Europe/Paris", time(9, 0)), now=lambda: NOW)
    yield database
    database.close()
    engine.dispose()


async def test_a_first_message_creates_the_learner_as_a_value_built_off_the_event_loop(db):
    loop_thread = threading.get_ident()
    me = await db.touch(Identity(42, "Ada", "en"))
    assert (me.first_name, me.lang, me.created) == ("Ada", "en", True)
    assert await db.run(lambda session: threading.get_ident()) != loop_thread
    assert (await db.touch(Identity(42, "Ada", "en"))).created is False


async def test_a_domain_error_rolls_back_the_unit_but_not_the_learner(db):
    me = await db.touch(Identity(43, "Bob", "fr"))

    def change_then_fail(session, learner):  # a unit of work
        update_learner(session=session, learner=learner, language="en")
        raise UnknownCourse("nope")

    with pytest.raises(UnknownCourse):
        await db.as_learner(me.id, change_then_fail)
    languages = await db.run(lambda session: session.exec(select(Learner.language)).all())
    assert languages == ["fr"]


async def test_a_unit_of_work_may_not_hand_back_a_live_row(db):
    await db.touch(Identity(44, "Cy", "fr"))
    with pytest.raises(TypeError, match="return a value"):
        await db.run(lambda session: session.exec(select(Learner)).first())
