"""An instructor on a phone writes dates and times as people do, in French or English: `demain 10h`, `lundi 9h`,
`vendredi 18:00`, `08/12 9:00`, `8 déc. 10h`, `tomorrow 6pm`; the bot reads them in the class's time zone and
never reads a date out of an announcement's own words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.services.class_calendar import parse_when
from bot.services.class_dates import read_when, split_when
from bot.services.class_errors import InvalidWhen

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(("written", "day", "at"), [
    ("demain 10h", date(2026, 12, 8), time(10)),
    ("lundi 9h", MONDAY, time(9)),
    ("vendredi 18:00", date(2026, 12, 11), time(18)),
    ("le jeudi à 9h", date(2026, 12, 10), time(9)),
    ("08/12 9:00", date(2026, 12, 8), time(9)),
    ("8/1 9:00", date(2027, 1, 8), time(9)),
    ("8 déc. 10h", date(2026, 12, 8), time(10)),
    ("8 décembre 10h", date(2026, 12, 8), time(10)),
    ("1er janvier 10h", date(2027, 1, 1), time(10)),
    ("tomorrow 6pm", date(2026, 12, 8), time(18)),
    ("tomorrow 6 pm", date(2026, 12, 8), time(18)),
    ("dec 8 9am", date(2026, 12, 8), time(9)),
    ("friday 18:30", date(2026, 12, 11), time(18, 30)),
    ("après-demain 8h", date(2026, 12, 9), time(8)),
    ("2026-12-09 14:00", date(2026, 12, 9), time(14)),
    ("14h30", None, time(14, 30)),
])
def test_days_and_times_as_people_write_them(written, day, at):
    assert read_when(written, today=MONDAY) == (day, at)


@pytest.mark.parametrize("written", ["31/02 9h", "13pm", "25h", "mardi", "pizza 9h", "9999999999999 9h"])
def test_what_is_not_a_day_and_a_time_is_refused(written):
    with pytest.raises(InvalidWhen):
        read_when(written, today=MONDAY)


def test_the_when_words_are_split_from_the_rest_which_keeps_its_lines():
    assert split_when("vendredi 18h lesson m02-vm", today=MONDAY) == ("vendredi 18h", "lesson m02-vm")
    assert split_when("8 déc. 10h #a3", today=MONDAY) == ("8 déc. 10h", "#a3")
    assert split_when("demain 9:00 announce **TP**\njeudi", today=MONDAY) == ("demain 9:00", "announce **TP**\njeudi")
    assert split_when("lesson m02", today=MONDAY) is None


def test_a_weekday_whose_time_has_passed_today_is_next_week_in_the_class_zone():
    monday_ten_in_paris = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    due = parse_when("lundi 9h", zone="Europe/Paris", now=monday_ten_in_paris)
    assert due == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)
    with pytest.raises(InvalidWhen):
        parse_when("2026-12-07 9h", zone="Europe/Paris", now=monday_ten_in_paris)  # a date in the past stays refused
