"""Notes on the lab's offline images, and a long output shown head and tail as its note says."""

from __future__ import annotations

from bot.feedback import standin_note
from bot.views.lab import command_output
from sandbox.results import CommandResult


def test_a_note_only_when_the_output_shows_the_stand_in():
    assert "Debian" in standin_note("docker run --rm ubuntu cat /etc/os-release", 'NAME="Debian GNU/Linux"')
    assert standin_note("docker run --rm debian cat /etc/os-release", 'NAME="Debian GNU/Linux"') is None
    assert standin_note("echo ubuntu", "Debian") is None
    assert "busybox" in standin_note("docker run --rm alpine cat /etc/os-release",
                                     'PRETTY_NAME="Alpine Linux stand-in (busybox)"')
    assert standin_note("docker run --rm python:3.11 python -V", "Python 3.11.2") is None
    assert "3.11" in standin_note("docker run --rm python:3.12 python -V", "Python 3.11.2")


def test_a_long_output_shows_its_beginning_and_its_end():
    output = "".join(f"ligne {i}\n" for i in range(2000))
    text = command_output("fr", "seq", CommandResult(exit_code=0, output=output, truncated=False, duration_s=0.1))
    assert "ligne 0\n" in text and "ligne 1999" in text and "[…]" in text and len(text) < 4096
