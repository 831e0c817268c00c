"""/help asks the database once: who is asking and whether they teach come back from one transaction, and an
instructor still sees their own commands while a learner does not."""

from __future__ import annotations

from transaction_count import count_transactions, quiet_background_work


async def test_help_costs_one_transaction_for_a_learner_and_for_an_instructor(make_harness):
    harness = await make_harness(instructor_ids=frozenset({7001}), periodic_jobs=False)
    api = harness.api
    await quiet_background_work(harness.application)
    lea, teacher = api.user(7002, first_name="Léa"), api.user(7001, first_name="Prof")
    for person in (lea, teacher):  # first contact (creates the learner) out of the count
        sent = await person.send("/settings")
        await api.wait_for_message(person.id, after=sent, timeout=5)
    begun = count_transactions(harness.engine)

    sent = await lea.send("/help")
    shown = await api.wait_for_message(lea.id, after=sent, timeout=5, predicate=lambda m: "/lesson" in m.text)
    assert "/class" not in shown.text and len(begun) == 1
    begun.clear()
    sent = await teacher.send("/help")
    shown = await api.wait_for_message(teacher.id, after=sent, timeout=5, predicate=lambda m: "/lesson" in m.text)
    assert "/class" in shown.text and len(begun) == 1
