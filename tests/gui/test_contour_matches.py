"""The drawn contour is the function: after a splitter move the colours still say L(w1, w2)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from gui.views.contour import surface_colormap
from gui.worker import GRID_SIZE
from tests.gui.conftest import choose_loss_and_wait, contour_settled


def _colour_errors(window, f, n: int = 17) -> np.ndarray:
    """How far each sample pixel's drawn colour is from the colour map's colour of ``f`` there.

    Samples sit where the colour changes slowly (within one grid cell it moves less than
    3 % of the scale), so a drawn cell's colour is the function's colour at the sample.
    """
    contour = window.contour
    vb = contour.plot.vb
    (x0, x1), (y0, y1) = vb.viewRange()
    rect = contour.image.mapRectToParent(contour.image.boundingRect())
    gx0, gx1 = max(x0, rect.left()), min(x1, rect.right())
    gy0, gy1 = max(y0, rect.top()), min(y1, rect.bottom())
    cell = rect.width() / GRID_SIZE
    xs = np.linspace(gx0, gx1, n + 2)[1:-1]
    ys = np.linspace(gy0, gy1, n + 2)[1:-1]
    grid = f(
        np.linspace(rect.left(), rect.right(), GRID_SIZE), np.linspace(rect.top(), rect.bottom(), GRID_SIZE)
    )
    lo_grid, hi_grid = np.nanmin(grid), np.nanmax(grid)

    def shown(xv: np.ndarray, yv: np.ndarray) -> np.ndarray:
        z = f(xv, yv)
        if window.surface.log_levels:  # as engine.contours.display_values colours it
            z = np.log10(z - lo_grid + (hi_grid - lo_grid) * 1e-6)
        return z

    lo, hi = contour.image.levels
    z = shown(xs, ys)
    wobble = np.max(
        [np.abs(shown(xs + dx, ys + dy) - z) for dx, dy in ((cell, 0), (-cell, 0), (0, cell), (0, -cell))],
        axis=0,
    )
    smooth = wobble < 0.03 * (hi - lo)
    expected = surface_colormap().map(np.clip((z - lo) / (hi - lo), 0, 1).ravel(), mode=pg.ColorMap.BYTE)
    # the colours alone: the legend, the level lines and the markers drawn over them are not
    covers = [contour.readout, contour.lines, contour.minima, contour.start_marker, contour.dots]
    was = [item.isVisible() for item in covers]
    for item in covers:
        item.setVisible(False)
    image = contour.grab().toImage()
    for item, visible in zip(covers, was, strict=True):
        item.setVisible(visible)
    errors = []
    for k, (j, i) in enumerate(np.ndindex(z.shape)):
        if not smooth[j, i]:
            continue
        pixel = contour.mapFromScene(vb.mapViewToScene(QPointF(xs[i], ys[j])))
        c = image.pixelColor(pixel)
        got = np.array([c.red(), c.green(), c.blue()])
        errors.append(np.abs(got - expected[k][:3].astype(int)).max())
    assert smooth.sum() > 0.4 * smooth.size
    return np.array(errors)


def test_the_contour_matches_the_function_after_a_splitter_move(window, qtbot) -> None:
    choose_loss_and_wait(qtbot, window, "himmelblau", timeout=30_000)
    surface = window.surface
    qtbot.waitUntil(lambda: contour_settled(window), timeout=10_000)
    sizes = window.splitter.sizes()
    for delta in (-220, 330):  # narrower, then wider than at first
        window.splitter.setSizes([sizes[0], sizes[1] + delta, sizes[2] - delta])
        qtbot.waitUntil(lambda: contour_settled(window), timeout=10_000)
        assert window.surface is surface  # same function, regridded for the new shape
        # 9 in 10 samples within 4 levels of 255 of the function's colour
        right = _colour_errors(window, surface.grid)
        assert np.percentile(right, 90) <= 4, delta
        # the check tells a wrong picture from the right one: the old grid stretched to the
        # new width (what a stale picture looks like) fails it
        for wrong in (lambda xs, ys: surface.grid(xs * 1.4, ys), lambda xs, ys: surface.grid(xs + 0.7, ys)):
            assert np.percentile(_colour_errors(window, wrong), 90) > 12


def test_a_typed_loss_shows_its_minima_in_a_view_fitted_to_them(typed_loss_runners, window, qtbot) -> None:
    choose_loss_and_wait(qtbot, window, "(x-5)^2 + (y+4)^2")
    stars = window.contour.minima.getData()
    assert list(zip(*stars, strict=True)) == [(5.0, -4.0)]
    x0, x1, y0, y1 = window.contour.current_view()
    assert x0 < 5.0 < x1 and y0 < -4.0 < y1 and x0 < window.start_point[0] < x1
    choose_loss_and_wait(qtbot, window, "log(1 + (x^2 + y^2 - 1)^2)")
    assert len(window.contour.minima.getData()[0]) == 0  # a ring of minima: no made-up ☆
    assert "log" in window.contour.colorbar.axis.labelText  # the ring stands out in log colours
