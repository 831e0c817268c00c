"""The docker-compose `sandbox` service's image copies the host agent and the modules it imports one by one
(sandbox/host/Dockerfile): a module the agent imports but the image lacks stops the whole lab at start."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "sandbox" / "host" / "Dockerfile"


def copied_modules() -> set[str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    copied: set[str] = set()
    for line in text.splitlines():
        if line.startswith("COPY "):
            copied |= set(re.findall(r"\bsandbox/(\w+)\.py\b", line))
    return copied


def imported_modules(name: str, seen: set[str] | None = None) -> set[str]:
    """`name` and every sandbox module it imports, directly or not (type-checking imports aside)."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    tree = ast.parse((ROOT / "sandbox" / f"{name}.py").read_text())
    for node in tree.body:  # module-level imports only: what runs when the agent starts
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sandbox."):
            imported_modules(node.module.split(".")[1], seen)
    return seen


def test_every_module_the_host_agent_imports_is_in_the_sandbox_image():
    missing = imported_modules("host_agent") - copied_modules() - {"__init__"}
    assert not missing, f"sandbox/host/Dockerfile does not copy: {sorted(missing)}"


def test_the_check_sees_a_module_left_out():
    assert "kernel_tables" in imported_modules("host_agent")  # the module once left out of the image
    assert "firewall" in copied_modules()
