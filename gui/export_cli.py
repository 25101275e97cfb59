"""``python main.py export``: the window's pictures, animations and data from one command, no screen needed.

Qt is imported only when the command runs, with ``QT_QPA_PLATFORM=offscreen`` unless the
user chose a platform, so it works on a lab server without a display. Every bad input
ends as one ``UsageError`` line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.cli import (
    DATA_OPTIONS,
    HYPER_OPTIONS,
    UsageError,
    add_data_arguments,
    check_rows_in_memory,
    data_spec,
    parse_point,
    stochastic_settings,
    whole_number,
)
from engine.config import DEFAULT_RACERS, ConfigError, RacerConfig, SessionConfig, unique_key
from engine.optimizers import HYPERPARAMETERS, get_optimizer

#: Rows of a race (all racers) a .json data export may hold in memory (about 1.5 kB each while the
#: JSON text is built); ``--max-rows`` lifts it. A .csv data export is streamed and needs no limit.
DEFAULT_MAX_JSON_ROWS = 200_000
#: Rows per racer kept for still pictures of longer runs (thinned to every 2nd, 4th, … step; the last
#: step stays exact): far more than any picture has pixels, and bounded memory.
PICTURE_ROWS = 250_000
#: The same for animations, whose early frames may show every step: runs up to a million steps keep
#: every row, as before; longer ones are thinned to this many.
ANIMATION_ROWS = 1_000_000

#: Options whose value may start with '-' (see engine.cli._fix_negative_values).
EXPORT_VALUE_OPTIONS = {"--start", "--loss", "--steps", "--set", "--out", "--size", "--fps", "--frames"}
EXPORT_VALUE_OPTIONS |= {"--steps-range", "--max-rows"}


def add_race_arguments(p: argparse.ArgumentParser) -> None:
    """The options that describe a race (shared by ``export`` and ``session``)."""
    p.add_argument("--loss", help="built-in surface name or an expression in x, y (default quadratic)")
    add_data_arguments(p)
    p.add_argument(
        "--optimizers",
        help="comma-separated optimizer ids, e.g. adagrad,rmsprop,adam; an id listed again races again "
        f"(adam,adam: the second is adam#2 for --set) (default {','.join(DEFAULT_RACERS)})",
    )
    p.add_argument("--start", help="start point X,Y (default: the surface's own)")
    p.add_argument("--steps", help="steps per optimizer (default 2000)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME.PARAM=VALUE",
        help="one racer's hyperparameter, e.g. --set adam.lr=0.05 or --set adam#2.lr=0.1 (repeatable)",
    )
    for option, name in HYPER_OPTIONS.items():
        h = HYPERPARAMETERS[name]
        p.add_argument(option, dest=name, help=f"{h.symbol} for every listed optimizer that takes it")
    p.add_argument("--session", help="start from a saved session file (.olab.json); options override it")


def add_export_arguments(p: argparse.ArgumentParser) -> None:
    add_race_arguments(p)
    p.add_argument("--out", required=True, help="output file: .png .svg .gif .mp4 .csv or .json")
    p.add_argument("--size", default="1920x1080", help="image size WIDTHxHEIGHT (default 1920x1080)")
    p.add_argument(
        "--panels",
        action="store_true",
        help="the per-weight panels instead of the race (an image, or an animation: --animate panels)",
    )
    p.add_argument(
        "--animate",
        choices=("race", "panels", "both"),
        help="what a .gif/.mp4 shows: the race (default), the per-weight panels, or both side by side",
    )
    p.add_argument(
        "--steps-range",
        metavar="FIRST:LAST",
        help="steps an animation covers, e.g. 0:200 or 100: (default: the whole race)",
    )
    p.add_argument(
        "--pacing",
        choices=("early", "linear"),
        default="early",
        help="early (default): one frame per step for the first half of the frames, then geometric "
        "thinning to the last step; linear: frames evenly spread",
    )
    p.add_argument("--fps", default="20", help="animation frame rate (default 20)")
    p.add_argument(
        "--max-rows",
        help=f"rows a .json data export may hold in memory (default {DEFAULT_MAX_JSON_ROWS:,}); "
        ".csv is streamed to disk and needs no limit",
    )
    p.add_argument("--frames", default="60", help="number of animation frames (default 60)")
    p.add_argument(
        "--lang",
        default="en",
        choices=("en", "fa"),
        help="language of titles, legends and keys: en (default) or fa (Persian, right to left)",
    )


def _whole(text: str, option: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        try:  # '1e8': scientific notation read exactly, whole numbers only
            value = whole_number(text, option, low, high)
        except UsageError:
            raise UsageError(f"{option} must be a whole number, got {text[:40]!r}") from None
    if not low <= value <= high:
        raise UsageError(f"{option} must be in {low}…{high:,}, got {value}")
    return value


def _number(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{what} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{what} must be a finite number, got {text!r}")
    return value


def parse_set(text: str) -> tuple[str, str, float]:
    """'adam.lr=0.05' → ('adam', 'lr', 0.05)."""
    target, sep, value = text.partition("=")
    name, dot, param = target.strip().rpartition(".")
    if not sep or not dot or not name or not param or not value.strip():
        raise UsageError(f"--set must look like NAME.PARAM=VALUE (e.g. adam.lr=0.05), got {text!r}")
    return name, param.strip(), _number(value.strip(), f"--set {target.strip()}")


def _data_changes(args: argparse.Namespace, config: SessionConfig) -> dict[str, Any]:
    """--data and its options as the race's data loss, its CSV's SHA-256 pinned so a session and an
    export name the very file; the columns are checked now, as ``run`` checks them. Without --data
    they change a session's data loss (other columns, --standardize)."""
    from engine.data import data_surface, pinned

    if args.data is not None:
        spec = data_spec(args)
    else:
        given = {n: getattr(args, n) for n in ("model", "x", "y", "positive") if getattr(args, n) is not None}
        if args.standardize:
            given["standardize"] = True
        if not given:
            return {}
        if config.data is None:
            options = [DATA_OPTIONS.get(n, "--" + n) for n in given]
            verb = "describes" if len(options) == 1 else "describe"
            raise UsageError(f"{', '.join(options)} {verb} a data loss: add --data (e.g. --data penguins)")
        spec = replace(config.data, **given, sha256="")
    spec = pinned(spec)
    try:
        data_surface(spec)
    except ValueError as exc:
        raise UsageError(f"--data: {exc}") from None
    return {"data": spec, "loss_params": {}, "start": None, "view": None}


