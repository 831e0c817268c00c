"""An instructor runs the class from the Mini App in a real browser (Chromium, 360 px wide): they move a lesson
by tap, write an announcement with its live preview and send it, and the learners get it in their chat."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from browser import phone_page
from class_school import TEACHER, open_class, said
from mini_app import init_data_for, mini_app_url, page_link
from sqlmodel import Session, col, select

from bot.local_api.web_app_data import web_app_link
from bot.storage.models import PlanEntry

pytestmark = pytest.mark.slow


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3",
                              options="tz=Europe/Paris", learners=2)
    assert "2026-03-03" in (await said(school.api, school.teacher, "/class plan weekdays 2026-03-03")).text
    return school


def planned(engine) -> dict[str, str]:
    with Session(engine) as session:
        return {e.on_date.isoformat(): e.lesson_id for e in session.exec(
            select(PlanEntry).where(col(PlanEntry.sent_at).is_(None)).order_by(col(PlanEntry.on_date)))}


async def test_the_instructor_moves_a_lesson_and_announces_by_tap_and_learners_get_it(school):
    first_day = planned(school.engine)["2026-03-03"]
    async with phone_page() as page:
        await page.goto(page_link(school.harness, TEACHER, first_name="Prof"))

        await page.get_by_role("tab", name="Aujourd'hui").wait_for()
        card = page.locator('li.lesson[data-date="2026-03-03"]')
        await card.get_by_role("button", name="Déplacer").click()
        await card.locator('input[name="date"]').fill("2026-03-06")
        await card.get_by_role("button", name="Valider").click()
        await page.locator(".status.ok").wait_for()
        assert "2026-03-06" in await page.locator(".status").inner_text()
        assert planned(school.engine)["2026-03-06"] == first_day and "2026-03-03" not in planned(school.engine)
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling"

        await page.get_by_role("tab", name="Annonce").click()
        await page.locator("textarea").fill("Demain : salle **B12** à 9 h")
        await page.locator(".bubble b", has_text="B12").wait_for()
        assert "Docker L3" in await page.locator(".bubble").first.inner_text()  # the header learners get
        send = page.locator('button[data-action="send"]')
        await send.click()
        await send.click()  # the second tap sends
        await page.locator(".status.ok").wait_for()
        assert "2 membre" in await page.locator(".status").inner_text()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360

    learner = school.learners[0]
    got = await school.api.wait_for_message(learner.id, predicate=lambda m: "B12" in (m.text or ""))
    assert "Docker L3" in got.text and "<b>B12</b>" not in got.text
    assert any(entity["type"] == "bold" for entity in got.entities), got


async def test_the_page_follows_telegrams_dark_theme(school):
    link = web_app_link(mini_app_url(school.harness), init_data_for(TEACHER),
                        theme={"bg_color": "#17212b", "text_color": "#f5f5f5", "button_color": "#5288c1"})
    async with phone_page() as page:
        await page.goto(link)
        await page.get_by_role("tab").first.wait_for()
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(23, 33, 43)"
        await page.locator("li.lesson").first.wait_for()
        text = await page.evaluate("getComputedStyle(document.querySelector('li.lesson .title')).color")
        assert text == "rgb(245, 245, 245)"


async def test_an_instructor_with_two_classes_picks_one_and_every_tab_shows_it(school):
    await said(school.api, school.teacher, "/class new Second groupe", predicate=lambda m: "Classe" in m.text)
    async with phone_page() as page:
        await page.goto(page_link(school.harness, TEACHER, first_name="Prof"))
        picker = page.locator("select.class-picker")
        await picker.wait_for()
        await picker.select_option(label="Docker L3 (2)")
        await page.locator('li.lesson[data-date="2026-03-03"]').wait_for()  # Docker L3's calendar

        await page.get_by_role("tab", name="Élèves").click()
        await page.locator("li.learner").first.wait_for()
        assert await page.locator("select.class-picker").input_value() == await picker.input_value()
        assert await page.locator("li.learner").count() == 2
