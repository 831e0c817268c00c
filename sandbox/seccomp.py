"""The workspaces' seccomp profile: what rootless Docker needs allowed, the kernel's riskiest parts denied.

Docker's default profile refuses the namespace and mount calls that RootlessKit and runc make in a user
namespace (they are allowed there only with CAP_SYS_ADMIN, which a workspace does not have on the host),
so workspaces cannot use it. This profile allows everything by default and denies, with EPERM, the calls
a Docker lab never needs and that are either not namespaced (keyrings, the kernel log, modules, clocks)
or large, often-exploited attack surface reachable from a user namespace (bpf, io_uring, userfaultfd,
perf events). The keyring calls answer ENOSYS, which runc takes as "no keyrings here" and carries on.

`socket()` is allowed only for the families a Docker lab uses: unix, IPv4, IPv6 and netlink (the inner
dockerd, RootlessKit, slirp4netns, iptables and `ip` need nothing else). Every other family answers
EAFNOSUPPORT, as on a kernel built without it: AF_PACKET (raw frames, a classic source of kernel bugs
reachable from `unshare -Urn`), AF_KEY, AF_ALG, AF_VSOCK, AF_TIPC, AF_RDS, Bluetooth, CAN, XDP...
The filter is inherited by every process of the workspace, inner containers included.
"""

from __future__ import annotations

import json

__all__ = ["ALLOWED_SOCKET_FAMILIES", "DENIED_SYSCALLS", "workspace_profile"]

DENIED_SYSCALLS: dict[str, tuple[str, ...]] = {
    "kernel modules and replacing the kernel": (
        "init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms",
        "kexec_load", "kexec_file_load", "reboot"),
    "kernel keyrings (not namespaced: shared with the host)": ("add_key", "request_key", "keyctl"),
    "the kernel log and accounting": ("syslog", "acct"),
    "eBPF, perf events, io_uring, userfaultfd (exploit surface)": (
        "bpf", "perf_event_open", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd"),
    "the host's clock": ("settimeofday", "clock_settime", "clock_adjtime"),
    "swap, quotas and obsolete calls": (
        "swapon", "swapoff", "quotactl", "nfsservctl", "lookup_dcookie", "uselib", "ustat", "sysfs", "_sysctl"),
    "file handles (the 'shocker' escape) and I/O ports": (
        "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "fanotify_init"),
}


# runc joins a session keyring for every container and carries on only when told the call does not exist.
NOT_IMPLEMENTED = "kernel keyrings (not namespaced: shared with the host)"
EPERM, ENOSYS, EAFNOSUPPORT = 1, 38, 97

# socket(2) families a workspace may open: AF_UNIX, AF_INET, AF_INET6, AF_NETLINK.
ALLOWED_SOCKET_FAMILIES = {1: "AF_UNIX", 2: "AF_INET", 10: "AF_INET6", 16: "AF_NETLINK"}
_HIGHEST_ALLOWED = max(ALLOWED_SOCKET_FAMILIES)


def _socket_family_rules() -> list[dict[str, object]]:
    """One rule per refused family below the highest allowed one, and one for every family above it
    (AF_PACKET is 17). libseccomp takes one comparison per argument and rule, hence the list. The
    comparisons are on 64 bits: a family with high bits set (the kernel keeps only the low 32) or a
    negative one is above 16, so refused too."""
    def refuse(family: int, op: str) -> dict[str, object]:
        return {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": EAFNOSUPPORT,
                "args": [{"index": 0, "value": family, "valueTwo": 0, "op": op}]}

    below = [refuse(family, "SCMP_CMP_EQ") for family in range(3, _HIGHEST_ALLOWED)
             if family not in ALLOWED_SOCKET_FAMILIES]
    return [*below, refuse(_HIGHEST_ALLOWED + 1, "SCMP_CMP_GE")]


def workspace_profile() -> str:
    """The profile as the JSON text Docker's `seccomp=` security option takes."""
    rules: list[dict[str, object]] = [
        {"names": sorted(names), "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSYS if reason == NOT_IMPLEMENTED else EPERM}
        for reason, names in DENIED_SYSCALLS.items()]
    return json.dumps({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [*rules, *_socket_family_rules()]})
