"""Live quiz scoring, with worked numbers: Kahoot's rule, streaks, late and repeated answers, ties."""

from __future__ import annotations

import pytest

from bot.services.competition_scoring import (
    AnswerRecord,
    QuestionRecord,
    answer_points,
    standings,
    streak_bonus,
)


@pytest.mark.parametrize(("elapsed", "timer", "points"), [
    (0.0, 20, 1000), (0.49, 20, 1000),   # under half a second: full marks
    (0.5, 20, 988),                       # 1000·(1 − 0.5/40) = 987.5 → 988 (half up)
    (4.0, 20, 900),                       # 1000·(1 − 4/40)
    (10.0, 20, 750),
    (13.3, 20, 668),                      # 667.5 → 668
    (20.0, 20, 500),                      # at the deadline: half marks
    (20.01, 20, 0),                       # late
    (3.0, 10, 850),
    (7.7, 30, 872),                       # 871.67 → 872
])
def test_a_correct_answer_scores_kahoots_rule(elapsed, timer, points):
    assert answer_points(elapsed=elapsed, timer=timer) == points


def test_the_streak_bonus_grows_by_100_up_to_500():
    assert [streak_bonus(n) for n in range(1, 9)] == [0, 100, 200, 300, 400, 500, 500, 500]


def _game(n: int, timer: float = 20) -> list[QuestionRecord]:
    return [QuestionRecord(index=i, poll_id=f"p{i}", correct_option=i % 3, timer=timer) for i in range(n)]


def test_a_worked_game_of_three_players():
    questions = _game(3)
    answers = [
        # Ana: right at 2 s, right at 4 s, right at 0.3 s: 950 + (900+100) + (1000+200) = 3150
        AnswerRecord(1, "p0", 0, 2.0), AnswerRecord(1, "p1", 1, 4.0), AnswerRecord(1, "p2", 2, 0.3),
        # Bob: wrong, right at 10 s, late: 0 + 750 + 0 = 750
        AnswerRecord(2, "p0", 1, 1.0), AnswerRecord(2, "p1", 1, 10.0), AnswerRecord(2, "p2", 2, 21.0),
        # Eve: right at 20 s, second answer ignored, right at 6 s after no answer: 500 + 0 + (850 + 0)... q1 missed
        AnswerRecord(3, "p0", 0, 20.0), AnswerRecord(3, "p0", 1, 20.0), AnswerRecord(3, "p2", 2, 6.0),
        # an answer to a poll that is not one of the game's questions counts nothing
        AnswerRecord(3, "old-poll", 0, 1.0),
    ]
    board = standings(questions, answers)
    assert [(s.player, s.points, s.correct) for s in board] == [(1, 3150, 3), (3, 1350, 2), (2, 750, 1)]
    ana = board[0]
    assert ana.per_question == [950, 1000, 1200] and ana.fastest_correct == 0.3
    assert board[1].per_question == [500, 0, 850]  # Eve: the streak broke on the question she missed
    assert board[2].total_time == 11.0  # Bob's late answer does not count in his time


def test_a_wrong_answer_breaks_the_streak_and_six_in_a_row_are_capped():
    questions = _game(8)
    answers = [AnswerRecord(1, f"p{i}", i % 3, 0.1) for i in range(8) if i != 2]
    answers.append(AnswerRecord(1, "p2", (2 + 1) % 3, 0.1))  # wrong on the third
    board = standings(questions, answers)
    assert board[0].per_question == [1000, 1100, 0, 1000, 1100, 1200, 1300, 1400]
    long_run = standings(_game(8), [AnswerRecord(1, f"p{i}", i % 3, 0.1) for i in range(8)])
    assert long_run[0].per_question == [1000, 1100, 1200, 1300, 1400, 1500, 1500, 1500]


def test_ties_are_broken_by_total_answer_time():
    questions = _game(2)
    answers = [AnswerRecord(1, "p0", 0, 0.2), AnswerRecord(1, "p1", 2, 5.0),   # wrong on q1, slower
               AnswerRecord(2, "p0", 0, 0.4), AnswerRecord(2, "p1", 2, 3.0)]
    board = standings(questions, answers, players=[3])
    assert [(s.player, s.points) for s in board] == [(2, 1000), (1, 1000), (3, 0)]
    assert board[0].total_time < board[1].total_time
