"""Cutting one oversized block of our own Telegram HTML into pieces that each stand alone.

Cuts fall at the best boundary near the end of each piece: a line break, then a sentence end,
then a space, and only as a last resort inside a word. Tags open at a cut are closed before it
and reopened after it, so every piece is valid HTML on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

__all__ = ["split_code", "split_html", "visible_length"]

_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_TAG_NAME = re.compile(r"</?([a-zA-Z]+)")
_SENTENCE_END = ".!?…:;"

Measure = Callable[[str], int]


def visible_length(html: str, measure: Measure) -> int:
    """Length of the text Telegram shows for `html`, in the units `measure` counts."""
    return measure(unescape(_TAG.sub("", html)))


@dataclass(frozen=True)
class _Atom:
    raw: str
    size: int
    is_tag: bool
    strength: int  # how good a cut right after this atom is: 3 line, 2 sentence, 1 word, 0 none


def _atoms(html: str, measure: Measure) -> list[_Atom]:
    atoms: list[_Atom] = []
    previous = ""
    for raw in _TOKEN.findall(html):
        if raw.startswith("<") and raw.endswith(">") and len(raw) > 1:
            atoms.append(_Atom(raw, 0, True, 0))
            continue
        char = unescape(raw)
        strength = 3 if char == "\n" else (2 if previous in _SENTENCE_END else 1) if char == " " else 0
        atoms.append(_Atom(raw, measure(char), False, strength))
        previous = char
    return atoms


def _best_cut(atoms: list[_Atom], start: int, end: int) -> int:
    """Index just after the best boundary in atoms[start:end], preferring the later half."""
    half = start + (end - start) // 2
    for floor in (half, start):
        candidates = [i for i in range(floor, end) if atoms[i].strength > 0]
        if candidates:
            best = max(atoms[i].strength for i in candidates)
            return max(i for i in candidates if atoms[i].strength == best) + 1
    return end


def split_html(html: str, target: int, measure: Measure) -> list[str]:
    """Pieces of `html`, each showing at most `target` units of text."""
    atoms = _atoms(html, measure)
    pieces, stack, start = [], [], 0
    while start < len(atoms):
        size, end = 0, start
        while end < len(atoms) and size + atoms[end].size <= target:
            size += atoms[end].size
            end += 1
        if end < len(atoms):
            end = _best_cut(atoms, start, end) if end > start else start + 1
        while end < len(atoms) and atoms[end].raw.startswith("</"):
            end += 1  # keep a closing tag with its text rather than reopening an empty tag
        opening = "".join(stack)
        for atom in atoms[start:end]:
            if atom.is_tag:
                _track(stack, atom.raw)
        closing = "".join(f"</{_name(tag)}>" for tag in reversed(stack))
        body = "".join(atom.raw for atom in atoms[start:end])
        pieces.append(opening + body + closing)
        start = end
    return [piece for piece in pieces if unescape(_TAG.sub("", piece)).strip()]


def _name(tag: str) -> str:
    match = _TAG_NAME.match(tag)
    return match.group(1).lower() if match else ""


def _track(stack: list[str], tag: str) -> None:
    if tag.startswith("</"):
        if stack:
            stack.pop()
    elif not tag.endswith("/>"):
        stack.append(tag)


def split_code(code: str, target: int, measure: Measure) -> list[str]:
    """Chunks of `code` cut at line ends, each at most `target` units (long lines cut hard)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in code.split("\n"):
        while measure(line) > target:
            head = _prefix_fitting(line, target, measure)
            if current:
                chunks.append("\n".join(current))
                current, size = [], 0
            chunks.append(head)
            line = line[len(head):]
        extra = measure(line) + (1 if current else 0)
        if current and size + extra > target:
            chunks.append("\n".join(current))
            current, size = [], 0
            extra = measure(line)
        current.append(line)
        size += extra
    if current:
        chunks.append("\n".join(current))
    return chunks


def _prefix_fitting(text: str, target: int, measure: Measure) -> str:
    size, end = 0, 0
    while end < len(text) and size + measure(text[end]) <= target:
        size += measure(text[end])
        end += 1
    return text[: max(end, 1)]
