"""After `/forget`, no table holds anything of the learner: every table of the models is searched, so a table added
later fails here until it says how a learner's rows in it are seeded (and so erased) or why it holds none.

Two learners have a row in every table that can hold one; one of them is forgotten. The search finds the
forgotten learner everywhere before (its positive control) and nowhere after; the other keeps every row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest
from learner_traces import traces
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from bot.services import data_export, erasure, exam
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.competition_models import (
    ActiveGame,
    GameAnswer,
    GamePlayer,
    GameQuestion,
    GameResult,
    GameSchedule,
    QuizGame,
    QuizGroup,
    QuizGroupMember,
)
from bot.storage.conversation_models import ConversationStep
from bot.storage.models import (
    Announcement,
    ClassGroup,
    ClassInstructor,
    ClassInvite,
    ClassMember,
    Classroom,
    DailySchedule,
    Enrollment,
    ExerciseAttempt,
    ExerciseCompletion,
    Installation,
    Learner,
    LessonCompletion,
    LessonSent,
    OutboxMessage,
    PlanEntry,
    QuizAnswer,
    ScheduledPost,
    SentPoll,
    ShownItem,
)
from bot.storage.privacy_models import WithdrawnCertificate
from bot.storage.review_models import Certificate, ExamAttempt, PollOrder, ReviewCard

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEACHER, GROUP = 700, -7001


class Who:
    """A learner and what identifies them in the database: ids, name, the texts only their rows contain."""

    def __init__(self, telegram_id: int, name: str) -> None:
        self.telegram_id, self.name, self.id = telegram_id, name, 0

    @property
    def markers(self) -> tuple[str, ...]:
        return (self.name, str(self.telegram_id), f"poll-{self.telegram_id}")

    @property
    def certificate(self) -> str:
        """Their certificate's code: it stays, withdrawn, and names nobody."""
        return self.name[0].upper() + "CODE"


Seed = Callable[[Session, Who, dict[str, int]], SQLModel]

