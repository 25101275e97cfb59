"""Install a menu and desktop launcher for the current user (Linux, freedesktop.org desktops).

Students start programs by double-clicking, so ``python main.py --install-launcher`` writes
``optimizer-lab.desktop`` into ``~/.local/share/applications`` (the menu) and ``~/Desktop``,
and the icon into ``~/.local/share/icons/hicolor``. The Exec line names this interpreter
(the venv's ``python``, not the file it links to, or the venv's packages would be lost)
and the absolute path of main.py, so it works from a checkout and from an installed wheel.

``--install-launcher --all-users`` is a lab administrator's one step (as root): the same entry
and icons in ``/usr/local/share`` (every account's menu) and the kernels compiled once into the
machine-wide cache (engine.cache_cli), so a student whose home starts empty gets a ready race
without compiling. A student's plain ``--install-launcher`` writes only under their home and
says whether that cache is there.

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
MIME_PACKAGE = RESOURCES / f"{APP_ID}-session.xml"
"""The session file type (``*.olab.json``), installed as ``mime/packages/optimizer-lab.xml`` so a
double-click on a session opens the app (the entry's ``MimeType`` and ``%f``)."""

SYSTEM_DATA_DIR = Path("/usr/local/share")
"""Where ``--all-users`` writes the entry and icons: in every account's XDG_DATA_DIRS by default."""

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


def _icon_targets(user_home: Path | str | None, data_home: Path | None = None) -> list[tuple[Path, Path]]:
    hicolor = (data_home or _data_home(user_home)) / "icons" / "hicolor"
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


def install_launcher(
    user_home: Path | str | None = None, *, data_home: Path | None = None, desktop: bool = True
) -> list[Path]:
    """Write the menu entry, the desktop icon (if ~/Desktop exists) and the icons; returns the paths.

    ``data_home`` replaces ``~/.local/share`` (``SYSTEM_DATA_DIR`` for every account, where
    ``desktop`` is False: a shared desktop folder does not exist).
    """
    entry = desktop_entry()
    written: list[Path] = []
    data_home = data_home or _data_home(user_home)
    applications = data_home / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    menu_file = applications / DESKTOP_FILE_NAME
    menu_file.write_text(entry, encoding="utf-8")
    menu_file.chmod(0o755)
    written.append(menu_file)

    on_desktop_dir = desktop_dir(user_home) if desktop else None
    if on_desktop_dir is not None and on_desktop_dir.is_dir():
        on_desktop = on_desktop_dir / DESKTOP_FILE_NAME
        on_desktop.write_text(entry, encoding="utf-8")
        on_desktop.chmod(0o755)  # GNOME and KDE refuse to run a desktop file that is not executable
        _quiet(["gio", "set", str(on_desktop), "metadata::trusted", "true"])
        written.append(on_desktop)

    for src, dst in _icon_targets(user_home, data_home):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        dst.chmod(0o644)  # readable by every account whatever the umask
        written.append(dst)
    mime_file = _mime_file(data_home)
    mime_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MIME_PACKAGE, mime_file)
    mime_file.chmod(0o644)
    written.append(mime_file)
    _quiet(["update-mime-database", str(data_home / "mime")])
    _quiet(["update-desktop-database", str(applications)])
    _quiet(["gtk-update-icon-cache", "--quiet", "--ignore-theme-index", str(data_home / "icons" / "hicolor")])
    return written


def _mime_file(data_home: Path) -> Path:
    return data_home / "mime" / "packages" / f"{APP_ID}.xml"


def uninstall_launcher(
    user_home: Path | str | None = None, *, data_home: Path | None = None, desktop: bool = True
) -> list[Path]:
    """Remove what :func:`install_launcher` wrote; returns the files removed."""
    data_home = data_home or _data_home(user_home)
    candidates = [
        data_home / "applications" / DESKTOP_FILE_NAME,
        *([desktop_dir(user_home) / DESKTOP_FILE_NAME] if desktop else []),
        *(dst for _, dst in _icon_targets(user_home, data_home)),
        _mime_file(data_home),
    ]
    removed = []
    for path in candidates:
        if path.is_file():
            path.unlink()
            removed.append(path)
    if _mime_file(data_home) in removed:  # the desktop forgets the file type
        _quiet(["update-mime-database", str(data_home / "mime")])
    return removed


