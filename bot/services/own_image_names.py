"""The number of a learner's next own image name (`essai-N`): one more than the highest in their lab.

Read from the learner's daemon, not from past builds: a `/build -t essai-1` or an exercise's build does not
make the next number skip one, and an `essai-N` the learner named by hand is never silently replaced.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from sandbox.service import SandboxService

__all__ = ["next_own_number"]


async def next_own_number(*, sandbox: SandboxService | None, learner_id: int, stem: str) -> int | None:
    """1 + the highest N of the `<stem>-N` images in the learner's lab (1 when none); None when it cannot say."""
    if sandbox is None:
        return None
    try:
        result = await sandbox.run_internal(learner_id=learner_id, command="docker images --format '{{.Repository}}'")
    except SandboxError:
        return None
    if result.exit_code != 0:
        return None
    own = re.compile(rf"^{re.escape(stem)}-([0-9]{{1,9}})$")
    return max((int(match[1]) for name in result.output.split() if (match := own.match(name))), default=0) + 1
