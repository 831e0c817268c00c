"""What `/quiz ...` asks for in a group, parsed from its words (pure).

    /quiz                   lobby, then 10 questions from the whole course
    /quiz now               no lobby
    /quiz m04 10            10 questions from module m04
    /quiz 5 now 30s         5 questions, 30 s each, no lobby
    /quiz stop | skip | pause | resume | open | admins        /quiz tz Europe/London | lang en
    /quiz every fri 18:00 [m04] [10]      /quiz every off
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from bot.services.competition_errors import BadQuizRequest

__all__ = ["CONTROL_WORDS", "DEFAULT_COUNT", "SETTING_WORDS", "DEFAULT_TIMER", "MAX_COUNT", "MAX_TIMER", "MIN_TIMER", "WEEKDAYS",
           "QuizRequest", "parse_quiz_request"]

DEFAULT_COUNT, MAX_COUNT = 10, 50
DEFAULT_TIMER, MIN_TIMER, MAX_TIMER = 20, 5, 600  # Telegram's open_period range
CONTROL_WORDS = ("stop", "skip", "pause", "resume", "open", "admins")
SETTING_WORDS = ("tz", "lang")  # /quiz tz Europe/London, /quiz lang en
WEEKDAYS = {name: i for i, names in enumerate((("mon", "lun"), ("tue", "mar"), ("wed", "mer"), ("thu", "jeu"),
                                                 ("fri", "ven"), ("sat", "sam"), ("sun", "dim")))
            for name in names}


@dataclass(frozen=True)
class QuizRequest:
    control: str | None = None  # stop | skip | pause | resume | open | admins | unschedule | tz | lang
    value: str = ""  # the setting's value (tz, lang)
    now: bool = False
    module_id: str = ""
    count: int = DEFAULT_COUNT
    timer: int = DEFAULT_TIMER
    weekday: int | None = None  # with `every`
    at: time | None = None


def parse_quiz_request(words: list[str]) -> QuizRequest:
    if len(words) == 2 and words[0].lower() in SETTING_WORDS:
        return QuizRequest(control=words[0].lower(), value=words[1])
    words = [w.lower() for w in words]
    if words and words[0] in CONTROL_WORDS:
        if len(words) > 1:
            raise BadQuizRequest(" ".join(words))
        return QuizRequest(control=words[0])
    now, module_id, count, timer = False, "", DEFAULT_COUNT, DEFAULT_TIMER
    weekday: int | None = None
    at: time | None = None
    rest = list(words)
    if rest[:2] == ["every", "off"] and len(rest) == 2:
        return QuizRequest(control="unschedule")
    if rest and rest[0] == "every":
        if len(rest) < 3 or rest[1][:3] not in WEEKDAYS or not re.fullmatch(r"\d{1,2}[:h]\d{2}", rest[2]):
            raise BadQuizRequest(" ".join(words))
        weekday = WEEKDAYS[rest[1][:3]]
        hours, minutes = (int(x) for x in re.split("[:h]", rest[2]))
        if hours > 23 or minutes > 59:
            raise BadQuizRequest(rest[2])
        at, rest = time(hours, minutes), rest[3:]
    for word in rest:
        if word == "now":
            now = True
        elif re.fullmatch(r"m\d{1,3}", word):
            module_id = word
        elif re.fullmatch(r"\d{1,3}", word):
            count = int(word)
        elif re.fullmatch(r"\d{1,3}s", word):
            timer = int(word[:-1])
        else:
            raise BadQuizRequest(word)
    if not 1 <= count <= MAX_COUNT or not MIN_TIMER <= timer <= MAX_TIMER:
        raise BadQuizRequest(" ".join(words))
    return QuizRequest(now=now, module_id=module_id, count=count, timer=timer, weekday=weekday, at=at)
