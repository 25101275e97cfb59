"""Headless commands that need no Qt: ``run`` (one trajectory) and ``list`` (what exists).

``run --data penguins --model linear --x flipper_length_mm --y body_mass_g`` fits a data loss
(``engine.data``), with ``--batch-size`` for minibatches, ``--noise`` for gradient noise on any
loss and ``--seed`` for both; its CSV gains an ``epoch`` column after ``step``, and ``# key: value``
lines after the header that say what reproduces it (``engine.trajectory.csv_metadata``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engine.config import MAX_BATCH_SIZE, MAX_SEED
from engine.losses import LOSSES, Surface, get_loss
from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS, get_optimizer
from engine.schedules import KINDS
from engine.simulate import DEFAULT_TOL, Run
from engine.trajectory import Trajectory

if TYPE_CHECKING:
    from engine.data import DataSpec

#: Steps a ``run`` may take at most (CSV is streamed to disk, so this is a sanity bound, not memory).
MAX_RUN_STEPS = 10**12
#: Rows a ``run`` to .npz / .json may hold in memory by default: 112 bytes a row as arrays, about
#: 1.5 kB a row while JSON text is built (measured: 2 million rows took 3 GB); ``--max-rows`` lifts
#: it. CSV needs no such limit: it is streamed.
DEFAULT_MAX_ROWS = {".npz": 1_000_000, ".json": 200_000}
#: Steps simulated and written per piece when streaming CSV: ~1 MB of text, ~6 MB at the peak.
STREAM_CHUNK = 8192
#: Bytes of memory one recorded row takes (step, w, L, g, G, M, η, Δw as float64).
ROW_BYTES = 8 * 14


class UsageError(Exception):
    """A bad command-line value; the message is printed as one line."""


def parse_point(text: str, name: str = "--start") -> tuple[float, float]:
    """'X,Y' → (x, y); negative numbers are fine ('-1.2,1.0')."""
    parts = [p.strip() for p in text.split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        x, y = float(parts[0]), float(parts[1])
    except ValueError:
        raise UsageError(f"{name} must be two numbers X,Y (e.g. -1.2,1.0), got {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise UsageError(f"{name} must be finite numbers, got {text!r}")
    return x, y


def _fix_negative_values(argv: Sequence[str], options: set[str]) -> list[str]:
    """Join '--start -1,2' into '--start=-1,2' so argparse does not read -1,2 as an option."""
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in options:
            value = next(it, None)
            out.append(arg if value is None else f"{arg}={value}")
        else:
            out.append(arg)
    return out


HYPER_OPTIONS = {f"--{name.replace('_', '-')}": name for name in HYPERPARAMETERS}
VALUE_OPTIONS = {
    "--start",
    "--loss",
    "--optimizer",
    "--steps",
    "--schedule",
    "--out",
    "--tol",
    "--max-rows",
    "--data",
    "--model",
    "--x",
    "--y",
    "--positive",
    "--batch-size",
    "--noise",
    "--seed",
    *HYPER_OPTIONS,
}
#: The options that describe a data loss: they need --data.
DATA_OPTIONS = {
    "model": "--model",
    "x": "--x",
    "y": "--y",
    "positive": "--positive",
    "batch_size": "--batch-size",
}


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    """A data loss and the stochastic gradient (shared by ``run``, ``export`` and ``session``)."""
    data = p.add_argument_group(
        "data losses", "fit y ≈ w1·x + w2 to a table (see 'list' for the datasets and their columns)"
    )
    data.add_argument("--data", help="a built-in dataset (e.g. penguins) or a CSV file's path")
    data.add_argument(
        "--model", help="linear (mean squared error) or logistic (cross-entropy); default linear"
    )
    data.add_argument("--x", help="the input column")
    data.add_argument("--y", help="the target column (logistic: 0/1, or classes with --positive)")
    data.add_argument("--positive", help="logistic: the class of --y counted as 1 (the others are 0)")
    data.add_argument(
        "--standardize",
        action="store_true",
        help="rescale x (and a linear y) to mean 0, standard deviation 1",
    )
    data.add_argument(
        "--batch-size", help="rows per minibatch (default 0: the full batch, the exact gradient)"
    )
    p.add_argument("--noise", help="σ of Gaussian noise added to every gradient, on any loss (default 0)")
    p.add_argument("--seed", help="seed of the minibatches and the noise (default 0): same seed, same run")


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--loss", help="built-in surface name or an expression in x, y (default quadratic)")
    add_data_arguments(p)
    p.add_argument("--optimizer", default="adam", help="optimizer id (see 'list')")
    p.add_argument("--start", help="start point X,Y (default: the surface's own)")
    p.add_argument("--steps", default="500", help="number of steps (default 500)")
    p.add_argument(
        "--schedule",
        default="constant",
        help="learning-rate schedule, e.g. step:size=100,gamma=0.5",
    )
    p.add_argument("--tol", default=str(DEFAULT_TOL), help="stop as converged when ‖g‖ < tol")
    for option, name in HYPER_OPTIONS.items():
        h = HYPERPARAMETERS[name]
        p.add_argument(option, dest=name, help=f"{h.symbol}: {h.description}, in {h.range_text()}")
    p.add_argument("--out", help="write .csv, .json or .npz (default: CSV to stdout); CSV is streamed")
    p.add_argument(
        "--max-rows",
        help=f"rows a .npz or .json run may hold in memory (default {DEFAULT_MAX_ROWS['.npz']:,} "
        f"and {DEFAULT_MAX_ROWS['.json']:,}); "
        "CSV is streamed to disk and needs no limit",
    )


def _number(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {text!r}") from None


def whole_number(text: str, option: str, low: int, high: int) -> int:
    """'2000', '1e9' or '1_000_000' → an int in [low, high]; anything else is a UsageError naming the range.

    Scientific notation is read exactly (``Decimal``), so '1e9' is 1,000,000,000 and '1.5' is refused.
    """
    from decimal import Decimal, InvalidOperation

    allowed = f"a whole number in {low:,}…{high:,}"
    try:
        value = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        raise UsageError(f"{option} must be {allowed}, got {text[:40]!r}") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise UsageError(f"{option} must be {allowed}, got {text[:40]!r}")
    if value.adjusted() > len(str(high)) or not low <= value <= high:
        raise UsageError(f"{option} must be {allowed}, got {text[:40]}")
    return int(value)


def _steps(text: str) -> int:
    return whole_number(text, "--steps", 0, MAX_RUN_STEPS)


def _gib(rows: int) -> str:
    size = rows * ROW_BYTES
    return f"{size / 2**30:,.1f} GiB" if size >= 2**30 else f"{size / 2**20:,.0f} MiB"


def check_rows_in_memory(steps: int, max_rows: int, out: str, racers: int = 1) -> None:
    """Refuse a run whose whole record would not fit the memory limit, naming the limit and how to lift it."""
    rows = (steps + 1) * racers
    if rows > max_rows:
        raise UsageError(
            f"--steps {steps:,} would hold up to {rows:,} rows (about {_gib(rows)}) in memory "
            f"to write {out}; "
            f"the limit is {max_rows:,} rows: pass --max-rows {rows} to lift it, "
            "or write .csv, which is streamed to disk at any length"
        )


def stream_csv(
    run: Run,
    steps: int,
    write: Callable[[str], object],
    extra: dict[str, str] | None = None,
    *,
    header: bool = True,
) -> None:
    """Write the run's CSV (header and row 0 first) chunk by chunk as it runs: memory stays bounded.

    The text is exactly ``simulate(...).to_csv(extra)`` (chunked runs are bit-identical); ``write``
    may raise to stop the run (a full disk, a closed pipe). ``header=False`` leaves out the header
    line, not the run's metadata lines (the second racer of a race written to one file).
    """
    write(run.trajectory().to_csv(extra, header=header))
    while not run.done and run.t < steps:
        chunk = run.advance(min(STREAM_CHUNK, steps - run.t))
        if not len(chunk):
            break
        rows = Trajectory(
            optimizer=run.optimizer.id,
            loss_spec="",
            hyperparameters={},
            schedule="",
            start=run.start,
            step=chunk.step,
            w=chunk.w,
            loss=chunk.loss,
            grad=chunk.grad,
            G=chunk.G,
            M=chunk.M,
            lr=chunk.lr,
            dw=chunk.dw,
            stochastic=run.stochastic_metadata(),
        ).to_csv(extra, header=False, metadata=False)
        write(rows)


def cmd_run(args: argparse.Namespace) -> int:
    try:
        optimizer = get_optimizer(args.optimizer)
    except ValueError as exc:
        raise UsageError(f"--optimizer: {exc}") from None
    hyper = {}
    for option, name in HYPER_OPTIONS.items():
        value = getattr(args, name)
        if value is None:
            continue
        if name not in optimizer.defaults:
            raise UsageError(
                f"{option} does not apply to {optimizer.id}; it takes "
                + ", ".join("--" + n.replace("_", "-") for n in optimizer.defaults)
            )
        hyper[name] = _number(value, option)
    surface = _surface(args)
    stochastic = stochastic_settings(args)
    batch_size, noise, seed = (
        stochastic.get("batch_size", 0),
        stochastic.get("noise", 0.0),
        stochastic.get("seed", 0),
    )
    start = parse_point(args.start) if args.start else None
    steps = _steps(args.steps)
    suffix = os.path.splitext(args.out)[1].lower() if args.out else ".csv"
    if suffix not in (".csv", ".json", ".npz"):
        raise UsageError(
            f"--out: cannot write {os.path.basename(args.out)!r}: use a .csv, .json or .npz file"
        )
    streamed = suffix == ".csv"
    if args.max_rows:
        max_rows = whole_number(args.max_rows, "--max-rows", 2, 10**12)
    else:
        max_rows = DEFAULT_MAX_ROWS.get(suffix, 0)
    try:
        run = Run(
            surface,
            optimizer,
            start,
            schedule=args.schedule,
            tol=_number(args.tol, "--tol"),
            max_rows=16 if streamed else min(steps + 1, max_rows),
            batch_size=batch_size,
            noise=noise,
            seed=seed,
            **hyper,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        if not args.out:
            stream_csv(run, steps, _emit)
        elif streamed:
            from engine.atomic import atomic_open

            with atomic_open(args.out) as out:
                stream_csv(run, steps, lambda text: out.write(text.encode()))
        else:
            # the whole record is held in memory: stop at the limit unless the run ends before it
            run.advance(min(steps, max_rows - 1))
            if not run.done and run.t < steps:
                check_rows_in_memory(steps, max_rows, args.out)
            run.trajectory().save(args.out)
    except _ReaderGone:
        return 0  # ``| head`` has what it wanted: stop computing
    except MemoryError:
        raise UsageError(
            f"not enough memory for {steps + 1:,} rows (about {_gib(steps + 1)}) to write {args.out}; "
            "use fewer --steps, or write .csv, which is streamed to disk"
        ) from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"--out: {exc}") from None
    if args.out:
        print(f"wrote {run.t} steps ({run.status}) to {args.out}", file=sys.stderr)
    if run.status == "diverged":
        print(f"note: {optimizer.id} diverged at step {run.diverged_at}", file=sys.stderr)
    return 0


def stochastic_settings(args: argparse.Namespace) -> dict[str, int | float]:
    """The --batch-size, --noise and --seed given (checked), by SessionConfig / Run field name."""
    out: dict[str, int | float] = {}
    if args.batch_size is not None:
        out["batch_size"] = whole_number(args.batch_size, "--batch-size", 0, MAX_BATCH_SIZE)
    if args.noise is not None:
        noise = _number(args.noise, "--noise")
        if not (math.isfinite(noise) and noise >= 0):
            raise UsageError(f"--noise must be a finite number ≥ 0, got {args.noise!r}")
        out["noise"] = noise
    if args.seed is not None:
        out["seed"] = whole_number(args.seed, "--seed", 0, MAX_SEED)
    return out


def data_spec(args: argparse.Namespace) -> DataSpec:
    """The data loss that --data, --model, --x, --y, --positive and --standardize describe."""
    from engine.data import DataSpec

    missing = [option for option in ("--x", "--y") if getattr(args, option[2:]) is None]
    if missing:
        raise UsageError(f"--data needs {' and '.join(missing)}: the columns to fit (see 'list')")
    try:
        return DataSpec(
            args.data, args.model or "linear", args.x, args.y, bool(args.standardize), args.positive or ""
        )
    except ValueError as exc:
        raise UsageError(f"--data: {exc}") from None


def _surface(args: argparse.Namespace) -> Surface:
    """The loss of ``run``: --loss, or the data loss that --data and its options describe."""
    if args.data is None:
        given = [option for name, option in DATA_OPTIONS.items() if getattr(args, name) is not None]
        if args.standardize:
            given.append("--standardize")
        if given:
            verb = "describes" if len(given) == 1 else "describe"
            raise UsageError(f"{', '.join(given)} {verb} a data loss: add --data (e.g. --data penguins)")
        try:
            return get_loss(args.loss or "quadratic")
        except ValueError as exc:
            raise UsageError(f"--loss: {exc}") from None
    if args.loss is not None:
        raise UsageError("--loss and --data are two kinds of loss: give one of them")
    from engine.data import data_surface

    try:
        surface = data_surface(data_spec(args))
    except ValueError as exc:
        raise UsageError(f"--data: {exc}") from None
    if surface.note:
        print(f"note: {surface.note}", file=sys.stderr)
    return surface


class _ReaderGone(Exception):
    """stdout's reader closed the pipe (``| head``)."""


