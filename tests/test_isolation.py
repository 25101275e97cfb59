"""The suite never touches the real user's files: its home, settings and kernel cache are temporary."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import home_guard
from tests.conftest import CONTROLLER, KERNEL_CACHE, LEAK_LOG, REAL_HOMES, SESSION_ROOT, TEST_HOME

ROOT = Path(__file__).resolve().parents[1]


def test_home_and_the_user_folders_are_the_sessions() -> None:
    from platformdirs import user_cache_dir, user_config_dir, user_data_dir, user_log_dir

    assert TEST_HOME not in REAL_HOMES and SESSION_ROOT in TEST_HOME.parents
    assert Path.home() == TEST_HOME
    for folder in (user_cache_dir, user_config_dir, user_data_dir, user_log_dir):
        assert TEST_HOME in Path(folder("optimizer-lab")).parents, folder.__name__


def test_the_real_home_is_guarded_in_every_xdist_worker() -> None:
    """A worker starts with ``~`` already the controller's temporary home: it guards the login's
    home all the same, and has a temporary home and kernel cache of its own."""
    if sys.platform != "win32":
        import pwd

        login = Path(pwd.getpwuid(os.getuid()).pw_dir)
        assert login in REAL_HOMES or not login.is_dir()
    assert not any(h.parent.name.startswith("optimizer-lab-tests-") for h in REAL_HOMES), REAL_HOMES
    if CONTROLLER:  # an xdist worker: the controller's log, not its home or cache
        assert Path(CONTROLLER["home"]) != TEST_HOME and Path(CONTROLLER["leak_log"]) == LEAK_LOG
        assert Path(CONTROLLER["home"]).parent not in KERNEL_CACHE.parents


def test_the_kernel_cache_is_the_sessions() -> None:
    import numba

    from engine._cache import CACHE_DIR

    assert KERNEL_CACHE in CACHE_DIR.parents
    assert Path(numba.config.CACHE_DIR) == CACHE_DIR
    if not os.environ.get("OPTIMIZER_LAB_TEST_CACHE_DIR"):
        assert SESSION_ROOT in KERNEL_CACHE.parents


def test_qt_settings_are_the_sessions_whatever_the_format(qapp, tmp_path_factory) -> None:
    from PySide6.QtCore import QSettings, QStandardPaths

    # the session's folder, or the one a GUI test's ``isolated_settings`` chose under pytest's temp
    temporary = (SESSION_ROOT, tmp_path_factory.getbasetemp())
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        path = Path(QSettings(fmt, QSettings.Scope.UserScope, "optimizer-lab", "Optimizer Lab").fileName())
        assert any(folder in path.parents for folder in temporary), path
    config = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    assert TEST_HOME in Path(config).parents


def test_a_program_the_tests_start_inherits_the_temporary_home() -> None:
    code = (
        "import pathlib, platformdirs, engine._cache as c;"
        "print(pathlib.Path.home()); print(platformdirs.user_config_dir('x')); print(c.CACHE_DIR)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    ).stdout.split("\n")
    assert Path(out[0]) == TEST_HOME
    assert TEST_HOME in Path(out[1]).parents
    assert KERNEL_CACHE in Path(out[2]).parents


def test_a_child_python_that_writes_under_the_real_home_is_stopped_and_logged(tmp_path: Path) -> None:
    home, log, site = tmp_path / "home", tmp_path / "leaks.log", tmp_path / "site"
    home.mkdir()
    site.mkdir()
    (site / "sitecustomize.py").write_text(home_guard.sitecustomize([home], [home / "allowed"], log))
    code = textwrap.dedent(
        f"""
        import os, pathlib
        home = pathlib.Path({str(home)!r})
        (home / "allowed").mkdir()
        (home / "allowed" / "ok.txt").write_text("fine")
        (home / "notes.txt").read_text() if (home / "notes.txt").exists() else None
        try:
            (home / ".config").mkdir()
        except PermissionError as exc:
            print("refused:", exc)
        try:
            os.open(home / "x.conf", os.O_WRONLY | os.O_CREAT)
        except PermissionError:
            print("refused: os.open")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(site), "PYTEST_CURRENT_TEST": "tests/x.py::test_y (call)"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"refused: a test wrote under the real home: os.mkdir {home / '.config'}" in result.stdout
    assert "refused: os.open" in result.stdout
    assert (home / "allowed" / "ok.txt").read_text() == "fine"
    assert sorted(p.name for p in home.iterdir()) == ["allowed"]
    logged = home_guard.writes(log)
    assert len(logged) == 2
    assert logged[0].startswith(f"os.mkdir {home / '.config'}  (pid ")
    assert logged[0].endswith("tests/x.py::test_y)")
    assert logged[1].startswith(f"open {home / 'x.conf'}")


def test_this_session_writes_nothing_under_the_real_home() -> None:
    """Every write refused so far in this session (the guard also fails the run at its end)."""
    assert home_guard.writes(LEAK_LOG) == []


def test_a_session_that_writes_into_the_real_home_fails(tmp_path: Path) -> None:
    """Run a small pytest session whose 'real' home is ``home`` and whose test writes there."""
    home = tmp_path / "home"
    home.mkdir()
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (suite / "test_leak.py").write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path

            def test_writes_settings_where_it_must_not():
                target = Path({str(home)!r}) / ".config" / "optimizer-lab" / "Optimizer Lab.conf"
                target.parent.mkdir(parents=True)
                target.write_text("[General]")

            def test_writes_into_its_own_home():
                (Path.home() / ".config" / "optimizer-lab").mkdir(parents=True)
            """
        )
    )
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(suite), str(suite)],
        cwd=suite,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    assert "PermissionError: a test wrote under the real home: os.mkdir" in result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, result.stdout
    assert "The test session wrote under the real home folder" in result.stdout
    assert f"os.mkdir {home / '.config' / 'optimizer-lab'}  (pid " in result.stdout
    assert "test_leak.py::test_writes_settings_where_it_must_not)" in result.stdout
    assert not (home / ".config").exists()
