"""Losses from data: linear and logistic regression with two weights, so they live on the contour.

``DataSpec`` says which table, which columns and which model; ``data_surface`` turns it into a
``Surface`` whose contour, grid and gradient are the FULL-data loss (mean squared error for linear,
mean cross-entropy for logistic), with the exact minimum as its ☆. Runs on it may use minibatches
and gradient noise (``engine._stochastic``); ``batch_indices`` and ``epoch_at`` say which rows a
step used and how many passes over the data that is.

Rows with a missing value in either chosen column are left out (the surface's note says how many);
everything else that cannot make a loss is a ``DataError`` naming the problem and what is allowed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from engine import _ids as K
from engine.datasets import DATASETS, DataError, Table, load_table
from engine.messages import msg
from engine.state import DATA, NDATA
from engine.surface import Surface

__all__ = [
    "MODELS",
    "DataError",
    "DataProblem",
    "DataSpec",
    "batch_indices",
    "data_surface",
    "epoch_at",
    "pinned",
    "steps_per_epoch",
]

#: The data models: their kernel ids and the formula of their loss.
MODELS = {
    "linear": (K.LINEAR, "L = (1/n)·Σ (w1·x + w2 − y)²"),
    "logistic": (K.LOGISTIC, "L = (1/n)·Σ [log(1 + e^z) − y·z],  z = w1·x + w2"),
}
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: Seeds are whole numbers that a float64 vector holds exactly.
MAX_SEED = 2**53 - 1


@dataclass(frozen=True)
class DataSpec:
    """A data loss: the table (built-in name or CSV path), the model, the two columns.

    ``standardize`` rescales x to mean 0 and standard deviation 1 (and, for linear regression, y
    too, so both weights are of order 1 and the bowl is round: w1 is then the correlation).
    ``positive`` is logistic regression's class counted as 1 (every other class is 0); a numeric
    y column without it must hold only 0 and 1. ``sha256`` is the CSV's content hash when the
    spec was saved: a file that changed since is reported in the surface's note.
    """

    dataset: str
    model: str
    x: str
    y: str
    standardize: bool = False
    positive: str = ""
    sha256: str = ""

    def __post_init__(self) -> None:
        for name in ("dataset", "x", "y"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise DataError(msg("the data's {field} must be a non-empty name", field=name))
        if self.model not in MODELS:
            raise DataError(
                msg(
                    "model {model} is not known; use one of {allowed}",
                    model=repr(self.model),
                    allowed=", ".join(MODELS),
                )
            )
        if not isinstance(self.standardize, bool):
            raise DataError(msg("'standardize' must be true or false"))
        if not isinstance(self.positive, str):
            raise DataError(msg("the positive class must be text"))
        if not isinstance(self.sha256, str) or (self.sha256 and not _SHA256.fullmatch(self.sha256)):
            raise DataError(msg("'sha256' must be 64 hexadecimal digits (a CSV file's SHA-256)"))

    @property
    def builtin(self) -> bool:
        return self.dataset in DATASETS

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "model": self.model,
            "x": self.x,
            "y": self.y,
            "standardize": self.standardize,
            "positive": self.positive,
            "sha256": self.sha256,
        }

    @classmethod
    def from_dict(cls, data: Any) -> DataSpec:
        if not isinstance(data, dict):
            raise DataError(msg("'data' must be an object"))
        allowed = {"dataset", "model", "x", "y", "standardize", "positive", "sha256"}
        extra = sorted(set(data) - allowed)
        if extra:
            raise DataError(msg("unknown data field(s): {fields}", fields=", ".join(extra)))
        missing = sorted({"dataset", "model", "x", "y"} - set(data))
        if missing:
            raise DataError(msg("the data lacks {fields}", fields=", ".join(missing)))
        return cls(**data)

    def describe(self) -> str:
        """One line for titles and metadata: ``penguins: flipper_length_mm → body_mass_g (linear)``."""
        source = self.dataset if self.builtin else self.dataset.replace("\\", "/").rsplit("/", 1)[-1]
        extra = ", standardised" if self.standardize else ""
        positive = f" = {self.positive}" if self.positive else ""
        return f"{source}: {self.x} → {self.y}{positive} ({self.model}{extra})"


@dataclass(frozen=True, eq=False)
class DataProblem:
    """The data a loss is made of, as used (after leaving out missing rows and standardising).

    ``X``, ``Y`` are what the kernels fit (Y is 0/1 for logistic); ``x_mean``, ``x_std`` (and
    ``y_mean``, ``y_std``) are the raw columns' statistics that standardising used (0 and 1 when it
    did not). ``P`` is the kernels' parameter vector (``engine.state.DATA`` header, X, Y).
    """

    spec: DataSpec
    X: np.ndarray
    Y: np.ndarray
    x_mean: float
    x_std: float
    y_mean: float
    y_std: float
    #: Rows of the table left out for a missing value in x or y.
    dropped: int
    #: The SHA-256 of the file read, and the table's name for messages.
    sha256: str
    source: str
    #: Logistic with a text y: the classes found (the positive one counts as 1).
    classes: tuple[str, ...] = ()
    P: np.ndarray = field(default_factory=lambda: np.zeros(NDATA), repr=False)

    @property
    def n(self) -> int:
        return int(self.X.shape[0])

    @property
    def model_id(self) -> int:
        return MODELS[self.spec.model][0]

    def predict(self, w1: float, w2: float, xs: np.ndarray) -> np.ndarray:
        """The model at (w1, w2) on inputs ``xs`` (in X's units): the line w1·x + w2, or σ(w1·x + w2)."""
        z = w1 * np.asarray(xs, dtype=np.float64) + w2
        if self.spec.model == "linear":
            return z
        return 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) without overflow warnings


