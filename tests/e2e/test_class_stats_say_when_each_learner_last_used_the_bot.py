""""/class stats said 'jamais' for a learner who used the bot today, and its emoji columns meant nothing to me": the
last activity is the learner's last use of the bot (any message or button), and a legend names each column."""

from __future__ import annotations

from datetime import UTC, datetime

from class_school import TEACHER, open_class, said


async def test_the_last_activity_is_the_last_use_of_the_bot_and_the_columns_have_a_legend(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3", learners=1)
    api, member = school.api, school.learners[0]
    school.clock.set(datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    await said(api, member, "/help")  # no lesson, no quiz, no exercise: but the bot was used today

    stats = await said(api, school.teacher, "/class stats")
    line = next(text for text in stats.text.splitlines() if text.startswith("M0"))
    assert "2026-03-05" in line and "jamais" not in line, line
    assert "📖 leçons lues" in stats.text and "🔥 jours d'affilée" in stats.text, stats.text
