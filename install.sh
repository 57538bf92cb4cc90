#!/bin/sh
# GastroLog installer: downloads the gastrolog binary for this Linux machine (x86_64 or aarch64,
# glibc or musl), checks it against SHA256SUMS and installs it atomically.
#
#   curl -fsSL https://HOST/install.sh | sh
#   curl -fsSL https://HOST/install.sh | sh -s -- --version 0.1.0 --prefix /opt/gastrolog
#   wget -qO- https://HOST/install.sh | sh -s -- --install-service     (as root: systemd unit)
#
# Options: --version X, --prefix DIR (binary goes to DIR/bin; default /usr/local as root, else
# ~/.local), --install-service, --uninstall, --help. GASTROLOG_BASE_URL names where the release
# files are (install.sh, SHA256SUMS, manifest.json, gastrolog-<version>-<target>). POSIX sh: runs
# under dash and busybox sh; needs curl or wget, and sha256sum (or shasum).
set -eu

RELEASES_URL="https://github.com/gastrolog/gastrolog/releases"

say() { printf 'gastrolog-install: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  cat <<'EOF'
Usage: install.sh [--version X] [--prefix DIR] [--install-service] [--uninstall]
  --version X        install this version (default: the latest at the base URL)
  --prefix DIR       install DIR/bin/gastrolog (default /usr/local as root, else ~/.local)
  --install-service  also install and start the systemd unit (root only)
  --uninstall        remove the binary (and the unit); data directories are kept
Environment: GASTROLOG_BASE_URL (where the release files are), GASTROLOG_UNIT_DIR (unit
directory, default /etc/systemd/system).
EOF
}

# Downloads URL to FILE with curl, else wget. Fails (returns 1) on HTTP errors.
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed; install one of them and run this again"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "no sha256sum or shasum to verify the download with"
  fi
}

# The release target of this machine: linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl.
detect_target() {
  os=$(uname -s)
  [ "$os" = Linux ] || die "gastrolog is built for Linux only (this is $os)"
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no gastrolog build for the $(uname -m) processor (x86_64 and aarch64 exist)" ;;
  esac
  if command -v ldd >/dev/null 2>&1 && ldd --version 2>&1 | grep -qi musl; then
    echo "linux-$arch-musl"
  elif getconf GNU_LIBC_VERSION >/dev/null 2>&1 || ldd --version 2>&1 | grep -qi -e glibc -e 'gnu libc'; then
    echo "linux-$arch"
  elif grep -q 'ld-musl-' /bin/sh 2>/dev/null; then
    # No ldd or getconf to ask (e.g. busybox alone): the system's own shell names the loader of
    # its C library. Not /lib/ld-musl-*: glibc machines can have it too (Debian's musl package).
    echo "linux-$arch-musl"
  else
    echo "linux-$arch"
  fi
}

# The expected sha256 of FILE according to the SHA256SUMS file SUMS ("" when not listed).
listed_sum() {
  awk -v f="$2" '$2 == f || $2 == "*" f { print $1 }' "$1"
}

install_service() {
  bin=$1
  [ "$(id -u)" = 0 ] || die "--install-service needs root (run the installer with sudo)"
  unit_dir=${GASTROLOG_UNIT_DIR:-/etc/systemd/system}
  expected=$(listed_sum "$tmp/SHA256SUMS" gastrolog.service)
  [ -n "$expected" ] || die "$base/SHA256SUMS does not list gastrolog.service"
  fetch "$base/gastrolog.service" "$tmp/gastrolog.service" || die "cannot download $base/gastrolog.service"
  actual=$(sha256_of "$tmp/gastrolog.service")
  [ "$actual" = "$expected" ] || die "checksum mismatch for gastrolog.service (expected $expected, got $actual): refusing to install it"
  sed "s|/usr/local/bin/gastrolog|$bin|" "$tmp/gastrolog.service" >"$tmp/unit"
  mkdir -p "$unit_dir"
  cp "$tmp/unit" "$unit_dir/.gastrolog.service.new"
  chmod 0644 "$unit_dir/.gastrolog.service.new"
  mv -f "$unit_dir/.gastrolog.service.new" "$unit_dir/gastrolog.service"
  say "systemd unit written to $unit_dir/gastrolog.service"
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload
    systemctl enable gastrolog.service
    systemctl restart gastrolog.service
    say "gastrolog.service enabled and (re)started; status: systemctl status gastrolog"
  else
    say "systemd is not running here: start it later with 'systemctl daemon-reload && systemctl enable --now gastrolog'"
  fi
}

