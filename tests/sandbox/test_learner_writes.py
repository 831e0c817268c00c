"""A hostile learner plants symlinks where the bot puts files (an upload's `contexte`, an exercise's folders),
and nothing is written outside what the learner could write anyway: the bot's writes are the learner's own.

Issue #18: the host engine's `put_archive` (root on the host) followed a planted `contexte/etc -> /etc`, replaced
the workspace's /etc/passwd and made `learner` uid 0. The positive control writes the same archives the old way
(host-root `put_archive`) into a throw-away container of the workspace image, where the files are replaced: the
probes can see the escape.
"""

from __future__ import annotations

import io
import secrets
import tarfile

import pytest
from lab_support import PREFIX

from bot.services.lab import LabRefusal, run_build
from bot.views.lab import refusal_text
from sandbox.build_context import read_upload
from sandbox.errors import ErrorCode, FilesNotWritten
from sandbox.learner_writes import files_tar
from sandbox.names import WORKSPACE_IMAGE
from sandbox.results import BuildResult

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
PLANTER, RACER, SETTER = 41, 42, 43
EVIL_PASSWD = b"root:x:0:0:root:/root:/bin/sh\nlearner:x:0:0:pwned:/home/learner:/bin/sh\n"
EVIL_PRELOAD = b"/workspace/evil.so\n"


def _upload() -> bytes:
    """The issue's archive: a Dockerfile and `etc/passwd`, with no folder entry for `etc`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, body in (("Dockerfile", b"FROM busybox\nCOPY etc/passwd /copie\n"), ("etc/passwd", EVIL_PASSWD)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def _read(engine, container_id: str, path: str) -> bytes | None:
    """A file of the container as the host's engine reads it (None: absent)."""
    try:
        stream, _ = engine.api.get_archive(container_id, path)
    except Exception:  # noqa: BLE001 - NotFound
        return None
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
        member = archive.next()
        handle = archive.extractfile(member) if member is not None else None
        return handle.read() if handle is not None else None


async def _workspace(lab, engine, learner: int) -> str:
    await lab.run_command(learner_id=learner, command="true")
    return engine.containers.get(f"{PREFIX}-ws-{learner}").id


async def _still_unprivileged(lab, engine, learner: int, container_id: str, passwd: bytes) -> None:
    assert _read(engine, container_id, "/etc/passwd") == passwd, "the workspace's /etc/passwd was replaced"
    assert _read(engine, container_id, "/etc/ld.so.preload") is None
    assert (await lab.run_command(learner_id=learner, command="id -u")).output.strip() == "1001"


@MODULE_LOOP
async def test_an_upload_over_a_planted_etc_symlink_never_touches_the_workspaces_passwd(lab, engine, control_engine):
    workspace = await _workspace(lab, engine, PLANTER)
    passwd = _read(engine, workspace, "/etc/passwd")
    context = await read_upload("contexte.tar.gz", _upload())

    # The steps: the learner's own 0755 folder with a link to /etc. The learner's tar empties it first.
    await lab.run_command(learner_id=PLANTER, command="mkdir -p contexte && ln -s /etc contexte/etc && chmod 0755 contexte")
    built = await run_build(sandbox=lab, learner_id=PLANTER, context=context, tag="essai", on_progress=None,
                            on_queued=None)
    assert isinstance(built, BuildResult) and built.ok, built
    await _still_unprivileged(lab, engine, PLANTER, workspace, passwd)
    inside = await lab.run_command(learner_id=PLANTER, command="test -d contexte/etc && ! test -L contexte/etc && "
                                                               "cat contexte/etc/passwd")
    assert "pwned" in inside.output, "the upload landed in the learner's own folder"

    # The same link in a folder a container made (uid 1000, 0755): the learner cannot empty it, and is told.
    await lab.run_command(learner_id=PLANTER, command="rm -rf contexte && docker run --rm -v /workspace:/w busybox "
                                                      "sh -c 'mkdir /w/contexte && ln -s /etc /w/contexte/etc && "
                                                      "chmod 0755 /w/contexte'")
    refused = await run_build(sandbox=lab, learner_id=PLANTER, context=context, tag="essai", on_progress=None,
                              on_queued=None)
    assert isinstance(refused, LabRefusal) and refused.code is ErrorCode.FILES_NOT_WRITTEN, refused
    told = refusal_text("fr", refused)
    assert "contexte" in told and "/reset" in told, told
    await _still_unprivileged(lab, engine, PLANTER, workspace, passwd)

    # Positive control: the old writer (the host engine's put_archive, root on the host) follows the same link.
    with _ThrowAway(control_engine) as old:
        old.sh("mkdir -p /workspace/contexte && ln -s /etc /workspace/contexte/etc && chmod 0755 /workspace/contexte")
        assert context.archive is not None
        control_engine.api.put_archive(old.id, "/workspace/contexte", context.archive)
        assert _read(control_engine, old.id, "/etc/passwd") == EVIL_PASSWD, "the control failed: nothing replaced"
        old.sh("ln -s /etc /workspace/v1")
        control_engine.api.put_archive(old.id, "/workspace", files_tar({"v1/ld.so.preload": EVIL_PRELOAD}))
        assert _read(control_engine, old.id, "/etc/ld.so.preload") == EVIL_PRELOAD


