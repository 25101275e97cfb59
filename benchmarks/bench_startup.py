"""Start-up time: a painted window (warm) and a ready race for a fresh account, with and without
the lab's machine-wide kernel cache, against a bare PySide6 + pyqtgraph window in the same run.

    PYTHONPATH=. python benchmarks/bench_startup.py [--repeat 5] [--cold-repeat 3] [--platform offscreen]
    PYTHONPATH=. python benchmarks/bench_startup.py --instructions    # counts, for a busy machine

Each run is a fresh ``python main.py`` with ``OPTIMIZER_LAB_EXIT_AFTER_SHOWN`` set: gui/app.py
prints ``window-shown <s>`` once the window's first paint pass is over and (with ``ready``)
``engine-ready <s>`` once the kernels are loaded or compiled and ``race-ready <s>`` once the
first race (its surface, racers, table) has been painted, then quits. Clocks:

- *seen*: from spawning the process to reading that line — what a user waits for;
- *app*: what app.py reports, counted from its import (leaves out Python's own start-up);
- *process*: spawn to exit, including Qt's teardown.

The reference is a QMainWindow holding one pyqtgraph PlotWidget, the same size, timed to its
first paint by the same probe (gui.app.report_first_paint): the floor any window of ours
stands on. "cold" rows are a fresh account: an empty private kernel cache; "lab" rows have a
machine-wide cache filled once by ``main.py cache --fill`` (what ``--install-launcher
--all-users`` does), "no lab cache" rows have none and compile.

Nothing of the user's is read or written: every process gets a temporary HOME, XDG folders and
kernel cache. The machine's load average is printed before and after: figures from a busy
machine are slower by about the factor the reference row shows.
Targets: warm window ≤ 0.5 s (issue 18), fresh account with the lab cache to a ready race ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = """
import sys, time
T0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
import pyqtgraph as pg
from gui.app import report_first_paint
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1366, 768)
def report():
    print(f"window-shown {time.perf_counter() - T0:.4f}", flush=True)
    app.quit()
report_first_paint(window, report)
window.show()
app.exec()
"""
TARGETS = {"warm window": 0.5, "lab ready": 2.0}
#: the reference ending its process at the first paint, as OPTIMIZER_LAB_EXIT_AFTER_SHOWN=paint does
REFERENCE_PAINT_EXIT = REFERENCE.replace("import sys, time", "import os, sys, time").replace(
    "    app.quit()", "    os._exit(0)"
)


class Scratch:
    """Temporary home, XDG folders and kernel caches for every process of the run."""

    def __init__(self, root: Path, platform_name: str) -> None:
        self.root = root
        self.base = {**os.environ, "QT_QPA_PLATFORM": platform_name, "PYTHONPATH": str(ROOT)}
        home = root / "home"
        self.base |= {
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
        }
        # PYTHONDONTWRITEBYTECODE (set in some shells and CI) would compile every module of the
        # app from source at each start, while pip had compiled the reference's pyqtgraph: a
        # user's second start reads the bytecode the first wrote, and so does the "warm" row.
        unset = ("NUMBA_CACHE_DIR", "OPTIMIZER_LAB_LANGUAGE", "XDG_CONFIG_DIRS", "PYTHONDONTWRITEBYTECODE")
        for name in unset:
            self.base.pop(name, None)
        home.mkdir()

    def env(self, cache: str, mode: str | None = None, machine: Path | None = None) -> dict[str, str]:
        """A child's environment: private kernel cache ``cache``, machine cache ``machine`` or none."""
        env = {**self.base, "OPTIMIZER_LAB_CACHE_DIR": str(self.root / cache)}
        env["OPTIMIZER_LAB_MACHINE_CACHE"] = str(machine or "")  # "": none, whatever is installed
        if mode:
            env["OPTIMIZER_LAB_EXIT_AFTER_SHOWN"] = mode
        return env


def run_once(command: list[str], env: dict[str, str], timeout: float = 300) -> dict[str, float]:
    """Spawn, timestamp each ``<event> <seconds>`` line as it arrives, wait for exit."""
    result: dict[str, float] = {}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    watchdog = threading.Timer(timeout, proc.kill)  # a hung start must not hang the benchmark
    watchdog.start()
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("window-shown", "engine-ready", "race-ready"):
            result[f"{parts[0]}:seen"] = time.perf_counter() - start
            result[f"{parts[0]}:app"] = float(parts[1])
    stderr = proc.stderr.read() if proc.stderr else ""
    code = proc.wait()
    watchdog.cancel()
    result["process"] = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{stderr[-3000:]}")
    return result


