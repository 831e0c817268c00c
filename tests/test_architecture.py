"""The layers are checked, not hoped for: `make test` runs lint-imports before the tests, as a step of its own
(`make lint`); these tests check that the contracts name every boundary and that the check can fail. The map that
opens docs/ARCHITECTURE.md is checked too: every file and name it follows exists, so it cannot rot silently."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *map(str, config)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_contracts_name_every_boundary_the_architecture_promises():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    by_id = {contract["id"]: contract for contract in contracts}
    assert by_id["layers"]["layers"][:2] == ["bot.handlers | bot.jobs | bot.webapp", "bot.views"]
    assert by_id["layers"]["layers"][2:] == ["bot.services", "bot.storage"]
    assert {"handlers-skip-storage", "handlers-reach-the-lab-through-services", "jobs-not-handlers",
            "sandbox-not-bot", "content-not-feedback", "services-not-telegram"} <= set(by_id)


def test_an_import_that_crosses_a_layer_is_reported(tmp_path):
    """The check itself can fail: services do import storage, so forbidding it must break."""
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_packages = ["bot"]\n\n'
                      '[[tool.importlinter.contracts]]\nname = "services without storage"\n'
                      'type = "forbidden"\nsource_modules = ["bot.services"]\nforbidden_modules = ["bot.storage"]\n')
    result = lint_imports(config)
    assert result.returncode != 0
    assert "bot.services" in result.stdout and "BROKEN" in result.stdout


# --- the map that opens docs/ARCHITECTURE.md ------------------------------------------------------------------

ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"
MAP_TITLE = "## A map: three journeys"
REFERENCE = re.compile(r"`((?:bot|sandbox|tests|migrations)/[^`:\s]+)(?::\s*([A-Za-z_][\w.]*))?")
"""`path` or `path: name` (a function, class or module-level name; `Class.method` for a method), in backticks."""


def map_section(text: str) -> str:
    start = text.index(MAP_TITLE)
    end = text.find("\n## ", start + len(MAP_TITLE))
    return text[start:] if end == -1 else text[start:end]


def _names(body: list[ast.stmt]) -> dict[str, ast.stmt]:
    found: dict[str, ast.stmt] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, ast.Assign):
            found.update({target.id: node for target in node.targets if isinstance(target, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = node
    return found


def defined(path: Path, dotted: str) -> bool:
    """Whether `dotted` (`name`, or `Class.method`) is defined in the Python file `path`."""
    body: list[ast.stmt] = ast.parse(path.read_text(), filename=str(path)).body
    node: ast.stmt | None = None
    for part in dotted.split("."):
        if node is not None:
            if not isinstance(node, ast.ClassDef):
                return False
            body = node.body
        node = _names(body).get(part)
        if node is None:
            return False
    return True


def missing_references(section: str) -> list[str]:
    """Every `path` or `path: name` of the map that does not exist."""
    problems = []
    for path_text, name in REFERENCE.findall(section):
        path = ROOT / path_text.rstrip(".,;")
        if not path.exists():
            problems.append(f"{path_text}: no such file")
        elif name and (path.suffix != ".py" or not defined(path, name)):
            problems.append(f"{path_text}: {name} is not defined there")
    return problems


def test_the_architecture_opens_with_the_map_of_three_journeys():
    text = ARCHITECTURE.read_text()
    assert text.startswith("# Architecture\n")
    assert text.index(MAP_TITLE) < text.index("Layers, top to bottom")
    section = map_section(text)
    journeys = re.split(r"\n### ", section)[1:]
    assert [journey.split("\n", 1)[0] for journey in journeys] == [
        "One `/run`", "One group poll answer", "One daily lesson"]
    for journey in journeys:
        steps = re.findall(r"^\d+\. `", journey, flags=re.MULTILINE)
        assert 8 <= len(steps) <= 14, journey.split("\n", 1)[0]
        assert "Errors:" in journey, journey.split("\n", 1)[0]


def test_every_file_and_name_on_the_map_exists():
    section = map_section(ARCHITECTURE.read_text())
    assert len(REFERENCE.findall(section)) >= 40  # the check reads the map's references
    problems = missing_references(section)
    assert not problems, "the map in docs/ARCHITECTURE.md names what does not exist:\n" + "\n".join(problems)


def test_a_misspelt_name_or_file_on_the_map_is_caught():
    """The check itself can fail: the same map with one name, then one file, misspelt."""
    section = map_section(ARCHITECTURE.read_text())
    path, name = next((path, name) for path, name in REFERENCE.findall(section) if "." in name)
    already = set(missing_references(section))
    misspelt_name = section.replace(f"`{path}: {name}", f"`{path}: {name}s", 1)
    assert set(missing_references(misspelt_name)) - already == {f"{path}: {name}s is not defined there"}
    misspelt_file = section.replace(f"`{path}", f"`{path[:-3]}s.py", 1)
    assert set(missing_references(misspelt_file)) - already == {f"{path[:-3]}s.py: no such file"}
