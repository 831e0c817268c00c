"""Terminal mode as a shell: the working directory and exported variables carry over between commands.

Each lab command is a fresh `sh -c`, so the state lives in the learner's home in their workspace:
the command runs after that file is read back, then `pwd` and `export -p` are written to it again.
The learner's text is passed through a quoted here-document to `eval`, so no quoting of theirs can
break the wrapper (a here-document line equal to the marker is the one exception, refused).
"""

from __future__ import annotations

__all__ = ["STATE_FILE", "in_terminal"]

STATE_FILE = "$HOME/.tutorbot-terminal"
_MARKER = "TUTORBOT_TERMINAL_END"


def in_terminal(command: str) -> str:
    """The shell text that runs `command` in the terminal's directory and environment, then saves them."""
    if any(line.strip() == _MARKER for line in command.splitlines()):
        return command  # runs without the carried-over state rather than break the wrapper
    return (
        f'[ -r "{STATE_FILE}" ] && . "{STATE_FILE}" && cd "$TUTORBOT_PWD" 2>/dev/null\n'
        f"eval \"$(cat <<'{_MARKER}'\n{command}\n{_MARKER}\n)\"\n"
        f'tutorbot_rc=$?; TUTORBOT_PWD=$(pwd); export TUTORBOT_PWD; export -p > "{STATE_FILE}" 2>/dev/null;'
        " exit $tutorbot_rc"
    )
