"""A corrupt numba cache (a truncated index after a crash or a full disk) is rebuilt, not fatal.

numba unpickles ``*.nbi`` index files without catching errors, so one half-written file
makes every later start fail in the worker thread. ``engine._cache`` should notice and
start over with an empty cache directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = (
    "from engine import simulate\n"
    "t = simulate('quadratic', 'adam', steps=5)\n"
    "print(repr(tuple(float(v) for v in t.w[-1])))\n"
)


def _simulate(cache_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPTIMIZER_LAB_CACHE_DIR": str(cache_root)}
    env.pop("NUMBA_CACHE_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", RUN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_truncated_cache_files_are_rebuilt(tmp_path: Path) -> None:
    first = _simulate(tmp_path)
    assert first.returncode == 0, first.stderr
    cached = [p for p in tmp_path.rglob("*") if p.suffix in (".nbi", ".nbc")]
    assert cached, "the first run should have filled the cache"
    for path in cached:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

    second = _simulate(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.stdout == first.stdout

    third = _simulate(tmp_path)  # and the rebuilt cache is whole again
    assert third.returncode == 0, third.stderr[-3000:]
    assert third.stdout == first.stdout
