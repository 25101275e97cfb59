"""Start-up order: the first frame shows only what it needs; the rest comes after it has painted.

gui.app shows the window, and only once its first paint is over does it build the hidden docks
and the lessons' menus and start the worker (whose numba import would hold the interpreter
while the window paints). Nothing may differ once that is done.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from gui.app import (
    _first_paint_probe_class,
    after_first_paint,
    quicken_pyside_source_check,
    report_first_paint,
)
from gui.main_window import MainWindow
from gui.slots import weak_slot
from gui.views.lazy_plot import LAZY_FORM, LazyFormPlotItem
from tests.gui.conftest import ENGINE_TIMEOUT_MS, close_and_join


def _menu(window: MainWindow, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def test_the_first_frame_has_every_menu_title_and_the_rest_is_built_later(qtbot, isolated_settings) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window._maps is None and window._data_dock is None  # not yet: hidden until asked for
    assert not window.worker.isRunning()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Run", "&View", "&Lessons", "&Compare", "&Help"]
    assert _menu(window, "&Lessons").isEnabled()  # as it will be: no greyed title that lights up
    window.finish_building()
    lessons = _menu(window, "&Lessons").actions()
    compare = _menu(window, "&Compare").actions()
    assert len(lessons) + len(compare) == len(window.lessons) >= 10
    assert all(a.text().split(". ")[0].isdigit() for a in lessons + compare)
    help_lessons = next(a.menu() for a in _menu(window, "&Help").actions() if a.menu() is not None)
    assert help_lessons.actions() == lessons + compare
    view = [a.text() for a in window.view_menu.actions()]
    assert view[:3] == ["Maps", "Data", window.presentation_action.text()]  # where they always were
    assert not window.maps.isVisible() and not window.data_dock.isVisible()
    window.finish_building()  # once only: no second Maps entry, no lessons listed twice
    assert [a.text() for a in window.view_menu.actions()] == view
    assert _menu(window, "&Lessons").actions() == lessons
    window.close()


def test_the_first_frames_plots_build_no_plot_options_form(qtbot, isolated_settings) -> None:
    """Eight pyqtgraph plots before the first paint: none builds its hidden menu form (about
    half of making one), and the colour bar's view builds no menu only to drop it."""
    window = MainWindow()
    qtbot.addWidget(window)
    plots = [window.contour.plot, window.contour.colorbar, *window.panels.plots.values()]
    assert len(plots) == 8
    assert all(isinstance(p, LazyFormPlotItem) for p in plots)
    if LAZY_FORM:
        assert not any(p.form_built for p in plots)
    assert window.contour.colorbar.vb.menu is None
    assert window.panels.plots["loss"].getAxis("left").logMode  # set without the form
    assert window.panels.plots["loss"].getAxis("left").grid == 38  # showGrid(alpha=0.15)
    window.close()


def test_a_dock_asked_for_before_the_first_paint_is_built_then(qtbot, isolated_settings) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.maps is not None  # e.g. a lesson opened at once
    assert window._data_dock is not None and window.lessons
    window.close()  # closing a window whose engine never started joins nothing


