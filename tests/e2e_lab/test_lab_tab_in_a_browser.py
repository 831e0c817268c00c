"""A learner on a phone opens the Mini App, goes to the Lab tab and works in a real terminal: a command and its
output, then `docker run -it` and `exit`, in Chromium 360 px wide, as Telegram's web view would show it."""

from __future__ import annotations

from browser import chromium
from mini_app import page_link

LEARNER, ENGLISH_LEARNER = 871, 872


async def screen_shows(page, text: str, *, after: int = 0, timeout: float = 90) -> None:
    """Wait until the terminal's rows show `text` (counted past its first `after` occurrences)."""
    await page.wait_for_function(
        "([text, after]) => (document.querySelector('.xterm-rows')?.innerText || '').split(text).length - 1 > after",
        arg=[text, after], timeout=timeout * 1000)


async def shown(page, text: str) -> int:
    return await page.evaluate(
        "(text) => (document.querySelector('.xterm-rows')?.innerText || '').split(text).length - 1", text)


async def test_a_learner_works_in_the_lab_tab_of_the_mini_app(lab_harness):
    user = lab_harness.api.user(LEARNER, first_name="Lou")
    sent = await user.send("/start")
    await lab_harness.api.wait_for_message(LEARNER, after=sent, timeout=30)

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        await page.goto(page_link(lab_harness, LEARNER, first_name="Lou"))
        await page.get_by_role("tab", name="Labo").click()
        await page.get_by_text("Ton labo est prêt").wait_for(timeout=90_000)

        await page.locator(".lab-terminal").click()
        await page.keyboard.type("echo resultat-$((6*7))")
        await page.keyboard.press("Enter")
        await screen_shows(page, "resultat-42")

        prompts = await shown(page, "learner@labo")
        await page.keyboard.type("docker run -it --rm busybox sh")
        await page.keyboard.press("Enter")
        await screen_shows(page, "/ # ")
        await page.keyboard.type("echo dedans-$((2+3))")
        await page.keyboard.press("Enter")
        await screen_shows(page, "dedans-5")
        await page.keyboard.type("exit")
        await page.keyboard.press("Enter")
        await screen_shows(page, "learner@labo", after=prompts)  # back at the workspace's own prompt

        await page.keyboard.type("exit")
        await page.keyboard.press("Enter")
        await page.get_by_text("Terminal fermé (code 0)").wait_for(timeout=30_000)
        assert await page.get_by_role("button", name="Rouvrir le terminal").is_visible()


async def test_a_learner_edits_and_builds_in_the_lab_tab_then_runs_the_image(lab_harness):
    user = lab_harness.api.user(LEARNER, first_name="Lou")
    sent = await user.send("/start")
    await lab_harness.api.wait_for_message(LEARNER, after=sent, timeout=30)

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        await page.goto(page_link(lab_harness, LEARNER, first_name="Lou"))
        await page.get_by_role("tab", name="Labo").click()
        await page.get_by_text("Ton labo est prêt").wait_for(timeout=90_000)

        await page.get_by_role("button", name="Éditeur").click()  # closes the terminal: the build needs the turn
        await page.get_by_label("Éditeur").fill('FROM busybox\nCMD ["echo", "coucou du navigateur"]\n')
        await page.get_by_label("Nom de l'image").fill("coucou")
        await page.get_by_role("button", name="Construire").click()
        await page.get_by_text("Image coucou construite").wait_for(timeout=120_000)
        assert "Étape 1/2" in await page.locator(".lab-output").inner_text(), "the steps were shown as they came"
        assert "coucou du navigateur" in await page.get_by_label("Éditeur").input_value(), "what was typed stays"

        await page.get_by_role("button", name="Terminal").click()
        await page.get_by_text("Ton labo est prêt").wait_for(timeout=90_000)
        await page.locator(".lab-terminal").click()
        await page.keyboard.type("docker run --rm coucou")
        await page.keyboard.press("Enter")
        await screen_shows(page, "coucou du navigateur")


async def test_the_lab_tab_speaks_english_to_an_english_speaker(lab_harness):
    user = lab_harness.api.user(ENGLISH_LEARNER, first_name="Ann", language_code="en")
    sent = await user.send("/start")
    await lab_harness.api.wait_for_message(ENGLISH_LEARNER, after=sent, timeout=30)

    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 360, "height": 740})
        await page.goto(page_link(lab_harness, ENGLISH_LEARNER, first_name="Ann", language="en"))
        await page.get_by_role("tab", name="Lab").click()
        await page.get_by_text("Your lab is ready").wait_for(timeout=90_000)
        assert await page.get_by_role("button", name="Editor").is_visible()
