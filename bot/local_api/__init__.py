"""The project's own Bot API server: local mode, `tutorbot chat`, and the tests' Telegram.

It speaks the Bot API over real HTTP with Telegram's limits and error texts, and lets
tests act as users (send text, commands, documents, press buttons, answer polls).
"""

from bot.local_api.errors import ApiError
from bot.local_api.flood import FloodLimits
from bot.local_api.polls import PollClosed, PollRefused
from bot.local_api.server import LocalBotApi
from bot.local_api.sim_group import SimGroup
from bot.local_api.store import CallbackAnswer, SentDocument, SentMessage
from bot.local_api.users import SimUser

__all__ = ["ApiError", "CallbackAnswer", "FloodLimits", "LocalBotApi", "PollClosed", "PollRefused", "SentDocument",
           "SentMessage", "SimGroup", "SimUser"]
