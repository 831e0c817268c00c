"""Looking words up in the course glossary, forgiving accents, case and the bracketed part of a term."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import get_close_matches

from bot.content import Course, GlossaryTerm

__all__ = ["Lookup", "english_names", "fold", "look_up"]


@dataclass(frozen=True)
class Lookup:
    found: GlossaryTerm | None
    suggestions: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation at the ends: "Nœud" -> "noeud", "Réplica" -> "replica"."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.strip(" .,;:!?\"'«»").split())


def _names(term: GlossaryTerm) -> list[str]:
    """The ways a learner may write a term: "Couche (layer)" is "couche", "layer" and the whole."""
    whole = fold(term.term)
    names = [whole, fold(re.sub(r"\s*\(.*?\)", "", term.term))]
    names += [fold(inner) for inner in re.findall(r"\((.*?)\)", term.term)]
    return [n for n in dict.fromkeys(names) if n]


def english_names(term: GlossaryTerm) -> tuple[str, ...]:
    """The English names worth showing: those the term's own name does not already say ("layer" in
    "Couche (layer)", "image" for "Image")."""
    own = set(_names(term))
    return tuple(name for name in term.english if fold(name) not in own)


def look_up(course: Course, query: str) -> Lookup:
    wanted = fold(query)
    if not wanted:
        return Lookup(None)
    names = {name: term for term in course.glossary for name in _names(term)}
    for term in course.glossary:  # then the English names ("container"); a term's own name wins over them
        for name in term.english:
            names.setdefault(fold(name), term)
    if wanted in names:
        return Lookup(names[wanted])
    for variant in (wanted.rstrip("s"), wanted + "s", wanted.removeprefix("le ").removeprefix("la ").removeprefix("l'")):
        if variant in names:
            return Lookup(names[variant])
    close = get_close_matches(wanted, list(names), n=3, cutoff=0.75)
    if len(close) == 1 or (close and names[close[0]] is names[close[-1]]):
        return Lookup(names[close[0]])
    containing = [term for name, term in names.items() if wanted in name]
    candidates = list({id(term): term for term in [names[c] for c in close] + containing}.values())
    if len(candidates) == 1:  # "swarm" -> "Docker Swarm": one term says it, so it is the answer
        return Lookup(candidates[0])
    return Lookup(None, tuple(term.term for term in candidates[:5]))
