"""The budgets' arithmetic: a sliding minute per person and per chat, told once, and a cool-down for guesses."""

from __future__ import annotations

from bot.services.budgets import GuessBudget, ReplyBudgets, Verdict
from bot.services.error_digest import ErrorDigest, ErrorSeen


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_private_chat_over_its_minute_is_told_once_then_answered_again_a_minute_later():
    clock = Clock()
    budgets = ReplyBudgets(private=3, clock=clock)
    verdicts = [budgets.admit(user_id=7, chat_id=7, group=False) for _ in range(6)]
    assert verdicts == [Verdict.ANSWER] * 3 + [Verdict.TELL] + [Verdict.SILENT] * 2
    assert budgets.admit(user_id=8, chat_id=8, group=False) is Verdict.ANSWER, "another person has their own"
    clock.now += 61
    assert budgets.admit(user_id=7, chat_id=7, group=False) is Verdict.ANSWER


def test_a_group_during_a_game_gets_one_answer_a_minute_and_no_notice():
    clock = Clock()
    budgets = ReplyBudgets(clock=clock)
    verdicts = [budgets.admit(user_id=u, chat_id=-5, group=True, game=True) for u in (1, 2, 1, 3)]
    assert verdicts == [Verdict.ANSWER, Verdict.SILENT, Verdict.SILENT, Verdict.SILENT]
    clock.now += 61
    assert budgets.admit(user_id=2, chat_id=-5, group=True, game=True) is Verdict.ANSWER


def test_one_member_cannot_use_the_whole_groups_budget():
    budgets = ReplyBudgets(group_user=2, group_chat=10, clock=Clock())
    mine = [budgets.admit(user_id=1, chat_id=-5, group=True) for _ in range(4)]
    assert mine == [Verdict.ANSWER, Verdict.ANSWER, Verdict.TELL, Verdict.SILENT]
    assert budgets.admit(user_id=2, chat_id=-5, group=True) is Verdict.ANSWER


def test_guesses_cool_down_after_five_a_minute():
    clock = Clock()
    guesses = GuessBudget(tries=5, cool_down=60, clock=clock)
    assert [guesses.try_code(user_id=7) for _ in range(7)] == [True] * 5 + [False] * 2
    assert guesses.try_code(user_id=8), "another person is not cooled down"
    clock.now += 61
    assert guesses.try_code(user_id=7)


def test_identical_errors_are_counted_and_reported_at_most_once_a_minute():
    clock = Clock()
    digest = ErrorDigest(every=60, clock=clock)
    seen = ErrorSeen(key="KeyError@bot/x.py:1@h", update_kind="message", handler="h", trace="...")
    digest.add(seen)
    assert [g.count for g in digest.due()] == [1]
    digest.add(seen)
    digest.add(seen)
    assert digest.due() == [] and 0 < digest.wait() <= 60
    clock.now += 60
    assert [g.count for g in digest.due()] == [2]
