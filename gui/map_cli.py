"""``python main.py map``: a basin or hyperparameter map as a picture (.png) or numbers (.npz, .csv).

The runs are ``engine.maps``; Qt is imported only to draw a .png (offscreen unless the user chose
a platform). Every bad input is one ``UsageError`` line and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from engine.cli import HYPER_OPTIONS, UsageError, parse_point
from engine.maps import BASIN, HYPER, KINDS, MAX_GRID, Axis, MapError, MapJob, map_picture
from engine.optimizers import HYPERPARAMETERS

MAP_VALUE_OPTIONS = {"--loss", "--start", "--x", "--y", "--out", "--grid", "--steps", "--size", "--tol"}
_STATUS_WORDS = {0: "not converged", 1: "converged", 2: "diverged"}


def add_map_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--loss", default="quadratic", help="built-in surface or an expression in x, y")
    p.add_argument("--optimizer", default="adam", help="optimizer id (default adam)")
    p.add_argument(
        "--kind", choices=KINDS, default=BASIN, help="basin: every start; hyper: two hyperparameters"
    )
    p.add_argument("--grid", default="256", help=f"pixels a side (2…{MAX_GRID}; default 256)")
    p.add_argument("--steps", default="500", help="step limit of every run (default 500)")
    p.add_argument("--start", help="start X,Y of a hyperparameter map (default: the surface's own)")
    p.add_argument("--x", help="hyperparameter axis NAME:LOW:HIGH[:log], e.g. lr:1e-4:10:log")
    p.add_argument("--y", help="hyperparameter axis NAME:LOW:HIGH[:log], e.g. beta:0.5:0.999")
    p.add_argument("--color", choices=("basin", "loss", "steps"), help="colour by (default: basin, or loss)")
    p.add_argument("--tol", help="converged once ‖g‖ < tol (default 1e-10, as in the window)")
    p.add_argument("--schedule", default="constant", help="η schedule, as for run")
    for option, name in HYPER_OPTIONS.items():
        p.add_argument(option, dest=name, help=f"{HYPERPARAMETERS[name].symbol} (fixed over the map)")
    p.add_argument("--out", required=True, help="output file: .png or .svg (picture), .npz or .csv (numbers)")
    p.add_argument("--size", default="1600x1200", help="picture size WIDTHxHEIGHT (default 1600x1200)")


def _whole(text: str, option: str, low: int, high: int) -> int:
    try:
        value = int(float(text)) if "e" in text.lower() else int(text)
    except ValueError:
        raise UsageError(f"{option} must be a whole number, got {text!r}") from None
    if not low <= value <= high:
        raise UsageError(f"{option} must be in {low}…{high:,}, got {value:,}")
    return value


def _job(args: argparse.Namespace) -> MapJob:
    try:
        return _make_job(args)
    except (MapError, ValueError, KeyError) as exc:
        raise UsageError(str(exc).strip("'\"")) from None


def _make_job(args: argparse.Namespace) -> MapJob:
    grid = _whole(args.grid, "--grid", 2, MAX_GRID)
    steps = _whole(args.steps, "--steps", 0, 1_000_000)
    hyper = {
        name: float(getattr(args, name)) for name in HYPER_OPTIONS.values() if getattr(args, name) is not None
    }
    kwargs: dict[str, object] = {
        "steps": steps,
        "grid": grid,
        "schedule": args.schedule,
        "hyperparameters": hyper,
    }
    if args.tol is not None:
        kwargs["tol"] = float(args.tol)
    if args.kind == HYPER:
        if not (args.x and args.y):
            raise UsageError(
                "a hyperparameter map needs --x and --y, e.g. --x lr:1e-4:10:log --y beta:0.5:0.999"
            )
        kwargs["x"] = Axis.parse(args.x, grid)
        kwargs["y"] = Axis.parse(args.y, grid)
        for axis in (kwargs["x"], kwargs["y"]):
            hyper.pop(axis.name, None)  # type: ignore[union-attr]
        if args.start:
            kwargs["start"] = parse_point(args.start)
    elif args.x or args.y:
        raise UsageError("--x and --y are for --kind hyper; a basin map's axes are the view's w1 and w2")
    return MapJob(args.loss, args.optimizer, args.kind, **kwargs)  # type: ignore[arg-type]


def _picture(job: MapJob, args: argparse.Namespace, svg: bool) -> bytes:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from gui.export import png_bytes, render_image, render_svg
    from gui.views.map_view import MapView

    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must be WIDTHxHEIGHT, e.g. 1600x1200, got {args.size!r}") from None
    if not (200 <= w <= 8192 and 200 <= h <= 8192):
        raise UsageError(f"--size must be 200…8192 a side, got {args.size}")
    _app = QApplication.instance() or QApplication([])
    result = job.result
    color = args.color or ("basin" if job.kind == BASIN else "loss")
    picture = map_picture(result, color)
    view = MapView()
    view.resize(int(w / max(w / 1200, 1)), int(h / max(w / 1200, 1)))
    if job.kind == BASIN:
        title = f"{job.optimizer.title} on {job.surface.title}: where each start ends ({job.steps} steps)"
        marked = None
    else:
        title = f"{job.optimizer.title} on {job.surface.title} from {job.start}: {job.steps} steps"
        given = {name: float(v) for name in HYPER_OPTIONS.values() if (v := getattr(args, name)) is not None}
        current = {**job.surface.params, **job.hyperparameters, **given}
        marked = (current[job.x.name], current[job.y.name])
        if not (job.x.low <= marked[0] <= job.x.high and job.y.low <= marked[1] <= job.y.high):
            marked = None
    view.show_map(result, picture, title, marked)
    view.show()
    QApplication.processEvents()
    if svg:
        return render_svg(view, title)
    return png_bytes(render_image(view, (w, h)))


def cmd_map(args: argparse.Namespace) -> int:
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg", ".npz", ".csv"):
        raise UsageError(f"--out must end in .png, .svg, .npz or .csv, got {out.name!r}")
    job = _job(args)
    t0 = time.perf_counter()
    last = 0.0
    for rows in job.blocks():
        now = time.perf_counter()
        if sys.stderr.isatty() and now - last > 0.2:
            print(f"\r{rows * 100 // job.y.n:3d}% of {job.runs:,} runs", end="", file=sys.stderr)
            last = now
    if sys.stderr.isatty():
        print("\r", end="", file=sys.stderr)
    seconds = time.perf_counter() - t0
    from engine.atomic import atomic_write_bytes

    if suffix == ".npz":
        job.result.save_npz(out)
    else:
        picture = (
            job.result.csv_text().encode() if suffix == ".csv" else _picture(job, args, suffix == ".svg")
        )
        atomic_write_bytes(out, picture)
    counts = {word: int((job.result.status == code).sum()) for code, word in _STATUS_WORDS.items()}
    summary = ", ".join(f"{n:,} {word}" for word, n in counts.items() if n)
    print(f"wrote {out} ({job.runs:,} runs in {seconds:.2f} s: {summary})")
    return 0
