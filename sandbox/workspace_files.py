"""Read the learner's files in /workspace for the Mini App's editor: always as the learner (uid 1001), so a
symlink of theirs leads only where they could read anyway, and never more than `MAX_FILE_BYTES`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import docker

from sandbox.workspace_spec import LEARNER_USER, WORKDIR

__all__ = ["MAX_FILE_BYTES", "MAX_LISTED", "WorkspaceFile", "list_as_learner", "read_as_learner", "valid_path"]

MAX_FILE_BYTES = 256 * 1024
MAX_LISTED = 200
_SEGMENT = re.compile(r"^[A-Za-z0-9._@+-][A-Za-z0-9 ._@+-]*$")
_READ = 'f="{root}/$1"; [ -f "$f" ] || exit 3; head -c {limit} -- "$f"'
_LIST = ("cd {root} 2>/dev/null && find . -mindepth 1 -maxdepth 2 -name '.*' -prune -o -type d -printf 'd %s %P\\n' "
         "-o -type f -printf 'f %s %P\\n' 2>/dev/null | head -n {limit}")


@dataclass(frozen=True)
class WorkspaceFile:
    path: str  # relative to /workspace
    folder: bool
    size: int


def valid_path(path: str) -> bool:
    """A path relative to /workspace, made of plain names: no `..`, no leading `/`, nothing hidden."""
    if not path or len(path) > 200 or path.startswith("/"):
        return False
    return all(_SEGMENT.match(part) and part not in (".", "..") and not part.startswith(".")
               for part in path.split("/"))


def read_as_learner(client: docker.DockerClient, container_id: str, path: str) -> bytes | None:
    """The file's bytes (at most MAX_FILE_BYTES + 1: one more says it is too big), None when it is no file."""
    if not valid_path(path):
        return None
    script = _READ.format(root=WORKDIR, limit=MAX_FILE_BYTES + 1)
    exec_id = client.api.exec_create(container_id, ["sh", "-c", script, "tutorbot", path], user=LEARNER_USER,
                                     stdout=True, stderr=False)["Id"]
    data = client.api.exec_start(exec_id)
    if client.api.exec_inspect(exec_id).get("ExitCode") != 0:
        return None
    return data


def list_as_learner(client: docker.DockerClient, container_id: str) -> list[WorkspaceFile]:
    """The files and folders of /workspace, two levels deep, hidden ones left out, MAX_LISTED at most."""
    script = _LIST.format(root=WORKDIR, limit=MAX_LISTED)
    exec_id = client.api.exec_create(container_id, ["sh", "-c", script], user=LEARNER_USER,
                                     stdout=True, stderr=False)["Id"]
    listed = []
    for line in client.api.exec_start(exec_id).decode(errors="replace").splitlines():
        kind, _, rest = line.partition(" ")
        size, _, path = rest.partition(" ")
        if kind in ("d", "f") and size.isdigit() and valid_path(path):
            listed.append(WorkspaceFile(path=path, folder=kind == "d", size=int(size)))
    return sorted(listed, key=lambda file: file.path)
