"""The default race's five racers fit in the status table at 1366×768, in English and in Persian."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from engine.config import DEFAULT_RACERS
from gui.i18n import install_language
from gui.main_window import DEFAULT_SIZE, ColumnSplitter, MainWindow


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_default_racers_fit_the_status_table_without_a_scroll_bar(
    language, qapp: QApplication, qtbot, isolated_settings
) -> None:
    """A screenshot at 1366×768 in Persian (its font is taller) showed the fifth racer behind a
    scroll bar: the column's split was a fixed ratio. Now its first layout gives the table room for
    its header and five rows, while the contour keeps most of the column."""
    assert len(DEFAULT_RACERS) <= ColumnSplitter.STATUS_ROWS
    install_language(qapp, language)
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        # a 1366×768 screen less a title bar and a panel: the maximized window's inside
        window.resize(DEFAULT_SIZE - QSize(0, 48))
        window.show()
        qtbot.waitExposed(window)
        table = window.status_table
        table.setRowCount(ColumnSplitter.STATUS_ROWS)
        qtbot.waitUntil(lambda: table.viewport().height() > 0)
        last = ColumnSplitter.STATUS_ROWS - 1
        assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height(), (
            "every row is in view"
        )
        top, bottom = window.centre.sizes()
        assert top >= 2 * bottom, "the contour keeps two thirds of the column"
        assert bottom <= table.height_for(ColumnSplitter.STATUS_ROWS) + 60, "and no more room than that"
        window.close()  # its engine never started: nothing to join
    finally:
        install_language(qapp, "en")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_maps_dock_opens_within_a_1024_pixel_screen(
    language, qapp: QApplication, qtbot, isolated_settings
) -> None:
    """Opened on a 1024×768 projector, the Maps dock (426 pixels at least) pushed the window past
    the screen's right edge: its controls and the Data dock's plot were cut off."""
    install_language(qapp, language)
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1008, 720)  # a maximized window's inside on a 1024×768 screen
        window.show()
        qtbot.waitExposed(window)
        window.finish_building()
        window.maps.show()
        window.data_dock.show()
        qtbot.waitUntil(lambda: window.maps.panel.width() > 0)
        assert window.minimumSizeHint().width() <= 1008
        assert window.width() <= 1008
        panel = window.maps.panel
        for widget in (panel.kind, panel.compute_button, panel.save_button, panel.color_by):
            right = widget.mapTo(panel, widget.rect().topRight()).x()
            assert right <= panel.width(), widget  # nothing cut at the dock's edge
        window.close()  # its engine never started: nothing to join
    finally:
        install_language(qapp, "en")


@pytest.mark.parametrize(("width", "floating"), [(1008, True), (1350, False)])
def test_the_maps_open_beside_the_race_where_a_dock_would_be_too_narrow(
    width: int, floating: bool, qapp: QApplication, qtbot, isolated_settings
) -> None:
    """At 1024 pixels the race left the docked Maps ~190 pixels: its map, title and key were cut
    off at the screen's edge. With less room than ``DOCKED_WIDTH`` they open as a window of their
    own over the race's right side; with room, docked, a third of the window."""
    from gui.maps_dock import DOCKED_WIDTH

    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(width, 720)
    window.show()
    qtbot.waitExposed(window)
    window.finish_building()
    window.maps.show()
    qtbot.waitUntil(lambda: window.maps.panel.width() > 0)
    assert window.maps.isFloating() is floating
    assert window.maps.width() >= DOCKED_WIDTH
    view = window.maps.panel.view
    assert view.mapTo(window.maps.panel, view.rect().topRight()).x() <= window.maps.panel.width()
    if floating:
        frame = window.frameGeometry()
        assert frame.left() <= window.maps.x() and window.maps.geometry().right() <= frame.right()
    window.close()  # its engine never started: nothing to join
