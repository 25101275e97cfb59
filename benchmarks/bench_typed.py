"""Typed losses: time to a first trajectory (cached, never typed, refused) and the window's stall.

    PYTHONPATH=. python benchmarks/bench_typed.py [--repeat 3]

Every case runs in a fresh process with a throw-away home, settings and kernel cache (the user's
are never touched); a first process fills that cache with the built-in kernels and the shared
typed-loss runner, as the first start of the app does, and is not timed.

Part 1 times ``get_loss(formula)`` + a 10-step Adam run (the first trajectory):

- *in-process (reference)*: sympy and numba in the caller, as before the bounded compile
  (sympy imported before the clock, as the child has it imported);
- *never typed, child waiting*: the window (a child is started and warmed up — Python, sympy,
  numba — when the learner starts typing; the clock starts at Enter);
- *never typed, child on demand*: the API and the command line (the child starts on demand);
- *typed before (disk cache)*: a new process loads the machine code; it must start no child and
  import no sympy (both checked);
- *refused*: ``(((((2*x)^100)^100)^100)^100)^100`` stopped at the CPU limit (10 s; 5 s before session 14).

Part 2 types a long valid formula (337 characters: numba needs ~1.7 s of CPU for it) into the
window (offscreen) and records the gaps between the ticks of a 2 ms timer in the GUI thread
from Enter until the window begins to take in the new race (the compile, then loading it, its
minima and contours in the worker thread), and from then until 0.3 s after the surface arrived (the
GUI thread taking in the new race and surface and drawing them): the longest gap on the
clock and *held* (the gap less the time the GUI thread waited for a CPU, from
/proc/thread-self/schedstat).
Reference in the same run: numba compiling in the window's process, as before.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMULA = "x^2 + {k}.25*y^2 + sin(x*y) - 0.5*exp(-(x - 1)^2)"
LONG = (
    "sin(x)*cos(y)*exp(-x*y/{k})*tanh(x+y)*sigmoid(x-y)*softplus(x*y)*atan(x^2-y)*log(2+sin(x*y))"
    "*sqrt(3+cos(x-y))*hypot(x,y+1)*max(x,y)*min(x^2,y)*relu(x+1)*abs(y-1)*sin(2*x+y)*cos(x-2*y)"
    "*exp(-(x-1)^2/9)*tanh(2*x-y)*sigmoid(x+2*y)*softplus(y-x)*atan(y^2-x)*log(3+cos(x*y))"
    "*sqrt(4+sin(x+y))*hypot(x-1,y)*max(y,x^2)*min(x,y^2)*relu(y+2)*abs(x+1)"
)
FREEZER = "(((((2*x)^100)^100)^100)^100)^100"
TARGET_CACHED = 0.1
TARGET_COLD = 1.5

_WAIT_READY = """
def wait_ready(pid):
    '''Until the waiting child has finished warming up (its CPU time stops growing), at most 30 s.'''
    def cpu():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    last, still, deadline = -1, 0, time.monotonic() + 30
    while still < 4 and time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu()
        still = still + 1 if now == last else 0
        last = now
"""

_ENGINE = (
    """
import sys, time
from engine import _compile_child
from engine.losses import get_loss
from engine.simulate import simulate
import engine._fn_kernels  # the shared runner: the window loads it at start
mode, text = sys.argv[1], sys.argv[2]
"""
    + _WAIT_READY
    + """
if mode == "in-process":
    from engine._parser import fold, parse
    from engine._symbolic import loss_function_source

    def here(formula, build=None, **limits):
        return loss_function_source(fold(parse(formula))), False  # engine.expressions compiles it here

    _compile_child.compile_in_child = here
if mode == "waiting":
    _compile_child.prestart()
    wait_ready(_compile_child._spare.pid)
if mode == "cached":
    def refuse():
        raise AssertionError("a child was started for a cached formula")
    _compile_child._start_child = refuse
start = time.perf_counter()
try:
    simulate(get_loss(text), "adam", steps=10)
    outcome = "ok"
