"""A machine without Qt's system libraries gets a short message and the command that fixes it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gui import system_check
from gui.system_check import apt_command, message, missing_library_in, system_packages

ROOT = Path(__file__).resolve().parents[2]
LOADER_ERROR = "libglib-2.0.so.0: cannot open shared object file: No such file or directory"


def test_the_package_list_is_read_from_its_one_file() -> None:
    packages = system_packages()
    debian = [p.debian for p in packages]
    assert debian[0] == "libgl1" and "libxcb-cursor0" in debian and "xvfb" in debian
    assert len(set(debian)) == len(debian)
    glib = next(p for p in packages if p.debian == "libglib2.0-0")
    assert glib.fedora == "glib2" and "libglib-2.0.so.0" in glib.libraries
    assert apt_command(packages) == (
        "apt-get update && apt-get install -y --no-install-recommends " + " ".join(debian)
    )


def test_the_loaders_error_names_the_library() -> None:
    assert missing_library_in(ImportError(LOADER_ERROR)) == "libglib-2.0.so.0"
    assert missing_library_in(OSError("libxcb-cursor.so.0: cannot open shared object file: x")) == (
        "libxcb-cursor.so.0"
    )
    assert missing_library_in(ImportError("No module named 'PySide6'")) is None


def test_the_message_names_the_library_its_package_and_both_commands(monkeypatch) -> None:
    monkeypatch.setattr(system_check, "_not_root", lambda: True)
    text = message("libxcb-cursor.so.0")
    assert "libxcb-cursor.so.0 (package libxcb-cursor0 on Debian/Ubuntu, xcb-util-cursor on Fedora)" in text
    assert "  " + apt_command(sudo=True) in text.splitlines()
    assert "sudo dnf install -y mesa-libGL" in text
    assert len(text.splitlines()) <= 8
    assert "libfoo.so.3," in message("libfoo.so.3")  # one we do not know: still named


def test_a_missing_library_of_the_x11_plugin_is_found_before_qt_aborts(monkeypatch, tmp_path) -> None:
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")
    monkeypatch.setattr(system_check, "_xcb_plugin", lambda: plugin)

    def cdll(path: str) -> None:
        assert path == str(plugin)
        raise OSError(f"{path}: libxcb-icccm.so.4: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(system_check.ctypes, "CDLL", cdll)
    assert system_check.missing_qt_library() == "libxcb-icccm.so.4"


@pytest.mark.parametrize("platform", ["offscreen", "xcb"])
def test_the_plugin_is_checked_only_when_qt_would_load_it(monkeypatch, platform) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    found = system_check._xcb_plugin()
    if platform == "offscreen" or not sys.platform.startswith("linux"):
        assert found is None
    else:
        assert found is not None and found.name == "libqxcb.so"


def _without_glib(tmp_path: Path) -> dict[str, str]:
    """An environment where importing Qt fails as it does on a bare Debian (no libglib)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""
            import sys

            class NoGlib:
                def find_spec(self, name, path=None, target=None):
                    if name.startswith("PySide6.Qt"):
                        raise ImportError({LOADER_ERROR!r})

            sys.meta_path.insert(0, NoGlib())
            """
        )
    )
    return {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.parametrize("args", [[], ["export", "--out", "x.png"]])
def test_the_launch_command_without_qts_libraries_prints_the_fix_and_fails(tmp_path, args) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=tmp_path,
        env=_without_glib(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Qt needs the system library libglib-2.0.so.0 (package libglib2.0-0" in result.stderr
    assert apt_command(sudo=os.geteuid() != 0) in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_the_headless_run_needs_no_qt_library(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "run", "--steps", "2"],
        cwd=tmp_path,
        env=_without_glib(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("step,")


def test_a_python_without_pyside_says_which_python_and_how_to_install(tmp_path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import sys\n"
        "class NoPySide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'PySide6':\n"
        "            raise ModuleNotFoundError(\"No module named 'PySide6'\", name='PySide6')\n"
        "sys.meta_path.insert(0, NoPySide())\n"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"this Python ({sys.executable}) has no PySide6" in result.stderr
    assert ".venv/bin/pip install -e ." in result.stderr
