"""A private-range target that exists only on this machine: a network namespace behind a veth pair.

Two addresses in 10.254.x.y/29 (blocked by the workspace firewall like any private address), and a
listener on TCP ports 53 and 8080 of both that counts the connections it accepts, per address and port.
Packets from a workspace reach it through the host's FORWARD path (DOCKER-USER), as they would reach
a machine of the LAN, but never leave this machine.
"""

from __future__ import annotations

import ipaddress
import secrets
import subprocess
import sys
import threading
from collections import Counter

__all__ = ["PrivateTarget"]

_LISTENER = r"""
import selectors, socket, sys
sel = selectors.DefaultSelector()
for port in (53, 8080):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(512); sel.register(s, selectors.EVENT_READ)
print("listening", flush=True)
while True:
    for key, _ in sel.select():
        conn, _ = key.fileobj.accept()
        ip, port = conn.getsockname()
        conn.close()
        print(f"{ip}:{port}", flush=True)
"""


class PrivateTarget:
    def __init__(self) -> None:
        tag = secrets.token_hex(3)
        self.netns, self._host_if, self._ns_if = f"tbn{tag}", f"tbh{tag}", f"tbv{tag}"
        base = ipaddress.ip_address(f"10.254.{secrets.randbelow(256)}.{8 * secrets.randbelow(32)}")
        self.gateway, self.first, self.second = str(base + 1), str(base + 2), str(base + 3)
        self.accepted: Counter[str] = Counter()
        self._ready = threading.Event()
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> PrivateTarget:
        for argv in (["ip", "netns", "add", self.netns],
                     ["ip", "link", "add", self._host_if, "type", "veth", "peer", "name", self._ns_if,
                      "netns", self.netns],
                     ["ip", "addr", "add", f"{self.gateway}/29", "dev", self._host_if],
                     ["ip", "link", "set", self._host_if, "up"],
                     ["ip", "-n", self.netns, "addr", "add", f"{self.first}/29", "dev", self._ns_if],
                     ["ip", "-n", self.netns, "addr", "add", f"{self.second}/29", "dev", self._ns_if],
                     ["ip", "-n", self.netns, "link", "set", self._ns_if, "up"],
                     ["ip", "-n", self.netns, "link", "set", "lo", "up"]):
            subprocess.run(argv, check=True, capture_output=True)
        self._process = subprocess.Popen(["ip", "netns", "exec", self.netns, sys.executable, "-u", "-c", _LISTENER],
                                         stdout=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("the private target's listener did not start")
        return self

    def count(self, address: str, port: int) -> int:
        return self.accepted[f"{address}:{port}"]

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        subprocess.run(["ip", "link", "del", self._host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True)

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("listening"):
                self._ready.set()
            else:
                self.accepted[line.strip()] += 1
