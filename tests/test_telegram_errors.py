"""Telegram's errors sorted the one way handlers and jobs share: a 400 is never an outage."""

from __future__ import annotations

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram_errors import Failure, TelegramRejected, classify, describe


@pytest.mark.parametrize(("error", "failure"), [
    (Forbidden("bot was blocked by the user"), Failure.BLOCKED),
    (BadRequest("message is too long"), Failure.REJECTED),
    (TelegramRejected("message is too long", method="sendMessage", payload={}), Failure.REJECTED),
    (RetryAfter(3), Failure.FLOOD),
    (TimedOut(), Failure.UNREACHABLE),
    (NetworkError("connection reset"), Failure.UNREACHABLE),
    (ValueError("a bug"), None),
])
def test_each_telegram_error_has_one_meaning(error, failure):
    assert classify(error) is failure


def test_a_refused_call_is_described_with_its_method_and_a_shortened_payload():
    error = TelegramRejected("message is too long", method="sendMessage", payload={"chat_id": 7, "text": "x" * 5000})
    text = describe(error)
    assert text.startswith("sendMessage refused (message is too long)")
    assert '"chat_id": 7' in text and len(text) < 800
