"""The exercise checks' own requests are marked, and the lines bearing the mark are left out of what the learner
reads of their logs; the reasons a check gives are worded in both languages with the command that fixes them."""

from __future__ import annotations

from bot.services.check_reasons import FailureReason
from bot.services.check_traffic import CHECK_MARK, without_check_requests
from bot.views.exercises import reason_text

LOG = (
    '172.17.0.1 - - [29/Nov/2026:11:12:34 +0000] "GET /api/courses/ HTTP/1.1" 200 45 "tutorbot-check" "tutorbot-check"\n'
    '172.17.0.1 - - [29/Nov/2026:11:12:35 +0000] "GET /api/courses/ HTTP/1.1" 200 45 "-" "curl/7.88.1"\n'
    '2026/11/29 11:12:36 [error] 7#7: *3 connect() failed (113: No route to host) while connecting to upstream, '
    'client: 172.17.0.1, request: "GET /api/paiements/ HTTP/1.1", referrer: "tutorbot-check"\n'
)


def test_only_the_learners_own_requests_stay_in_the_log():
    shown, hidden = without_check_requests(LOG)
    assert hidden == 2 and CHECK_MARK not in shown
    assert shown == '172.17.0.1 - - [29/Nov/2026:11:12:35 +0000] "GET /api/courses/ HTTP/1.1" 200 45 "-" "curl/7.88.1"\n'
    assert without_check_requests("hello\n") == ("hello\n", 0)


def test_a_reason_names_the_fixing_command_in_french_and_in_english():
    taken = FailureReason("port_taken", {"port": 8080, "owner": "web", "wanted": "catalogue"})
    stopped = FailureReason("upstream_not_found", {"container": "gateway", "host": "courses"})
    assert "<code>docker rm -f web</code>" in reason_text("fr", taken)
    assert "<code>docker rm -f web</code>" in reason_text("en", taken) and "Port 8080" in reason_text("en", taken)
    for lang in ("fr", "en"):
        text = reason_text(lang, stopped)
        assert "<code>docker start gateway</code>" in text and "host not found in upstream" in text
