"""The sandbox test settings, importable from any test module."""

from __future__ import annotations

import os

from sandbox.config import SandboxSettings

# Two test runs sharing one engine (two worktrees, or a CI run beside a developer's) give themselves
# different suffixes, so that one run's clean-up never removes the other's workspaces. Each pytest-xdist
# worker of a run adds its own id to the run's suffix: a lab started by one worker removes the workspaces
# of its prefix that belong to another database, which would be another worker's test.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
RUN_SUFFIX = os.environ.get("TUTORBOT_TEST_LAB_SUFFIX", "") + (f"-{_WORKER}" if _WORKER else "")


def lab_settings_again(**overrides) -> SandboxSettings:
    values = dict(name_prefix="tbtest", warm_pool_size=0, max_workspaces=6, memory="768m", pids=256,
                  command_timeout=8, build_timeout=180, output_limit=64 * 1024, stream_limit=2 * 1024 * 1024,
                  disk_limit="1g", evict_idle_after=0, reap_interval=3600)
    values.update(overrides)
    values["name_prefix"] = f"{values['name_prefix']}{RUN_SUFFIX}"
    return SandboxSettings(**values)


async def remove_the_tests_workspaces(prefix: str) -> None:
    """Remove what a test's bot left in the lab of `prefix`.

    Each test's database has its own token, so its learners' workspaces belong to "another database" for a
    lab started on any other one: starting such a lab removes them (the product's own clean-up).
    """
    from sandbox.service import SandboxService

    cleanup = SandboxService(lab_settings_again(name_prefix=prefix))
    await cleanup.start(owner="aftertest")
    await cleanup.close()
