"""Hostile learners: each gets a clear result, the others are unaffected, and the host stays clean."""

from __future__ import annotations

import asyncio
import io
import socket
import tarfile
import zipfile

import pytest
from lab_support import PREFIX, lab_settings, remove_everything

from sandbox.build_context import BuildContext
from sandbox.errors import CommandRejected, ErrorCode, InvalidBuildContext
from sandbox.service import SandboxService

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
BULLY, BYSTANDER = 11, 12


@MODULE_LOOP
async def test_a_memory_bomb_is_killed_and_the_learner_is_told(lab):
    bomb = await lab.run_command(learner_id=BULLY, command="head -c 3000m /dev/zero | tail")
    assert bomb.exit_code == 137
    assert bomb.oom_killed or bomb.timed_out
    assert (await lab.run_command(learner_id=BULLY, command="echo ok")).output.strip() == "ok"


@MODULE_LOOP
async def test_a_command_killed_by_a_signal_is_not_reported_as_out_of_memory(lab):
    killed = await lab.run_command(learner_id=BULLY, command="kill -9 $$")
    assert killed.exit_code == 137 and not killed.oom_killed and not killed.timed_out


@MODULE_LOOP
async def test_endless_output_is_cut_and_kept_small(lab):
    flood = await lab.run_command(learner_id=BULLY, command="yes 'bla bla'")
    assert flood.truncated
    assert len(flood.output.encode()) <= 70 * 1024
    assert flood.duration_s < 8, "the stream limit stops it before the time limit"


@MODULE_LOOP
async def test_a_one_megabyte_line_and_binary_output_come_back_as_clean_text(lab):
    line = await lab.run_command(learner_id=BULLY, command="head -c 1000000 /dev/zero | tr '\\0' a")
    assert max(len(row) for row in line.output.splitlines()) <= 2010
    binary = await lab.run_command(learner_id=BULLY, command="head -c 20000 /dev/urandom")
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in binary.output)


@MODULE_LOOP
async def test_sleep_infinity_is_cut_at_the_time_limit(lab):
    slow = await lab.run_command(learner_id=BULLY, command="sleep infinity")
    assert slow.timed_out and slow.exit_code == 137
    assert 7 <= slow.duration_s < 20


@MODULE_LOOP
async def test_ten_thousand_run_lines_are_refused_with_a_reason():
    with pytest.raises(InvalidBuildContext, match="instructions"):
        BuildContext.from_dockerfile("FROM busybox\n" + "RUN true\n" * 10_000)


def _tar(entries) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, body in entries:
            archive.addfile(info, io.BytesIO(body) if body is not None else None)
    return buffer.getvalue()


