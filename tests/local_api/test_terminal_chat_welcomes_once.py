"""`tutorbot chat` shows the welcome by itself; a learner who then types /start (as the README and the welcome
suggest) does not get it a second time, and a /start with a course or class code still goes to the bot."""

from __future__ import annotations

from bot.local_api.terminal import run_terminal_chat


def typed(api, user) -> list[str]:  # noqa: ANN001
    return [m.text for m in api.store.messages[user.id] if not m.from_bot]


def welcomes(api, user) -> int:  # noqa: ANN001
    return sum("Bonjour" in (m.text or "") for m in api.store.messages[user.id] if m.from_bot)


async def test_a_learner_who_types_start_sees_the_welcome_once(harness):
    api = harness.api
    lou = api.user(921, first_name="Lou")
    printed: list[str] = []
    script = iter(["/start", "/progress"])

    async def read_line() -> str | None:
        return next(script, None)

    await run_terminal_chat(api, lou, read_line=read_line, write=printed.append, wait_for_answers=True)
    assert typed(api, lou) == ["/start", "/progress"], "the chat's own /start, then what the learner typed"
    assert welcomes(api, lou) == 1
    assert "l'accueil de /start est juste au-dessus" in "\n".join(printed)


async def test_a_start_with_a_course_code_still_goes_and_a_later_start_too(harness):
    api = harness.api
    max_ = api.user(922, first_name="Max", language_code="en")
    printed: list[str] = []
    script = iter(["/start mini", "/start"])

    async def read_line() -> str | None:
        return next(script, None)

    await run_terminal_chat(api, max_, read_line=read_line, write=printed.append, wait_for_answers=True)
    assert typed(api, max_) == ["/start", "/start mini", "/start"], "only a first, bare /start repeats the welcome"
    assert "the /start welcome is just above" not in "\n".join(printed)
    assert "You are chatting with the bot locally" in "\n".join(printed)
