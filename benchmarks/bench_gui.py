"""Responsiveness of the live window, measured offscreen (speed lives here, not in unit tests).

Scenarios, each with five racers (SGD, Momentum, AdaGrad, RMSprop, Adam) on the bowl, with
the convergence test off so that all five keep running (the heaviest case):
  1×      60 steps/s: CPU use (% of one core, the whole process) and resident memory
  max     flat out: the longest event-loop stall, redraws per second, steps per second
  long    flat out until each of the five has made 10 million steps: memory stays bounded
A 2 ms QTimer measures the event loop: a stall is the longest gap between its ticks. It
runs in a second window of each scenario, since it costs ≈ 1.3 % of a core itself.
The reference is the same window idle (nothing playing), measured in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--long-steps 10000000]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory; ``RssAnon`` is the part that is the process's own data, the rest
    being read-only pages of shared libraries mapped from disk (LLVM alone is ≈ 68 MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LoopProbe:
    """Ticks every 2 ms; records the longest gap (an event-loop stall)."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=2)
        self.timer.timeout.connect(self._tick)
        self.reset()

    def reset(self) -> None:
        self.clock.start()
        self.last = 0
        self.max_gap_ms = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed()
        if self.last:
            self.max_gap_ms = max(self.max_gap_ms, (now - self.last) / 1e6)
        self.last = now
        self.ticks += 1


def run_for(app: QApplication, seconds: float) -> None:
    """Run the event loop as the app does (a polling loop would cost 2-3 % of a core itself)."""
    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--long-steps", type=int, default=10_000_000)
    args = parser.parse_args()

    QCoreApplication.setOrganizationName("optimizer-lab-bench")
    QCoreApplication.setApplicationName("bench")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, "/tmp/optimizer-lab-bench-settings")
    app = QApplication([])
    QSettings().clear()  # the window restores its last configuration: start every run from defaults
    from gui.main_window import SPEEDS, MainWindow

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    ready = []
    window.worker.race_reset.connect(lambda *_: ready.append(1))
    window.start_engine()
    while not ready:
        app.processEvents()
        time.sleep(0.005)
    redraws = [0]
    original = window._redraw

    def counting_redraw() -> None:
        if window._dirty:
            redraws[0] += 1
        original()

    window.redraw_timer.timeout.disconnect()
    window.redraw_timer.timeout.connect(counting_redraw)
    probe = LoopProbe()

    def total_steps() -> int:
        return sum(h.last_step for h in window.histories.values())

    rows = []

    def measure(name: str, speed: float, seconds: float, steps: int) -> None:
        """First CPU, frames and steps with nothing else running; then stalls, with the probe."""
        # convergence test off: all five racers keep running for the whole measurement
        window.controls.steps_spin.setValue(steps)
        window.apply_config(replace(window.config, tol=0.0, steps=steps), keep_surface=True)
        run_for(app, 0.5)
        if speed:
            window.speed_slider.setValue(SPEEDS.index(speed))
            window.toggle_play()
        run_for(app, 0.3)
        redraws[0] = 0
        s0, c0, t0 = total_steps(), time.process_time(), time.perf_counter()
        run_for(app, seconds)
        wall = time.perf_counter() - t0
        cpu = (time.process_time() - c0) / wall * 100
        done = total_steps() - s0
        fps = redraws[0] / wall
        probe.timer.start()
        probe.reset()
        run_for(app, seconds)
        probe.timer.stop()
        if window.playing:
            window.toggle_play()
        run_for(app, 0.2)
        rows.append((name, cpu, probe.max_gap_ms, fps, done / wall, rss_mb(), rss_mb("RssAnon")))

    measure("idle (reference)", 0, args.seconds, 2000)
    rows[-1] = (rows[-1][0], *rows[-1][1:3], 0.0, 0.0, *rows[-1][5:])
    measure("1× (60 steps/s)", 60, args.seconds, 100_000)
    measure("max speed", math.inf, args.seconds, 100_000_000)

    # long run: flat out until every racer reaches the step count
    window.controls.steps_spin.setValue(args.long_steps)
    window.apply_config(replace(window.config, tol=0.0, steps=args.long_steps), keep_surface=True)
    run_for(app, 0.5)
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    window.toggle_play()
    probe.timer.start()
    probe.reset()
    t0 = time.perf_counter()
    peak = rss_mb()
    while any(h.last_step < args.long_steps for h in window.histories.values()):
        run_for(app, 0.5)
        peak = max(peak, rss_mb())
        if time.perf_counter() - t0 > 900:
            break
    long_wall = time.perf_counter() - t0
    long_steps = min(h.last_step for h in window.histories.values())
    print(f"Five racers on the bowl, {os.cpu_count()} cores, Qt platform {app.platformName()}\n")
    print(
        f"{'scenario':<20} {'CPU % of 1 core':>16} {'max stall ms':>13} {'redraws/s':>10} "
        f"{'steps/s (all)':>14} {'RSS MB':>8} {'of it anon':>11}"
    )
    for name, cpu, stall, fps, sps, rss, anon in rows:
        print(f"{name:<20} {cpu:>16.1f} {stall:>13.1f} {fps:>10.1f} {sps:>14,.0f} {rss:>8.0f} {anon:>11.0f}")
    print(
        f"\nlong run: five racers, {long_steps:,} steps each in {long_wall:.1f} s, "
        f"peak RSS {peak:.0f} MB, max stall {probe.max_gap_ms:.1f} ms, "
        f"rows kept per racer {max(len(h) for h in window.histories.values()):,}"
    )
    window.close()


if __name__ == "__main__":
    main()
