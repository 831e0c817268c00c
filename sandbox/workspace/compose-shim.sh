#!/bin/sh
# Docker CLI plugin: makes `docker compose ...` run Debian's docker-compose (v1, 1.29).
# The CLI calls a plugin as `docker-compose compose ARGS...`, or with `docker-cli-plugin-metadata`.
if [ "${1:-}" = "docker-cli-plugin-metadata" ]; then
    cat <<'JSON'
{"SchemaVersion":"0.1.0","Vendor":"tutorbot","Version":"1.29.2","ShortDescription":"Docker Compose (runs docker-compose v1)"}
JSON
    exit 0
fi
[ "${1:-}" = "compose" ] && shift
exec /usr/bin/docker-compose "$@"
