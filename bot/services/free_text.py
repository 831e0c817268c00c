"""What a learner's plain message means, when it is neither a command nor a Dockerfile.

A greeting, thanks, a call for help, a pasted class link, or a question about the course ("c'est quoi un
volume ?", "what is a layer?"). Questions are answered from the course only: the glossary entry and the
lessons that teach it, found by a fuzzy match (rapidfuzz) over terms, their English names and lesson titles.
Nothing is invented: no match is said as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from rapidfuzz import fuzz, process

from bot.content import Course, GlossaryTerm, Lesson
from bot.services.glossary import fold, look_up

__all__ = ["CourseMatch", "Kind", "Understood", "closest_command", "understand"]

LONG_MESSAGE = 1000
"""Characters past which prose is not read as a question (a pasted document, a log)."""
MATCH_SCORE = 86
"""rapidfuzz's WRatio (0-100) a term or a title must reach to be offered."""

_GREETINGS = {"salut", "bonjour", "bonsoir", "coucou", "hello", "hi", "hey", "yo", "hola", "slt", "cc",
              "good morning", "good evening", "bonne journee", "bonne soiree"}
_THANKS = {"merci", "merci beaucoup", "thanks", "thank you", "thx", "ty", "super", "top", "genial", "parfait",
           "cool", "ok", "okay", "d'accord", "daccord", "nice", "great", "awesome", "bravo"}
_HELP = {"aide", "help", "menu", "au secours", "sos", "je suis perdu", "je suis perdue", "perdu", "lost",
         "je ne comprends pas", "je comprends pas", "i don't understand", "i dont understand", "que faire",
         "what now", "quoi faire", "comment ca marche", "how does it work", "?"}
_QUESTION_OPENINGS = re.compile(
    r"^(c'?est quoi|c est quoi|qu'?est[- ]ce que?( c'?est)?|que veut dire|ca veut dire quoi|c'?est quoi la difference"
    r"|quelle? (est|sont)|comment|pourquoi|explique(-moi)?|definition( de)?|what'?s|what is|what are|what does"
    r"|how (do|does|to)|why|explain|define|meaning of)\b", re.I)
_QUESTION_ENDINGS = re.compile(r"\s*,?\s*(c'?est quoi|c est quoi|ca sert a quoi|ca veut dire quoi|is what)$", re.I)
_FILLER = re.compile(r"\b(un|une|le|la|les|des|du|de|d|l|a|an|the|of|en|dans|on|in|avec|with|ce|cette|that|"
                     r"this|mean|means|veut|dire|exactement|exactly|svp|stp|please)\b", re.I)
_JOIN_LINK = re.compile(r"(?:t\.me/\w+\?start=|^/?start\s+|^)([ji]-[A-Za-z0-9_-]{10,60})\s*$")
"""A class link or code that is cut or mistyped (a whole one is a join: bot/handlers/classes.py)."""
_ONLY_SYMBOLS = re.compile(r"^[\W_]+$")


class Kind(Enum):
    GREETING = "greeting"
    THANKS = "thanks"
    HELP = "help"
    JOIN_LINK = "join_link"
    QUESTION = "question"
    TOO_LONG = "too_long"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CourseMatch:
    """What the course says about a question: a glossary entry and/or the lessons about it."""

    term: GlossaryTerm | None
    lessons: tuple[Lesson, ...] = ()

    def __bool__(self) -> bool:
        return self.term is not None or bool(self.lessons)


@dataclass(frozen=True)
class Understood:
    kind: Kind
    match: CourseMatch = CourseMatch(None)
    join_code: str = ""
    topic: str = ""  # the words a question was about, as the learner wrote them


def understand(text: str, course: Course | None) -> Understood:
    """Read a plain message (see the module docstring)."""
    stripped = text.strip()
    if len(stripped) > LONG_MESSAGE:
        return Understood(Kind.TOO_LONG)
    link = _JOIN_LINK.search(stripped)
    if link:
        return Understood(Kind.JOIN_LINK, join_code=link.group(1))
    folded = fold(stripped)
    words = folded.rstrip(" !.?")
    if not folded or _ONLY_SYMBOLS.match(stripped):
        return Understood(Kind.THANKS if stripped else Kind.UNKNOWN)  # an emoji, a thumbs up
    if folded in _HELP or words in _HELP:
        return Understood(Kind.HELP)
    first_words = " ".join(words.split()[:2])
    if words in _GREETINGS or first_words in _GREETINGS or words.split()[0] in _GREETINGS and len(words.split()) <= 3:
        return Understood(Kind.GREETING)
    if words in _THANKS or words.split()[0] in {"merci", "thanks", "thank"}:
        return Understood(Kind.THANKS)
    question = stripped.endswith("?") or bool(_QUESTION_OPENINGS.match(folded))
    topic = _topic(folded)
    match = course_match(course, topic) if course is not None and topic else CourseMatch(None)
    if question or match:
        return Understood(Kind.QUESTION, match=match, topic=_topic_as_written(stripped, topic))
    return Understood(Kind.UNKNOWN)


def course_match(course: Course, topic: str) -> CourseMatch:
    """The glossary entry and lessons for `topic` (already folded), or an empty match."""
    found = look_up(course, topic).found
    if found is None:
        names: dict[str, GlossaryTerm] = {}
        for term in course.glossary:
            names.setdefault(fold(term.term), term)
            for english in term.english:
                names.setdefault(fold(english), term)
        best = process.extractOne(topic, list(names), scorer=fuzz.WRatio, score_cutoff=MATCH_SCORE)
        found = names[best[0]] if best else None
    lessons: list[Lesson] = []
    if found is not None and found.lesson:
        lesson = course.lesson(found.lesson)
        if lesson is not None:
            lessons.append(lesson)
    titles = {fold(lesson.title): lesson for lesson in course.lessons_in_order()}
    for title, _score, _index in process.extract(topic, list(titles), scorer=fuzz.WRatio,
                                                 score_cutoff=MATCH_SCORE, limit=3):
        if titles[title] not in lessons:
            lessons.append(titles[title])
    return CourseMatch(found, tuple(lessons[:3]))


def _topic(folded: str) -> str:
    """The words a question is about: "c'est quoi un volume ?" -> "volume"."""
    rest = re.sub(r"^(" + "|".join(sorted(_GREETINGS, key=len, reverse=True)) + r")\b[ ,!.]*", "", folded)
    rest = _QUESTION_OPENINGS.sub("", rest, count=1)
    rest = _QUESTION_ENDINGS.sub("", rest.rstrip(" ?!."))
    rest = rest.replace("'", " ").replace("?", " ")
    rest = _FILLER.sub(" ", rest)
    return " ".join(rest.split())


def _topic_as_written(text: str, topic: str) -> str:
    return (topic or text.strip(" ?!."))[:60]


def closest_command(typed: str, known: list[str]) -> str | None:
    """The command a mistyped one most likely meant (`/lesons` -> "lessons"), or None."""
    word = typed.lstrip("/").split("@", 1)[0].lower()
    if not word:
        return None
    best = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=75)
    return best[0] if best else None
