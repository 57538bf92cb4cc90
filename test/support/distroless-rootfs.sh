#!/usr/bin/env bash
# Makes two root file systems for `docker import`, from files already on this Debian 12 machine
# (no download): DIR/base holds what gcr.io/distroless/base-debian12:nonroot is made of (libc6,
# ca-certificates, tzdata, netbase, base-files, a passwd with nonroot = 65532, no shell) and
# DIR/builder is busybox-static with the few applets the Dockerfile's build stage runs.
set -euo pipefail
DIR=$1
base="$DIR/base"
mkdir -p "$base"
# One tar pass (not a process per file): merged-/usr paths (/lib/x86_64-linux-gnu/...) are
# stored under usr/, and the top-level links are made below.
for p in libc6 ca-certificates tzdata netbase base-files; do dpkg -L "$p"; done | sort -u | awk -F/ 'NF > 2' >"$DIR/files"
tar -c --no-recursion --ignore-failed-read -T "$DIR/files" --transform 's,^/?(bin|sbin|lib|lib64)/,usr/\1/,xS' 2>/dev/null | tar -x -C "$base"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$base/$l"; done
cp -rL --parents /etc/ssl/certs "$base/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$base/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$base/etc/group"
mkdir -p "$base/tmp" "$base/home/nonroot" "$base/root"
chmod 1777 "$base/tmp"
chmod 0700 "$base/home/nonroot" "$base/root"
chown 65532:65532 "$base/home/nonroot"
if [ -e "$base/usr/bin/sh" ]; then echo "distroless-rootfs: a shell slipped into the base" >&2; exit 1; fi

builder="$DIR/builder"
mkdir -p "$builder/bin" "$builder/tmp"
cp "$(command -v busybox)" "$builder/bin/busybox"
for a in sh cp chmod mkdir chown; do ln -s busybox "$builder/bin/$a"; done
