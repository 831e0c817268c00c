"""Notes on the lab's offline images, and a long output shown head and tail as its note says."""

from __future__ import annotations

from bot.feedback import standin_note
from bot.views.feedback import phrase
from bot.views.lab import command_output
from sandbox.results import CommandResult


def note(command: str, output: str, lang: str = "fr") -> str | None:
    found = standin_note(command, output)
    return phrase(lang, found) if found is not None else None


def test_a_note_only_when_the_output_shows_the_stand_in():
    assert "Debian" in note("docker run --rm ubuntu cat /etc/os-release", 'NAME="Debian GNU/Linux"')
    assert note("docker run --rm debian cat /etc/os-release", 'NAME="Debian GNU/Linux"') is None
    assert note("echo ubuntu", "Debian") is None
    assert "busybox" in note("docker run --rm alpine cat /etc/os-release",
                             'PRETTY_NAME="Alpine Linux stand-in (busybox)"')
    assert note("docker run --rm python:3.11 python -V", "Python 3.11.2") is None
    assert "3.11" in note("docker run --rm python:3.12 python -V", "Python 3.11.2")


def test_the_note_is_in_the_learners_language():
    command, output = "docker run --rm python:3.12 python -V", "Python 3.11.2"
    assert note(command, output, "en").startswith("In your offline lab, every <code>python</code> image")
    assert note(command, output, "fr").startswith("Dans ton labo hors ligne, toutes les images <code>python</code>")
    text = command_output("en", command, CommandResult(exit_code=0, output=output, truncated=False, duration_s=0.1))
    assert "ℹ️ In your offline lab" in text and "<code>python:3.12</code>" in text


def test_a_long_output_shows_its_beginning_and_its_end():
    output = "".join(f"ligne {i}\n" for i in range(2000))
    text = command_output("fr", "seq", CommandResult(exit_code=0, output=output, truncated=False, duration_s=0.1))
    assert "ligne 0\n" in text and "ligne 1999" in text and "[…]" in text and len(text) < 4096
