"""Headless commands that need no Qt: ``run`` (one trajectory) and ``list`` (what exists)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence

from engine.losses import LOSSES, get_loss
from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS, get_optimizer
from engine.schedules import KINDS
from engine.simulate import DEFAULT_TOL, simulate


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
    *HYPER_OPTIONS,
}


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--loss", default="quadratic", help="built-in surface name or an expression in x, y")
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
    p.add_argument("--out", help="write .csv, .json or .npz (default: CSV to stdout)")


def _number(text: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {text!r}") from None


def _steps(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise UsageError(f"--steps must be a whole number ≥ 0, got {text!r}") from None
    if n < 0:
        raise UsageError(f"--steps must be a whole number ≥ 0, got {n}")
    return n


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
    try:
        surface = get_loss(args.loss)
    except ValueError as exc:
        raise UsageError(f"--loss: {exc}") from None
    start = parse_point(args.start) if args.start else None
    try:
        traj = simulate(
            surface,
            optimizer,
            start,
            _steps(args.steps),
            schedule=args.schedule,
            tol=_number(args.tol, "--tol"),
            **hyper,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.out:
        try:
            traj.save(args.out)
        except (OSError, ValueError) as exc:
            raise UsageError(f"--out: {exc}") from None
        print(f"wrote {traj.steps} steps ({traj.status}) to {args.out}", file=sys.stderr)
    else:
        _emit(traj.to_csv())
    if traj.status == "diverged":
        print(f"note: {optimizer.id} diverged at step {traj.diverged_at}", file=sys.stderr)
    return 0


def _emit(text: str) -> None:
    """Write to stdout; a reader that stops early (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the broken pipe again when it flushes stdout at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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
    lines.append("\nSchedules:")
    for name, kind in KINDS.items():
        params = ",".join(f"{n}={d:g}" for n, d, _t in kind.params)
        lines.append(f"  {name + (':' + params if params else ''):<28} {kind.formula}")
    _emit("\n".join(lines) + "\n")
    return 0
