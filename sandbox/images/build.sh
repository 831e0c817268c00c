#!/bin/sh
# Build the learner images' offline stand-ins and tag them under the real names (see tags.txt, README.md).
# Usage: build.sh [KEY...]   KEY in: hello-world busybox alpine debian ubuntu nginx python registry
#        build.sh recipe KEY  prints the recipe hash the image is labelled with.
# Without KEY builds all, parents first. Idempotent: an image whose org.tutorbot.recipe label matches is
# only re-tagged (FORCE=1 rebuilds). Debian is debootstrapped once (rootfs cached as a tarball in
# TUTORBOT_CACHE_DIR, default ~/.cache/tutorbot); ubuntu, nginx, python and registry are built on it.
# Needs: docker CLI, and for debian root + debootstrap, for busybox/hello-world a static busybox.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${TUTORBOT_CACHE_DIR:-$HOME/.cache/tutorbot}
SUITE=bookworm
DEBIAN_MIRROR=${TUTORBOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BUSYBOX=${TUTORBOT_BUSYBOX:-$(command -v busybox || echo /bin/busybox)}
ALL_KEYS="hello-world busybox debian alpine ubuntu nginx python registry"

parent_of() {
    case "$1" in
        ubuntu|nginx|python|registry) echo debian ;;
        alpine) echo busybox ;;
    esac
}

refs_of() { awk -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) print $i }' "$HERE/tags.txt"; }
primary_of() { refs_of "$1" | head -n 1; }

# sha256 of this script, every file under the key's folder (path, newline, content, sorted) and the
# parent's recipe; sandbox/prepare_recipes.py computes the same.
recipe() {
    parent=$(parent_of "$1")
    {
        cat "$HERE/build.sh"
        (cd "$HERE/$1" && find . -type f | LC_ALL=C sort | while read -r f; do printf '%s\n' "$f"; cat "$f"; done)
        if [ -n "$parent" ]; then recipe "$parent"; fi
    } | sha256sum | cut -c1-16
}

labels() {
    echo "org.tutorbot.standin=true org.tutorbot.image=$1 org.tutorbot.recipe=$2"
}

tag_all() {
    primary=$(primary_of "$1")
    for ref in $(refs_of "$1"); do
        [ "$ref" = "$primary" ] || docker tag "$primary" "$ref"
    done
}

import_dir() {  # import_dir DIR KEY RECIPE CHANGE...
    dir=$1; key=$2; rec=$3; shift 3
    set -- "$@" -c "LABEL $(labels "$key" "$rec")"
    tar -C "$dir" -c . | docker import "$@" -m "tutorbot offline stand-in ($key)" - "$(primary_of "$key")" >/dev/null
}

build_hello_world() {
    root="$WORK/hello-world"
    mkdir -p "$root/bin"
    install -m 0755 "$BUSYBOX" "$root/bin/busybox"
    install -m 0755 "$HERE/hello-world/hello" "$root/hello"
    import_dir "$root" hello-world "$1" -c 'CMD ["/hello"]'
}

build_busybox() {
    root="$WORK/busybox"
    mkdir -p "$root/bin" "$root/tmp" "$root/root" "$root/var" "$root/home" "$root/usr"
    chmod 1777 "$root/tmp"
    install -m 0755 "$BUSYBOX" "$root/bin/busybox"
    for applet in $("$BUSYBOX" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
    cp -a "$HERE/busybox/rootfs/." "$root/"
    import_dir "$root" busybox "$1" -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'CMD ["sh"]'
}

debian_tarball() {  # debootstrap once, then reuse the cached rootfs tarball
    key=$(printf '%s\n' minbase "$SUITE" "$DEBIAN_MIRROR" | sha256sum | cut -c1-16)
    tarball="$CACHE/debian-$SUITE-minbase-$key.tar"
    if [ ! -s "$tarball" ]; then
        root="$WORK/debootstrap"
        debootstrap --variant=minbase "$SUITE" "$root" "$DEBIAN_MIRROR" >"$WORK/debootstrap.log" 2>&1 \
            || { tail -n 40 "$WORK/debootstrap.log" >&2; exit 1; }
        rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"* "$root/var/log/"* \
            "$root/usr/share/doc/"* "$root/usr/share/man/"* "$root/usr/share/info/"*
        rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
        tar -C "$root" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
        rm -rf "$root"
    fi
    echo "$tarball"
}

build_debian() {
    tarball=$(debian_tarball)
    root="$WORK/debian"
    mkdir -p "$root"
    tar -C "$root" -xf "$tarball"
    cp -a "$HERE/debian/rootfs/." "$root/"
    import_dir "$root" debian "$1" -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'CMD ["bash"]'
}

build_derived() {  # build_derived KEY RECIPE: the key's Dockerfile on top of its parent stand-in
    args="--network host --build-arg BASE=$(primary_of "$(parent_of "$1")")"
    for label in $(labels "$1" "$2"); do args="$args --label $label"; done
    # shellcheck disable=SC2086
    docker build -q --force-rm $args -t "$(primary_of "$1")" "$HERE/$1" >/dev/null
}

build_one() {
    key=$1
    rec=$(recipe "$key")
    current=$(docker image inspect -f '{{index .Config.Labels "org.tutorbot.recipe"}}' "$(primary_of "$key")" 2>/dev/null || true)
    if [ "$current" = "$rec" ] && [ "${FORCE:-0}" != 1 ]; then
        tag_all "$key"
        echo "up to date: $key ($rec)"
        return
    fi
    case "$key" in
        hello-world) build_hello_world "$rec" ;;
        busybox) build_busybox "$rec" ;;
        debian) build_debian "$rec" ;;
        alpine|ubuntu|nginx|python|registry) build_derived "$key" "$rec" ;;
        *) echo "unknown image key: $key" >&2; exit 2 ;;
    esac
    tag_all "$key"
    echo "built: $key ($rec)"
}

if [ "${1:-}" = recipe ]; then
    recipe "$2"
    exit 0
fi
mkdir -p "$CACHE"
WORK=$(mktemp -d "$CACHE/standin-build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
for key in ${*:-$ALL_KEYS}; do
    build_one "$key"
done