class _Paints(QObject):
    """Notes, in order, each paint of the window and when the worker thread started."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__()
        self.window = window
        self.events: list[str] = []
        if isinstance(window, MainWindow):
            window.worker.started.connect(lambda: self.events.append("worker"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and getattr(watched, "window", lambda: None)() is self.window:
            self.events.append("paint")
        return False


def test_the_engine_starts_after_the_first_paint_with_the_collector_back_on(qtbot, isolated_settings) -> None:
    import gui.app

    window = MainWindow()
    qtbot.addWidget(window)
    paints = _Paints(window)
    QApplication.instance().installEventFilter(paints)
    assert not gc.isenabled()  # as main.open_window leaves it (and tests/conftest.py for Qt tests)
    try:
        with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            report_first_paint(window, after_first_paint(weak_slot(window.start_engine)))
            window.show()
    finally:
        QApplication.instance().removeEventFilter(paints)
    # collecting again, from the GUI thread's timer: never inside an event handler (test_gc_safety)
    collector = gui.app._collector
    assert collector is not None and collector.timer.isActive()
    assert not gc.isenabled()
    assert paints.events[0] == "paint" and "worker" in paints.events
    assert window._maps is not None  # finished before the worker started
    window.start_engine()  # a second start (the fallback timer) does nothing
    close_and_join(qtbot, window)


def test_first_paint_reports_come_after_the_paint_the_last_asked_first(qtbot, monkeypatch) -> None:
    """The probe watches the window alone until its Show event, then the whole application for
    the paint: the events of building and showing the window never reach Python."""
    window = QMainWindow()
    window.setCentralWidget(QLabel("x"))
    qtbot.addWidget(window)
    probe_class = _first_paint_probe_class()
    seen: list[str] = []
    real = probe_class.eventFilter

    def counting(self: QObject, watched: QObject, event: QEvent) -> bool:
        seen.append("window" if watched is window else "other")
        return real(self, watched, event)

    monkeypatch.setattr(probe_class, "eventFilter", counting)
    paints = _Paints(window)
    QApplication.instance().installEventFilter(paints)
    try:
        report_first_paint(window, lambda: paints.events.append("asked first"))
        report_first_paint(window, lambda: paints.events.append("asked second"))
        assert len(window.findChildren(probe_class)) == 1  # one probe however many reports
        window.setWindowTitle("t")  # an event of the window before it shows: seen, alone
        QApplication.sendEvent(window.centralWidget(), QEvent(QEvent.Type.User))  # not seen
        assert seen and set(seen) == {"window"}
        with qtbot.waitExposed(window):
            window.show()
        qtbot.waitUntil(lambda: "asked first" in paints.events)
        reports = [e for e in paints.events if e.startswith("asked")]
        assert paints.events[0] == "paint" and reports == ["asked second", "asked first"]
        # a window on screen already: the report follows its next paint
        count = len(paints.events)
        report_first_paint(window, lambda: paints.events.append("visible"))
        window.centralWidget().update()
        qtbot.waitUntil(lambda: "visible" in paints.events)
        assert "paint" in paints.events[count : paints.events.index("visible")]
    finally:
        QApplication.instance().removeEventFilter(paints)
    window.close()


def test_pysides_module_check_reads_bytes_and_answers_as_before(monkeypatch, tmp_path) -> None:
    feature = sys.modules["shibokensupport.feature"]
    own = feature._mod_uses_pyside
    monkeypatch.setattr(feature, "_mod_uses_pyside", own)  # put back after the test
    quicken_pyside_source_check()
    quick = feature._mod_uses_pyside
    assert quick is not own
    quicken_pyside_source_check()  # twice: not wrapped again
    assert feature._mod_uses_pyside is quick
    modules = list(sys.modules.values())

    def outcome(check, module) -> object:
        """The answer, or the kind of error (torch.classes, imported by other tests, raises
        RuntimeError for any attribute: PySide's own check raises too, and so must ours)."""
        try:
            return check(module)
        except Exception as exc:
            return type(exc)

    answers = [outcome(quick, m) for m in modules]
    assert answers == [outcome(own, m) for m in modules]
    assert answers.count(True) >= 20 and answers.count(False) >= 100  # both kinds were asked
    gone = type(sys)("gone")
    gone.__file__ = str(tmp_path / "gone.py")  # a file deleted since: PySide's own answer
    assert quick(gone) is own(gone) is False


_MIRRORS_CHILD = """
import json, sys
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from gui.app import import_pyqtgraph_lazily

qt = [PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets]
full_dir = [set(dir(m)) for m in qt]
finders = list(sys.meta_path)
if sys.argv[1] == "unwrapped":  # no mirror found to wrap (as if loaded some other way)
    import gui.app
    gui.app._PYQTGRAPH_MIRRORS = {n + "X": q for n, q in gui.app._PYQTGRAPH_MIRRORS.items()}
if sys.argv[1] in ("lazy", "unwrapped"):
    import_pyqtgraph_lazily()
    import_pyqtgraph_lazily()  # a second call changes nothing
else:
    import pyqtgraph
import pyqtgraph.Qt as pgqt

created = len(vars(PySide6.QtWidgets))
mirrors = [pgqt.QtCore, pgqt.QtGui, pgqt.QtWidgets]
# names the mirror holds as something other than PySide6's own (pyqtgraph's shims, module dunders)
own = [sorted(n for n in dir(q) if getattr(m, n) is not getattr(q, n)) for m, q in zip(mirrors, qt)]
try:
    pgqt.QtWidgets.QNoSuchWidget
    missing = "found"
except AttributeError as exc:
    missing = str(exc)
from PySide6.QtWidgets import QApplication
app = QApplication([])
import pyqtgraph as pg
plot = pg.PlotWidget()
plot.plot([0, 1, 2], [2, 0, 1])
print(json.dumps({
    "created": created, "all": len(full_dir[2]), "dirs_kept": [set(dir(m)) for m in qt] == full_dir,
    "finders_kept": sys.meta_path == finders, "own": own, "missing": missing,
    "shims": [pgqt.QtGui.QFileSystemModel is PySide6.QtWidgets.QFileSystemModel,
              plot.getPlotItem().listDataItems()[0].xData.tolist()],
}))
"""


def _mirrors(mode: str) -> dict:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _MIRRORS_CHILD, mode], cwd=root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_pyqtgraph_imported_lazily_creates_few_qt_classes_and_resolves_every_name_as_before() -> None:
    """A fresh interpreter each way: this one imported pyqtgraph long ago."""
    eager, lazy = _mirrors("eager"), _mirrors("lazy")
    assert eager["created"] >= eager["all"]  # pyqtgraph's own import creates every class
    assert lazy["created"] < eager["all"] / 2  # only what pyqtgraph's import uses
    assert lazy["dirs_kept"] and lazy["finders_kept"]
    assert lazy["own"] == eager["own"]  # the same object for every other name of the three modules
    assert lazy["shims"] == eager["shims"] == [True, [0.0, 1.0, 2.0]]
    assert "QNoSuchWidget" in lazy["missing"]


def test_pyqtgraph_is_imported_its_own_way_when_its_mirrors_cannot_be_made_lazy() -> None:
    unwrapped = _mirrors("unwrapped")
    assert unwrapped == _mirrors("eager") | {"dirs_kept": True, "finders_kept": True}
