"""The Mini App trusts Telegram's signature and nothing else: an instructor sees their classes, a learner the
classes they are in, and a call without a valid, fresh initData is refused before any feature runs."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import pytest
from class_school import TEACHER, open_class
from mini_app import call, init_data_for, mini_app_url

from bot.webapp.init_data import InitDataRejected, verify_init_data

OTHER_TEACHER = 701


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER_TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3 2026", learners=1)


async def test_the_instructor_sees_their_class_by_name(school):
    status, me = await call(school.harness, "api/me", init_data_for(TEACHER, first_name="Claire"))

    assert status == 200
    assert me["instructor"] is True and me["first_name"] == "Claire"
    assert [taught["name"] for taught in me["teaches"]] == ["Docker L3 2026"]
    assert me["teaches"][0]["members"] == 1


async def test_a_learner_sees_the_class_they_are_in_and_nobodys_id(school):
    learner = school.learners[0]
    status, me = await call(school.harness, "api/me", init_data_for(learner.id, first_name="M0"))

    assert status == 200
    assert me["instructor"] is False and me["teaches"] == []
    assert me["learns_in"] == ["Docker L3 2026"]
    assert str(TEACHER) not in str(me), "the instructor's Telegram id is not the learner's to know"


async def test_another_instructor_does_not_see_this_class(school):
    status, me = await call(school.harness, "api/me", init_data_for(OTHER_TEACHER))

    assert status == 200
    assert me["teaches"] == []


async def test_no_init_data_is_refused(school):
    assert (await call(school.harness, "api/me", None))[0] == 401


async def test_a_forged_user_is_refused_and_the_same_data_unforged_is_accepted(school):
    genuine = init_data_for(school.learners[0].id)
    fields = dict(parse_qsl(genuine))
    fields["user"] = fields["user"].replace(str(school.learners[0].id), str(TEACHER))
    forged = urlencode(fields)

    assert (await call(school.harness, "api/me", forged))[0] == 401
    assert (await call(school.harness, "api/me", genuine))[0] == 200  # positive control


async def test_a_signature_made_with_another_bots_token_is_refused(school):
    other_bot = init_data_for(TEACHER, token="987654321:ANOTHER-bot-token-of-someone-else-000")

    assert (await call(school.harness, "api/me", other_bot))[0] == 401


async def test_a_signature_older_than_a_day_is_refused_and_one_just_younger_is_accepted(school):
    now = int(time.time())
    stale = init_data_for(TEACHER, auth_date=now - 24 * 3600 - 5)
    recent = init_data_for(TEACHER, auth_date=now - 24 * 3600 + 60)

    assert (await call(school.harness, "api/me", stale))[0] == 401
    assert (await call(school.harness, "api/me", recent))[0] == 200  # positive control


async def test_the_page_is_served_with_telegrams_script_from_the_bot_itself(school):
    status, html = await call(school.harness, "", None)

    assert status == 200
    assert "static/vendor/telegram-web-app.js" in html and "telegram.org/js" not in html
    script_status, script = await call(school.harness, "static/vendor/telegram-web-app.js", None)
    assert script_status == 200 and "Telegram" in script
    assert (await call(school.harness, "static/../../config.py", None))[0] == 404


async def test_the_menu_button_of_private_chats_opens_the_mini_app(school):
    button = await school.harness.application.bot.get_chat_menu_button()

    assert button.type == "web_app"
    assert button.web_app.url == mini_app_url(school.harness)


def test_a_field_sent_twice_is_refused():
    data = init_data_for(TEACHER)
    with pytest.raises(InitDataRejected):
        verify_init_data(data + "&auth_date=1", bot_token="123456789:TEST-token-for-the-local-bot-api-000")
