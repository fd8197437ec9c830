#!/bin/sh
# Installs a meshc release archive into ~/.mesh/bin and puts that directory on PATH.
#
#   sh install.sh [options] ARCHIVE
#
# ARCHIVE is a release archive, meshc-v<version>-<triple>.tar.gz, given as a local path or a
# URL (http, https or file; downloaded with curl or wget). The SHA256SUMS file next to it (same
# directory, or same URL directory) is used to verify it.
#
# Options:
#   --sha256sums PATH|URL  checksum file to use instead of the one next to the archive
#   --force                reinstall even if this version is already installed
#   --no-modify-path       do not edit shell profiles (~/.mesh/env is still written)
#   --uninstall            remove ~/.mesh, the unpack cache and the profile lines this script added
#   -y, --yes              accepted for compatibility; the script never asks questions
#   -h, --help             this text
set -eu

MARKER="# Mesh compiler"
MESH_HOME="$HOME/.mesh"
BIN_DIR="$MESH_HOME/bin"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  BOLD=$(printf '\033[1m'); RED=$(printf '\033[31m'); GREEN=$(printf '\033[32m'); YELLOW=$(printf '\033[33m'); RESET=$(printf '\033[0m')
else
  BOLD=""; RED=""; GREEN=""; YELLOW=""; RESET=""
fi

say() { printf '%s\n' "$*"; }
ok() { printf '%s%s%s\n' "$GREEN" "$*" "$RESET"; }
warn() { printf '%swarning:%s %s\n' "$YELLOW" "$RESET" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$RED" "$RESET" "$*" >&2; exit 1; }

usage() {
  sed -n '2,18p' "$0" 2>/dev/null | sed 's/^# \{0,1\}//' || true
}

is_url() {
  case "$1" in
    http://*|https://*|file://*) return 0 ;;
    *) return 1 ;;
  esac
}

# fetch SOURCE DEST: copy a local file or download a URL.
fetch() {
  if is_url "$1"; then
    case "$1" in
      file://*) cp "${1#file://}" "$2" ;;
      *)
        if command -v curl >/dev/null 2>&1; then
          curl -sSfL "$1" -o "$2"
        elif command -v wget >/dev/null 2>&1; then
          wget -q -O "$2" "$1"
        else
          die "need curl or wget to download $1"
        fi ;;
    esac
  else
    cp "$1" "$2"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    return 1
  fi
}

profiles() {
  # The files the installer edits: the first existing bash profile (else ~/.profile), zsh's when
  # it exists or is the login shell, fish's when it exists or is the login shell.
  if [ -f "$HOME/.bashrc" ]; then echo "$HOME/.bashrc"
  elif [ -f "$HOME/.bash_profile" ]; then echo "$HOME/.bash_profile"
  else echo "$HOME/.profile"
  fi
  case "${SHELL:-}" in */zsh) echo "$HOME/.zshrc" ;; *) [ -f "$HOME/.zshrc" ] && echo "$HOME/.zshrc" ;; esac
  case "${SHELL:-}" in */fish) echo "$HOME/.config/fish/config.fish" ;; *) [ -f "$HOME/.config/fish/config.fish" ] && echo "$HOME/.config/fish/config.fish" ;; esac
  return 0
}

remove_marker_lines() {
  # Delete each marker line and the line after it.
  [ -f "$1" ] || return 0
  grep -qxF "$MARKER" "$1" || return 0
  tmp="$1.mesh-uninstall.$$"
  awk -v m="$MARKER" 'skip { skip = 0; next } $0 == m { skip = 1; next } { print }' "$1" >"$tmp"
  cat "$tmp" >"$1"
  rm -f "$tmp"
  say "  removed the PATH setup from $1"
}

uninstall() {
  for f in "$HOME/.bashrc" "$HOME/.bash_profile" "$HOME/.profile" "$HOME/.zshrc" "$HOME/.config/fish/config.fish"; do
    remove_marker_lines "$f"
  done
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/mesh"
  rm -rf "$MESH_HOME"
  rm -rf "$cache"/meshc-* "$cache/linker"
  ok "meshc uninstalled (removed $MESH_HOME)"
}

write_env() {
  cat >"$MESH_HOME/env" <<'EOF'
# Puts meshc on PATH (written by the Mesh installer).
case ":${PATH}:" in
  *":$HOME/.mesh/bin:"*) ;;
  *) export PATH="$HOME/.mesh/bin:$PATH" ;;