def instructions(command: list[str], env: dict[str, str], out: Path) -> int:
    """Instructions the process executes up to its first paint, counted by valgrind's callgrind.

    Unlike seconds, the count hardly depends on what else the machine is doing: a change can be
    weighed on a busy machine. The process ends at the paint (nothing after it is counted), and
    the app sets no engine fallback timer in this mode: under valgrind, ~50× slower, the first
    paint came after its 1.5 s, and the count took in the engine's start and numba's import.
    """
    valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    done = subprocess.run(valgrind + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    counts = [line.split()[-1] for line in done.stderr.splitlines() if "Collected :" in line]
    if done.returncode != 0 or not counts:
        raise SystemExit(f"valgrind {' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return int(counts[-1])


def median(runs: list[dict[str, float]], name: str) -> float | None:
    values = [r[name] for r in runs if name in r]
    return statistics.median(values) if values else None


def cell(runs: list[dict[str, float]], name: str) -> str:
    values = [r[name] for r in runs if name in r]
    if not values:
        return "–"
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def load() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - Windows
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per warm row and the reference (default 5)"
    )
    parser.add_argument("--cold-repeat", type=int, default=3, help="runs per cold row (default 3)")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen, xcb under Xvfb)")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instead: count the instructions to the warm window's first paint and the reference's "
        "under valgrind (load-independent; about a minute each)",
    )
    args = parser.parse_args(argv)
    if args.instructions:
        return count_instructions(args.platform)

    python = sys.executable
    app = [python, str(ROOT / "main.py")]
    load_before = load()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="optlab-bench-") as tmp:
        scratch = Scratch(Path(tmp), args.platform)
        # fill the warm cache once (and the first-run settings, and the app's bytecode)
        run_once(app, scratch.env("warm", "ready"))
        machine = Path(tmp) / "machine"
        fill = [python, str(ROOT / "main.py"), "cache", "--fill", str(machine)]
        subprocess.run(fill, cwd=ROOT, env=scratch.env("filler"), check=True, capture_output=True)

        reference, warm_window, warm_ready = [], [], []
        for _ in range(args.repeat):  # interleaved, so a change of load hits every row alike
            reference.append(run_once([python, "-c", REFERENCE], scratch.env("reference")))
            warm_window.append(run_once(app, scratch.env("warm", "1")))
            warm_ready.append(run_once(app, scratch.env("warm", "ready")))
        cold_window, cold_ready, lab_window, lab_ready = [], [], [], []
        for i in range(args.cold_repeat):
            cold_window.append(run_once(app, scratch.env(f"cold-w{i}", "1")))
            cold_ready.append(run_once(app, scratch.env(f"cold-r{i}", "ready")))
            lab_window.append(run_once(app, scratch.env(f"lab-w{i}", "1", machine)))
            lab_ready.append(run_once(app, scratch.env(f"lab-r{i}", "ready", machine)))
    rows = [
        ("reference: bare PySide6 + pyqtgraph window, painted", reference, "window-shown"),
        ("warm: window painted", warm_window, "window-shown"),
        ("warm: kernels loaded", warm_ready, "engine-ready"),
        ("warm: race ready (painted)", warm_ready, "race-ready"),
        ("fresh account, lab cache: window painted", lab_window, "window-shown"),
        ("fresh account, lab cache: kernels loaded", lab_ready, "engine-ready"),
        ("fresh account, lab cache: race ready (painted)", lab_ready, "race-ready"),
        ("fresh account, no lab cache: window painted", cold_window, "window-shown"),
        ("fresh account, no lab cache: race ready (compiles)", cold_ready, "race-ready"),
    ]
    floor = median(reference, "window-shown:seen") or float("nan")

    print(
        f"Optimizer Lab start-up, seconds, median (min–max); {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, QT_QPA_PLATFORM={args.platform}"
    )
    took = time.perf_counter() - started
    print(f"load average (1/5/15 min) before: {load_before}; after: {load()}; the run took {took:.0f} s")
    print()
    print("| | seen (from spawn) | × reference | app (from import) | process wall | n |")
    print("|---|---|---|---|---|---|")
    for label, runs, key in rows:
        seen = median(runs, f"{key}:seen")
        ratio = f"{seen / floor:.2f}" if seen is not None else "–"
        print(
            f"| {label} | {cell(runs, f'{key}:seen')} | {ratio} | {cell(runs, f'{key}:app')} "
            f"| {cell(runs, 'process')} | {len(runs)} |"
        )
    print()
    checks = [
        ("warm start to a painted window", median(warm_window, "window-shown:seen"), TARGETS["warm window"]),
        (
            "fresh account with the lab cache, to a ready race",
            median(lab_ready, "race-ready:seen"),
            TARGETS["lab ready"],
        ),
    ]
    for name, value, target in checks:
        verdict = "met" if value is not None and value <= target else "NOT met"
        print(f"{name}: {value:.3f} s, target ≤ {target} s: {verdict}")
    without, with_ = median(cold_ready, "race-ready:seen"), median(lab_ready, "race-ready:seen")
    if without and with_:
        sooner = without / with_
        print(
            f"with the lab cache a fresh account is ready {sooner:.1f}× sooner ({without:.2f} → {with_:.2f})"
        )
    return 0


def count_instructions(platform_name: str) -> int:
    """Print the instructions to the first paint: the warm window against the bare reference."""
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="optlab-bench-") as tmp:
        scratch = Scratch(Path(tmp), platform_name)
        run_once([python, str(ROOT / "main.py")], scratch.env("warm", "ready"))  # warm cache, bytecode
        app_env = scratch.env("warm", "paint")
        app = instructions([python, str(ROOT / "main.py")], app_env, Path(tmp) / "app.cg")
        reference = instructions(
            [python, "-c", REFERENCE_PAINT_EXIT], scratch.env("reference"), Path(tmp) / "reference.cg"
        )
    where = f"{platform.platform()}, QT_QPA_PLATFORM={platform_name}"
    print(f"Instructions to the first paint (callgrind); {where}")
    print()
    print("| | instructions | × reference |")
    print("|---|---|---|")
    print(f"| reference: bare PySide6 + pyqtgraph window | {reference / 1e9:.3f} G | 1.00 |")
    print(f"| warm: window painted | {app / 1e9:.3f} G | {app / reference:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
