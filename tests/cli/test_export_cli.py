"""``main.py export`` end to end, as a lab server runs it: no screen, one line per error, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import simulate
from engine.config import RacerConfig, SessionConfig
from engine.session import save_session
from gui import theme

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--size", "640x360"]


def export(*args: str, cwd: Path | None = None, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the program sets it itself
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
        check=False,
        stdin=stdin,
    )


def near(rgb: np.ndarray, color: str, tol: int = 12) -> int:
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int(np.sum(np.all(np.abs(rgb.astype(int) - target) <= tol, axis=-1)))


def test_png_without_a_screen(tmp_path) -> None:
    out = tmp_path / "race.png"
    result = export(
        "--loss", "rosenbrock", "--optimizers", "adagrad,rmsprop,adam", "--start", "-1.2,1.0",
        "--steps", "400", "--set", "adam.lr=0.05", "--set", "adagrad.lr=0.5", "--lr", "0.01",
        "--out", str(out), *SMALL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}" in result.stderr
    with Image.open(out) as image:
        assert image.size == (640, 360)
        rgb = np.asarray(image.convert("RGB"))
    for name in ("adagrad", "rmsprop", "adam"):
        assert near(rgb, theme.racer_color(name)) > 20, name


def test_gif_frames_and_progress_on_stderr(tmp_path) -> None:
    out = tmp_path / "race.gif"
    result = export(
        "--optimizers", "sgd,adam", "--steps", "100", "--fps", "8", "--frames", "8", "--out", str(out), *SMALL
    )
    assert result.returncode == 0, result.stderr
    assert "frame 8 of 8" in result.stderr and "100%" in result.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 8


def test_svg_and_panels(tmp_path) -> None:
    import xml.etree.ElementTree as ET

    for name, extra in (("race.svg", []), ("panels.png", ["--panels"]), ("panels.svg", ["--panels"])):
        result = export(
            "--optimizers", "adagrad,adam", "--steps", "50", "--out", str(tmp_path / name), *SMALL, *extra
        )
        assert result.returncode == 0, result.stderr
    racers = [theme.racer_color(name) for name in ("adagrad", "adam")]
    for name in ("race.svg", "panels.svg"):
        ET.parse(tmp_path / name)  # well-formed
        text = (tmp_path / name).read_text(encoding="utf-8").lower()
        for color in racers:  # each racer's trail or curves are drawn, as vectors
            assert f'stroke="{color.lower()}"' in text, (name, color)
    with Image.open(tmp_path / "panels.png") as image:
        assert image.size == (640, 360)
        rgb = np.asarray(image.convert("RGB"))
    for color in racers:
        assert near(rgb, color) > 20, color


def test_data_matches_the_engine_exactly(tmp_path) -> None:
    out = tmp_path / "race.json"
    result = export(
        "--loss", "himmelblau", "--optimizers", "rmsprop,adam", "--start", "-4,-4.5", "--steps", "90",
        "--beta", "0.95", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["session"]["start"] == [-4.0, -4.5]
    for t in data["trajectories"]:
        ref = simulate("himmelblau", t["optimizer"], (-4.0, -4.5), 90, beta=0.95)
        np.testing.assert_array_equal(np.array(t["w"]), ref.w)
        assert t["lr"][0] == [None, None]  # step 0 took no step: no rate (null, not 0)
        np.testing.assert_array_equal(np.array(t["lr"][1:]), ref.lr[1:])
    csv = tmp_path / "race.csv"
    assert export("--optimizers", "adam", "--steps", "5", "--out", str(csv)).returncode == 0
    assert csv.read_text().splitlines()[0].startswith("optimizer,step,w1,w2,loss")


def test_session_file_is_the_base_and_options_override_it(tmp_path) -> None:
    session = tmp_path / "lab.olab.json"
    save_session(
        SessionConfig(loss="beale", start=(1.0, 1.5), steps=70, racers=(RacerConfig("adam", {"lr": 0.02}),)),
        session,
    )
    out = tmp_path / "s.json"
    result = export("--session", str(session), "--steps", "40", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["session"]["loss"] == "beale" and data["session"]["steps"] == 40
    (t,) = data["trajectories"]
    np.testing.assert_array_equal(np.array(t["w"]), simulate("beale", "adam", (1.0, 1.5), 40, lr=0.02).w)


HOSTILE = json.dumps(
    {"format": "optimizer-lab-session", "version": 1, "loss": "__import__('os').system('touch PWNED')"}
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--optimizers", "adam,nope"], "unknown optimizer 'nope'"),
        (["--set", "adam.lr"], "--set must look like NAME.PARAM=VALUE"),
        (["--set", "adamlr=1"], "--set must look like NAME.PARAM=VALUE"),
        (["--set", "adam.lr=fast"], "must be a number"),
        (["--optimizers", "sgd", "--set", "adam.lr=0.1"], "'adam' is not racing"),
        (["--optimizers", "sgd", "--set", "sgd.beta=0.1"], "sgd has no hyperparameter 'beta'"),
        (["--optimizers", "adam", "--set", "adam.beta=1.5"], "out of range"),
        (["--optimizers", "sgd", "--rho", "0.5"], "--rho does not apply"),
        (["--steps", "0"], "--steps must be in 1"),
        (["--start", "1"], "--start must be two numbers"),
        (["--size", "huge"], "size must be WIDTHxHEIGHT"),
        (["--size", "100000x10"], "out of range"),
        (["--frames", "1"], "--frames must be in 2"),
        (["--loss", "x**2 + z"], "unknown name 'z'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message) -> None:
    result = export(*args, "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("optimizer-lab export: error:"), result.stderr
    assert message in lines[0], lines[0]
    assert not (tmp_path / "x.png").exists()


def test_bad_outputs_and_sessions(tmp_path) -> None:
    cases = [
        (["--out", str(tmp_path / "missing" / "x.png")], "does not exist"),
        (["--out", str(tmp_path / "folder.png")], "it is a folder"),
        (["--out", str(tmp_path / "x.bmp")], "unknown output type '.bmp'"),
        (
            ["--out", str(tmp_path / "x.csv"), "--panels"],
            "--panels applies to images (.png, .svg) and animations",
        ),
    ]
    (tmp_path / "folder.png").mkdir()
    (tmp_path / "broken.olab.json").write_text('{"format": "optimizer-lab-session", "vers')
    (tmp_path / "hostile.olab.json").write_text(HOSTILE)
    cases += [
        (
            ["--session", str(tmp_path / "broken.olab.json"), "--out", str(tmp_path / "y.png")],
            "not valid JSON",
        ),
        (["--session", str(tmp_path / "hostile.olab.json"), "--out", str(tmp_path / "y.png")], "not allowed"),
        (["--session", str(tmp_path / "none.olab.json"), "--out", str(tmp_path / "y.png")], "cannot read"),
    ]
    for args, message in cases:
        result = export(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)
    assert not (tmp_path / "PWNED").exists()
    assert not (tmp_path / "y.png").exists()


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys")
def test_read_only_folder() -> None:
    """/sys/kernel exists and refuses new files to everyone, root too (a chmod'ed folder does not)."""
    result = export("--steps", "5", "--out", "/sys/kernel/x.csv")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write /sys/kernel/x.csv: " in lines[0], result.stderr
    assert lines[0].endswith(("permission denied", "the disk is read-only")), lines[0]


def test_the_command_line_replaces_an_existing_file_without_asking(tmp_path) -> None:
    """Like cp and convert: a script that re-runs must not stop at a question."""
    out = tmp_path / "d.csv"
    out.write_text("old\n")
    result = export("--optimizers", "sgd", "--steps", "5", "--out", str(out), stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("optimizer,step,")


def test_persian_export_has_persian_titles_and_keys(tmp_path) -> None:
    """--lang fa: the legend and keys in Persian, kept as words (the glyphs' titles) in the SVG."""
    import xml.etree.ElementTree as ET

    svg, panels = tmp_path / "race.svg", tmp_path / "panels.svg"
    base = ["--lang", "fa", "--optimizers", "sgd,adam", "--steps", "30", *SMALL]
    for out, extra in ((svg, []), (panels, ["--panels"])):
        result = export(*base, *extra, "--out", str(out))
        assert result.returncode == 0, result.stderr
    words = [e.get("aria-label") for e in ET.parse(svg).getroot().iter() if e.get("aria-label")]
    assert "گام" in words and "30" in words  # "step 30" above the legend
    assert any("کمینه" in w for w in words)  # "minimum" in the key
    assert not any(w.startswith("step ") for w in words)
    words = [e.get("aria-label") for e in ET.parse(panels).getroot().iter() if e.get("aria-label")]
    assert any("گام" in w for w in words)  # the panels' "step t" axis
    assert "روی" in words  # "on <surface>" (the space after it is drawn by the Latin font: its own run)


def test_unknown_language_is_refused(tmp_path) -> None:
    result = export("--lang", "xx", "--out", str(tmp_path / "a.png"))
    assert result.returncode == 2
    assert "--lang" in result.stderr and "'fa'" in result.stderr
    assert not (tmp_path / "a.png").exists()


def test_animated_panels_of_a_step_range(tmp_path) -> None:
    out = tmp_path / "panels.gif"
    result = export(
        "--loss", "rosenbrock", "--optimizers", "rmsprop,adam", "--steps", "300", "--animate", "panels",
        "--steps-range", "0:100", "--frames", "12", "--fps", "8", "--out", str(out), *SMALL,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Image.open(out) as gif:
        assert gif.n_frames == 12 and gif.size == (640, 360) and gif.info["duration"] == 120


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--steps-range", "0:50", "--out", "x.png"], "--steps-range applies to animations"),
        (["--animate", "both", "--out", "x.csv"], "--animate applies to animations"),
        (["--panels", "--animate", "both", "--out", "x.gif"], "--panels and --animate both disagree"),
        (["--steps-range", "50", "--out", "x.gif"], "FIRST:LAST"),
        (["--pacing", "fast", "--out", "x.gif"], "invalid choice: 'fast'"),
    ],
)
def test_animation_options_are_checked(tmp_path, args, message) -> None:
    result = export(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert not list(tmp_path.iterdir())


def test_png_of_a_session_with_duplicate_racers_shows_each_label_in_its_colour(tmp_path) -> None:
    from gui.export import build_scene, legend_html

    racers = tuple(RacerConfig("rmsprop", {"lr": 0.01, "beta": b}) for b in (0.5, 0.9, 0.99))
    config = SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=300, racers=racers)
    session = tmp_path / "trio.olab.json"
    save_session(config, session)
    out = tmp_path / "race.png"
    result = export("--session", str(session), "--out", str(out), *SMALL)
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        rgb = np.asarray(image.convert("RGB"))
    colors = [r.color for r in config.racers]
    assert len(set(colors)) == 3
    for color in colors:  # three trails, each its own colour
        assert near(rgb, color) > 20, color
    legend = legend_html(build_scene(config))
    for beta in ("0.5", "0.9", "0.99"):
        assert f"<b>RMSprop β={beta}</b>" in legend
