"""Presentation mode's larger colour-bar title keeps clear of its tick numbers."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.views.contour import ContourView
from gui.views.lazy_plot import LabelCachingAxis
from tests.gui.conftest import shown


def _title_clear_of_numbers(axis: pg.AxisItem) -> float:
    """Pixels between the right axis' numbers (from x = 0 outwards) and its title beyond them."""
    assert axis.orientation == "right"
    numbers = axis.textWidth + axis.style["tickTextOffset"][0] + max(0, axis.style["tickLength"])
    return axis.label.mapRectToParent(axis.label.boundingRect()).left() - numbers


def test_at_presentation_size_the_colour_bar_title_is_beside_its_numbers(qtbot) -> None:
    """A screenshot at 1.5× showed "log₁₀(L − L_min)" written across the colour bar's 1, 2, 3: its
    title's font was set after its ticks', and pyqtgraph sizes an axis only for the latter."""
    view = shown(qtbot, ContourView(), (600, 500))
    xs = ys = np.linspace(-2, 2, 40)
    z = np.log10(1 + np.add.outer(ys**2, 100 * xs**2))
    from engine.contours import surface_picture

    view.set_surface(xs, ys, surface_picture(xs, ys, z, True), (), reset_view=True)
    view.set_display_scale(1.5)
    axis = view.colorbar.axis
    assert isinstance(axis, LabelCachingAxis) and axis.label.isVisible()

    def laid_out() -> bool:
        view.grab()  # a paint: the axis measures its numbers (then the layout follows)
        return axis.textWidth > 0 and _title_clear_of_numbers(axis) >= 0

    qtbot.waitUntil(laid_out, timeout=3000)


def test_presenting_scales_the_axes_text_once(qtbot, isolated_settings) -> None:
    """F11 made the axes' numbers 2.25× (1.5² : the views scaled the application font, which the
    window had already scaled), and in Persian, whose font is taller, the per-weight plots' numbers
    no longer fitted beside their 60-pixel plots and were left out."""
    from PySide6.QtWidgets import QApplication

    from gui.main_window import PRESENTATION_SCALE, MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    normal = QApplication.font().pointSizeF()
    window.toggle_presentation()
    try:
        assert QApplication.font().pointSizeF() == normal * PRESENTATION_SCALE
        axes = [window.contour.plot.getAxis("left"), window.contour.colorbar.axis]
        axes += [plot.getAxis("left") for plot in window.panels.plots.values()]
        axes.append(window.data_dock.view.plot.getAxis("bottom"))
        for axis in axes:
            assert axis.style["tickFont"].pointSizeF() == normal * PRESENTATION_SCALE
        # the texts on the plots grow too: the contour's "√G", the line plots' step-0 hint
        assert window.contour.glyph_label.textItem.font().pointSizeF() == normal * PRESENTATION_SCALE
        assert window.panels.empty_hint.textItem.font().pointSizeF() > normal
    finally:
        window.toggle_presentation()
    assert QApplication.font().pointSizeF() == normal
    assert window.contour.plot.getAxis("left").style["tickFont"].pointSizeF() == normal
    window.close()
