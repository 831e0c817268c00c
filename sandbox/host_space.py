"""Room on the sandbox host for the workspaces' disk images (loop quota), checked before one is made or started.

Images are sparse: a 5 GiB workspace takes little until it fills up, and twenty of them, plus the stopped
ones kept for a day, can fill the host. So a disk is made, or a workspace started, only if the host's
free space covers what every image of this lab (its name prefix) may still grow, the new image whole, and a
reserve for the host itself. Otherwise `HostDiskFull`: the learner is told, nothing is started. Images of other
labs on the same host (another prefix: another bot, a test run) are theirs to count.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from sandbox.errors import HostDiskFull

__all__ = ["HOST_RESERVE", "ensure_room", "promised_growth"]

log = logging.getLogger(__name__)
HOST_RESERVE = 2 * 1024**3  # bytes kept free for the host (dockerd, logs, the bot)


def promised_growth(root: Path, prefix: str = "") -> int:
    """Bytes the images in `root` named `<prefix>-…` (every image without a prefix) may still take: apparent size
    minus allocated blocks."""
    total = 0
    for image in root.glob(f"{prefix}-*.img" if prefix else "*.img"):
        try:
            stats = image.stat()
        except FileNotFoundError:  # removed meanwhile
            continue
        total += max(0, stats.st_size - stats.st_blocks * 512)
    return total


def ensure_room(root: Path, new_image_bytes: int, *, prefix: str = "", reserve: int = HOST_RESERVE) -> None:
    """Raise HostDiskFull unless the host can hold every image of the lab `prefix` in `root` full, plus a new one
    and the reserve."""
    free = shutil.disk_usage(root).free
    needed = new_image_bytes + promised_growth(root, prefix) + reserve
    if free < needed:
        log.warning("no room for a workspace disk in %s: %d bytes free, %d needed", root, free, needed)
        raise HostDiskFull(free_bytes=free, needed_bytes=needed)
