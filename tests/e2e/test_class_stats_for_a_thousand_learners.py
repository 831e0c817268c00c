"""`/class stats` for a class of 1,000: the text stays under Telegram's limit (what does not fit is counted and left
to the CSV), the chart and the full CSV still come, and nothing is logged at ERROR."""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime

from class_school import TEACHER, open_class, said
from sqlmodel import Session

from bot.storage.models import ClassMember, Learner

MEMBERS = 1000
LONG = "Apprenant·e avec un prénom très long n°"


async def test_the_stats_of_a_class_of_a_thousand_fit_and_the_csv_has_everyone(make_harness, caplog):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=1)
    api, teacher = school.api, school.teacher
    assert "1 membre(s)" in (await said(api, teacher, "/push m1-images")).text  # one lesson sent: all behind
    await school.drain()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with Session(school.engine) as session:  # 999 more members, as if they had joined by the link
        learners = [Learner(telegram_id=90_000 + i, first_name=f"{LONG}{i:04d}", created_at=now, last_seen_at=now)
                    for i in range(MEMBERS - 1)]
        session.add_all(learners)
        session.flush()
        session.add_all([ClassMember(class_id=1, learner_id=learner.id, joined_at=now) for learner in learners])
        session.commit()

    caplog.set_level(logging.WARNING)
    sent = await teacher.send("/class stats")
    text = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: "📊" in (m.text or ""), timeout=30)
    document = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: m.document is not None, timeout=60)
    assert len(text.text) <= 4096 and f"{MEMBERS} membre(s)" in text.text
    assert "CSV" in text.text and "autre(s)" in text.text, "what does not fit is counted, and found in the CSV"
    assert any(m.extra.get("photo") for m in api.messages(TEACHER) if m.message_id > sent.message_id)
    rows = list(csv.DictReader(io.StringIO(document.document.data.decode("utf-8-sig"))))
    assert len(rows) == MEMBERS and all(row["behind_plan"] == "yes" for row in rows)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage()[:200] for r in caplog.records]
