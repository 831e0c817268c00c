"""Telegram rendering shared by handlers and jobs: services' values in, text and keyboards out.

Views never touch the database and never decide what to do; a handler or a job asks for a
view, then sends it. Learner-facing words come from bot/i18n.
"""
