"""Course content the checker accepts but Telegram may not: copies of the fixture, changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from bot_harness import FIXTURE_CONTENT


def content_with(tmp_path: Path, relative: str, **changes: object) -> Path:
    """A copy of the fixture content where the YAML file `relative` (under mini/) gets `changes`.

    A key `questions__0__explanation` reaches into lists: questions[0]["explanation"].
    """
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    path = root / "mini" / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        *parents, last = key.split("__")
        target = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[int(last) if isinstance(target, list) else last] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root
