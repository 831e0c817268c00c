"""Every exercise of the course verifies itself in a real workspace.

The seeds' reference solution passes all checks; a typical wrong attempt fails the check it
names, so the learner gets that check's hint. This runs the course exactly as a learner would:
setup files, their files, their commands (Dockerfiles built in their own daemon).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_asyncio
from tests_sandbox_settings import lab_settings_again
from tests_support import ensure_lab_prepared

from bot.content import load_catalog
from bot.services.exercise_checks import Evidence, evaluate_checks
from sandbox.service import SandboxService

COURSE = load_catalog(Path(__file__).resolve().parents[2] / "content").courses["docker-fr"]
EXERCISES = [COURSE.exercise(exercise_id) for module in COURSE.modules for exercise_id in module.exercises]
MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
pytestmark = pytest.mark.docker  # each exercise runs in a real workspace


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab():
    ensure_lab_prepared()
    service = SandboxService(lab_settings_again(name_prefix="tbex", command_timeout=300, memory="1g", pids=1024,
                                                disk_limit="5g", max_workspaces=4, output_limit=256 * 1024))
    await service.start()
    yield service
    await service.close()


async def attempt(lab: SandboxService, learner_id: int, exercise, files: dict, commands: list[str]):
    """Fresh workspace, exercise setup, then the learner's files and commands; returns the check outcomes."""
    await lab.reset(learner_id=learner_id)
    if exercise.setup is not None:
        if exercise.setup.files:
            await lab.write_files(learner_id=learner_id, files={k: v.encode() for k, v in exercise.setup.files.items()})
        for command in exercise.setup.commands:
            await lab.run_internal(learner_id=learner_id, command=command, timeout=300)
    if files:
        await lab.write_files(learner_id=learner_id, files={k: v.encode() for k, v in files.items()})
    log = []
    for command in commands:
        result = await lab.run_command(learner_id=learner_id, command=command)
        log.append(f"$ {command} -> {result.exit_code}\n{result.output[-800:]}")

    async def run(command: str) -> tuple[int, str]:
        result = await lab.run_internal(learner_id=learner_id, command=command, timeout=60)
        return result.exit_code, result.output

    dockerfile = files.get("Dockerfile") or (exercise.setup.files.get("Dockerfile") if exercise.setup else None)
    outcomes = await evaluate_checks(exercise.checks, run=run,
                                     evidence=Evidence(commands=tuple(commands), last_dockerfile=dockerfile))
    return outcomes, "\n".join(log)


@MODULE_LOOP
@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
async def test_the_reference_solution_passes_and_a_typical_mistake_gets_its_hint(lab, exercise):
    learner_id = 5000 + EXERCISES.index(exercise)
    try:
        outcomes, log = await attempt(lab, learner_id, exercise, dict(exercise.solution.files or {}),
                                      list(exercise.solution.commands))
        failed = [o.check_id for o in outcomes if not o.passed]
        assert failed == [], f"the solution of {exercise.id} fails {failed}\n{log}"

        wrong = exercise.wrong_attempts[0]
        outcomes, log = await attempt(lab, learner_id, exercise, dict(wrong.files or {}), list(wrong.commands or []))
        by_id = {o.check_id: o for o in outcomes}
        assert not by_id[wrong.fails].passed, f"{exercise.id}: the mistake should fail {wrong.fails}\n{log}"
        first_failure = next(o for o in outcomes if not o.passed)
        assert first_failure.hint, "the learner is shown a hint for the first failing check"
    finally:
        await lab.reset(learner_id=learner_id)
