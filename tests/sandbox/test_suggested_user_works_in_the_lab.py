"""The review's way out of root, taken word for word, builds and runs as that user in the lab's stand-ins."""

from __future__ import annotations

import html
import re

import pytest

from bot.feedback import review_dockerfile
from bot.views.feedback import phrase
from sandbox.build_context import BuildContext

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="module")]


@pytest.mark.parametrize(("learner", "base"), [(41, "alpine:3.19"), (42, "debian:bookworm"), (43, "busybox")])
async def test_the_suggested_user_lines_work_in_the_lab(lab, learner, base):
    dockerfile = f'FROM {base}\nCMD ["id", "-un"]\n'
    (root,) = [f for f in review_dockerfile(dockerfile).findings if f.code == "TB207"]
    snippets = [html.unescape(s) for s in re.findall(r"<code>(.*?)</code>", str(phrase("fr", root.fix)))]
    lines = [s for s in snippets if s.startswith(("RUN ", "USER "))]
    assert lines and lines[-1].startswith("USER "), snippets
    fixed = f"FROM {base}\n" + "\n".join(lines) + '\nCMD ["id", "-un"]\n'
    built = await lab.build(learner_id=learner, context=BuildContext.from_dockerfile(fixed), tag="sans-root")
    assert built.ok, built.error
    ran = await lab.run_command(learner_id=learner, command="docker run --rm sans-root")
    assert ran.exit_code == 0 and ran.output.strip() == lines[-1].split()[1], ran.output
    await lab.reset(learner_id=learner)
