"""``main.py map`` end to end: a picture, its numbers, and one clear line for each mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import simulate
from engine.maps import BASIN_COLORS, DIVERGED_COLOR

ROOT = Path(__file__).resolve().parents[2]


def run_map(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "map", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def _count_near(rgb: np.ndarray, colour: str, tol: int = 10) -> int:
    target = np.array([int(colour[k : k + 2], 16) for k in (1, 3, 5)])
    return int(np.count_nonzero(np.abs(rgb.astype(int) - target).max(axis=-1) <= tol))


def test_a_basin_map_picture_shows_four_basins_for_himmelblau(tmp_path: Path) -> None:
    out = tmp_path / "basin.png"
    done = run_map(
        "--loss",
        "himmelblau",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--grid",
        "64",
        "--steps",
        "500",
        "--size",
        "800x600",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "4,096 runs" in done.stdout and "4,096 converged" in done.stdout
    rgb = np.asarray(Image.open(out).convert("RGB"))
    assert rgb.shape == (600, 800, 3)
    # the fastest runs of each basin are drawn in its full colour (the key's swatches are too)
    for colour in BASIN_COLORS[:4]:
        assert _count_near(rgb, colour) > 50, colour


def test_a_hyperparameter_map_as_npz_holds_what_simulate_gives(tmp_path: Path) -> None:
    out = tmp_path / "lr-beta.npz"
    done = run_map(
        "--loss",
        "quadratic",
        "--optimizer",
        "rmsprop",
        "--kind",
        "hyper",
        "--x",
        "lr:1e-3:3:log",
        "--y",
        "beta:0.5:0.99",
        "--grid",
        "9",
        "--steps",
        "120",
        "--start",
        "-3.5,1.5",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    with np.load(out) as f:
        assert str(f["x_name"]) == "lr" and str(f["y_name"]) == "beta"
        assert f["end"].shape == (9, 9, 2)
        for j, i in ((0, 0), (4, 7), (8, 8)):
            t = simulate("quadratic", "rmsprop", (-3.5, 1.5), 120, lr=f["x"][i], beta=f["y"][j])
            np.testing.assert_array_equal(f["end"][j, i], t.w[-1])
            assert f["steps"][j, i] == t.steps


def test_a_map_as_csv_has_a_row_per_pixel(tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    done = run_map(
        "--loss",
        "rosenbrock",
        "--optimizer",
        "sgd",
        "--lr",
        "0.01",
        "--grid",
        "6",
        "--steps",
        "50",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == "w1,w2,end_w1,end_w2,final_loss,steps,status,basin"
    assert len(lines) == 1 + 36
    statuses = {line.split(",")[6] for line in lines[1:]}
    assert statuses <= {"converged", "not converged", "diverged"} and "diverged" in statuses


def test_a_diverging_region_is_drawn_in_its_own_colour(tmp_path: Path) -> None:
    out = tmp_path / "sgd.png"
    done = run_map(
        "--loss",
        "quadratic",
        "--optimizer",
        "sgd",
        "--lr",
        "0.25",
        "--grid",
        "16",
        "--steps",
        "2000",
        "--size",
        "640x480",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    # η = 0.25 > 2/κ = 0.2: every start off the flat axis w2 = 0 diverges
    assert "diverged" in done.stdout
    assert _count_near(np.asarray(Image.open(out).convert("RGB")), DIVERGED_COLOR, tol=4) > 1000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "hyper", "--out", "x.png"], "needs --x and --y"),
        (["--x", "lr:0.1:1", "--out", "x.png"], "--x and --y are for --kind hyper"),
        (
            [
                "--kind",
                "hyper",
                "--optimizer",
                "sgd",
                "--x",
                "lr:0.1:1",
                "--y",
                "beta:0.1:0.9",
                "--out",
                "x.png",
            ],
            "sgd has no hyperparameter 'beta'; it takes: lr, condition",
        ),
        (["--grid", "5000", "--out", "x.png"], "--grid must be in 2…2,048, got 5,000"),
        (["--out", "x.gif"], "--out must end in .png, .svg, .npz or .csv"),
        (["--optimizer", "adamm", "--out", "x.png"], "adamm"),
        (
            ["--kind", "hyper", "--x", "lr:0:1:log", "--y", "beta:0.5:0.9", "--out", "x.png"],
            "log axis needs low > 0",
        ),
    ],
)
def test_mistakes_are_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    done = run_map(*args[:-1], str(tmp_path / args[-1]))
    assert done.returncode == 2, done.stdout
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not list(tmp_path.iterdir())


def test_a_map_as_svg_renders_like_its_png(tmp_path: Path) -> None:
    import shutil

    svg, png = tmp_path / "m.svg", tmp_path / "m.png"
    args = ["--loss", "himmelblau", "--optimizer", "sgd", "--lr", "0.01", "--grid", "32", "--steps", "300",
            "--size", "800x600"]  # fmt: skip
    assert run_map(*args, "--out", str(svg)).returncode == 0
    assert run_map(*args, "--out", str(png)).returncode == 0
    assert svg.read_bytes().lstrip().startswith(b"<?xml") and b"vector-effect" not in svg.read_bytes()
    if shutil.which("rsvg-convert") is None:
        pytest.skip("rsvg-convert is not installed")
    drawn = tmp_path / "drawn.png"
    subprocess.run(["rsvg-convert", "-w", "800", "-h", "600", "-o", str(drawn), str(svg)], check=True)
    a = np.asarray(Image.open(drawn).convert("RGB").resize((200, 150)), dtype=float)
    b = np.asarray(Image.open(png).convert("RGB").resize((200, 150)), dtype=float)
    assert np.abs(a - b).mean() < 6  # the same picture, up to anti-aliasing and text rendering
