"""What each prepared image is made from, hashed exactly as the shell build scripts hash it.

An image is current when its `org.tutorbot.recipe` label equals the hash of its recipe files, so
prepare can tell in milliseconds, without building, what needs work.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
IMAGES_DIR = PACKAGE_DIR / "images"
WORKSPACE_DIR = PACKAGE_DIR / "workspace"
STANDIN_BUILD_SCRIPT = IMAGES_DIR / "build.sh"
WORKSPACE_BUILD_SCRIPT = WORKSPACE_DIR / "build-offline.sh"
WORKSPACE_RECIPE_FILES = ("packages.txt", "entrypoint.sh", "compose-shim.sh", "harden.sh", "build-offline.sh")

# Build order matters: a parent comes before the images built on it.
STANDIN_KEYS = ("hello-world", "busybox", "debian", "alpine", "ubuntu", "nginx", "python", "registry")
PARENTS = {"alpine": "busybox", "ubuntu": "debian", "nginx": "debian", "python": "debian",
           "registry": "debian"}


def _short_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def workspace_recipe() -> str:
    """Hash of the workspace image's recipe (same as build-offline.sh computes)."""
    return _short_sha256(b"".join((WORKSPACE_DIR / name).read_bytes() for name in WORKSPACE_RECIPE_FILES))


def standin_recipe(key: str) -> str:
    """Hash of a stand-in's recipe: build.sh, its folder's files (sorted), its parent's recipe."""
    if key not in STANDIN_KEYS:
        raise KeyError(f"unknown stand-in image {key!r}")
    parts = [STANDIN_BUILD_SCRIPT.read_bytes()]
    folder = IMAGES_DIR / key
    files = sorted("./" + p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    for relative in files:
        parts.append(relative.encode() + b"\n")
        parts.append((folder / relative).read_bytes())
    if key in PARENTS:
        parts.append(standin_recipe(PARENTS[key]).encode() + b"\n")
    return _short_sha256(b"".join(parts))


def standin_tags() -> dict[str, tuple[str, ...]]:
    """Image key -> every name:tag it is published under (tags.txt); the first is the primary."""
    tags: dict[str, tuple[str, ...]] = {}
    for line in (IMAGES_DIR / "tags.txt").read_text().splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#"):
            tags[fields[0]] = tuple(fields[1:])
    return tags


def primary_ref(key: str) -> str:
    return standin_tags()[key][0]