SEEDS: dict[str, Seed] = {
    "enrollment": lambda s, w, ids: Enrollment(learner_id=w.id, course_id="mini", enrolled_at=NOW),
    "lessoncompletion": lambda s, w, ids: LessonCompletion(learner_id=w.id, course_id="mini", lesson_id="l1",
                                                           completed_at=NOW),
    "quizanswer": lambda s, w, ids: QuizAnswer(learner_id=w.id, course_id="mini", question_id="q1", choice=0,
                                               correct=True, answered_at=NOW),
    "sentpoll": lambda s, w, ids: SentPoll(poll_id=f"poll-{w.telegram_id}", chat_id=w.telegram_id, learner_id=w.id,
                                           course_id="mini", question_id="q1", message_id=1, sent_at=NOW),
    "poll_order": lambda s, w, ids: PollOrder(poll_id=f"poll-{w.telegram_id}", option_order="1,0,2"),
    "exerciseattempt": lambda s, w, ids: ExerciseAttempt(learner_id=w.id, kind="command", input=f"echo {w.name}",
                                                         status="ok", output_excerpt=w.name, created_at=NOW),
    "exercisecompletion": lambda s, w, ids: ExerciseCompletion(learner_id=w.id, course_id="mini", exercise_id="e1",
                                                               completed_at=NOW),
    "classmember": lambda s, w, ids: ClassMember(class_id=ids["class"], learner_id=w.id, joined_at=NOW),
    "shown_item": lambda s, w, ids: ShownItem(learner_id=w.id, kind="question", item_id="q1", detail="012"),
    "lessonsent": lambda s, w, ids: LessonSent(learner_id=w.id, course_id="mini", lesson_id="l1", sent_at=NOW),
    "quiz_group_member": lambda s, w, ids: QuizGroupMember(chat_id=GROUP, telegram_id=w.telegram_id,
                                                           first_name=w.name),
    "quiz_game_player": lambda s, w, ids: GamePlayer(game_id=ids["game"], telegram_id=w.telegram_id,
                                                     first_name=w.name, joined_at=NOW),
    "quiz_game_answer": lambda s, w, ids: GameAnswer(game_id=ids["game"], position=0, telegram_id=w.telegram_id,
                                                     option=0, elapsed_ms=900, answered_at=NOW),
    "quiz_game_result": lambda s, w, ids: GameResult(chat_id=GROUP, game_id=ids["game"], telegram_id=w.telegram_id,
                                                     first_name=w.name, points=900, correct=1, rank=1,
                                                     finished_at=NOW),
    "quiz_game": lambda s, w, ids: QuizGame(chat_id=GROUP, status="finished", course_id="mini", question_count=1,
                                            timer_seconds=5, started_by=w.telegram_id, created_at=NOW),
    "quiz_schedule": lambda s, w, ids: GameSchedule(chat_id=GROUP, weekday=4, at=time(18, 0), next_run_at=NOW,
                                                    created_by=w.telegram_id),
    "outboxmessage": lambda s, w, ids: OutboxMessage(key=f"bundle:{w.telegram_id}", kind="text",
                                                     chat_id=w.telegram_id, payload=json.dumps({"text": w.name}),
                                                     not_before=NOW, created_at=NOW),
    "dailyschedule": lambda s, w, ids: DailySchedule(learner_id=w.id, next_due_at=NOW),
    "review_card": lambda s, w, ids: ReviewCard(learner_id=w.id, course_id="mini", question_id="q1", card="{}",
                                                due=NOW, updated_at=NOW),
    "exam_attempt": lambda s, w, ids: ExamAttempt(learner_id=w.id, course_id="mini", question_ids="q1",
                                                  started_at=NOW),
    "conversationstep": lambda s, w, ids: ConversationStep(telegram_id=w.telegram_id, step="announce", started_at=NOW),
    "certificate": lambda s, w, ids: Certificate(code=w.certificate, learner_id=w.id, course_id="mini",
                                                 name=w.name, course_title="Docker", score=20, total=20,
                                                 issued_at=NOW),
}
"""A learner's row in each table that can hold one (`learner` itself is made first)."""

HOLDS_NO_LEARNER = {
    "learner": "the learner's own row, made first",
    "classroom": "a class: its instructor's (teaching, not learning)",
    "classinstructor": "who teaches a class: the instructor's",
    "classinvite": "a class's join code",
    "planentry": "a class's calendar",
    "scheduledpost": "an instructor's scheduled post",
    "announcement": "an instructor's announcement",
    "class_group": "a group linked to a class, by an instructor",
    "quiz_group": "a group's settings",
    "quiz_active_game": "which game a group is playing",
    "quiz_game_question": "a game's questions",
    "installation": "the database's own name",
    "withdrawn_certificate": "a withdrawn code, its course and when: nobody's",
}
"""Tables that hold nothing of a learner, and why (they are searched all the same)."""


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def seed(engine, people: list[Who]) -> None:
    with session_scope(engine) as session:
        klass = Classroom(name="Docker L3", course_id="mini", created_by=TEACHER, created_at=NOW)
        session.add(klass)
        session.add(QuizGroup(chat_id=GROUP, title="Les dockers", created_at=NOW))
        session.flush()
        session.add(ClassInstructor(class_id=klass.id, telegram_id=TEACHER, added_at=NOW))
        session.add(ClassInvite(code="j-code", class_id=klass.id, created_at=NOW))
        session.add(ClassGroup(class_id=klass.id, chat_id=GROUP, linked_by=TEACHER, linked_at=NOW))
        session.add(PlanEntry(class_id=klass.id, on_date=NOW.date(), lesson_id="l1", due_at=NOW))
        announcement = Announcement(class_id=klass.id, author=TEACHER, parts='["Rappel"]', created_at=NOW)
        session.add(announcement)
        session.add(Installation(token="x" * 32))
        game = QuizGame(chat_id=GROUP, status="running", course_id="mini", question_count=1, timer_seconds=5,
                        started_by=TEACHER, created_at=NOW)
        session.add(game)
        session.flush()
        session.add(ScheduledPost(class_id=klass.id, kind="announcement", announcement_id=announcement.id,
                                  due_at=NOW, created_by=TEACHER, created_at=NOW))
        session.add(ActiveGame(chat_id=GROUP, game_id=game.id))
        session.add(GameQuestion(game_id=game.id, position=0, question_id="q1", option_order="0,1", correct_option=0))
        session.add(WithdrawnCertificate(code="OLDCODE", course_title="Docker", withdrawn_at=NOW))
        ids = {"class": klass.id, "game": game.id}
        for who in people:
            learner = Learner(telegram_id=who.telegram_id, first_name=who.name, created_at=NOW, last_seen_at=NOW)
            session.add(learner)
            session.flush()
            who.id = learner.id
        for table in SQLModel.metadata.sorted_tables:  # in dependency order
            if table.name in SEEDS:
                for who in people:
                    session.add(SEEDS[table.name](session, who, ids))
                    session.flush()


