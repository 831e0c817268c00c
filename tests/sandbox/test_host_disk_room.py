"""No workspace disk is made, and no workspace started, unless the sandbox host can hold every disk it promised.

Disk images are sparse: what they may still grow is counted against the host's real free space.
"""

from __future__ import annotations

import shutil

import pytest
from lab_support import PREFIX, lab_settings, leftovers

from sandbox.errors import HostDiskFull
from sandbox.host_space import HOST_RESERVE, ensure_room, promised_growth
from sandbox.quota import LoopDisks
from sandbox.service import SandboxService

GIB = 1024**3


def test_a_new_disk_is_refused_when_the_images_already_there_may_grow_into_the_free_space(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    ensure_room(tmp_path, 2 * GIB, prefix="tblab")  # control: an empty folder leaves room for a 2 GiB disk
    with open(tmp_path / "tblab-0123456789ab.img", "wb") as image:  # sparse: takes no space yet
        image.truncate(free - HOST_RESERVE - GIB)
    assert promised_growth(tmp_path, "tblab") >= free - HOST_RESERVE - GIB - 1024**2
    with pytest.raises(HostDiskFull) as refused:
        ensure_room(tmp_path, 2 * GIB, prefix="tblab")
    assert refused.value.details["needed_bytes"] > refused.value.details["free_bytes"]
    ensure_room(tmp_path, 2 * GIB, prefix="tbother")  # another lab's images are that lab's to count


def test_a_loop_disk_bigger_than_the_room_left_is_never_made(tmp_path):
    disks = LoopDisks(tmp_path, shutil.disk_usage(tmp_path).free, prefix="tbroom")
    with pytest.raises(HostDiskFull):
        disks.provision("0123456789ab")
    assert list(tmp_path.iterdir()) == [], "nothing was made"


async def test_a_learner_is_told_the_host_is_out_of_room_and_nothing_of_the_workspace_stays(engine, tmp_path):
    free = shutil.disk_usage(tmp_path).free
    prefix = f"{PREFIX}room"  # its own: no warm workspace of another test may be handed out instead
    lab = SandboxService(lab_settings(prefix, disk_limit=str(free + 64 * GIB), warm_pool_size=0))
    await lab.start()
    try:
        with pytest.raises(HostDiskFull):
            await lab.run_command(learner_id=41, command="echo ok")
    finally:
        await lab.close()
    assert leftovers(engine, prefix) == [], "no container, network or disk of the refused workspace stays"
