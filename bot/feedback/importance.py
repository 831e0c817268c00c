"""How much a Dockerfile remark matters to a learner: the review shows the most important first.

An explicit order, from what stops the image from being built to matters of taste:

1. `breaks_build`: the build fails (syntax, no FROM, `apt-get install` without `-y`, `sudo`...);
2. `security`: a secret in the image, a container running as root, a blind download;
3. `behaviour`: the image builds but does not do what the learner thinks (only the last CMD counts,
   `cd` in a RUN, shell-form CMD ignoring `docker stop`...);
4. `reproducibility`: the same Dockerfile gives another image tomorrow (`latest`, unpinned versions);
5. `size_and_style`: a heavier image, a slower rebuild, a deprecated spelling.

Within a rank: severity (error, warning, info), then line, then code. A remark marked `error` always
breaks the build; a code not listed falls back on its severity (warning: behaviour, info: style).

The icon a remark is shown with follows that order (`shown_severities`): a security remark is at least a
warning, and no remark looks less serious than one listed after it.
"""

from __future__ import annotations

from typing import Literal

from bot.feedback.models import SEVERITY_RANK, Finding, Severity

__all__ = ["IMPORTANCE", "Importance", "importance", "importance_key", "shown_severities"]

Importance = Literal["breaks_build", "security", "behaviour", "reproducibility", "size_and_style"]
IMPORTANCE: tuple[Importance, ...] = ("breaks_build", "security", "behaviour", "reproducibility", "size_and_style")

_BY_CODE: dict[str, Importance] = {
    # the build fails
    **dict.fromkeys(("TB001", "TB002", "TB106", "TB107", "DL1000", "DL3004", "DL3011", "DL3014", "DL3021", "DL3022",
                     "DL3023", "DL3024", "DL3030", "DL3034", "DL3038", "DL3043", "DL3061"), "breaks_build"),
    # what an attacker could use
    **dict.fromkeys(("TB207", "TB209", "DL3002", "DL3026", "DL3044", "DL3064"), "security"),
    # builds, but not as the learner thinks
    **dict.fromkeys(("TB101", "TB203", "TB204", "TB205", "TB206", "DL3000", "DL3001", "DL3003", "DL3025", "DL3045",
                     "DL4003", "DL4004", "DL4005", "DL4006"), "behaviour"),
    # another image tomorrow
    **dict.fromkeys(("TB201", "DL3005", "DL3006", "DL3007", "DL3008", "DL3013", "DL3016", "DL3018", "DL3027",
                     "DL3028", "DL3029", "DL3031", "DL3033", "DL3035", "DL3037", "DL3041", "DL3062"),
                    "reproducibility"),
    # heavier, slower or old-fashioned
    **dict.fromkeys(("TB003", "TB102", "TB103", "TB104", "TB105", "TB208", "TB210", "DL3009", "DL3010", "DL3012",
                     "DL3015", "DL3019", "DL3020", "DL3032", "DL3036", "DL3040", "DL3042", "DL3046", "DL3047",
                     "DL3048", "DL3057", "DL3059", "DL3060", "DL3066", "DL4000", "DL4001"), "size_and_style"),
}
_BY_SEVERITY: dict[str, Importance] = {"error": "breaks_build", "warning": "behaviour", "info": "size_and_style"}


def importance(finding: Finding) -> Importance:
    if finding.severity == "error":
        return "breaks_build"
    if finding.code == "TB202":  # ADD of a URL downloads blindly; ADD of a local file is only style
        return "security" if finding.title.key == "review_add_url_title" else "size_and_style"
    return _BY_CODE.get(finding.code, _BY_SEVERITY[finding.severity])


def importance_key(finding: Finding) -> tuple[int, int, int, str]:
    """Sort key of the review: importance, severity, line, code."""
    return (IMPORTANCE.index(importance(finding)), SEVERITY_RANK[finding.severity], finding.line or 0, finding.code)


def shown_severities(findings: list[Finding] | tuple[Finding, ...]) -> list[Severity]:
    """The severity each remark of a sorted review is shown with: its own, raised to a warning for a security
    remark, and to the most serious of the remarks after it, so the icons never contradict the order."""
    shown: list[Severity] = []
    floor: Severity = "info"
    for finding in reversed(findings):
        own: Severity = finding.severity
        if importance(finding) == "security" and own == "info":
            own = "warning"
        if SEVERITY_RANK[floor] < SEVERITY_RANK[own]:
            own = floor
        shown.append(own)
        floor = own
    return shown[::-1]