esac
EOF
}

add_to_profiles() {
  for profile in $(profiles); do
    if [ -f "$profile" ] && grep -qxF "$MARKER" "$profile"; then
      continue
    fi
    mkdir -p "$(dirname "$profile")"
    case "$profile" in
      *.fish) line='fish_add_path "$HOME/.mesh/bin"' ;;
      *) line='. "$HOME/.mesh/env"' ;;
    esac
    printf '\n%s\n%s\n' "$MARKER" "$line" >>"$profile"
    say "  added meshc to PATH in $profile"
  done
}

archive=""
sums=""
force=0
modify_path=1
while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) uninstall; exit 0 ;;
    --sha256sums) [ $# -ge 2 ] || die "--sha256sums needs a value"; sums="$2"; shift ;;
    --sha256sums=*) sums="${1#*=}" ;;
    --force) force=1 ;;
    --no-modify-path) modify_path=0 ;;
    -y|--yes) ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option: $1 (see --help)" ;;
    *) [ -z "$archive" ] || die "more than one archive given"; archive="$1" ;;
  esac
  shift
done
[ -n "$archive" ] || { usage >&2; die "give the release archive to install (a path or URL)"; }

case "$(uname -s)" in
  Linux) ;;
  *) die "this installer supports Linux only (found $(uname -s))" ;;
esac

name=$(basename "$archive")
case "$name" in
  meshc-v*.tar.gz) ;;
  *) die "'$name' is not a release archive (expected meshc-v<version>-<triple>.tar.gz)" ;;
esac
rest=${name#meshc-v}
version=${rest%%-*}
triple=${rest#"$version"-}
triple=${triple%.tar.gz}
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) die "unsupported machine: $(uname -m)" ;;
esac
case "$triple" in
  "$arch"-*) ;;
  *) die "archive is for $triple, this machine is $arch" ;;
esac

if [ "$force" = 0 ] && [ -x "$BIN_DIR/meshc" ] && [ -f "$MESH_HOME/version" ] \
   && [ "$(cat "$MESH_HOME/version")" = "$version" ]; then
  ok "meshc $version is already installed and up-to-date ($BIN_DIR/meshc)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mesh-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

say "${BOLD}Installing meshc $version ($triple)${RESET}"
fetch "$archive" "$work/$name" || die "cannot read $archive"

if [ -z "$sums" ]; then
  case "$archive" in
    */*) sums="${archive%/*}/SHA256SUMS" ;;
    *) sums="SHA256SUMS" ;;
  esac
fi
if fetch "$sums" "$work/SHA256SUMS" 2>/dev/null; then
  expected=$(awk -v n="$name" '{ f = $2; sub(/^\*/, "", f); if (f == n) { print $1; exit } }' "$work/SHA256SUMS")
  [ -n "$expected" ] || die "SHA256SUMS has no entry for $name"
  actual=$(sha256_of "$work/$name") || die "need sha256sum or shasum to verify the download"
  [ "$expected" = "$actual" ] || die "checksum mismatch for $name (expected $expected, got $actual)"
  say "  checksum verified"
else
  warn "no SHA256SUMS found at $sums; skipping checksum verification"
fi

mkdir -p "$work/x"
tar -xzf "$work/$name" -C "$work/x" || die "cannot extract $name"
[ -f "$work/x/meshc" ] || die "$name does not contain meshc"

mkdir -p "$BIN_DIR"
cp "$work/x/meshc" "$BIN_DIR/meshc.new"
chmod 755 "$BIN_DIR/meshc.new"
mv -f "$BIN_DIR/meshc.new" "$BIN_DIR/meshc"
printf '%s\n' "$version" >"$MESH_HOME/version"
write_env

# The first start unpacks the binary into ~/.cache/mesh; do it now so the first real use is fast.
if installed=$("$BIN_DIR/meshc" --version 2>&1); then
  say "  $installed"
else
  warn "the installed meshc did not start: $installed"
fi

if [ "$modify_path" = 1 ]; then
  add_to_profiles
fi
ok "meshc $version installed to $BIN_DIR/meshc"
case ":${PATH}:" in
  *":$BIN_DIR:"*) ;;
  *) say "To use it in this shell, run:  . \"\$HOME/.mesh/env\"   (new shells pick it up by themselves)" ;;
esac
