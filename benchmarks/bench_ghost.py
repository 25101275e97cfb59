"""The "what if" ghost path: a racer's whole path for the step limit, computed while a slider
moves. It must fit in one frame (16 ms) for 2,000 steps.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ghost.py

Prints, per optimizer and surface, the median time the worker takes for the path (a fresh run
of 2,000 steps, as ``RaceWorker._ghost`` does) and the time the contour takes to take it in
(``ContourView.set_ghost``), against a reference measured in the same run: gridding the
surface at the worker's 220 × 220 (what every pan or zoom costs).
"""

from __future__ import annotations

import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from engine.config import RacerConfig, SessionConfig
from engine.simulate import run_for, surface_for

STEPS = 2000
REPEATS = 30
FRAME_MS = 16.0
OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam", "adam-lecture", "nadam")
SURFACES = ("quadratic", "rosenbrock", "x^2 + 10*y^2 + sin(3*x)")


def median_ms(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    fn()  # compiled and cached before timing
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from gui.views.contour import ContourView
    from gui.worker import GRID_SIZE

    app = QApplication.instance() or QApplication([])
    view = ContourView()
    view.resize(600, 500)
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    header = ("surface", "optimizer", "path ms", "draw ms", "of frame", "vs grid")
    print(f"{header[0]:26s} {header[1]:13s} " + " ".join(f"{h:>8s}" for h in header[2:]))
    for spec in SURFACES:
        config = SessionConfig(loss=spec, steps=STEPS, tol=0.0)  # no early stop: all 2,000 steps
        surface = surface_for(config)
        xs = np.linspace(*surface.view[:2], GRID_SIZE)
        ys = np.linspace(*surface.view[2:], GRID_SIZE)
        grid_ms = median_ms(lambda surface=surface, xs=xs, ys=ys: surface.grid(xs, ys))
        for name in OPTIMIZERS:
            racer = RacerConfig(name)

            def path(config=config, racer=racer, surface=surface) -> np.ndarray:
                run = run_for(config, racer, surface, max_rows=STEPS + 1)
                run.advance(STEPS)
                return run.trajectory().w

            w = path()
            path_ms = median_ms(path)
            draw_ms = median_ms(lambda w=w: view.set_ghost(w, "#D55E00"))
            total = path_ms + draw_ms
            print(
                f"{spec:26s} {name:13s} {path_ms:8.3f} {draw_ms:8.3f} {total / FRAME_MS:8.1%} "
                f"{path_ms / grid_ms:7.2f}×"
            )
        print(f"{'':26s} {'(reference: 220×220 grid)':27s} {grid_ms:.3f} ms")
    view.close()
    app.processEvents()


if __name__ == "__main__":
    main()
