"""Maps: thousands of runs at once, one per pixel.

A **basin map** runs the same optimizer and settings from every start on a grid over the view
and colours each start by the minimum it reaches; a **hyperparameter map** runs from one start
with two hyperparameters varied over a grid (η × β, η × α, …). Both are ``batch`` over the
pixels, so every pixel is exactly the ``simulate`` run of its start or setting (same final point,
status and step count), and computed in blocks of rows: a caller can draw the rows done so far,
and cancel between blocks. Qt-free: the window runs a ``MapJob`` in a worker thread, the command
line (``main.py map``) in the foreground.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine import _ids as K
from engine.atomic import atomic_write_bytes
from engine.losses import Surface, get_loss
from engine.messages import msg
from engine.optimizers import HYPERPARAMETERS, Optimizer, get_optimizer, resolve_hyperparameters
from engine.schedules import Schedule
from engine.simulate import DEFAULT_TOL, batch

BASIN, HYPER = "basin", "hyper"
KINDS = (BASIN, HYPER)
#: A pixel's outcome (``status``): the kernels' codes.
NOT_CONVERGED, CONVERGED, DIVERGED = K.RUNNING, K.CONVERGED, K.DIVERGED
#: ``basin`` of a pixel that reached no minimum (not converged, diverged, or converged elsewhere).
NO_BASIN = -1
#: Largest grid a side (a 2048² map is 4.2 million runs: seconds to minutes, and 150 MB of results).
MAX_GRID = 2048
#: Runs per call to ``batch``: enough to keep both cores busy, few enough to cancel within ~0.1 s.
RUNS_PER_BLOCK = 16_384
#: An end point closer than this share of the view's diagonal to a minimum has reached it.
REACH = 0.02


class MapError(ValueError):
    """A map that cannot be made as asked; the message names the value and what is allowed."""


@dataclass(frozen=True)
class Axis:
    """One axis of a map: a weight (basin maps) or a hyperparameter (hyperparameter maps)."""

    name: str
    low: float
    high: float
    n: int
    log: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise MapError(
                msg(
                    "the {name} axis needs low < high, got {low} and {high}",
                    name=self.name,
                    low=self.low,
                    high=self.high,
                )
            )
        if not 2 <= self.n <= MAX_GRID:
            raise MapError(msg("a map side must have 2 to {limit} pixels, got {n}", limit=MAX_GRID, n=self.n))
        if self.log and self.low <= 0:
            raise MapError(
                msg("a log axis needs low > 0, got {low} for {name}", low=self.low, name=self.name)
            )

    @property
    def values(self) -> np.ndarray:
        """The pixel centres' values (geometric steps on a log axis)."""
        if self.log:
            return np.geomspace(self.low, self.high, self.n)
        return np.linspace(self.low, self.high, self.n)

    @classmethod
    def parse(cls, text: str, n: int) -> Axis:
        """``NAME:LOW:HIGH`` or ``NAME:LOW:HIGH:log``, e.g. ``lr:1e-4:10:log``."""
        parts = text.split(":")
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] not in ("log", "lin")):
            raise MapError(
                msg(
                    "an axis is NAME:LOW:HIGH or NAME:LOW:HIGH:log (e.g. lr:1e-4:10:log), got {text}",
                    text=repr(text),
                )
            )
        try:
            low, high = float(parts[1]), float(parts[2])
        except ValueError:
            raise MapError(
                msg("an axis's LOW and HIGH must be numbers, got {text}", text=repr(text))
            ) from None
        return cls(parts[0].strip(), low, high, n, log=len(parts) == 4 and parts[3] == "log")


