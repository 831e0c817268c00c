"""A chat with the bot in a terminal: messages as text, buttons and poll options as numbers."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

from bot.i18n import LANGUAGES, label, size
from bot.local_api.pasted_lines import split_messages
from bot.local_api.polls import PollAlreadyAnswered, PollRefused
from bot.local_api.store import SentMessage
from bot.local_api.users import SimUser

__all__ = ["render_plain", "run_terminal_chat"]

PASTE_GAP_SECONDS = 0.15
"""Lines that arrive closer together than this were pasted at once: `split_messages` says which go as one message."""
ANSWER_SECONDS = 60.0  # piped input: the longest wait for the bot's answer (a lab command can take a while)
QUIET_SECONDS = 1.0  # ... and then until it has said nothing for this long
BUSY_SECONDS = 600.0  # ... or, while it is still busy (a build, a lab command), at most this long


def language_of(person: SimUser) -> str:
    """What the chat prints for a person is in their language (their Telegram language, French by default)."""
    code = (person.user.get("language_code") or "")[:2]
    return code if code in LANGUAGES else "fr"


def render_plain(message: SentMessage, lang: str = "fr") -> str:
    """A bot message as terminal text: code indented, links with their address, choices numbered."""
    body = _html_to_text(message.html) if message.html else (message.text or "")
    lines = [body, message.caption or ""]
    photo = message.extra.get("photo")
    if photo:
        lines.append(f"🖼 {label(lang, 'chat_photo')} ({size(lang, photo[-1].get('file_size') or 0)})")
    if message.poll is not None:
        lines.append(f"📊 {message.poll.question}")
        lines += [f"  [{i}] {option}" for i, option in enumerate(message.poll.options, 1)]
    if message.document is not None:
        lines.append(f"📎 {message.document.filename} ({size(lang, len(message.document.data))})")
    if message.buttons:
        lines.append("  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(message.buttons, 1)))
    return "\n".join(line for line in lines if line)


def _html_to_text(markup: str) -> str:
    text = re.sub(r"<pre[^>]*>(.*?)</pre>", lambda m: "\n" + _indent(m.group(1)) + "\n", markup, flags=re.S)
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', r"\2 (\1)", text, flags=re.S)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text).strip()


def _indent(block: str) -> str:
    return "\n".join("    " + line for line in re.sub(r"<[^>]+>", "", block).splitlines())


async def run_terminal_chat(api, user: SimUser | list[SimUser], *,  # noqa: ANN001
                            read_line: Callable[[], Awaitable[str | None]], write: Callable[[str], None],
                            wait_for_answers: bool = False, busy: Callable[[], bool] = lambda: False,
                            files_dir: Path | None = None, notes: tuple[str, ...] = ()) -> None:
    """Print the bot's messages as they come and send what the user types, until /quit or end of input.

    With several people (an instructor and a few learners), `/as N` switches who is typing, and each
    message the bot sends is printed with the name of whom it went to. With `wait_for_answers` (input
    from a pipe or a file, not a person), each message waits for the bot's answer before the next one
    goes, as a person reading the chat would, and the end of input waits for the bot to go quiet. Quiet
    means silent for QUIET_SECONDS and not `busy` (a build or a lab command still running: its progress
    comes slower than that), for at most BUSY_SECONDS. With `files_dir`, a photo or document the bot sends
    (a chart, a certificate, an export) is saved there and its path printed, so the person can open it.
    `notes` are printed after the introduction (the Mini App's link...).
    """
    people = user if isinstance(user, list) else [user]
    current = [people[0]]
    shown: dict[tuple[int, int], str | None] = {}  # (chat, message id) -> text printed (buttons removed: not reprinted)
    latest: dict[int, SentMessage] = {}

    def who(person: SimUser) -> str:
        return f"[{person.user.get('first_name')}] " if len(people) > 1 else ""

    async def printer() -> None:
        while True:
            for person in people:
                for message in api.messages(person.id):
                    key = (person.id, message.message_id)
                    if key not in shown:
                        write(f"\n🤖 {who(person)}{render_plain(message, language_of(person))}")
                        saved = await _save_attachment(api, message, files_dir)
                        if saved is not None:
                            write(label(language_of(person), "chat_file_saved", path=saved))
                    elif shown[key] != message.text:
                        lang = language_of(person)
                        write(f"\n🤖 {who(person)}{label(lang, 'chat_edited')} {render_plain(message, lang)}")
                    else:
                        continue
                    shown[key] = message.text
                    latest[person.id] = message
            async with api.store.changed:
                await api.store.changed.wait()

    task = asyncio.create_task(printer())
    lang = language_of(people[0])
    write(label(lang, "chat_intro"))
    if len(people) > 1:
        names = ", ".join(f"{i} = {p.user.get('first_name')}" for i, p in enumerate(people))
        write(label(lang, "chat_many", people=names))
    for note in notes:
        write(note)
    answered = partial(_until_answered, busy=busy) if wait_for_answers else _at_once
    for person in people:  # each person sees the welcome at once, without typing /start
        before = _bot_side(api, person)
        await person.send("/start")
        await answered(api, person, before)
    welcomed = {person.id for person in people}  # ... so their own first /start would only repeat it
    lines = _PastedLines(read_line)
    try:
        while (block := await lines.next_block()) is not None:
            if not await _send_block(block, people, current, latest, api, write, answered, welcomed):
                break
        await answered(api, current[0], None)
    finally:
        lines.close()
        task.cancel()


async def _save_attachment(api, message: SentMessage, files_dir: Path | None) -> Path | None:  # noqa: ANN001
    """Write the message's document or photo into `files_dir` (off the event loop); its path, or None."""
    if files_dir is None:
        return None
    document = message.document
    photo = message.extra.get("photo")
    if document is None and photo:
        document = api.store.files.get(photo[-1].get("file_id"))
    if document is None:
        return None
    name = Path(document.filename).name or "file"
    path = files_dir / f"{message.chat_id}-{message.message_id}-{name}"

    def write_file() -> None:
        files_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document.data)

    try:
        await asyncio.to_thread(write_file)
    except OSError:
        return None
    return path


