"""A learner's build FROM an image their daemon did not have yet fails: the image it pulled for FROM stays,
so their next `docker run debian:bookworm` or rebuild does not pull it again (or find it gone)."""

from __future__ import annotations

import pytest

from sandbox.build_context import BuildContext
from sandbox.builder import failed_build_cleanup

PULLED_LOG = """Step 1/3 : FROM debian:bookworm
bookworm: Pulling from library/debian
0123456789ab: Pull complete
Digest: sha256:00
Status: Downloaded newer image for debian:bookworm
 ---> 1111aaaa2222
Step 2/3 : RUN echo un > /v
 ---> Running in 3333bbbb4444
Removing intermediate container 3333bbbb4444
 ---> 5555cccc6666
Step 3/3 : RUN false
 ---> Running in 7777dddd8888
The command '/bin/sh -c false' returned a non-zero code: 1
"""


def test_the_cleanup_of_a_failed_build_never_names_the_image_pulled_for_from():
    cleanup = failed_build_cleanup(PULLED_LOG)
    assert cleanup is not None and "5555cccc6666" in cleanup
    assert "1111aaaa2222" not in cleanup


def test_a_build_failing_on_its_pulled_from_alone_removes_nothing():
    log = PULLED_LOG.split("Step 2/3")[0] + "Step 2/3 : RUN false\n ---> Running in 3333bbbb4444\n"
    assert failed_build_cleanup(log) is None


@pytest.mark.docker
@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("learner", "base"), [(31, "debian:bookworm"), (32, "alpine:3.19")])
async def test_a_failed_build_keeps_the_base_image_it_pulled(lab, learner, base):
    absent = await lab.run_command(learner_id=learner, command=f"docker image inspect {base} >/dev/null")
    assert absent.exit_code != 0, "the base must not be in this learner's daemon yet"
    built = await lab.build(learner_id=learner, context=BuildContext.from_dockerfile(
        f"FROM {base}\nRUN echo un > /v\nRUN false\n"), tag="casse")
    assert not built.ok
    present = await lab.run_command(learner_id=learner, command=f"docker image inspect {base} --format ok")
    assert present.exit_code == 0 and present.output.strip() == "ok", present.output
    dangling = await lab.run_command(learner_id=learner, command="docker images -a -q -f dangling=true")
    assert dangling.output.split() == [], "the step's own <none> image still goes"
    await lab.reset(learner_id=learner)
