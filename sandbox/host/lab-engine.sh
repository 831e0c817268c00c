#!/bin/sh
# The lab's own Docker engine on this machine (local mode and CI), the same as the docker-compose
# `sandbox` service but without a container around it:
#   - dockerd with --userns-remap: uid 0 in a workspace is an unprivileged host uid, so it can write no
#     host-global knob (/proc/sys/kernel/core_pattern...);
#   - in a network namespace of its own: its bridges and iptables rules never touch the host engine's
#     (a second dockerd in the host's namespace would delete the host engine's DOCKER chains at start);
#     a veth pair and one masquerade rule give it the way out;
#   - the host agent (sandbox/host_agent.py) in that namespace: the workspaces' firewall rules are made
#     where their bridges are, and their loop disks on this host;
#   - the host's shared kernel tables raised (ptys, inotify; host_tables below), also when it already runs.
# The bot reaches it with DOCKER_HOST=unix://$RUN/docker.sock and SANDBOX_HOST_AGENT=$RUN/agent.sock
# (`lab-engine.sh env` prints both). Needs root, dockerd, iptables, iproute2, nsenter, python3.
#
# usage: lab-engine.sh start|stop|env
# Env: TUTORBOT_LAB_RUN (sockets, pids, logs; default /run/tutorbot-lab),
#      TUTORBOT_LAB_DATA (images and containers; default /var/lib/tutorbot-lab/engine),
#      TUTORBOT_LAB_NAME (netns, veth, containerd namespace; default tutorbot-lab),
#      TUTORBOT_LAB_LINK (the /30 of the veth pair; default 10.200.255.0/30),
#      TUTORBOT_LAB_REMAP_BASE (first host uid/gid of the workspaces; default 1000000),
#      SANDBOX_SUBNET_POOL (default 10.201.0.0/16), SANDBOX_DISK_DIR (default /var/lib/tutorbot-lab/disks).
set -eu
RUN=${TUTORBOT_LAB_RUN:-/run/tutorbot-lab}
DATA=${TUTORBOT_LAB_DATA:-/var/lib/tutorbot-lab/engine}
NAME=${TUTORBOT_LAB_NAME:-tutorbot-lab}
LINK=${TUTORBOT_LAB_LINK:-10.200.255.0/30}
BASE=${TUTORBOT_LAB_REMAP_BASE:-1000000}
POOL=${SANDBOX_SUBNET_POOL:-10.201.0.0/16}
DISKS=${SANDBOX_DISK_DIR:-/var/lib/tutorbot-lab/disks}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
# Workspace uid 0 .. 65535 + the rootless daemon's 65536 subordinate ids (100000-165535 inside), rounded up.
RANGE=262144
USER=tutorbot-lab
NETNS=/run/netns/$NAME
HOST_IF=$(printf '%.15s' "$NAME-h")
LAB_IF=$(printf '%.15s' "$NAME-n")
prefix=${LINK%.*}
last=${LINK#"$prefix".}
last=${last%/*}
HOST_IP=$prefix.$((last + 1))
LAB_IP=$prefix.$((last + 2))

lab() { nsenter --net="$NETNS" "$@"; }

# Host-wide kernel tables every workspace shares (sandbox/README.md, "Shared kernel tables"), raised, never
# lowered: the ptys of all workspaces come from kernel.pty.max, and a workspace's memory limit (each pty is
# charged to it) must run out long before the table does; every remapped workspace's inotify instances and
# watches are also charged to the host's root, within the workspace's own limits (sandbox/kernel_tables.py).
host_tables() {
    for setting in kernel.pty.max=1048576 fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=1048576; do
        key=${setting%=*}
        [ "$(sysctl -n "$key")" -ge "${setting#*=}" ] || sysctl -qw "$setting"
    done
}

remap_user() {
    getent passwd "$USER" >/dev/null || useradd --system --no-create-home --shell /usr/sbin/nologin "$USER"
    for file in /etc/subuid /etc/subgid; do
        touch "$file"
        grep -q "^$USER:" "$file" || echo "$USER:$BASE:$RANGE" >>"$file"
    done
}

network() {
    [ -e "$NETNS" ] || ip netns add "$NAME"
    lab ip link set lo up
    if ! ip link show "$HOST_IF" >/dev/null 2>&1; then
        ip link add "$HOST_IF" type veth peer name "$LAB_IF" netns "$NAME"
        ip addr add "$HOST_IP/30" dev "$HOST_IF"
        ip link set "$HOST_IF" up
        lab ip addr add "$LAB_IP/30" dev "$LAB_IF"
        lab ip link set "$LAB_IF" up
        lab ip route add default via "$HOST_IP"
    fi
    sysctl -qw net.ipv4.ip_forward=1
    iptables -t nat -C POSTROUTING -s "$LAB_IP/32" ! -o "$HOST_IF" -j MASQUERADE 2>/dev/null \
        || iptables -t nat -A POSTROUTING -s "$LAB_IP/32" ! -o "$HOST_IF" -j MASQUERADE
    # The host engine's FORWARD policy is DROP: let the lab's traffic out and its answers back.
    iptables -C FORWARD -i "$HOST_IF" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$HOST_IF" -j ACCEPT
    iptables -C FORWARD -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null \
        || iptables -I FORWARD -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
}

start() {
    host_tables
    if [ -S "$RUN/docker.sock" ] && docker -H "unix://$RUN/docker.sock" info >/dev/null 2>&1; then
        echo "lab engine: already running on $RUN/docker.sock" >&2
        return 0
    fi
    mkdir -p "$RUN" "$DATA" "$DISKS"
    remap_user
    # What udev does on Debian: TUN is usable by anyone, and only in a network namespace they own.
    # A remapped workspace's root is not the host's root, so it needs this to start slirp4netns.
    chmod 0666 /dev/net/tun
    network
    # A containerd namespace of its own too, in case it shares a system containerd with the host engine.
    setsid nsenter --net="$NETNS" dockerd --userns-remap="$USER" --data-root="$DATA" --exec-root="$RUN/engine" \
        --host="unix://$RUN/docker.sock" --pidfile="$RUN/dockerd.pid" \
        --containerd-namespace="$NAME" --containerd-plugins-namespace="$NAME-plugins" \
        >"$RUN/dockerd.log" 2>&1 </dev/null &
    i=0
    until docker -H "unix://$RUN/docker.sock" info >/dev/null 2>&1; do
        i=$((i + 1))
        if [ "$i" -gt 600 ]; then
            echo "lab engine: dockerd did not start" >&2
            tail -n 40 "$RUN/dockerd.log" >&2
            exit 1
        fi
        sleep 0.1
    done
    # The agent starts once dockerd has made its DOCKER-USER chain, which the firewall rules hang from.
    PYTHONPATH=$REPO setsid nsenter --net="$NETNS" python3 -m sandbox.host_agent --socket "$RUN/agent.sock" \
        --subnet-pool "$POOL" --disk-dir "$DISKS" >"$RUN/agent.log" 2>&1 </dev/null &
    echo $! >"$RUN/agent.pid"
    i=0
    until [ -S "$RUN/agent.sock" ]; do
        i=$((i + 1))
        [ "$i" -gt 100 ] && { echo "lab engine: the agent did not start" >&2; cat "$RUN/agent.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "lab engine: ready on $RUN/docker.sock (workspace uid 0 = host uid $BASE)" >&2
}

stop() {
    for pidfile in "$RUN/agent.pid" "$RUN/dockerd.pid"; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        i=0
        while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        rm -f "$pidfile"
    done
    rm -f "$RUN/agent.sock"
    # Loop devices outlive the engine: give back every one attached to a workspace's disk (files kept).
    for image in "$DISKS"/*.img; do
        [ -e "$image" ] || continue
        umount "${image%.img}" 2>/dev/null || true
        losetup -j "$image" | cut -d: -f1 | while read -r device; do losetup -d "$device"; done
    done
    iptables -D FORWARD -i "$HOST_IF" -j ACCEPT 2>/dev/null || true
    iptables -D FORWARD -o "$HOST_IF" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null || true
    iptables -t nat -D POSTROUTING -s "$LAB_IP/32" ! -o "$HOST_IF" -j MASQUERADE 2>/dev/null || true
    ip link del "$HOST_IF" 2>/dev/null || true
    ip netns del "$NAME" 2>/dev/null || true
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) echo "DOCKER_HOST=unix://$RUN/docker.sock SANDBOX_HOST_AGENT=$RUN/agent.sock" ;;
    *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
