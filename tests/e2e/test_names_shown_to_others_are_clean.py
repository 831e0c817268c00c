"""A first name shown to others (a game's lobby and boards, class stats, certificates) loses its direction overrides
and invisible characters, and is bounded: nobody turns a board or a certificate around, or hides behind a blank."""

from __future__ import annotations

import unicodedata

from bot_harness import REPO_CONTENT
from forged_presses import forge
from group_play import make_group, time_is_up

from bot.services.shown_names import MAX_SHOWN, shown_name

SPOOF = "Ana\u202e1202 ni deifitreC\u200b\u2066" + "x" * 60
BLANK = "\u3164\u200b\u2800"


def hidden(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cf", "Cc") and c != "\n"]


def test_the_cleaning_keeps_letters_and_drops_the_rest():
    assert hidden(SPOOF), "positive control: the raw name carries them"
    cleaned = shown_name(SPOOF)
    assert not hidden(cleaned) and cleaned.startswith("Ana1202 ni deifitreC") and len(cleaned) <= MAX_SHOWN
    assert shown_name(BLANK) == "?" and shown_name("  Zoé\n  Martin ") == "Zoé Martin"
    assert shown_name("李小龍 🐳") == "李小龍 🐳"


async def test_a_spoofing_name_is_cleaned_on_the_lobby(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT, group_lobby_seconds=2)
    group, admin, _ = make_group(local_api, -7201, 0)
    spoofer = group.add(local_api.user(7202, first_name=SPOOF))
    blank = group.add(local_api.user(7203, first_name=BLANK))
    sent = await admin.send("/quiz 1 5s", chat=group)
    lobby = await local_api.wait_for_message(group.id, after=sent.message_id, predicate=lambda m: bool(m.buttons))
    for player in (spoofer, blank):
        assert (await forge(local_api, player, lobby, lobby.buttons[0][1])).text == "Tu es dans la partie !"
    await time_is_up(bot)  # the lobby's time
    edited = await local_api.wait_for_edit(lobby)  # the lobby closes: it names its players
    assert "Ana1202 ni deifitreC" in edited.text and "?" in edited.text, edited.text
    assert not hidden(edited.text), hidden(edited.text)
    assert "x" * (MAX_SHOWN + 1) not in edited.text
