"""Start-up: a window on screen first, everything heavy after it has painted.

PySide6 + pyqtgraph alone take about 0.4 s to import and paint a window. The window builds
only what its first frame shows; once that frame has painted, it builds the rest (the hidden
docks, the lessons' menus) and the worker thread imports numba and loads the kernels, so a cold
start shows "Loading the optimizers…" instead of a frozen screen. Started before the paint, the
worker's imports held the interpreter while the window painted.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

T0 = time.perf_counter()

#: If no paint has come by then (a window mapped on another desktop), the engine starts anyway.
ENGINE_START_FALLBACK_MS = 1500
APP_NAME = "Optimizer Lab"
ORG_NAME = "optimizer-lab"


def quicken_pyside_source_check() -> None:
    """Answer PySide6's "does this module use PySide6?" from the module file's bytes.

    Once imported, PySide6 asks that of every module imported after it, for its ``__feature__``
    switches, by reading the module's source with ``inspect.getsource`` and looking for the
    word "PySide6": ~0.1 ms a module, ~280 modules before the first paint (pyqtgraph's, the
    app's, the standard library's). Reading the file's bytes gives the same answer ~4× faster.
    Anything but a source file given by its full path is asked PySide's own way; a PySide6
    without this check (it is private) is left alone.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "reads_bytes", False):
        return

    def uses_pyside(module: object) -> bool:
        try:
            path = getattr(module, "__file__", None)
        except Exception:  # torch.classes raises RuntimeError for any name: PySide asks its own way
            path = None
        if isinstance(path, str) and path.endswith(".py") and os.path.isabs(path):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    uses_pyside.reads_bytes = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


#: pyqtgraph's mirrors of the Qt modules, and the PySide6 module each stands for.
_PYQTGRAPH_MIRRORS = {
    "pyqtgraph.Qt.QtCore": "PySide6.QtCore",
    "pyqtgraph.Qt.QtGui": "PySide6.QtGui",
    "pyqtgraph.Qt.QtWidgets": "PySide6.QtWidgets",
}


def import_pyqtgraph_lazily() -> None:
    """Import pyqtgraph with its Qt mirror modules filled on first use, as pyqtgraph's main does.

    pyqtgraph 0.14 copies every name of PySide6's QtCore, QtGui and QtWidgets into its own
    mirror modules at import; PySide6 creates its classes lazily, so that copy creates all of
    them and their ~600 Python enum types: ~0.1 s of the ~0.25 s pyqtgraph's import takes. Its
    main branch (commit 92096ee, unreleased; its next release needs Python ≥ 3.12) fills the
    mirrors lazily instead, with a module ``__getattr__``. This does the same from outside:
    while pyqtgraph is imported, PySide6's modules list only the classes already created (so
    the copy takes just those), and each mirror gets the same ``__getattr__``. A name resolves
    to the same object either way. Does nothing once pyqtgraph is imported.
    """
    import importlib
    import importlib.abc
    import importlib.machinery

    if "pyqtgraph" in sys.modules:
        return
    qt_modules = {name: importlib.import_module(qt) for name, qt in _PYQTGRAPH_MIRRORS.items()}

    class _MirrorLoader(importlib.abc.Loader):
        def __init__(self, loader: importlib.abc.Loader, qt_module: object) -> None:
            self.loader = loader
            self.qt_module = qt_module

        def create_module(self, spec: importlib.machinery.ModuleSpec) -> object:
            return self.loader.create_module(spec)

        def exec_module(self, module: object) -> None:
            self.loader.exec_module(module)  # type: ignore[arg-type]
            if "__getattr__" in vars(module):  # a pyqtgraph that is lazy already
                return
            qt_module = self.qt_module

            def __getattr__(name: str) -> object:
                value = getattr(qt_module, name)
                setattr(module, name, value)
                return value

            module.__getattr__ = __getattr__  # type: ignore[attr-defined]

    class _MirrorFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: object, target: object = None) -> object:
            """The spec the next finders give (a frozen app's importer too), its loader wrapped."""
            if fullname not in qt_modules:
                return None
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if finder is self or find is None or (spec := find(fullname, path, target)) is None:
                    continue
                if hasattr(spec.loader, "exec_module"):
                    spec.loader = _MirrorLoader(spec.loader, qt_modules[fullname])
                return spec
            return None

    def created_only(qt_module: object) -> Callable[[], list[str]]:
        return lambda: [name for name in vars(qt_module) if name != "__dir__"]

    finder = _MirrorFinder()
    own_dirs = {qt_module: vars(qt_module).get("__dir__") for qt_module in qt_modules.values()}
    sys.meta_path.insert(0, finder)
    try:
        for qt_module in own_dirs:
            qt_module.__dir__ = created_only(qt_module)  # type: ignore[attr-defined]
        importlib.import_module("pyqtgraph")
    except AttributeError:  # a mirror was loaded some way this could not wrap: pyqtgraph's own way
        for name in [name for name in sys.modules if name.partition(".")[0] == "pyqtgraph"]:
            del sys.modules[name]
    finally:
        sys.meta_path.remove(finder)
        for qt_module, own_dir in own_dirs.items():
            if own_dir is None:
                vars(qt_module).pop("__dir__", None)
            else:
                qt_module.__dir__ = own_dir  # type: ignore[attr-defined]
    importlib.import_module("pyqtgraph")  # imported already, unless it failed above


