"""The review says "most important first": its icons agree, a root container is never a 💡 above ⚠️ remarks."""

from __future__ import annotations

from bot.feedback import review_dockerfile
from bot.views.feedback import render_review_html

ICONS = {"⛔": 0, "🔒": 1, "⚠️": 1, "💡": 2}


def icons(text: str) -> list[str]:
    return [line.split(" ", 1)[0] for line in text.splitlines() if line.split(" ", 1)[0] in ICONS]


def test_icons_never_get_more_serious_down_the_review():
    dockerfile = "FROM debian\nRUN apt-get install curl\nRUN cd /tmp && echo salut\nADD app.py /app.py\nCMD python3 /app.py\n"
    text = render_review_html("fr", review_dockerfile(dockerfile))
    shown = icons(text)
    assert shown[0] == "⛔" and "💡" in shown, text
    ranks = [ICONS[i] for i in shown]
    assert ranks == sorted(ranks), text
    root_line = next(line for line in text.splitlines() if "tourne en root" in line)
    assert not root_line.startswith("💡"), "a security remark listed before warnings looks at least as serious"
