#!/usr/bin/env bash
# Offline lab install, step 1 (on a machine WITH internet): put every wheel Optimizer Lab
# needs into one folder, to carry to the lab on a USB stick or a network share.
#
#   resources/packaging/make_wheelhouse.sh [WHEELHOUSE]        (default: ./wheelhouse)
#
# Wheels are specific to OS, CPU and Python version: run this on the same kind of machine as
# the lab's, or name the lab's with PLATFORM and PYTHON_VERSION, e.g. for Windows lab PCs:
#   PLATFORM=win_amd64 PYTHON_VERSION=3.11 resources/packaging/make_wheelhouse.sh
# EXTRAS picks the extras (default "test", so the lab can run the test suite too).
# pip comes from PYTHON if set, else the checkout's .venv (the quick start makes one), else
# python3; if that Python has no pip (Debian's python3 without python3-pip), a temporary
# virtual environment made from it provides one (python3-venv's ensurepip).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$(mkdir -p "${1:-$root/wheelhouse}" && cd "${1:-$root/wheelhouse}" && pwd)"
extras="${EXTRAS-test}"
if [ -n "${PYTHON:-}" ]; then
  python="$PYTHON"
elif [ -x "$root/.venv/bin/python" ]; then
  python="$root/.venv/bin/python"
else
  python=python3
fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  echo "$python has no pip: using a temporary virtual environment for it" >&2
  if ! "$python" -m venv "$scratch/venv" >&2; then
    echo "could not make one: install python3-venv (Debian/Ubuntu: apt-get install python3-venv) or pip" >&2
    exit 1
  fi
  python="$scratch/venv/bin/python"
fi

# The app itself: pure Python, one wheel for every platform.
rm -f "$out"/optimizer_lab-*.whl
"$python" -m pip wheel --no-deps --wheel-dir "$out" "$root"
wheel="$(ls "$out"/optimizer_lab-*.whl | head -n 1)"
spec="$wheel${extras:+[$extras]}"

# Everything it depends on, as binary wheels (a lab PC has no compiler).
if [ -n "${PLATFORM:-}" ]; then
  "$python" -m pip download --dest "$out" --only-binary=:all: \
    --platform "$PLATFORM" --python-version "${PYTHON_VERSION:-3.11}" "$spec"
else
  "$python" -m pip download --dest "$out" --prefer-binary "$spec"
fi
# pip and setuptools too, so the lab can upgrade pip or build nothing from the network.
"$python" -m pip download --dest "$out" --only-binary=:all: ${PLATFORM:+--platform "$PLATFORM"} \
  ${PLATFORM:+--python-version "${PYTHON_VERSION:-3.11}"} pip setuptools

echo "wheelhouse ready: $out ($(ls "$out" | wc -l) files, $(du -sh "$out" | cut -f1))"
echo "copy the checkout (with this folder in it) to the lab and run resources/packaging/install_offline.sh"
