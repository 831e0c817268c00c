"""kill -9 in the middle of a broadcast, then restart: nothing lost, duplicates counted.

N text messages are queued in the outbox (one per learner); a bot process that runs only the
outbox sender (tests/outbox_worker.py) sends them through the local Bot API with Telegram's
limits on. The script kills it with SIGKILL once a share of them went out, starts it again,
and counts, per chat, what arrived: lost (0 copies) and duplicated (2+ copies), next to the
rows the restarted sender found claimed (at most its concurrency).

    .venv/bin/python bench/outbox_crash_bench.py --learners 3000 --kill-at 0.4 --concurrency 8
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.local_api import LocalBotApi  # noqa: E402
from bot.services import outbox  # noqa: E402
from bot.storage import make_engine, session_scope, upgrade_database  # noqa: E402

WORKER = ROOT / "tests" / "outbox_worker.py"
CONTENT = ROOT / "tests" / "fixtures" / "content"
TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"
FIRST = 200_000


async def main(args: argparse.Namespace) -> None:
    api = LocalBotApi(TOKEN, flood_control=True)
    await api.start()
    chats = [FIRST + i for i in range(args.learners)]
    for chat in chats:
        api.user(chat)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/crash.sqlite3"
        upgrade_database(url)
        engine = make_engine(url)
        with session_scope(engine) as session:
            outbox.enqueue(session=session, now=datetime.now(UTC), messages=[outbox.Outgoing(
                key=f"crash:{chat}", kind="text", chat_id=chat, payload={"text": f"Annonce {chat}"}, batch="crash")
                for chat in chats])
        engine.dispose()

        def arrived() -> int:
            return sum(1 for chat in chats for m in api.messages(chat) if m.from_bot)

        command = [sys.executable, str(WORKER), url, api.url, str(CONTENT), str(args.concurrency)]
        started = time.perf_counter()
        worker = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        while arrived() < args.learners * args.kill_at:
            await asyncio.sleep(0.05)
        os.kill(worker.pid, signal.SIGKILL)
        await worker.wait()
        at_kill = arrived()
        restarted = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        out, _ = await restarted.communicate()
        elapsed = time.perf_counter() - started
        lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    await api.stop()
    copies = [sum(1 for m in api.messages(chat) if m.from_bot) for chat in chats]
    lost = copies.count(0)
    duplicates = sum(c - 1 for c in copies if c > 1)
    print(f"{args.learners} messages, killed with SIGKILL after {at_kill} had arrived; restarted sender found "
          f"{lines[0]['recovered']} claimed (concurrency {args.concurrency})")
    print(f"  lost: {lost}; duplicates: {duplicates}; total time with the restart {elapsed:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=3000)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share of messages sent before the kill")
    parser.add_argument("--concurrency", type=int, default=8)
    asyncio.run(main(parser.parse_args()))