except ValueError as exc:
    outcome = "refused: " + str(exc)[:40]
seconds = time.perf_counter() - start
if mode == "cached" and "sympy" in sys.modules:
    outcome = "sympy imported"
print(f"{seconds:.4f} {outcome}")
"""
)

_GUI = (
    """
import os, sys, time
from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
mode, text, settings = sys.argv[1], sys.argv[2], sys.argv[3]
"""
    + _WAIT_READY
    + """
app = QApplication([])
QCoreApplication.setOrganizationName("optimizer-lab-bench")
QSettings.setDefaultFormat(QSettings.IniFormat)
QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, settings)
from engine import _compile_child
from gui.main_window import MainWindow

# when the window starts taking in the new race: its reset or its surface, whichever comes first
arrived = []
for _name in ("_race_reset", "_surface_ready"):
    def _stamp(self, *args, _own=getattr(MainWindow, _name)):
        if not arrived:
            arrived.append(time.perf_counter())
        return _own(self, *args)
    setattr(MainWindow, _name, _stamp)

if mode == "reference":  # the child differentiates only; numba compiles in this process, as before
    original = _compile_child.compile_in_child
    _compile_child.compile_in_child = lambda formula, build=None, **limits: original(formula, **limits)

def run_until(signal, check=lambda *a: True, timeout=300_000):
    loop = QEventLoop()
    def done(*args):
        if check(*args):
            loop.quit()
    signal.connect(done)
    QTimer.singleShot(timeout, loop.quit)
    loop.exec()
    signal.disconnect(done)

def waited():
    try:
        with open("/proc/thread-self/schedstat") as f:
            return int(f.read().split()[1]) / 1e9
    except OSError:
        return 0.0

window = MainWindow()
window.show()
ready = []
window.worker.race_reset.connect(lambda *a: ready.append(1))
window.start_engine()
while not ready:
    app.processEvents(QEventLoop.AllEvents, 50)
    time.sleep(0.01)
window.worker.prepare_compiler()  # what the first key typed does
deadline = time.monotonic() + 30
while _compile_child._spare is None and time.monotonic() < deadline:
    app.processEvents(QEventLoop.AllEvents, 50)
    time.sleep(0.01)
wait_ready(_compile_child._spare.pid)
gaps = []
last = [time.perf_counter(), waited()]
def tick():
    now, w = time.perf_counter(), waited()
    gaps.append((now - last[0], now - last[0] - (w - last[1]), now - start))
    last[:] = [now, w]
