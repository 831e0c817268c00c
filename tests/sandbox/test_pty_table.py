"""One learner holding every pty it can does not stop another learner's `docker run -t`.

Every workspace's ptys come from one host table (`kernel.pty.max`, of which `kernel.pty.reserve` is kept
for the host's own devpts). A private devpts with `max=` cannot bound a learner: they mount devpts
instances of their own (`docker run -t`, `unshare -Urm`), which the rootless daemon needs. What bounds a
workspace is its memory: the kernel charges each pty (about 3.4 KiB) to the workspace's memory cgroup.
So the lab's host raises the table far above what one workspace's memory can hold
(sandbox/host/lab-engine.sh: 1,048,576, the kernel's maximum). The attacker holds ptys until its memory
is nearly full; a bystander workspace then still starts a container with a terminal.

The positive control is the same attack with the host's table at the kernel's default (4,096): set for
the control only and put back at once; the attacker fills it and the bystander's `docker run -t` fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import test_root_in_a_workspace as root_tests
from neighbour_support import held, pair, put_file, sh, wait_for

from sandbox.userns import engine_id_shift

pytestmark = [pytest.mark.docker]
lab_engine, engine = root_tests.lab_engine, root_tests.engine  # the lab's engine (userns-remap), as there

# Holds up to argv[1] ptys (their masters) in as many processes as the open-file limit needs, stopping when
# the workspace's memory is 80 % used; says `holding N (why it stopped)` in argv[2]; holds them argv[3] s,
# taking back at once any pty someone else frees when it stopped because the table was full.
HOG = """
import os, resource, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
per_process = resource.getrlimit(resource.RLIMIT_NOFILE)[1] - 64
wanted, out, hold = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
memory = "/sys/fs/cgroup/memory/"
limit = int(open(memory + "memory.limit_in_bytes").read())

def full():
    return int(open(memory + "memory.usage_in_bytes").read()) > limit * 0.8

def hold_ptys(count, report):
    masters, error = [], "none"
    while len(masters) < count:
        if len(masters) % 500 == 0 and full():
            error = "memory"
            break
        try:
            master, follower = os.openpty()
        except OSError as exc:
            error = exc.strerror
            break
        os.close(follower)
        masters.append(master)
    os.write(report, f"{len(masters)} {error}\\n".encode())
    deadline = time.monotonic() + hold
    while error not in ("none", "memory") and time.monotonic() < deadline:  # the table is full: keep it full
        try:
            master, follower = os.openpty()
            os.close(follower)
            masters.append(master)
        except OSError:
            time.sleep(0.001)
    time.sleep(max(0, deadline - time.monotonic()))

reports, report = os.pipe()
total, error = 0, "none"
while total < wanted and error == "none":
    if os.fork() == 0:
        os.close(reports)
        hold_ptys(min(per_process, wanted - total), report)
        os._exit(0)
    count, error = os.read(reports, 200).decode().split(maxsplit=1)
    total, error = total + int(count), error.strip()
with open(out + ".tmp", "w") as said:
    said.write(f"holding {total} ({error})")
os.rename(out + ".tmp", out)
time.sleep(hold)
"""
HOLD_S = 90
DEFAULT_TABLE = 4096  # the kernel's default kernel.pty.max
RUN_T = "docker run --rm -t busybox echo pty-ok 2>&1"


def _sysctl(key: str) -> int:
    return int(open(f"/proc/sys/{key.replace('.', '/')}").read())


@contextmanager
def _host_table(size: int) -> Iterator[None]:
    """The host's pty table at `size` for the control only, put back as it was."""
    before = _sysctl("kernel.pty.max")
    subprocess.run(["sysctl", "-qw", f"kernel.pty.max={size}"], check=True)
    try:
        yield
    finally:
        subprocess.run(["sysctl", "-qw", f"kernel.pty.max={before}"], check=True)


def _attack(engine, attacker, bystander, wanted: int) -> tuple[int, str]:
    for workspace in (attacker, bystander):
        assert "pty-ok" in sh(engine, workspace, RUN_T)  # the image pulled, a terminal works before the attack
    put_file(engine, attacker, "/tmp/ptys.py", HOG)
    sh(engine, attacker, f"timeout {HOLD_S} python3 /tmp/ptys.py {wanted} /tmp/ptys.held {HOLD_S}", detach=True)
    return held(wait_for(engine, attacker, "cat /tmp/ptys.held 2>/dev/null", "holding"))


def test_a_learner_holding_ptys_up_to_its_memory_leaves_the_others_a_terminal(engine):
    assert engine_id_shift(engine).uid > 0, "the lab's engine must remap user namespaces (sandbox/host/lab-engine.sh)"
    table = _sysctl("kernel.pty.max") - _sysctl("kernel.pty.reserve")
    with pair(engine, "pty", command_timeout=60) as (attacker, bystander):
        count, error = _attack(engine, attacker, bystander, wanted=table)
        assert error == "memory", (count, error)  # its memory ran out, not the table
        assert count > DEFAULT_TABLE, count  # more than the whole default table: the old attack would have won
        assert _sysctl("kernel.pty.nr") < table
        assert "pty-ok" in sh(engine, bystander, RUN_T)


def test_control_with_the_default_table_one_learner_fills_it(engine):
    with pair(engine, "ptyc", command_timeout=60) as (attacker, bystander), _host_table(DEFAULT_TABLE):
        count, error = _attack(engine, attacker, bystander, wanted=DEFAULT_TABLE)
        assert error != "memory" and count < DEFAULT_TABLE, (count, error)  # the table ran out
        assert "pty-ok" not in sh(engine, bystander, RUN_T), (count, error)
