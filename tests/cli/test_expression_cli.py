"""``main.py run --loss EXPRESSION``: a typed formula runs headless; a hostile one is one error line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine.trajectory import CSV_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_typed_loss_runs_and_writes_csv() -> None:
    out = run_cli("run", "--loss", "x^2 + 10*y^2", "--optimizer", "adam", "--steps", "5", "--start", "-2,1")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].split(",")[: len(CSV_COLUMNS)] == list(CSV_COLUMNS)
    assert len(lines) == 1 + 6  # header, the start, five steps
    first = dict(zip(CSV_COLUMNS, lines[1].split(","), strict=False))
    assert float(first["w1"]) == -2.0 and float(first["loss"]) == 14.0


def test_hostile_loss_exits_non_zero_with_the_message() -> None:
    out = run_cli("run", "--loss", "__import__('os')", "--steps", "5")
    assert out.returncode != 0
    assert out.stdout == ""
    err = out.stderr.strip().splitlines()
    assert len(err) == 1, out.stderr
    assert "--loss" in err[0] and "at column 12" in err[0] and "strings are not allowed" in err[0]


def test_unknown_name_is_reported_with_its_column() -> None:
    out = run_cli("run", "--loss", "x + z", "--steps", "5")
    assert out.returncode == 2
    assert "unknown name 'z' at column 5 — use x and y" in out.stderr
