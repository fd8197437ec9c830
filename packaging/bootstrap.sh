#!/usr/bin/env bash
# Sets up a development checkout of Mesh on Debian/Ubuntu: system packages, a virtualenv with
# the toolchain installed in editable mode, and the C runtime. Then compiles and runs an example.
#
#   packaging/bootstrap.sh            # everything, then run docs/examples/hello
#   packaging/bootstrap.sh --no-demo  # everything except the demo run (used by CI)
#   packaging/bootstrap.sh --peers    # also Go and Erlang, the peers tests/bench/ compares against
set -euo pipefail
cd "$(dirname "$0")/.."

demo=1
peers=0
for arg in "$@"; do
  case "$arg" in
    --no-demo) demo=0 ;;
    --peers) peers=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

# System packages: a C toolchain for the runtime and the linker, Python with venv.
APT_PACKAGES=(build-essential python3 python3-venv python3-dev git ca-certificates ccache debootstrap)
[ "$peers" = 1 ] && APT_PACKAGES+=(golang-go erlang-base)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "==> installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: apt-get not found; make sure these are installed: ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PY" -m venv .venv
fi
echo "==> installing the toolchain into .venv"
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev,release]"

echo "==> building the C runtime"
.venv/bin/python ffi/build.py

if [ "$demo" = 1 ]; then
  echo "==> compiling and running docs/examples/hello"
  .venv/bin/meshc build docs/examples/hello -o build/hello
  ./build/hello
fi
