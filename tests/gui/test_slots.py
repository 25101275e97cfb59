"""Widgets must not keep themselves alive through their own graphics items' signals.

The lambda those signals used to call held the widget; PySide freed it at exit from inside an
item's destructor and the process segfaulted after the last test (CI exit code 139).
"""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QObject, Signal

from gui.main_window import MainWindow
from gui.slots import weak_slot
from gui.views.contour import ContourView
from gui.views.panels import PerWeightPanels


class _Source(QObject):
    fired = Signal(int, str)


class _Target:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def hit(self, *args: object) -> None:
        self.calls.append(args)


def test_weak_slot_passes_its_arguments_and_the_signals_it_is_asked_for(qapp) -> None:
    source, target = _Source(), _Target()
    source.fired.connect(weak_slot(target.hit, "k"))
    source.fired.connect(weak_slot(target.hit, "k", signal_args=1))
    source.fired.connect(weak_slot(target.hit, signal_args=2))
    source.fired.emit(7, "seven")
    assert target.calls == [("k",), ("k", 7), (7, "seven")]


def test_weak_slot_does_not_keep_its_object_and_is_silent_once_it_is_gone(qapp) -> None:
    source, target = _Source(), _Target()
    source.fired.connect(weak_slot(target.hit))
    gone = weakref.ref(target)
    del target
    gc.collect()
    assert gone() is None
    source.fired.emit(1, "one")  # no error, nothing to call


@pytest.mark.parametrize("widget", [ContourView, PerWeightPanels, MainWindow])
def test_a_dropped_view_is_freed(qtbot, isolated_settings, widget) -> None:
    view = widget()
    view.resize(500, 400)
    view.show()
    qtbot.wait(10)
    view.hide()
    gone = weakref.ref(view)
    del view
    gc.collect()
    assert gone() is None