def report_first_paint(window: object, report: object) -> None:
    """Call ``report()`` once the window's first paint pass has finished (not merely ``show()``).

    The first paint event of a widget in ``window`` marks the pass; the report runs on the next
    turn of the event loop, after that whole pass. Reports asked for later are made first.
    Shared with the bare reference window of benchmarks/bench_startup.py, so both are timed the
    same way.
    """
    from PySide6.QtCore import Qt

    probe_class = _first_paint_probe_class()
    probes = window.findChildren(probe_class, options=Qt.FindDirectChildrenOnly)  # type: ignore[attr-defined]
    waiting = [probe for probe in probes if probe.reports]  # (one that has reported is done)
    probe = waiting[0] if waiting else probe_class(window)
    probe.reports.append(report)


_PROBE_CLASS: list[type] = []


def _first_paint_probe_class() -> type:
    """The class of report_first_paint's probe (made on first use: this module imports no Qt)."""
    if _PROBE_CLASS:
        return _PROBE_CLASS[0]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QPaintEvent, QShowEvent
    from PySide6.QtWidgets import QApplication, QWidget

    class FirstPaintProbe(QObject):
        """Cheap, because it runs before the paint it waits for: a filter on the window alone
        waits for the window's Show event (sent once its children are shown, before the platform
        window maps, so before any paint); only then does an application-wide filter look for
        the paint. Application-wide from the start, a Python filter was called for each of the
        ~1,700 events of the window's ``show()`` and layout (~5 % of the instructions to the
        first paint), once per report."""

        def __init__(self, window: QWidget) -> None:
            super().__init__(window)
            self.window = window
            self.reports: list[object] = []
            if window.isVisible():  # shown already: its next paint
                QApplication.instance().installEventFilter(self)
            else:
                window.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            # isinstance, not event.type(): each type() makes a Python enum member (~1 µs)
            if isinstance(event, QShowEvent) and watched is self.window:
                watched.removeEventFilter(self)
                QApplication.instance().installEventFilter(self)
            elif (
                isinstance(event, QPaintEvent)
                and isinstance(watched, QWidget)
                and watched.window() is self.window
            ):
                QApplication.instance().removeEventFilter(self)
                for report in reversed(self.reports):
                    QTimer.singleShot(0, report)
                self.reports.clear()
                self.deleteLater()
            return False

    _PROBE_CLASS.append(FirstPaintProbe)
    return FirstPaintProbe


def _exit_after_shown(window: object) -> None:
    """For benchmarks/bench_startup.py: report when the window has painted, then quit (mode
    "1"), wait for the engine and the first race and report them too ("ready": the engine's
    kernels loaded, then the race on screen), or end the process at once
    ("paint": nothing after the paint runs, for counting the instructions up to it)."""
    from PySide6.QtWidgets import QApplication

    mode = os.environ.get("OPTIMIZER_LAB_EXIT_AFTER_SHOWN")
    ready_after = mode == "ready"

    def report() -> None:
        print(f"window-shown {time.perf_counter() - T0:.4f}", flush=True)
        if mode == "paint":
            os._exit(0)
        if not ready_after:
            QApplication.quit()

    report_first_paint(window, report)
    if ready_after:

        def on_ready() -> None:
            print(f"engine-ready {time.perf_counter() - T0:.4f}", flush=True)

        def raced() -> None:
            print(f"race-ready {time.perf_counter() - T0:.4f}", flush=True)
            QApplication.quit()

        def on_race() -> None:  # the views took the first race: its paint pass shows it
            window.race.reset.disconnect(on_race)  # type: ignore[attr-defined]
            report_first_paint(window, raced)

        window.engine_ready.connect(on_ready)  # type: ignore[attr-defined]
        window.race.reset.connect(on_race)  # type: ignore[attr-defined]


