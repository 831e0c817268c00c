#!/bin/sh
# Workspace init: start the learner's private, rootless dockerd, say when it answers, live as long as it does.
# Starts as root only to open the TUN device (slirp4netns needs it), then becomes uid 1000 for good:
# no process of the workspace runs as root after this point, and nothing can get root back (no setuid).
# Env: TUTORBOT_MIRROR (registry mirror URL, e.g. http://10.201.0.3:5000), TUTORBOT_DOCKERD_WAIT (s, default 30).
# Extra arguments are passed to dockerd.
set -u
if [ "$(id -u)" = 0 ]; then
    chmod 0666 /dev/net/tun 2>/dev/null
    exec setpriv --reuid=1000 --regid=1000 --init-groups --inh-caps=-all "$0" "$@"
fi

export HOME=/home/rootless XDG_RUNTIME_DIR=/run/user/1000
READY="$XDG_RUNTIME_DIR/ready"
LOG="$XDG_RUNTIME_DIR/dockerd.log"
WAIT="${TUTORBOT_DOCKERD_WAIT:-30}"
mkdir -p "$HOME"
rm -f "$READY"

# Group 0 inside the daemon's user namespace is group rootless (1000) outside it: the learner's group.
set -- --data-root=/var/lib/docker --group=0 "$@"
if [ -n "${TUTORBOT_MIRROR:-}" ]; then
    mirror_host=${TUTORBOT_MIRROR#*://}
    mirror_host=${mirror_host%%/*}
    set -- "$@" --registry-mirror="$TUTORBOT_MIRROR" --insecure-registry="$mirror_host"
fi
echo "tutorbot-workspace: dockerd-rootless.sh $*" >>"$LOG"
dockerd-rootless.sh "$@" >>"$LOG" 2>&1 &
DOCKERD_PID=$!

stop() {
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID"
    exit 0
}
trap stop TERM INT

i=0
until docker info >/dev/null 2>&1; do
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null || [ "$i" -ge $((WAIT * 20)) ]; then
        echo "tutorbot-workspace: dockerd did not start" >&2
        tail -n 30 "$LOG" >&2
        exit 1
    fi
    sleep 0.05
    i=$((i + 1))
done
# The learner (group rootless) may use the socket: dockerd gives it that group (--group=0) just after
# it starts answering, so wait for it before saying the workspace is ready.
i=0
until [ -n "$(find "$XDG_RUNTIME_DIR/docker.sock" -group 1000 -perm -g=rw)" ]; do
    [ "$i" -ge 200 ] && { echo "tutorbot-workspace: the socket never got the learner's group" >&2; exit 1; }
    sleep 0.01
    i=$((i + 1))
done
echo "tutorbot-workspace: docker is ready" >&2
touch "$READY"
# Stay alive as long as dockerd; `wait` returns early on a trapped signal, so loop.
while kill -0 "$DOCKERD_PID" 2>/dev/null; do
    wait "$DOCKERD_PID"
done
echo "tutorbot-workspace: dockerd exited" >&2
tail -n 30 "$LOG" >&2
exit 1
