"""Every message key the feedback engine can hand the view exists in the catalogs: a missing one would reach the
learner as an apology instead of a diagnosis. Keys are read from the code (literal keys, cause codes, rule tables)."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.feedback.build_causes import _INSTALL_HINTS
from bot.feedback.hadolint_rules import HADOLINT_RULES
from bot.i18n import has_message

FEEDBACK = Path(__file__).parents[2] / "bot" / "feedback"
PARTS = {"Story": ("cause", "why", "fix"), "remark_words": ("title", "why", "fix")}


def _strings(node: ast.AST) -> list[str]:
    """The literal strings of an argument (both branches of `a if x else b`), f-strings left out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def keys_in_code() -> set[str]:
    keys: set[str] = set()
    for path in FEEDBACK.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or not node.args:
                continue
            name = node.func.id
            if name == "Phrase":
                keys.update(_strings(node.args[0]))
            elif name == "not_a_dockerfile":
                keys.update(s for arg in node.args for s in _strings(arg))
            elif name in PARTS:
                prefix = "diag_" if name == "Story" else ""
                keys.update(f"{prefix}{code}_{part}" for code in _strings(node.args[0]) for part in PARTS[name])
    return keys


def test_every_message_the_feedback_code_names_exists():
    keys = keys_in_code()
    assert len(keys) > 100, "the scan found the keys"
    assert {"diag_port_taken_cause", "review_apt_update_why_fresh", "standin_python", "review_not_dockerfile_fix"} <= keys
    assert sorted(key for key in keys if not has_message(key)) == []


def test_every_hadolint_rule_and_install_hint_has_its_words():
    for code, rule in HADOLINT_RULES.items():
        for part in ("title", "fix") if rule.pinning else ("title", "why", "fix"):
            assert has_message(f"lint_{code}_{part}"), (code, part)
    assert has_message("lint_pin_why")
    for hint in {*_INSTALL_HINTS.values(), "install"}:
        assert has_message(f"diag_hint_{hint}"), hint
