"""Optimizer Lab's engine: optimizers, loss surfaces and runs, with no GUI dependency.

Usable from a notebook::

    from engine import simulate
    traj = simulate("rosenbrock", "adam", start=(-1.2, 1.0), steps=500, lr=0.05)
    traj.w[-1], traj.status
"""

from engine._cache import CACHE_DIR
from engine.losses import LOSSES, Surface, get_loss
from engine.optimizers import OPTIMIZERS, Optimizer, get_optimizer
from engine.schedules import Schedule
from engine.simulate import BatchResult, Chunk, Run, batch, simulate  # numba loads on first run
from engine.trajectory import Trajectory

__version__ = "0.1.0"

__all__ = [
    "CACHE_DIR",
    "LOSSES",
    "OPTIMIZERS",
    "BatchResult",
    "Chunk",
    "Optimizer",
    "Run",
    "Schedule",
    "Surface",
    "Trajectory",
    "batch",
    "get_loss",
    "get_optimizer",
    "simulate",
]
