#!/bin/sh
# Run once inside the workspace image's root filesystem (chroot or Dockerfile RUN), as root.
# Leaves two unprivileged users and no way back to root:
#   rootless (1000)  runs the learner's private dockerd through RootlessKit (user namespace, subuids below)
#   learner  (1001)  runs the learner's commands; reaches the daemon's socket through group rootless
# No setuid or setgid binary is left; newuidmap/newgidmap get file capabilities instead, which is all
# rootless Docker needs (the container keeps SETUID and SETGID in its bounding set for them, nothing else).
set -eu
grep -q '^rootless:' /etc/passwd || cat >>/etc/passwd <<'USERS'
rootless:x:1000:1000:private dockerd:/home/rootless:/bin/sh
learner:x:1001:1001:learner:/home/learner:/bin/sh
USERS
grep -q '^rootless:' /etc/group || cat >>/etc/group <<'GROUPS'
rootless:x:1000:learner
learner:x:1001:
GROUPS
echo 'rootless:100000:65536' >/etc/subuid
echo 'rootless:100000:65536' >/etc/subgid

find / -xdev -type f -perm /6000 -exec chmod ug-s {} +
setcap cap_setuid=ep /usr/bin/newuidmap
setcap cap_setgid=ep /usr/bin/newgidmap

# The daemon's data and the learner's folder; both live on the workspace's own disk at run time.
install -d -o 1000 -g 1000 -m 0710 /var/lib/docker
install -d -o 1001 -g 1000 -m 2775 /workspace
install -d -m 0755 /home /run/user
install -d -o 1000 -g 1000 -m 0700 /home/rootless
install -d -o 1001 -g 1001 -m 0700 /home/learner
ln -sf /usr/share/docker.io/contrib/dockerd-rootless.sh /usr/local/bin/dockerd-rootless.sh
