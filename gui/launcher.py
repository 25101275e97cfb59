"""Install a menu and desktop launcher for the current user (Linux, freedesktop.org desktops).

Students start programs by double-clicking, so ``python main.py --install-launcher`` writes
``optimizer-lab.desktop`` into ``~/.local/share/applications`` (the menu) and ``~/Desktop``,
and the icon into ``~/.local/share/icons/hicolor``. The Exec line names this interpreter
(the venv's ``python``, not the file it links to, or the venv's packages would be lost)
and the absolute path of main.py, so it works from a checkout and from an installed wheel.

No Qt here: ``main.py --install-launcher`` must answer at once and work without a display.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

APP_ID = "optimizer-lab"
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parents[1]
"""The folder holding main.py, gui/ and resources/: the checkout, or site-packages for a wheel."""
RESOURCES = ROOT / "resources"
TEMPLATE = RESOURCES / DESKTOP_FILE_NAME

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that force an Exec argument into double quotes (Desktop Entry spec, "The Exec key")."""


def _escape_string_value(text: str) -> str:
    """Escapes of the spec's ``string`` type, applied to the whole Exec value after quoting."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def quote_exec_argument(arg: str) -> str:
    """Quote one argument for an Exec line.

    Inside double quotes ``"``, `` ` ``, ``$`` and ``\\`` take a backslash; a literal ``%`` is
    written ``%%`` since ``%f``-style field codes are expanded. The result is still unescaped
    as a string value, which ``exec_line`` does once for the whole line.
    """
    arg = arg.replace("%", "%%")
    if arg and not (_RESERVED & set(arg)):
        return arg
    inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{inner}"'


def launch_command() -> list[str]:
    """What double-clicking should run: the frozen app itself, or this interpreter on main.py."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).absolute())]
    return [str(Path(sys.executable).absolute()), str(ROOT / "main.py")]


def exec_line(command: Sequence[str] | None = None) -> str:
    """The Exec value for ``command`` (default: :func:`launch_command`), quoted and escaped per spec."""
    args = list(command or launch_command())
    return _escape_string_value(" ".join(quote_exec_argument(a) for a in args))


def desktop_entry(command: Sequence[str] | None = None) -> str:
    """The template with Exec and TryExec filled in."""
    args = list(command or launch_command())
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("@EXEC@", exec_line(args)).replace("@TRYEXEC@", _escape_string_value(args[0]))


def _home(user_home: Path | str | None) -> Path:
    return Path(user_home) if user_home is not None else Path.home()


def _data_home(user_home: Path | str | None) -> Path:
    if user_home is None and os.environ.get("XDG_DATA_HOME"):
        return Path(os.environ["XDG_DATA_HOME"])
    return _home(user_home) / ".local" / "share"


def desktop_dir(user_home: Path | str | None = None) -> Path:
    """The desktop folder: ``xdg-user-dir DESKTOP`` for the real user (it is localised), else ~/Desktop."""
    if user_home is None and shutil.which("xdg-user-dir"):
        try:
            out = subprocess.run(
                ["xdg-user-dir", "DESKTOP"], capture_output=True, text=True, timeout=5, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and Path(out) != Path.home():
            return Path(out)
    return _home(user_home) / "Desktop"


def _icon_targets(user_home: Path | str | None) -> list[tuple[Path, Path]]:
    hicolor = _data_home(user_home) / "icons" / "hicolor"
    icons = RESOURCES / "icons"
    pairs = [
        (icons / f"{APP_ID}-{size}.png", hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
        for size in ICON_SIZES
    ]
    pairs.append((icons / f"{APP_ID}.svg", hicolor / "scalable" / "apps" / f"{APP_ID}.svg"))
    return [(src, dst) for src, dst in pairs if src.exists()]


def _quiet(args: list[str]) -> None:
    """Best-effort helpers (menu caches, gio trust): a missing tool or a failure changes nothing essential."""
    if shutil.which(args[0]) is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(args, capture_output=True, timeout=10, check=False)


def install_launcher(user_home: Path | str | None = None) -> list[Path]:
    """Write the menu entry, the desktop icon (if ~/Desktop exists) and the icons; returns the paths."""
    entry = desktop_entry()
    written: list[Path] = []
    applications = _data_home(user_home) / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    menu_file = applications / DESKTOP_FILE_NAME
    menu_file.write_text(entry, encoding="utf-8")
    menu_file.chmod(0o755)
    written.append(menu_file)

    desktop = desktop_dir(user_home)
    if desktop.is_dir():
        on_desktop = desktop / DESKTOP_FILE_NAME
        on_desktop.write_text(entry, encoding="utf-8")
        on_desktop.chmod(0o755)  # GNOME and KDE refuse to run a desktop file that is not executable
        _quiet(["gio", "set", str(on_desktop), "metadata::trusted", "true"])
        written.append(on_desktop)

    for src, dst in _icon_targets(user_home):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        written.append(dst)
    _quiet(["update-desktop-database", str(applications)])
    hicolor = _data_home(user_home) / "icons" / "hicolor"
    _quiet(["gtk-update-icon-cache", "--quiet", "--ignore-theme-index", str(hicolor)])
    return written


def uninstall_launcher(user_home: Path | str | None = None) -> list[Path]:
    """Remove what :func:`install_launcher` wrote; returns the files removed."""
    candidates = [
        _data_home(user_home) / "applications" / DESKTOP_FILE_NAME,
        desktop_dir(user_home) / DESKTOP_FILE_NAME,
        *(dst for _, dst in _icon_targets(user_home)),
    ]
    removed = []
    for path in candidates:
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def main_option(argv: Sequence[str] | None = None) -> int | None:
    """Handle ``--install-launcher`` / ``--uninstall-launcher`` for main.py; None if neither was given."""
    args = list(sys.argv[1:] if argv is None else argv)
    if "--install-launcher" in args:
        action, verb = install_launcher, "installed"
    elif "--uninstall-launcher" in args:
        action, verb = uninstall_launcher, "removed"
    else:
        return None
    if not sys.platform.startswith("linux"):
        print(
            "optimizer-lab: launchers are installed this way on Linux only; see the README for "
            "Windows (OptimizerLab.pyw) and macOS (OptimizerLab.command).",
            file=sys.stderr,
        )
        return 2
    try:
        paths = action()
    except OSError as exc:
        print(f"optimizer-lab: could not write the launcher: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{verb} {path}")
    if verb == "installed":
        print("Optimizer Lab is now in the applications menu (Education) and on the desktop if there is one.")
        print("For a lab: `optimizer-lab-cli cache --fill` compiles the kernels once for every account.")
    elif not paths:
        print("no launcher was installed")
    return 0