timer = QTimer()
timer.setTimerType(Qt.PreciseTimer)
timer.setInterval(2)
timer.timeout.connect(tick)
edit = window.controls.expression_edit
edit.setText(text)
start = time.perf_counter()
last[:] = [start, waited()]
arrived.clear()
timer.start()
QTest.keyClick(edit, Qt.Key_Return)
run_until(window.worker.surface_ready, lambda payload: payload.config is not None)
shown = time.perf_counter() - start
pause = QEventLoop()
QTimer.singleShot(300, pause.quit)
pause.exec()
timer.stop()
ok = window.surface.expression == text
taken_in = arrived[0] - start if arrived else shown  # no new race taken in: the run says so below
# a gap that ended before the window began taking in the new race: the compile held the window;
# the gap in which it took it in (the reset, the surface, the first paint of both) and after: drawing
before = [(g, h) for g, h, t in gaps if t < taken_in] or [(0.0, 0.0)]
after = [(g, h) for g, h, t in gaps if t >= taken_in] or [(0.0, 0.0)]
worst = [max(x[i] for x in part) * 1000 for part in (before, after) for i in (0, 1)]
print(f"{shown:.3f} {' '.join(f'{w:.1f}' for w in worst)} {len(gaps)} {ok}")
window.close()
window.shutdown(60_000)
"""
)


def _run(code: str, args: list[str], env: dict[str, str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return result.stdout.split()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-typed-") as tmp:
        home = Path(tmp) / "home"
        env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_STATE_HOME": str(home / ".local" / "state"),
            "OPTIMIZER_LAB_CACHE_DIR": str(Path(tmp) / "kernels"),
            "OPTIMIZER_LAB_MACHINE_CACHE": "",
            "PYTHONPATH": str(ROOT),
            "QT_QPA_PLATFORM": "offscreen",
        }
        env.pop("NUMBA_CACHE_DIR", None)
        _run(_ENGINE, ["child", FORMULA.format(k=0)], env)  # fills the kernel cache: not timed
        times: dict[str, list[float]] = {}
        outcomes: dict[str, str] = {}
        k = 1
        for _ in range(args.repeat):
            for mode in ("in-process", "waiting", "child"):
                seconds, *outcome = _run(_ENGINE, [mode, FORMULA.format(k=k)], env)
                times.setdefault(mode, []).append(float(seconds))
                outcomes[mode] = " ".join(outcome)
                k += 1
            seconds, *outcome = _run(_ENGINE, ["cached", FORMULA.format(k=k - 1)], env)
            times.setdefault("cached", []).append(float(seconds))
            outcomes["cached"] = " ".join(outcome)
        seconds, *outcome = _run(_ENGINE, ["child", FREEZER], env)
        times["refused"] = [float(seconds)]
        outcomes["refused"] = " ".join(outcome)

        stalls: dict[str, list[list[str]]] = {}
        for i in range(args.repeat):
            for mode in ("reference", "child"):
                settings = str(Path(tmp) / f"settings-{mode}-{i}")
                text = LONG.format(k=f"{4 + i}.{1 if mode == 'child' else 3}")  # new to the cache
                row = _run(_GUI, [mode, text, settings], env)
                stalls.setdefault(mode, []).append(row)
    load_after = os.getloadavg()

    machine = platform.processor() or platform.machine()
    print(
        f"{machine}, {os.cpu_count()} CPUs; load average {load_before[0]:.1f} / {load_before[1]:.1f} / "
        f"{load_before[2]:.1f} before, {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f} after"
    )
    print(f"\n1. typed loss → first trajectory (get_loss + 10 Adam steps), median of {args.repeat}")
    names = {
        "in-process": "never typed, sympy + numba in the caller (reference)",
        "waiting": "never typed, child waiting (the window)",
        "child": "never typed, child started on demand (API, CLI)",
        "cached": "typed before: disk cache, no child, no sympy",
        "refused": "refused at a limit (the freezer)",
    }
    reference = statistics.median(times["in-process"])
    print(f"{'case':54} {'seconds':>8} {'× ref':>6}  {'target':>7}  outcome")
    targets = {"waiting": TARGET_COLD, "child": TARGET_COLD, "cached": TARGET_CACHED}
    for mode, name in names.items():
        median = statistics.median(times[mode])
        target = f"≤ {targets[mode]:g} s" if mode in targets else ""
        print(f"{name:54} {median:8.3f} {median / reference:6.2f}  {target:>7}  {outcomes[mode]}")

    print(
        f"\n2. the window while a 337-character formula compiles (offscreen), median [max] of {args.repeat}"
    )
    print(
        f"{'where numba compiles':38} {'Enter→surface':>13}   longest gap, ms: {'until it arrives':>17} "
        f"{'taking it in':>17}"
    )
    labels = {"reference": "in the window's process (reference)", "child": "in the child (now)"}
    for mode, label in labels.items():
        rows = stalls[mode]
        shown = statistics.median(float(r[0]) for r in rows)
        cells = []
        for column in (1, 2, 3, 4):
            values = [float(r[column]) for r in rows]
            cells.append(f"{statistics.median(values):5.0f} [{max(values):4.0f}]")
        ok = all(r[6] == "True" for r in rows)
        print(
            f"{label:38} {shown:11.2f} s   clock {cells[0]} held {cells[1]}   "
            f"clock {cells[2]} held {cells[3]}{'' if ok else '  (surface not shown!)'}"
        )
    print(
        "held = on the clock less the time the GUI thread waited for a CPU; 'taking it in' = from the "
        "window's first step with the new race (its reset or surface) to 0.3 s after the surface"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
