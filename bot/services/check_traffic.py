"""The exercise checks' own HTTP requests, marked so that the learner's logs show only the learner's.

A check such as "/api/courses/ goes through the gateway" can only be verified honestly by sending that
request through the gateway, and nginx logs every request it gets: the learner running `docker logs gateway`
would read requests they never made. So each check request carries `CHECK_MARK` as its User-Agent and as its
Referer (nginx writes the first in its access log, the second in its error log too, and passes both on to the
services behind a proxy), and the lines bearing it are left out of the command output the learner is shown,
with a note saying how many were. The request itself is the learner's own (no marked path or query: an app
that matches its path exactly would answer differently). A server that logs no header (Python's `http.server`)
still shows the checks' requests in its log: nothing in its line tells them apart.
"""

from __future__ import annotations

__all__ = ["CHECK_MARK", "without_check_requests"]

CHECK_MARK = "tutorbot-check"


def without_check_requests(output: str) -> tuple[str, int]:
    """`output` without the lines the checks' requests left in logs, and how many lines were left out."""
    if CHECK_MARK not in output:
        return output, 0
    lines = output.splitlines(keepends=True)
    kept = [line for line in lines if CHECK_MARK not in line]
    return "".join(kept), len(lines) - len(kept)
