"""`tutorbot chat` with DEFAULT_LANGUAGE=en, as someone tries the bot from a terminal: everything the chat itself
prints is English, the simulated learners have English names, and the welcome comes once though /start is typed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_terminal_chat_speaks_english_and_welcomes_once(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/chat.db",
           "DEFAULT_LANGUAGE": "en", "LAB_ENABLED": "false", "CONTENT_DIR": str(ROOT / "content"),
           "TUTORBOT_CHAT_NAME": "Amy"}
    done = subprocess.run([sys.executable, "-m", "bot", "chat", "--learners", "1"], input="/start\n/progress\n",
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=True)
    out = done.stdout
    assert out.startswith("You are chatting with the bot locally.")
    assert "Several people: /as N" in out and "1 = Learner 1" in out
    assert out.count("[Amy] 👋 Hello Amy!") == 1, "the welcome once, though /start was typed"
    assert "the /start welcome is just above" in out
    assert "[Amy] You have no course yet" in out
    for french in ("Vous ", "Élève", "(modifié)", "octets", "réponse"):
        assert french not in out, french
