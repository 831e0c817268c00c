"""Every kind of button, forged: numbers of 25 digits, ids that do not exist, extra or missing fields. Each press is
answered "this button has expired", in the learner's chat, without "Oups" and without an error in the log."""

from __future__ import annotations

import logging

import pytest
from forged_presses import forge

from bot.callbacks import Payload

HUGE = "9" * 25
FORGED: dict[str, list[str]] = {
    "menu": ["menu:1"], "help": ["help:x"], "prog": ["prog:1"], "crs": ["crs:nope", "crs:mini:1"],
    "les": ["les:nope", f"les:m1-images:{HUGE}", "les:m1-images:-1"], "done": ["done:nope"],
    "quiz": ["quiz:m1:2"], "ans": ["ans:nope:0", f"ans:m1-q1:{HUGE}", "ans:m1-q1:٣"], "rev": ["rev:1"],
    "memo": ["memo:nope"], "xa": [f"xa:{HUGE}:0:0", "xa:1:0:0"], "xs": ["xs:1"], "xr": [f"xr:{HUGE}", "xr:7"],
    "xn": [f"xn:{HUGE}:1", "xn:7:2"], "ex": ["ex:nope"], "chk": ["chk:1"], "hint": ["hint:nope", f"hint:hello:{HUGE}"],
    "exq": ["exq:1"], "set": ["set:lang:xx", "set:tz:Mars/Olympus", f"set:tz:{HUGE}", "set:tz:999", "set:tz:localtime",
            "set:tz:posix/Europe/Paris", "set:tz:Factory", "set:time:99h99"],
    "reset": ["reset:2"], "gj": [f"gj:{HUGE}", "gj:1"], "stop": ["stop:1"], "toc": ["toc:nope"], "lab": ["lab:1"],
    "exs": ["exs:1"], "as": [f"as:{HUGE}", "as:1"], "ah": [f"ah:{HUGE}", "ah:1"], "ac": [f"ac:{HUGE}", "ac:1"],
    "bs": [f"bs:{HUGE}", "bs:1"], "cd": [f"cd:{HUGE}", "cd:1:1"], "cq": [f"cq:{HUGE}:0", "cq:1:0"],
    "forget": ["forget:2", "forget:1:1"], "lvc": ["lvc:2", "lvc:1:1"], "def": ["def:nope", "def:"],
    "cu": [f"cu:{HUGE}", "cu:1", "cu:1:nope"], "lp": ["lp:1:p", "lp:1:x", f"lp:{HUGE}:p"],
    "lk": ["lk:1:p:m1-images", "lk:1:s:nope"], "dk": ["dk:1:s:m1-images:20260101", f"dk:1:a:1:{HUGE}"],
    "pc": [f"pc:{HUGE}", "pc:1"], "pv": [f"pv:{HUGE}", "pv:1"],
}
REFUSALS = ("plus valable", "réservée aux formateurs", "Je ne connais pas")
"""The button has expired; an instructor's button pressed by a learner; a module the course does not have."""


def test_the_table_forges_every_kind_of_button():
    assert set(FORGED) == set(Payload._registry)


@pytest.fixture
async def learner_with_menu(harness):
    api = harness.api
    mia = api.user(7001, first_name="Mia")
    sent = await mia.send("/start mini")
    menu = await api.wait_for_message(mia.id, after=sent, predicate=lambda m: bool(m.buttons))
    return api, mia, menu


@pytest.mark.parametrize("data", [d for forged in FORGED.values() for d in forged])
async def test_a_forged_button_is_answered_as_expired(learner_with_menu, data, caplog):
    api, mia, menu = learner_with_menu
    caplog.set_level(logging.ERROR)
    before = api.last_message_id(mia.id)
    answer = await forge(api, mia, menu, data)
    if not (answer.show_alert and "plus valable" in (answer.text or "")):
        await api.wait_for_message(mia.id, after=before, predicate=lambda m: any(r in (m.text or "") for r in REFUSALS))
    help_sent = await mia.send("/help")  # her chat is handled in order: once /help is answered, the press is done
    await api.wait_for_message(mia.id, after=help_sent)
    said = [m.text or "" for m in api.messages(mia.id) if m.from_bot and m.message_id > before]
    assert not any("Oups" in text for text in said), said
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


async def test_a_huge_time_is_refused_kindly(harness, caplog):
    api = harness.api
    leo = api.user(7002, first_name="Léo")
    caplog.set_level(logging.ERROR)
    sent = await leo.send("/time 9999999999999999")
    answer = await api.wait_for_message(leo.id, after=sent)
    assert "9999999999999999" in answer.text and "Oups" not in answer.text, answer.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
