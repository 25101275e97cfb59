"""One record schema: what a run records at each step, declared once, and how a long record thins.

Row 0 of a record is the start (w0, L(w0), zeros elsewhere); row t holds what step t did: the
gradient g(t) it used (taken at w(t−1)), the state G(t), M(t) after it, the effective per-weight
rate it applied, Δw(t) and the point w(t) it reached. ``FIELDS`` lists them in the order the
kernels' ``run_chunk`` takes its record arrays; the run's buffers, chunks, trajectories, the
window's history, the CSV / JSON / NPZ files and the step inspector all read this tuple, so a
new recorded quantity is one entry here plus the kernel argument that fills it.

Thinning: past a row limit a record keeps the rows whose step is a multiple of a power-of-two
stride (and, where the current point matters, its last row). ``thin_rows`` is the one rule; the
engine's ``Run``, the worker's chunks and the window's history all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    """One recorded quantity: an array of shape (rows, 2) per weight, or (rows,) for the loss."""

    name: str
    per_weight: bool
    #: CSV column stem: ``g`` gives the columns g1, g2 (the CLI's contract); "" = not in CSV.
    column: str
    description: str

    @property
    def columns(self) -> tuple[str, ...]:
        if not self.column:
            return ()
        return (f"{self.column}1", f"{self.column}2") if self.per_weight else (self.column,)

    def shape(self, rows: int) -> tuple[int, ...]:
        return (rows, 2) if self.per_weight else (rows,)


FIELDS: tuple[Field, ...] = (
    Field("w", True, "w", "the point w(t) the step reached"),
    Field("loss", False, "loss", "L(w(t))"),
    Field("grad", True, "g", "the gradient g(t) the step used, taken at w(t−1)"),
    Field("G", True, "G", "the second moment / squared-gradient accumulator after the step"),
    Field("M", True, "M", "the velocity / first moment after the step"),
    Field("lr", True, "lr", "the effective per-weight rate the step applied"),
    Field("dw", True, "", "the step Δw(t) = w(t) − w(t−1)"),
)
#: The recorded arrays' names, in the kernels' argument order.
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: The per-weight ones (shape (rows, 2)).
VECTOR_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.per_weight)
#: Column order of CSV output (the CLI's contract): the step, then each field's columns.
CSV_COLUMNS: tuple[str, ...] = ("step", *(c for f in FIELDS for c in f.columns))


def empty_arrays(rows: int) -> dict[str, np.ndarray]:
    """Zeroed arrays of every field for ``rows`` rows, by name."""
    return {f.name: np.zeros(f.shape(rows)) for f in FIELDS}


def on_stride(steps: np.ndarray, stride: int) -> np.ndarray:
    """Which rows a power-of-two ``stride`` keeps: those whose step is a multiple of it."""
    return (steps & (stride - 1)) == 0


def thin_rows(
    steps: np.ndarray, limit: int, stride: int = 1, *, keep_last: bool = True
) -> tuple[np.ndarray, int]:
    """Row indices to keep so that at most ``limit`` rows remain, and the stride that keeps them.

    The stride is the smallest power of two, at least ``stride``, that keeps fewer than ``limit``
    rows on it (chosen by counting, so rows are copied once however far it doubles); the last row
    is kept too when ``keep_last`` (it is the run's current point, or where it ended). ``steps``
    must be step numbers (int64), ascending.
    """
    body = steps[:-1] if keep_last and steps.size else steps
    while np.count_nonzero(on_stride(body, stride)) >= limit:
        stride *= 2
    idx = np.flatnonzero(on_stride(body, stride))
    if keep_last and steps.size:
        idx = np.append(idx, steps.size - 1)
    return idx, stride
