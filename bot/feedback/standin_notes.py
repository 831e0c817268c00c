"""What the lab's offline images are not, said when a learner meets it in a command's output.

The lab has no Internet: its `ubuntu`, `alpine` and `python` images are stand-ins (Debian, busybox, Debian's
Python 3.11). A learner who looks closely sees it; these notes explain it in French instead of leaving a doubt.
"""

from __future__ import annotations

import re

__all__ = ["standin_note"]

_IMAGE = r"(?:^|[\s;&|])(?:docker\s+(?:run|create|exec)\b[^\n;&|]*?\s)?{name}(?::[\w.-]+)?(?=\s|$)"


def _uses(command: str, name: str) -> bool:
    return re.search(r"\bdocker\b", command) is not None and re.search(_IMAGE.format(name=name), command) is not None


def standin_note(command: str, output: str) -> str | None:
    """A French note (with `code` in backticks) when the output shows a stand-in's limit; None otherwise."""
    if _uses(command, "ubuntu") and "Debian" in output:
        return ("Dans ton labo hors ligne, l'image `ubuntu` est une copie construite sur Debian : mêmes `apt-get`, "
                "mêmes chemins, mais elle se présente comme Debian. Tout ce que le cours fait avec `ubuntu` y marche.")
    if _uses(command, "alpine") and re.search(r"busybox|stand-in", output, re.IGNORECASE):
        return ("Dans ton labo hors ligne, l'image `alpine` est une doublure faite de busybox : les commandes de base "
                "(`sh`, `ls`, `cat`, `wget`…) y sont, mais pas `apk`. Pour installer des paquets, pars de `debian`.")
    asked = re.search(r"\bpython:(3\.(?:[0-9]|1[02-9]))\b", command)
    if asked and re.search(r"Python 3\.11", output):
        return (f"Dans ton labo hors ligne, toutes les images `python` contiennent Python 3.11, même `python:{asked[1]}` : "
                "le nom est gardé pour que les commandes du cours marchent telles quelles.")
    return None
