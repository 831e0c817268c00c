"""Files the bot puts in a workspace, written by the learner's own uid, inside it.

Anything more privileged than the learner that writes into a path the learner controls follows the
learner's symlinks, and can race them: the host engine's `put_archive` unpacked uploads as root on the
host, and a planted `contexte/etc -> /etc` replaced the workspace's /etc/passwd (issue #18). So the bot
never does that. It builds a tar itself, checks it (`check_members`: relative paths without `..`, regular
files and folders only, within a size budget), and streams it into `tar -x` run as the learner in the
workspace (`docker exec -i -u learner`): a symlink the learner planted, or re-plants while the files are
written, leads only where the learner could write anyway. A step that fails (a folder that cannot be
emptied, a file that cannot be written) raises `FilesNotWritten`: it is never ignored.
"""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import socket
import ssl
import struct
import tarfile
import threading
import time
from typing import Any

import docker

from sandbox.errors import FilesNotWritten
from sandbox.workspace_spec import LEARNER_GID, LEARNER_UID, LEARNER_USER, WORKDIR

__all__ = ["MAX_TREE_BYTES", "check_members", "files_tar", "write_as_learner"]

MAX_TREE_BYTES = 64 * 1024 * 1024  # an upload's repacked tree (50 MiB of files and their headers) fits
MAX_TREE_MEMBERS = 5000
WRITE_TIMEOUT = 60
_REPORT_BYTES = 4096
# $1: the folder, relative to /workspace; $2: the tar's size; $3: "fresh" to empty the folder first.
# `head -c` ends tar's input after the tar even if the engine never passes the end of stdin on.
_SCRIPT = r"""umask 002
if [ "$3" = fresh ]; then
  rm -rf -- "$1" || { echo "could not empty $1"; exit 3; }
  mkdir -- "$1" || { echo "could not make $1"; exit 3; }
fi
head -c "$2" | tar -x --no-same-owner --no-same-permissions --no-overwrite-dir -C "$1" -f - 2>&1
"""
_TAR_COMPLAINT = re.compile(r"^tar: (.+?): (?:Cannot|Can't|Could not|Directory renamed)", re.MULTILINE)


def files_tar(files: dict[str, bytes]) -> bytes:
    """A tar of `files` (paths relative to the folder they go to); folders are made by the learner's tar."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, body in files.items():
            info = archive.tarinfo(path.lstrip("/"))
            info.size, info.mode, info.mtime = len(body), 0o664, int(time.time())
            info.uid, info.gid = LEARNER_UID, LEARNER_GID
            archive.addfile(info, io.BytesIO(body))
    return buffer.getvalue()


def check_members(data: bytes) -> list[str]:
    """The member names of a tar the bot built, refused (ValueError: a bug of ours, never a learner's input)
    unless every one is a regular file or a folder under a relative path without `..`, within the budget."""
    if len(data) > MAX_TREE_BYTES:
        raise ValueError(f"a tree of {len(data)} bytes is over the {MAX_TREE_BYTES} budget")
    names = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
        for member in archive:
            name = member.name
            if name.startswith("/") or ".." in name.split("/") or not (member.isfile() or member.isdir()):
                raise ValueError(f"refusing to write {name!r} ({member.type!r}) into a workspace")
            names.append(name)
            if len(names) > MAX_TREE_MEMBERS:
                raise ValueError("too many members")
    return names


def write_as_learner(client: docker.DockerClient, container_id: str, data: bytes, *, into: str = WORKDIR,
                     fresh: bool = False) -> None:
    """Unpack the tar `data` (built by the bot) into `into` (under /workspace) as the learner; `fresh` empties
    the folder first. Raises FilesNotWritten when the learner's tar could not do it."""
    names = check_members(data)
    folder = posixpath.relpath(posixpath.normpath(into), WORKDIR)
    if folder.startswith(".."):
        raise ValueError(f"{into} is not under {WORKDIR}")
    exec_id = client.api.exec_create(
        container_id, ["timeout", "-s", "KILL", str(WRITE_TIMEOUT), "sh", "-c", _SCRIPT, "tutorbot-write", folder,
                       str(len(data)), "fresh" if fresh else "into"],
        stdin=True, stdout=True, stderr=True, tty=False, user=LEARNER_USER, workdir=WORKDIR)["Id"]
    connection = client.api.exec_start(exec_id, socket=True)
    raw: socket.socket = getattr(connection, "_sock", None) or connection  # type: ignore[assignment]
    raw.settimeout(WRITE_TIMEOUT + 10)
    sender = threading.Thread(target=_send, args=(raw, data), daemon=True, name="learner-write")
    sender.start()  # sent while the output is read: tar's complaints never wait for a full pipe
    try:
        report = _output(raw)  # until the command ends
    finally:
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)  # wakes a sender whose command stopped reading early
        sender.join(10)
        connection.close()
        raw.close()
    code = _exit_code(client, exec_id)
    if code != 0:
        raise FilesNotWritten(_blamed(report, folder, names), f"exit {code}: {report.strip()[:300]}")


def _send(raw: socket.socket, data: bytes) -> None:
    try:
        raw.sendall(data)
        if not isinstance(raw, ssl.SSLSocket):  # a TLS socket cannot half-close (`head -c` ends the input)
            raw.shutdown(socket.SHUT_WR)
    except OSError:
        pass  # the command ended before reading it all: its exit code says why


def _output(raw: socket.socket) -> str:
    """What the command printed (the engine's multiplexed frames), the first `_REPORT_BYTES` of it."""
    kept, pending = bytearray(), b""
    try:
        while chunk := raw.recv(65536):
            pending += chunk
            while len(pending) >= 8:
                (size,) = struct.unpack(">I", pending[4:8])
                if len(pending) < 8 + size:
                    break
                if len(kept) < _REPORT_BYTES:
                    kept += pending[8:8 + size][: _REPORT_BYTES - len(kept)]
                pending = pending[8 + size:]
    except OSError:
        pass
    return kept.decode(errors="replace")


def _exit_code(client: docker.DockerClient, exec_id: str) -> int:
    for _ in range(100):
        info: dict[str, Any] = client.api.exec_inspect(exec_id)
        if not info.get("Running"):
            code = info.get("ExitCode")
            return int(code) if code is not None else 137
        time.sleep(0.05)
    return 137


def _blamed(report: str, folder: str, names: list[str]) -> str:
    """The folder to clear, said to the learner: the first path tar could not write, by its top folder."""
    if folder != ".":
        return folder
    complaint = _TAR_COMPLAINT.search(report)
    path = complaint.group(1) if complaint else (names[0] if names else ".")
    return path.split("/", 1)[0] or "."
