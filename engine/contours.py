"""What the contour view draws of a loss grid: colour values, levels and the level lines.

Computed here, next to the engine, so the window only draws: the worker thread prepares a
surface picture while the event loop keeps running (pyqtgraph's pure-Python isocurve took
≈ 20 ms a level on the GUI thread, a 0.3 s freeze on every zoom). Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

N_LEVELS = 14

# Marching squares. Corners of a cell (bit): bottom-left 1, bottom-right 2, top-right 4,
# top-left 8, set where the value is above the level. Edges: 0 bottom, 1 right, 2 top, 3 left.
# The two saddles (5 and 10) are resolved by the mean of the four corners.
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    1: ((3, 0),),
    2: ((0, 1),),
    3: ((3, 1),),
    4: ((1, 2),),
    6: ((0, 2),),
    7: ((2, 3),),
    8: ((2, 3),),
    9: ((0, 2),),
    11: ((1, 2),),
    12: ((1, 3),),
    13: ((0, 1),),
    14: ((3, 0),),
}
# saddle case → (segments when the centre is above, segments when it is below)
_SADDLES: dict[int, tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]] = {
    5: (((0, 1), (2, 3)), ((3, 0), (1, 2))),
    10: (((3, 0), (1, 2)), ((0, 1), (2, 3))),
}


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
    #: Level lines as segments, shape (n, 2, 2): [[x0, y0], [x1, y1]] in w1/w2 coordinates.
    segments: np.ndarray


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


def contour_segments(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float) -> np.ndarray:
    """The line ``z = level`` through the grid ``z[j, i] = f(xs[i], ys[j])``, as segments.

    Each cell crossed by the level contributes one segment (two at a saddle) between points
    linearly interpolated on its edges, so on a plane every end point lies on the line exactly.
    Cells with a non-finite corner are skipped.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    z = np.asarray(z, dtype=float)
    if z.shape != (ys.size, xs.size):
        raise ValueError(f"z has shape {z.shape}; expected (len(ys), len(xs)) = {(ys.size, xs.size)}")
    if xs.size < 2 or ys.size < 2:
        return np.zeros((0, 2, 2))
    bl, br, tr, tl = z[:-1, :-1], z[:-1, 1:], z[1:, 1:], z[1:, :-1]
    above = z > level
    case = (above[:-1, :-1] * 1 + above[:-1, 1:] * 2 + above[1:, 1:] * 4 + above[1:, :-1] * 8).astype(np.int8)
    finite = np.isfinite(bl) & np.isfinite(br) & np.isfinite(tr) & np.isfinite(tl)
    case[~finite] = 0
    case[case == 15] = 0
    jj, ii = np.nonzero(case)
    if jj.size == 0:
        return np.zeros((0, 2, 2))
    c = case[jj, ii]
    x0, x1, y0, y1 = xs[ii], xs[ii + 1], ys[jj], ys[jj + 1]
    zbl, zbr, ztr, ztl = bl[jj, ii], br[jj, ii], tr[jj, ii], tl[jj, ii]
    with np.errstate(divide="ignore", invalid="ignore"):
        # where the level crosses each edge (only used on edges it does cross)
        edges = np.empty((4, c.size, 2))
        edges[0, :, 0] = x0 + (level - zbl) / (zbr - zbl) * (x1 - x0)
        edges[0, :, 1] = y0
        edges[1, :, 0] = x1
        edges[1, :, 1] = y0 + (level - zbr) / (ztr - zbr) * (y1 - y0)
        edges[2, :, 0] = x0 + (level - ztl) / (ztr - ztl) * (x1 - x0)
        edges[2, :, 1] = y1
        edges[3, :, 0] = x0
        edges[3, :, 1] = y0 + (level - zbl) / (ztl - zbl) * (y1 - y0)
    first = np.full((16, 2), -1, dtype=np.int64)
    for k, segs in _SEGMENTS.items():
        first[k] = segs[0]
    ea, eb = first[c, 0], first[c, 1]
    rows = np.arange(c.size)
    plain = ea >= 0
    parts = [np.stack([edges[ea[plain], rows[plain]], edges[eb[plain], rows[plain]]], axis=1)]
    centre_above = (zbl + zbr + ztr + ztl) / 4 > level
    for k, (when_above, when_below) in _SADDLES.items():
        for segs, pick in ((when_above, centre_above), (when_below, ~centre_above)):
            sel = rows[(c == k) & pick]
            for a, b in segs:
                parts.append(np.stack([edges[a, sel], edges[b, sel]], axis=1))
    return np.concatenate(parts)


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
    segments = [contour_segments(xs, ys, closed, float(level)) for level in levels]
    return SurfacePicture(
        values=values,
        label=label,
        color_range=(lo, hi),
        levels=levels,
        segments=np.concatenate(segments) if segments else np.zeros((0, 2, 2)),
    )
