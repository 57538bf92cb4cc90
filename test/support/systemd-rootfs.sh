#!/usr/bin/env bash
# A root file system for `docker import` that boots this machine's own systemd as PID 1: the
# container bind-mounts the host's /usr read-only (systemd, libc, curl, coreutils come from
# there), so this tree holds only the merged-/usr links and a minimal /etc (passwd, nsswitch
# with nss-systemd for DynamicUser=, os-release, the alternatives links, /etc/default).
set -euo pipefail
R=$1
mkdir -p "$R"/etc/systemd/system "$R"/etc/default "$R"/var/lib "$R"/var/log "$R"/root "$R"/tmp "$R"/run "$R"/usr "$R"/proc "$R"/sys "$R"/dev
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$R/$l"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' >"$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
printf 'passwd: files systemd\ngroup: files systemd\nshadow: files\nhosts: files\n' >"$R/etc/nsswitch.conf"
cp /etc/os-release "$R/etc/os-release"
cp -a /etc/alternatives "$R/etc/"
: >"$R/etc/machine-id"
