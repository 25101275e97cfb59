#!/usr/bin/env bash
# Double-click launcher for macOS: Finder runs .command files in Terminal.
# Keep it inside the checkout (resources/launchers/); make a Finder alias for the desktop or Dock.
# Uses the checkout's .venv if there is one, else python3 from PATH. Arguments are passed on,
# so `OptimizerLab.command --version` works from a shell too.
set -euo pipefail

src="${BASH_SOURCE[0]}"
while [ -L "$src" ]; do  # a symlink on the desktop still finds the checkout (no readlink -f on old macOS)
  dir="$(cd -P "$(dirname "$src")" && pwd)"
  src="$(readlink "$src")"
  case "$src" in /*) ;; *) src="$dir/$src" ;; esac
done
root="$(cd -P "$(dirname "$src")/../.." && pwd)"
cd "$root"

if [ -x .venv/bin/python ]; then
  python=.venv/bin/python
elif command -v python3 >/dev/null 2>&1; then
  python=python3
else
  echo "Optimizer Lab needs Python 3.11 or newer: install it from python.org, then run" >&2
  echo "  cd \"$root\" && python3 -m venv .venv && .venv/bin/pip install -e ." >&2
  exit 1
fi
exec "$python" main.py "$@"
