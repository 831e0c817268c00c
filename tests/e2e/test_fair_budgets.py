"""Fair budgets: a member spamming a group during a game is answered at most once a minute, so the game keeps
its messages; codes cannot be guessed fast (a few tries a minute, then a cool-down, said kindly)."""

from __future__ import annotations

from group_play import make_group, next_poll

from bot.i18n import t


def texts(api, chat_id: int, key: str) -> list[str]:
    return [m.text for m in api.messages(chat_id) if m.text == t("fr", key)]


async def test_spam_during_a_group_game_is_answered_once_and_the_admin_still_stops_the_game(make_harness):
    harness = await make_harness(fair_budgets=True)
    api = harness.api
    group, admin, (spammer, *_others) = make_group(api, -7500, 3, first_id=7500)
    start = await admin.send("/quiz now 3 60s", chat=group)
    await next_poll(api, group.id, start.message_id, timeout=20)
    for _ in range(25):
        await spammer.send("/help", chat=group)
    stop = await admin.send("/quiz stop", chat=group)  # after the spam in the group's queue: a barrier
    await api.wait_for_message(group.id, after=stop, timeout=20, predicate=lambda m: m.text == t("fr", "gq_stopped"))
    assert len(texts(api, group.id, "gq_help")) <= 1, "25 × /help during a game: one answer at most"


async def test_certificate_codes_cannot_be_guessed_fast(make_harness):
    harness = await make_harness(fair_budgets=True)
    api = harness.api
    guesser = api.user(7601, first_name="Gus")
    verdicts = []
    for attempt in range(8):
        sent = await guesser.send(f"/verify TDK-{attempt:04d}-ABCD")
        reply = await api.wait_for_message(guesser.id, after=sent, timeout=5)
        verdicts.append("cool-down" if reply.text == t("fr", "guess_cool_down") else "checked")
    assert verdicts == ["checked"] * 5 + ["cool-down"] * 3


async def test_class_join_codes_cannot_be_guessed_fast(make_harness):
    harness = await make_harness(fair_budgets=True)
    api = harness.api
    guesser = api.user(7602, first_name="Gus")
    verdicts = []
    for attempt in range(7):
        sent = await guesser.send(f"j-{attempt:022d}")
        reply = await api.wait_for_message(guesser.id, after=sent, timeout=5)
        verdicts.append({t("fr", "guess_cool_down"): "cool-down", t("fr", "join_unknown"): "checked"}.get(reply.text))
    assert verdicts == ["checked"] * 5 + ["cool-down"] * 2