Snapshot = tuple[tuple[int, int, bool], ...]


def _bot_side(api, person: SimUser) -> Snapshot:  # noqa: ANN001
    """What the bot has shown in a person's chat: its messages, their edits and deletions."""
    return tuple((m.message_id, m.edits, m.deleted) for m in api.store.messages.get(person.id, []) if m.from_bot)


async def _at_once(api, person: SimUser, before: Snapshot | None) -> None:  # noqa: ANN001
    """A person typing: nothing to wait for."""


async def _until_answered(api, person: SimUser, before: Snapshot | None, *,  # noqa: ANN001
                          first: float = ANSWER_SECONDS, quiet: float = QUIET_SECONDS,
                          busy: Callable[[], bool] = lambda: False) -> None:
    """Wait for the bot to answer in the person's chat (since `before`), then until it is quiet for `quiet` s
    and no longer `busy` (for at most BUSY_SECONDS)."""
    changed = api.store.changed
    if before is not None:
        async with changed:
            try:
                await asyncio.wait_for(changed.wait_for(lambda: _bot_side(api, person) != before), first)
            except TimeoutError:
                return
    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        async with changed:
            try:
                await asyncio.wait_for(changed.wait(), quiet)
            except TimeoutError:
                if not busy() or time.monotonic() > deadline:
                    return


async def _send_block(block: list[str], people: list[SimUser], current: list[SimUser],  # noqa: PLR0913
                      latest: dict[int, SentMessage], api, write: Callable[[str], None],  # noqa: ANN001
                      answered: Callable[..., Awaitable[None]], welcomed: set[int]) -> bool:
    """Send what arrived together, one message per command (see `split_messages`); False once /quit is read.

    A person's first message, when it is a bare `/start`, is not sent: the chat already sent it for them and
    its welcome is on the screen (a `/start` with a code, `/start j-...`, goes as typed)."""
    for message in split_messages(block):
        if message.strip() == "/quit":
            return False
        switch = re.match(r"^/as\s+(\d+)$", message.strip())
        if switch and int(switch.group(1)) < len(people):
            current[0] = people[int(switch.group(1))]
            write(label(language_of(current[0]), "chat_now_as", name=current[0].user.get("first_name")))
            continue
        first = current[0].id in welcomed and bool(message.strip())
        if first:
            welcomed.discard(current[0].id)
        if first and message.strip() == "/start":
            write(label(language_of(current[0]), "chat_welcome_above"))
        elif "\n" in message:
            before = _bot_side(api, current[0])
            await current[0].send(message)  # a pasted block: one message, as a phone sends it
            await answered(api, current[0], before)
        elif message.strip():
            before = _bot_side(api, current[0])
            replied = await _act(current[0], message.strip(), latest.get(current[0].id), api, write)
            await answered(api, current[0], before if replied else None)
    return True


class _PastedLines:
    """Reads typed lines, and groups those that arrive within PASTE_GAP_SECONDS of each other (a paste)."""

    def __init__(self, read_line: Callable[[], Awaitable[str | None]]) -> None:
        self.read_line = read_line
        self.pending: asyncio.Future[str | None] | None = None

    def _next(self) -> asyncio.Future[str | None]:
        if self.pending is None:
            self.pending = asyncio.ensure_future(self.read_line())
        return self.pending

    async def next_block(self) -> list[str] | None:
        first = await self._next()
        self.pending = None
        if first is None:
            return None
        block = [first]
        while True:
            following = self._next()
            done, _ = await asyncio.wait({following}, timeout=PASTE_GAP_SECONDS)
            if not done or following.result() is None:
                return block  # a line still to come (or the end) stays pending for the next block
            self.pending = None
            block.append(following.result() or "")

    def close(self) -> None:
        if self.pending is not None:
            self.pending.cancel()


async def _act(user: SimUser, line: str, last: SentMessage | None, api, write) -> bool:  # noqa: ANN001
    """Send what the person typed; whether the bot will answer in their chat (a quiz poll's answer gets no
    message in a private chat, so piped input must not wait for one)."""
    if not line:
        return False
    if line.isdigit() and last is not None:
        choice = int(line) - 1
        target = _last_with_choices(api, user)
        if target is not None and target.poll is not None and 0 <= choice < len(target.poll.options):
            try:
                await user.answer_poll(target, [choice])
            except PollAlreadyAnswered:
                write(label(language_of(user), "chat_poll_already_answered"))
            except PollRefused:
                write(label(language_of(user), "chat_poll_refused"))
            else:
                write(label(language_of(user), "chat_answer_sent", number=line))
            return False
        if target is not None and 0 <= choice < len(target.buttons):
            await user.press(target, target.buttons[choice][0])
            return True
    if line.startswith("/doc "):
        path = Path(line[5:].strip()).expanduser()
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            write(label(language_of(user), "chat_cannot_read", path=path, reason=exc.strerror))
            return False
        await user.send_document(path.name, data)
        return True
    await user.send(line)
    return True


def _last_with_choices(api, user: SimUser) -> SentMessage | None:  # noqa: ANN001
    for message in reversed(api.messages(user.id)):
        if message.buttons or (message.poll is not None and not message.poll.is_closed):
            return message
    return None
