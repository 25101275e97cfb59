"""What the contour view draws of a loss grid: colour values, levels and the level lines.

Computed here, next to the engine, so the window only draws: the worker thread prepares a
surface picture while the event loop keeps running (pyqtgraph's pure-Python isocurve took
≈ 20 ms a level on the GUI thread, a 0.3 s freeze on every zoom). The level lines come from
contourpy (matplotlib's contour engine: numpy only, compiled): the same marching-squares
vertices as the hand-written version it replaced, 5–6× faster, and joined into whole lines, so
the view draws a few dozen polylines instead of ten thousand two-point segments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from contourpy import LineType, contour_generator

N_LEVELS = 14


@dataclass(frozen=True)
class SurfacePicture:
    """A loss grid made ready to draw."""

    #: Values to colour by (``log10(L − L_min + floor)`` where the loss spans decades).
    values: np.ndarray
    #: What ``values`` are, for the colour bar.
    label: str
    #: Colour range: robust percentiles, so one huge corner does not wash the map out.
    color_range: tuple[float, float]
    levels: np.ndarray
    #: Level lines as one polyline array, shape (n, 2) in w1/w2 coordinates: each line's
    #: vertices in order, lines separated by a row of NaN (draw with ``connect="finite"``).
    lines: np.ndarray


def display_values(z: np.ndarray, log_levels: bool) -> tuple[np.ndarray, str]:
    """Values to colour and contour by; log-spaced where the loss spans decades."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return z, "L"
    lo, hi = float(finite.min()), float(finite.max())
    if log_levels and hi - lo > 0:
        floor = (hi - lo) * 1e-6
        return np.log10(z - lo + floor), "log₁₀(L − L_min)"
    return z, "L"


def contour_levels(values: np.ndarray, n: int = N_LEVELS) -> np.ndarray:
    """Evenly spaced levels between robust low and high percentiles (outliers don't flatten them)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(0)
    lo, hi = np.percentile(finite, [0.5, 97.0])
    if not hi > lo:
        return np.zeros(0)
    return np.linspace(lo, hi, n + 2)[1:-1]


def level_lines(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The lines ``z = level`` for each level through the grid ``z[j, i] = f(xs[i], ys[j])``.

    Marching squares with linear interpolation on the cells' edges (so on a plane every vertex
    lies on the line exactly); a saddle cell is split by the mean of its four corners. Returns
    one (n, 2) array with a NaN row between lines; cells with a non-finite corner are skipped.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    z = np.asarray(z, dtype=float)
    if z.shape != (ys.size, xs.size):
        raise ValueError(f"z has shape {z.shape}; expected (len(ys), len(xs)) = {(ys.size, xs.size)}")
    levels = np.atleast_1d(np.asarray(levels, dtype=float))
    if xs.size < 2 or ys.size < 2 or levels.size == 0:
        return np.zeros((0, 2))
    finite = np.isfinite(z)
    grid = z if finite.all() else np.ma.masked_array(z, mask=~finite)
    generator = contour_generator(
        xs, ys, grid, name="serial", corner_mask=False, line_type=LineType.ChunkCombinedNan
    )
    gap = np.full((1, 2), np.nan)
    parts: list[np.ndarray] = []
    for (chunks,) in generator.multi_lines(levels):
        for points in chunks:
            if points is not None and len(points):
                if parts:
                    parts.append(gap)
                parts.append(points)
    return np.concatenate(parts) if parts else np.zeros((0, 2))


def surface_picture(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, log_levels: bool) -> SurfacePicture:
    """Everything the contour view needs from a loss grid."""
    values, label = display_values(z, log_levels)
    levels = contour_levels(values)
    finite = values[np.isfinite(values)]
    lo, hi = (
        (float(np.percentile(finite, 0.5)), float(np.percentile(finite, 99.5))) if finite.size else (0.0, 1.0)
    )
    if not hi > lo:
        hi = lo + 1.0
    # a non-finite corner (overflow, outside the domain) draws as the top of the map, not a hole
    closed = np.where(np.isfinite(values), values, hi)
    return SurfacePicture(
        values=values,
        label=label,
        color_range=(lo, hi),
        levels=levels,
        lines=level_lines(xs, ys, closed, levels),
    )
