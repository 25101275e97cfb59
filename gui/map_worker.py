"""The maps' thread: runs ``engine.maps`` jobs off the GUI thread and streams their rows as pictures.

A request first computes a coarse preview (64² at most), then the full grid, a block of rows at a
time; after each block it sends the picture so far (rows not computed yet are clear). A newer
request cancels the one running at its next block (``threading.Event``; blocks take well under
0.1 s), and requests that were overtaken while queued are skipped, so dragging a slider only
ever computes the latest setting. The kernels release the GIL: the window stays responsive.
"""

from __future__ import annotations

import queue
import threading
import traceback
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, Signal, Slot

#: Side of the quick first picture: coarse, but there within a tenth of a second.
PREVIEW_GRID = 64


@dataclass(frozen=True)
class MapRequest:
    """Everything a map needs, as plain values (the window builds it from the race's settings)."""

    loss: str
    optimizer: str
    kind: str
    grid: int
    steps: int
    start: tuple[float, float]
    view: tuple[float, float, float, float]
    hyperparameters: dict[str, float] = field(default_factory=dict)
    schedule: str = "constant"
    tol: float = 1e-10
    #: Hyperparameter maps: the two axes as ``NAME:LOW:HIGH[:log]``.
    x_axis: str = ""
    y_axis: str = ""
    color_by: str = "basin"
    #: The surface's own parameters (the bowl's κ), as the race uses them.
    surface_params: dict[str, float] = field(default_factory=dict)


class _MapRunner(QObject):
    """Runs maps in the maps' thread; its signals reach the GUI thread queued."""

    picture_ready = Signal(int, object, object, bool)  # token, MapResult, MapPicture, final
    progress = Signal(int, int, int)  # token, rows done, rows in all (of the current pass)
    failed = Signal(int, object)  # token, the exception (its message is translated by the window)

    def __init__(self, latest: list[int], cancel: threading.Event) -> None:
        super().__init__()
        self._latest = latest
        self._cancel = cancel

    def run(self, token: int, request: MapRequest) -> None:
        if token != self._latest[0]:
            return  # overtaken while it waited in the queue
        self._cancel.clear()
        try:
            from engine.losses import get_loss
            from engine.maps import Axis, MapJob, map_picture

            grids = (
                [min(PREVIEW_GRID, request.grid), request.grid]
                if request.grid > PREVIEW_GRID
                else [request.grid]
            )
            for n in grids:
                kwargs: dict[str, object] = {}
                fixed = dict(request.hyperparameters)
                if request.kind == "hyper":
                    x, y = Axis.parse(request.x_axis, n), Axis.parse(request.y_axis, n)
                    kwargs = {"x": x, "y": y}
                    fixed.pop(x.name, None)
                    fixed.pop(y.name, None)
                surface = get_loss(request.loss)
                if request.surface_params:
                    surface = surface.with_params(**request.surface_params)
                job = MapJob(
                    surface,
                    request.optimizer,
                    request.kind,
                    steps=request.steps,
                    grid=n,
                    start=request.start,
                    view=request.view,
                    schedule=request.schedule,
                    tol=request.tol,
                    hyperparameters=fixed,
                    **kwargs,  # type: ignore[arg-type]
                )
                final = n == request.grid
                for rows in job.blocks():
                    if self._cancel.is_set() or token != self._latest[0]:
                        return
                    self.progress.emit(token, rows, job.y.n)
                    # the picture is a new array; the result's arrays go on being filled, so the
                    # window gets a copy of what it reads (axes, minima) and no live arrays
                    snapshot = replace(job.result, targets=list(job.result.targets))
                    picture = map_picture(job.result, request.color_by)
                    self.picture_ready.emit(token, snapshot, picture, final and rows == job.y.n)
        except ValueError as exc:  # a setting the map cannot take: said in words, as the engine put it
            self.failed.emit(token, exc)
        except Exception:  # reported to the window, never lost in the thread
            self.failed.emit(token, traceback.format_exc(limit=4))


class MapWorker(QObject):
    """The GUI thread's handle on the maps' thread.

    A plain Python thread (daemon, started at the first request), not a QThread: a window that is
    dropped without being closed must not abort the process by destroying a running QThread. The
    runner's signals are emitted from that thread and arrive in the GUI thread as queued calls.
    """

    picture_ready = Signal(object, object, bool)  # MapResult, MapPicture, final
    progress = Signal(int, int)
    failed = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self._latest = [0]
        self._cancel = threading.Event()
        self._queue: queue.SimpleQueue[tuple[int, MapRequest] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._runner = _MapRunner(self._latest, self._cancel)
        self._runner.picture_ready.connect(self._picture)
        self._runner.progress.connect(self._progress)
        self._runner.failed.connect(self._failed)

    def _loop(self) -> None:
        while (item := self._queue.get()) is not None:
            self._runner.run(*item)

    def request(self, request: MapRequest) -> None:
        """Compute this map, dropping whatever was being computed."""
        self._latest[0] += 1
        self._cancel.set()
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="maps", daemon=True)
            self._thread.start()
        self._queue.put((self._latest[0], request))

    def cancel(self) -> None:
        self._latest[0] += 1
        self._cancel.set()

    @Slot(int, object, object, bool)
    def _picture(self, token: int, result: object, picture: object, final: bool) -> None:
        if token == self._latest[0]:
            self.picture_ready.emit(result, picture, final)

    @Slot(int, int, int)
    def _progress(self, token: int, rows: int, total: int) -> None:
        if token == self._latest[0]:
            self.progress.emit(rows, total)

    @Slot(int, object)
    def _failed(self, token: int, message: object) -> None:
        if token == self._latest[0]:
            self.failed.emit(message)

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Stop the thread (the running map stops at its next block); False if it is still busy."""
        self.cancel()
        if self._thread is None:
            return True
        self._queue.put(None)
        self._thread.join(timeout_ms / 1000)
        return not self._thread.is_alive()