def _pack(model: str, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    P = np.zeros(NDATA + 2 * X.size)
    header = dict.fromkeys(DATA, 0.0)
    header["rows"] = float(X.size)
    if model == "linear":
        xm, ym = float(X.mean()), float(Y.mean())
        header.update(
            x_mean=xm,
            y_mean=ym,
            x_var=float(np.mean((X - xm) ** 2)),
            xy_cov=float(np.mean((X - xm) * (Y - ym))),
            y_var=float(np.mean((Y - ym) ** 2)),
        )
    P[:NDATA] = [header[name] for name in DATA]
    P[NDATA : NDATA + X.size] = X
    P[NDATA + X.size :] = Y
    return P


def _targets(table: Table, spec: DataSpec) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """(y as numbers, which rows have one, the classes) for the model; DataError if unusable."""
    values = table.column(spec.y, "y")
    if spec.model == "linear":
        y = table.numbers(spec.y, "y")
        return y, ~np.isnan(y), ()
    if isinstance(values, np.ndarray):
        present = ~np.isnan(values)
        found = sorted({float(v) for v in values[present]})
        labels = tuple(f"{v:g}" for v in found)
        if spec.positive:
            try:
                positive = float(spec.positive)
            except ValueError:
                positive = math.nan
            if positive not in found:
                raise _no_class(spec, labels)
            return np.where(values == positive, 1.0, 0.0), present, labels
        if not set(found) <= {0.0, 1.0}:
            raise DataError(
                msg(
                    "column {name} holds {values}: logistic regression needs 0 and 1, "
                    "or a positive class to count as 1",
                    name=repr(spec.y),
                    values=", ".join(labels[:8]),
                )
            )
        return values, present, labels
    present = np.array([v not in _missing() for v in values], dtype=bool)
    classes = tuple(sorted({v for v, p in zip(values, present, strict=True) if p}))
    if not spec.positive:
        raise DataError(
            msg(
                "column {name} holds classes; choose the positive one (counted as 1): {classes}",
                name=repr(spec.y),
                classes=", ".join(classes[:12]),
            )
        )
    if spec.positive not in classes:
        raise _no_class(spec, classes)
    y = np.array([1.0 if v == spec.positive else 0.0 for v in values])
    return y, present, classes


def _missing() -> frozenset[str]:
    from engine.datasets import MISSING

    return MISSING


def _no_class(spec: DataSpec, classes: tuple[str, ...]) -> DataError:
    return DataError(
        msg(
            "column {name} has no class {positive}; its classes are: {classes}",
            name=repr(spec.y),
            positive=repr(spec.positive),
            classes=", ".join(classes[:12]),
        )
    )


def load_problem(spec: DataSpec) -> DataProblem:
    """The rows of ``spec``'s table as the loss uses them; DataError for anything unusable."""
    table = load_table(spec.dataset)
    x = table.numbers(spec.x, "x")
    y, y_present, classes = _targets(table, spec)
    keep = ~np.isnan(x) & y_present
    X = x[keep]
    Y = y[keep]
    dropped = int(table.rows - X.size)
    if X.size < 2:
        raise DataError(
            msg(
                "{source} has {count} usable rows for {x} → {y} ({dropped} with a missing value left out); "
                "a fit needs at least 2",
                source=table.source,
                count=int(X.size),
                x=spec.x,
                y=spec.y,
                dropped=dropped,
            )
        )
    if spec.model == "logistic":
        ones = int(np.count_nonzero(Y))
        if ones in (0, X.size):
            only = spec.positive if ones else (next((c for c in classes if c != spec.positive), "0"))
            raise DataError(
                msg(
                    "every usable row of column {name} is {only}: "
                    "logistic regression needs rows of two classes",
                    name=repr(spec.y),
                    only=repr(only),
                )
            )
    x_mean, x_std = float(X.mean()), float(X.std())
    y_mean, y_std = 0.0, 1.0
    if spec.standardize:
        if not x_std > 0:
            raise DataError(msg("column {name} is constant, so it cannot be standardised", name=repr(spec.x)))
        X = (X - x_mean) / x_std
        if spec.model == "linear":
            y_mean, y_std = float(Y.mean()), float(Y.std())
            if not y_std > 0:
                raise DataError(
                    msg("column {name} is constant, so it cannot be standardised", name=repr(spec.y))
                )
            Y = (Y - y_mean) / y_std
    else:
        x_mean, x_std = 0.0, 1.0
    X = np.ascontiguousarray(X, dtype=np.float64)
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    return DataProblem(
        spec, X, Y, x_mean, x_std, y_mean, y_std, dropped, table.sha256, table.source, classes,
        _pack(spec.model, X, Y),
    )  # fmt: skip


def _logistic_minimum(X: np.ndarray, Y: np.ndarray) -> tuple[float, float] | None:
    """Newton's method with step halving on the mean cross-entropy; None if the classes are separable."""

    def loss(w: np.ndarray) -> float:
        z = w[0] * X + w[1]
        return float(np.mean(np.logaddexp(0.0, z) - Y * z))

    w = np.zeros(2)
    A = np.column_stack([X, np.ones_like(X)])
    current = loss(w)
    for _ in range(200):
        p = 0.5 * (1.0 + np.tanh(0.5 * (A @ w)))
        grad = A.T @ (p - Y) / X.size
        hess = (A * (p * (1.0 - p))[:, None]).T @ A / X.size
        if np.linalg.norm(grad) < 1e-13:
            return float(w[0]), float(w[1])
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            return None
        size = 1.0
        while size > 1e-12:
            trial = w - size * step
            value = loss(trial)
            if value <= current:
                break
            size *= 0.5
        w, current = trial, value
        if not np.all(np.isfinite(w)) or np.abs(w).max() > 1e8:
            return None
    return None


def _view(start: tuple[float, float], best: tuple[float, float] | None) -> tuple[float, float, float, float]:
    """A window that holds the start and the minimum with a margin; square when the scales are alike."""
    if best is None:
        return (-10.0, 10.0, -10.0, 10.0)
    d = [max(abs(best[i] - start[i]), 1.0) for i in (0, 1)]
    if max(d) < 10 * min(d):
        d = [max(d), max(d)]
    lo = [min(best[i], start[i]) - 0.4 * d[i] for i in (0, 1)]
    hi = [max(best[i], start[i]) + 0.4 * d[i] for i in (0, 1)]
    return (lo[0], hi[0], lo[1], hi[1])


class DataKernels:
    """The kernel interface of ``engine._kernels`` for data losses (P holds the rows): exact runs.

    Stochastic runs (minibatches, noise) call ``engine._stochastic`` with their own settings."""

    _EXACT = np.zeros(4)

    @staticmethod
    def _module() -> Any:
        from engine import _stochastic  # numba loads on first use

        return _stochastic

    def init_state(
        self, model: int, P: np.ndarray, H: np.ndarray, x0: float, y0: float, S: np.ndarray
    ) -> None:
        self._module().init_state(model, P, H, float(x0), float(y0), S)

    def loss_value_grad(self, model: int, w1: float, w2: float, P: np.ndarray) -> tuple[float, float, float]:
        return self._module().loss_value_grad(model, float(w1), float(w2), P)

    def loss_grid(self, model: int, P: np.ndarray, xs: np.ndarray, ys: np.ndarray, out: np.ndarray) -> None:
        self._module().loss_grid(model, P, xs, ys, out)

    def run_chunk(self, model: int, P: np.ndarray, opt: int, *args: Any) -> tuple[int, int]:
        """(H, kind, sp, S, n, tol, row0, stride, pin, *record arrays), as ``_kernels.run_chunk``."""
        return self._module().run_chunk_data(model, P, self._EXACT, opt, *args)

    def run_batch(self, model: int, P: np.ndarray, opt: int, *args: Any) -> None:
        self._module().run_batch_data(model, P, self._EXACT, opt, *args)

    def prepare_batch(self, model: int, P: np.ndarray, opt: int, *args: Any) -> None:
        """``run_batch``'s machine code compiled or loaded now (``engine._parallel.compiled``)."""
        from engine._parallel import compiled

        compiled(self._module().run_batch_data, model, P, self._EXACT, opt, *args)


DATA_KERNELS = DataKernels()


def data_surface(spec: DataSpec) -> Surface:
    """The full-data loss of ``spec`` as a surface (☆ at the exact minimum); DataError if unusable."""
    problem = load_problem(spec)
    model_id, formula = MODELS[spec.model]
    start = (0.0, 0.0)
    if spec.model == "linear":
        X, Y = problem.X, problem.Y
        w1 = (
            float(np.mean((X - X.mean()) * (Y - Y.mean())) / np.mean((X - X.mean()) ** 2))
            if X.std() > 0
            else 0.0
        )
        best: tuple[float, float] | None = (w1, float(Y.mean() - w1 * X.mean()))
        if not X.std() > 0:
            best = None
    else:
        best = _logistic_minimum(problem.X, problem.Y)
    notes = []
    if problem.dropped:
        notes.append(
            msg(
                "{dropped} of {rows} rows have a missing {x} or {y} and are left out; the loss uses {used}.",
                dropped=problem.dropped,
                rows=problem.dropped + problem.n,
                x=spec.x,
                y=spec.y,
                used=problem.n,
            )
        )
    if spec.sha256 and spec.sha256 != problem.sha256:
        notes.append(
            msg(
                "{source} has changed since this session was saved (its SHA-256 differs): "
                "the numbers will not be those of the saved race.",
                source=problem.source,
            )
        )
    if best is None:
        notes.append(
            msg(
                "No minimum: the loss keeps falling as the weights grow "
                "(the classes are separable, or x is constant)."
            )
        )
    return Surface(
        name="data",
        title=spec.describe(),
        formula=formula,
        view=_view(start, best),
        start=start,
        minima=(best,) if best is not None else (),
        log_levels=not spec.standardize,
        kernel_id=model_id,
        kernels_module=DATA_KERNELS,  # type: ignore[arg-type]
        note=_joined(notes),
        data=problem,
    )


def _joined(notes: list[str]) -> str:
    """The notes as one message that stays translatable (a plain join would be English only)."""
    note = notes[0] if notes else ""
    for more in notes[1:]:
        note = msg("{first} {second}", first=note, second=more)
    return note


def pinned(spec: DataSpec) -> DataSpec:
    """``spec`` with the SHA-256 of its CSV as the file is now, so a session can tell a changed file.

    A built-in dataset, a spec that already has a hash, or a file that cannot be read: unchanged."""
    if spec.builtin or spec.sha256:
        return spec
    try:
        return replace(spec, sha256=load_table(spec.dataset).sha256)
    except DataError:
        return spec


def steps_per_epoch(batch_size: int, n: int) -> int:
    """⌈n/B⌉ minibatches make an epoch (the last may be smaller); 1 for the full batch (B = 0 or ≥ n)."""
    return 1 if batch_size <= 0 or batch_size >= n else -(-n // batch_size)


def epoch_at(step: int, batch_size: int, n: int) -> float:
    """Passes over the data after ``step`` steps: whole epochs + the share of rows used in the current one."""
    if step <= 0 or n <= 0:
        return 0.0
    k = steps_per_epoch(batch_size, n)
    if k == 1:
        return float(step)
    epoch, j = divmod(step - 1, k)
    return epoch + min((j + 1) * batch_size, n) / n


def batch_indices(n: int, batch_size: int, seed: int, step: int) -> np.ndarray:
    """The rows (indices into ``DataProblem.X``) step ``step`` (from 1) used; all for the full batch."""
    k = steps_per_epoch(batch_size, n)
    if k == 1 or step <= 0:
        return np.arange(n if step > 0 else 0, dtype=np.int64)
    from engine._stochastic import permute_epoch

    epoch, j = divmod(step - 1, k)
    rows = np.empty(n, dtype=np.int64)
    permute_epoch(seed, epoch, n, rows)
    return rows[j * batch_size : min((j + 1) * batch_size, n)].copy()
