"""The Linux launcher is a valid desktop entry whose Exec line really starts the window.

Also the Windows (.pyw) and macOS (.command) launchers: their contents and paths, and the
parts of them that run on Linux too.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui import launcher

ROOT = Path(__file__).resolve().parents[2]
LAUNCHERS = ROOT / "resources" / "launchers"


def parse_desktop_entry(text: str) -> dict[str, str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:])


def split_exec(value: str) -> list[str]:
    """Read an Exec value as the spec says: undo the string escapes, then split on unquoted spaces.

    Inside double quotes a backslash escapes one of " ` $ \\ ; written independently of
    gui.launcher so the test checks the spec, not the code against itself.
    """
    string_escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    text, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value) and value[i + 1] in string_escapes:
            text, i = text + string_escapes[value[i + 1]], i + 2
        else:
            text, i = text + value[i], i + 1
    args: list[str] = []
    current: str | None = None
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
                current, i = (current or "") + text[i + 1], i + 2
                continue
            if ch == '"':
                quoted = False
            else:
                current = (current or "") + ch
        elif ch == '"':
            quoted, current = True, current or ""
        elif ch == " ":
            if current is not None:
                args.append(current)
            current = None
        else:
            current = (current or "") + ch
        i += 1
    assert not quoted, f"unbalanced quotes in {value!r}"
    if current is not None:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "Desktop").mkdir()
    return tmp_path


def test_template_has_placeholders_and_required_keys() -> None:
    entry = parse_desktop_entry(launcher.TEMPLATE.read_text(encoding="utf-8"))
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Optimizer Lab"
    assert entry["Exec"] == "@EXEC@ %f"  # a double-clicked session file is passed on
    assert entry["MimeType"] == "application/x-optimizer-lab-session;"
    assert entry["Icon"] == launcher.APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")


def test_installed_entry_passes_the_validator_or_key_checks(home: Path) -> None:
    written = launcher.install_launcher(home)
    menu_file = home / ".local" / "share" / "applications" / "optimizer-lab.desktop"
    assert menu_file in written
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(menu_file)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "error" not in result.stdout
    entry = parse_desktop_entry(menu_file.read_text(encoding="utf-8"))
    assert {"Type", "Name", "Exec", "TryExec", "Icon", "Categories"} <= entry.keys()
    assert not any("@" in value for value in entry.values())


def test_exec_runs_this_interpreter_on_main_py(home: Path) -> None:
    launcher.install_launcher(home)
    entry = parse_desktop_entry((home / "Desktop" / "optimizer-lab.desktop").read_text(encoding="utf-8"))
    interpreter, script, field = split_exec(entry["Exec"])
    assert field == "%f"
    assert Path(interpreter) == Path(sys.executable).absolute()  # the venv's python, not its symlink target
    assert os.access(interpreter, os.X_OK)
    assert Path(script) == ROOT / "main.py"
    assert Path(script).is_file()
    assert entry["TryExec"] == interpreter


def test_install_writes_menu_desktop_and_icons_and_uninstall_removes_them(home: Path) -> None:
    written = launcher.install_launcher(home)
    on_desktop = home / "Desktop" / "optimizer-lab.desktop"
    assert on_desktop in written
    assert on_desktop.stat().st_mode & stat.S_IXUSR, "desktops refuse to launch a non-executable entry"
    hicolor = home / ".local" / "share" / "icons" / "hicolor"
    for size in launcher.ICON_SIZES:
        icon = hicolor / f"{size}x{size}" / "apps" / "optimizer-lab.png"
        assert icon in written
        assert icon.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (hicolor / "scalable" / "apps" / "optimizer-lab.svg").is_file()
    mime = home / ".local" / "share" / "mime" / "packages" / "optimizer-lab.xml"
    assert mime in written and mime.read_bytes() == launcher.MIME_PACKAGE.read_bytes()

    removed = launcher.uninstall_launcher(home)
    assert sorted(removed) == sorted(written)
    assert not any(path.exists() for path in written)


def test_no_desktop_folder_means_menu_entry_only(tmp_path: Path) -> None:
    written = launcher.install_launcher(tmp_path)
    assert not (tmp_path / "Desktop").exists()
    assert [p for p in written if p.suffix == ".desktop"] == [
        tmp_path / ".local" / "share" / "applications" / "optimizer-lab.desktop"
    ]


@pytest.mark.parametrize(
    "arg",
    ["/opt/lab/python3", "/home/ana maria/lab/main.py", 'C:/odd "quoted"/$HOME/`x`', "/a\\b/100%/m.py"],
)
def test_exec_quoting_round_trips(arg: str) -> None:
    line = launcher.exec_line(["/usr/bin/python3", arg])
    assert split_exec(line) == ["/usr/bin/python3", arg]
    assert "%" not in line.replace("%%", "")  # a lone % would be read as a field code


def test_main_option_installs_for_the_user_in_home(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("XDG_DATA_HOME", None)
    result = subprocess.run(
        [sys.executable, "main.py", "--install-launcher"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    menu_file = tmp_path / ".local" / "share" / "applications" / "optimizer-lab.desktop"
    assert f"installed {menu_file}" in result.stdout
    assert menu_file.is_file()
    result = subprocess.run(
        [sys.executable, "main.py", "--uninstall-launcher"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert not menu_file.exists()


def test_main_option_ignores_other_arguments() -> None:
    assert launcher.main_option(["run", "--steps", "3"]) is None
    assert launcher.main_option([]) is None


def test_launcher_module_does_not_import_qt() -> None:
    code = "import sys, gui.launcher; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture(scope="module")
def display() -> Iterator[dict[str, str]]:
    """A real X server (Xvfb) when there is one, so Qt's xcb plugin is exercised; else offscreen."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield {**env, "QT_QPA_PLATFORM": "offscreen"}
        return
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not report a display"
        yield {**env, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _needs_main_window() -> None:
    if not (ROOT / "gui" / "main_window.py").exists():
        pytest.skip("gui/main_window.py is not written yet, so there is no window to start")


def _window_shown(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env={**env, "OPTIMIZER_LAB_EXIT_AFTER_SHOWN": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_desktop_exec_line_opens_the_window(home: Path, display: dict[str, str], tmp_path: Path) -> None:
    """What a double-click does: run the Exec line from an unrelated folder and see the window paint."""
    _needs_main_window()
    launcher.install_launcher(home)
    entry = parse_desktop_entry((home / "Desktop" / "optimizer-lab.desktop").read_text(encoding="utf-8"))
    result = _window_shown(expand_fields(split_exec(entry["Exec"])), display, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "window-shown" in result.stdout, result.stdout + result.stderr[-3000:]


def expand_fields(args: list[str], file: str | None = None) -> list[str]:
    """The spec's %f: the file's path, or no argument at all when none is opened."""
    return [file if a == "%f" else a for a in args if a != "%f" or file is not None]


def test_a_double_clicked_session_file_opens_the_window(
    home: Path, display: dict[str, str], tmp_path: Path
) -> None:
    """The file manager runs the Exec line with the session's path for %f: the window opens (the
    session races once the engine starts: tests/gui/test_main_window.py)."""
    _needs_main_window()
    launcher.install_launcher(home)
    entry = parse_desktop_entry((home / "Desktop" / "optimizer-lab.desktop").read_text(encoding="utf-8"))
    session = tmp_path / "my lab" / "lab 1.olab.json"
    session.parent.mkdir()
    shutil.copyfile(ROOT / "resources" / "sessions" / "lab1.olab.json", session)
    command = expand_fields(split_exec(entry["Exec"]), str(session))
    assert command[-1] == str(session)
    result = _window_shown(command, display, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "window-shown" in result.stdout, result.stdout + result.stderr[-3000:]


def test_the_desktop_knows_session_files_after_install(home: Path) -> None:
    """GLib (what file managers ask) names a *.olab.json file's type from the installed package."""
    gio, update = shutil.which("gio"), shutil.which("update-mime-database")
    if gio is None or update is None:
        pytest.skip("gio or update-mime-database (shared-mime-info) is not installed")
    data_home = home / ".local" / "share"
    session = home / "lab1.olab.json"
    session.write_text("{}")
    env = {**os.environ, "XDG_DATA_HOME": str(data_home), "HOME": str(home)}

    def content_type() -> str:
        out = subprocess.run(
            [gio, "info", "-a", "standard::content-type", str(session)],
            env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return out.split("standard::content-type:")[1].split()[0]

    assert content_type() != "application/x-optimizer-lab-session"
    launcher.install_launcher(home)
    assert content_type() == "application/x-optimizer-lab-session"
    launcher.uninstall_launcher(home)
    assert content_type() != "application/x-optimizer-lab-session"


def test_macos_command_is_an_executable_bash_script_that_finds_the_checkout(tmp_path: Path) -> None:
    script = LAUNCHERS / "OptimizerLab.command"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert script.stat().st_mode & stat.S_IXUSR
    assert ".venv/bin/python" in text and "python3" in text and "main.py" in text
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    alias = tmp_path / "Optimizer Lab.command"  # a symlink on the desktop, with a space in its name
    alias.symlink_to(script)
    result = subprocess.run(["bash", str(alias), "--version"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("Optimizer Lab ")


def test_windows_pyw_runs_main_and_prefers_the_venv(tmp_path: Path) -> None:
    script = LAUNCHERS / "OptimizerLab.pyw"
    text = script.read_text(encoding="utf-8")
    assert '".venv" / "Scripts" / "pythonw.exe"' in text
    assert "from main import cli_main" in text
    assert "MessageBoxW" in text  # no console: a failed start must still say something
    command = [sys.executable, str(script), "--version"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("Optimizer Lab ")


def test_macos_command_opens_the_window(display: dict[str, str], tmp_path: Path) -> None:
    _needs_main_window()
    bin_dir = tmp_path / "bin"  # without a .venv the script takes python3 from PATH: make it this one
    bin_dir.mkdir()
    (bin_dir / "python3").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')  # a venv's own
    (bin_dir / "python3").chmod(0o755)
    env = {**display, "PATH": f"{bin_dir}{os.pathsep}{display.get('PATH', '')}"}
    result = _window_shown(["bash", str(LAUNCHERS / "OptimizerLab.command")], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "window-shown" in result.stdout


def test_gio_launch_parses_our_quoting_and_opens_the_window(
    home: Path, display: dict[str, str], tmp_path: Path
) -> None:
    """GLib's own desktop-entry parser (what GNOME runs on double-click) on a path that needs quoting."""
    _needs_main_window()
    gio = shutil.which("gio")
    if gio is None:
        pytest.skip("gio (libglib2.0-bin) is not installed")
    odd = tmp_path / 'Lab files $HOME 100% "v2"'
    odd.mkdir()
    (odd / "main.py").symlink_to(ROOT / "main.py")  # Python follows the link to find gui/ and engine/
    entry = home / "odd.desktop"
    entry.write_text(launcher.desktop_entry([sys.executable, str(odd / "main.py")]), encoding="utf-8")
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        launched = subprocess.run(
            [gio, "launch", str(entry)],
            cwd=tmp_path,
            env={**display, "OPTIMIZER_LAB_EXIT_AFTER_SHOWN": "1"},
            stdout=sink,
            stderr=subprocess.STDOUT,
            timeout=60,
        )
    assert launched.returncode == 0
    deadline = time.monotonic() + 120  # gio returns at once; the app writes to the inherited stdout
    while "window-shown" not in out.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "window-shown" in out.read_text(), out.read_text()[-3000:]


# -- a lab: --all-users fills the machine-wide kernel cache and installs for every account --------
@pytest.fixture
def lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """System folders redirected into tmp_path; a fill that records where it wrote (the real
    compile is tests/engine/test_cache_machine.py's)."""
    from engine import cache_cli

    places = {
        "share": tmp_path / "usr-local-share",
        "machine": tmp_path / "machine",
        "home": tmp_path / "home",
    }
    (places["home"] / "Desktop").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(launcher, "SYSTEM_DATA_DIR", places["share"])
    monkeypatch.setenv("OPTIMIZER_LAB_MACHINE_CACHE", str(places["machine"]))
    filled: list[Path] = []

    def fake_fill(dest: Path) -> tuple[Path, int, str | None]:
        assert not (places["share"] / "applications").exists(), "the launcher came before the kernels"
        filled.append(dest)
        (dest / "numba-test").mkdir(parents=True)
        return dest / "numba-test", 7, None

    monkeypatch.setattr(cache_cli, "fill_machine_cache", fake_fill)
    places["filled"] = filled  # type: ignore[assignment]
    return places


def test_all_users_fills_the_machine_cache_then_installs_in_every_accounts_menu(lab, capsys) -> None:
    assert launcher.main_option(["--install-launcher", "--all-users"]) == 0
    out = capsys.readouterr().out
    assert lab["filled"] == [lab["machine"]]  # the folder every start looks in
    menu_file = lab["share"] / "applications" / "optimizer-lab.desktop"
    entry = parse_desktop_entry(menu_file.read_text(encoding="utf-8"))
    assert expand_fields(split_exec(entry["Exec"])) == launcher.launch_command()
    assert stat.S_IMODE(menu_file.stat().st_mode) == 0o755
    icon = lab["share"] / "icons" / "hicolor" / "48x48" / "apps" / "optimizer-lab.png"
    assert stat.S_IMODE(icon.stat().st_mode) == 0o644  # readable by every account
    assert list((lab["home"] / "Desktop").iterdir()) == []  # no one's own desktop is touched
    assert not (lab["home"] / ".local").exists()
    assert f"installed {menu_file}\n" in out
    assert f"wrote 7 kernel files to {lab['machine'] / 'numba-test'}\n" in out

    assert launcher.main_option(["--uninstall-launcher", "--all-users"]) == 0
    assert not menu_file.exists() and not icon.exists()
    assert (lab["machine"] / "numba-test").is_dir()  # the cache goes with the install
    assert f"removed {menu_file}\n" in capsys.readouterr().out


def test_all_users_without_write_access_writes_nothing_and_says_how(lab, monkeypatch, capsys) -> None:
    real_access = os.access
    shared = str(lab["share"].parent)
    monkeypatch.setattr(  # a student: the system folders (here the tmp_path around them) are read-only
        launcher.os,
        "access",
        lambda path, mode: False if str(path).startswith(shared) else real_access(path, mode),
    )
    assert launcher.main_option(["--install-launcher", "--all-users"]) == 1
    err = capsys.readouterr().err
    assert lab["filled"] == [] and not lab["share"].exists()
    assert f"{lab['share'] / 'applications'}, {lab['share'] / 'icons' / 'hicolor'}, {lab['machine']}" in err
    assert "which this account cannot write. Run it as root: sudo " in err
    assert err.rstrip().endswith(
        "--install-launcher --all-users\nTo fill only the kernel cache in a "
        f"folder you can write: {sys.executable} {ROOT / 'main.py'} cache --fill DIR"
    )


def test_a_failed_fill_installs_no_launcher(lab, monkeypatch, capsys) -> None:
    from engine import cache_cli

    def failing_fill(dest: Path) -> tuple[Path, int, str | None]:
        raise RuntimeError("compiling the kernels failed:\nno space left")

    monkeypatch.setattr(cache_cli, "fill_machine_cache", failing_fill)
    assert launcher.main_option(["--install-launcher", "--all-users"]) == 1
    err = capsys.readouterr().err
    assert f"could not fill the kernel cache {lab['machine']}: compiling the kernels failed" in err
    assert not lab["share"].exists()


def test_a_students_install_writes_only_their_home_and_says_if_the_lab_cache_is_ready(lab, capsys) -> None:
    from engine import _cache

    assert launcher.main_option(["--install-launcher"]) == 0
    out = capsys.readouterr().out
    assert "an administrator runs once, as root: " in out and out.rstrip().endswith(
        "main.py --install-launcher --all-users"
    )
    assert not lab["share"].exists() and not lab["machine"].exists() and lab["filled"] == []
    assert (lab["home"] / ".local" / "share" / "applications" / "optimizer-lab.desktop").is_file()

    kernels = lab["machine"] / _cache.CACHE_DIR.name  # as an administrator's fill leaves it
    kernels.mkdir(parents=True)
    for folder in (lab["machine"], kernels):
        folder.chmod(0o755)
    assert launcher.main_option(["--install-launcher"]) == 0
    out = capsys.readouterr().out
    assert (
        f"Kernels for every account are ready in {lab['machine']}: a first start needs no compiling." in out
    )
    kernels.chmod(0o777)  # a cache anyone could have written is not used, so not announced either
    assert launcher.main_option(["--install-launcher"]) == 0
    assert "an administrator runs once" in capsys.readouterr().out