def _command_text(*args: str) -> str:
    """How to run this app with ``args``, as a shell line (for the messages below)."""
    import shlex

    command = launch_command()
    if getattr(sys, "frozen", False):  # the console program beside the window's
        window = Path(command[0])
        command = [str(window.with_name(f"{APP_ID}-cli{window.suffix}"))]
    return shlex.join([*command, *args])


def _cannot_write(path: Path) -> bool:
    """True if this account could not create or replace ``path`` (checked on the nearest existing folder)."""
    for folder in [path, *path.parents]:
        if folder.exists():
            return not os.access(folder, os.W_OK | os.X_OK)
    return True


def _machine_cache_status() -> str:
    """One line for a student: is there a filled machine-wide cache, and if not, who fills it."""
    from engine import _cache

    for place in _cache.machine_cache_dirs():
        folder = place / _cache.CACHE_DIR.name
        if folder.is_dir() and _cache.machine_cache_problem(folder) is None:
            return f"Kernels for every account are ready in {place}: a first start needs no compiling."
    return (
        "The first start compiles the kernels (about half a minute). For a lab whose accounts start empty, "
        f"an administrator runs once, as root: {_command_text('--install-launcher', '--all-users')}"
    )


def _for_all_users(install: bool) -> int:
    """``--all-users``: the entry and icons in SYSTEM_DATA_DIR and, installing, the machine cache."""
    from engine import cache_cli

    cache = cache_cli.default_machine_cache()
    targets = [SYSTEM_DATA_DIR / "applications", SYSTEM_DATA_DIR / "icons" / "hicolor"]
    if install:
        targets.append(cache)
    if blocked := [str(t) for t in targets if _cannot_write(t)]:  # checked before anything is written
        again = _command_text("--install-launcher" if install else "--uninstall-launcher", "--all-users")
        lines = [
            f"optimizer-lab: --all-users writes to {', '.join(blocked)}, which this account cannot write. "
            f"Run it as root: sudo {again}"
        ]
        if install:
            fill = _command_text("cache", "--fill", "DIR")
            lines.append(f"To fill only the kernel cache in a folder you can write: {fill}")
        print("\n".join(lines), file=sys.stderr)
        return 1
    if not install:
        for path in uninstall_launcher(data_home=SYSTEM_DATA_DIR, desktop=False):
            print(f"removed {path}")
        if cache.is_dir():
            print(
                f"The kernel cache {cache} stays (it goes with the install; delete it with: rm -r {cache})."
            )
        return 0
    print(f"compiling the kernels for every account into {cache} ({cache_cli.FILL_TAKES})…", file=sys.stderr)
    try:
        final, count, problem = cache_cli.fill_machine_cache(cache)
    except (OSError, RuntimeError) as exc:
        print(f"optimizer-lab: could not fill the kernel cache {cache}: {exc}", file=sys.stderr)
        return 1
    if problem:
        print(f"optimizer-lab: starts would ignore the kernel cache {final}: {problem}", file=sys.stderr)
        return 1
    try:
        paths = install_launcher(data_home=SYSTEM_DATA_DIR, desktop=False)
    except OSError as exc:
        print(f"optimizer-lab: could not write the launcher: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"installed {path}")
    print(f"wrote {count} kernel files to {final}")
    print(
        "Optimizer Lab is now in every account's applications menu (Education), and a fresh "
        "account's first race starts without compiling."
    )
    return 0


def main_option(argv: Sequence[str] | None = None) -> int | None:
    """Handle ``--install-launcher`` / ``--uninstall-launcher`` [``--all-users``] for main.py.

    Returns None if neither was given, else the exit code.
    """
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
    if "--all-users" in args:
        return _for_all_users(install=verb == "installed")
    try:
        paths = action()
    except OSError as exc:
        print(f"optimizer-lab: could not write the launcher: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{verb} {path}")
    if verb == "installed":
        print("Optimizer Lab is now in the applications menu (Education) and on the desktop if there is one.")
        print(_machine_cache_status())
    elif not paths:
        print("no launcher was installed")
    return 0
