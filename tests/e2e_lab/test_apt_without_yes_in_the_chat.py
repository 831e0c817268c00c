"""A learner forgets `-y` on `apt-get install`: the build aborts, the bot says why and how, its fix builds,
and the review puts that build-breaking mistake before the `latest` tag."""

from __future__ import annotations

import re

BROKEN = "FROM debian:latest\nRUN apt-get update && apt-get install curl\n"


async def test_apt_get_install_without_y_is_explained_and_the_suggested_run_builds(lab_harness):
    api = lab_harness.api
    lea = api.user(861, first_name="Léa")
    sent = await lea.send(BROKEN)
    why = await api.wait_for_message(lea.id, after=sent, timeout=180,
                                     predicate=lambda m: "La construction a échoué" in m.text or "Image construite" in m.text)
    assert "confirmation" in why.text and "-y" in why.text, why.text
    fixed = re.search(r"RUN apt-get update && apt-get install -y curl", why.text)
    assert fixed is not None, why.text
    review = await api.wait_for_message(lea.id, after=why, timeout=60, predicate=lambda m: "remarque" in m.text)
    blocks = review.text.split("\n\n")[1:]
    assert "sans -y" in blocks[0], review.text
    latest = next(i for i, block in enumerate(blocks) if "latest" in block)
    assert latest > 0
    sent = await lea.send(BROKEN.replace("RUN apt-get update && apt-get install curl", fixed.group(0)))
    built = await api.wait_for_message(lea.id, after=sent, timeout=180,
                                       predicate=lambda m: "Image construite" in (m.text or "") or "La construction a échoué" in (m.text or ""))
    assert "Image construite" in built.text, built.text
