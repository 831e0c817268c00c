"""A learner starts their lab over with /reset, after saying yes; the lab's own hint leads there."""

from __future__ import annotations

from lab_fakes import FakeLab

from sandbox.errors import DiskLimitReached, LabUnavailable


async def test_a_learner_whose_lab_is_full_follows_the_hint_and_resets_it(make_harness):
    lab = FakeLab(answers={"docker pull nginx": DiskLimitReached(5_100_000_000, 5_000_000_000)})
    harness = await make_harness(sandbox=lab)
    api = harness.api
    nour = api.user(911, first_name="Nour")
    sent = await nour.send("/run docker pull nginx")
    refusal = await api.wait_for_message(nour.id, after=sent)
    assert "/reset" in refusal.text, "the lab's message names the way out"

    sent = await nour.send("/reset")
    question = await api.wait_for_message(nour.id, after=sent)
    assert "efface tout ton labo" in question.text and lab.resets == [], "nothing is erased before the yes"
    await nour.press(question, "♻️ Oui, tout effacer")
    done = await api.wait_for_message(nour.id, after=question)
    assert "remis à neuf" in done.text
    assert lab.resets == [lab.commands[0][0]], "the learner's own workspace was reset, once"
    assert api.messages(nour.id)[-2].buttons == [], "the question lost its buttons"


async def test_a_learner_who_cancels_keeps_their_lab(make_harness):
    lab = FakeLab()
    harness = await make_harness(sandbox=lab)
    api = harness.api
    ugo = api.user(912, first_name="Ugo", language_code="en")
    sent = await ugo.send("/reset")
    question = await api.wait_for_message(ugo.id, after=sent)
    await ugo.press(question, "Cancel")
    answer = await api.wait_for_message(ugo.id, after=question)
    assert "stays as it is" in answer.text and lab.resets == []


async def test_a_reset_the_lab_cannot_do_is_reported_honestly(make_harness):
    class BrokenLab(FakeLab):
        async def reset(self, *, learner_id: int) -> None:
            raise LabUnavailable("docker host does not answer")

    harness = await make_harness(sandbox=BrokenLab())
    api = harness.api
    ivy = api.user(913, first_name="Ivy")
    sent = await ivy.send("/reset")
    question = await api.wait_for_message(ivy.id, after=sent)
    await ivy.press(question, "♻️ Oui, tout effacer")
    answer = await api.wait_for_message(ivy.id, after=question)
    assert "rien n'a été effacé" in answer.text


async def test_the_command_menu_offers_reset_in_both_languages(harness):
    commands = harness.api.store.commands
    french = {c["command"]: c["description"] for c in commands[""]}
    english = {c["command"]: c["description"] for c in commands["en"]}
    assert french["reset"] == "Remettre mon labo à zéro" and english["reset"] == "Start my lab over"
    assert list(french) == list(english), "the same commands, in the same order"
