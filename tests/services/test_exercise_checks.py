"""A check fails when the learner's workspace says no; it never hides a bug in the checker."""

from __future__ import annotations

import json

import pytest

from bot.content.checks import ContainerCheck, ImageCheck
from bot.services.exercise_checks import Evidence, evaluate_checks

RAN_HELLO = ContainerCheck(type="container", id="ran-hello", image="hello-world", running=False,
                           description="Un conteneur hello-world a tourné", hint="Lance docker run hello-world.")
BUILT_ON_ALPINE = ImageCheck(type="image", id="on-alpine", name="mon-image", base="alpine:3.20",
                             description="mon-image part d'alpine", hint="FROM alpine:3.20")


def workspace(**outputs: str):
    """A workspace that prints `outputs[command prefix]` (exit code 0), recording what was run."""
    asked: list[str] = []

    async def run(command: str) -> tuple[int, str]:
        asked.append(command)
        return 0, next((out for prefix, out in outputs.items() if command.startswith(prefix)), "")

    run.asked = asked
    return run


async def test_a_container_that_ran_passes_and_none_fails():
    row = {"Names": "eager_hopper", "Image": "hello-world", "State": "exited", "Status": "Exited (0) 2s ago", "Ports": ""}
    ran = await evaluate_checks([RAN_HELLO], run=workspace(**{"docker ps": json.dumps(row)}), evidence=Evidence())
    empty = await evaluate_checks([RAN_HELLO], run=workspace(), evidence=Evidence())
    assert [o.passed for o in ran + empty] == [True, False]


async def test_output_the_checker_cannot_read_fails_the_check():
    garbled = workspace(**{"docker ps": "{this is not json"})
    [outcome] = await evaluate_checks([RAN_HELLO], run=garbled, evidence=Evidence())
    assert outcome.passed is False and outcome.hint == RAN_HELLO.hint


async def test_a_bug_in_a_checker_is_raised_with_the_check_named_not_reported_as_a_failed_check():
    # `docker image inspect` answers JSON without RootFS: the evaluator's KeyError is its own bug.
    inspected = workspace(**{"docker image inspect": json.dumps([{"Id": "sha256:1"}])})
    with pytest.raises(KeyError) as raised:
        await evaluate_checks([BUILT_ON_ALPINE], run=inspected, evidence=Evidence())
    assert any("on-alpine" in note for note in raised.value.__notes__)
