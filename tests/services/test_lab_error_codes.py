"""Every way the lab says no has a code, raised by the lab's own code, and a message in French and English.

Each code is triggered for real (an archive, a Dockerfile, a command, the disk guard, a host that does
not answer); only the three the lab raises deep in Docker calls are built by hand (files that could not be
written in a workspace are triggered for real in tests/sandbox/test_learner_writes.py).
"""

from __future__ import annotations

import io
import re
import tarfile
import tempfile
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from docker.errors import DockerException
from tests_sandbox_settings import lab_settings_again

from bot.services.lab import LabRefusal
from bot.views.lab import refusal_text
from sandbox.build_context import MAX_MEMBERS, BuildContext
from sandbox.disk import DiskGuard
from sandbox.docker_calls import DockerCalls
from sandbox.errors import (
    CommandRejected,
    ErrorCode,
    FilesNotWritten,
    InvalidBuildContext,
    LabFull,
    LabNotPrepared,
    SandboxError,
)
from sandbox.host_space import ensure_room
from sandbox.service import SandboxService


def tar(*members: tarfile.TarInfo, dockerfile: bool = True) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        if dockerfile:
            info = tarfile.TarInfo("Dockerfile")
            info.size = 13
            archive.addfile(info, io.BytesIO(b"FROM busybox\n"))
        for member in members:
            archive.addfile(member, io.BytesIO(b"") if member.isfile() else None)
    return buffer.getvalue()


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Dockerfile", "FROM busybox\n")
        archive.writestr("bomb.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def lab_without_host() -> SandboxService:
    def refuse() -> None:
        raise DockerException("connection refused")

    return SandboxService(lab_settings_again(), client_factory=refuse)


async def run(command: str) -> None:
    await lab_without_host().run_command(learner_id=1, command=command)


async def build_as(tag: str) -> None:
    await lab_without_host().build(learner_id=1, context=BuildContext.from_dockerfile("FROM busybox\n"), tag=tag)


async def over_the_disk_limit() -> None:
    guard = DiskGuard(DockerCalls(1), None, 1024**3, loop=None, reclaim=lambda _id, _script: "")
    guard.over[1] = 1536 * 1024**2
    guard.refuse(1, "docker pull nginx")


def sync(make: Callable[[], object]) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        make()

    return call


async def files_not_written() -> None:
    raise FilesNotWritten("contexte", "exit 3: could not empty contexte")


LONG_NAME_BOMB = Path(__file__).parents[1] / "fixtures" / "archives" / "longname-bomb-1gib.tar.bz2"


async def no_room_on_the_host() -> None:
    ensure_room(Path(tempfile.gettempdir()), 2**60)  # an exabyte image: no host has the room


async def lab_full() -> None:
    raise LabFull(position=4)


async def lab_not_prepared() -> None:
    raise LabNotPrepared("image tutorbot-workspace:1 missing: run `tutorbot sandbox prepare`")


TRIGGERS: dict[ErrorCode, Callable[[], Awaitable[None]]] = {
    ErrorCode.LAB_UNAVAILABLE: lambda: run("docker ps"),
    ErrorCode.LAB_NOT_PREPARED: lab_not_prepared,
    ErrorCode.LAB_FULL: lab_full,
    ErrorCode.HOST_DISK_FULL: no_room_on_the_host,
    ErrorCode.DOCKERFILE_TOO_BIG: sync(lambda: BuildContext.from_dockerfile("FROM busybox\n" + "#" * 300_000)),
    ErrorCode.TOO_MANY_INSTRUCTIONS: sync(lambda: BuildContext.from_dockerfile("FROM busybox\n" + "RUN true\n" * 201)),
    ErrorCode.ARCHIVE_TOO_BIG: sync(lambda: BuildContext.from_archive("big.tar", b"\0" * (11 * 1024 * 1024))),
    ErrorCode.UNPACKED_TOO_BIG: sync(lambda: BuildContext.from_archive("bomb.zip", zip_bomb())),
    ErrorCode.TOO_MANY_FILES: sync(lambda: BuildContext.from_archive(
        "many.tar", tar(*(member(f"f{i}") for i in range(MAX_MEMBERS)))),),
    ErrorCode.NO_DOCKERFILE: sync(lambda: BuildContext.from_archive("x.tar", tar(member("README"), dockerfile=False))),
    ErrorCode.UNREADABLE_ARCHIVE: sync(lambda: BuildContext.from_archive("x.zip", b"not a zip at all")),
    ErrorCode.ABSOLUTE_PATH: sync(lambda: BuildContext.from_archive("x.tar", tar(member("/etc/passwd")))),
    ErrorCode.PATH_ESCAPES: sync(lambda: BuildContext.from_archive("x.tar", tar(member("../up")))),
    ErrorCode.LINK_ESCAPES: sync(lambda: BuildContext.from_archive("x.tar", tar(member("etc", tarfile.SYMTYPE, "/etc")))),
    ErrorCode.LINK_REFUSED: sync(lambda: BuildContext.from_archive("x.tar", tar(member("a", tarfile.SYMTYPE, "b")))),
    ErrorCode.SPECIAL_FILE: sync(lambda: BuildContext.from_archive("x.tar", tar(member("pipe", tarfile.FIFOTYPE)))),
    ErrorCode.HEADER_TOO_BIG: sync(lambda: BuildContext.from_archive("bomb.tar.bz2", LONG_NAME_BOMB.read_bytes())),
    ErrorCode.FILES_NOT_WRITTEN: files_not_written,
    ErrorCode.EMPTY_COMMAND: lambda: run("   "),
    ErrorCode.COMMAND_TOO_LONG: lambda: run("echo " + "x" * 10_000),
    ErrorCode.NUL_BYTES: lambda: run("echo a\x00b"),
    ErrorCode.INVALID_TAG: lambda: build_as("Mon Image!"),
    ErrorCode.DISK_LIMIT: over_the_disk_limit,
}


async def caught(code: ErrorCode) -> SandboxError:
    with pytest.raises(SandboxError) as error:
        await TRIGGERS[code]()
    return error.value


def test_every_code_has_a_real_trigger_here():
    assert set(TRIGGERS) == set(ErrorCode), "a new code needs a way to happen and a message"


@pytest.mark.parametrize("code", list(ErrorCode))
async def test_each_refusal_has_its_code_english_for_the_log_and_a_message_in_both_languages(code):
    error = await caught(code)
    assert error.code is code
    assert not re.search(r"[éèàêç]|\{", str(error)), f"the log line is plain English: {error}"
    refusal = LabRefusal.of(error)
    french, english = refusal_text("fr", refusal), refusal_text("en", refusal)
    assert french != english and "{" not in french + english
    for name, value in error.details.items():
        if not name.endswith("_bytes"):
            assert str(value) in french and str(value) in english, f"{name} is shown"


async def test_a_command_too_long_says_how_long_and_the_limit():
    error = await caught(ErrorCode.COMMAND_TOO_LONG)
    assert isinstance(error, CommandRejected) and error.details == {"length": 10_005, "limit": 10_000}
    refusal = LabRefusal.of(error)
    assert refusal_text("fr", refusal) == "🚫 Commande refusée : commande trop longue (10005 caractères, 10000 au plus)"
    assert refusal_text("en", refusal) == "🚫 Command refused: command too long (10005 characters, 10000 at most)"


async def test_a_huge_dockerfile_is_refused_with_its_size_in_binary_units():
    error = await caught(ErrorCode.DOCKERFILE_TOO_BIG)
    assert isinstance(error, InvalidBuildContext)
    refusal = LabRefusal.of(error)
    assert refusal_text("fr", refusal).endswith("Dockerfile trop gros (293 Kio, 256 Kio au plus)")
    assert refusal_text("en", refusal).endswith("Dockerfile too big (293 KiB, 256 KiB at most)")
    assert refusal.kind == "bad_context"


def test_an_error_cannot_carry_a_code_of_another_kind():
    with pytest.raises(ValueError, match="InvalidBuildContext cannot carry"):
        InvalidBuildContext(ErrorCode.EMPTY_COMMAND)
    with pytest.raises(ValueError, match="CommandRejected cannot carry"):
        CommandRejected(ErrorCode.DISK_LIMIT)
