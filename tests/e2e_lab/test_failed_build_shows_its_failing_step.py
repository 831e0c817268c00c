"""A build that fails at step 3 of 4 ends its progress message on step 3, not on the last step it showed."""

from __future__ import annotations


async def test_the_progress_message_ends_on_the_step_that_failed(lab_harness):
    api = lab_harness.api
    rita = api.user(871, first_name="Rita")
    sent = await rita.send("/build\nFROM busybox\nRUN echo un > /v\nRUN commande-inexistante\nCMD [\"cat\", \"/v\"]\n")
    await api.wait_for_message(rita.id, after=sent, timeout=120, predicate=lambda m: "a échoué" in (m.text or ""))
    (status,) = [m for m in api.store.messages[rita.id] if m.from_bot and "échouée" in (m.text or "")]
    assert "Étape 3/4" in status.text and "RUN commande-inexistante" in status.text, status.text
