"""Help for typed losses: their local minima found numerically, a view fitted to them, and
whether to colour them on a log scale — what the built-in surfaces carry by hand.

Pure numpy over ``Surface.grid`` (the compiled loss): a coarse grid finds candidate cells,
each is refined by zooming in on its lowest point, and only *isolated* minima are kept. A
valley of equal minima (the ring ``log(1 + (x² + y² − 1)²)``) has no single point to mark:
a ☆ anywhere on it would be a made-up answer, so it gets none (the log colours show the ring).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from engine.losses import Surface

GridFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
PointFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Where typed losses are searched: minima beyond it are not looked for.
SEARCH_WINDOW = (-10.0, 10.0, -10.0, 10.0)
SEARCH_POINTS = 161
MAX_MINIMA = 8
#: Zoom steps of the refinement; each shrinks the window threefold (3⁻⁸ of a cell at the end).
REFINE_STEPS = 8
#: Steps the refinement may walk along a valley before it gives up on reaching its lowest point.
MAX_WALK = 40
#: Candidate cells examined, lowest first (a valley floor can make hundreds).
MAX_CANDIDATES = 12
#: An isolated minimum rises all around it: on a small circle, the least rise is at least this
#: share of the largest (a bowl with condition number up to 10⁴ passes, a flat valley does not).
ISOLATION = 1e-4
RING_POINTS = 512
#: Colour on a log scale when the lowest tenth of the picture's pixels spans less than this
#: share of the value range: the minima would otherwise all be one colour.
LOG_IF_LOW_TENTH_BELOW = 0.06


def find_minima(
    grid: GridFn,
    window: tuple[float, float, float, float] = SEARCH_WINDOW,
    n: int = SEARCH_POINTS,
    max_minima: int = MAX_MINIMA,
    at: PointFn | None = None,
) -> tuple[tuple[float, float], ...]:
    """Isolated local minima of L inside ``window``, lowest first, at most ``max_minima``.

    ``grid(xs, ys)`` returns L with shape (len(ys), len(xs)), NaN where undefined; ``at(xs, ys)``
    L at the points (xs[k], ys[k]) (default: from ``grid``, slower).
    """
    at = at or _points_of(grid)
    xs = np.linspace(window[0], window[1], n)
    ys = np.linspace(window[2], window[3], n)
    z = grid(xs, ys)
    cell = (xs[1] - xs[0], ys[1] - ys[0])
    padded = np.pad(z, 1, constant_values=np.nan)
    neighbours = np.stack(
        [
            padded[1 + dj : 1 + dj + n, 1 + di : 1 + di + n]
            for dj in (-1, 0, 1)
            for di in (-1, 0, 1)
            if dj or di
        ]
    )
    with np.errstate(invalid="ignore"):
        lowest = np.all(z <= neighbours, axis=0) & np.any(z < neighbours, axis=0)
    lowest &= np.isfinite(z) & np.all(np.isfinite(neighbours), axis=0)  # not at the edge or a gap
    found: list[tuple[float, float, float]] = []
    cells = np.argwhere(lowest)
    cells = cells[np.argsort(z[lowest], kind="stable")][:MAX_CANDIDATES]
    for j, i in cells:
        x, y, value = _refine(grid, float(xs[i]), float(ys[j]), cell)
        if not _isolated(at, x, y, value, cell):
            continue
        if any(abs(x - fx) < cell[0] and abs(y - fy) < cell[1] for fx, fy, _ in found):
            continue
        found.append((x, y, value))
    found.sort(key=lambda m: m[2])
    return tuple((_tidy(x), _tidy(y)) for x, y, _ in found[:max_minima])


def _refine(grid: GridFn, x: float, y: float, cell: tuple[float, float]) -> tuple[float, float, float]:
    """Walk to the lowest point near (x, y): 9 × 9 samples; the window follows a lowest point on
    its border (down a valley) and shrinks threefold once the lowest point is inside it."""
    hx, hy = 1.5 * cell[0], 1.5 * cell[1]
    value = math.inf
    shrinks = 0
    for _ in range(REFINE_STEPS + MAX_WALK):
        xs = np.linspace(x - hx, x + hx, 9)
        ys = np.linspace(y - hy, y + hy, 9)
        z = grid(xs, ys)
        if not np.any(np.isfinite(z)):
            break
        j, i = np.unravel_index(np.nanargmin(z), z.shape)
        x, y, value = float(xs[i]), float(ys[j]), float(z[j, i])
        if 0 < i < 8 and 0 < j < 8:
            hx, hy = hx / 3, hy / 3
            shrinks += 1
            if shrinks == REFINE_STEPS:
                break
    return x, y, value


def _isolated(at: PointFn, x: float, y: float, value: float, cell: tuple[float, float]) -> bool:
    """L rises all the way round (x, y), not along a valley floor of equal values.

    On a circle of N points, a flat valley crossing it shows a rise of at most (π/N)² of the
    largest; a bowl, however narrow, its 1/condition number.
    """
    angles = np.linspace(0.0, 2 * np.pi, RING_POINTS, endpoint=False)
    ring = at(x + 2 * cell[0] * np.cos(angles), y + 2 * cell[1] * np.sin(angles))
    if not np.all(np.isfinite(ring)):
        return False
    rise = ring - value
    return bool(rise.max() > 0 and rise.min() > ISOLATION * rise.max())


def _points_of(grid: GridFn) -> PointFn:
    """L at scattered points from a grid function (the diagonal of a square grid)."""
    return lambda xs, ys: np.diagonal(grid(xs, ys))


def _tidy(v: float) -> float:
    """A coordinate as a learner reads it: 1e-9 is 0."""
    return 0.0 if abs(v) < 1e-9 else float(f"{v:.6g}")


def fitted_view(
    minima: tuple[tuple[float, float], ...], start: tuple[float, float]
) -> tuple[float, float, float, float]:
    """A square view centred on the minima that shows them and the start with room around."""
    centre = np.mean(np.asarray(minima, dtype=float), axis=0)
    points = np.asarray([*minima, start], dtype=float)
    reach = float(np.max(np.hypot(*(points - centre).T)))
    half = max(1.35 * reach + 0.5, 1.0)
    return (
        float(centre[0] - half),
        float(centre[0] + half),
        float(centre[1] - half),
        float(centre[1] + half),
    )


def wants_log_colours(z: np.ndarray) -> bool:
    """True when most of a linear colour scale would go to a few high values (the minima vanish)."""
    finite = z[np.isfinite(z)]
    if finite.size < 16:
        return False
    lo, p10, hi = np.percentile(finite, [0.0, 10.0, 99.5])
    return bool(hi > lo and (p10 - lo) < LOG_IF_LOW_TENTH_BELOW * (hi - lo))


_helped: dict[int, tuple[Surface, Surface]] = {}


def with_typed_help(surface: Surface) -> Surface:
    """A typed loss with its minima, a view fitted to them, and log colours if the range is wide.

    Built-in surfaces (and typed ones already helped) come back unchanged. The same typed
    surface gives the same helped surface every time, so the window keeps its view.
    """
    if not surface.expression or surface.minima:
        return surface
    cached = _helped.get(id(surface))
    if cached is not None and cached[0] is surface:
        return cached[1]

    def at(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        return np.array([surface.value_grad(x, y)[0] for x, y in zip(xs, ys, strict=True)])

    minima = find_minima(surface.grid, at=at)
    view = fitted_view(minima, surface.start) if minima else surface.view
    xs = np.linspace(view[0], view[1], 121)
    ys = np.linspace(view[2], view[3], 121)
    helped = replace(surface, minima=minima, view=view, log_levels=wants_log_colours(surface.grid(xs, ys)))
    _helped[id(surface)] = (surface, helped)
    return helped