uninstall() {
  dest=$1
  unit=${GASTROLOG_UNIT_DIR:-/etc/systemd/system}/gastrolog.service
  if [ -f "$unit" ]; then
    [ "$(id -u)" = 0 ] || die "removing $unit needs root"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now gastrolog.service || true
    fi
    rm -f "$unit"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
    say "removed $unit"
  fi
  if [ -e "$dest" ]; then
    rm -f "$dest"
    say "removed $dest"
  else
    say "nothing to remove at $dest"
  fi
  say "data directories are kept (/var/lib/gastrolog for the service, ~/.local/share/gastrolog otherwise)"
}

main() {
  version=""
  prefix=""
  action=install
  service=no
  while [ $# -gt 0 ]; do
    case "$1" in
      --version)
        [ $# -ge 2 ] || die "--version needs a value"
        version=${2#v}
        shift 2
        ;;
      --version=*) version=${1#--version=} && version=${version#v} && shift ;;
      --prefix)
        [ $# -ge 2 ] || die "--prefix needs a directory"
        prefix=$2
        shift 2
        ;;
      --prefix=*) prefix=${1#--prefix=} && shift ;;
      --install-service) service=yes && shift ;;
      --uninstall) action=uninstall && shift ;;
      -h | --help) usage && exit 0 ;;
      *) usage >&2 && die "unknown option '$1'" ;;
    esac
  done
  if [ -z "$prefix" ]; then
    if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="${HOME:?HOME is not set}/.local"; fi
  fi
  bindir="$prefix/bin"
  dest="$bindir/gastrolog"
  if [ "$action" = uninstall ]; then
    uninstall "$dest"
    return 0
  fi

  if [ -n "${GASTROLOG_BASE_URL:-}" ]; then
    base=${GASTROLOG_BASE_URL%/}
  elif [ -n "$version" ]; then
    base="$RELEASES_URL/download/v$version"
  else
    base="$RELEASES_URL/latest/download"
  fi
  target=$(detect_target)
  tmp=$(mktemp -d)
  part=""
  trap 'rm -rf "$tmp"; [ -z "$part" ] || rm -f "$part"' EXIT
  trap 'exit 1' INT TERM

  fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download $base/SHA256SUMS${version:+ (is version $version published there?)}"
  if [ -z "$version" ]; then
    fetch "$base/manifest.json" "$tmp/manifest.json" || die "cannot download $base/manifest.json to learn the latest version; pass --version"
    version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$tmp/manifest.json" | head -n 1)
    [ -n "$version" ] || die "$base/manifest.json names no version"
  fi
  file="gastrolog-$version-$target"
  expected=$(listed_sum "$tmp/SHA256SUMS" "$file")
  if [ -z "$expected" ]; then
    have=$(sed -n 's/.*gastrolog-\([^ ]*\)-linux-.*/\1/p' "$tmp/SHA256SUMS" | sort -u | tr '\n' ' ')
    die "gastrolog $version is not published for $target at $base (versions there: ${have:-none})"
  fi

  if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$expected" ]; then
    say "gastrolog $version ($target) is already installed at $dest"
  else
    mkdir -p "$bindir" || die "cannot create $bindir"
    # Downloaded next to the destination so the final rename is atomic (same file system).
    part="$bindir/.gastrolog.$$.part"
    say "downloading $base/$file"
    fetch "$base/$file" "$part" || die "cannot download $base/$file"
    actual=$(sha256_of "$part")
    [ "$actual" = "$expected" ] || die "checksum mismatch for $file (expected $expected, got $actual): refusing to install it"
    chmod 0755 "$part"
    if ! "$part" version >/dev/null 2>&1; then
      case "$target" in
        *-musl) die "the downloaded $file does not run on this machine (Alpine: apk add libstdc++ libgcc)" ;;
        *) die "the downloaded $file does not run on this machine" ;;
      esac
    fi
    mv -f "$part" "$dest"
    part=""
    say "installed $dest"
  fi
  "$dest" version
  case ":${PATH:-}:" in
    *":$bindir:"*) ;;
    *) say "warning: $bindir is not on your PATH; add it, e.g. export PATH=\"$bindir:\$PATH\"" ;;
  esac
  if [ "$service" = yes ]; then install_service "$dest"; fi
}

main "$@"
