"""`docker exec -it web2 sh` in the chat: the advice does not tell a learner already using sh to prefer sh."""

from __future__ import annotations

import pytest

from bot.services.lab import NEEDS_TTY, LabRefusal
from bot.services.tty_advice import tty_advice
from bot.views.lab import refusal_text


def advice_text(command: str, lang: str = "fr") -> str:
    advice = tty_advice(command)
    refusal = LabRefusal(NEEDS_TTY, {"kind": advice.kind, "alternative": advice.alternative,
                                     "several": advice.several, "not_sh": advice.not_sh})
    return refusal_text(lang, refusal, command=command)


@pytest.mark.parametrize("command", ["docker exec -it web2 sh", "docker run -it alpine", "docker run -it busybox sh",
                                     "docker exec -it web2 /bin/ash"])
def test_no_sh_rather_than_bash_when_the_learner_did_not_ask_for_bash(command):
    text = advice_text(command)
    assert "sh -c" in text
    assert "plutôt que" not in text and "bash" not in text, text


@pytest.mark.parametrize("command", ["docker exec -it web2 bash", "docker run -it debian /bin/bash"])
def test_bash_still_gets_the_reason_to_take_sh(command):
    assert "Prends <code>sh</code> plutôt que <code>bash</code>" in advice_text(command)
    assert "Use <code>sh</code> rather than <code>bash</code>" in advice_text(command, "en")
