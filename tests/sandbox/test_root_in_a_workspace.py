"""Root in a workspace is worthless on the host, and the kernel's packet sockets are out of reach.

Someone who got uid 0 in a workspace container (here it is given deliberately: `docker exec -u 0` by the
test, the strongest a learner could get) must not reach a host-global kernel knob: the lab's engine
remaps user namespaces, so that uid 0 is an unprivileged host uid. These tests run against that engine,
started by sandbox/host/lab-engine.sh: the one CI started (`TUTORBOT_TEST_LAB_RUN`, its run folder), or
one of their own. The positive control runs the same workspace spec on the host's own engine (no
remapping, the old way), where the same uid 0 can write the same knobs.

The packet-socket test runs as a learner (root in their own user namespace, with NET_RAW there): the
workspace's seccomp filter answers "address family not supported". Its positive control is the same
workspace spec with the previous profile (no socket rule).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import subprocess
from pathlib import Path

import docker
import pytest
import pytest_asyncio
from lab_support import PREFIX, lab_settings, remove_everything
from tests_support import ensure_lab_prepared

from sandbox.config import SandboxSettings
from sandbox.prepare import check_prepared, prepare
from sandbox.recipes import standin_tags
from sandbox.seccomp import workspace_profile
from sandbox.service import SandboxService
from sandbox.userns import engine_id_shift
from sandbox.workspace_spec import WORKSPACE_IMAGE, WorkspaceDisk, create_workspace_container

LAB_ENGINE = Path(__file__).resolve().parents[2] / "sandbox" / "host" / "lab-engine.sh"
HOST_ENGINE = "unix:///var/run/docker.sock"
MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
LEARNER = 41


def _own_lab_engine() -> dict[str, str]:
    """lab-engine.sh's settings for this test session's own engine (names apart from other sessions')."""
    tag = hashlib.sha1(os.environ.get("TUTORBOT_TEST_LAB_SUFFIX", "").encode()).hexdigest()
    return {"TUTORBOT_LAB_RUN": f"/run/tutorbot-lab-test-{tag[:8]}", "TUTORBOT_LAB_DATA": "/var/lib/tutorbot-lab-test",
            "TUTORBOT_LAB_NAME": f"tbt-{tag[:6]}", "TUTORBOT_LAB_LINK": f"10.200.{int(tag[:4], 16) % 250}.0/30",
            "SANDBOX_DISK_DIR": f"/var/lib/tutorbot-lab-test-disks-{tag[:8]}"}


@pytest.fixture(scope="module")
def lab_engine():
    """(run folder, client) of a lab engine with userns-remap, prepared; the one CI started, or our own."""
    given = os.environ.get("TUTORBOT_TEST_LAB_RUN")
    env = {**os.environ, **_own_lab_engine()}
    if not given:
        subprocess.run([str(LAB_ENGINE), "start"], env=env, check=True, capture_output=True, timeout=120)
    run = Path(given or env["TUTORBOT_LAB_RUN"])
    saved = {key: os.environ.get(key) for key in ("DOCKER_HOST", "SANDBOX_HOST_AGENT")}
    try:
        host = ensure_lab_prepared()
        os.environ["DOCKER_HOST"], os.environ["SANDBOX_HOST_AGENT"] = f"unix://{run}/docker.sock", str(run / "agent.sock")
        client = docker.from_env(timeout=600)
        if not check_prepared(client).ok:  # its images come from the host's engine, as tests/deploy does
            refs = [WORKSPACE_IMAGE, *(ref for refs in standin_tags().values() for ref in refs)]
            saved_images = subprocess.Popen(["docker", "-H", HOST_ENGINE, "save", *refs], stdout=subprocess.PIPE)
            subprocess.run(["docker", "load", "-q"], stdin=saved_images.stdout, check=True, capture_output=True,
                           timeout=600)
            saved_images.wait(timeout=60)
            prepare(client, cache_dir=Path(os.environ.get("TUTORBOT_CACHE_DIR") or Path.home() / ".cache" / "tutorbot"))
        del host
        yield run, client
        remove_everything(client, lab_settings(PREFIX, host_agent=str(run / "agent.sock")))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if not given:
            subprocess.run([str(LAB_ENGINE), "stop"], env=env, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def engine(lab_engine) -> docker.DockerClient:
    return lab_engine[1]


@pytest.fixture(scope="module")
def control_engine(lab_engine) -> docker.DockerClient:
    """The host's own engine: no user namespace there."""
    return docker.DockerClient(base_url=HOST_ENGINE, timeout=600)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab(lab_engine):
    # A first pull from the mirror may take longer than the suite's 8 s on a loaded 2-core machine.
    service = SandboxService(lab_settings(PREFIX, host_agent=str(lab_engine[0] / "agent.sock"), command_timeout=60))
    await service.start()
    yield service
    await service.close()

# Host-global knobs (the same for every namespace): opened for writing, never written.
HOST_KNOBS = ("kernel/core_pattern", "kernel/printk_ratelimit", "kernel/randomize_va_space",
              "vm/stat_interval", "vm/overcommit_memory", "fs/file-max")
OPEN_FOR_WRITING = "; ".join(f"(: >> /proc/sys/{knob}) 2>/dev/null && echo writable:{knob}" for knob in HOST_KNOBS)
# A real write of a harmless host-global knob (vmstat's update interval, in seconds), undone at once.
WRITE_AND_RESTORE = ("f=/proc/sys/vm/stat_interval; v=$(cat $f); "
                     "if { echo $((v + 1)) > $f; } 2>/dev/null; then got=$(cat $f); echo $v > $f; echo changed:$v:$got; fi")
ATTACK = f"echo uid=$(id -u); {OPEN_FOR_WRITING}; {WRITE_AND_RESTORE}; true"


def _as_root(client: docker.DockerClient, container_id: str, script: str) -> str:
    run = client.api.exec_create(container_id, ["sh", "-c", script], user="0")
    return client.api.exec_start(run["Id"]).decode(errors="replace")


class OldSpecWorkspace:
    """The lab's workspace spec on the host's engine (made and removed here)."""

    def __init__(self, client: docker.DockerClient) -> None:
        self.client = client
        token = secrets.token_hex(4)
        self.volumes = [client.volumes.create(f"{PREFIX}-old-{kind}-{token}").name for kind in ("docker", "files")]
        self.id = create_workspace_container(
            client, SandboxSettings(), name=f"{PREFIX}-old-spec-{token}", network="none",
            disk=WorkspaceDisk(docker_volume=self.volumes[0], files_volume=self.volumes[1]),
            labels={"org.tutorbot.test": "old-spec"}, mirror_url="")
        client.api.start(self.id)

    def sh(self, script: str, *, user: str) -> str:
        run = self.client.api.exec_create(self.id, ["sh", "-c", script], user=user)
        return self.client.api.exec_start(run["Id"]).decode(errors="replace")

    def __enter__(self) -> OldSpecWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.api.remove_container(self.id, force=True, v=True)
        for volume in self.volumes:
            self.client.volumes.get(volume).remove(force=True)


@MODULE_LOOP
async def test_root_given_in_a_workspace_cannot_write_any_host_kernel_knob(lab, engine, control_engine):
    assert engine_id_shift(engine).uid > 0, "the lab's engine must remap user namespaces (sandbox/host/lab-engine.sh)"
    await lab.run_command(learner_id=LEARNER, command="true")
    workspace = engine.containers.get(f"{PREFIX}-ws-{LEARNER}")
    before = {knob: open(f"/proc/sys/{knob}").read() for knob in HOST_KNOBS}

    output = _as_root(engine, workspace.id, ATTACK)
    assert "uid=0" in output.split(), output  # the attacker really is uid 0 in the workspace
    assert "writable:" not in output and "changed:" not in output, output
    assert {knob: open(f"/proc/sys/{knob}").read() for knob in HOST_KNOBS} == before

    # Positive control: the same spec on an engine without remapping; its uid 0 can write all of them.
    with OldSpecWorkspace(control_engine) as old:
        output = old.sh(ATTACK, user="0")
    assert "uid=0" in output.split(), output
    assert all(f"writable:{knob}" in output for knob in HOST_KNOBS), output
    assert "changed:" in output, output
    assert {knob: open(f"/proc/sys/{knob}").read() for knob in HOST_KNOBS} == before, "the control restores"


@MODULE_LOOP
async def test_the_learners_own_docker_still_works_in_a_remapped_workspace(lab):
    result = await lab.run_command(learner_id=LEARNER, command="docker run --rm busybox echo inner-ok && docker info "
                                   "--format '{{.SecurityOptions}}'")
    assert "inner-ok" in result.output and "rootless" in result.output, result.output


# AF_PACKET (17), SOCK_RAW (3): from the learner's own user and network namespace, where they hold NET_RAW.
PERL_PACKET = "unshare -Urn perl -e 'socket(my $s, 17, 3, 0) or die qq(refused: $!\\n); print qq(opened\\n)' 2>&1"
ARPING_PACKET = "docker run --rm busybox arping -c 1 -w 1 -I lo 127.0.0.1 2>&1"


@MODULE_LOOP
async def test_a_learner_cannot_open_a_packet_socket(lab, control_engine, monkeypatch):
    result = await lab.run_command(learner_id=LEARNER, command=f"{PERL_PACKET}; {ARPING_PACKET}; true")
    assert "refused: Address family not supported" in result.output, result.output
    assert "arping: socket: Address family not supported" in result.output, result.output
    assert "opened" not in result.output, result.output

    # Positive control: the same workspace spec with the previous profile (no socket rule), the same
    # learner: the packet socket opens.
    previous = json.loads(workspace_profile())
    previous["syscalls"] = [rule for rule in previous["syscalls"] if rule["names"] != ["socket"]]
    monkeypatch.setattr("sandbox.workspace_spec.workspace_profile", lambda: json.dumps(previous))
    with OldSpecWorkspace(control_engine) as old:
        output = old.sh(PERL_PACKET, user="learner")
    assert "opened" in output, output
