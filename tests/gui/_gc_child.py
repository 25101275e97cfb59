"""Run by test_gc_safety in a fresh process: a closed window left to the garbage collector, with
a collection due at (nearly) every allocation, then Qt's events processed. Prints "collected" if
the window's objects were freed and the process lived, then whether automatic collection is on.

``gui-thread``: the app's collector (gui.app.collect_in_gui_thread): a timer, between events.
``automatic``: Python's own, which may run inside a Qt event handler. Whether it then crashes
depends on what the window still has to lay out when that pass comes: here it aborted ("pure
virtual method called") in every run from the project's checkout, and ran through from a fresh
clone, so it is a way to see the hazard (``python tests/gui/_gc_child.py automatic``), not a test.
"""

from __future__ import annotations

import gc
import sys
import weakref

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])

from gui.app import collect_in_gui_thread  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

if sys.argv[1] == "gui-thread":
    collect_in_gui_thread(interval_s=0.05)
window = MainWindow()
window.close()
alive = weakref.ref(window)
del window
if alive() is None:
    raise SystemExit("the window was freed at once: no reference cycle left to collect")
loop = QEventLoop()  # Qt's events, until the window is freed (or 30 s have passed)
poll = QTimer(interval=10)
poll.timeout.connect(lambda: alive() is None and loop.quit())
poll.start()
QTimer.singleShot(30_000, loop.quit)
gc.set_threshold(1, 1, 1)  # (nearly) every allocation starts a pass: the first comes inside Qt's events
loop.exec()
print("collected" if alive() is None else "still alive", flush=True)
print("automatic collection", "on" if gc.isenabled() else "off", flush=True)
