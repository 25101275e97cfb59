"""The recorded arrays of one run, and their CSV / JSON / NPZ forms.

What each row holds is declared once, in ``engine.record`` (``FIELDS``): row 0 is the start,
row t what step t did.

The arrays hold 0.0 where a value does not exist (step 0's g, rate and Δw; G of an
optimizer without a per-weight rate; M of one without momentum). The CSV and JSON files
say so: an empty cell or ``null``, so a 0 in a file is always a real zero. Reading
them back gives the arrays again (absent → 0.0).

A CSV of a data loss or a noisy gradient also says what reproduces it (``stochastic``): after the
header line, before the run's rows, lines ``# key: value`` (value in JSON) — the dataset, its
SHA-256, the columns, the model, the standardisation, the rows, the batch size, σ and the seed.
They come after the header, not before it, because ``numpy.genfromtxt(names=True)`` takes the
first line, commented or not, as the names and ``numpy.loadtxt(skiprows=1)`` counts comment lines;
both skip ``#`` lines below the header, as does ``pandas.read_csv(comment="#")``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engine.optimizers import OPTIMIZERS
from engine.record import CSV_COLUMNS, EPOCH_COLUMN, FIELDS
from engine.record import NAMES as ARRAYS

FINISHED, CONVERGED, DIVERGED = "finished", "converged", "diverged"
#: Columns (CSV) and arrays (JSON) that step 0 does not have: it took no step (``Field.at_start``).
ABSENT_AT_START = {n for f in FIELDS if not f.at_start for n in (f.name, *f.columns)}


def absent_columns(optimizer: str) -> set[str]:
    """What an optimizer does not have (``Field.needs``): G without a per-weight rate, M without momentum."""
    info = OPTIMIZERS.get(optimizer)
    if info is None:
        return set()
    return {n for f in FIELDS if f.needs and not getattr(info, f.needs) for n in (f.name, *f.columns)}


def _number_or_zero(text: str) -> float:
    return float(text) if text.strip() else 0.0


def _zero_for_null(value: Any) -> Any:
    if value is None:
        return 0.0
    if isinstance(value, list):
        return [_zero_for_null(v) for v in value]
    return value


#: What starts a CSV line of metadata (``csv_metadata``) rather than a row.
CSV_COMMENT = "#"
#: The order of the metadata lines: ``DataSpec.to_dict()``'s keys (the file's SHA-256 among them),
#: then the rest of ``Trajectory.stochastic``.
_DATA_KEYS = ("dataset", "sha256", "model", "x", "y", "positive", "standardize")
_RUN_KEYS = ("rows", "batch_size", "noise", "seed")


def csv_metadata(stochastic: dict[str, Any]) -> str:
    """``# key: value`` lines (value in JSON, so a path with a newline stays on its line) for a CSV.

    Empty for an exact formula run, whose CSV stays as it always was. A logistic model's
    ``positive`` class is written only when there is one.
    """
    data = stochastic.get("data") or {}
    items = [(k, data[k]) for k in _DATA_KEYS if k in data and (k != "positive" or data[k])]
    items += [(k, stochastic[k]) for k in _RUN_KEYS if k in stochastic]
    items += [(k, v) for k, v in stochastic.items() if k not in _RUN_KEYS and k != "data"]
    return "".join(f"{CSV_COMMENT} {k}: {json.dumps(v, allow_nan=False)}\n" for k, v in items)


def parse_csv_metadata(lines: list[str]) -> dict[str, Any]:
    """``Trajectory.stochastic`` back from ``csv_metadata`` lines (other comment lines are ignored)."""
    out: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for line in lines:
        key, sep, value = line.lstrip(CSV_COMMENT).strip().partition(": ")
        if not sep:
            continue
        try:
            parsed = json.loads(value)
        except ValueError:
            continue
        if key in _DATA_KEYS:
            data[key] = parsed
        else:
            out[key] = parsed
    if data:
        data.setdefault("positive", "")
        out = {"data": data, **out}
    return out


#: The largest file ``Trajectory.load`` reads (1 GiB: about 5 million CSV rows).
MAX_LOAD_BYTES = 1 << 30


@dataclass
class RecordedRows:
    """Recorded rows as separate arrays: a step's numbers, as the inspector and the GUI take them.

    ``step`` is the step number of each row (0, 1, 2, … unless a long run was thinned out).
    """

    step: np.ndarray
    w: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    G: np.ndarray
    M: np.ndarray
    lr: np.ndarray
    dw: np.ndarray


assert tuple(RecordedRows.__dataclass_fields__) == ("step", *ARRAYS), "RecordedRows must follow engine.record"


@dataclass
class Trajectory(RecordedRows):
    """Everything a run recorded, with what it ran; arrays have one row per recorded step."""

    optimizer: str
    loss_spec: str
    hyperparameters: dict[str, float]
    schedule: str
    start: tuple[float, float]
    status: str = FINISHED
    #: The step at which the run diverged (its row is not recorded), else None.
    diverged_at: int | None = None
    loss_params: dict[str, float] = field(default_factory=dict)
    #: In a race: the racer's key and label, and its mid-run edits (``Edit.to_dict()``: new
    #: settings from step ``after_step + 1`` on; ``hyperparameters`` are those of step 1).
    racer: str = ""
    label: str = ""
    edits: list[dict[str, Any]] = field(default_factory=list)
    #: A data loss or a stochastic gradient: ``data`` (``DataSpec.to_dict()``, its sha256 that of the
    #: file read), ``rows``, ``batch_size``, ``noise``, ``seed``; empty for an exact formula run.
    stochastic: dict[str, Any] = field(default_factory=dict)

    @property
    def epoch(self) -> np.ndarray | None:
        """Passes over the data at each row (a data loss only; ``engine.data.epoch_at``)."""
        rows = int(self.stochastic.get("rows", 0))
        if rows <= 0:
            return None
        from engine.data import epoch_at

        size = int(self.stochastic.get("batch_size", 0))
        return np.array([epoch_at(int(t), size, rows) for t in self.step], dtype=np.float64)

    @property
    def steps(self) -> int:
        """How many steps were taken (the last recorded step number)."""
        return int(self.step[-1]) if self.step.size else 0

    # -- serialisation -------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "loss_spec": self.loss_spec,  # not "loss": in JSON that key holds the L(w) array
            "loss_params": self.loss_params,
            "hyperparameters": self.hyperparameters,
            "schedule": self.schedule,
            "start": list(self.start),
            "status": self.status,
            "diverged_at": self.diverged_at,
            "steps": self.steps,
            **({"racer": self.racer, "label": self.label} if self.racer else {}),
            **({"edits": self.edits} if self.edits else {}),
            **({"stochastic": self.stochastic} if self.stochastic else {}),
        }

    def table(self) -> np.ndarray:
        """The CSV columns as one float array, a column per ``CSV_COLUMNS`` entry."""
        return np.column_stack([self.step, *(getattr(self, f.name) for f in FIELDS if f.columns)])

    def to_csv(
        self, extra: dict[str, str] | None = None, *, header: bool = True, metadata: bool = True
    ) -> str:
        """CSV text in ``CSV_COLUMNS`` order; ``repr`` of floats round-trips exactly.

        ``header`` writes the column names, ``metadata`` the ``csv_metadata`` lines below them:
        a streamed run's later pieces leave out both, a race's later racers the header only.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        extra = extra or {}
        epoch = self.epoch
        if header:
            epoch_column = [EPOCH_COLUMN] if epoch is not None else []
            writer.writerow([*extra, "step", *epoch_column, *CSV_COLUMNS[1:]])
        if metadata:
            buf.write(csv_metadata(self.stochastic))
        absent = absent_columns(self.optimizer)
        always = [c in absent for c in CSV_COLUMNS[1:]]
        at_start = [c in absent or c in ABSENT_AT_START for c in CSV_COLUMNS[1:]]
        for i, (row, step) in enumerate(zip(self.table(), self.step, strict=True)):
            skip = at_start if step == 0 else always
            cells = ("" if off else repr(float(v)) for v, off in zip(row[1:], skip, strict=True))
            before = [repr(float(epoch[i]))] if epoch is not None else []
            writer.writerow([*extra.values(), int(step), *before, *cells])
        return buf.getvalue()

    def to_json_dict(self) -> dict[str, Any]:
        """Metadata and arrays; ``null`` where a value does not exist (see the module's docstring)."""
        data = self.metadata()
        data["step"] = self.step.tolist()
        absent = absent_columns(self.optimizer)
        start = self.step.size > 0 and self.step[0] == 0
        for name in ARRAYS:
            values = np.asarray(getattr(self, name)).tolist()
            if name in absent:
                values = [[None, None] for _ in values]
            elif start and name in ABSENT_AT_START and values:
                values[0] = [None, None]
            data[name] = values
        return data

    def save(self, path: str | Path) -> None:
        """Write .csv, .json or .npz by the file's suffix (atomically)."""
        from engine.atomic import atomic_write_bytes

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            payload = self.to_csv().encode()
        elif suffix == ".json":
            payload = json.dumps(self.to_json_dict(), allow_nan=True).encode()
        elif suffix == ".npz":
            buf = io.BytesIO()
            np.savez(
                buf,
                metadata=np.array(json.dumps(self.metadata())),
                step=self.step,
                **{name: getattr(self, name) for name in ARRAYS},
            )
            payload = buf.getvalue()
        else:
            raise ValueError(f"cannot write {path.name!r}: use a .csv, .json or .npz file")
        atomic_write_bytes(path, payload)

    @classmethod
    def load(cls, path: str | Path) -> Trajectory:
        """Read a file written by ``save`` (JSON or NPZ carry the full metadata).

        Only a regular file of at most ``MAX_LOAD_BYTES`` is read (``engine.reading``): a FIFO or a
        device raises ``FileRefused`` instead of hanging or filling memory.
        """
        from engine.reading import parse_json, read_regular_file

        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".npz", ".csv"):
            raise ValueError(f"cannot read {path.name!r}: use a .csv, .json or .npz file")
        raw = read_regular_file(path, MAX_LOAD_BYTES, "a trajectory file")
        if suffix == ".json":
            data = parse_json(raw, parse_constant=float)  # a saved run may hold NaN or inf
            arrays = {name: np.array(_zero_for_null(data[name]), dtype=np.float64) for name in ARRAYS}
            step = np.array(data["step"], dtype=np.int64)
            meta = data
        elif suffix == ".npz":
            with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
                meta = json.loads(str(npz["metadata"]))
                arrays = {name: npz[name] for name in ARRAYS}
                step = npz["step"]
        else:
            return cls.from_csv(raw.decode("utf-8"))
        return cls(
            optimizer=meta["optimizer"],
            loss_spec=meta["loss_spec"],
            hyperparameters=dict(meta["hyperparameters"]),
            schedule=meta["schedule"],
            start=tuple(meta["start"]),
            step=step,
            status=meta["status"],
            diverged_at=meta["diverged_at"],
            loss_params=dict(meta.get("loss_params", {})),
            racer=str(meta.get("racer", "")),
            label=str(meta.get("label", "")),
            edits=list(meta.get("edits", [])),
            stochastic=dict(meta.get("stochastic", {})),
            **arrays,
        )

    @classmethod
    def from_csv(cls, text: str) -> Trajectory:
        """Arrays back from CSV text, with ``stochastic`` from its ``# key: value`` lines (the
        optimizer, hyperparameters and the rest of the metadata are not in CSV)."""
        lines = io.StringIO(text).readlines()
        comments = [line for line in lines if line.startswith(CSV_COMMENT)]
        rows = list(csv.reader(line for line in lines if not line.startswith(CSV_COMMENT)))
        header, body = rows[0], rows[1:]
        idx = [header.index(c) for c in CSV_COLUMNS]
        table = np.array([[_number_or_zero(r[i]) for i in idx] for r in body], dtype=np.float64)
        arrays, col = {}, 1
        for f in FIELDS:
            if f.columns:
                arrays[f.name] = table[:, col : col + 2] if f.per_weight else table[:, col]
                col += len(f.columns)
        w = arrays["w"]
        dw = np.zeros_like(w)  # Δw is not a CSV column: w(t) − w(t−1)
        dw[1:] = np.diff(w, axis=0)
        arrays["dw"] = dw
        return cls(
            optimizer="",
            loss_spec="",
            hyperparameters={},
            schedule="constant",
            start=(float(w[0, 0]), float(w[0, 1])),
            step=table[:, 0].astype(np.int64),
            stochastic=parse_csv_metadata(comments),
            **arrays,
        )
