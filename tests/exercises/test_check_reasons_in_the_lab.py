"""The mistakes of the shop and gateway exercises that the lab can explain, run in a real workspace: the failing
check carries the reason, and the command the reason suggests makes every check pass."""

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
MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
pytestmark = [pytest.mark.docker, MODULE_LOOP]
LEARNER = 5900


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab():
    ensure_lab_prepared()
    service = SandboxService(lab_settings_again(name_prefix="tbreason", command_timeout=120))
    await service.start()
    yield service
    await service.reset(learner_id=LEARNER)
    await service.close()


async def checked_after(lab: SandboxService, exercise_id: str, commands: list[str], *, fresh: bool = True):
    exercise = COURSE.exercise(exercise_id)
    if fresh:
        await lab.reset(learner_id=LEARNER)
        if exercise.setup is not None and exercise.setup.files:
            await lab.write_files(learner_id=LEARNER, files={k: v.encode() for k, v in exercise.setup.files.items()})
    for command in commands:
        await lab.run_command(learner_id=LEARNER, command=command)

    async def run(command: str) -> tuple[int, str]:
        result = await lab.run_internal(learner_id=LEARNER, command=command, timeout=60)
        return result.exit_code, result.output

    return {o.check_id: o for o in await evaluate_checks(exercise.checks, run=run, evidence=Evidence())}


def mistake(exercise_id: str, fails: str, words: str):
    exercise = COURSE.exercise(exercise_id)
    return next(w for w in exercise.wrong_attempts if w.fails == fails and words in w.description)


async def test_another_container_on_the_catalogues_port_is_named_and_freed(lab):
    wrong = mistake("microservices-shop", "catalogue-answers", "autre conteneur")
    outcomes = await checked_after(lab, "microservices-shop", list(wrong.commands))
    for check_id in ("catalogue-up", "catalogue-answers"):
        reason = outcomes[check_id].reason
        assert not outcomes[check_id].passed and reason is not None and reason.code == "port_taken"
        assert reason.values == {"port": 8080, "owner": "web", "wanted": "catalogue"}
    outcomes = await checked_after(lab, "microservices-shop", [
        "docker rm -f web", "docker rm -f catalogue", "docker run -d --name catalogue -p 8080:80 nginx"], fresh=False)
    assert all(o.passed for o in outcomes.values()), outcomes


async def test_services_recreated_behind_the_gateway_ask_for_a_gateway_restart(lab):
    wrong = mistake("api-gateway", "route-courses", "recréés")
    outcomes = await checked_after(lab, "api-gateway", list(wrong.commands))
    first = next(o for o in outcomes.values() if not o.passed)
    assert first.check_id == "route-courses" and first.reason is not None, outcomes
    assert first.reason.code == "stale_upstreams" and first.reason.values["container"] == "gateway"
    outcomes = await checked_after(lab, "api-gateway", ["docker restart gateway", "sleep 1"], fresh=False)
    assert all(o.passed for o in outcomes.values()), outcomes


async def test_a_gateway_started_before_its_services_is_explained(lab):
    outcomes = await checked_after(lab, "api-gateway", [
        "docker network create boutique",
        "docker run -d --name gateway --network boutique -p 8080:80 "
        "-v $PWD/gateway.conf:/etc/nginx/conf.d/default.conf nginx",
        "docker run -d --name courses --network boutique -v $PWD/courses:/usr/share/nginx/html nginx",
        "docker run -d --name paiement --network boutique -v $PWD/paiement:/usr/share/nginx/html nginx"])
    first = next(o for o in outcomes.values() if not o.passed)
    assert first.check_id == "gateway-up" and first.reason is not None, outcomes
    assert first.reason.code == "upstream_not_found" and first.reason.values["host"] in ("courses", "paiement")
    outcomes = await checked_after(lab, "api-gateway", ["docker start gateway", "sleep 1"], fresh=False)
    assert all(o.passed for o in outcomes.values()), outcomes
