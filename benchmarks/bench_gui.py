"""Responsiveness of the live window with 5 and 12 racers (speed lives here, not in unit tests).

One command, isolated from the user: a temporary HOME and XDG folders (settings, the kernel
cache: the kernels compile afresh, ≈ 15–30 s), and by default its own X server (Xvfb, with
openbox when installed) so the real xcb window is measured; ``--platform offscreen`` uses Qt's
offscreen platform instead, ``--platform current`` the $DISPLAY you have.

Every racer races on the ill-conditioned bowl with the convergence test off, so none stops (the
"on data" scenarios: on the penguins' logistic loss, minibatches of 32, with the Data dock open):
  idle            the window with five racers, nothing playing: the reference
  5 racers 1×     10 steps/s, the window's "1×" (its first start's speed): CPU use (% of one core,
                  the whole process); "60/s": 60 steps/s, the "1×" of the release issue 18 measured,
                  six times the steps
  5 / 12 racers   flat out: the longest event-loop stall, repaints/s, steps/s of each racer
Each scenario is measured twice: first CPU, repaints and steps with nothing else running, then
the stalls with a 2 ms timer ticking (a stall is the longest gap between its ticks; the timer
costs CPU itself). "worker": the worker thread's CPU (% of a core: the kernels and their
Python). On a loaded machine the %-of-a-core figures swing; two columns hold up
better: the GUI thread's CPU time per frame (``time.thread_time`` over the window's redraws), the
longest job's CPU (the most GUI-thread CPU between two ticks of the stall timer: the stall
without the waits for a core) and the share of the contour each repaint covers. Targets
(issue 18): flat out with 12 racers the longest stall < 50 ms, ≥ 30 repaints/s and each racer
≥ 1/4 of the rate it has among 5; 5 racers at 1× ≤ 20 % of a core (checked at 10 and at 60
steps/s).

    PYTHONPATH=. python benchmarks/bench_gui.py            # ≈ 2 minutes
    PYTHONPATH=. python benchmarks/bench_gui.py --quick    # ≈ 1 minute, shorter windows
    PYTHONPATH=. python benchmarks/bench_gui.py --profile ["5 racers, 60/s"]  # + where the GUI thread
                                                                           # spends its time
                                          # (--profile-cpu: its CPU time, for a loaded machine)
    PYTHONPATH=. python benchmarks/bench_gui.py --only "5 racers, 1×" --kernel-cache /tmp/k
                                          # one scenario; a kept kernel cache skips the compile
    PYTHONPATH=. python benchmarks/bench_gui.py --only "12 racers, max" --breakdown
                                          # + the GUI thread's CPU per job and paint, and what
                                          # ran in the longest jobs
"""

from __future__ import annotations

import argparse
import atexit
import itertools
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

TWELVE = (
    "sgd", "momentum", "adagrad", "rmsprop", "adam", "nesterov",
    "amsgrad", "adamw", "nadam", "adadelta", "lion", "radam",
)  # fmt: skip
FIVE = TWELVE[:5]


