"""Memory of the live window racing long: what the race's record adds to the idle window.

Each scenario runs in its own process (so one cannot inherit another's heap): the real
``MainWindow`` on the bowl, the convergence test off so every racer keeps running, flat out
until each racer has made ``--steps`` steps, then resident memory (RSS) is read. The
reference, measured in the same run, is the same window idle with the engine loaded. The
"before" rows keep each racer's record as it was before the record was bounded to what is
drawn (100,000 rows a racer, no exact first steps), so the saving is measured, not assumed.
Also timed: making the rows around a looked-at step exact again for every racer (the
timeline cursor), recomputed from the record's checkpoints.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python benchmarks/bench_memory.py [--steps 1000000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: Rows a racer's record kept before it was bounded to what the views draw.
OLD_ROWS = 100_000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def scenario(racers: int, steps: int, old_record: bool) -> dict[str, float]:
    """One window: idle RSS, then ``racers`` racers flat out to ``steps`` steps each."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    QCoreApplication.setOrganizationName("optimizer-lab-bench")
    QCoreApplication.setApplicationName("bench-memory")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tempfile.mkdtemp(prefix="olab-bench-"))
    app = QApplication([])  # kept referenced for the window's lifetime
    assert app is not None

    if old_record:
        import engine.race
        from engine.record import RacerRecord

        def old(start: object) -> RacerRecord:
            record = RacerRecord(start.start, start.loss0, max_rows=OLD_ROWS, exact_first=0)
            record.status = start.status
            return record

        engine.race._new_record = old

    from engine.config import RacerConfig
    from engine.optimizers import OPTIMIZERS
    from gui.main_window import SPEEDS, MainWindow

    def wait(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    ready: list[int] = []
    window.worker.race_reset.connect(lambda *_: ready.append(1))
    window.start_engine()
    while not ready:
        wait(0.05)
    wait(1.0)
    idle = rss_mb()
    chosen = tuple(RacerConfig(o) for o in list(OPTIMIZERS)[:racers])
    ready.clear()
    config = replace(window.config, racers=chosen, tol=0.0, steps=steps)
    window.apply_config(config, keep_surface=True, own_racers=True)
    while not ready:
        wait(0.05)
    wait(0.3)
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    window.toggle_play()
    t0 = time.perf_counter()
    peak = rss_mb()
    while any(h.last_step < steps and h.status == "finished" for h in window.histories.values()):
        wait(0.25)
        peak = max(peak, rss_mb())
        if time.perf_counter() - t0 > 1200:
            raise RuntimeError("the race did not reach its step limit in 20 minutes")
    wall = time.perf_counter() - t0
    wait(1.0)  # the last chunks drawn, the worker paused
    after = rss_mb()
    rows = max(len(h) for h in window.histories.values())
    t1 = time.perf_counter()
    window.timeline.set_cursor(steps // 2 + 12_345)  # as a learner scrubbing the timeline does
    exact_ms = (time.perf_counter() - t1) * 1000
    exact = all(h.has_steps(steps // 2 + 12_344, steps // 2 + 12_346) for h in window.histories.values())
    window.close()
    return {
        "idle": idle,
        "after": after,
        "peak": max(peak, after),
        "rows": rows,
        "seconds": wall,
        "racers": len(window.histories),
        "exact_ms": exact_ms,
        "exact": exact,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--one", help="run one scenario (racers,old) and print JSON", default="")
    args = parser.parse_args()
    if args.one:
        racers, old = args.one.split(",")
        print(json.dumps(scenario(int(racers), args.steps, old == "old")))
        return
    # a first window compiles or loads the kernels into the cache: not measured (a cold compile
    # leaves LLVM's memory behind in its process, which would count as the race's). It races as
    # long as the measured ones: a short race left the record's thinning and checkpoint kernels
    # to compile in the first measured window (5 racers: 385 MB with a cold cache, 268 warm)
    one = [sys.executable, __file__, "--steps", str(args.steps), "--one", "5,new"]
    subprocess.run(one, capture_output=True, check=True)
    results = []
    for racers in (5, 12):
        for old in ("new", "old"):
            out = subprocess.run(
                [sys.executable, __file__, "--steps", str(args.steps), "--one", f"{racers},{old}"],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append((racers, old, json.loads(out.stdout.strip().splitlines()[-1])))
    load = os.getloadavg()[0]
    print(f"Window under {os.environ['QT_QPA_PLATFORM']}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"flat out until every racer made {args.steps:,} steps (convergence test off)\n")
    header = (
        f"{'racers':>6} {'record':<26} {'idle MB':>8} {'after MB':>9} {'added MB':>9} "
        f"{'peak MB':>8} {'rows/racer':>10} {'exact at cursor':>16}"
    )
    print(header)
    for _racers, old, r in results:
        name = f"{OLD_ROWS:,} rows (before)" if old == "old" else "bounded + exact on demand"
        exact = f"{r['exact_ms']:.0f} ms" + ("" if r["exact"] else " (not exact)")
        print(
            f"{r['racers']:>6} {name:<26} {r['idle']:>8.0f} {r['after']:>9.0f} "
            f"{r['after'] - r['idle']:>9.0f} {r['peak']:>8.0f} {r['rows']:>10,} {exact:>16}"
        )


if __name__ == "__main__":
    main()
