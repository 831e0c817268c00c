"""The exercise checks' own HTTP requests, marked so that the learner's logs show only the learner's.

A check such as "/api/courses/ goes through the gateway" can only be verified honestly by sending that
request through the gateway, and nginx logs every request it gets: the learner running `docker logs gateway`
would read requests they never made. So each check request carries `CHECK_MARK` as its User-Agent, as its
Referer and as a query parameter of no value (`marked_url`): nginx writes the first two in its access log and the
Referer in its error log too, servers that log no header (Python's, Node's) still write the request line, and a
proxy passes all three on to the services behind it. The lines bearing the mark are left out of the command
output the learner is shown, with a note saying how many were. A static page or an app ignores the extra query
parameter: the request is otherwise the one the learner would send.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["CHECK_MARK", "marked_url", "without_check_requests"]

CHECK_MARK = "tutorbot-check"


def marked_url(url: str) -> str:
    """`url` with the mark as one more query parameter (`/api/?tutorbot-check`)."""
    parts = urlsplit(url)
    query = f"{parts.query}&{CHECK_MARK}" if parts.query else CHECK_MARK
    return urlunsplit(parts._replace(query=query))


def without_check_requests(output: str) -> tuple[str, int]:
    """`output` without the lines the checks' requests left in logs, and how many lines were left out."""
    if CHECK_MARK not in output:
        return output, 0
    lines = output.splitlines(keepends=True)
    kept = [line for line in lines if CHECK_MARK not in line]
    return "".join(kept), len(lines) - len(kept)
