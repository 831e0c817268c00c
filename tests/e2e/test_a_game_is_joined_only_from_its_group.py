"""A group game is joined from its own lobby, by a member of the group: a Join button forged in a private chat,
in another group, or pressed by an outsider, joins nothing and puts no name on the group's boards."""

from __future__ import annotations

from bot_harness import REPO_CONTENT
from forged_presses import forge
from group_play import last_game_id, make_group
from sqlalchemy import text

SPAM = "🎁 FREE crypto → t.me/scam"


def players(engine, game_id: int) -> set[int]:  # noqa: ANN001
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(
            text("SELECT telegram_id FROM quiz_game_player WHERE game_id = :g"), {"g": game_id})}


async def test_a_forged_join_from_elsewhere_or_by_an_outsider_is_refused(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT, group_lobby_seconds=60)
    group, admin, (ana,) = make_group(local_api, -7001, 1)
    other, _other_admin, _ = make_group(local_api, -7002, 0, first_id=1100, title="Elsewhere")
    mallory = local_api.user(6666, first_name=SPAM)
    other.add(mallory)
    sent = await admin.send("/quiz 1 5s", chat=group)
    lobby = await local_api.wait_for_message(group.id, after=sent.message_id, predicate=lambda m: bool(m.buttons))
    game_id = last_game_id(bot.engine)
    join_data = lobby.buttons[0][1]
    assert str(game_id) not in join_data.split(":")[1:], "the button names no game"

    private = await mallory.send("/start")
    in_other = await mallory.send("hello", chat=other)
    for message in (private, in_other):
        for data in (join_data, f"gj:{game_id}"):
            answer = await forge(local_api, mallory, message, data)
            assert answer.show_alert and "plus valable" in answer.text, (data, answer)
    outsider = await forge(local_api, mallory, lobby, join_data)  # seen in a public group, or a forwarded lobby
    assert outsider.show_alert and "plus valable" in outsider.text

    member = await forge(local_api, ana, lobby, join_data)  # positive control: the same press by a member
    assert member.text == "Tu es dans la partie !"
    assert players(bot.engine, game_id) == {ana.id}
    assert all(SPAM not in (m.text or "") for m in local_api.messages(group.id))
