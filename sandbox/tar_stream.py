"""A learner's tar read as a stream of 512-byte headers, with a budget on every one of them.

Python's `tarfile` reads a GNU long-name record (`././@LongLink`) or a pax record whole, whatever size its
header declares, before any budget of ours applies: an 859-byte .tar.bz2 whose first header is a 1 GiB
long name made the bot allocate 1 GiB (issue #18). Here the size of every header record (long names,
long link names, pax) is checked before a byte of it is read (`MAX_HEADER_BYTES`), decompression is lazy
(at most one buffer ahead of what is read), and every byte read, headers and padding included, counts
against `max_bytes`. What the reader cannot vouch for (sparse files, unknown types) is "special".
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from sandbox.errors import ErrorCode, InvalidBuildContext

__all__ = ["MAX_HEADER_BYTES", "Readable", "TarEntry", "TarStream", "decompressed"]

BLOCK = 512
MAX_HEADER_BYTES = 4096  # a long name, long link name or pax record
MAX_META_IN_A_ROW = 4  # long name, long link, pax, global pax: more before a member is not a tar we accept
Kind = Literal["file", "dir", "symlink", "hardlink", "special"]
_KINDS: dict[bytes, Kind] = {b"0": "file", b"\0": "file", b"7": "file", b"5": "dir", b"2": "symlink", b"1": "hardlink"}
_META = (b"L", b"K", b"x", b"g")


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class TarEntry:
    name: str
    kind: Kind
    size: int
    linkname: str = ""


def decompressed(data: bytes) -> Readable:
    """The tar inside `data` (gzip, bzip2, xz or none), decompressed lazily as it is read."""
    raw = io.BytesIO(data)
    if data.startswith(b"\x1f\x8b"):
        return gzip.GzipFile(fileobj=raw)
    if data.startswith(b"BZh"):
        return bz2.BZ2File(raw)
    if data.startswith(b"\xfd7zXZ\x00"):
        return lzma.LZMAFile(raw)
    return raw


class TarStream:
    """The entries of a tar, in order. Read an entry's body with `read()` before asking for the next one;
    what is left of it is skipped (and counted)."""

    def __init__(self, stream: Readable, *, max_bytes: int, limit_shown: int) -> None:
        self._stream, self._max, self._shown = stream, max_bytes, limit_shown
        self._consumed = 0
        self._left = 0  # body bytes of the current entry not read yet
        self._padding = 0

    def entries(self) -> Iterator[TarEntry]:
        while (entry := self._next()) is not None:
            yield entry
            self._take(self._left + self._padding, keep=False)
            self._left = self._padding = 0

    def read(self, size: int = -1, /) -> bytes:
        """Up to `size` bytes of the current entry's body (all of what is left for -1; b"" at its end)."""
        size = self._left if size < 0 else size
        chunk = self._take(min(size, self._left), keep=True)
        self._left -= len(chunk)
        return chunk

    # -- headers ----------------------------------------------------------------------------------
    def _next(self) -> TarEntry | None:
        long_name = long_link = None
        pax: dict[str, str] = {}
        for _ in range(MAX_META_IN_A_ROW + 1):
            block = self._take(BLOCK, keep=True)
            if len(block) < BLOCK:
                raise _unreadable()
            if block == bytes(BLOCK):
                return None  # end of archive: whatever follows is never read
            _check_sum(block)
            kind, size = block[156:157], _number(block[124:136])
            if kind in _META:
                if size > MAX_HEADER_BYTES:
                    raise InvalidBuildContext(ErrorCode.HEADER_TOO_BIG, size_bytes=size,
                                              limit_bytes=MAX_HEADER_BYTES)
                record = self._take(size, keep=True)
                self._take(-size % BLOCK, keep=False)
                if len(record) < size:
                    raise _unreadable()
                if kind == b"L":
                    long_name = _text(record)
                elif kind == b"K":
                    long_link = _text(record)
                elif kind == b"x":
                    pax.update(_pax(record))
                continue
            name = pax.get("path") or long_name or _joined(block)
            linkname = pax.get("linkpath") or long_link or _text(block[157:257])
            if "size" in pax:
                size = _pax_size(pax["size"])
            self._left, self._padding = size, -size % BLOCK
            entry_kind = _KINDS.get(kind, "special")
            if entry_kind == "file" and name.endswith("/"):
                entry_kind = "dir"  # an old tar's folder
            return TarEntry(name=name, kind=entry_kind, size=size, linkname=linkname)
        raise _unreadable()

    def _take(self, size: int, *, keep: bool) -> bytes:
        """Read `size` bytes of the decompressed stream (kept or dropped), within the budget."""
        if self._consumed + size > self._max:
            raise InvalidBuildContext(ErrorCode.UNPACKED_TOO_BIG, limit_bytes=self._shown)
        self._consumed += size
        if keep:
            return self._read_exactly(size)
        while size > 0:
            got = len(self._read_exactly(min(size, 64 * 1024)))
            if got == 0:
                break
            size -= got
        return b""

    def _read_exactly(self, size: int) -> bytes:
        parts, wanted = [], size
        try:
            while wanted > 0 and (part := self._stream.read(wanted)):
                parts.append(part)
                wanted -= len(part)
        except (OSError, EOFError, lzma.LZMAError):
            raise _unreadable() from None
        return b"".join(parts)


def _unreadable() -> InvalidBuildContext:
    return InvalidBuildContext(ErrorCode.UNREADABLE_ARCHIVE)


def _check_sum(block: bytes) -> None:
    stored = _number(block[148:156])
    unsigned = sum(block[:148]) + 8 * 32 + sum(block[156:])
    signed = sum(b - 256 if b > 127 else b for b in block[:148]) + 8 * 32 \
        + sum(b - 256 if b > 127 else b for b in block[156:])
    if stored not in (unsigned, signed):
        raise _unreadable()


def _number(field: bytes) -> int:
    """An octal field, or GNU's base-256 for big values (a negative one is unreadable)."""
    if field[:1] == b"\x80":
        return int.from_bytes(field[1:], "big")
    if field[:1] == b"\xff":
        raise _unreadable()
    digits = field.split(b"\0", 1)[0].strip()
    try:
        return int(digits, 8) if digits else 0
    except ValueError:
        raise _unreadable() from None


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")


def _joined(block: bytes) -> str:
    """The ustar name: its `prefix` field (POSIX ustar only; GNU keeps other data there), then `name`."""
    name = _text(block[0:100])
    if block[257:263] == b"ustar\x00" and (prefix := _text(block[345:500])):
        return f"{prefix}/{name}"
    return name


def _pax(record: bytes) -> dict[str, str]:
    """`LEN key=value\\n` records (already bounded by MAX_HEADER_BYTES)."""
    values, at = {}, 0
    while at < len(record):
        length_text, space, _ = record[at:at + 12].partition(b" ")
        if not space or not length_text.isdigit() or int(length_text) <= len(length_text) + 1:
            raise _unreadable()
        end = at + int(length_text)
        key, equals, value = record[at + len(length_text) + 1:end].rstrip(b"\n").partition(b"=")
        if not equals or end > len(record):
            raise _unreadable()
        values[key.decode("utf-8", errors="replace")] = value.decode("utf-8", errors="replace")
        at = end
    return values


def _pax_size(text: str) -> int:
    if not text.isdigit():
        raise _unreadable()
    return int(text)
