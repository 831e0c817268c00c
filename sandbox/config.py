"""Lab settings (env prefix SANDBOX_). The Docker host comes from DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["SandboxSettings"]


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
    disk_limit_gb: float = Field(default=5.0, gt=0)
    command_timeout: float = Field(default=120, gt=0)
    build_timeout: float = Field(default=600, gt=0)
    output_limit: int = Field(default=1024 * 1024, ge=4096, description="bytes of output kept per command")
    stream_limit: int = Field(default=16 * 1024 * 1024, description="bytes read before a chatty command is cut")
    egress: bool = True
    runtime: str | None = Field(default=None, description="OCI runtime, e.g. sysbox-runc (then no extra privileges)")
    firewall: bool = True
    reap_interval: float = Field(default=60, gt=0)
    orphan_min_age: float = Field(default=600, ge=0, description="seconds before a container-less network/volume is reaped")
    name_prefix: str = "tutorbot"
