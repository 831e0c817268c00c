"""Print where a profiled bot process spent its time: a cProfile file, summed the readable way."""

from __future__ import annotations

import pstats
from pathlib import Path

__all__ = ["print_profile"]

ROOT = str(Path(__file__).resolve().parents[1])
_WAITING = ("select.epoll", "poll' of", "_thread.lock", "'acquire'", "SimpleQueue")  # idle: waiting for I/O, a lock, work


def _where(key: tuple[str, int, str]) -> str:
    file, line, function = key
    if file == "~":
        return function
    for marker in ("site-packages/", "python3.11/", ROOT + "/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return f"{file}:{line}({function})"


def _package(key: tuple[str, int, str]) -> str:
    """Who owns a function: a package (sqlalchemy, telegram...), a stdlib module, or a C type's module."""
    file, _, function = key
    if file == "~":  # a built-in: "<method 'execute' of 'sqlite3.Cursor' objects>"
        owner = function.split(" of '", 1)[1].split("'", 1)[0] if " of '" in function else "builtins"
        return owner.split(".", 1)[0].lstrip("_")
    for marker in ("site-packages/", "python3.11/"):
        if marker in file:
            return file.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    if file.startswith(ROOT + "/"):
        return "/".join(file[len(ROOT) + 1:].split("/")[:2])  # bot/services, bot/handlers...
    return file


def print_profile(path: str, *, top: int = 20) -> None:
    """The top entries by own time (idle waits apart), then the project's own functions by cumulative time."""
    stats = pstats.Stats(path).stats  # {(file, line, function): (primitive calls, calls, own, cumulative, callers)}
    busy = {key: value for key, value in stats.items() if not any(w in key[2] for w in _WAITING)}
    total_busy = sum(value[2] for value in busy.values())
    idle = sum(value[2] for key, value in stats.items() if key not in busy)
    print(f"\nprofile: {total_busy:.1f} s busy (own time summed), {idle:.1f} s waiting for I/O or locks")
    by_package: dict[str, float] = {}
    for key, value in busy.items():
        by_package[_package(key)] = by_package.get(_package(key), 0.0) + value[2]
    print("own time by package (share of busy time):")
    for package, own in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {own / total_busy:6.1%}  {own:7.2f} s  {package}")
    print(f"top {top} by own time (share of busy time):")
    for key, (_, calls, own, _, _) in sorted(busy.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"  {own / total_busy:6.1%}  {own:7.2f} s  {calls:>9}  {_where(key)}")
    ours = {key: value for key, value in busy.items() if key[0].startswith(ROOT + "/bot/")}
    print(f"the bot's own functions by cumulative time (share of busy time), top {top}:")
    for key, (_, calls, _, cumulative, _) in sorted(ours.items(), key=lambda kv: -kv[1][3])[:top]:
        print(f"  {cumulative / total_busy:6.1%}  {cumulative:7.2f} s  {calls:>9}  {_where(key)}")
