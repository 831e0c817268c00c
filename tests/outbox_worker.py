"""A bot process that only runs the outbox sender until nothing is left: killed with SIGKILL by tests and benches.

    python tests/outbox_worker.py DATABASE_URL API_URL CONTENT_DIR [CONCURRENCY]

Prints one JSON line when it is done: {"sent": n, "recovered": n, ...}.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import build_application  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.content import load_catalog  # noqa: E402

TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"


async def main(database_url: str, api_url: str, content: str, concurrency: int) -> None:
    settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=Path(content),
                        outbox_concurrency=concurrency)
    application = build_application(settings, catalog=load_catalog(Path(content)), base_url=api_url, token=TOKEN,
                                    rate_limit=False)
    await application.initialize()
    sender = application.bot_data["outbox"]
    await sender.start()
    print(json.dumps({"started": True, "recovered": sender.stats.recovered}), flush=True)
    await sender.drain(timeout=3600)
    await sender.stop()
    print(json.dumps(dataclasses.asdict(sender.stats)), flush=True)
    await application.shutdown()
    application.bot_data["services"].db.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 8))
