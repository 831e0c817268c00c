"""A learner's own image names go essai-1, essai-2…: a `/build -t essai-1` in between does not make them skip one."""

from __future__ import annotations

import re


async def build(api, learner, first_line: str) -> str:
    sent = await learner.send(f"{first_line}\nFROM busybox\nCMD [\"echo\", \"salut\"]\n")
    built = await api.wait_for_message(learner.id, after=sent, timeout=120,
                                       predicate=lambda m: "Image construite" in (m.text or ""))
    return re.search(r"construite : (\S+) \(", built.text).group(1)


async def test_own_names_follow_the_images_in_the_lab(lab_harness):
    api = lab_harness.api
    ines = api.user(881, first_name="Inès")
    assert await build(api, ines, "/build") == "essai-1"
    assert await build(api, ines, "/build") == "essai-2"
    assert await build(api, ines, "/build -t essai-1") == "essai-1"
    assert await build(api, ines, "/build") == "essai-3", "no number is skipped"
    assert await build(api, ines, "/build -t essai-7") == "essai-7"
    assert await build(api, ines, "/build") == "essai-8", "a hand-named essai-7 is never replaced"
