"""Buttons keep working across releases: each action's payload survives the round trip, old data still decodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from bot import callbacks
from bot.callbacks import (
    Answer,
    ChooseCourse,
    LessonPage,
    Menu,
    Payload,
    QuizModule,
    Reset,
    SettingsAction,
    ShowHint,
    StaleButton,
    decode,
)

EXAMPLES = [Menu(), callbacks.Help(), callbacks.Progress(), ChooseCourse("docker-fr"), LessonPage("m1-images", 2),
            callbacks.FinishLesson("m1-images"), QuizModule("m1"), QuizModule(), Answer("m1-q1", 2),
            callbacks.OpenExercise("hello"), callbacks.CheckExercise(), ShowHint("hello", 1),
            callbacks.LeaveExercise(), SettingsAction("tz", "3"), SettingsAction(), Reset(confirmed=True), callbacks.Forget(confirmed=False),
            Answer("m1-q1", 2, "201", "r"), callbacks.ReviewNext(), callbacks.ExamAnswer(3, 4, 1, "3102"),
            callbacks.Memo("m05"),
            callbacks.JoinGame(),
            callbacks.StopCommand(), callbacks.LessonsToc("m1"), callbacks.LessonsToc(), callbacks.Lab(),
            callbacks.Exercises()]
EXAMPLES += [callbacks.AnnounceSend(12), callbacks.AnnounceSchedule(12), callbacks.AnnounceCancel(12),
             callbacks.BroadcastStop(12), callbacks.ClassDelete(3, True), callbacks.ClassDelete(3)]
EXAMPLES += [callbacks.ExamStart(), SettingsAction("tz", "America/Argentina/Buenos_Aires")]
EXAMPLES += [callbacks.ClassLeave(3, True), callbacks.ClassLeave(3)]
EXAMPLES += [callbacks.ExamResume(41), callbacks.ExamRestart(41), callbacks.ExamRestart(41, True), SettingsAction("tz", "Etc/GMT-12")]
EXAMPLES += [callbacks.Define("Publication de port"), callbacks.LeaveClasses(True), callbacks.LeaveClasses()]
EXAMPLES += [callbacks.ClassChoose(12), callbacks.ClassChoose(12, "push"), callbacks.LessonPick(12, "p"),
             callbacks.LessonPick(12, "m", "m02"), callbacks.LessonPicked(12, "s", "m02-vm-conteneur"),
             callbacks.DayPicked(12, "a", "5", 20261208), callbacks.PostCancel(7), callbacks.PostMove(7)]


def test_every_action_has_an_example_here():
    assert {type(p) for p in EXAMPLES} == set(Payload._registry.values())


@pytest.mark.parametrize("payload", EXAMPLES, ids=lambda p: p.encode())
def test_a_payload_comes_back_as_it_left(payload):
    assert decode(payload.encode()) == payload
    assert type(payload).decode(payload.encode()) == payload


@pytest.mark.parametrize(("data", "payload"), [
    ("les:m1-images:0", LessonPage("m1-images", 0)), ("quiz:", QuizModule("")), ("quiz:m2", QuizModule("m2")),
    ("set", SettingsAction()), ("set:time:07h30", SettingsAction("time", "07h30")), ("ans:m1-q1:1", Answer("m1-q1", 1)),
    ("hint:hello:0", ShowHint("hello", 0)), ("menu", Menu()), ("crs:mini", ChooseCourse("mini")),
])
def test_buttons_sent_by_earlier_releases_still_decode(data, payload):
    assert decode(data) == payload


@pytest.mark.parametrize("data", ["", None, "teleport:1", "les:m1:deux", "ans:m1-q1", "menu:extra", "reset:yes"])
def test_data_no_action_accepts_is_a_stale_button(data):
    with pytest.raises(StaleButton):
        decode(data)


def test_a_payload_of_another_action_is_stale_for_this_one():
    with pytest.raises(StaleButton):
        LessonPage.decode(Menu().encode())


def test_telegram_limits_button_data_to_64_bytes():
    with pytest.raises(ValueError, match="64 bytes"):
        ChooseCourse("é" * 40).encode()


def test_an_action_name_is_taken_once():
    with pytest.raises(TypeError, match="defined twice"):
        @dataclass(frozen=True)
        class AnotherMenu(Payload):
            action: ClassVar[str] = "menu"
