"""A local Bot API started again (the bot restarted on the same database) never reuses a poll id.

Telegram's poll ids are unique for good; the bot stores the polls it sent by id, so a reused id
failed with "UNIQUE constraint failed: sentpoll.poll_id" after `tutorbot chat` was restarted.
"""

from __future__ import annotations

from bot.local_api.store import Store


def test_two_runs_of_the_local_api_give_different_poll_ids():
    first, second = Store(), Store()
    ids = {first.new_poll_id() for _ in range(100)} | {second.new_poll_id() for _ in range(100)}
    assert len(ids) == 200
    assert all(int(poll_id) < 2**63 for poll_id in ids), "ids fit Telegram's 64-bit signed range"
