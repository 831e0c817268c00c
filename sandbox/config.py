"""Lab settings (env prefix SANDBOX_). The Docker host comes from DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH."""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SandboxSettings", "parse_bytes"]

_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}


def parse_bytes(value: str | int | float) -> int:
    """'5g', '512m', '1.5G', '1048576' -> bytes (binary units, as Docker's --memory)."""
    if isinstance(value, int | float):
        return int(value)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?\s*", value.lower())
    if not match:
        raise ValueError(f"not a size: {value!r} (e.g. 5g, 512m)")
    return int(float(match[1]) * _UNITS[match[2]])


class SandboxSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SANDBOX_", env_file=".env", extra="ignore")

    idle_stop_after: float = Field(default=30 * 60, gt=0, description="seconds before an idle workspace stops")
    remove_after: float = Field(default=24 * 3600, gt=0, description="seconds a stopped workspace is kept")
    evict_idle_after: float = Field(default=120, ge=0, description="idle seconds after which a full lab may stop one")
    warm_pool_size: int = Field(default=2, ge=0, le=50)
    max_workspaces: int = Field(default=20, ge=1, description="running workspaces at once")
    memory: str = "1g"
    cpus: float = Field(default=1.0, gt=0)
    pids: int = Field(default=1024, ge=64)
    reserved_cpus: int | None = Field(
        default=None, ge=0, description="CPUs of the sandbox host kept for its control path (dockerd, the bot, "
        "`docker exec`): workspaces run on the others; unset: 1 on hosts of 4 CPUs or more, else 0")
    inotify_instances: int = Field(
        default=32, ge=8, le=65536, description="inotify instances per uid of a workspace (its learner; its daemon "
        "and containers), in the workspace's user namespace (sandbox/kernel_tables.py)")
    inotify_watches: int = Field(default=8192, ge=1024, le=1 << 20, description="inotify watches, the same way")
    disk_limit: str = Field(default="5g", description="disk a workspace may use (Docker data + its files)")
    command_timeout: float = Field(default=120, gt=0)
    build_timeout: float = Field(default=600, gt=0)
    terminal_idle_timeout: float = Field(
        default=600, gt=0, description="seconds without a keystroke or output before a Mini App terminal closes")
    terminal_total_timeout: float = Field(
        default=1800, gt=0, description="seconds a Mini App terminal stays open at most")
    output_limit: int = Field(default=1024 * 1024, ge=4096, description="bytes of output kept per command")
    stream_limit: int = Field(default=16 * 1024 * 1024, description="bytes read before a chatty command is cut")
    egress: bool = True
    runtime: str | None = Field(default=None, description="OCI runtime, e.g. sysbox-runc (then no extra privileges)")
    firewall: bool = True
    subnet_pool: str = Field(default="10.201.0.0/16", description="addresses for workspace networks (a /29 each)")
    reap_interval: float = Field(default=60, gt=0)
    disk_check_every: float = Field(default=10, gt=0, description="seconds between disk checks while a command runs")
    orphan_min_age: float = Field(default=600, ge=0, description="seconds before a container-less network/volume is reaped")
    disk_quota: Literal["auto", "loop", "volume"] = Field(
        default="auto", description="loop: each workspace on its own fixed-size ext4 (kernel-enforced); "
        "volume: named volumes measured from the host; auto: loop when the daemon is local and we are root")
    disk_dir: str = Field(default="/var/lib/tutorbot-lab/disks",
                          description="sandbox-host folder of the workspaces' disk images (loop quota)")
    seccomp: Literal["profile", "unconfined"] = Field(
        default="profile", description="the workspaces' seccomp filter (sandbox/seccomp.py), or none")
    host_agent: str | None = Field(
        default=None, description="unix socket of the sandbox host's agent (docker-compose): disks and "
        "firewall rules are then made there, not by the bot")
    name_prefix: str = Field(default="tutorbot", pattern=r"^[a-z][a-z0-9-]{0,30}$",
                             description="prefix of workspace container, network and volume names")

    @field_validator("subnet_pool")
    @classmethod
    def _is_a_network(cls, value: str) -> str:
        if ipaddress.ip_network(value).prefixlen > 28:
            raise ValueError("the subnet pool must hold at least two /29 networks")
        return value

    @field_validator("memory", "disk_limit")
    @classmethod
    def _is_a_size(cls, value: str) -> str:
        parse_bytes(value)
        return value

    @property
    def disk_limit_bytes(self) -> int:
        return parse_bytes(self.disk_limit)

    @property
    def docker_threads(self) -> int:
        """Threads for Docker calls: one per streaming command, plus room for the rest."""
        return 2 * (self.max_workspaces + self.warm_pool_size) + 8
