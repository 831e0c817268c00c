#!/bin/sh
# The sandbox service: a cgroup tree of its own made writable for dockerd, the engine on a socket
# shared with the bot only (a volume), and the host agent next to it. Lives as long as dockerd.
# Env: TUTORBOT_LAB_RUN (shared folder, default /run/tutorbot-lab), TUTORBOT_BOT_GID (the bot's gid,
#      default 10001), SANDBOX_SUBNET_POOL (default 10.201.0.0/16).
set -eu
RUN_DIR=${TUTORBOT_LAB_RUN:-/run/tutorbot-lab}
BOT_GID=${TUTORBOT_BOT_GID:-10001}
POOL=${SANDBOX_SUBNET_POOL:-10.201.0.0/16}
mkdir -p "$RUN_DIR" /var/lib/tutorbot-lab/disks

# Docker mounts this container's own cgroups (a private cgroup namespace) read-only; dockerd needs
# to make its workspaces' cgroups under them. The host's tree stays out of reach.
for controller in /sys/fs/cgroup/*/; do
    mount -o remount,bind,rw "$controller" 2>/dev/null || true
done

# Workspaces run in a user namespace (below): the kernel lets runc mount their /proc and /sys there
# only if a fully visible procfs and sysfs are mounted somewhere in this namespace ("mount too
# revealing"), and Docker masks parts of this service's own. A second procfs and a read-only sysfs,
# in a folder only root may enter, are those mounts.
mkdir -p /run/tutorbot-visible/proc /run/tutorbot-visible/sys
chmod 0700 /run/tutorbot-visible
mountpoint -q /run/tutorbot-visible/proc || mount -t proc -o nosuid,nodev,noexec proc /run/tutorbot-visible/proc
mountpoint -q /run/tutorbot-visible/sys || mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /run/tutorbot-visible/sys
# A remapped workspace's root is not root here: TUN must be usable by anyone (as udev makes it on Debian;
# only in a network namespace one owns) for slirp4netns to start.
chmod 0666 /dev/net/tun
# Host-wide kernel tables every workspace shares (sandbox/README.md, "Shared kernel tables"): the operator
# raises them on the host (this service's /proc/sys is read-only); said here when they are still too small.
for setting in kernel.pty.max=1048576 fs.inotify.max_user_instances=8192 fs.inotify.max_user_watches=1048576; do
    key=${setting%=*}
    [ "$(sysctl -n "$key")" -ge "${setting#*=}" ] \
        || echo "tutorbot-sandbox-host: set $setting on the host (now $(sysctl -n "$key")): see sandbox/README.md" >&2
done
# --userns-remap: uid 0 in a workspace is an unprivileged uid (see the Dockerfile), worthless outside it.
dockerd --host="unix://$RUN_DIR/docker.sock" --group="$BOT_GID" --userns-remap=tutorbot-lab \
    >/var/log/dockerd.log 2>&1 &
DOCKERD=$!
trap 'kill -TERM $DOCKERD 2>/dev/null; wait $DOCKERD' TERM INT
i=0
until docker -H "unix://$RUN_DIR/docker.sock" info >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -gt 600 ] || ! kill -0 "$DOCKERD" 2>/dev/null; then
        echo "tutorbot-sandbox-host: dockerd did not start" >&2
        tail -n 40 /var/log/dockerd.log >&2
        exit 1
    fi
    sleep 0.1
done
# The agent starts once dockerd has made its DOCKER-USER chain, which the firewall rules hang from.
# --proc: this service's own /proc/sys is read-only; the agent writes the workspaces' own limits through the
# procfs above (sandbox/kernel_tables.py).
python3 -m sandbox.host_agent --socket "$RUN_DIR/agent.sock" --group "$BOT_GID" --subnet-pool "$POOL" \
    --proc /run/tutorbot-visible/proc &
AGENT=$!
stop() {
    kill -TERM "$DOCKERD" "$AGENT" 2>/dev/null
    wait "$DOCKERD" 2>/dev/null
    # Loop devices outlive this container: give back every one attached to a workspace's disk.
    for image in /var/lib/tutorbot-lab/disks/*.img; do
        [ -e "$image" ] || continue
        umount "${image%.img}" 2>/dev/null
        losetup -j "$image" | cut -d: -f1 | while read -r device; do losetup -d "$device"; done
    done
    exit 0
}
trap stop TERM INT
echo "tutorbot-sandbox-host: ready on $RUN_DIR/docker.sock" >&2
while kill -0 "$DOCKERD" 2>/dev/null; do
    wait "$DOCKERD" || true
done
tail -n 40 /var/log/dockerd.log >&2
exit 1
