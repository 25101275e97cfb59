"""The window stays responsive while a map computes: the longest gap between the ticks of a 2 ms
timer in the GUI thread while the Maps panel draws a 256² and a 512² Adam basin map of Himmelblau
(a 64² preview first, then the full grid row block by row block).

    .venv/bin/python benchmarks/bench_maps_stall.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from gui.panels.map_panel import MapPanel


class Ticks:
    """Gaps between the ticks of a 2 ms timer: how long the event loop was held."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(2)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def main() -> None:
    app = QApplication([])
    panel = MapPanel()
    panel.live.setChecked(False)
    panel.resize(700, 700)
    panel.show()
    panel.set_context(
        loss="himmelblau",
        optimizer="adam",
        hyperparameters={"lr": 0.05},
        start=(-0.5, -1.5),
        view=(-5.0, 5.0, -5.0, 5.0),
        steps=500,
    )
    done: list[bool] = []
    panel.worker.picture_ready.connect(lambda _r, _p, final: done.append(final))

    def compute(grid: int) -> float:
        done.clear()
        panel.grid.setCurrentIndex(panel.grid.findData(grid))
        t0 = time.perf_counter()
        panel.compute()
        while not any(done):
            app.processEvents()
            time.sleep(0.0005)
        return time.perf_counter() - t0

    compute(64)  # compile or load the batch kernels first
    print(f"load average {os.getloadavg()[0]:.2f}")
    print("| grid | map shown after | longest event-loop gap | ticks |")
    print("|---|---:|---:|---:|")
    for grid in (256, 512):
        ticks = Ticks()
        wall = compute(grid)
        ticks.timer.stop()
        print(f"| {grid}² | {wall:.2f} s | {max(ticks.gaps) * 1e3:.1f} ms | {len(ticks.gaps)} |")
    panel.shutdown()


if __name__ == "__main__":
    main()
