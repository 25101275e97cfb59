"""Before the window: name a missing system library and the one command that installs it.

PySide6's wheels bring Qt, but Qt's libraries link against system ones (GL, EGL, glib,
fontconfig, xkbcommon, the xcb helpers) that a bare Debian or a minimal container lacks.
Without them the launch command ended in a raw ``ImportError: libglib-2.0.so.0: cannot open
shared object file`` or in Qt aborting on the xcb plugin. This module finds the missing library
first and says what to do, in a few plain lines. The package names come from
``resources/packaging/system-packages.txt``, the one list that ``.ci/run`` installs and the
README shows. No Qt is imported here unless it can be.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES_FILE = Path(__file__).resolve().parents[1] / "resources" / "packaging" / "system-packages.txt"
_MISSING = re.compile(r"(lib[\w.+-]+\.so[\w.]*): cannot open shared object file")


@dataclass(frozen=True)
class SystemPackage:
    debian: str
    fedora: str
    libraries: tuple[str, ...]


def system_packages(path: Path = PACKAGES_FILE) -> list[SystemPackage]:
    """The packages of ``system-packages.txt``, in its order."""
    packages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        debian, fedora, libraries = fields
        provides = tuple(libraries.split(",")) if libraries != "-" else ()
        packages.append(SystemPackage(debian, fedora, provides))
    return packages


def apt_command(packages: list[SystemPackage] | None = None, sudo: bool = False) -> str:
    """The one Debian/Ubuntu command line that installs every package, as the README and .ci/run have it."""
    names = " ".join(p.debian for p in packages or system_packages())
    apt = "sudo apt-get" if sudo else "apt-get"
    return f"{apt} update && {apt} install -y --no-install-recommends {names}"


def dnf_command(packages: list[SystemPackage] | None = None, sudo: bool = False) -> str:
    names = " ".join(dict.fromkeys(p.fedora for p in packages or system_packages()))
    return f"{'sudo ' if sudo else ''}dnf install -y {names}"


def _not_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() != 0


def missing_library_in(error: BaseException) -> str | None:
    """The library an ImportError/OSError from the dynamic loader names, e.g. 'libglib-2.0.so.0'."""
    match = _MISSING.search(str(error))
    return match.group(1) if match else None


def message(library: str, packages: list[SystemPackage] | None = None) -> str:
    """What the user reads instead of a traceback: what is missing, and how to install it."""
    packages = packages or system_packages()
    sudo = _not_root()
    owner = next((p for p in packages if library in p.libraries), None)
    provided = f" (package {owner.debian} on Debian/Ubuntu, {owner.fedora} on Fedora)" if owner else ""
    return "\n".join(
        [
            f"Optimizer Lab cannot open its window: Qt needs the system library {library}{provided},",
            "which is not installed. On Debian/Ubuntu this installs it and the others Qt needs:",
            "",
            f"  {apt_command(packages, sudo)}",
            "",
            f"On Fedora: {dnf_command(packages, sudo)}",
            "The headless commands run and list need none of them.",
        ]
    )


class PackagesMissing(Exception):
    """Qt's Python package itself is missing: this Python is not the one the app was installed into."""


def _xcb_plugin() -> Path | None:
    """Qt's X11 platform plugin, when the app would load it (Linux, no other platform chosen)."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return None  # Qt picks Wayland
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.is_file() else None


def missing_qt_library(window: bool = True) -> str | None:
    """The first system library Qt needs and cannot load, or None when all load.

    Importing QtWidgets loads Qt's core libraries. For a ``window``, the X11 plugin Qt loads
    later, when the application starts, and a missing library there makes Qt abort the process,
    so the plugin is loaded here first (the dynamic loader keeps it for Qt).
    """
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("PySide6", "shiboken6"):
            raise PackagesMissing(exc.name) from None
        raise
    except ImportError as exc:
        library = missing_library_in(exc)
        if library is None:
            raise
        return library
    plugin = _xcb_plugin() if window else None
    if plugin is not None:
        try:
            ctypes.CDLL(str(plugin))
        except OSError as exc:
            return missing_library_in(exc)
    return None


NO_DISPLAY = (
    "Optimizer Lab cannot open its window: there is no display (DISPLAY is not set). Start it in a "
    "desktop session, or use the commands that need no screen: export (pictures, animations, data), "
    "run and list."
)


def check_qt_libraries(window: bool = True) -> int | None:
    """For the launch command: print what is missing and return the exit code 1, or None if nothing is.

    For a ``window`` on X11, no display is reported too: Qt would abort with a message about
    xcb-cursor that sends the user looking for a library they have.
    """
    try:
        library = missing_qt_library(window)
    except PackagesMissing as exc:
        print(
            f"Optimizer Lab cannot start: this Python ({sys.executable}) has no {exc}.\nInstall the app "
            "into a virtual environment and start it with that environment's Python, as the README's "
            "quick start does:\n"
            "  python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/python main.py",
            file=sys.stderr,
        )
        return 1
    if library is not None:
        print(message(library), file=sys.stderr)
        return 1
    if window and _xcb_plugin() is not None and not os.environ.get("DISPLAY"):
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    return None
