"""Run the GUI tests N times in a row, each in a fresh process, and count failures and crashes.

    python tests/repeat_gui_tests.py                    # 20 runs of tests/gui
    python tests/repeat_gui_tests.py -n 50 tests/gui/test_main_window.py
    python tests/repeat_gui_tests.py --cold             # an empty kernel cache for every run

A flaky test passes alone and fails one run in ten; a crash (a segfault in the event loop) ends
pytest without a summary. Repeating the suite is the only way to see either, so this prints one
line per run (passed, failed with the failing tests, or crashed with the test that was running
and the signal) and a total; the exit code is 0 only if every run passed. Each run's output is
kept in ``--logs`` (default: a temporary folder, named at the end).

The runs share one kernel cache (compiled once in the first run) unless ``--cold`` is given;
like every test session they never touch the user's home (tests/conftest.py).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_RESULT = re.compile(r"^(tests/\S+::\S+(?:\[.*?\])?) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)")
_STARTED = re.compile(r"^(tests/\S+::\S+(?:\[.*?\])?) ")


def classify(returncode: int, output: str) -> tuple[str, list[str]]:
    """('passed' | 'failed' | 'crashed', the tests to blame) from one run's exit code and output."""
    failed = [
        m.group(1)
        for line in output.splitlines()
        if (m := _RESULT.match(line))
        and m.group(2)
        in (
            "FAILED",
            "ERROR",
        )
    ]
    if returncode < 0 or "Fatal Python error" in output or returncode not in (0, 1):
        started = [m.group(1) for line in output.splitlines() if (m := _STARTED.match(line))]
        finished = {m.group(1) for line in output.splitlines() if (m := _RESULT.match(line))}
        running = [t for t in started if t not in finished]
        why = signal.Signals(-returncode).name if returncode < 0 else f"exit code {returncode}"
        return "crashed", [f"{running[-1] if running else '(no test running)'} ({why})"]
    if returncode == 1 or failed:
        return "failed", failed
    return "passed", []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="how many runs (default 20)")
    parser.add_argument("--cold", action="store_true", help="an empty kernel cache for every run")
    parser.add_argument("--logs", type=Path, help="folder for each run's output (default: a temporary one)")
    parser.add_argument("paths", nargs="*", default=["tests/gui"], help="what to run (default tests/gui)")
    args = parser.parse_args(argv)

    logs = args.logs or Path(tempfile.mkdtemp(prefix="optimizer-lab-repeat-"))
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if not args.cold:
        env["OPTIMIZER_LAB_TEST_CACHE_DIR"] = str(logs / "kernel-cache")
    command = [sys.executable, "-X", "faulthandler", "-m", "pytest", "-v", "-p", "no:cacheprovider"]
    # one process (-n 0, not pyproject's xdist workers): a crash ends the run and names its test
    command += ["-n", "0", "-o", "faulthandler_timeout=600", *args.paths]
    print(f"{args.runs} runs of: {' '.join(command[1:])}", flush=True)
    counts = {"passed": 0, "failed": 0, "crashed": 0}
    for run in range(1, args.runs + 1):
        t0 = time.perf_counter()
        result = subprocess.run(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        seconds = time.perf_counter() - t0
        log = logs / f"run-{run:02d}.log"
        log.write_text(result.stdout, encoding="utf-8")
        outcome, blamed = classify(result.returncode, result.stdout)
        counts[outcome] += 1
        summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")
        line = f"run {run:2d}/{args.runs}: {outcome:<7} {seconds:6.1f} s  {summary}"
        print(line + "".join(f"\n    {t}" for t in blamed), flush=True)
    print(
        f"{args.runs} runs: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['crashed']} crashed; logs in {logs}",
        flush=True,
    )
    return 0 if counts["passed"] == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