def config_from_args(args: argparse.Namespace) -> SessionConfig:
    """The race to export: the session file (if any) with the command-line options applied."""
    if args.session:
        from engine.session import SessionError, load_session

        try:
            config = load_session(args.session)
        except SessionError as exc:
            raise UsageError(f"--session: {exc}") from None
    else:
        config = SessionConfig()
    changes: dict[str, Any] = {}
    if args.loss is not None:
        if args.data is not None:
            raise UsageError("--loss and --data are two kinds of loss: give one of them")
        changes["loss"] = args.loss
        if args.loss != config.loss or config.data is not None:
            changes.update(loss_params={}, view=None, data=None)
    changes.update(_data_changes(args, config))
    changes.update(stochastic_settings(args))
    if args.start is not None:
        changes["start"] = parse_point(args.start)
    if args.steps is not None:
        changes["steps"] = _whole(args.steps, "--steps", 1, 100_000_000)
    # by key: a session may race the same optimizer twice ("rmsprop", "rmsprop#2"); a racer
    # that races once has its optimizer's id as key, so --set adam.lr=… still names it
    current = {r.key: r for r in config.racers}
    if args.optimizers is not None:
        names = [n.strip() for n in args.optimizers.split(",") if n.strip()]
        if not names:
            raise UsageError("--optimizers needs at least one optimizer id (see 'list')")
        racers = {}
        for name in names:
            try:
                get_optimizer(name)
            except ValueError as exc:
                raise UsageError(f"--optimizers: {exc}") from None
            key = unique_key(name, set(racers))  # listed again, another racer: adam, adam#2, …
            racers[key] = current.get(key, RacerConfig(name, key=key)).with_values(enabled=True)
    else:
        racers = {n: r for n, r in current.items() if r.enabled}
    try:
        for option, hyper in HYPER_OPTIONS.items():
            text = getattr(args, hyper)
            if text is None:
                continue
            value = _number(text, option)
            takers = [n for n, r in racers.items() if hyper in r.hyperparameters]
            if not takers:
                raise UsageError(f"{option} does not apply to any of {', '.join(racers)}")
            for n in takers:
                racers[n] = racers[n].with_values(**{hyper: value})
        for item in args.set:
            name, param, value = parse_set(item)
            if name not in racers:
                raise UsageError(f"--set {item}: {name!r} is not racing; racing: {', '.join(racers)}")
            if param not in racers[name].hyperparameters:
                takes = ", ".join(racers[name].hyperparameters)
                raise UsageError(f"--set {item}: {name} has no hyperparameter {param!r}; it takes {takes}")
            racers[name] = racers[name].with_values(**{param: value})
        racers_changed = tuple(racers.values()) != config.racers
        if racers_changed:  # new settings from step 0: the session's mid-run edits no longer apply
            changes["edits"] = ()
        return replace(config, racers=tuple(racers.values()), **changes)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def _ensure_app(language: str = "en") -> Any:
    """A QApplication for off-screen rendering (offscreen unless a platform was chosen), in ``language``."""
    if not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty: no screen is needed
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from gui.i18n import install_language

    app = QApplication.instance() or QApplication(["optimizer-lab-export"])
    install_language(app, language)  # the window's fonts: its true minus, not Vazirmatn's hyphen
    return app


