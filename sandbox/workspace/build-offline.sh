#!/bin/sh
# Build the workspace image with no container registry: debootstrap a Debian bookworm rootfs with the
# packages in packages.txt, copy the entrypoint and the compose shim in, and `docker import` it.
# harden.sh then leaves two unprivileged users (rootless dockerd, learner) and no setuid binary.
# The debootstrapped rootfs is cached as a tarball (TUTORBOT_CACHE_DIR, default ~/.cache/tutorbot), so a
# rebuild only re-imports it. Idempotent: an image whose recipe label matches is left alone (FORCE=1 rebuilds).
# Usage: build-offline.sh [IMAGE]   (default tutorbot/workspace:1). Needs root, debootstrap, docker.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
IMAGE=${1:-tutorbot/workspace:${TUTORBOT_WORKSPACE_VERSION:-1}}
CACHE=${TUTORBOT_CACHE_DIR:-$HOME/.cache/tutorbot}
SUITE=bookworm
DEBIAN_MIRROR=${TUTORBOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=$(grep -v -e '^#' -e '^[[:space:]]*$' "$HERE/packages.txt" | paste -sd, -)
RECIPE=$(cd "$HERE" && cat packages.txt entrypoint.sh compose-shim.sh harden.sh build-offline.sh | sha256sum | cut -c1-16)
ROOTFS_KEY=$(printf '%s\n' "$SUITE" "$DEBIAN_MIRROR" "$PACKAGES" | sha256sum | cut -c1-16)
TARBALL="$CACHE/workspace-rootfs-$SUITE-$ROOTFS_KEY.tar"

current=$(docker image inspect -f '{{index .Config.Labels "org.tutorbot.recipe"}}' "$IMAGE" 2>/dev/null || true)
if [ "$current" = "$RECIPE" ] && [ "${FORCE:-0}" != 1 ]; then
    echo "$IMAGE is up to date (recipe $RECIPE)"
    exit 0
fi

mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/workspace-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

if [ ! -s "$TARBALL" ]; then
    echo "debootstrap $SUITE with: $PACKAGES"
    debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$WORK/rootfs" "$DEBIAN_MIRROR" \
        >"$WORK/debootstrap.log" 2>&1 || { tail -n 40 "$WORK/debootstrap.log" >&2; exit 1; }
    # Nothing of the build host stays in the image; caches and docs only cost space.
    rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"* \
        "$WORK/rootfs/usr/share/doc/"* "$WORK/rootfs/usr/share/man/"* "$WORK/rootfs/var/log/"*
    rm -f "$WORK/rootfs/etc/resolv.conf" "$WORK/rootfs/etc/hostname"
    tar -C "$WORK/rootfs" -cf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL"
    rm -rf "$WORK/rootfs"
else
    echo "using cached rootfs $TARBALL"
fi

mkdir "$WORK/rootfs"
tar -C "$WORK/rootfs" -xf "$TARBALL"
install -m 0755 "$HERE/entrypoint.sh" "$WORK/rootfs/usr/local/bin/tutorbot-workspace-init"
mkdir -p "$WORK/rootfs/usr/libexec/docker/cli-plugins"
install -m 0755 "$HERE/compose-shim.sh" "$WORK/rootfs/usr/libexec/docker/cli-plugins/docker-compose"
# Users, no setuid binaries, file capabilities for the uid mappers (kept through the tar as xattrs).
chroot "$WORK/rootfs" /bin/sh -s <"$HERE/harden.sh"

tar -C "$WORK/rootfs" --xattrs --xattrs-include='security.capability' -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV DOCKER_HOST=unix:///run/user/1000/docker.sock' \
    -c 'ENTRYPOINT ["/usr/local/bin/tutorbot-workspace-init"]' \
    -c "LABEL org.tutorbot.recipe=$RECIPE org.tutorbot.role=workspace org.tutorbot.build=offline" \
    -m "tutorbot workspace, offline build (debootstrap $SUITE)" - "$IMAGE" >/dev/null
echo "built $IMAGE (recipe $RECIPE)"
