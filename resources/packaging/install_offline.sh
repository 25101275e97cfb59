#!/usr/bin/env bash
# Offline lab install, step 2 (on the lab machine, NO internet needed): create a virtual
# environment and install Optimizer Lab from the wheelhouse made by make_wheelhouse.sh.
#
#   resources/packaging/install_offline.sh [WHEELHOUSE] [VENV]   (defaults: ./wheelhouse ./.venv)
#
# pip runs with --no-index: it never contacts a package index, so a missing wheel is an
# immediate, clear error instead of a hang on a blocked network.
#
# It then compiles the kernels once into a read-only cache beside the install
# ($VENV/var/cache/optimizer-lab), so students whose accounts start empty need not wait for
# numba (FILL_CACHE=0 skips it; `optimizer-lab-cli cache --fill` does it later).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
wheelhouse="${1:-$root/wheelhouse}"
venv="${2:-$root/.venv}"
python="${PYTHON:-python3}"
extras="${EXTRAS-test}"

if [ ! -d "$wheelhouse" ]; then
  echo "no wheelhouse at $wheelhouse: make one with make_wheelhouse.sh on a connected machine" >&2
  exit 1
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --no-index --find-links "$wheelhouse" \
  "optimizer-lab${extras:+[$extras]}"
"$venv/bin/optimizer-lab-cli" --version
if [ "${FILL_CACHE:-1}" != 0 ]; then
  "$venv/bin/optimizer-lab-cli" cache --fill ||
    echo "note: the shared kernel cache was not filled; each user compiles on first start" >&2
fi
echo "installed. Start the app:          $venv/bin/optimizer-lab"
echo "menu and desktop launcher (Linux): $venv/bin/optimizer-lab-cli --install-launcher"
echo "  for every account (as root):     sudo $venv/bin/optimizer-lab-cli --install-launcher --all-users"