def _emit(text: str) -> None:
    """Write to stdout; a reader that stops early (``| head``) is not an error, and ends a streamed run."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the broken pipe again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise _ReaderGone from None


def cmd_list(args: argparse.Namespace) -> int:
    lines = ["Optimizers (hyperparameter=default):"]
    for opt in OPTIMIZERS.values():
        hyper = "  ".join(f"{k}={v:g}" for k, v in opt.defaults.items())
        lines.append(f"  {opt.id:<17} {opt.title:<22} {hyper}")
        lines.append(f"  {'':<17} {opt.formula}")
    lines.append("\nHyperparameter ranges:")
    for h in HYPERPARAMETERS.values():
        option = "--" + h.name.replace("_", "-")
        lines.append(f"  {option:<18} {h.symbol:<3} in {h.range_text():<12} {h.description}")
    lines.append("\nSurfaces:")
    for s in LOSSES.values():
        params = "  ".join(f"{k}={v:g}" for k, v in s.params.items())
        lines.append(f"  {s.name:<17} {s.formula}  {params}")
    lines.append("\nDatasets (--data NAME or a CSV path; columns: n = numbers, t = text):")
    from engine.datasets import DATASETS, DataError, load_table

    for dataset in DATASETS.values():
        lines.append(f"  {dataset.name:<17} {dataset.title}: {dataset.description}")
        try:
            table = load_table(dataset.name)
        except DataError as exc:  # a broken install: say so, list the rest
            lines.append(f"  {'':<17} (cannot be read: {exc})")
            continue
        columns = ", ".join(f"{c} ({'n' if c in table.numeric else 't'})" for c in table.columns)
        lines.append(f"  {'':<17} {table.rows} rows: {columns}")
        for preset in dataset.presets:
            positive = f" --positive {preset.positive}" if preset.positive else ""
            standardize = " --standardize" if preset.standardize else ""
            lines.append(
                f"  {'':<17} {preset.title}: --model {preset.model} --x {preset.x} --y {preset.y}"
                f"{positive}{standardize}"
            )
        lines.append(f"  {'':<17} credit: {dataset.credit}")
    lines.append("\nSchedules:")
    for name, kind in KINDS.items():
        params = ",".join(f"{n}={d:g}" for n, d, _t in kind.params)
        lines.append(f"  {name + (':' + params if params else ''):<28} {kind.formula}")
    with contextlib.suppress(_ReaderGone):
        _emit("\n".join(lines) + "\n")
    return 0
