"""The headless commands, run as a user would: ``python main.py run|list`` in a subprocess."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import OPTIMIZERS, Trajectory, simulate

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = "step,w1,w2,loss,g1,g2,G1,G2,M1,M2,lr1,lr2"


def main(*args: str, shell_pipe: str | None = None) -> subprocess.CompletedProcess:
    if shell_pipe:
        cmd = f"{sys.executable} main.py {' '.join(args)} | {shell_pipe}; exit ${{PIPESTATUS[0]}}"
        return subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, check=False)
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("start", [["--start", "-1.2,1.0"], ["--start=-1.2,1.0"]])
def test_run_writes_csv_to_stdout_with_row_0_the_start(start: list[str]) -> None:
    r = main("run", "--loss", "rosenbrock", "--optimizer", "adam", *start, "--steps", "50", "--lr", "0.02")
    assert r.returncode == 0, r.stderr
    table = rows(r.stdout)
    assert ",".join(table[0]) == COLUMNS
    assert len(table) == 52
    # step 0 took no step: g and the rate are empty; Adam's G and M start at a real 0
    assert table[1] == ["0", "-1.2", "1.0", "24.199999999999996", "", "", *["0.0"] * 4, "", ""]
    data = np.array([[float(c) if c else 0.0 for c in row] for row in table[1:]])
    t = simulate("rosenbrock", "adam", (-1.2, 1.0), 50, lr=0.02)
    np.testing.assert_array_equal(data[:, 0], np.arange(51))
    np.testing.assert_array_equal(data[:, 1:3], t.w)
    np.testing.assert_array_equal(data[:, 4:6], t.grad)
    np.testing.assert_array_equal(data[:, 10:12], t.lr)


@pytest.mark.parametrize("suffix", [".csv", ".json", ".npz"])
def test_run_out_files(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"traj{suffix}"
    r = main(
        "run",
        "--optimizer",
        "rmsprop",
        "--steps",
        "30",
        "--beta",
        "0.8",
        "--schedule",
        "step:size=10,gamma=0.5",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert "wrote 30 steps (finished)" in r.stderr
    back = Trajectory.load(out)
    t = simulate("quadratic", "rmsprop", steps=30, beta=0.8, schedule="step:size=10,gamma=0.5")
    np.testing.assert_array_equal(back.w, t.w)
    np.testing.assert_array_equal(back.lr, t.lr)
    if suffix != ".csv":
        assert back.hyperparameters == {"lr": 0.02, "beta": 0.8, "eps": 1e-8}


def test_diverging_run_exits_0_with_a_note() -> None:
    r = main("run", "--loss", "rosenbrock", "--optimizer", "sgd", "--lr", "1", "--steps", "100")
    assert r.returncode == 0
    assert r.stderr.strip().startswith("note: sgd diverged at step")
    assert all(np.isfinite(float(c)) for row in rows(r.stdout)[1:] for c in row if c)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lr", "0"], "lr = 0.0 is out of range: η must be in (0, ∞)"),
        (["--lr", "-0.5"], "lr = -0.5 is out of range: η must be in (0, ∞)"),
        (["--lr", "fast"], "--lr must be a number, got 'fast'"),
        (["--beta", "1"], "beta = 1.0 is out of range: β must be in [0, 1)"),
        (["--eps", "-1e-8"], "eps = -1e-08 is out of range: ε must be in [1e-300, 1)"),
        (["--steps", "-3"], "--steps must be a whole number in 0…1,000,000,000,000, got -3"),
        (["--steps", "ten"], "--steps must be a whole number in 0…1,000,000,000,000, got 'ten'"),
        (["--start", "1"], "--start must be two numbers X,Y (e.g. -1.2,1.0), got '1'"),
        (["--start", "inf,0"], "--start must be finite numbers, got 'inf,0'"),
        (["--optimizer", "adamm"], "--optimizer: unknown optimizer 'adamm'; choose one of: sgd"),
        (["--optimizer", "sgd", "--beta", "0.9"], "--beta does not apply to sgd; it takes --lr"),
        (["--schedule", "step:size=0"], "size must be an integer ≥ 1"),
        (["--out", "/nonexistent-dir/x.csv"], "--out: cannot write /nonexistent-dir/x.csv"),
        (["--out", "x.txt"], "--out: cannot write 'x.txt': use a .csv, .json or .npz file"),
    ],
)
def test_bad_arguments_exit_nonzero_with_one_clear_line(args: list[str], message: str) -> None:
    r = main("run", "--steps", "5", *args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert lines[0].startswith("optimizer-lab run: error: ")
    assert message in lines[0]


def test_list_prints_optimizers_with_defaults_and_surfaces() -> None:
    r = main("list")
    assert r.returncode == 0, r.stderr
    for opt in OPTIMIZERS.values():
        line = next(line for line in r.stdout.splitlines() if line.split()[:1] == [opt.id])
        for name, value in opt.defaults.items():
            assert f"{name}={value:g}" in line
    assert "  --beta             β   in [0, 1)" in r.stdout
    for surface in ("quadratic", "rosenbrock"):
        assert f"\n  {surface} " in r.stdout
    assert "cosine:T=1000,min=0" in r.stdout


def test_list_and_run_piped_to_head_do_not_crash() -> None:
    for args in (["list"], ["run", "--steps", "20000"]):
        r = main(*args, shell_pipe="head -n 2")
        assert r.returncode == 0, r.stderr
        assert len(r.stdout.splitlines()) == 2
        assert r.stderr == ""
