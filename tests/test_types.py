"""Types are checked, not hoped for: `make test` runs mypy (the configuration in pyproject.toml) before the
tests, as a step of its own (`make lint`); these tests check that configuration and that the check can fail."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TYPED_LATER = {  # the image preparation tooling joins the strict check later
    "sandbox.prepare", "sandbox.prepare_builds", "sandbox.prepare_errors", "sandbox.prepare_fill",
    "sandbox.prepare_mirror", "sandbox.prepare_probe", "sandbox.prepare_results",
}


def mypy(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_only_the_modules_being_changed_elsewhere_are_exempt():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["strict"] is True and set(config["files"]) == {"bot/services", "bot/storage", "sandbox"}
    exempt = {module for override in config["overrides"] if override.get("ignore_errors")
              for module in override["module"]}
    assert exempt == TYPED_LATER


def test_a_type_error_in_a_service_is_reported(tmp_path):
    """The check itself can fail: a service passing a learner's optional id where an int is due."""
    broken = tmp_path / "broken_service.py"
    broken.write_text(
        "from bot.storage.models import Learner\n\n\n"
        "def learner_key(learner: Learner) -> int:\n"
        "    return learner.id\n"
    )
    result = mypy("--strict", "--follow-imports=silent", str(broken))
    assert result.returncode != 0
    assert 'Incompatible return value type (got "int | None", expected "int")' in result.stdout
