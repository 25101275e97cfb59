"""How long a typed loss takes to become a Surface: never typed, typed before (disk cache), and refused.

    python benchmarks/bench_typed_loss.py [--repeat 3]

Each row is a fresh process with a warm kernel cache (the built-in kernels and the typed-loss
runner are compiled once, first) and times ``get_loss(formula)`` alone:

- *in-process sympy (reference)*: what the code did before the bounded child — parse,
  differentiate and print in the caller (``engine._symbolic.loss_function_source``), then
  compile with numba: the floor the child's isolation is measured against, in the same run;
- *cold, child started on demand*: the API and the command line (a new child per formula);
- *cold, child waiting*: the window, which starts a child when the user begins typing;
- *cached*: the same formula in a new process: the disk cache answers and no child starts;
- *refused*: ``(((((2*x)^100)^100)^100)^100)^100``, stopped at the 5 s CPU limit.

Every cold formula is new to the cache (a counter in a constant), so nothing is reused.
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
TARGET_COLD = 1.5

_TIMED = """
import os, sys, time
from engine import _compile_child
from engine import expressions
mode = sys.argv[1]
text = sys.argv[2]
if mode == "in-process":
    from engine._parser import fold, parse
    from engine._symbolic import loss_function_source
    import engine._symbolic  # sympy is imported before the clock, as the child has it imported
    expressions._function_source = lambda formula: loss_function_source(fold(parse(formula)))
if mode == "waiting":
    _compile_child.prestart()
    time.sleep(3.0)  # the user types
if mode == "cached":
    _compile_child._start_child = None  # would fail if a child were started
start = time.perf_counter()
try:
    expressions.compile_expression(text)
    outcome = "ok"
except ValueError as exc:
    outcome = "refused: " + str(exc)[:40]
print(f"{time.perf_counter() - start:.3f} {outcome}")
"""


def timed(mode: str, text: str, env: dict[str, str]) -> tuple[float, str]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_TIMED), mode, text],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.split(maxsplit=1)
    return float(out[0]), out[1].strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "OPTIMIZER_LAB_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}
        env.pop("NUMBA_CACHE_DIR", None)
        timed("child", FORMULA.format(k=0), env)  # compiles the kernels and the runner: not timed
        rows: dict[str, list[float]] = {}
        outcomes: dict[str, str] = {}
        k = 1
        for _ in range(args.repeat):
            for mode in ("in-process", "child", "waiting"):
                seconds, outcomes[mode] = timed(mode, FORMULA.format(k=k), env)
                rows.setdefault(mode, []).append(seconds)
                k += 1
            seconds, outcomes["cached"] = timed("cached", FORMULA.format(k=k - 1), env)
            rows.setdefault("cached", []).append(seconds)
        seconds, outcomes["refused"] = timed("child", "(((((2*x)^100)^100)^100)^100)^100", env)
        rows["refused"] = [seconds]
    names = {
        "in-process": "cold, in-process sympy (reference)",
        "child": "cold, child started on demand (API, CLI)",
        "waiting": "cold, child waiting (window)",
        "cached": "cached (no child)",
        "refused": "refused at the limit",
    }
    reference = statistics.median(rows["in-process"])
    print(
        f"typed loss → Surface, median of {args.repeat}; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'case':44} {'seconds':>8} {'× ref':>6}  outcome")
    for mode, name in names.items():
        median = statistics.median(rows[mode])
        print(f"{name:44} {median:8.3f} {median / reference:6.2f}  {outcomes[mode]}")
    print(f"target: a never-typed formula ≤ {TARGET_COLD} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
