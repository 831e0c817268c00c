"""A learner leaves a server in the foreground until the time limit: it is stopped too, and the reply says what
still runs in their lab."""

from __future__ import annotations

import pytest
from bot_harness import start_harness
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from sandbox.service import SandboxService

pytestmark = pytest.mark.docker


@pytest.fixture
async def short_lab(tmp_path, local_api, clock):
    ensure_lab_prepared()
    sandbox = SandboxService(lab_settings_again(name_prefix="tblimit", command_timeout=6))
    bot = await start_harness(tmp_path, local_api, clock, sandbox=sandbox)
    yield bot
    await stop_bot(bot.application)
    await remove_the_tests_workspaces("tblimit")


async def test_the_time_limit_stops_the_foreground_server_and_names_what_still_runs(short_lab):
    api = short_lab.api
    ivy = api.user(895, first_name="Ivy")
    sent = await ivy.send("docker pull -q nginx && docker run -d --name garde busybox sleep 600")
    await api.wait_for_message(ivy.id, after=sent, timeout=60, predicate=lambda m: "code 0" in m.text)
    sent = await ivy.send("docker run --name premier-plan nginx")
    stopped = await api.wait_for_message(ivy.id, after=sent, timeout=40, predicate=lambda m: "code" in m.text)
    still = stopped.text.split("Encore en marche", 1)[1]
    assert "⏱" in stopped.text and "garde (busybox)" in still and "premier-plan" not in still
    sandbox = short_lab.application.bot_data["services"].sandbox
    left = await sandbox.run_internal(learner_id=1, command="docker ps --format '{{.Names}}'")
    assert left.output.split() == ["garde"]
