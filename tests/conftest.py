"""Test-wide setup: a throw-away home for the whole session, Qt offscreen, fixed hypothesis draws.

The app writes settings (QSettings), compiled kernels (the numba cache), logs, launchers and
exports into the user's folders. A test run must leave the real user's files alone, so before
anything else is imported this module points HOME, the XDG folders and the kernel cache at a
temporary folder. It does so in ``os.environ`` at import time, so the apps and scripts the
tests start as subprocesses inherit the same folders. The real home is guarded as well: a write
there is refused, and the run fails (tests/home_guard.py).

Set ``OPTIMIZER_LAB_TEST_CACHE_DIR`` to keep the compiled kernels between runs (e.g. when
repeating the suite with ``tests/repeat_gui_tests.py``); by default every session compiles afresh,
as a fresh CI machine does.

The suite runs in pytest-xdist workers (``-n`` in pyproject.toml's addopts). Each worker is a
session of its own here: its own temporary home, settings and kernel cache (two processes
compiling into one numba cache can drop each other's index entries). A worker inherits the
environment the controller set below, so it takes the real home from the controller (``~`` is
the controller's temporary home by then) and logs refused writes to the controller's log, which
the controller checks when every worker has finished.

Under CI (``CI`` set, as ``.ci/run`` does) hypothesis draws the same examples every run, so a
build fails for the change it tests, never for a new random draw; on a developer's machine
the draws are random and keep exploring (the random gradient check found (x²)^1.5's 0/0 so).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import home_guard, kernel_seed


def _real_homes() -> set[Path]:
    homes = {Path(os.path.expanduser("~"))}
    if sys.platform != "win32":
        import pwd

        homes.add(Path(pwd.getpwuid(os.getuid()).pw_dir))
    return {h for h in homes if h.is_dir()}


#: What a session tells the pytest-xdist workers it starts: its temporary home, the real homes, its leak log.
_CONTROLLER = "OPTIMIZER_LAB_TEST_CONTROLLER"


def _controller() -> dict[str, str | list[str]] | None:
    """The controller's session, if this process is its xdist worker (its home still the controller's).

    A pytest that a test starts with a home of its own (tests/test_isolation.py) is a session of
    its own, with that home as the real one, even when started from a worker.
    """
    if not os.environ.get("PYTEST_XDIST_WORKER") or _CONTROLLER not in os.environ:
        return None
    controller = json.loads(os.environ[_CONTROLLER])
    return controller if os.environ.get("HOME") == controller["home"] else None


CONTROLLER = _controller()
REAL_HOMES = {Path(h) for h in CONTROLLER["real_homes"]} if CONTROLLER else _real_homes()
"""The user's home as the login and as ``$HOME`` named it before this module ran (in the controller)."""
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "") if CONTROLLER else ""
SESSION_ROOT = Path(tempfile.mkdtemp(prefix=f"optimizer-lab-tests-{WORKER}{'-' if WORKER else ''}"))
TEST_HOME = SESSION_ROOT / "home"
_kept = os.environ.get("OPTIMIZER_LAB_TEST_CACHE_DIR")
KERNEL_CACHE = Path(_kept) / WORKER if _kept else SESSION_ROOT / "kernel-cache"

#: Where the app and the libraries it uses look for the user's folders, all pointed into TEST_HOME.
ISOLATED_ENV = {
    "HOME": str(TEST_HOME),
    "USERPROFILE": str(TEST_HOME),  # Windows' home
    "APPDATA": str(TEST_HOME / "AppData" / "Roaming"),
    "LOCALAPPDATA": str(TEST_HOME / "AppData" / "Local"),
    "XDG_CONFIG_HOME": str(TEST_HOME / ".config"),
    "XDG_CACHE_HOME": str(TEST_HOME / ".cache"),
    "XDG_DATA_HOME": str(TEST_HOME / ".local" / "share"),
    "XDG_STATE_HOME": str(TEST_HOME / ".local" / "state"),
    "OPTIMIZER_LAB_CACHE_DIR": str(KERNEL_CACHE),
    # engine._cache sets NUMBA_CACHE_DIR from OPTIMIZER_LAB_CACHE_DIR; a child that imports numba
    # without the engine must not fall back to a folder of its own either
    "NUMBA_CACHE_DIR": str(KERNEL_CACHE / "numba-direct"),
}
TEST_HOME.mkdir()
os.environ.update(ISOLATED_ENV)

# Anything that still writes under the real home (code that looks the home up itself, a child
# started with an environment of its own making) is stopped and reported: an audit hook here
# and, through sitecustomize, in every Python the tests start (tests/home_guard.py).
LEAK_LOG = Path(CONTROLLER["leak_log"]) if CONTROLLER else SESSION_ROOT / "writes-under-the-real-home.log"
_allowed = [SESSION_ROOT, Path(tempfile.gettempdir()), Path(__file__).resolve().parents[1], Path(sys.prefix)]
home_guard.install(REAL_HOMES, _allowed, LEAK_LOG)
_site = SESSION_ROOT / "site"
_site.mkdir()
(_site / "sitecustomize.py").write_text(home_guard.sitecustomize(REAL_HOMES, _allowed, LEAK_LOG))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(_site), os.environ.get("PYTHONPATH")) if p)
for _name in ("XDG_CONFIG_DIRS", "XDG_DATA_DIRS"):
    os.environ.pop(_name, None)  # no system-wide settings leak in either
