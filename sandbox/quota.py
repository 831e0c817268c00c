"""A hard disk quota per workspace: its own fixed-size ext4 filesystem on the sandbox host.

Each workspace gets `<disk_dir>/<key>.img` (sparse), formatted ext4 and loop-mounted at
`<disk_dir>/<key>/`, holding `docker/` (the rootless daemon's data) and `workspace/` (the learner's
files). The kernel enforces the size: a write past it fails with "No space left on device", whatever
the learner runs, and `docker system prune` really frees space. Usage is read on the host with
statvfs, never by a program inside the workspace.

This needs the sandbox host's root (losetup, mount), so it runs where the Docker daemon runs: in the
bot for a local daemon, or in the sandbox service's host agent in docker-compose (sandbox/host_agent.py).
Elsewhere, `SANDBOX_DISK_QUOTA=volume` keeps the data on named volumes measured from the host daemon.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import LabUnavailable
from sandbox.host_space import ensure_room

__all__ = ["DiskUsage", "LoopDisks", "loop_quota_possible"]

log = logging.getLogger(__name__)
DAEMON_UID, LEARNER_UID, SHARED_GID = 1000, 1001, 1000
_TOOLS = ("losetup", "mkfs.ext4", "mount", "umount")
LOOP_CTL_GET_FREE = 0x4C82


@dataclass(frozen=True)
class DiskUsage:
    used: int
    size: int



def loop_quota_possible(docker_host: str | None) -> bool:
    """True when the daemon is on this machine and this process may loop-mount (root, tools present)."""
    local = not docker_host or docker_host.startswith("unix://")
    return local and os.geteuid() == 0 and all(shutil.which(tool) for tool in _TOOLS) \
        and Path("/dev/loop-control").exists()


class LoopDisks:
    """The lab's workspace filesystems: `<root>/<prefix>-<key>.img`, mounted at `<root>/<prefix>-<key>/`."""

    def __init__(self, root: Path, size_bytes: int, *, prefix: str, id_shift: tuple[int, int] = (0, 0)) -> None:
        """`id_shift`: the host uid and gid of a workspace's uid/gid 0 when the engine remaps user
        namespaces (sandbox/userns.py); the disk's folders belong to the workspace's uids as the host sees them."""
        self.root, self.size, self.prefix = root, size_bytes, prefix
        self.uid_shift, self.gid_shift = id_shift

    def image(self, key: str) -> Path:
        return self.root / f"{self.prefix}-{key}.img"

    def mountpoint(self, key: str) -> Path:
        return self.root / f"{self.prefix}-{key}"

    def provision(self, key: str) -> str:
        """Create (or re-mount after a host restart) the workspace's filesystem; returns its host folder."""
        mountpoint = self.mountpoint(key)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        image = self.image(key)
        ensure_room(self.root, 0 if image.exists() else self.size, prefix=self.prefix)  # before a start too
        if os.path.ismount(mountpoint):
            return str(mountpoint)
        if not image.exists():
            with open(image, "wb") as handle:
                handle.truncate(self.size)
            # -m 0: no blocks kept for root (nobody is root in a workspace); discard returns freed blocks.
            _run("mkfs.ext4", "-q", "-F", "-m", "0", "-E", "nodiscard,lazy_itable_init=1,lazy_journal_init=1",
                 str(image))
        mountpoint.mkdir(exist_ok=True, mode=0o700)
        # direct I/O: the image's blocks are not cached a second time in the host's page cache, and a disk
        # fill does not turn into a burst of host writeback that stalls everyone else.
        device = self._attach(image)
        try:
            _run("mount", "-o", "discard,nosuid,nodev", device, str(mountpoint))
        except LabUnavailable:
            subprocess.run(["losetup", "-d", device], capture_output=True)
            raise
        for name, uid, mode in (("docker", DAEMON_UID, 0o710), ("workspace", LEARNER_UID, 0o2775)):
            folder = mountpoint / name
            folder.mkdir(exist_ok=True)
            os.chown(folder, self.uid_shift + uid, self.gid_shift + SHARED_GID)
            os.chmod(folder, mode)
        shutil.rmtree(mountpoint / "lost+found", ignore_errors=True)
        os.chmod(mountpoint, 0o755)
        return str(mountpoint)

    def release(self, key: str) -> None:
        """Unmount and delete the workspace's filesystem (its container must be gone)."""
        mountpoint = self.mountpoint(key)
        if os.path.ismount(mountpoint):
            done = subprocess.run(["umount", str(mountpoint)], capture_output=True, text=True)
            if done.returncode != 0:
                subprocess.run(["umount", "-l", str(mountpoint)], capture_output=True)
        image = self.image(key)
        if image.exists():  # mounted from a device of our own, so no autoclear: detach it
            attached = subprocess.run(["losetup", "-j", str(image)], capture_output=True, text=True).stdout
            for line in attached.splitlines():
                subprocess.run(["losetup", "-d", line.split(":", 1)[0]], capture_output=True)
        try:
            mountpoint.rmdir()
        except OSError:
            pass
        image.unlink(missing_ok=True)

    def _attach(self, image: Path) -> str:
        """A free loop device attached to the image. The device node is made when missing: a container
        (the sandbox service) sees only the nodes that existed when it started."""
        for _ in range(5):
            control = os.open("/dev/loop-control", os.O_RDWR)
            try:
                number = fcntl.ioctl(control, LOOP_CTL_GET_FREE)
            finally:
                os.close(control)
            device = f"/dev/loop{number}"
            if not os.path.exists(device):
                os.mknod(device, 0o660 | stat.S_IFBLK, os.makedev(7, number))
            try:
                _run("losetup", "--direct-io=on", device, str(image))
                return device
            except LabUnavailable:
                time.sleep(0.05)  # taken by a concurrent creation: ask for another one
        raise LabUnavailable(f"no free loop device for {image.name}")

    def age(self, key: str) -> float:
        """Seconds since the workspace's filesystem was made or last mounted."""
        return time.time() - self.image(key).stat().st_mtime

    def keys(self) -> list[str]:
        """Workspace keys of this lab that have a filesystem (a longer prefix is another lab's)."""
        if not self.root.exists():
            return []
        found = (path.stem.removeprefix(f"{self.prefix}-") for path in self.root.glob(f"{self.prefix}-*.img"))
        return [key for key in found if "-" not in key]

    def usage(self, key: str) -> DiskUsage | None:
        mountpoint = self.mountpoint(key)
        if not os.path.ismount(mountpoint):
            return None
        stats = os.statvfs(mountpoint)
        size = stats.f_blocks * stats.f_frsize
        return DiskUsage(used=size - stats.f_bfree * stats.f_frsize, size=size)


def _run(*args: str) -> str:
    done = subprocess.run(list(args), capture_output=True, text=True)
    if done.returncode != 0:
        raise LabUnavailable(f"{' '.join(args[:2])} failed: {done.stderr.strip()[:300]}")
    return done.stdout
