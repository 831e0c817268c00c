"""The lab's host agent: what must run on the sandbox host itself when the bot runs elsewhere.

In docker-compose the lab's Docker engine is the `sandbox` service and the bot is another container:
the bot reaches the engine through its socket, but loop-mounting a workspace's disk and adding its
firewall rules must happen inside the sandbox service (its mount namespace, its iptables). This agent
runs there, next to dockerd, and does exactly those things for the bot (and sets a started workspace's
kernel-table limits, sandbox/kernel_tables.py, which needs the engine's pid namespace), over a unix socket that
only the two services share (a volume). One JSON object a line each way; every argument is checked
against a strict pattern, so the socket gives nothing but these operations.

    python3 -m sandbox.host_agent --socket /run/tutorbot-lab/agent.sock --disk-dir /var/lib/tutorbot-lab/disks

Standard library only: the sandbox service's image has python3 and this package's stdlib modules, nothing else.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import re
import socketserver
from pathlib import Path
from typing import Any

from sandbox.errors import HostDiskFull, SandboxError
from sandbox.firewall import Firewall
from sandbox.kernel_tables import TableLimits, WorkspaceNotVisible, bound_workspace_tables
from sandbox.quota import LoopDisks

__all__ = ["Agent", "main"]

log = logging.getLogger("tutorbot.host_agent")
KEY = re.compile(r"^[0-9a-f]{12}$")
CONTAINER = re.compile(r"^[0-9a-f]{64}$")
PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
MAX_DISK = 1 << 40
MAX_ID_SHIFT = (1 << 32) - (1 << 20)  # room left above it for the workspace's own uids and subordinates


class AgentRefusal(Exception):
    pass


class Agent:
    def __init__(self, disk_dir: Path, *, firewall: bool, subnet_pool: str, proc: str = "/proc") -> None:
        self.disk_dir, self.proc = disk_dir, proc
        self.firewall = Firewall(firewall)
        self.pool = ipaddress.IPv4Network(subnet_pool)

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "ping":
            return {"ok": True}
        if op in ("provision", "release", "usage", "age", "keys"):
            return self._disk(op, request)
        if op in ("protect", "release_subnet"):
            subnet = self._subnet(request.get("subnet"))
            if op == "release_subnet":
                self.firewall.release(subnet)
            else:
                mirror = request.get("mirror_ip")
                self.firewall.protect(subnet, str(ipaddress.ip_address(mirror)) if mirror else None)
            return {"ok": True}
        if op == "bound_tables":
            return self._tables(request)
        raise AgentRefusal(f"unknown operation {op!r}")

    def _tables(self, request: dict[str, Any]) -> dict[str, Any]:
        container, pid = request.get("container_id"), request.get("pid")
        if not isinstance(container, str) or not CONTAINER.match(container):
            raise AgentRefusal("bad container id")
        if not isinstance(pid, int) or pid <= 1:
            raise AgentRefusal("bad pid")
        instances, watches = request.get("instances"), request.get("watches")
        if not (isinstance(instances, int) and isinstance(watches, int) and 1 <= min(instances, watches)
                and max(instances, watches) <= 1 << 20):
            raise AgentRefusal("bad limits")
        try:
            return {"limits": bound_workspace_tables(container, pid, TableLimits(instances, watches),
                                                         proc=self.proc)}
        except WorkspaceNotVisible as exc:
            raise AgentRefusal(str(exc)) from None

    def _disk(self, op: str, request: dict[str, Any]) -> dict[str, Any]:
        prefix = request.get("prefix", "")
        if not isinstance(prefix, str) or not PREFIX.match(prefix):
            raise AgentRefusal("bad prefix")
        size = request.get("size", 0)
        if not isinstance(size, int) or not 0 <= size <= MAX_DISK:
            raise AgentRefusal("bad size")
        shift = (request.get("uid_shift", 0), request.get("gid_shift", 0))
        if not all(isinstance(value, int) and 0 <= value <= MAX_ID_SHIFT for value in shift):
            raise AgentRefusal("bad id shift")
        disks = LoopDisks(self.disk_dir, size, prefix=prefix, id_shift=shift)
        if op == "keys":
            return {"keys": disks.keys()}
        key = request.get("key", "")
        if not isinstance(key, str) or not KEY.match(key):
            raise AgentRefusal("bad key")
        if op == "provision":
            if size <= 0:
                raise AgentRefusal("bad size")
            return {"host_dir": disks.provision(key)}
        if op == "release":
            disks.release(key)
            return {"ok": True}
        if op == "age":
            return {"age": disks.age(key)}
        usage = disks.usage(key)
        return {"used": usage.used, "size": usage.size} if usage else {"used": None}

    def _subnet(self, value: object) -> str:
        subnet = ipaddress.ip_network(str(value))
        if not isinstance(subnet, ipaddress.IPv4Network) or not subnet.subnet_of(self.pool):
            raise AgentRefusal("subnet outside the lab's pool")
        return str(subnet)


class _Handler(socketserver.StreamRequestHandler):
    agent: Agent

    def handle(self) -> None:
        line = self.rfile.readline(64 * 1024)
        try:
            answer = self.agent.handle(json.loads(line))
        except (AgentRefusal, SandboxError, ValueError, TypeError, OSError) as exc:
            log.warning("refused or failed: %s", exc)
            answer = {"error": str(exc)[:500]}
            if isinstance(exc, HostDiskFull):  # the learner is told this one in their language
                answer.update(code=exc.code.value, details=dict(exc.details))
        self.wfile.write(json.dumps(answer).encode() + b"\n")


class _Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--disk-dir", default="/var/lib/tutorbot-lab/disks")
    parser.add_argument("--subnet-pool", default="10.201.0.0/16")
    parser.add_argument("--group", type=int, default=None, help="gid allowed to use the socket (the bot's)")
    parser.add_argument("--no-firewall", action="store_true")
    parser.add_argument("--proc", default="/proc", help="a procfs whose /sys is writable (workspaces' own limits)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    _Handler.agent = Agent(Path(args.disk_dir), firewall=not args.no_firewall, subnet_pool=args.subnet_pool,
                           proc=args.proc)
    socket_path = Path(args.socket)
    socket_path.unlink(missing_ok=True)
    server = _Server(str(socket_path), _Handler)
    os.chmod(socket_path, 0o660)
    if args.group is not None:
        os.chown(socket_path, 0, args.group)
    log.info("listening on %s", socket_path)
    server.serve_forever()


if __name__ == "__main__":
    main()