os.environ[_CONTROLLER] = json.dumps(
    {"home": str(TEST_HOME), "real_homes": sorted(map(str, REAL_HOMES)), "leak_log": str(LEAK_LOG)}
)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if WORKER and not _kept and kernel_seed.ENV in os.environ:  # before any test imports the engine
    kernel_seed.take(Path(os.environ[kernel_seed.ENV]), KERNEL_CACHE)  # the controller says if it failed

from hypothesis import settings  # noqa: E402  (after the environment is set)

from gui.app import import_pyqtgraph_lazily  # noqa: E402

import_pyqtgraph_lazily()  # as main.py does: the tests see pyqtgraph's Qt mirrors as the app has them

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


_seed: subprocess.Popen[bytes] | None = None


def pytest_configure(config: pytest.Config) -> None:
    """The whole suite in xdist workers: compile the kernels once for all of them (tests/kernel_seed.py).

    Only for a run of every test (no paths, ``-k``, ``-m`` or ``--lf`` given) in several workers:
    a narrower run compiles just what it needs. A kept cache (``OPTIMIZER_LAB_TEST_CACHE_DIR``)
    needs no seed.
    """
    global _seed
    narrowed = config.option.keyword or config.option.markexpr or getattr(config.option, "lf", False)
    whole_suite = config.args_source == pytest.Config.ArgsSource.TESTPATHS and not narrowed
    workers = getattr(config.option, "numprocesses", None)
    if CONTROLLER or _kept or not whole_suite or not workers or sys.platform == "win32":
        return
    if kernel_seed.ENV in os.environ:  # a session started by a test of a seeded session
        return
    folder = SESSION_ROOT / "kernel-seed"
    try:
        _seed = kernel_seed.start(folder)
    except (OSError, RuntimeError) as exc:  # the workers compile their kernels themselves
        print(f"no kernel seed: {exc}", file=sys.stderr)
        return
    os.environ[kernel_seed.ENV] = str(folder)  # the workers, started after this, inherit it


@pytest.fixture(scope="session", autouse=True)
def _isolated_qt_settings() -> Iterator[None]:
    """QSettings and QStandardPaths under the session's home, whatever format a test picks."""
    try:
        from PySide6.QtCore import QSettings, QStandardPaths
    except ImportError:  # an engine-only run on a machine without Qt's libraries
        yield
        return
    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            folder = SESSION_ROOT / "qsettings" / f"{fmt.name}-{scope.name}"
            QSettings.setPath(fmt, scope, str(folder))
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """A Qt test runs with automatic garbage collection off (as the app does, gui.app.collect_in_gui_thread).

    An automatic pass can start inside a Qt event handler that calls Python and free an earlier
    test's closed window there, deleting Qt objects Qt is still using: CI once segfaulted so in
    pytest-qt's teardown. The test's garbage is collected after its teardown instead, below.
    """
    if "qtbot" in item.fixturenames:
        gc.disable()
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a Qt test's teardown (pytest-qt has closed and deleted its widgets): collect its
    garbage here, between tests and in the main thread, then give automatic collection back."""
    try:
        return (yield)
    finally:
        if "qtbot" in item.fixturenames:
            gc.collect()
            gc.enable()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if anything wrote under the real home (here or in a child); delete the session's home."""
    leaked = home_guard.writes(LEAK_LOG)
    if leaked:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = "\n".join(f"  {line}" for line in leaked)
        message = (
            "The test session wrote under the real home folder (tests must use the session's "
            f"temporary home, {TEST_HOME}):\n{lines}"
        )
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True, bold=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    if _seed is not None and _seed.poll() is None:  # the run ended before the seed did
        _seed.kill()
        _seed.wait()
    elif _seed is not None and (why := kernel_seed.problem(SESSION_ROOT / "kernel-seed")) is not None:
        # the run passed, only slower: each worker compiled the kernels itself
        print(f"the kernel seed was not used ({why})", file=sys.stderr)
    shutil.rmtree(SESSION_ROOT, ignore_errors=True)


#: Files started before all others: the offline install's four minutes of pip and of the kernel
#: cache's fill, in other processes. The xdist workers take whole files in collection order
#: (``--dist loadfile``); collected last, it would run alone at the end while the other worker idled.
FIRST = ("tests/test_offline_install.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The ``FIRST`` files first, then the others in their usual order."""
    first = {config.rootpath / name for name in FIRST}
    items.sort(key=lambda item: item.path not in first)
