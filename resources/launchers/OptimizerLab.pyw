"""Double-click launcher for Windows: starts Optimizer Lab without a console window.

Keep this file inside the checkout (resources/launchers/) and put a *shortcut* to it on the
desktop (right-click → Send to → Desktop (create shortcut)); a copy would lose the way back
to main.py. Windows opens .pyw files with pythonw.exe; if the checkout has a .venv, this
script hands over to the venv's pythonw.exe so the installed packages are found.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _venv_pythonw() -> Path | None:
    for candidate in (ROOT / ".venv" / "Scripts" / "pythonw.exe", ROOT / ".venv" / "bin" / "python"):
        if candidate.exists():
            return candidate
    return None


def _tell_user(message: str) -> None:
    """pythonw has no console: a failure to start must still be seen, so show a native message box."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, "Optimizer Lab could not start", 0x10)
    else:
        print(message, file=sys.__stderr__ or sys.stdout)


def main() -> int:
    venv_python = _venv_pythonw()
    in_venv = venv_python is not None and Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()
    if venv_python is not None and not in_venv and not os.environ.get("OPTIMIZER_LAB_NO_VENV_HANDOFF"):
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        env = {**os.environ, "OPTIMIZER_LAB_NO_VENV_HANDOFF": "1"}
        return subprocess.call([str(venv_python), str(Path(__file__).resolve()), *sys.argv[1:]],
                               creationflags=flags, env=env)
    if sys.stdout is None or sys.stderr is None:  # pythonw: writes to None would raise
        sys.stdout = sys.stdout or open(os.devnull, "w")  # noqa: SIM115
        sys.stderr = sys.stderr or open(os.devnull, "w")  # noqa: SIM115
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    try:
        from main import cli_main
    except ImportError:
        _tell_user(
            "Optimizer Lab's packages are not installed for this Python:\n\n"
            f"{traceback.format_exc(limit=1)}\n"
            f"In {ROOT} run:\n  py -3 -m venv .venv\n  .venv\\Scripts\\pip install -e ."
        )
        return 1
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
