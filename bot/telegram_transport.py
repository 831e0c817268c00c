"""The HTTP transport to the Bot API, raising `TelegramRejected` (method + payload) on a 400.

PTB's own BadRequest only carries Telegram's description; knowing which call and which text
Telegram refused is what makes a 400 fixable from the log.
"""

from __future__ import annotations

import json

from telegram.request import BaseRequest, RequestData

from bot.telegram_errors import TelegramRejected
from bot.telegram_http import AiohttpRequest, Timeout

__all__ = ["DiagnosingRequest"]

BAD_REQUEST = 400


class DiagnosingRequest(AiohttpRequest):
    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE, write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE, pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await super().do_request(
            url, method, request_data, read_timeout=read_timeout, write_timeout=write_timeout,
            connect_timeout=connect_timeout, pool_timeout=pool_timeout,
        )
        if code != BAD_REQUEST:
            return code, payload
        try:
            answer = json.loads(payload)
        except ValueError:
            return code, payload
        if not isinstance(answer, dict) or answer.get("parameters"):  # e.g. migrate_to_chat_id: PTB's own error
            return code, payload
        parameters = request_data.parameters if request_data is not None else {}
        raise TelegramRejected(str(answer.get("description") or "Bad Request"),
                               method=url.rsplit("/", 1)[-1], payload=dict(parameters))
