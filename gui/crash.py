"""Unexpected exceptions become a log entry and one dialog, never a silent death.

A learner who sees the window vanish cannot report anything; a dialog that names the
log file can be photographed and the log mailed to the teacher. Exceptions from any
thread are written to a rotating log in the user's log directory; the dialog is only
shown from the GUI thread (other threads hand over through a queued signal), at most
one at a time, so an exception in a paint handler cannot stack up hundreds of boxes.

Qt is imported lazily: the hook must work (log only) before a QApplication exists.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

APP_NAME = "optimizer-lab"
LOG_FILE_NAME = "optimizer-lab.log"
MAX_DIALOGS = 3
"""After this many dialogs in one session the rest are only logged: a persistent fault must not nag."""

_state: dict[str, Any] = {
    "installed": False,
    "showing": False,
    "dialogs_shown": 0,
    "suppressed": 0,
    "bridge": None,
    "handler": None,
}
_lock = threading.Lock()


def app_version() -> str:
    """The installed distribution's version (package metadata), else the source tree's pyproject.toml.

    Not ``main.__version__``: importing the entry point from here made a circle (main → gui → main).
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_NAME)
    except PackageNotFoundError:
        pass
    try:
        import tomllib

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"])
    except (OSError, KeyError, TypeError, ValueError):
        return "unknown"


def log_dir() -> Path:
    """The user's log directory; ``OPTIMIZER_LAB_LOG_DIR`` overrides it (tests, portable installs)."""
    override = os.environ.get("OPTIMIZER_LAB_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def log_path() -> Path:
    """Where tracebacks go; shown in the crash dialog and the About box."""
    return log_dir() / LOG_FILE_NAME


def _handler() -> RotatingFileHandler:
    # imported here: logging.handlers (and its queue, heapq) is ~2 ms before the first paint,
    # for a file written only when something has gone wrong
    from logging.handlers import RotatingFileHandler

    path = log_path()
    handler: RotatingFileHandler | None = _state["handler"]
    if handler is None or Path(handler.baseFilename) != path.resolve():
        if handler is not None:
            handler.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(message)s"))
        _state["handler"] = handler
    return handler


def write_log(
    exc_type: type[BaseException],
    exc_value: BaseException,
    exc_tb: TracebackType | None,
    thread_name: str,
) -> Path | None:
    """Append one report; returns the log path, or None if the disk refused (then stderr has it)."""
    report = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
    header = (
        f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} Optimizer Lab {app_version()}, "
        f"Python {sys.version.split()[0]}, thread {thread_name!r}"
    )
    try:
        with _lock:
            handler = _handler()
            handler.emit(logging.makeLogRecord({"msg": f"{header}\n{report}", "levelno": logging.ERROR}))
            handler.flush()
    except OSError:
        return None
    return log_path()


def _summary(exc_type: type[BaseException], exc_value: BaseException) -> str:
    text = str(exc_value).strip().splitlines()
    first = text[0] if text else ""
    if len(first) > 200:
        first = first[:197] + "…"
    return f"{exc_type.__name__}: {first}" if first else exc_type.__name__


def _show_dialog(summary: str, details: str, path: Path | None) -> None:
    """Runs in the GUI thread only. Re-entry (an exception while the box is open) is counted, not shown."""
    if _state["showing"] or _state["dialogs_shown"] >= MAX_DIALOGS:
        _state["suppressed"] += 1
        return
    from PySide6.QtWidgets import QApplication, QMessageBox

    _state["showing"] = True
    _state["dialogs_shown"] += 1
    try:
        where = (
            QApplication.translate("Crash", "The full report was saved to:") + f"\n{path}"
            if path
            else QApplication.translate("Crash", "The report could not be saved to disk.")
        )
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QApplication.translate("Crash", "Optimizer Lab — unexpected error"))
        box.setText(QApplication.translate("Crash", "Something went wrong: {0}").format(summary))
        box.setInformativeText(
            where
            + "\n\n"
            + QApplication.translate(
                "Crash",
                "The app will try to carry on; if it misbehaves, restart it and "
                "send the log file to whoever looks after the lab.",
            )
        )
        box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.exec()
    finally:
        _state["showing"] = False


def _bridge() -> Any:
    """A QObject living in the GUI thread whose queued signal carries reports from other threads."""
    if _state["bridge"] is not None:
        return _state["bridge"]
    from PySide6.QtCore import QObject, Qt, Signal, Slot
    from PySide6.QtWidgets import QApplication

    class _CrashBridge(QObject):
        report = Signal(str, str, str)

        @Slot(str, str, str)
        def show(self, summary: str, details: str, path: str) -> None:
            _show_dialog(summary, details, Path(path) if path else None)

    app = QApplication.instance()
    bridge = _CrashBridge()
    if app is not None and bridge.thread() is not app.thread():
        bridge.moveToThread(app.thread())
    bridge.report.connect(bridge.show, Qt.ConnectionType.QueuedConnection)
    _state["bridge"] = bridge
    return bridge


def handle_exception(
    exc_type: type[BaseException],
    exc_value: BaseException,
    exc_tb: TracebackType | None,
    thread: threading.Thread | None = None,
) -> None:
    """Log, echo to stderr, then show (or hand over) the dialog. Never raises."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc_value, exc_tb)
        return
    try:
        thread_name = (thread or threading.current_thread()).name
        path = write_log(exc_type, exc_value, exc_tb, thread_name)
        if sys.stderr is not None:  # None under pythonw.exe on Windows
            traceback.print_exception(exc_type, exc_value, exc_tb, file=sys.stderr)
        if "PySide6.QtWidgets" not in sys.modules:
            return
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is None or _headless_run():
            return
        summary = _summary(exc_type, exc_value)
        details = "".join(traceback.format_exception(exc_type, exc_value, exc_tb))
        if QThread.currentThread() is app.thread():
            _show_dialog(summary, details, path)
        else:
            _bridge().report.emit(summary, details, str(path) if path else "")
    except Exception:  # the hook itself must never be the next crash
        sys.__excepthook__(exc_type, exc_value, exc_tb)


def _headless_run() -> bool:
    """Benchmarks and smoke tests (``OPTIMIZER_LAB_EXIT_AFTER_SHOWN``) have nobody to click OK: log only."""
    names = ("OPTIMIZER_LAB_EXIT_AFTER_SHOWN", "OPTIMIZER_LAB_NO_CRASH_DIALOG")
    return any(os.environ.get(name) for name in names)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    handle_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, args.thread)


def install_excepthook() -> None:
    """Route sys.excepthook and threading.excepthook here. Idempotent; call after the QApplication exists."""
    sys.excepthook = handle_exception
    threading.excepthook = _thread_hook
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None and threading.current_thread() is threading.main_thread():
            _bridge()
    _state["installed"] = True


def suppressed_count() -> int:
    """Exceptions that were logged but got no dialog of their own (storm guard)."""
    return int(_state["suppressed"])


def reset_for_tests() -> None:
    """Forget dialog counts and the GUI bridge (its QApplication may be gone between tests)."""
    _state.update(showing=False, dialogs_shown=0, suppressed=0, bridge=None)
