#!/bin/sh
# Workspace init: start the learner's private dockerd, wait until it answers, then live as long as it does.
# Env: TUTORBOT_MIRROR (registry mirror URL, e.g. http://tutorbot-mirror:5000),
#      TUTORBOT_STORAGE_DRIVER (force a driver), TUTORBOT_DOCKERD_WAIT (seconds, default 30).
# Extra arguments are passed to dockerd.
set -u
LOG=/var/log/dockerd.log
WAIT="${TUTORBOT_DOCKERD_WAIT:-30}"
mkdir -p /var/lib/docker /var/log
# A restarted workspace must not look ready before its new dockerd answers.
rm -f /run/tutorbot-workspace-ready /var/run/docker.pid

pick_driver() {
    # overlay2 cannot sit on overlayfs (the container's own root); a volume or tmpfs can host it.
    case "$(stat -f -c %T /var/lib/docker 2>/dev/null)" in
        overlayfs|aufs|"") echo vfs ;;
        *) echo overlay2 ;;
    esac
}

cgroup_parent() {
    # Keep the inner containers inside this workspace's own cgroup (memory, cpu, pids limits hold).
    path=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup 2>/dev/null)
    if [ -n "$path" ] && [ "$path" != "/" ] && [ -d "/sys/fs/cgroup/memory$path" ]; then
        echo "$path/workspace"
    fi
}

start_dockerd() {
    driver=$1
    shift
    set -- --host=unix:///var/run/docker.sock --storage-driver="$driver" "$@"
    parent=$(cgroup_parent)
    [ -n "$parent" ] && set -- "$@" --cgroup-parent="$parent"
    if [ -n "${TUTORBOT_MIRROR:-}" ]; then
        mirror_host=${TUTORBOT_MIRROR#*://}
        mirror_host=${mirror_host%%/*}
        set -- "$@" --registry-mirror="$TUTORBOT_MIRROR" --insecure-registry="$mirror_host"
    fi
    echo "tutorbot-workspace: dockerd $*" >>"$LOG"
    dockerd "$@" >>"$LOG" 2>&1 &
    DOCKERD_PID=$!
}

wait_for_dockerd() {
    i=0
    while [ "$i" -lt $((WAIT * 10)) ]; do
        docker info >/dev/null 2>&1 && return 0
        kill -0 "$DOCKERD_PID" 2>/dev/null || return 1
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

stop() {
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID"
    exit 0
}
trap stop TERM INT

DRIVER="${TUTORBOT_STORAGE_DRIVER:-$(pick_driver)}"
start_dockerd "$DRIVER" "$@"
if ! wait_for_dockerd; then
    if [ -z "${TUTORBOT_STORAGE_DRIVER:-}" ] && [ "$DRIVER" != vfs ]; then
        echo "tutorbot-workspace: $DRIVER failed, falling back to vfs" >>"$LOG"
        kill -TERM "$DOCKERD_PID" 2>/dev/null
        wait "$DOCKERD_PID" 2>/dev/null
        rm -f /var/run/docker.pid
        start_dockerd vfs "$@"
        wait_for_dockerd || { echo "tutorbot-workspace: dockerd did not start" >&2; tail -n 30 "$LOG" >&2; exit 1; }
    else
        echo "tutorbot-workspace: dockerd did not start" >&2
        tail -n 30 "$LOG" >&2
        exit 1
    fi
fi
echo "tutorbot-workspace: docker is ready" >&2
touch /run/tutorbot-workspace-ready
# Stay alive as long as dockerd; `wait` returns early on a trapped signal, so loop.
while kill -0 "$DOCKERD_PID" 2>/dev/null; do
    wait "$DOCKERD_PID"
done
echo "tutorbot-workspace: dockerd exited" >&2
tail -n 30 "$LOG" >&2
exit 1