@dataclass
class MapResult:
    """A map's numbers, row by row (row j is y[j]); rows past ``rows_done`` are not computed yet."""

    kind: str
    x: Axis
    y: Axis
    #: End point of each run, shape (ny, nx, 2).
    end: np.ndarray
    final_loss: np.ndarray
    steps: np.ndarray
    status: np.ndarray
    #: Index into ``targets`` of the minimum each run reached, or ``NO_BASIN``.
    basin: np.ndarray
    #: The minima runs are sorted into: the surface's known ones, else clusters of end points.
    targets: list[tuple[float, float]] = field(default_factory=list)
    rows_done: int = 0
    cancelled: bool = False
    #: The step limit each run had.
    max_steps: int = 0
    #: L at each run's start, shape (ny, nx): "no lower than at the start" tops the loss colours.
    start_loss: np.ndarray | None = None

    @property
    def complete(self) -> bool:
        return self.rows_done == self.y.n

    def csv_text(self) -> str:
        """A row per computed pixel: its two axis values, where its run ended, and how."""
        words = {NOT_CONVERGED: "not converged", CONVERGED: "converged", DIVERGED: "diverged"}
        xs, ys = self.x.values, self.y.values
        lines = [f"{self.x.name},{self.y.name},end_w1,end_w2,final_loss,steps,status,basin"]
        for j in range(self.rows_done):
            for i in range(self.x.n):
                end = self.end[j, i]
                lines.append(
                    f"{xs[i]!r},{ys[j]!r},{end[0]!r},{end[1]!r},{self.final_loss[j, i]!r},"
                    f"{self.steps[j, i]},{words[int(self.status[j, i])]},{self.basin[j, i]}"
                )
        return "\n".join(lines) + "\n"

    def save_npz(self, path: str | Path) -> None:
        """The arrays as an .npz: x and y the axes, end (rows × columns × 2, a row per y), steps,
        status (0 not converged, 1 converged, 2 diverged), basin, targets, final_loss, and the
        axes' names (``x_name``, ``y_name``: hyperparameters for a hyperparameter map)."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            kind=np.array(self.kind),
            x=self.x.values,
            y=self.y.values,
            x_name=np.array(self.x.name),
            y_name=np.array(self.y.name),
            end=self.end,
            final_loss=self.final_loss,
            steps=self.steps,
            status=self.status,
            basin=self.basin,
            targets=np.array(self.targets, dtype=float).reshape(-1, 2),
        )
        atomic_write_bytes(path, buffer.getvalue())


def _empty_result(kind: str, x: Axis, y: Axis, max_steps: int) -> MapResult:
    shape = (y.n, x.n)
    return MapResult(
        kind=kind,
        x=x,
        y=y,
        end=np.full((*shape, 2), np.nan),
        final_loss=np.full(shape, np.nan),
        steps=np.zeros(shape, dtype=np.int64),
        status=np.full(shape, NOT_CONVERGED, dtype=np.int8),
        basin=np.full(shape, NO_BASIN, dtype=np.int16),
        max_steps=max_steps,
        start_loss=np.full(shape, np.nan),
    )


class MapJob:
    """One map: its runs, computed a block of rows at a time.

    ``for rows_done in job.blocks(): ...`` computes block after block (``job.result`` holds the
    rows done so far); ``job.run(cancel=event)`` computes all rows unless ``cancel`` is set.
    """

    def __init__(
        self,
        loss: str | Surface,
        optimizer: str | Optimizer,
        kind: str,
        *,
        steps: int = 500,
        grid: int = 256,
        x: Axis | None = None,
        y: Axis | None = None,
        start: Sequence[float] | None = None,
        view: Sequence[float] | None = None,
        schedule: str | Schedule = "constant",
        tol: float = DEFAULT_TOL,
        hyperparameters: Mapping[str, float] | None = None,
    ) -> None:
        if kind not in KINDS:
            raise MapError(
                msg(
                    "the map kind must be one of {allowed}, got {kind}",
                    allowed=", ".join(KINDS),
                    kind=repr(kind),
                )
            )
        self.surface = get_loss(loss)
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else get_optimizer(optimizer)
        self.kind = kind
        self.steps = int(steps)
        self.schedule = schedule
        self.tol = tol
        self.hyperparameters = resolve_hyperparameters(self.optimizer, dict(hyperparameters or {}))
        self.start = tuple(self.surface.start if start is None else (float(v) for v in start))
        x0, x1, y0, y1 = (float(v) for v in (self.surface.view if view is None else view))
        self.view = (x0, x1, y0, y1)
        if kind == BASIN:
            self.x = x or Axis("w1", x0, x1, grid)
            self.y = y or Axis("w2", y0, y1, grid)
        else:
            if x is None or y is None:
                raise MapError(
                    msg("a hyperparameter map needs two axes, e.g. --x lr:1e-4:10:log --y beta:0.5:0.999")
                )
            for axis in (x, y):
                if axis.name in self.surface.params:  # a surface's own parameter, e.g. the bowl's κ
                    for end in (axis.low, axis.high):
                        self.surface.with_params(**{axis.name: end})
                    continue
                if axis.name not in self.hyperparameters:
                    raise MapError(
                        msg(
                            "{optimizer} has no hyperparameter {name}; it takes: {allowed}",
                            optimizer=self.optimizer.id,
                            name=repr(axis.name),
                            allowed=", ".join([*self.hyperparameters, *self.surface.params]),
                        )
                    )
                for end in (axis.low, axis.high):
                    HYPERPARAMETERS[axis.name].check(end)
            if x.name == y.name:
                raise MapError(
                    msg("the two axes must be different hyperparameters, both are {name}", name=x.name)
                )
            self.x, self.y = x, y
        self.result = _empty_result(kind, self.x, self.y, self.steps)
        self.result.targets = [tuple(map(float, m)) for m in self.surface.minima]
        self._clustered = not self.surface.minima
        #: Stationary points that are not minima (typed losses), so runs that stop there get no basin.
        self._saddles: list[tuple[float, float]] = []
        self._reach = REACH * math.hypot(x1 - x0, y1 - y0)

    @property
    def runs(self) -> int:
        return self.x.n * self.y.n

    def _block_rows(self) -> int:
        return max(1, RUNS_PER_BLOCK // self.x.n)

    def _compute_rows(self, j0: int, j1: int) -> None:
        xs, ys = self.x.values, self.y.values
        rows = j1 - j0
        n = rows * self.x.n
        gx, gy = (a.ravel() for a in np.meshgrid(xs, ys[j0:j1]))
        final_w, final_loss = np.empty((n, 2)), np.empty(n)
        steps, status = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int8)
        if self.kind == BASIN:
            groups = [(self.surface, np.arange(n), None)]
            starts = np.column_stack([gx, gy])
        else:
            starts = np.tile(self.start, (n, 1))
            columns = {self.x.name: gx, self.y.name: gy}
            hyper = {k: v for k, v in columns.items() if k not in self.surface.params}
            own = {k: v for k, v in columns.items() if k in self.surface.params}
            if own:  # one batch per value of the surface's parameters (a row or a column each)
                keys = np.column_stack(list(own.values()))
                values, which = np.unique(keys, axis=0, return_inverse=True)
                groups = [
                    (
                        self.surface.with_params(**dict(zip(own, map(float, v), strict=True))),
                        np.flatnonzero(which == k),
                        hyper,
                    )
                    for k, v in enumerate(values)
                ]
            else:
                groups = [(self.surface, np.arange(n), hyper)]
        start_loss = np.empty(n)
        for surface, idx, hyper in groups:
            if self.kind == BASIN:
                start_loss[idx] = surface.grid(xs, ys[j0:j1]).ravel()
            else:
                start_loss[idx] = surface.grid(np.array([self.start[0]]), np.array([self.start[1]]))[0, 0]
            grid = {k: v[idx] for k, v in hyper.items()} if hyper else None
            fixed = {k: v for k, v in self.hyperparameters.items() if grid is None or k not in grid}
            res = batch(surface, self.optimizer, starts[idx], self.steps, hyper_grid=grid,
                        schedule=self.schedule, tol=self.tol, **fixed)  # fmt: skip
            final_w[idx], final_loss[idx], steps[idx] = res.final_w, res.final_loss, res.steps
            status[idx] = np.where(res.diverged, DIVERGED, np.where(res.converged, CONVERGED, NOT_CONVERGED))
        r = self.result
        shape = (rows, self.x.n)
        r.end[j0:j1] = final_w.reshape(*shape, 2)
        r.final_loss[j0:j1] = final_loss.reshape(shape)
        r.steps[j0:j1] = steps.reshape(shape)
        r.status[j0:j1] = status.reshape(shape)
        r.start_loss[j0:j1] = start_loss.reshape(shape)
        r.basin[j0:j1] = self._classify(final_w, status).reshape(shape)

    def _classify(self, ends: np.ndarray, status: np.ndarray) -> np.ndarray:
        """Which minimum each run ended at: the nearest within ``REACH`` of the view's diagonal.

        Runs that did not converge within the steps are sorted too (``status`` still says they
        did not converge: Adam often circles a minimum for long with ‖g‖ above tol); diverged
        runs are not. Typed losses have no known minima: the converged runs' end points are
        clustered into minima, greedily in pixel order.
        """
        out = np.full(ends.shape[0], NO_BASIN, dtype=np.int16)
        targets = self.result.targets
        if self._clustered:
            for i in np.flatnonzero(status == CONVERGED):
                p = (float(ends[i, 0]), float(ends[i, 1]))
                known = targets + self._saddles
                if not known or min(math.dist(p, t) for t in known) > self._reach:
                    (targets if self._is_minimum(p) else self._saddles).append(p)
        alive = np.flatnonzero(status != DIVERGED)
        centres = np.asarray(targets, dtype=float).reshape(-1, 2)
        if alive.size == 0 or centres.shape[0] == 0:
            return out
        d = np.hypot(ends[alive, None, 0] - centres[None, :, 0], ends[alive, None, 1] - centres[None, :, 1])
        nearest = np.argmin(d, axis=1)
        near = d[np.arange(alive.size), nearest] <= self._reach
        out[alive[near]] = nearest[near]
        return out

    def _is_minimum(self, p: tuple[float, float]) -> bool:
        """No lower point on a small ring around ``p``: a converged run can also stop on a saddle."""
        angles = np.linspace(0.0, 2 * np.pi, 16, endpoint=False)
        r = self._reach / 4
        xs, ys = p[0] + r * np.cos(angles), p[1] + r * np.sin(angles)
        centre = self.surface.grid(np.array([p[0]]), np.array([p[1]]))[0, 0]
        ring = np.array(
            [self.surface.grid(np.array([x]), np.array([y]))[0, 0] for x, y in zip(xs, ys, strict=True)]
        )
        return bool(np.all(ring >= centre))

    def blocks(self) -> Iterator[int]:
        """Compute the next block of rows, yielding how many rows are done after each."""
        step = self._block_rows()
        while self.result.rows_done < self.y.n:
            j0 = self.result.rows_done
            j1 = min(self.y.n, j0 + step)
            self._compute_rows(j0, j1)
            self.result.rows_done = j1
            yield j1

    def run(
        self,
        cancel: threading.Event | Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> MapResult:
        """Compute every row (or stop early once ``cancel`` is set: ``result.cancelled``)."""
        is_set = cancel.is_set if isinstance(cancel, threading.Event) else cancel
        for rows in self.blocks():
            if progress is not None:
                progress(rows, self.y.n)
            if is_set is not None and is_set() and rows < self.y.n:
                self.result.cancelled = True
                break
        return self.result


def basin_map(
    loss: str | Surface,
    optimizer: str | Optimizer,
    *,
    grid: int = 256,
    steps: int = 500,
    view: Sequence[float] | None = None,
    schedule: str | Schedule = "constant",
    tol: float = DEFAULT_TOL,
    **hyperparameters: float,
) -> MapResult:
    """Every start on a ``grid``×``grid`` grid over the view, run to its end (see ``MapJob``)."""
    job = MapJob(
        loss,
        optimizer,
        BASIN,
        grid=grid,
        steps=steps,
        view=view,
        schedule=schedule,
        tol=tol,
        hyperparameters=hyperparameters,
    )
    return job.run()


def hyper_map(
    loss: str | Surface,
    optimizer: str | Optimizer,
    x: Axis,
    y: Axis,
    *,
    steps: int = 500,
    start: Sequence[float] | None = None,
    schedule: str | Schedule = "constant",
    tol: float = DEFAULT_TOL,
    **hyperparameters: float,
) -> MapResult:
    """Two hyperparameters over a grid, every setting run from one start (see ``MapJob``)."""
    job = MapJob(
        loss,
        optimizer,
        HYPER,
        x=x,
        y=y,
        steps=steps,
        start=start,
        schedule=schedule,
        tol=tol,
        hyperparameters=hyperparameters,
    )
    return job.run()


# -- what a map looks like (computed here so views and exports only draw) ----------------------

#: Okabe & Ito's colour-blind-safe colours for the basins (black is kept for "diverged").
BASIN_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
DIVERGED_COLOR = "#2B2B2B"
NOT_CONVERGED_COLOR = "#C8C8C8"
ELSEWHERE_COLOR = "#FFFFFF"
#: The legend's swatch for "still moving near a minimum" (the basin colours greyed).
NEAR_COLOR = "#9FA6AE"
#: Viridis at nine stops (perceptually uniform, readable in grey and by colour-blind viewers).
_VIRIDIS = np.array(
    [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ],
    dtype=float,
)


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[k : k + 2], 16) for k in (1, 3, 5)], dtype=float)


@dataclass(frozen=True)
class MapPicture:
    """A map's pixels and the key that explains them."""

    #: RGBA, shape (ny, nx, 4), row j is y[j] (draw with the origin at the bottom).
    rgba: np.ndarray
    #: (colour, text) for each kind of pixel present, in reading order.
    legend: list[tuple[str, str]]
    #: For a continuous colouring: (low, high, what) of the colour bar, else None.
    colorbar: tuple[float, float, str] | None = None
    #: The colours of the colour bar's two ends.
    colorbar_low: str = "#440154"
    colorbar_high: str = "#FDE725"


