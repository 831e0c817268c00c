"""One problem found in the course files, printed as `file:line: message` for instructors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem"]


@dataclass(frozen=True)
class Problem:
    """`file` is shown relative to the content folder's parent (see `relative_to`)."""

    file: Path
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        kind = "warning: " if self.warning else ""
        return f"{where}: {kind}{self.message}"

    def relative_to(self, base: Path) -> Problem:
        """The same problem with its file shown relative to `base`, when it lies under it."""
        try:
            shown = self.file.resolve().relative_to(base.resolve())
        except ValueError:
            return self
        return Problem(shown, self.line, self.message, self.warning)