#: the GUI thread's garbage collector once started (collect_in_gui_thread); it lives as long as the app
_collector: object | None = None


def collect_in_gui_thread(interval_s: float = 1.0) -> object:
    """Turn Python's automatic garbage collection off and collect from a timer in the GUI thread.

    Automatic collection runs wherever an allocation crosses its threshold: inside a Qt event
    handler that calls into Python (a layout asking a pyqtgraph item for its size hint) or in the
    worker thread. A closed window lives on in reference cycles until a pass frees it; freed
    there, its Qt objects are deleted while Qt is still using them ("pure virtual method called",
    a segfault: tests/gui/_gc_child.py). From a timer, a pass runs between events, in the
    GUI thread. pyqtgraph's GarbageCollector does this with the automatic thresholds; calling
    this again returns the one already running.
    """
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=interval_s)
    return _collector


def after_first_paint(start_engine: Callable[[], None]) -> Callable[[], None]:
    """What runs once the window is on screen: collect garbage again, from the GUI thread
    (main.open_window paused it; see collect_in_gui_thread), and ``start_engine`` (the window's:
    it finishes the window, then starts the worker; later calls do nothing)."""

    def run() -> None:
        collect_in_gui_thread()
        start_engine()

    return run


def run_app(argv: Sequence[str] = (), session: str | os.PathLike[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code.

    ``session``: a session file to race instead of the remembered race (``main.py lab1.olab.json``).
    """
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    QGuiApplication.setDesktopFileName("optimizer-lab")  # ties windows to the launcher (docks, Wayland)
    app.setWindowIcon(QIcon(str(Path(__file__).resolve().parents[1] / "resources/icons/optimizer-lab.svg")))
    from gui.crash import install_excepthook
    from gui.i18n import install_language, save_language, saved_language
    from gui.settings import guard_settings_files
    from gui.slots import weak_slot

    install_excepthook()
    start_notes = guard_settings_files()  # before anything reads the settings: a FIFO there would hang
    language = os.environ.get("OPTIMIZER_LAB_LANGUAGE") or saved_language()
    install_language(app, language)

    from gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def open_window() -> MainWindow:
        window = MainWindow(start_notes)
        start_notes.clear()
        window.language_change_requested.connect(switch_language)
        first = not windows
        windows[:] = [window]
        window.fit_screen()
        if first and session is not None:
            window.open_at_start(Path(session))
        start = after_first_paint(weak_slot(window.start_engine))
        report_first_paint(window, start)  # before show(): the first paint may come inside it
        if os.environ.get("OPTIMIZER_LAB_EXIT_AFTER_SHOWN") != "paint":
            # (not when counting the instructions to the paint: under valgrind, 50× slower, the
            # fallback came first and the count took in the engine's start and numba's import)
            QTimer.singleShot(ENGINE_START_FALLBACK_MS, start)
        if first and os.environ.get("OPTIMIZER_LAB_EXIT_AFTER_SHOWN"):
            # installed last, so it is told first: it reports the paint before the rest is built
            _exit_after_shown(window)
        window.show()
        return window

    def switch_language(new: str) -> None:
        """Rebuild the window in the new language, carrying on the same race."""
        old = windows[0]
        save_language(new)
        state = old.race_state()  # the race, its step and the open lesson go on in the new window
        old.close()
        old.shutdown(timeout_ms=60_000)
        old.deleteLater()
        install_language(app, new)
        open_window().resume(state)

    app.aboutToQuit.connect(lambda: windows[0].shutdown())
    window = open_window()
    code = app.exec()
    window = windows[0]
    window.hide()
    if not window.shutdown(timeout_ms=60_000):  # still compiling after a minute: leave anyway
        os._exit(code)
    return code
