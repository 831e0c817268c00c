"""A checker that breaks apologises to the learner; it never tells them their exercise failed."""

from __future__ import annotations

import json
import logging

from lab_fakes import FakeLab

PS = "docker ps -a --no-trunc --format '{{json .}}'"


async def test_a_checker_that_breaks_on_unexpected_output_apologises_instead_of_failing_the_learner(
        make_harness, caplog):
    # A daemon that lists names as a JSON array: the container check was written for a string.
    odd_row = {"Names": ["eager_hopper"], "Image": "hello-world", "State": "exited", "Status": "Exited (0)"}
    lab = FakeLab(answers={PS: json.dumps(odd_row)})
    harness = await make_harness(sandbox=lab)
    api = harness.api
    lou = api.user(921, first_name="Lou")
    sent = await lou.send("/start mini")
    await api.wait_for_message(lou.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await lou.send("/exercise hello")
    await api.wait_for_message(lou.id, after=sent)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        sent = await lou.send("/check")
        answer = await api.wait_for_message(lou.id, after=sent)
    assert "Oups" in answer.text, "the learner hears that the bot failed"
    assert not any("▫️" in m.text for m in api.messages(lou.id)), "no check is reported as failed"
    [record] = [r for r in caplog.records if r.exc_info]
    assert isinstance(record.exc_info[1], AttributeError)
    assert "ran-hello" in "".join(record.exc_info[1].__notes__)


async def test_a_workspace_without_the_container_gets_the_checks_hint(make_harness):
    harness = await make_harness(sandbox=FakeLab(answers={PS: ""}))
    api = harness.api
    max_ = api.user(922, first_name="Max")
    sent = await max_.send("/start mini")
    await api.wait_for_message(max_.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await max_.send("/exercise hello")
    await api.wait_for_message(max_.id, after=sent)
    sent = await max_.send("/check")
    report = await api.wait_for_message(max_.id, after=sent)
    assert "▫️ Un conteneur hello-world a tourné" in report.text and "docker run hello-world" in report.text
