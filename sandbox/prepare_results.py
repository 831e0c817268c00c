"""What prepare did, and whether the lab is ready: plain values for the CLI and `tutorbot run`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrepareReport:
    """The outcome of one prepare run; an already prepared lab gives a report where nothing changed."""

    mode: str  # "offline" (stand-ins built here) or "online" (pull-through mirror of Docker Hub)
    built: tuple[str, ...]  # "workspace" and/or stand-in keys ("debian", "nginx", ...)
    pulled: tuple[str, ...]
    pushed: tuple[str, ...]  # name:tag refs pushed into the mirror
    mirror_recreated: bool
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.built or self.pulled or self.pushed or self.mirror_recreated)

    def summary(self) -> str:
        if not self.changed:
            return f"lab already prepared ({self.mode}), checked in {self.seconds:.1f} s"
        parts = [f"built: {', '.join(self.built)}" if self.built else "",
                 f"pulled: {', '.join(self.pulled)}" if self.pulled else "",
                 f"pushed {len(self.pushed)} tags into the mirror" if self.pushed else "",
                 "mirror (re)started" if self.mirror_recreated else ""]
        return f"lab prepared ({self.mode}) in {self.seconds:.0f} s; " + "; ".join(p for p in parts if p)


@dataclass(frozen=True)
class PrepareStatus:
    """Whether workspaces can start and pull their images; `problems` says what is missing."""

    problems: tuple[str, ...]
    mode: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        if self.ok:
            return f"the lab is prepared ({self.mode})"
        return "the lab is not prepared (run `tutorbot sandbox prepare`): " + "; ".join(self.problems)
