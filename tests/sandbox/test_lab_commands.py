"""A learner practises Docker in their own lab: real commands, real builds, on the real engine."""

from __future__ import annotations

import asyncio

import pytest

from sandbox.build_context import BuildContext

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_learner_runs_hello_world_then_sees_it_with_ps_all(lab):
    hello = await lab.run_command(learner_id=1, command="docker run hello-world")
    assert hello.exit_code == 0
    assert "Hello from Docker!" in hello.output
    listing = await lab.run_command(learner_id=1, command="docker ps -a")
    assert "hello-world" in listing.output and "Exited (0)" in listing.output
    running_only = await lab.run_command(learner_id=1, command="docker ps")
    assert "hello-world" not in running_only.output


async def test_the_seeds_nginx_dockerfile_builds_and_answers_inside_the_workspace(lab):
    await lab.write_files(learner_id=1, files={"index.html": b"<h1>Bienvenue sur mon site</h1>\n"})
    dockerfile = "FROM nginx\nCOPY index.html /usr/share/nginx/html/index.html\nEXPOSE 80\n"
    progress = []

    async def on_progress(step):
        progress.append(step)

    built = await lab.build(learner_id=1, context=BuildContext.from_dockerfile(dockerfile), tag="mon-site",
                            on_progress=on_progress)
    assert built.ok, built.log
    assert built.image_id.startswith("sha256:") and built.steps_total == 3
    await asyncio.sleep(0.1)
    assert [p.step for p in progress if not p.output] == [1, 2, 3], "each step once, output lines beside"
    served = await lab.run_command(
        learner_id=1, command="docker run -d -p 8080:80 --name site mon-site >/dev/null && sleep 1 && curl -s localhost:8080")
    assert "Bienvenue sur mon site" in served.output


async def test_a_failing_build_names_the_failing_step(lab):
    broken = "FROM busybox\nRUN echo avant\nRUN commande-inexistante\n"
    built = await lab.build(learner_id=1, context=BuildContext.from_dockerfile(broken))
    assert not built.ok
    assert built.failed_step == "RUN commande-inexistante"
    assert "returned a non-zero code: 127" in built.error


async def test_an_uploaded_zip_context_is_built_from_its_own_files(lab):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Dockerfile", "FROM busybox\nCOPY message.txt /message.txt\nCMD [\"cat\", \"/message.txt\"]\n")
        archive.writestr("message.txt", "depuis le zip\n")
    built = await lab.build(learner_id=1, context=BuildContext.from_archive("projet.zip", buffer.getvalue()), tag="zipped")
    assert built.ok, built.log
    ran = await lab.run_command(learner_id=1, command="docker run --rm zipped")
    assert ran.output.strip() == "depuis le zip"


async def test_a_second_command_waits_its_turn_and_the_learner_is_told(lab):
    notices = []

    async def on_queued(position, reason):
        notices.append((position, reason))

    first = asyncio.create_task(lab.run_command(learner_id=1, command="sleep 2; echo premier", on_queued=on_queued))
    await asyncio.sleep(0.3)
    second = await lab.run_command(learner_id=1, command="echo second", on_queued=on_queued)
    assert (await first).output.strip() == "premier"
    assert second.output.strip() == "second"
    assert notices == [(1, "busy")]


async def test_files_and_images_survive_a_bot_restart(lab, engine):
    from lab_support import lab_settings

    from sandbox.service import SandboxService

    await lab.run_command(learner_id=1, command="echo persistant > note.txt")
    restarted = SandboxService(lab_settings(warm_pool_size=0))
    await restarted.start()
    try:
        again = await restarted.run_command(learner_id=1, command="cat note.txt; docker images --format '{{.Repository}}'")
    finally:
        await restarted.close()
    assert "persistant" in again.output and "mon-site" in again.output
    assert restarted._slots.holds(1), "the restarted bot re-adopted the running workspace"


async def test_build_progress_is_read_from_both_builders_output():
    from sandbox.builder import BuildSteps

    async def collect():
        seen = []

        async def on_progress(step):
            seen.append((step.step, step.total, step.line))

        steps = BuildSteps(on_progress)
        for line in ["Step 1/3 : FROM nginx", " ---> 6b672e316cc6", "#6 [2/3] COPY index.html /usr/share/nginx/html/",
                     "#7 [builder 3/3] RUN make", "#7 DONE 0.1s"]:
            steps.on_line(line)
        await steps.finish()
        return seen

    assert await collect() == [(1, 3, "FROM nginx"), (2, 3, "COPY index.html /usr/share/nginx/html/"),
                                      (3, 3, "RUN make")]


async def test_a_failed_build_leaves_no_stopped_container_nor_none_image_but_keeps_the_learners_images(lab):
    """The classic builder keeps the failed step's container and the last good step's image (`<none>`):
    both go, while the learner's own images (tagged, or left untagged by their own rebuild) stay."""
    learner = 7
    assert (await lab.build(learner_id=learner, context=BuildContext.from_dockerfile(
        "FROM busybox\nRUN echo un > /v\n"), tag="mine")).ok
    assert (await lab.build(learner_id=learner, context=BuildContext.from_dockerfile(
        "FROM busybox\nRUN echo deux > /v\n"), tag="mine")).ok  # the first `mine` is now the learner's <none>
    own = await lab.run_command(learner_id=learner, command="docker images -q -f dangling=true")
    assert len(own.output.split()) == 1, own.output
    every = await lab.run_command(learner_id=learner, command="docker images -a -q | sort")
    for broken in ("FROM busybox\nRUN echo avant > /f\nRUN commande-inexistante\n",
                   "FROM busybox\nRUN echo deux > /v\nRUN echo apres > /g\nRUN false\n",  # on the cached `mine`
                   "FROM busybox\nRUN echo un > /v\nRUN echo apres > /g\nRUN false\n"):  # on the learner's <none>
        built = await lab.build(learner_id=learner, context=BuildContext.from_dockerfile(broken), tag="casse")
        assert not built.ok
        containers = await lab.run_command(learner_id=learner, command="docker ps -aq")
        assert containers.output.strip() == "", containers.output
        dangling = await lab.run_command(learner_id=learner, command="docker images -q -f dangling=true")
        assert dangling.output.split() == own.output.split(), dangling.output
        hidden = await lab.run_command(learner_id=learner, command="docker images -a -q | sort")
        assert hidden.output == every.output, "no intermediate image of the failed build is left either"
    images = await lab.run_command(learner_id=learner, command="docker images --format '{{.Repository}}'")
    assert "mine" in images.output.split() and "busybox" in images.output.split()
    assert (await lab.run_command(learner_id=learner, command="docker run --rm mine cat /v")).output.strip() == "deux"
