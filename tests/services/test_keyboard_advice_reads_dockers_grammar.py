"""A learner's valid command is never told it "needs a keyboard": only Docker's own flags, before the image or
container name, can ask for a TTY (`ls -t`, `sort -t,` are the container's), and the advice never repeats
the command that was typed."""

from __future__ import annotations

import pytest

from bot.services.lab import needs_tty
from bot.services.tty_advice import tty_advice

RUN_AS_THEY_ARE = [
    "docker run --rm alpine ls -t /",
    "docker exec web sort -t, -k2 /data.csv",
    "docker run -e T=1 alpine env",
    "docker run -d -it nginx",
    "docker run -dp 8080:80 -it nginx",
    "docker run --tty=false alpine ls",
    "docker run --rm alpine sh -c 'docker run -it x'",
    "docker run --rm --entrypoint ls alpine -t /",
    "docker run --rm -v /tmp:/t -w /t alpine ls -lt",
]
NEED_A_KEYBOARD = [
    ("docker run -it alpine sh", "docker run --rm alpine ls /"),
    ("docker run --tty ubuntu", "docker run --rm ubuntu ls /"),
    ("docker run -p8080:80 -it --name web nginx", "docker run -p8080:80 --name web nginx"),
    ("docker run -it --rm -w /app python python -V", "docker run --rm -w /app python python -V"),
    ("docker exec -it web sh", "docker exec web ls /"),
    ("docker container run -ti -e A=1 alpine sh", "docker run --rm -e A=1 alpine ls /"),
]


@pytest.mark.parametrize("command", RUN_AS_THEY_ARE)
def test_a_command_whose_t_is_not_dockers_runs_as_it_is(command):
    assert not needs_tty(command)


@pytest.mark.parametrize(("command", "advice"), NEED_A_KEYBOARD)
def test_a_command_that_waits_for_a_keyboard_gets_one_that_does_not(command, advice):
    assert needs_tty(command)
    suggested = tty_advice(command).alternative
    assert suggested == advice
    assert suggested != command and not needs_tty(suggested), "never the typed command, nor one that waits again"
