"""One parallel kernel at a time per process.

numba runs ``parallel=True`` kernels on its threading layer. The ``workqueue`` layer, which numba
falls back to where no OpenMP or TBB library is installed (a bare Debian has no libgomp), is not
thread-safe: the race worker regridding the contour while the maps' thread runs a batch aborts
the whole process. Every call of a parallel kernel (``loss_grid``, ``run_batch``) holds this lock;
each call is short (a grid, or one block of map rows), so a waiting thread waits briefly.
"""

from __future__ import annotations

import threading

LOCK = threading.RLock()
