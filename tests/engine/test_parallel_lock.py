"""Two threads running parallel kernels at once must not abort the process.

numba falls back to its ``workqueue`` threading layer where no OpenMP/TBB library is installed
(a bare Debian), and that layer aborts when two threads launch parallel kernels concurrently:
the race worker regridding while the maps' thread runs a batch did so (rc -6, no traceback).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import threading
import numpy as np
from engine.losses import get_loss
from engine.simulate import batch

surface = get_loss("himmelblau")
xs = np.linspace(-5, 5, 200)
errors = []

def grids():
    try:
        for _ in range(60):
            surface.grid(xs, xs)
    except Exception as exc:
        errors.append(exc)

def batches():
    try:
        starts = np.random.default_rng(0).uniform(-4, 4, (400, 2))
        for _ in range(60):
            batch(surface, "adam", starts, steps=200)
    except Exception as exc:
        errors.append(exc)

surface.grid(xs, xs)
batch(surface, "adam", np.zeros((4, 2)), steps=2)
import numba
threads = [threading.Thread(target=grids), threading.Thread(target=batches)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(numba.threading_layer(), "ok" if not errors else errors)
"""


def test_a_grid_and_a_batch_at_once_on_the_workqueue_layer_do_not_abort() -> None:
    env = dict(os.environ, NUMBA_THREADING_LAYER="workqueue")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["workqueue", "ok"]
