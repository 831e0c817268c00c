"""`tutorbot run` under cProfile, every thread included: `python bench/profiled_bot.py OUT.pstats`.

`python -m cProfile` sees the main thread only, and the bot's database work runs on its own
thread (bot/services/unit_of_work.py): each thread here gets its own profiler, and the profiles
are merged into OUT when the bot stops (SIGTERM stops it cleanly). The main thread's own (the
event loop) is also written alone, to OUT.loop.

The main thread is profiled from SIGUSR1 on (the bench sends it once the bot is up and warm), so
start-up (imports, content, migrations) stays out; other threads from their start.
`python bench/profiled_bot.py OUT SCRIPT` profiles another bot script the same way (bench/echo_bot.py).
"""

from __future__ import annotations

import cProfile
import pstats
import runpy
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(out: str, script: str | None = None) -> int:
    finished: list[cProfile.Profile] = []
    original_run = threading.Thread.run

    def profiled_run(thread: threading.Thread) -> None:
        profile = cProfile.Profile()
        profile.enable()
        try:
            original_run(thread)
        finally:
            profile.disable()
            finished.append(profile)

    threading.Thread.run = profiled_run  # type: ignore[method-assign]
    main_thread = cProfile.Profile()
    signal.signal(signal.SIGUSR1, lambda _signal, _frame: main_thread.enable())
    try:
        if script is None:
            from bot.cli import main as tutorbot

            code = tutorbot(["run"])
        else:
            runpy.run_path(script, run_name="__main__")
            code = 0
    finally:
        main_thread.disable()
        stats = pstats.Stats(main_thread)
        for profile in finished:
            stats.add(profile)
        stats.dump_stats(out)
        main_thread.dump_stats(out + ".loop")
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
