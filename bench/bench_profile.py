"""Print where a profiled bot process spent its time: a cProfile file, summed the readable way."""

from __future__ import annotations

import pstats
from pathlib import Path

__all__ = ["print_profile", "print_versus"]

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


def _own_by_package(stats: dict, minus: dict | None = None) -> dict[str, float]:
    """Own time by package, idle waits apart; `minus` (a thread's stats) taken out."""
    found: dict[str, float] = {}
    for key, value in stats.items():
        if any(w in key[2] for w in _WAITING):
            continue
        own = value[2] - (minus[key][2] if minus and key in minus else 0.0)
        found[_package(key)] = found.get(_package(key), 0.0) + own
    return found


def print_versus(bot: str, bot_updates: int, bare: str, bare_updates: int, *, top: int = 20) -> None:
    """The bot's own time per update, its event loop and its other threads (the database) apart, beside the
    bare PTB bot's, by package: where the bot's cost beyond bare PTB goes (times under cProfile, so inflated)."""
    everything, loop, ceiling = (pstats.Stats(path).stats for path in (bot, bot + ".loop", bare))
    on_loop, others = _own_by_package(loop), _own_by_package(everything, minus=loop)
    bare_own = _own_by_package(ceiling)
    per = {name: (on_loop.get(name, 0.0) * 1000 / bot_updates, others.get(name, 0.0) * 1000 / bot_updates,
                  bare_own.get(name, 0.0) * 1000 / bare_updates) for name in {*on_loop, *others, *bare_own}}
    total = [sum(v[i] for v in per.values()) for i in range(3)]
    print(f"\nown time per update under cProfile, ms: the bot's event loop {total[0]:.2f} + its other threads "
          f"(database) {total[1]:.2f}, bare PTB {total[2]:.2f}")
    print("by package, largest excess over bare PTB first (loop + other threads - bare):")
    print("   excess    loop  others    bare  package")
    for name, (ours, theirs, base) in sorted(per.items(), key=lambda kv: -(kv[1][0] + kv[1][1] - kv[1][2]))[:top]:
        print(f"  {ours + theirs - base:7.3f} {ours:7.3f} {theirs:7.3f} {base:7.3f}  {name}")
    print("the same calls on both sides cost more in the bot where a call releases the GIL (socket, select, sqlite3):")
    print("getting it back waits for the other thread.")
