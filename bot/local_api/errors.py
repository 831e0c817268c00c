"""Bot API errors, as Telegram words them: the bot sees the same exceptions it would in production.

ApiError(status, description, retry_after)
 ├── BadRequest      400 "Bad Request: ..."
 ├── Forbidden       403 "Forbidden: ..."
 ├── NotFound        404 "Not Found"
 ├── Conflict        409 "Conflict: ..."
 ├── Unauthorized    401 "Unauthorized"
 ├── TooManyRequests 429 "Too Many Requests: retry after N"
 └── BadGateway      502 "Bad Gateway" (Telegram's servers are down for a moment)
"""

from __future__ import annotations

__all__ = ["ApiError", "BadGateway", "BadRequest", "Conflict", "Forbidden", "NotFound", "TooManyRequests", "Unauthorized"]


class ApiError(Exception):
    status = 500
    prefix = "Internal Server Error"

    def __init__(self, detail: str = "", *, retry_after: int | None = None,
                 migrate_to_chat_id: int | None = None) -> None:
        self.description = f"{self.prefix}: {detail}" if detail else self.prefix
        self.retry_after, self.migrate_to_chat_id = retry_after, migrate_to_chat_id
        super().__init__(self.description)

    def payload(self) -> dict:
        body: dict = {"ok": False, "error_code": self.status, "description": self.description}
        parameters = {key: value for key, value in (("retry_after", self.retry_after),
                                                     ("migrate_to_chat_id", self.migrate_to_chat_id))
                      if value is not None}
        if parameters:
            body["parameters"] = parameters
        return body


class BadRequest(ApiError):
    status, prefix = 400, "Bad Request"


class Unauthorized(ApiError):
    status, prefix = 401, "Unauthorized"


class Forbidden(ApiError):
    status, prefix = 403, "Forbidden"


class NotFound(ApiError):
    status, prefix = 404, "Not Found"


class Conflict(ApiError):
    status, prefix = 409, "Conflict"


class TooManyRequests(ApiError):
    status, prefix = 429, "Too Many Requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}", retry_after=retry_after)


class BadGateway(ApiError):
    status, prefix = 502, "Bad Gateway"
