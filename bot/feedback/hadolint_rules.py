"""hadolint's rules in the course's words: each code's title, why and fix are messages of
bot/i18n/*/dockerfile_review.yaml (`lint_<code>_title`, `_why`, `_fix`; the pinning rules share `lint_pin_why`).

Codes not listed here (new rules, DL1000 parse errors, ShellCheck SCxxxx) get a generic wrapper
that keeps hadolint's English message, so nothing is ever lost in translation.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.feedback.hadolint_runner import HadolintResult
from bot.feedback.models import Finding, Phrase, Severity
from bot.feedback.rule_helpers import remark_words

__all__ = ["HADOLINT_RULES", "translate"]


class Rule(NamedTuple):
    topic: str
    severity: Severity | None = None  # None: keep hadolint's level
    pinning: bool = False  # a "versions not pinned" rule: its why is the shared `lint_pin_why`


_INFO: Severity = "info"

HADOLINT_RULES: dict[str, Rule] = {  # code -> its lesson topic; words: lint_<code>_title/_why/_fix
    "DL3000": Rule("workdir"),
    "DL3001": Rule("shell"),
    "DL3002": Rule("user"),
    "DL3003": Rule("workdir"),
    "DL3004": Rule("user"),
    "DL3005": Rule("package-install"),
    "DL3006": Rule("base-tag"),
    "DL3007": Rule("base-tag"),
    "DL3008": Rule("version-pinning", _INFO, pinning=True),
    "DL3009": Rule("apt-cleanup"),
    "DL3010": Rule("copy-vs-add"),
    "DL3011": Rule("expose"),
    "DL3012": Rule("healthcheck"),
    "DL3013": Rule("version-pinning", _INFO, pinning=True),
    "DL3014": Rule("package-install", "error"),  # no -y: the build cannot answer, it aborts
    "DL3015": Rule("package-install", _INFO),
    "DL3016": Rule("version-pinning", _INFO, pinning=True),
    "DL3018": Rule("version-pinning", _INFO, pinning=True),
    "DL3019": Rule("apt-cleanup"),
    "DL3020": Rule("copy-vs-add"),
    "DL3021": Rule("copy-vs-add"),
    "DL3022": Rule("multi-stage"),
    "DL3023": Rule("multi-stage"),
    "DL3024": Rule("multi-stage"),
    "DL3025": Rule("cmd-form"),
    "DL3026": Rule("base-image"),
    "DL3027": Rule("package-install"),
    "DL3028": Rule("version-pinning", _INFO, pinning=True),
    "DL3029": Rule("base-image"),
    "DL3030": Rule("package-install", "error"),  # no -y: the build cannot answer, it aborts
    "DL3031": Rule("package-install"),
    "DL3032": Rule("apt-cleanup"),
    "DL3033": Rule("version-pinning", _INFO, pinning=True),
    "DL3034": Rule("package-install", "error"),  # no -y: the build cannot answer, it aborts
    "DL3035": Rule("package-install"),
    "DL3036": Rule("apt-cleanup"),
    "DL3037": Rule("version-pinning", _INFO, pinning=True),
    "DL3038": Rule("package-install", "error"),  # no -y: the build cannot answer, it aborts
    "DL3040": Rule("apt-cleanup"),
    "DL3041": Rule("version-pinning", _INFO, pinning=True),
    "DL3042": Rule("pip-cache"),
    "DL3043": Rule("dockerfile-basics"),
    "DL3044": Rule("env-secrets"),
    "DL3045": Rule("workdir"),
    "DL3046": Rule("user"),
    "DL3047": Rule("shell", _INFO),
    "DL3048": Rule("labels"),
    "DL3057": Rule("healthcheck"),
    "DL3059": Rule("run-merge", _INFO),
    "DL3060": Rule("apt-cleanup"),
    "DL3061": Rule("dockerfile-basics"),
    "DL3062": Rule("version-pinning", _INFO, pinning=True),
    "DL3066": Rule("user", _INFO),
    "DL4000": Rule("labels", _INFO),
    "DL4001": Rule("shell"),
    "DL4003": Rule("cmd-entrypoint"),
    "DL4004": Rule("cmd-entrypoint"),
    "DL4005": Rule("shell"),
    "DL4006": Rule("shell"),
}
_LABEL_CODES = {f"DL30{n}" for n in range(49, 57)} | {"DL3058"}
_LEVELS: dict[str, Severity] = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


def translate(result: HadolintResult) -> Finding:
    """A hadolint result as a Finding (a generic wrapper, with hadolint's message, for codes we do not know)."""
    level = _LEVELS.get(result.level, "warning")
    message = " ".join(result.message.split())[:300]
    rule = HADOLINT_RULES.get(result.code)
    if rule is not None:
        title, why, fix = remark_words(f"lint_{result.code}")
        return Finding(result.code, rule.severity or level, result.line, title,
                       Phrase("lint_pin_why") if rule.pinning else why, fix, rule.topic)
    if result.code in _LABEL_CODES:
        return Finding(result.code, level, result.line, *remark_words("lint_label", message=message), "labels")
    if result.code == "DL1000":
        return Finding(result.code, "error", result.line, *remark_words("lint_syntax", message=message), "dockerfile-basics")
    if result.code.startswith("SC"):
        return Finding(result.code, level, result.line, *remark_words("lint_shellcheck", code=result.code, message=message),
                       "shell")
    return Finding(result.code, level, result.line, *remark_words("lint_other", code=result.code, message=message),
                   "dockerfile-basics")
