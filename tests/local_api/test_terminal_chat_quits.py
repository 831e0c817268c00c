"""`tutorbot chat` as a person uses it: `/quit`, Ctrl-C and Ctrl-D leave at once and without a traceback; piped
input never stalls after a quiz answer; the bot's log stays out of the conversation; a chart is shown as an image
saved to a file, not as an empty message."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from bot.local_api import terminal
from bot.local_api.terminal import render_plain, run_terminal_chat

INTRO = b"/quit"  # the chat's first line names /quit: the chat is ready once it is on the screen
LEAVE_WITHIN = 45.0  # a bound for a stuck process (the old chat never left), not a speed target


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pty, so Ctrl-C there is SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class TerminalSession:
    """`tutorbot chat` in a pseudo-terminal, as a person at a keyboard runs it."""

    def __init__(self, tmp_path: Path) -> None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}", "LAB_ENABLED": "false",
               "TUTORBOT_CHAT_NAME": "Tess", "TMPDIR": str(tmp_path)}
        self.primary, secondary = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "bot", "chat"], stdin=secondary, stdout=secondary,
                                        stderr=secondary, env=env, preexec_fn=_own_terminal, close_fds=True)
        os.close(secondary)
        self.screen = b""

    def read_until(self, wanted: bytes, timeout: float = LEAVE_WITHIN) -> bool:
        deadline = time.monotonic() + timeout
        while wanted not in self.screen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.primary], [], [], 0.2)
            if ready:
                try:
                    self.screen += os.read(self.primary, 65536)
                except OSError:  # the chat has closed the terminal
                    break
        return wanted in self.screen

    def type(self, keys: bytes) -> None:
        os.write(self.primary, keys)

    def exit_code(self) -> int | None:
        deadline = time.monotonic() + LEAVE_WITHIN
        while time.monotonic() < deadline:
            self.read_until(b"\x00", timeout=0.2)  # keep draining the terminal so the chat never blocks on it
            if self.process.poll() is not None:
                return self.process.returncode
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.primary)


@pytest.fixture
def terminal_session(tmp_path):
    session = TerminalSession(tmp_path)
    yield session
    session.close()


def test_quit_leaves_at_once_and_the_log_stays_out_of_the_conversation(terminal_session, tmp_path):
    assert terminal_session.read_until(INTRO), terminal_session.screen.decode(errors="replace")
    assert terminal_session.read_until(b"Bonjour Tess"), "the welcome comes first"
    terminal_session.type(b"/quit\r")
    assert terminal_session.read_until("À bientôt".encode())
    terminal_session.type(b"\x03")  # an impatient Ctrl-C while the bot stops: the old chat printed a traceback
    assert terminal_session.exit_code() in {0, 130}, terminal_session.screen.decode(errors="replace")[-2000:]
    assert b"Traceback" not in terminal_session.screen
    log = tmp_path / "tutorbot-chat" / "chat.log"
    assert str(log).encode() in terminal_session.screen.replace(b"\r\n", b""), "the chat says where its log is"
    assert log.exists()
    assert b" INFO " not in terminal_session.screen and b" WARNING " not in terminal_session.screen


@pytest.mark.parametrize(("keys", "code"), [(b"\x03", 130), (b"\x04", 0)], ids=["ctrl-c", "ctrl-d"])
def test_ctrl_c_or_ctrl_d_leaves_at_once_without_a_traceback(terminal_session, keys, code):
    assert terminal_session.read_until(b"Bonjour Tess"), terminal_session.screen.decode(errors="replace")
    terminal_session.type(keys)
    assert terminal_session.exit_code() == code, terminal_session.screen.decode(errors="replace")[-2000:]
    assert b"Traceback" not in terminal_session.screen


async def test_piped_input_goes_on_right_after_a_quiz_answer(harness, monkeypatch):
    monkeypatch.setattr(terminal, "ANSWER_SECONDS", 3600.0)  # the old chat waited this long for a reply to the answer
    api = harness.api
    user = api.user(1002, first_name="Pia")
    printed: list[str] = []
    script = iter(["enrol", "answer", "/aide"])

    async def read_line() -> str | None:
        step = next(script, None)
        if step == "enrol":
            await api.wait_for_message(user.id, predicate=lambda m: bool(m.buttons), timeout=10)
            return "1"  # the course's button
        if step == "answer":
            await harness.application.bot.send_poll(user.id, "2 + 2 ?", ["4", "5"], type="quiz",
                                                    correct_option_ids=[0], is_anonymous=False)
            await api.wait_for_message(user.id, predicate=lambda m: m.poll is not None, timeout=10)
            return "1"  # the poll's first option
        return step

    await asyncio.wait_for(run_terminal_chat(api, user, read_line=read_line, write=printed.append,
                                             wait_for_answers=True), timeout=LEAVE_WITHIN)
    typed = [m.text for m in api.store.messages[user.id] if not m.from_bot]
    assert typed[-1] == "/aide", "the line after the quiz answer went without waiting for a reply"
    assert any("✔" in p for p in printed), "the answer was sent"


async def test_a_chart_is_shown_as_an_image_saved_to_a_file(harness, tmp_path):
    api = harness.api
    user = api.user(1003, first_name="Cleo")
    printed: list[str] = []
    script = iter(["/aide"])

    async def read_line() -> str | None:
        if any("🖼" in p for p in printed):
            return next(script, None)
        await api.wait_for_message(user.id, predicate=lambda m: bool(m.buttons), timeout=10)
        await harness.application.bot.send_photo(user.id, b"\x89PNG chart", caption="Progression de la classe")
        await api.wait_for_message(user.id, predicate=lambda m: bool(m.extra.get("photo")), timeout=10)
        return next(script, None)

    await run_terminal_chat(api, user, read_line=read_line, write=printed.append, wait_for_answers=True,
                            files_dir=tmp_path / "files")
    photo = next(m for m in api.messages(user.id) if m.extra.get("photo"))
    assert "Progression de la classe" in render_plain(photo)
    assert "🖼" in render_plain(photo), "the chat says an image came"
    saved = list((tmp_path / "files").iterdir())
    assert [p.read_bytes() for p in saved] == [b"\x89PNG chart"]
    assert any(str(saved[0]) in p for p in printed), "the chat prints where the image is"
