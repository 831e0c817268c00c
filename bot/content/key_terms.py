"""The terms a lesson puts in bold in its "À retenir" paragraph must each have a glossary entry.

A lesson ends with `**À retenir :** …`: the words in bold there are the ones a learner is told to keep, so
`/def` must answer each of them. A term matches an entry the way `/def` finds it (bot/services/glossary.py):
by the entry's name, the name without its bracketed part, the bracketed part ("layer" in "Couche (layer)"),
or one of its English names, forgiving case, accents, a plural `s` and a leading article.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.content.models import GlossaryTerm
from bot.content.problems import Problem

__all__ = ["KeyTerm", "glossary_names", "key_term_problems", "key_terms"]

_LABEL = re.compile(r"^\*\*À retenir\s*:?\s*\*\*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class KeyTerm:
    """One bold term of a lesson's "À retenir" paragraph, with the file line it is on."""

    path: Path
    line: int
    text: str


def key_terms(path: Path, body: str, body_line: int) -> list[KeyTerm]:
    """The bold terms of each "À retenir" paragraph in `body` (the label itself left out)."""
    found: list[KeyTerm] = []
    inside = fenced = False
    for offset, line in enumerate(body.split("\n")):
        if _CODE_FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            inside = False
            continue
        label = _LABEL.match(line.strip())
        if label:
            inside = True
            line = line.strip()[label.end():]
        if inside:
            found += [KeyTerm(path, body_line + offset, bold.strip()) for bold in _BOLD.findall(line)]
    return found


def _fold(text: str) -> str:
    """Lower case, no accents, no code marks, no punctuation at the ends: "`Nœud`" -> "noeud"."""
    text = text.replace("`", "").replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.strip(" .,;:!?\"'«»").split())


def glossary_names(term: GlossaryTerm) -> set[str]:
    """Every folded name `/def` finds `term` by."""
    names = {_fold(term.term), _fold(re.sub(r"\s*\(.*?\)", "", term.term))}
    names |= {_fold(inner) for inner in re.findall(r"\((.*?)\)", term.term)}
    names |= {_fold(name) for name in term.english}
    return {name for name in names if name}


def _variants(text: str) -> set[str]:
    wanted = _fold(text)
    bare = wanted.removeprefix("le ").removeprefix("la ").removeprefix("les ").removeprefix("l'").removeprefix("un ")
    bare = bare.removeprefix("une ")
    return {wanted, bare, wanted.rstrip("s"), bare.rstrip("s"), bare.rstrip("x"), wanted + "s"}


def key_term_problems(terms: Iterable[KeyTerm], glossary: Iterable[GlossaryTerm]) -> list[Problem]:
    """One problem per bold "À retenir" term that no glossary entry answers."""
    known = set().union(*(glossary_names(term) for term in glossary))
    return [
        Problem(term.path, term.line, f"the term {term.text!r} is in bold in 'À retenir' but has no glossary entry "
                "(add it to glossary.yaml, or give an entry this English name)")
        for term in terms
        if not _variants(term.text) & known
    ]
