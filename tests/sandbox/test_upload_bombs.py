"""A learner uploads archive bombs: each is refused with a reason, the bot's memory stays small, and another
learner's reply never waits for the check.

The 859-byte `longname-bomb-1gib.tar.bz2` is the issue's attack (#18): a tar whose first header is a GNU
long-name record of 1 GiB of zeros (bench/upload_check_bench.py `--make-bomb` makes it again). Python's
tarfile reads such a record whole; the positive control shows it on a 64 MiB one.
"""

from __future__ import annotations

import asyncio
import io
import tarfile
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from sandbox.build_context import BuildContext, read_upload
from sandbox.errors import ErrorCode, InvalidBuildContext
from sandbox.tar_stream import MAX_HEADER_BYTES

BOMB = Path(__file__).parents[1] / "fixtures" / "archives" / "longname-bomb-1gib.tar.bz2"
MiB = 1024 * 1024


def long_name_bomb(size: int, kind: bytes = tarfile.GNUTYPE_LONGNAME) -> bytes:
    """A .tar.gz whose first header is a `kind` record of `size` zeros (compressed as it is made)."""
    info = tarfile.TarInfo("././@LongLink")
    info.type, info.size = kind, size
    packer = zlib.compressobj(1, wbits=31)
    parts = [packer.compress(info.tobuf(format=tarfile.GNU_FORMAT))]
    chunk = bytes(MiB)
    for start in range(0, size, MiB):
        parts.append(packer.compress(chunk[: min(MiB, size - start)]))
    parts.append(packer.compress(bytes(-size % 512 + 1024)) + packer.flush())
    return b"".join(parts)


def peak_while(action) -> tuple[int, object]:  # noqa: ANN001
    """The peak of Python's allocations during `action` (bytes above what was allocated before), and its
    result or the exception it raised."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        try:
            outcome: object = action()
        except Exception as exc:  # noqa: BLE001 - the outcome is examined by the test
            outcome = exc
        return tracemalloc.get_traced_memory()[1] - base, outcome
    finally:
        tracemalloc.stop()


def test_the_859_byte_long_name_bomb_is_refused_before_a_byte_of_its_gigabyte_is_read():
    data = BOMB.read_bytes()
    assert len(data) < 1024
    peak, outcome = peak_while(lambda: BuildContext.from_archive("contexte.tar.bz2", data))
    assert isinstance(outcome, InvalidBuildContext) and outcome.code is ErrorCode.HEADER_TOO_BIG, outcome
    assert outcome.details["size_bytes"] == 1024**3
    assert peak < 2 * MiB, f"{peak} bytes held to refuse it"


def test_plain_tarfile_reads_a_long_name_record_whole_and_the_check_does_not():
    bomb = long_name_bomb(64 * MiB)
    ours, outcome = peak_while(lambda: BuildContext.from_archive("contexte.tar.gz", bomb))
    assert isinstance(outcome, InvalidBuildContext) and outcome.code is ErrorCode.HEADER_TOO_BIG, outcome
    assert ours < 2 * MiB

    # Positive control: the standard library holds the whole record (the old check did this), then finds no
    # member after it.
    def plain_tarfile() -> None:
        with tarfile.open(fileobj=io.BytesIO(bomb), mode="r:gz") as archive:
            archive.next()

    theirs, outcome = peak_while(plain_tarfile)
    assert theirs >= 64 * MiB, f"the control failed: tarfile held only {theirs} bytes ({outcome!r})"


@pytest.mark.parametrize("kind", [tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE,
                                  tarfile.XGLTYPE])
def test_every_kind_of_header_record_has_a_size_budget(kind):
    with pytest.raises(InvalidBuildContext) as refused:
        BuildContext.from_archive("contexte.tar.gz", long_name_bomb(MAX_HEADER_BYTES + 512, kind))
    assert refused.value.code is ErrorCode.HEADER_TOO_BIG


def test_a_zip_directory_of_over_a_megabyte_is_refused_before_it_is_parsed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Dockerfile", "FROM busybox\n")
        for number in range(3_000):
            archive.writestr(f"{number:0400d}", b"")
    data = buffer.getvalue()
    ours, outcome = peak_while(lambda: BuildContext.from_archive("contexte.zip", data))
    assert isinstance(outcome, InvalidBuildContext) and outcome.code is ErrorCode.TOO_MANY_FILES, outcome
    assert ours < MiB
    # Positive control: zipfile parses every entry of the directory at once.
    theirs, _ = peak_while(lambda: zipfile.ZipFile(io.BytesIO(data)))
    assert theirs > 2 * MiB, theirs


def test_long_names_and_pax_records_within_the_budget_still_work():
    buffer = io.BytesIO()
    deep = "dossier/" * 40 + "fichier-é.txt"
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        for name, body in (("Dockerfile", b"FROM busybox\n"), (deep, b"bonjour")):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    context = BuildContext.from_archive("contexte.tar.gz", buffer.getvalue())
    assert context.members == ("Dockerfile", deep)
    with tarfile.open(fileobj=io.BytesIO(context.archive or b"")) as repacked:
        assert repacked.extractfile(deep).read() == b"bonjour"  # type: ignore[union-attr]


async def test_another_learners_reply_goes_out_while_an_upload_is_checked():
    big = io.BytesIO()
    with tarfile.open(fileobj=big, mode="w:gz", compresslevel=1) as archive:
        for name, body in (("Dockerfile", b"FROM busybox\n"), ("data.bin", bytes(4 * MiB))):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
    upload = big.getvalue()
    replies: list[str] = []

    async def other_learner() -> None:
        replies.append("bonjour")

    async def while_checking(check) -> bool:  # noqa: ANN001
        """Whether the other learner's reply went out before the check ended."""
        task = asyncio.ensure_future(check())
        await asyncio.sleep(0)  # the check begins
        await other_learner()
        answered_first = not task.done()
        assert (await task).dockerfile.startswith("FROM busybox")
        return answered_first

    assert await while_checking(lambda: read_upload("gros.tar.gz", upload))
    assert replies == ["bonjour"]

    # Positive control: the same check run on the event loop (as before) holds every other reply until it ends.
    async def on_the_loop() -> BuildContext:
        return BuildContext.from_archive("gros.tar.gz", upload)

    assert not await while_checking(on_the_loop)
