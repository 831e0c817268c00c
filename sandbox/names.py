"""Names shared by prepare and the workspace service: images, the mirror container, its network."""

from __future__ import annotations

from dataclasses import dataclass

WORKSPACE_IMAGE = "tutorbot/workspace:1"
MIRROR_CONTAINER = "tutorbot-mirror"
MIRROR_NETWORK = "tutorbot-mirror"
MIRROR_VOLUME = "tutorbot-mirror-data"
MIRROR_ALIAS = "tutorbot-mirror"
MIRROR_PORT = 5000
MIRROR_URL_FOR_WORKSPACES = f"http://{MIRROR_ALIAS}:{MIRROR_PORT}"

LABEL_ROLE = "org.tutorbot.role"
LABEL_RECIPE = "org.tutorbot.recipe"
LABEL_STANDIN = "org.tutorbot.standin"
LABEL_MIRROR_MODE = "org.tutorbot.mirror-mode"
CONTENTS_FILE = "tutorbot-contents.json"


@dataclass(frozen=True)
class LabNames:
    """Where the prepared lab lives; tests pass other names to look at an unprepared lab safely."""

    workspace_image: str = WORKSPACE_IMAGE
    mirror_container: str = MIRROR_CONTAINER
    mirror_network: str = MIRROR_NETWORK
    mirror_volume: str = MIRROR_VOLUME

    @property
    def mirror_writer(self) -> str:
        return f"{self.mirror_container}-writer"


DEFAULT_NAMES = LabNames()