def _viridis(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0.0, 1.0) * (len(_VIRIDIS) - 1)
    k = np.minimum(t.astype(int), len(_VIRIDIS) - 2)
    f = (t - k)[..., None]
    return _VIRIDIS[k] * (1 - f) + _VIRIDIS[k + 1] * f


def map_picture(result: MapResult, color_by: str = "basin") -> MapPicture:
    """Colour each pixel: by the minimum reached (``basin``), the final loss or the steps taken.

    Basins: the minimum's colour, paler the more steps the run took (full colour for the fastest,
    two-thirds white for the slowest); diverged, not converged within the steps, and converged
    somewhere that is not a minimum (a saddle) each have their own colour. ``loss`` and
    ``steps`` colour the runs that did not diverge by log₁₀ of the final loss above the lowest one
    or by the steps to converge, on viridis with a colour bar. Rows not computed yet are clear.
    """
    if color_by not in ("basin", "loss", "steps"):
        raise MapError(msg("colour a map by basin, loss or steps, got {name}", name=repr(color_by)))
    ny, nx = result.status.shape
    rgb = np.zeros((ny, nx, 3))
    done = np.zeros((ny, nx), dtype=bool)
    done[: result.rows_done] = True
    status, steps = result.status, result.steps
    diverged = done & (status == DIVERGED)
    unfinished = done & (status == NOT_CONVERGED)
    converged = done & (status == CONVERGED)
    legend: list[tuple[str, str]] = []
    colorbar = None
    if color_by == "basin":
        near_any = False
        most = max(int(steps[converged].max()) if converged.any() else 1, 1)
        pale = (2 / 3) * np.log1p(steps) / np.log1p(most)
        for k, target in enumerate(result.targets):
            here = converged & (result.basin == k)
            if here.any():
                colour = BASIN_COLORS[k % len(BASIN_COLORS)]
                base = _rgb(colour)
                rgb[here] = base * (1 - pale[here, None]) + 255.0 * pale[here, None]
                legend.append((colour, f"☆ ({target[0]:.3g}, {target[1]:.3g})"))
        # still moving near a minimum when the steps ran out (Adam often circles one for long):
        # that minimum's colour, greyed, so the basins stay visible but "not converged" stays true
        for k in range(len(result.targets)):
            near = unfinished & (result.basin == k)
            if near.any():
                rgb[near] = 0.45 * _rgb(BASIN_COLORS[k % len(BASIN_COLORS)]) + 0.55 * _rgb(
                    NOT_CONVERGED_COLOR
                )
                unfinished = unfinished & ~near
                near_any = True
        elsewhere = converged & (result.basin == NO_BASIN)
        rgb[elsewhere] = _rgb(ELSEWHERE_COLOR)
        if near_any:
            legend.append(
                (
                    NEAR_COLOR,
                    msg("greyed: still moving near that ☆ after {steps} steps", steps=result.max_steps),
                )
            )
        if elsewhere.any():
            legend.append((ELSEWHERE_COLOR, msg("converged, not at a minimum (a saddle)")))
    else:
        alive = done & (status != DIVERGED) & (converged if color_by == "steps" else True)
        if color_by == "loss":
            values = np.where(alive, result.final_loss, np.nan)
            finite = values[np.isfinite(values)]
            lo = float(finite.min()) if finite.size else 0.0
            above = finite - lo
            # the smallest positive gap keeps every decade apart (a floor from the spread would
            # lump all small losses together when one run ended at 1e280)
            floor = float(above[above > 0].min()) if (above > 0).any() else 1.0
            values = np.log10(values - lo + floor)
            what = msg("log₁₀(final L − {low})", low=f"{lo:.3g}")
            starts = result.start_loss[done] if result.start_loss is not None else np.zeros(0)
            starts = starts[np.isfinite(starts)]
            top = float(np.log10(starts.max() - lo + floor)) if starts.size else math.inf
        else:
            values = np.where(alive, steps.astype(float), np.nan)
            what = msg("steps to converge")
            top = math.inf
        finite = values[np.isfinite(values)]
        # a robust range: a few runs that ended far out do not wash out the rest (they show at the top)
        vlo, vhi = (
            (float(np.percentile(finite, 1)), float(np.percentile(finite, 99))) if finite.size else (0.0, 1.0)
        )
        if top < vhi:  # everything no lower than where it started is the top colour
            vhi = top
            what = msg("{what}; yellow: no lower than at the start", what=what)
        if not vhi > vlo:
            vhi = vlo + 1.0
        shown = alive & np.isfinite(values)
        rgb[shown] = _viridis((values[shown] - vlo) / (vhi - vlo))
        colorbar = (vlo, vhi, what)
        unfinished = done & ~shown & ~diverged
    rgb[unfinished] = _rgb(NOT_CONVERGED_COLOR)
    rgb[diverged] = _rgb(DIVERGED_COLOR)
    if unfinished.any():
        legend.append((NOT_CONVERGED_COLOR, msg("not converged in {steps} steps", steps=result.max_steps)))
    if diverged.any():
        legend.append((DIVERGED_COLOR, msg("diverged")))
    rgba = np.zeros((ny, nx, 4), dtype=np.uint8)
    rgba[..., :3] = np.round(rgb).astype(np.uint8)
    rgba[..., 3] = np.where(done, 255, 0)
    return MapPicture(rgba=rgba, legend=legend, colorbar=colorbar)
