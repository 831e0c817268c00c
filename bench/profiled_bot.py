"""`tutorbot run` under cProfile, every thread included: `python bench/profiled_bot.py OUT.pstats`.

`python -m cProfile` sees the main thread only, and the bot's database work runs on its own
thread (bot/services/unit_of_work.py): each thread here gets its own profiler, and the profiles
are merged into OUT when the bot stops (SIGTERM stops it cleanly).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(out: str) -> int:
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
    from bot.cli import main as tutorbot

    main_thread = cProfile.Profile()
    main_thread.enable()
    try:
        code = tutorbot(["run"])
    finally:
        main_thread.disable()
        stats = pstats.Stats(main_thread)
        for profile in finished:
            stats.add(profile)
        stats.dump_stats(out)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
