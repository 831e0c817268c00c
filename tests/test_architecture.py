"""The layers are checked, not hoped for: `make test` runs lint-imports before the tests, as a step of its own
(`make lint`); these tests check that the contracts name every boundary and that the check can fail."""

from __future__ import annotations

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
