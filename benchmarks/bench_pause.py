"""How long Pause takes flat out: 12 racers on a data loss (and, for reference, on the bowl).

The live window (``MainWindow``) races twelve optimizers at "max speed" (the speed slider's
rightmost position) on the penguins' logistic loss (standardised, minibatches of 32, the Data
dock open) or on the ill-conditioned bowl, with the convergence test off so none stops. After
``--warm`` seconds of play it measures the steps/s of all racers for ``--seconds``, then presses
Pause the way the toolbar button does (``MainWindow.toggle_play``) and times, from the press:

  worker    until the worker says it paused (``playing_changed(False)``, timed in its thread):
            the last rows it computes are in the mailbox by then, none come after
  window    until the window has drawn its paused frame (the first ``_redraw`` after it heard
            ``playing_changed(False)``): the button says Play and the racers stand still

Each scenario is pressed ``--repeat`` times (play, ``--warm`` s, pause); the median and the
worst are printed. Isolated from the user as ``bench_gui.py`` is (temporary HOME, XDG folders;
``--kernel-cache DIR`` keeps compiled kernels between runs). ``--platform`` as in bench_gui
(``current``: the $DISPLAY you have).

    PYTHONPATH=. python benchmarks/bench_pause.py --kernel-cache /tmp/kc --platform current
    PYTHONPATH=. python benchmarks/bench_pause.py --only data --repeat 9
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_gui import TWELVE, cpu_name, open_window, set_up


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="presses of Pause per scenario (default 7)")
    parser.add_argument("--warm", type=float, default=1.5, help="seconds of play before each press")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds of play measured for steps/s")
    parser.add_argument("--platform", choices=("xvfb", "offscreen", "current"), default="xvfb")
    parser.add_argument("--only", choices=("data", "bowl"), help="one scenario")
    parser.add_argument(
        "--profile", action="store_true", help="profile the GUI thread from each press to its paused frame"
    )
    parser.add_argument(
        "--batch-size", type=int, default=32, help="minibatch rows on the data loss (0: the full batch)"
    )
    parser.add_argument("--kernel-cache", metavar="DIR", type=Path, help="keep compiled kernels in DIR")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    set_up(args.platform, args.kernel_cache)
    load_before = os.getloadavg()

    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    def run_for(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()

    def wait_until(predicate: Callable[[], bool], timeout: float, what: str, poll: float = 0.05) -> None:
        t0 = time.perf_counter()
        while not predicate():
            if time.perf_counter() - t0 > timeout:
                sys.exit(f"timed out waiting for {what}")
            run_for(poll)

    QCoreApplication.setOrganizationName("optimizer-lab-bench")
    app = QApplication([])
    from engine.config import RacerConfig, SessionConfig
    from gui.main_window import SPEEDS

    window, resets = open_window(wait_until)
    worker = window.worker

    # what the press is timed against: the worker's pause (in its thread), its last rows, the paused frame
    marks: dict[str, float] = {}

    def worker_paused(playing: bool) -> None:
        if not playing:
            marks.setdefault("worker", time.perf_counter())

    worker.playing_changed.connect(worker_paused, Qt.ConnectionType.DirectConnection)
    original_put = worker.mailbox.put

    def put(generation: int, chunks: list) -> bool:
        marks["last rows"] = time.perf_counter()
        if "worker" in marks:
            marks["rows after pause"] = marks.get("rows after pause", 0) + 1
        return original_put(generation, chunks)

    worker.mailbox.put = put
    original_redraw = window._redraw

    def redraw() -> None:
        original_redraw()
        if not window.playing and "press" in marks:
            marks.setdefault("window", time.perf_counter())

    window._redraw = redraw

    def race(data: bool) -> None:
        config = SessionConfig(
            loss="quadratic", steps=100_000_000, tol=0.0, racers=tuple(RacerConfig(o) for o in TWELVE)
        )
        if data:
            from engine.data import DataSpec
            from engine.simulate import Run, surface_for

            spec = DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo")
            config = replace(config, data=spec, batch_size=args.batch_size)
            # the data kernels compile now, not while measured
            Run(surface_for(config), "sgd", batch_size=args.batch_size).advance(2)
        window.data_dock.setVisible(data)
        before = resets[0]
        window.apply_config(config, own_racers=True)
        wait_until(lambda: resets[0] > before and len(window.histories) == len(TWELVE), 120, "the race")
        window.speed_slider.setValue(SPEEDS.index(math.inf))
        run_for(0.5)

    def steps() -> int:
        return sum(run.t for run in worker.race.runs().values())

    results: list[tuple[str, float, list[float], list[float], int]] = []
    for name, data in (("12 on data, max", True), ("12 on the bowl, max", False)):
        if args.only and args.only not in name:
            continue
        race(data)
        worker_ms: list[float] = []
        window_ms: list[float] = []
        rates: list[float] = []
        late = 0
        for i in range(args.repeat):
            window.toggle_play()
            wait_until(lambda: window.playing, 10, "play")
            run_for(args.warm)
            if i < 3:  # steps/s of all racers together, playing with the window drawing
                s0, t0 = steps(), time.perf_counter()
                run_for(args.seconds)
                rates.append((steps() - s0) / (time.perf_counter() - t0))
            marks.clear()
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            marks["press"] = time.perf_counter()
            window.toggle_play()  # the Pause button's action
            wait_until(lambda: "window" in marks, 20, "the paused frame", poll=0.005)
            if args.profile:
                import pstats

                profiler.disable()
                took = (marks["window"] - marks["press"]) * 1e3
                print(f"\n{name}, press {i + 1}: {took:.0f} ms to the paused frame")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
            run_for(0.3)  # rows the worker might still send
            press = marks["press"]
            worker_ms.append((marks["worker"] - press) * 1e3)
            window_ms.append((marks["window"] - press) * 1e3)
            late += int(marks.get("rows after pause", 0))
        results.append((name, statistics.median(rates), worker_ms, window_ms, late))

    load_after = os.getloadavg()
    platform_name = app.platformName()
    window.close()
    print(
        f"\nbench_pause: {cpu_name()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}, Qt platform "
        f"{platform_name}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"{args.repeat} presses each\n"
    )
    print(
        f"{'scenario':<22} {'steps/s, all':>13} {'worker paused ms':>24} {'window paused ms':>24} "
        f"{'rows after pause':>16}"
    )
    print(f"{'':<22} {'':>13} {'median':>11} {'worst':>12} {'median':>11} {'worst':>12}")
    for name, rate, w, v, late in results:
        print(
            f"{name:<22} {rate:>13,.0f} {statistics.median(w):>11.0f} {max(w):>12.0f} "
            f"{statistics.median(v):>11.0f} {max(v):>12.0f} {late:>16}"
        )
        each = f"worker {', '.join(f'{x:.0f}' for x in w)}; window {', '.join(f'{x:.0f}' for x in v)}"
        print(f"{'':<22} {'':>13} each press: {each}")


if __name__ == "__main__":
    main()
