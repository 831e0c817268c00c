"""Per-workspace bounds on the kernel's per-user tables (inotify), set in the workspace's user namespace.

The kernel counts inotify instances and watches per user *and per user namespace*, up the chain of
namespaces: a process of uid U in namespace N is charged to (N, U) against N's own limit, then to the
namespace's creator in the parent, and so on up to the host. On the lab's engine (`--userns-remap`) every
workspace is a user namespace created by the engine, that is by the host's root: without a bound of its
own, every inotify instance of every workspace (its learner, its daemon, all their containers) is charged
to the host's root, against `fs.inotify.max_user_instances` (128 on Debian). One learner holding 128 left
the other workspaces, and the host's root itself, with `EMFILE`.

Each workspace's namespace gets its own limits (`/proc/sys/user/max_inotify_*` there): its learner
(uid 1001, and every user namespace the learner makes) and its daemon (uid 1000, and every container it
runs) each hold at most `limits.instances` instances and `limits.watches` watches. Only a process with
`CAP_SYS_RESOURCE` in that namespace may change them: not the workspace's root (its capabilities are
dropped), only the host's root, which enters the namespace (`setns`, in a child process: a threaded
process cannot) and writes them. The host must allow the sum (sandbox/README.md: the host's settings).

With an engine that does not remap (the host's own engine), a workspace shares the host's user namespace
and its host uids: nothing can be bounded this way, and `bound_workspace_tables` says so.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from sandbox.errors import LabUnavailable

__all__ = ["TableLimits", "WorkspaceNotVisible", "bound_workspace_tables"]

# Runs in a child: enters (CLONE_NEWUSER) the namespace whose descriptor is argv[1], writes each `name=value`
# under argv[2] (a procfs's sys/user), reads them back.
_ENTER_AND_WRITE = """
import ctypes, os, sys
if ctypes.CDLL(None, use_errno=True).setns(int(sys.argv[1]), 0x10000000) != 0:
    sys.exit("setns: " + os.strerror(ctypes.get_errno()))
for pair in sys.argv[3:]:
    name, value = pair.split("=")
    with open(sys.argv[2] + "/" + name, "w") as knob:
        knob.write(value + "\\n")
    with open(sys.argv[2] + "/" + name) as knob:
        print(name + "=" + knob.read().strip())
"""


@dataclass(frozen=True)
class TableLimits:
    """inotify instances and watches per uid of a workspace (its learner; its daemon with its containers)."""

    instances: int
    watches: int

    def knobs(self) -> dict[str, int]:
        return {"max_inotify_instances": self.instances, "max_inotify_watches": self.watches}


class WorkspaceNotVisible(Exception):
    """This process does not see the workspace's processes (another pid namespace, or not root)."""


def bound_workspace_tables(container_id: str, pid: int, limits: TableLimits, *, proc: str = "/proc"
                           ) -> dict[str, int] | None:
    """Set the limits in the user namespace of the workspace whose init is `pid`; what they now are, or None
    when the workspace has no user namespace of its own (an engine without remapping). `proc`: a writable
    procfs (the sandbox service's own /proc/sys is read-only)."""
    try:
        namespace = os.open(f"/proc/{pid}/ns/user", os.O_RDONLY)
    except OSError as exc:
        raise WorkspaceNotVisible(f"/proc/{pid}: {exc}") from None
    try:
        # The pid is the engine's: make sure it is this workspace's here too (not a process of another pid namespace).
        try:
            with open(f"/proc/{pid}/cgroup") as cgroups:
                if container_id not in cgroups.read():
                    raise WorkspaceNotVisible(f"/proc/{pid} is not container {container_id[:12]} here")
        except OSError as exc:
            raise WorkspaceNotVisible(f"/proc/{pid}: {exc}") from None
        if os.fstat(namespace).st_ino == os.stat("/proc/self/ns/user").st_ino:
            return None
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _ENTER_AND_WRITE, str(namespace), f"{proc}/sys/user",
             *(f"{name}={value}" for name, value in limits.knobs().items())],
            pass_fds=(namespace,), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
    finally:
        os.close(namespace)
    now = {name: int(value) for name, value in (line.split("=") for line in done.stdout.split())}
    if done.returncode != 0 or now != limits.knobs():
        raise LabUnavailable(f"the kernel-table limits of {container_id[:12]} could not be set: "
                             f"{done.stderr.strip() or done.stdout.strip()}")
    return now

