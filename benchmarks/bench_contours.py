"""Level lines of a loss grid: contourpy (what the app uses) against the numpy marching squares
it replaced, timed in the same run on the same grids.

    .venv/bin/python benchmarks/bench_contours.py

Prints, per surface, the time for all 14 levels of a 300×300 grid (the worker's grid size),
the speed-up, how many separate pieces each draws and how many vertices.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from engine.contours import N_LEVELS, contour_levels, display_values, level_lines
from engine.losses import get_loss

# --- the reference: the hand-written numpy marching squares this module used before ---------
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


def _reference(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, levels: np.ndarray) -> list[np.ndarray]:
    return [contour_segments(xs, ys, values, float(v)) for v in levels]


def _best(fn: Callable[[], object], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    n = 300
    print(f"{platform.machine()}, numpy {np.__version__}; grid {n}×{n}, {N_LEVELS} levels")
    print(
        "| surface | marching squares (numpy) | contourpy | speed-up | pieces: numpy / contourpy | vertices |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("quadratic", "rosenbrock", "himmelblau", "rastrigin"):
        surface = get_loss(name)
        x0, x1, y0, y1 = surface.view
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        values, _ = display_values(surface.grid(xs, ys), surface.log_levels)
        levels = contour_levels(values)
        t_ref = _best(partial(_reference, xs, ys, values, levels))
        t_new = _best(partial(level_lines, xs, ys, values, levels))
        segments = sum(len(contour_segments(xs, ys, values, float(v))) for v in levels)
        lines = level_lines(xs, ys, values, levels)
        pieces = int(np.count_nonzero(np.isnan(lines[:, 0]))) + 1
        vertices = int(np.count_nonzero(np.isfinite(lines[:, 0])))
        print(
            f"| {name} | {t_ref * 1e3:.2f} ms | {t_new * 1e3:.2f} ms | {t_ref / t_new:.1f}× "
            f"| {segments:,} / {pieces} | {2 * segments:,} → {vertices:,} |"
        )


if __name__ == "__main__":
    main()
