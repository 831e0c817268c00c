"""The docker-compose deployment as an operator runs it: a learner's command is answered through the
bot, by a rootless workspace of the sandbox service; then every escape test of tests/sandbox runs again
against that lab (imported below, so pytest runs them here with this folder's fixtures): test_escapes.py and
test_learner_writes.py."""

from __future__ import annotations

import pytest
from test_escapes import *  # noqa: F403 - the same escape tests, run against the compose lab
from test_learner_writes import *  # noqa: F403
from test_root_in_a_workspace import (  # noqa: F401 - root in a workspace, packet sockets: the compose lab too
    test_a_learner_cannot_open_a_packet_socket,
    test_root_given_in_a_workspace_cannot_write_any_host_kernel_knob,
    test_the_learners_own_docker_still_works_in_a_remapped_workspace,
)

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CHAT = ("(printf '/start docker-fr\\n'; sleep 3; printf '/run id -u; df -h /workspace | tail -n 1; "
        "docker run --rm hello-world | head -n 3\\n'; sleep 20; printf '/quit\\n') "
        "| DATABASE_URL=sqlite:////tmp/chat.sqlite3 tutorbot chat")


def test_a_learner_runs_a_command_through_the_bot_in_the_compose_deployment(stack):
    output = stack.compose("exec", "-T", "bot", "sh", "-c", CHAT, timeout=120)
    assert "Hello from Docker!" in output, output[-2000:]
    assert "\n    1001\n" in output, "the command ran as the learner's unprivileged uid"
    assert "/dev/loop" in output, "the workspace's files sit on its own fixed-size disk"
    assert "✅ code 0" in output
