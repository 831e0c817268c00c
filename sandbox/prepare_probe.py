"""Does a public registry answer? Decides between pulling (online) and building stand-ins (offline)."""

from __future__ import annotations

import urllib.error
import urllib.request

DOCKER_HUB_PROBE_URL = "https://registry-1.docker.io/v2/"


def registry_answers(url: str = DOCKER_HUB_PROBE_URL, timeout: float = 3.0) -> bool:
    """True when the registry answers HTTP at all (its usual answer to /v2/ is 401) within timeout."""
    try:
        urllib.request.urlopen(url, timeout=timeout).close()  # noqa: S310 - fixed https URL
        return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
