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


def test_compiled_makes_a_kernels_code_for_exactly_the_arguments_without_running_it() -> None:
    import numpy as np
    from numba import njit

    from engine._parallel import compiled

    ran = []

    @njit
    def kernel(x, a):  # pragma: no cover (numba runs it)
        a[0] = x
        return x

    a = np.zeros(3)
    compiled(kernel, 2.0, a)
    assert [str(t) for t in kernel.signatures[0]] == ["float64", "array(float64, 1d, C)"]
    assert a[0] == 0.0  # compiled, not called
    compiled(ran.append, 1)  # not a numba dispatcher: left alone
    assert ran == []


def test_a_batch_compiles_its_runner_before_it_takes_the_lock(monkeypatch) -> None:
    """A fresh account's first map compiled the batch runner inside the lock (~20 s), and the
    race's contour could neither regrid nor show a new surface until it was done."""
    import numpy as np

    import engine._parallel as parallel
    from engine.data import DataSpec, data_surface
    from engine.losses import get_loss
    from engine.simulate import batch

    calls = []
    own = parallel.compiled

    def spy(kernel, *args):
        calls.append((getattr(kernel, "__name__", kernel), parallel.LOCK._is_owned()))
        own(kernel, *args)

    monkeypatch.setattr(parallel, "compiled", spy)
    batch(get_loss("himmelblau"), "adam", np.zeros((2, 2)), steps=3)
    penguins = data_surface(
        DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)
    )
    batch(penguins, "sgd", np.zeros((2, 2)), steps=3)
    assert calls == [("run_batch", False), ("run_batch_data", False)]
