"""Start-up time to a visible window, warm (numba cache filled) and cold (empty cache).

    python benchmarks/bench_startup.py [--repeat 5] [--cold-repeat 3] [--platform offscreen]

Each run is a fresh ``python main.py`` with ``OPTIMIZER_LAB_EXIT_AFTER_SHOWN`` set, so
gui/app.py prints ``window-shown <s>`` once the window has painted (and, with ``ready``,
``engine-ready <s>`` once the kernels are loaded or compiled) and quits. Three clocks:

- *app*: what app.py reports, counted from its import (excludes interpreter start-up);
- *seen*: from spawning the process to reading that line — what a user waits for;
- *process*: spawn to exit, including Qt teardown.

The "cold, lab" rows start with an empty private cache but a machine-wide cache filled once
(``main.py cache --fill``, as a lab installer does): a student on a wiped account. The other
cold rows have no machine cache at all.

The reference row imports PySide6.QtWidgets and pyqtgraph and nothing else, measured in the
same run: that is the floor any window of ours stands on. Targets: warm ≤ 0.5 s, cold ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "import PySide6.QtWidgets, pyqtgraph"
TARGETS = {"warm": 0.5, "cold": 2.0}


def _env(cache_dir: Path, mode: str | None, qpa: str, machine: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "OPTIMIZER_LAB_CACHE_DIR": str(cache_dir), "QT_QPA_PLATFORM": qpa}
    env["OPTIMIZER_LAB_MACHINE_CACHE"] = str(machine or "")  # "": none, whatever is installed
    env.pop("NUMBA_CACHE_DIR", None)
    if mode:
        env["OPTIMIZER_LAB_EXIT_AFTER_SHOWN"] = mode
    return env


def run_once(command: list[str], env: dict[str, str], timeout: float = 120) -> dict[str, float]:
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
        if len(parts) == 2 and parts[0] in ("window-shown", "engine-ready"):
            result[f"{parts[0]}:seen"] = time.perf_counter() - start
            result[f"{parts[0]}:app"] = float(parts[1])
    stderr = proc.stderr.read() if proc.stderr else ""
    code = proc.wait()
    watchdog.cancel()
    result["process"] = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{stderr[-3000:]}")
    return result


def summarise(label: str, runs: list[dict[str, float]], key: str | None) -> str:
    def cell(name: str) -> str:
        values = [r[name] for r in runs if name in r]
        if not values:
            return f"{'–':>20}"
        return f"{statistics.median(values):6.3f} ({min(values):.3f}–{max(values):.3f})".rjust(20)

    app = cell(f"{key}:app") if key else cell("__none__")
    seen = cell(f"{key}:seen") if key else cell("__none__")
    return f"| {label:<46} | {app} | {seen} | {cell('process')} | {len(runs):>2} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per warm row (default 5)")
    parser.add_argument("--cold-repeat", type=int, default=3, help="runs per cold row (default 3)")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen, xcb under Xvfb)")
    args = parser.parse_args(argv)

    python = sys.executable
    app = [python, str(ROOT / "main.py")]
    with tempfile.TemporaryDirectory(prefix="optlab-bench-") as tmp:
        warm_cache = Path(tmp) / "warm"
        # every start's settings, logs and data in the scratch folder: the window saves its
        # geometry on exit, and the user's next start must not open where a benchmark left it
        for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
            os.environ[name] = str(Path(tmp) / name.lower())
        run_once(app, _env(warm_cache, "ready", args.platform))  # fill the cache once

        reference = [run_once([python, "-c", REFERENCE], os.environ.copy()) for _ in range(args.repeat)]
        Row = tuple[str, list[dict[str, float]], str | None]
        rows: list[Row] = [(f"reference: {REFERENCE}", reference, None)]
        warm_window = [run_once(app, _env(warm_cache, "1", args.platform)) for _ in range(args.repeat)]
        warm_ready = [run_once(app, _env(warm_cache, "ready", args.platform)) for _ in range(args.repeat)]
        cold_window, cold_ready, lab_window, lab_ready = [], [], [], []
        machine = Path(tmp) / "machine"
        fill = [python, str(ROOT / "main.py"), "cache", "--fill", str(machine)]
        subprocess.run(fill, cwd=ROOT, env=_env(Path(tmp) / "fill", None, args.platform), check=True)
        for i in range(args.cold_repeat):
            cold_window.append(run_once(app, _env(Path(tmp) / f"cold-w{i}", "1", args.platform)))
            cold_ready.append(run_once(app, _env(Path(tmp) / f"cold-r{i}", "ready", args.platform)))
            lab_window.append(run_once(app, _env(Path(tmp) / f"lab-w{i}", "1", args.platform, machine)))
            lab_ready.append(run_once(app, _env(Path(tmp) / f"lab-r{i}", "ready", args.platform, machine)))
        rows += [
            ("warm: window shown", warm_window, "window-shown"),
            ("warm: engine ready (kernels loaded)", warm_ready, "engine-ready"),
            ("cold: window shown (empty cache)", cold_window, "window-shown"),
            ("cold: engine ready (compiled)", cold_ready, "engine-ready"),
            ("cold, lab: window shown (machine cache)", lab_window, "window-shown"),
            ("cold, lab: engine ready (machine cache)", lab_ready, "engine-ready"),
        ]

    print(
        f"Optimizer Lab start-up, seconds, median (min–max); {platform.platform()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, QT_QPA_PLATFORM={args.platform}"
    )
    print(f"| {'':<46} | {'app (from import)':>20} | {'seen (from spawn)':>20} | {'process wall':>20} | n  |")
    print(f"|{'-' * 48}|{'-' * 22}|{'-' * 22}|{'-' * 22}|----|")
    for label, runs, key in rows:
        print(summarise(label, runs, key))

    for name, runs in (("warm", warm_window), ("cold", cold_window)):
        seen = statistics.median(r["window-shown:seen"] for r in runs)
        verdict = "met" if seen <= TARGETS[name] else "NOT met"
        print(
            f"{name} start to a window: {seen:.3f} s seen by the user, target ≤ {TARGETS[name]} s: {verdict}"
        )
    for name, runs in (("without", cold_ready), ("with", lab_ready)):
        seen = statistics.median(r["engine-ready:seen"] for r in runs)
        verdict = "met" if seen <= TARGETS["cold"] else "NOT met"
        print(f"fresh user {name} the machine cache, to a ready race: {seen:.3f} s, target ≤ 2 s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
