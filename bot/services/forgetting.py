"""Forget a learner for good: their lab first (its workspace is named after their id), then their rows.

    outcome = await forget(db=db, sandbox=sandbox, learner_id=7, now=now)

When the lab cannot erase the workspace, nothing is erased (`LAB_FAILED`): a learner id freed while its
workspace lived on could name a newcomer's lab. With no lab configured, there is no workspace to erase.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from bot.services import erasure, lab
from bot.services.unit_of_work import Database

if TYPE_CHECKING:
    from sandbox.service import SandboxService

__all__ = ["Forgotten", "forget"]


class Forgotten(Enum):
    DONE = "done"
    LAB_FAILED = "lab_failed"
    NOBODY = "nobody"


async def forget(*, db: Database, sandbox: SandboxService | None, learner_id: int, now: datetime) -> Forgotten:
    """Erase the learner's workspace, disks and images, then everything stored about them."""
    if sandbox is not None and await lab.reset_lab(sandbox=sandbox, learner_id=learner_id) is not None:
        return Forgotten.LAB_FAILED
    done = await db.run(lambda session: erasure.forget_learner(session=session, learner_id=learner_id, now=now))
    return Forgotten.DONE if done else Forgotten.NOBODY
