"""A class counts the group games finished while its group was linked to it, and no others; a player's own
totals count every group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bot_harness import FIXTURE_CONTENT

from bot.content import load_catalog
from bot.services import class_groups, classes
from bot.services.class_errors import GroupTaken, NotInstructor
from bot.services.game_totals import totals_in_chats, totals_of
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.competition_models import GameResult, QuizGame

TEACHER, PLAYER, GROUP, OTHER_GROUP = 700, 42, -7001, -7002
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def play(engine, chat_id: int, at: datetime, points: int, rank: int) -> None:
    with session_scope(engine) as session:
        game = QuizGame(chat_id=chat_id, status="finished", course_id="mini", question_count=1, timer_seconds=5,
                        started_by=TEACHER, created_at=at, finished_at=at)
        session.add(game)
        session.flush()
        session.add(GameResult(chat_id=chat_id, game_id=game.id, telegram_id=PLAYER, points=points, correct=1,
                               rank=rank, finished_at=at))


def test_games_count_for_the_class_only_while_the_group_is_linked(engine):
    catalog = load_catalog(FIXTURE_CONTENT)
    with session_scope(engine) as session:
        first = classes.create_class(session=session, catalog=catalog, name="L3", creator=TEACHER,
                                     first_instructors={TEACHER}, now=T0)
        second = classes.create_class(session=session, catalog=catalog, name="Bootcamp", creator=TEACHER,
                                      first_instructors={TEACHER}, now=T0)
    play(engine, GROUP, T0 + timedelta(hours=1), 900, 2)  # before the link: not the class's
    with session_scope(engine) as session:
        class_groups.link_group(session=session, chat_id=GROUP, title="TP", telegram_id=TEACHER,
                                ref=f"#{first.id}", now=T0 + timedelta(hours=2), group_admin=True)
        with pytest.raises(GroupTaken):
            class_groups.link_group(session=session, chat_id=GROUP, title="TP", telegram_id=TEACHER,
                                    ref=f"#{second.id}", now=T0 + timedelta(hours=2), group_admin=True)
        with pytest.raises(NotInstructor):
            class_groups.unlink_group(session=session, chat_id=GROUP, telegram_id=PLAYER, now=T0)
    play(engine, GROUP, T0 + timedelta(hours=3), 1000, 1)
    play(engine, OTHER_GROUP, T0 + timedelta(hours=3), 500, 3)  # another group: not the class's
    with session_scope(engine) as session:
        class_groups.unlink_group(session=session, chat_id=GROUP, telegram_id=TEACHER, now=T0 + timedelta(hours=4))
    play(engine, GROUP, T0 + timedelta(hours=5), 700, 1)  # after the unlink: not the class's
    with session_scope(engine) as session:
        windows = class_groups.linked_chats(session=session, class_id=first.id)
        by_player = totals_in_chats(session=session, telegram_ids=[PLAYER], windows=windows)
        assert (by_player[PLAYER].games, by_player[PLAYER].points, by_player[PLAYER].best_rank) == (1, 1000, 1)
        assert class_groups.linked_class(session=session, chat_id=GROUP) is None
        mine = totals_of(session=session, telegram_id=PLAYER)
        assert (mine.games, mine.points, mine.best_rank) == (4, 3100, 1)
        # unlinked, the group may now join the other class
        linked = class_groups.link_group(session=session, chat_id=GROUP, title="TP", telegram_id=TEACHER,
                                         ref=f"#{second.id}", now=T0 + timedelta(hours=6), group_admin=True)
        assert (linked.class_name, linked.already) == ("Bootcamp", False)
