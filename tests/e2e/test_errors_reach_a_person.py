"""An unexpected error reaches the operator's chat (ERROR_CHAT_ID) with the update's type, the handler and the
traceback, and nothing about the learner; identical errors are grouped, one report a minute at most."""

from __future__ import annotations

from sqlalchemy import text

from bot.i18n import t

OPERATOR = 9900
HELP = "bot.handlers.fallback.show_help"


async def enrol(api, user):
    sent = await user.send("/start mini")
    return await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))


async def apology(api, user):
    sent = await user.send("/help")
    return await api.wait_for_message(user.id, after=sent, predicate=lambda m: m.text == t("fr", "internal_error"))


async def test_a_crash_is_reported_once_a_minute_grouped_and_without_the_learners_data(make_harness):
    harness = await make_harness(error_chat_id=OPERATOR)
    api = harness.api
    operator = api.user(OPERATOR, first_name="Ops")
    zoe = api.user(7401, first_name="Zoéline", username="zoeline_v")
    await enrol(api, zoe)
    with harness.engine.begin() as connection:  # the database loses a table: every update now fails
        connection.execute(text("ALTER TABLE learner RENAME TO learner_gone"))
    try:
        await apology(api, zoe)
        report = await api.wait_for_message(operator.id, timeout=5)
        assert "message" in report.text and HELP in report.text, report.text
        assert "bot/" in report.text and "learner" in report.text, "the traceback says where and what"
        for private in ("Zoéline", "zoeline_v", str(zoe.id)):
            assert private not in report.text, f"{private!r} is in the report"

        await apology(api, zoe)  # the same error again, within the minute: counted, not sent
        assert len(api.messages(operator.id)) == 1
        reports = harness.application.bot_data["error_reports"]
        assert [seen.count for seen in reports.digest.pending.values() if seen.handler == HELP] == [1]

        reports.digest.clock = lambda: 10**9  # a minute later
        await apology(api, zoe)
        grouped = await api.wait_for_message(operator.id, after=report, timeout=5)
        assert "×2" in grouped.text, grouped.text
    finally:
        with harness.engine.begin() as connection:
            connection.execute(text("ALTER TABLE learner_gone RENAME TO learner"))