@MODULE_LOOP
async def test_a_detached_container_replanting_the_link_while_the_bot_rebuilds_the_folder_never_wins(lab, engine):
    workspace = await _workspace(lab, engine, RACER)
    passwd = _read(engine, workspace, "/etc/passwd")
    context = await read_upload("contexte.tar.gz", _upload())
    await lab.run_command(
        learner_id=RACER,
        command="docker run -d --name replanter -v /workspace:/w busybox sh -c "
                "'while true; do mkdir -p /w/contexte; ln -sfn /etc /w/contexte/etc; done' >/dev/null")
    try:
        outcomes = []
        for _ in range(3):
            outcome = await run_build(sandbox=lab, learner_id=RACER, context=context, tag="essai", on_progress=None,
                                      on_queued=None)
            outcomes.append(outcome.code if isinstance(outcome, LabRefusal) else "built")
            await _still_unprivileged(lab, engine, RACER, workspace, passwd)
        assert set(outcomes) <= {"built", ErrorCode.FILES_NOT_WRITTEN}, outcomes
        running = await lab.run_command(learner_id=RACER, command="docker ps -q --filter name=replanter")
        assert running.output.strip(), "the racer ran all along"
    finally:
        await lab.run_command(learner_id=RACER, command="docker rm -f replanter >/dev/null")


@pytest.mark.parametrize("planted, files, written", [
    ("ln -s /etc v1", {"v1/passwd": EVIL_PASSWD}, "/etc/passwd"),
    ("ln -s /etc v1", {"v1/ld.so.preload": EVIL_PRELOAD}, "/etc/ld.so.preload"),
    ("mkdir -p v1 && ln -sfn /etc/passwd v1/Dockerfile", {"v1/Dockerfile": EVIL_PASSWD}, "/etc/passwd"),
])
@MODULE_LOOP
async def test_an_exercises_set_up_files_never_follow_a_learners_link_out_of_their_folder(
        lab, engine, planted, files, written):
    workspace = await _workspace(lab, engine, SETTER)
    passwd = _read(engine, workspace, "/etc/passwd")
    await lab.run_command(learner_id=SETTER, command=f"rm -rf v1; {planted}")
    try:
        await lab.write_files(learner_id=SETTER, files=files)
    except FilesNotWritten as refused:
        assert refused.name == "v1"
        assert "rm -rf v1" in refusal_text("en", LabRefusal.of(refused))
    else:  # the learner's tar replaced their own link by a file of their own
        listed = await lab.run_command(learner_id=SETTER, command="ls -ln v1/Dockerfile")
        assert listed.output.startswith("-rw") and " 1001 " in listed.output, listed.output
    await _still_unprivileged(lab, engine, SETTER, workspace, passwd)
    assert _read(engine, workspace, written) in (None, passwd)


class _ThrowAway:
    """A container of the workspace image with the old way of writing into it (the host engine's put_archive),
    removed on exit, never a learner's workspace: read-only root, /workspace on a volume, as a workspace."""

    def __init__(self, client) -> None:
        self.client = client
        host_config = client.api.create_host_config(read_only=True, network_mode="none", mem_limit="128m")
        created = client.api.create_container(WORKSPACE_IMAGE, entrypoint=["sleep", "infinity"], user="1001",
                                              volumes=["/workspace"], host_config=host_config,
                                              name=f"tutorbot-oldwriter-{secrets.token_hex(4)}",
                                              labels={"org.tutorbot.test": "old-writer"})
        self.id = created["Id"]
        client.api.start(self.id)

    def sh(self, script: str) -> None:
        exec_id = self.client.api.exec_create(self.id, ["sh", "-c", script], user="1001")["Id"]
        output = self.client.api.exec_start(exec_id)
        assert self.client.api.exec_inspect(exec_id)["ExitCode"] == 0, output

    def __enter__(self) -> _ThrowAway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.api.remove_container(self.id, force=True, v=True)