def _file(name: str, body: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(body)
    return info, body


def _link(name: str, target: str, hard: bool = False):
    info = tarfile.TarInfo(name)
    info.type = tarfile.LNKTYPE if hard else tarfile.SYMTYPE
    info.linkname = target
    return info, None


@pytest.mark.parametrize("entries, code", [
    ([_file("Dockerfile", b"FROM busybox\n"), _file("../../etc/cron.d/x", b"* * * * * root sh")], ErrorCode.PATH_ESCAPES),
    ([_file("Dockerfile", b"FROM busybox\n"), _file("/etc/passwd", b"x")], ErrorCode.ABSOLUTE_PATH),
    ([_file("Dockerfile", b"FROM busybox\n"), _link("etc", "/etc")], ErrorCode.LINK_ESCAPES),
    ([_file("Dockerfile", b"FROM busybox\n"), _link("shadow", "../../etc/shadow", hard=True)], ErrorCode.LINK_ESCAPES),
    ([_file("README", b"pas de Dockerfile")], ErrorCode.NO_DOCKERFILE),
])
def test_dangerous_archives_are_refused_with_a_precise_reason(entries, code):
    with pytest.raises(InvalidBuildContext) as refused:
        BuildContext.from_archive("contexte.tar.gz", _tar(entries))
    assert refused.value.code is code


def test_a_zip_bomb_is_refused_before_it_fills_memory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Dockerfile", "FROM busybox\n")
        archive.writestr("bombe.bin", b"\0" * (200 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(InvalidBuildContext) as refused:
        BuildContext.from_archive("bombe.zip", buffer.getvalue())
    assert refused.value.code is ErrorCode.UNPACKED_TOO_BIG


@MODULE_LOOP
async def test_garbage_commands_are_refused_not_run(lab):
    with pytest.raises(CommandRejected):
        await lab.run_command(learner_id=BULLY, command="   ")
    with pytest.raises(CommandRejected):
        await lab.run_command(learner_id=BULLY, command="x" * 20_000)


@MODULE_LOOP
async def test_the_hosts_docker_is_out_of_reach(lab):
    seen = await lab.run_command(learner_id=BULLY, command="docker ps -a --format '{{.Names}}'; ls /var/run")
    assert "tutorbot-mirror" not in seen.output, "the workspace's docker is its own, not the host's"


@MODULE_LOOP
async def test_privileged_containers_inside_cannot_open_the_hosts_disks(lab):
    attempt = await lab.run_command(
        learner_id=BULLY,
        command="docker run --rm --privileged busybox sh -c 'mknod /tmp/disk b 8 0 && head -c 512 /tmp/disk | wc -c'")
    assert attempt.exit_code != 0
    assert "512" not in attempt.output.split()


@MODULE_LOOP
async def test_the_host_and_another_learners_workspace_are_unreachable(lab, engine):
    await lab.run_command(learner_id=BULLY, command="true")
    serving = await lab.run_command(
        learner_id=BYSTANDER,
        command="docker run -d -p 8080:80 nginx && for i in $(seq 1 30); do "
                "curl -s -m 1 localhost:8080 | grep -qi nginx && echo pret && break; sleep 0.5; done")
    assert "pret" in serving.output, serving.output
    other = engine.containers.get(f"{PREFIX}-ws-{BYSTANDER}")
    other_ip = next(iter(other.attrs["NetworkSettings"]["Networks"].values()))["IPAddress"]
    mine = engine.containers.get(f"{PREFIX}-ws-{BULLY}")
    gateway = next(iter(mine.attrs["NetworkSettings"]["Networks"].values()))["Gateway"]
    listener = socket.socket()
    listener.bind(("0.0.0.0", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        probe = await lab.run_command(
            learner_id=BULLY,
            command=f"curl -s -m 2 -o /dev/null -w '%{{http_code}}' http://{other_ip}:8080 ; echo ' autre';"
                    f" curl -s -m 2 -o /dev/null -w '%{{http_code}}' http://{gateway}:{port} ; echo ' hote';"
                    f" curl -s -m 2 -o /dev/null -w '%{{http_code}}' http://169.254.169.254/ ; echo ' metadata'")
    finally:
        listener.close()
    assert "200 autre" not in probe.output
    assert probe.output.count("000") == 3, probe.output
    own = await lab.run_command(learner_id=BYSTANDER, command="curl -s -m 3 localhost:8080 | head -c 200")
    assert "nginx" in own.output.lower(), f"the bystander's own server still works: {own.output!r}"


@MODULE_LOOP
async def test_twenty_learners_at_once_are_all_answered_and_the_cap_holds(lab, engine):
    notices: dict[int, list[int]] = {}
    most_running = 0

    def queued_for(learner: int):
        async def on_queued(position: int, reason: str) -> None:
            notices.setdefault(learner, []).append(position)
        return on_queued

    async def count_running() -> None:
        nonlocal most_running
        while True:
            running = engine.containers.list(filters={"label": "org.tutorbot.workspace", "name": f"{PREFIX}-ws-"})
            most_running = max(most_running, len(running))
            await asyncio.sleep(0.2)

    counter = asyncio.create_task(count_running())
    try:
        results = await asyncio.gather(*(
            lab.run_command(learner_id=100 + i, command=f"echo bonjour-{i}", on_queued=queued_for(100 + i))
            for i in range(20)))
    finally:
        counter.cancel()
    assert [r.output.strip() for r in results] == [f"bonjour-{i}" for i in range(20)], results
    positions = sorted(p for learner in notices.values() for p in learner)
    assert len(notices) >= 20 - lab.settings.max_workspaces and positions[0] == 1
    assert most_running <= lab.settings.max_workspaces + 1, "a stopping workspace may overlap a starting one"


@MODULE_LOOP
async def test_when_every_slot_is_busy_learners_wait_in_line_and_are_told_their_place(engine):
    settings = lab_settings(f"{PREFIX}q", warm_pool_size=0, max_workspaces=2, evict_idle_after=1)
    small = SandboxService(settings)
    await small.start()
    notices: list[tuple[int, str]] = []

    async def on_queued(position: int, reason: str) -> None:
        notices.append((position, reason))

    try:
        results = await asyncio.gather(*(
            small.run_command(learner_id=200 + i, command=f"sleep 2; echo fini-{i}", on_queued=on_queued)
            for i in range(5)
        ))
    finally:
        await small.close()
        assert remove_everything(engine, settings) == []
    assert [r.output.strip() for r in results] == [f"fini-{i}" for i in range(5)]
    assert ("full" in {reason for _, reason in notices}) and min(p for p, _ in notices) == 1
