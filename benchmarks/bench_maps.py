"""Maps: a basin map of Adam on the bowl at 256² and 512², on 1 thread and on every core, against Adam
in numpy vectorised over the same grid of starts, in the same run.

    .venv/bin/python benchmarks/bench_maps.py [--repeat 5]

ns per run·step counts the steps each run really took (a run that converges stops); the numpy
reference runs every start for all the steps (it has no per-run stopping), so it is timed on the
same number of steps per run and divided by runs × steps. Medians of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numba
import numpy as np

from engine.losses import get_loss
from engine.maps import basin_map

STEPS = 500
KAPPA = 10.0


def numpy_grid_adam_bowl(starts: np.ndarray, steps: int, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """torch's Adam on L = (w1² + κ·w2²)/2, vectorised over every start, one numpy pass per step."""
    x, y = starts[:, 0].copy(), starts[:, 1].copy()
    m1, m2, v1, v2 = (np.zeros_like(x) for _ in range(4))
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        g1, g2 = x, KAPPA * y
        m1 = b1 * m1 + (1 - b1) * g1
        m2 = b1 * m2 + (1 - b1) * g2
        v1 = b2 * v1 + (1 - b2) * g1 * g1
        v2 = b2 * v2 + (1 - b2) * g2 * g2
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        x = x - lr / (np.sqrt(v1 / bc2) + eps) * (m1 / bc1)
        y = y - lr / (np.sqrt(v2 / bc2) + eps) * (m2 / bc1)
    return x, y


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cores = numba.config.NUMBA_NUM_THREADS
    surface = get_loss("quadratic")
    lr = 0.001  # Adam's default η
    basin_map(surface, "adam", grid=16, steps=5)  # compile / load the kernels first
    print(
        f"{os.cpu_count()} cores, numba {numba.__version__}, numpy {np.__version__}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"Adam (η = {lr}) basin map of the bowl (κ = {KAPPA:g}), {STEPS} steps from every start")
    print()
    print(
        "| grid | threads | wall (median) | run·steps taken | ns per run·step "
        "| numpy vectorised, ns per run·step |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for grid in (256, 512):
        x0, x1, y0, y1 = surface.view
        gx, gy = np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid))
        starts = np.column_stack([gx.ravel(), gy.ravel()])
        ref = statistics.median(
            timed(lambda s=starts: numpy_grid_adam_bowl(s, STEPS, lr))[0]
            for _ in range(max(1, args.repeat // 2))
        )
        ref_ns = ref / (grid * grid * STEPS) * 1e9
        for threads in (1, cores):
            numba.set_num_threads(threads)
            walls, taken = [], 0
            for _ in range(args.repeat):
                wall, result = timed(lambda g=grid: basin_map(surface, "adam", grid=g, steps=STEPS, lr=lr))
                walls.append(wall)
                taken = int(result.steps.sum())
            wall = statistics.median(walls)
            print(
                f"| {grid}² | {threads} | {wall:.3f} s | {taken:,} | {wall / taken * 1e9:.2f} "
                f"| {ref_ns:.2f} ({ref_ns / (wall / taken * 1e9):.1f}× slower) |"
            )
        numba.set_num_threads(cores)


if __name__ == "__main__":
    main()
