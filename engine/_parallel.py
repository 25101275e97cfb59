"""One parallel kernel at a time per process.

numba runs ``parallel=True`` kernels on its threading layer. The ``workqueue`` layer, which numba
falls back to where no OpenMP or TBB library is installed (a bare Debian has no libgomp), is not
thread-safe: the race worker regridding the contour while the maps' thread runs a batch aborts
the whole process. Every call of a parallel kernel (``loss_grid``, ``run_batch``) holds this lock;
each call is short (a grid, or one block of map rows), so a waiting thread waits briefly — once
the kernel is compiled: ``compiled`` gets its machine code before the lock is taken.
"""

from __future__ import annotations

import threading
from typing import Any

LOCK = threading.RLock()


def compiled(kernel: Any, *args: Any) -> None:
    """Compile ``kernel`` for ``args`` (or load it from the disk cache) now, outside ``LOCK``.

    A numba kernel compiles at its first call, and called inside the lock it compiled there: a
    fresh account's first map held the lock ~20 s while numba compiled the batch runner, and the
    race's contour could not regrid, nor a new surface appear, until it was done. Anything but a
    numba dispatcher (a kernel compiled when its module loads) is left alone.
    """
    compile_for = getattr(kernel, "compile", None)
    typeof = getattr(kernel, "typeof_pyval", None)
    if compile_for is not None and typeof is not None:
        compile_for(tuple(typeof(arg) for arg in args))
