"""Answers stored many at a time give the same stored answers, scores and ranks as answers stored one by one:
a second answer still counts nothing, late answers score nothing, streaks are the same, a player joins once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from bot_harness import FIXTURE_CONTENT
from group_play import expected_scores
from sqlmodel import select

from bot.content import load_catalog
from bot.services import competitions
from bot.services.competition_answers import ReceivedAnswer, open_poll_ids, record_answers
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.competition_models import (
    GameAnswer,
    GamePlayer,
    GameQuestion,
    GameResult,
    QuizGroupMember,
)

T0 = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
TIMER, PLAYERS = 10, 12


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def script(rng: random.Random, questions: int) -> list[list[tuple[int, int, float]]]:
    """Per question: (player, option, seconds after the poll), second answers and late ones included."""
    plan = []
    for _question in range(questions):
        answers = []
        for player in range(1, PLAYERS + 1):
            if rng.random() < 0.15:
                continue
            answers.append((player, rng.choice([0, 0, 0, 1]), round(rng.uniform(0.1, TIMER + 0.3), 3)))
        for player, _option, seconds in list(answers[:3]):  # three players answer again, later: not counted
            answers.append((player, 1, seconds + 0.2))
        plan.append(answers)
    return plan


def play(engine, chat_id: int, plan, store) -> int:  # noqa: ANN001
    """One game in `chat_id` with the answers of `plan`, stored by `store(answers of one question)`."""
    catalog = load_catalog(FIXTURE_CONTENT)
    with session_scope(engine) as session:
        game = competitions.open_game(session=session, catalog=catalog, chat_id=chat_id, title="Club", by=1,
                                      module_id="", count=len(plan), timer=TIMER, lobby_seconds=0, now=T0,
                                      rng=random.Random(3))
    for position, answers in enumerate(plan):
        sent_at = T0 + timedelta(minutes=position)
        with session_scope(engine) as session:
            competitions.record_sent(session=session, game_id=game.id, position=position,
                                     poll_id=f"{chat_id}-{position}", message_id=100 + position, sent_at=sent_at)
            correct = session.exec(select(GameQuestion.correct_option).where(
                GameQuestion.game_id == game.id, GameQuestion.position == position)).one()
        received = [ReceivedAnswer(poll_id=f"{chat_id}-{position}", telegram_id=player, first_name=f"P{player}",
                                   option=(correct + option) % 2, received_at=sent_at + timedelta(seconds=seconds))
                    for player, option, seconds in answers]
        received.append(ReceivedAnswer(poll_id="another-poll", telegram_id=1, first_name="P1", option=0,
                                       received_at=sent_at))
        store(received)
        with session_scope(engine) as session:
            competitions.close_question(session=session, catalog=catalog, game_id=game.id, position=position)
    with session_scope(engine) as session:
        competitions.finish_game(session=session, game_id=game.id, now=T0 + timedelta(hours=1))
    return game.id


def stored(engine, game_id: int):  # noqa: ANN001, ANN201
    with session_scope(engine) as session:
        answers = {(a.position, a.telegram_id): (a.option, a.elapsed_ms)
                   for a in session.exec(select(GameAnswer).where(GameAnswer.game_id == game_id)).all()}
        results = [(r.rank, r.telegram_id, r.points, r.correct) for r in session.exec(
            select(GameResult).where(GameResult.game_id == game_id).order_by(GameResult.rank)).all()]
        players = sorted(p.telegram_id for p in session.exec(select(GamePlayer).where(GamePlayer.game_id == game_id)))
        rights = {q.position: q.correct_option for q in session.exec(
            select(GameQuestion).where(GameQuestion.game_id == game_id)).all()}
    return answers, results, players, rights


def test_answers_stored_in_batches_score_as_answers_stored_one_by_one(engine):
    plan = script(random.Random(8), 3)

    def one_by_one(answers: list[ReceivedAnswer]) -> None:
        for answer in answers:
            with session_scope(engine) as session:
                competitions.record_answer(session=session, poll_id=answer.poll_id, telegram_id=answer.telegram_id,
                                           first_name=answer.first_name, option=answer.option, now=answer.received_at)

    shuffle = random.Random(5)

    def in_batches(answers: list[ReceivedAnswer]) -> None:
        answers = sorted(answers, key=lambda a: a.received_at)  # batches follow each other in receipt order
        while answers:
            size = shuffle.randint(1, 9)
            batch, answers = answers[:size], answers[size:]
            shuffle.shuffle(batch)  # but within a batch handlers may have run in another order
            with session_scope(engine) as session:
                kept = record_answers(session=session, answers=batch)
            assert len(kept) == len(batch)

    single = stored(engine, play(engine, -8001, plan, one_by_one))
    batched = stored(engine, play(engine, -8002, plan, in_batches))
    assert batched == single
    answers, results, players, rights = batched
    # the first answer of each player is the one kept, timed from the poll to its receipt
    for position, question in enumerate(plan):
        first: dict[int, tuple[int, float]] = {}
        for player, option, seconds in question:
            first.setdefault(player, (option, seconds))
        for player, (option, seconds) in first.items():
            assert answers[(position, player)] == ((rights[position] + option) % 2, round(seconds * 1000))
        assert {p for (pos, p) in answers if pos == position} == set(first)
    # and the scores are the published formula's (streaks, late answers, second answers)
    measured = [(rights[p], {player: (option, elapsed_ms / 1000)
                             for (pos, player), (option, elapsed_ms) in answers.items() if pos == p})
                for p in sorted(rights)]
    assert {player: points for _rank, player, points, _c in results} == expected_scores(measured, TIMER)
    assert players == sorted({player for question in plan for player, _o, _s in question})


def test_a_batch_for_a_closed_question_or_a_finished_game_stores_nothing(engine):
    catalog = load_catalog(FIXTURE_CONTENT)
    with session_scope(engine) as session:
        game = competitions.open_game(session=session, catalog=catalog, chat_id=-8003, title="Club", by=1,
                                      module_id="", count=2, timer=TIMER, lobby_seconds=0, now=T0, rng=random.Random(1))
        competitions.record_sent(session=session, game_id=game.id, position=0, poll_id="q0", message_id=1, sent_at=T0)
        assert open_poll_ids(session=session) == {"q0": -8003}  # with its group, whose members alone may answer
    answer = ReceivedAnswer(poll_id="q0", telegram_id=7, first_name="Zoé", option=0,
                            received_at=T0 + timedelta(seconds=2))
    with session_scope(engine) as session:
        competitions.close_question(session=session, catalog=catalog, game_id=game.id, position=0)
        assert open_poll_ids(session=session) == {}
    with session_scope(engine) as session:
        assert record_answers(session=session, answers=[answer]) == (False,)
        assert session.exec(select(GameAnswer)).all() == []
        assert session.exec(select(QuizGroupMember).where(QuizGroupMember.telegram_id == 7)).all() == []


def test_one_batch_for_two_games_keeps_each_players_first_answer_in_each(engine):
    catalog = load_catalog(FIXTURE_CONTENT)
    polls = {}
    with session_scope(engine) as session:
        for chat_id in (-8004, -8005):
            game = competitions.open_game(session=session, catalog=catalog, chat_id=chat_id, title="Club", by=1,
                                          module_id="", count=2, timer=TIMER, lobby_seconds=0, now=T0,
                                          rng=random.Random(2))
            competitions.record_sent(session=session, game_id=game.id, position=0, poll_id=f"p{chat_id}",
                                     message_id=1, sent_at=T0)
            polls[chat_id] = game.id

    def at(seconds: float) -> datetime:
        return T0 + timedelta(seconds=seconds)

    batch = [  # Zoé plays in both groups; her second answer in -8004 came later, though listed first
        ReceivedAnswer("p-8004", 7, "Zoé", 1, at(3.0)), ReceivedAnswer("p-8004", 7, "Zoé", 0, at(2.0)),
        ReceivedAnswer("p-8005", 7, "Zoé", 2, at(4.5)), ReceivedAnswer("p-8005", 8, "Yann", 0, at(1.25)),
        ReceivedAnswer("unknown", 8, "Yann", 0, at(1.0)),
    ]
    with session_scope(engine) as session:
        assert record_answers(session=session, answers=batch) == (False, True, True, True, False)
    with session_scope(engine) as session:
        assert record_answers(session=session, answers=[ReceivedAnswer("p-8005", 8, "Yann", 1, at(5.0))]) == (False,)
        stored = {(a.game_id, a.telegram_id): (a.option, a.elapsed_ms) for a in session.exec(select(GameAnswer))}
        members = {(m.chat_id, m.telegram_id) for m in session.exec(select(QuizGroupMember))}
    assert stored == {(polls[-8004], 7): (0, 2000), (polls[-8005], 7): (2, 4500), (polls[-8005], 8): (0, 1250)}
    assert members == {(-8004, 7), (-8005, 7), (-8005, 8)}