class _Progress:
    """Progress on stderr, one line per tenth of the work, so logs stay short."""

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int, text: str) -> None:
        tenth = int(10 * done / max(total, 1))
        if tenth != self.shown and total > 3:
            self.shown = tenth
            print(f"export: {100 * done // max(total, 1):3d}%  {text}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from gui.export import (
        ExportCancelled,
        ExportError,
        check_size,
        parse_size,
        parse_steps_range,
        what_for_suffix,
    )

    try:
        out = Path(args.out)
        what = what_for_suffix(out, panels=args.panels)
        if args.panels and what not in ("panels", "animation"):
            raise ExportError("--panels applies to images (.png, .svg) and animations (.gif, .mp4) only")
        animate = args.animate or ("panels" if args.panels else "race")
        if args.panels and args.animate not in (None, "panels"):
            raise ExportError(f"--panels and --animate {args.animate} disagree: choose one")
        steps_range = parse_steps_range(args.steps_range) if args.steps_range else (0, None)
        if what != "animation":
            for option, given in (
                ("--animate", args.animate),
                ("--steps-range", args.steps_range),
                ("--pacing", args.pacing != "early"),
            ):
                if given:
                    raise ExportError(f"{option} applies to animations (.gif, .mp4) only")
        size = check_size(parse_size(args.size))
        fps = _whole(args.fps, "--fps", 1, 60)
        frames = _whole(args.frames, "--frames", 2, 10_000)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    config = config_from_args(args)
    if not config.enabled_racers():
        raise UsageError("no optimizer is racing: list some with --optimizers")
    _ensure_app(getattr(args, "lang", "en"))
    from gui.export import build_scene, check_writable, drain, export, iter_build_scene

    progress = _Progress()
    racers = len(config.enabled_racers())
    optimizers = [r.optimizer for r in config.enabled_racers()]
    plain = not config.edits and len(set(optimizers)) == len(optimizers)
    if what == "data" and out.suffix.lower() == ".csv" and plain:
        # streamed in bounded memory; a race with mid-run edits or twin racers takes the scene's
        # path below, whose CSV also says which racer and which settings each row ran with
        return _stream_data_csv(config, out)
    max_rows = None
    if what == "data":  # .json: every row in memory; a racer that is still going at the limit is refused
        limit = (
            whole_number(args.max_rows, "--max-rows", 2, 10**12) if args.max_rows else DEFAULT_MAX_JSON_ROWS
        )
        max_rows = max(2, limit // racers)
    else:  # a picture of a long run: a thinned record, bounded memory
        rows = ANIMATION_ROWS if what == "animation" else PICTURE_ROWS
        max_rows = rows if config.steps >= rows else None
    try:
        check_writable(out)
        if max_rows is None:
            scene = build_scene(config)
        else:
            scene = drain(iter_build_scene(config, max_rows=max_rows), progress)
        if what == "data" and any(t.w.shape[0] < t.steps + 1 for t in scene.trajectories.values()):
            check_rows_in_memory(config.steps, limit, str(out), racers)
        export(
            scene,
            out,
            what,
            size=size,
            fps=fps,
            frames=frames,
            progress=progress,
            animate=animate,
            steps_range=steps_range,
            pacing=args.pacing,
        )
    except MemoryError:
        raise UsageError(
            f"not enough memory to export {racers} racers × {config.steps:,} steps to {out}; "
            "use fewer --steps"
        ) from None
    except ExportCancelled:
        print("export: cancelled", file=sys.stderr)
        return 1
    except (ExportError, OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {out} ({out.stat().st_size:,} bytes)", file=sys.stderr)
    for name, t in scene.trajectories.items():
        if t.status == "diverged":
            print(f"note: {name} diverged at step {t.diverged_at}", file=sys.stderr)
    return 0


def _stream_data_csv(config: SessionConfig, out: Path) -> int:
    """Every racer's rows to ``out`` as they are computed: the same text as the .csv data export of a
    built scene, in bounded memory at any number of steps; the old file stays until it is complete."""
    from engine.atomic import atomic_open
    from engine.cli import stream_csv
    from engine.simulate import run_for, surface_for
    from gui.export import check_writable

    notes = []
    names = [r.optimizer for r in config.enabled_racers()]
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice is not None:  # rows are named by optimizer, as in the data export of a scene
        raise UsageError(f"{twice} races more than once; the CSV names rows by optimizer: disable the others")
    try:
        check_writable(out)
        surface = surface_for(config)
        with atomic_open(out) as pending:

            def write(text: str) -> None:
                pending.write(text.encode())

            for i, racer in enumerate(config.enabled_racers()):
                run = run_for(config, racer, surface, max_rows=16)
                stream_csv(run, config.steps, write, {"optimizer": racer.optimizer}, header=i == 0)
                print(f"export: {racer.optimizer} done ({run.t:,} steps, {run.status})", file=sys.stderr)
                if run.status == "diverged":
                    notes.append(f"note: {racer.optimizer} diverged at step {run.diverged_at}")
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {out} ({out.stat().st_size:,} bytes)", file=sys.stderr)
    for note in notes:
        print(note, file=sys.stderr)
    return 0
