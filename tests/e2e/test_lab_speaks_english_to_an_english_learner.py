"""With the English interface, what the lab names and what the terminal chat prints are in English: a pasted
Dockerfile builds as test-1 (essai-1 in French), and `tutorbot chat` says "(edited)" and "bytes", not
"(modifié)" and "octets"."""

from __future__ import annotations

from lab_fakes import FakeLab

from bot.local_api.store import Chat, SentDocument, SentMessage
from bot.local_api.terminal import render_plain, run_terminal_chat

DOCKERFILE = ["FROM alpine", "RUN apk add curl"]


async def test_a_pasted_dockerfile_gets_an_english_name_and_the_chat_speaks_english(make_harness):
    harness = await make_harness(sandbox=FakeLab())
    api = harness.api
    amy = api.user(9501, first_name="Amy", language_code="en")
    printed: list[str] = []
    script = iter(DOCKERFILE)

    async def read_line() -> str | None:
        line = next(script, None)
        if line is not None:
            return line  # pasted: every line at once
        await api.wait_for_message(amy.id, timeout=10, predicate=lambda m: "built" in m.text and "test-1" in m.text)
        return None

    await run_terminal_chat(api, amy, read_line=read_line, write=printed.append, wait_for_answers=True)
    output = "\n".join(printed)
    assert "Building the image test-1" in output
    assert "(edited)" in output, "the build's status message was edited, and the chat said so in English"
    for french in ("essai", "(modifié)", "octets", "Vous discutez"):
        assert french not in output, french

    zoe = api.user(9502, first_name="Zoé")
    sent = await zoe.send("\n".join(DOCKERFILE))
    status = await api.wait_for_message(zoe.id, after=sent, predicate=lambda m: "Construction de l'image" in m.text)
    assert "essai-1" in status.text, "French learners keep essai-N"


def message_with(filename: str, data: bytes) -> SentMessage:
    return SentMessage(message_id=1, chat=Chat(id=1, type="private"), sender={}, date=0,
                       document=SentDocument(file_id="f", filename=filename, data=data))


def test_the_terminal_shows_a_file_size_in_the_learners_language():
    assert "output.txt (2 KiB)" in render_plain(message_with("output.txt", b"x" * 2048), "en")
    assert "output.txt (2 Kio)" in render_plain(message_with("output.txt", b"x" * 2048), "fr")
    assert "a.txt (3 bytes)" in render_plain(message_with("a.txt", b"abc"), "en")
    assert "a.txt (3 octets)" in render_plain(message_with("a.txt", b"abc"), "fr")
