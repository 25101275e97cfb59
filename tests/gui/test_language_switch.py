"""A language switch rebuilds the window and carries on the same race, step and lesson."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_language_switch_keeps_the_race_its_edits_its_step_and_the_lesson(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests/gui/_language_switch_child.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # the same numbers at the same step, the mid-run edit replayed where it was made
    assert out["after"] == out["before"]
    assert all(steps[-1] == 7 for steps, _w, _loss in out["after"].values())
    assert out["editor_lr"] == out["edited_lr"]  # the editor shows what is in effect now
    assert out["lr_at"][0] == 2 * out["lr_at"][1]  # … and the inspector what was at each step
    assert out["lesson_kept"] and out["lesson_tab"] and out["rtl"]
    assert out["font_back"]  # English again: the system font, not Persian's (its − reads "-")
