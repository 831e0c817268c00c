"""Learner-facing words live in bot/i18n: a French sentence written in a bot/feedback module would reach an
English-speaking learner in French. This test reads every string literal of those modules (docstrings aside)."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

FEEDBACK = Path(__file__).parents[2] / "bot" / "feedback"

_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
_FRENCH_WORD = re.compile(
    r"\b(?:le|la|les|des|une|est|sont|pas|dans|avec|pour|sans|ton|ta|tes|ton|qui|que|ou|sur|puis|ne|du|au|aux)\b"
    r"|\b[cdjlmnqst]'[a-z]", re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _looks_french(text: str) -> bool:
    """Accented letters, or two French function words (one could be a regex's or a name's)."""
    return bool(_ACCENTED.search(text)) or len(_FRENCH_WORD.findall(text)) >= 2


def french_in(path: Path) -> list[str]:
    """`file:line: text` for each string literal of a module (an f-string read whole) that reads as French."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [part for part in node.values if isinstance(part, ast.Constant)]
            skip.update(id(part) for part in parts)
            text = "{}".join(str(part.value) for part in parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if _looks_french(text):
            found.append(f"{path.name}:{node.lineno}: {text[:80]}")
    return found


def french_literals(folder: Path) -> list[str]:
    return [line for path in sorted(folder.glob("*.py")) for line in french_in(path)]


def test_no_feedback_module_writes_french_for_the_learner():
    assert french_literals(FEEDBACK) == []


def test_a_french_sentence_planted_in_a_feedback_module_is_caught(tmp_path):
    copy = tmp_path / "feedback"
    shutil.copytree(FEEDBACK, copy)
    causes = copy / "command_causes.py"
    causes.write_text(causes.read_text(encoding="utf-8") + (
        "\n\ndef _planted(port: int) -> str:\n"
        '    """Ceci est une docstring : elle ne compte pas."""\n'
        '    return f"Le port {port} est pris par un autre conteneur"\n'), encoding="utf-8")
    (copy / "planted_note.py").write_text('NOTE = "Relance la commande sans rien changer"\n', encoding="utf-8")
    found = french_literals(copy)
    assert [line.split(":")[0] for line in found] == ["command_causes.py", "planted_note.py"], found
    assert "Le port " in found[0] and "Relance la commande" in found[1]
