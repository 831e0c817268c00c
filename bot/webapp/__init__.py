"""The Mini App: web pages opened inside Telegram, served by the bot itself on aiohttp.

- `init_data.py` checks Telegram's signature of the caller (`initData`): the only authentication.
- `server.py` serves the page, its static files and the `/api/*` routes of each feature.
- one module per feature adds its routes (`api_me.py`...); they call services, as handlers do.
"""