def traces_of(engine, who: Who) -> dict[str, int]:
    return traces(engine, learner_id=who.id, telegram_id=who.telegram_id, markers=who.markers)


def test_every_table_says_how_a_learner_is_in_it():
    tables = {table.name for table in SQLModel.metadata.sorted_tables}
    unknown = tables - set(SEEDS) - set(HOLDS_NO_LEARNER)
    assert not unknown, f"new table(s) {sorted(unknown)}: seed a learner's row in SEEDS or say why it holds none"
    assert not (set(SEEDS) | set(HOLDS_NO_LEARNER)) - tables, "a table named here no longer exists"


def test_a_forgotten_learner_is_in_no_table_and_the_others_keep_everything(engine):
    zephyrine, bruno = Who(424242, "Zéphyrine"), Who(515151, "Bruno")
    seed(engine, [zephyrine, bruno])
    before, others_before = traces_of(engine, zephyrine), traces_of(engine, bruno)
    assert set(before) == {"learner", *SEEDS}, "the search finds the learner in every table seeded (control)"

    with session_scope(engine) as session:
        assert erasure.forget_learner(session=session, learner_id=zephyrine.id, now=NOW + timedelta(days=1))

    assert traces_of(engine, zephyrine) == {}, "nothing of the forgotten learner is left, in any table"
    assert traces_of(engine, bruno) == others_before, "the other learner keeps every row"
    with Session(engine) as session:
        results = session.exec(select(GameResult.telegram_id, GameResult.first_name, GameResult.points)).all()
        assert sorted(r.points for r in results) == [900, 900], "the group's board keeps both results"
        former = [r for r in results if r.first_name == ""]
        assert len(former) == 1 and former[0].telegram_id < 0, "one of them anonymised"
        withdrawn = exam.verify_certificate(session=session, code=zephyrine.certificate)
        assert isinstance(withdrawn, exam.WithdrawnCertificate) and withdrawn.course_title == "Docker"
        kept = exam.verify_certificate(session=session, code=bruno.certificate)
        assert isinstance(kept, exam.IssuedCertificate) and kept.name == "Bruno"


def test_the_export_holds_every_table_that_refers_to_the_learner(engine):
    zephyrine, bruno = Who(424242, "Zéphyrine"), Who(515151, "Bruno")
    seed(engine, [zephyrine, bruno])
    with session_scope(engine) as session:
        document = json.loads(data_export.export_learner(session=session, telegram_id=zephyrine.telegram_id,
                                                          now=NOW))
    tables = document["tables"]
    assert set(tables) == {"learner", *SEEDS} - {"poll_order"}, "every table with a row about the learner"
    assert all(len(rows) == 1 for rows in tables.values()), "their rows only, not Bruno's"
    assert tables["learner"][0]["first_name"] == "Zéphyrine" and tables["learner"][0]["created_at"].startswith("2026")
    assert "Bruno" not in json.dumps(document, ensure_ascii=False)