def isolate() -> Path:
    """A temporary HOME, XDG folders and kernel cache: nothing of the user's is read or written."""
    root = Path(tempfile.mkdtemp(prefix="optimizer-lab-bench-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for var, sub in (
        ("HOME", "home"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("OPTIMIZER_LAB_CACHE_DIR", "kernels"),
    ):
        (root / sub).mkdir(mode=0o700)
        os.environ[var] = str(root / sub)
    os.environ["OPTIMIZER_LAB_MACHINE_CACHE"] = ""  # no lab-wide cache either
    os.environ.pop("NUMBA_CACHE_DIR", None)
    return root


def start_display(root: Path) -> list[subprocess.Popen]:
    """An X server of our own (and a window manager, as on a desktop); stopped at exit."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("Xvfb not found: use --platform offscreen (or current, with a $DISPLAY)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        sys.exit("Xvfb did not start")
    os.environ["DISPLAY"] = f":{number}"
    procs = [server]
    if shutil.which("openbox"):
        procs.insert(0, subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    for proc in procs:
        atexit.register(_stop, proc)
    time.sleep(0.5)  # openbox takes the screen before the window maps
    return procs


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s windows instead of 8 s")
    parser.add_argument("--seconds", type=float, help="length of each measuring window")
    parser.add_argument("--platform", choices=("xvfb", "offscreen", "current"), default="xvfb")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="12 racers, max",
        metavar="SCENARIO",
        help="profile the GUI thread in a scenario (default: 12 racers, max)",
    )
    parser.add_argument(
        "--profile-cpu",
        action="store_true",
        help="profile the GUI thread's CPU time (time.thread_time) instead of the wall clock: "
        "on a loaded machine the wall clock adds the waits for a core",
    )
    parser.add_argument("--profile-out", metavar="FILE", help="also save the profile (pstats) to FILE")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also print the GUI thread's CPU per view and job (ms per second, per call, longest) "
        "and the longest jobs' contents: what each part of a frame costs, with no profiler's overhead",
    )
    parser.add_argument(
        "--items",
        action="store_true",
        help="with --breakdown: also the GUI thread's CPU in the graphics items' Python paint, "
        "boundingRect and shape (pyqtgraph's and the views'), per class: what Qt's walk of the scene "
        "costs in Python at every repaint",
    )
    parser.add_argument(
        "--only", metavar="SCENARIO", action="append", help="measure only this scenario (repeatable)"
    )
    parser.add_argument(
        "--kernel-cache",
        metavar="DIR",
        type=Path,
        help="compile the kernels into DIR and reuse them (repeated runs skip the cold compile)",
    )
    return parser.parse_args()


def set_up(platform_name: str, kernel_cache: Path | None) -> Path:
    """A scratch home (``isolate``), the kernel cache to keep (if any) and the Qt platform
    (``xvfb`` starts a display of its own); returns the scratch root."""
    root = isolate()
    if kernel_cache:
        kernel_cache.mkdir(parents=True, exist_ok=True)
        os.environ["OPTIMIZER_LAB_CACHE_DIR"] = str(kernel_cache.resolve())
    if platform_name == "xvfb":
        start_display(root)
        os.environ["QT_QPA_PLATFORM"] = "xcb"
    elif platform_name == "offscreen":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return root


def open_window(wait_until: Callable[[Callable[[], bool], float, str], None]) -> tuple[Any, list[int]]:
    """The window at 1366×768, shown, once its engine has reset the first race, and the count
    of its race's resets so far (a list, to count the ones to come)."""
    from gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    window.start_engine()
    resets = [0]
    window.race.reset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    wait_until(lambda: resets[0] > 0, 300, "the engine (cold kernel compile)")
    return window, resets


def main() -> None:
    args = parse_args()
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    set_up(args.platform, args.kernel_cache)
    load_before = os.getloadavg()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QEventLoop, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    class LoopProbe:
        """Ticks every 2 ms; the longest gap between ticks is the longest stall.

        It also keeps the most CPU the GUI thread used between two ticks (``time.thread_time``):
        the longest job the event loop ran, which a loaded machine does not stretch the way it
        stretches the wall-clock gap (waiting for a core or the GIL is not counted).
        """

        def __init__(self) -> None:
            self.clock = QElapsedTimer()
            self.timer = QTimer(interval=2, timerType=Qt.TimerType.PreciseTimer)
            self.timer.timeout.connect(self._tick)
            self.last = 0
            self.last_cpu = 0.0
            self.max_gap_ms = 0.0
            self.max_cpu_ms = 0.0
            self.ticks: list[float] = []  # the GUI thread's CPU at each tick (--breakdown)

        def start(self) -> None:
            self.clock.start()
            self.ticks = []
            self.last, self.max_gap_ms, self.max_cpu_ms = 0, 0.0, 0.0
            self.timer.start()

        def stop(self) -> tuple[float, float]:
            self.timer.stop()
            return self.max_gap_ms, self.max_cpu_ms

        def _tick(self) -> None:
            now, cpu = self.clock.nsecsElapsed(), time.thread_time()
            if breakdown is not None:
                self.ticks.append(cpu)
            if self.last:
                self.max_gap_ms = max(self.max_gap_ms, (now - self.last) / 1e6)
                self.max_cpu_ms = max(self.max_cpu_ms, (cpu - self.last_cpu) * 1e3)
            self.last, self.last_cpu = now, cpu

    class Breakdown:
        """The GUI thread's CPU (``time.thread_time``) in the window's jobs and views' paints.

        Wraps methods on their classes (before the window is made: PySide6 finds a Python
        ``paintEvent`` override when the widget is created). Nested calls count in both, e.g. a
        frame's ``_redraw`` includes ``panels.update_racers``. While ``log`` is set each call's
        start and end are kept, so the longest gaps of the stall timer can be told apart.
        """

        def __init__(self) -> None:
            self.on = False
            self.log = False
            self.total: dict[str, float] = {}
            self.calls: dict[str, int] = {}
            self.longest: dict[str, float] = {}
            self.events: list[tuple[float, float, str]] = []

        def wrap(self, cls: type, name: str, label: str, *, logged: bool = True) -> None:
            original = getattr(cls, name)
            me = self

            def timed(obj: object, *a: object, **k: object) -> object:
                if not (me.on or me.log):
                    return original(obj, *a, **k)
                t0 = time.thread_time()
                try:
                    return original(obj, *a, **k)
                finally:
                    t1 = time.thread_time()
                    if me.on:
                        me.total[label] = me.total.get(label, 0.0) + t1 - t0
                        me.calls[label] = me.calls.get(label, 0) + 1
                        me.longest[label] = max(me.longest.get(label, 0.0), t1 - t0)
                    if me.log and logged:
                        me.events.append((t0, t1, label))

            setattr(cls, name, timed)

        def install(self) -> None:
            import gui.views.contour as contour
            import gui.views.data_view as data_view
            import gui.views.panels as panels
            from gui.main_window import MainWindow
            from gui.panels.status import StatusTable

            for name in (
                "_redraw",
                "_take_chunks",
                "_update_readout",
                "_update_selected_vectors",
                "_update_data_view",
                "_draw_due_pair",
            ):
                if hasattr(MainWindow, name):
                    self.wrap(MainWindow, name, f"window.{name}")
            self.wrap(panels.PerWeightPanels, "update_racers", "panels.update_racers")
            self.wrap(contour.ContourView, "update_racers", "contour.update_racers")
            self.wrap(StatusTable, "update_racers", "status_table.update_racers")
            for cls, label in (
                (contour.ContourView, "contour"),
                (panels.PerWeightPanels, "panels"),
                (data_view.DataView, "data view"),
            ):
                self.wrap(cls, "paintEvent", f"{label}: paint")
            if args.items:
                self.wrap_items()

        def wrap_items(self) -> None:
            """Every graphics item class's own Python ``paint``, ``boundingRect`` and ``shape``
            (pyqtgraph's and the views'), labelled "item Class.method"; a method calling its base
            class's counts in both."""
            import inspect

            import pyqtgraph as pg
            from PySide6.QtWidgets import QGraphicsItem

            import gui.views.centred
            import gui.views.contour
            import gui.views.curves
            import gui.views.lazy_plot
            import gui.views.panels
            import gui.views.plot_lines

            modules = [
                gui.views.centred, gui.views.contour, gui.views.curves, gui.views.lazy_plot,
                gui.views.panels, gui.views.plot_lines,
            ]  # fmt: skip
            classes = {c for _n, c in inspect.getmembers(pg, inspect.isclass)}
            for module in modules:
                classes.update(c for _n, c in inspect.getmembers(module, inspect.isclass))
            for cls in classes:
                if not issubclass(cls, QGraphicsItem) or not cls.__module__.startswith(("pyqtgraph", "gui")):
                    continue
                for name in ("paint", "boundingRect", "shape"):
                    if name in cls.__dict__:
                        self.wrap(cls, name, f"item {cls.__name__}.{name}", logged=False)

        def print_window(self, wall: float) -> None:
            print(f"\nThe GUI thread's CPU by job and paint ({wall:.1f} s; nested calls count in both):")
            print(f"  {'':<34} {'ms/s':>7} {'calls/s':>8} {'ms/call':>8} {'longest ms':>10}")
            for label in sorted(self.total, key=lambda k: -self.total[k]):
                print(
                    f"  {label:<34} {self.total[label] / wall * 1e3:>7.1f} {self.calls[label] / wall:>8.1f}"
                    f" {self.total[label] / self.calls[label] * 1e3:>8.2f} {self.longest[label] * 1e3:>10.1f}"
                )

        def print_jobs(self, ticks: list[float], count: int = 6) -> None:
            gaps = sorted(((b - a, a, b) for a, b in itertools.pairwise(ticks)), reverse=True)[:count]
            print("  longest jobs (GUI-thread CPU between two ticks of the stall timer), what ran in each:")
            for cpu, a, b in gaps:
                inside = [
                    f"{label} {(t1 - t0) * 1e3:.1f}" for t0, t1, label in self.events if a <= t0 and t1 <= b
                ]
                print(f"  {cpu * 1e3:6.1f} ms: {', '.join(inside) or '(nothing timed)'}")

    breakdown = Breakdown() if args.breakdown else None

    class PaintCounter(QObject):
        """Counts the paint events a widget gets: what the learner sees change, per second."""

        def __init__(self) -> None:
            super().__init__()
            self.count = 0
            self.area = 0.0  # repainted pixels, in whole viewports

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.count += 1
                size = obj.size()
                pixels = sum(r.width() * r.height() for r in event.region())
                self.area += pixels / max(size.width() * size.height(), 1)
            return False

    def run_for(seconds: float) -> None:
        """The event loop as the app runs it (a polling loop would cost CPU itself)."""
        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()

    def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
        t0 = time.perf_counter()
        while not predicate():
            if time.perf_counter() - t0 > timeout:
                sys.exit(f"timed out waiting for {what}")
            run_for(0.05)

    QCoreApplication.setOrganizationName("optimizer-lab-bench")
    app = QApplication([])
    t0 = time.perf_counter()
    from engine.config import RacerConfig, SessionConfig
    from gui.main_window import SPEEDS

    if breakdown is not None:
        breakdown.install()
    window, resets = open_window(wait_until)
    ready_s = time.perf_counter() - t0
    paints = PaintCounter()
    window.contour.viewport().installEventFilter(paints)
    probe = LoopProbe()

    def worker_cpu() -> float:
        """The worker thread's CPU seconds so far (its racing: the kernels and their Python)."""
        clock = time.pthread_getcpuclockid(window.worker.thread_ident)
        return time.clock_gettime(clock)

    def steps_by_racer() -> dict[str, int]:
        return {k: h.last_step for k, h in window.histories.items()}

    def race(optimizers: tuple[str, ...], data: bool = False) -> None:
        """A fresh race of these racers, never stopping (tol 0, a step limit out of reach); ``data``:
        on the penguins' logistic loss (standardised, minibatches of 32: a full-data L per kept row)."""
        config = SessionConfig(
            loss="quadratic", steps=100_000_000, tol=0.0, racers=tuple(RacerConfig(o) for o in optimizers)
        )
        if data:
            from engine.data import DataSpec
            from engine.simulate import Run, surface_for

            spec = DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo")
            config = replace(config, data=spec, batch_size=32)
            # the data kernels compile here, not in the worker while it is measured (a cold cache)
            Run(surface_for(config), "sgd", batch_size=32).advance(2)
        if window.playing:
            window.toggle_play()
        wait_until(lambda: not window.playing, 10, "pause")
        window.data_dock.setVisible(data)  # on the data loss the learner watches the model fit
        before = resets[0]
        window.apply_config(config, own_racers=True)
        wait_until(lambda: resets[0] > before and len(window.histories) == len(optimizers), 120, "the race")
        run_for(0.5)

    rows: list[dict[str, object]] = []

    def measure(name: str, optimizers: tuple[str, ...], speed: float, data: bool = False) -> None:
        if args.only and name not in args.only:
            return
        profile = args.profile == name
        race(optimizers, data)
        if speed:
            window.speed_slider.setValue(SPEEDS.index(speed))
            window.toggle_play()
            wait_until(lambda: window.playing, 10, "play")
        run_for(1.0)  # past the first frames, ranges and caches
        s0, c0, p0, t0 = steps_by_racer(), time.process_time(), paints.count, time.perf_counter()
        a0 = paints.area
        f0 = window._frame
        g0 = time.thread_time()  # this is the GUI thread: what it alone computed
        w0 = worker_cpu()
        if breakdown is not None:
            breakdown.__init__()
            breakdown.on = True
        if profile:
            import cProfile

            profiler = cProfile.Profile(time.thread_time) if args.profile_cpu else cProfile.Profile()
            profiler.enable()
        run_for(seconds)
        wall = time.perf_counter() - t0
        if profile:
            profiler.disable()
        if breakdown is not None:
            breakdown.on = False
            breakdown.log = True  # through the stall timer's window: the longest jobs' contents
        cpu = (time.process_time() - c0) / wall * 100
        gui_s = time.thread_time() - g0
        worker = (worker_cpu() - w0) / wall * 100
        gui = gui_s / wall * 100
        s1 = steps_by_racer()
        rates = [(s1[k] - s0.get(k, 0)) / wall for k in s1]
        fps = (paints.count - p0) / wall
        area = (paints.area - a0) / max(paints.count - p0, 1) * 100
        frames = window._frame - f0  # the window's redraws (30 Hz while playing)
        gui_ms = gui_s * 1000 / frames if frames >= wall else math.nan  # idle: a frame or none
        probe.start()
        run_for(seconds)
        stall, stall_cpu = probe.stop()
        if breakdown is not None:
            breakdown.log = False
            print(f"\n{name}:", end="")
            breakdown.print_window(wall)
            breakdown.print_jobs(probe.ticks)
        if window.playing:
            window.toggle_play()
        run_for(0.3)
        rows.append(
            dict(name=name, racers=len(optimizers), cpu=cpu, gui=gui, worker=worker, gui_ms=gui_ms, area=area,
                 stall=stall, stall_cpu=stall_cpu,
                 fps=fps, per_racer=min(rates) if speed else 0.0, total=sum(rates) if speed else 0.0)
        )  # fmt: skip
        if profile:
            import pstats

            clock = "CPU seconds" if args.profile_cpu else "seconds"
            print(f"\nWhere the GUI thread spent {name} ({wall:.1f} s; {clock}, cumulative):")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(28)
            if args.profile_out:
                profiler.dump_stats(args.profile_out)

    measure("idle (reference)", FIVE, 0)
    measure("5 racers, 1×", FIVE, 10)
    measure("5 racers, 60/s", FIVE, 60)
    measure("5 racers, max", FIVE, math.inf)
    measure("12 racers, max", TWELVE, math.inf)
    measure("12 racers, 60/s", TWELVE, 60)
    measure("5 on data, 1×", FIVE, 10, data=True)
    measure("5 on data, 60/s", FIVE, 60, data=True)
    measure("5 on data, max", FIVE, math.inf, data=True)
    load_after = os.getloadavg()
    platform_name = app.platformName()
    window.close()

    by = {r["name"]: r for r in rows}
    cache_note = f"kernel cache kept in {args.kernel_cache}" if args.kernel_cache else "cold kernel cache"
    print(
        f"\nbench_gui: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Qt platform {platform_name}{' (Xvfb + openbox)' if args.platform == 'xvfb' else ''}, "
        f"{seconds:g} s windows; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"engine ready {ready_s:.0f} s after start ({cache_note})\n"
    )
    print(
        f"{'scenario':<18} {'CPU % of 1 core':>15} {'of it GUI thread':>16} {'worker':>7} "
        f"{'GUI CPU ms/frame':>16} "
        f"{'longest stall ms':>17} {'longest job CPU ms':>18} "
        f"{'repaints/s':>11} {'% of plot each':>14} "
        f"{'steps/s, slowest racer':>23} {'steps/s, all':>14}"
    )
    for r in rows:
        rate = f"{r['per_racer']:,.0f}" if r["per_racer"] else "–"
        total = f"{r['total']:,.0f}" if r["total"] else "–"
        print(
            f"{r['name']:<18} {r['cpu']:>15.1f} {r['gui']:>16.1f} {r['worker']:>7.1f} "
            f"{'–' if math.isnan(r['gui_ms']) else format(r['gui_ms'], '.2f'):>16} "
            f"{r['stall']:>17.1f} {r['stall_cpu']:>18.1f} "
            f"{r['fps']:>11.1f} {r['area']:>14.0f} "
            f"{rate:>23} {total:>14}"
        )
    if args.only:  # a part of the table: the targets need all of it
        return
    twelve, five = by["12 racers, max"], by["5 racers, max"]
    ratio = twelve["per_racer"] / five["per_racer"] if five["per_racer"] else 0.0
    checks = (
        ("12 racers flat out: longest stall < 50 ms", f"{twelve['stall']:.1f} ms", twelve["stall"] < 50),
        ("12 racers flat out: ≥ 30 repaints/s", f"{twelve['fps']:.1f}", twelve["fps"] >= 30),
        ("each of 12 racers ≥ 1/4 of its rate among 5", f"{ratio:.2f}", ratio >= 0.25),
        *(
            (f"{who} at {speed}: ≤ 20 % of a core", f"{by[f'{who}, {speed}']['cpu']:.1f} %",
             by[f"{who}, {speed}"]["cpu"] <= 20)
            for who in ("5 racers", "5 on data") for speed in ("1×", "60/s")
        ),
        ("5 on data flat out: longest stall < 50 ms", f"{by['5 on data, max']['stall']:.1f} ms",
         by["5 on data, max"]["stall"] < 50),
    )  # fmt: skip
    print()
    for what, value, ok in checks:
        print(f"{'met    ' if ok else 'NOT met'}  {what}: {value}")


if __name__ == "__main__":
    main()
