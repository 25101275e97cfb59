"""Running the engine in a fresh process against a given kernel cache (shared by the cache tests).

Every run is a subprocess: a cache file that aborts the process while numba links it must
not take pytest with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TYPED = "x^2 + 3*y^2"
OTHER = "x^4 + y^4"
# One run on a built-in surface and one on a typed loss; what the cache must reproduce.
RUN = f"""
import numpy as np
from engine import get_loss, simulate
t = simulate('quadratic', 'adam', steps=5)
print('builtin', repr(tuple(float(v) for v in t.w[-1])))
s = get_loss({TYPED!r})
print('typed', repr(tuple(float(v) for v in s.kernels_module.loss_value_grad(0, 1.0, 1.0, np.zeros(1)))))
w = simulate(s, 'sgd', start=(-2.0, 2.0), steps=1, lr=0.1).w[-1]
print('step', repr(tuple(round(float(v), 12) for v in w)))
"""
# L(1, 1) = 4 with gradient (2, 6); one SGD step of 0.1 from (-2, 2) against (-4, 12) lands on (-1.6, 0.8).
TYPED_LINES = ["typed (4.0, 2.0, 6.0)", "step (-1.6, 0.8)"]


def engine_env(cache_root: Path | None, **extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("NUMBA_CACHE_DIR", None)
    env["OPTIMIZER_LAB_MACHINE_CACHE"] = env.get("OPTIMIZER_LAB_MACHINE_CACHE", "")
    if cache_root is not None:
        env["OPTIMIZER_LAB_CACHE_DIR"] = str(cache_root)
    return env


def run_engine(
    env: dict[str, str], code: str = RUN, user: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        user=user,
        group=user,
    )


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("optimizer-lab: ")]


def kernels_folder(cache_root: Path) -> Path:
    (folder,) = cache_root.glob("numba-*")
    return folder


def restore(pristine: Path, cache_root: Path) -> None:
    """Put back a filled cache at the path it was filled at (numba's folder names hash that path)."""
    shutil.rmtree(cache_root, ignore_errors=True)
    shutil.copytree(pristine, cache_root, symlinks=True)
