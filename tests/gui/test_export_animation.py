"""Animations for a lecture: early steps get time, step ranges, panels and whole window, bounded memory."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.config import RacerConfig, SessionConfig
from gui import theme
from gui.export import (
    ExportError,
    build_scene,
    drain,
    export,
    frame_steps,
    iter_export_animation,
    mp4_available,
    parse_steps_range,
)
from tests.gui.test_export import pixels_near

SMALL = (640, 360)


# -- pacing ------------------------------------------------------------------------------------
def test_a_short_range_shows_every_step() -> None:
    assert frame_steps(0, 10, 60) == list(range(11))
    assert frame_steps(100, 104, 5) == [100, 101, 102, 103, 104]


def test_early_pacing_gives_the_first_steps_a_frame_each_then_thins_geometrically() -> None:
    """The issue's case: RMSprop's whole 76-step run in a 2,000-step race got 4 of 60 frames."""
    steps = frame_steps(0, 2000, 60)
    assert len(steps) == 60 and steps[0] == 0 and steps[-1] == 2000
    assert steps[:30] == list(range(30))  # one frame per step for the first half of the frames
    assert all(b > a for a, b in itertools.pairwise(steps))
    assert sum(s <= 76 for s in steps) == 36  # RMSprop's 76 steps: 36 of the 60 frames, not 4
    distances = np.array(steps[30:], dtype=float)  # from the range's first step
    ratios = distances[1:] / distances[:-1]
    tail = ratios[5:]  # after the first few, where rounding to whole steps dominates
    assert np.allclose(tail, (2000 / 30) ** (1 / 30), rtol=0.06), tail


def test_early_pacing_inside_a_step_range() -> None:
    steps = frame_steps(100, 300, 10)
    assert steps[:5] == [100, 101, 102, 103, 104] and steps[-1] == 300 and len(steps) == 10
    assert all(b > a for a, b in itertools.pairwise(steps))


def test_linear_pacing_spreads_frames_evenly() -> None:
    assert frame_steps(0, 100, 5, "linear") == [0, 25, 50, 75, 100]


@pytest.mark.parametrize(("text", "expected"), [("0:200", (0, 200)), ("100:", (100, None)), (":50", (0, 50))])
def test_step_ranges(text: str, expected: tuple[int, int | None]) -> None:
    assert parse_steps_range(text) == expected


@pytest.mark.parametrize("text", ["200", "5:2", "-1:5", "a:b", "3:3"])
def test_bad_step_ranges_are_refused_with_the_form(text: str) -> None:
    with pytest.raises(ExportError, match="FIRST"):
        parse_steps_range(text)


# -- files ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scene(qapp):
    config = SessionConfig(
        loss="rosenbrock",
        start=(-1.2, 1.0),
        steps=400,
        racers=(RacerConfig("rmsprop", {"lr": 0.01}), RacerConfig("adam", {"lr": 0.05})),
    )
    return build_scene(config)


def frames_of(path: Path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        out = []
        for i in range(gif.n_frames):
            gif.seek(i)
            out.append(np.asarray(gif.convert("RGB")))
        return out


def test_gif_of_a_step_range_shows_the_paced_steps(scene, tmp_path) -> None:
    shown: list[str] = []
    path = tmp_path / "race.gif"
    drain(
        iter_export_animation(scene, path, SMALL, 10, 12, steps_range=(20, 220)),
        lambda _d, _t, text: shown.append(text),
    )
    expected = frame_steps(20, 220, 12)
    assert [t for t in shown if t.startswith("frame")] == [
        f"frame {i + 1} of 12 (step {s:,})" for i, s in enumerate(expected)
    ]
    frames = frames_of(path)
    assert len(frames) == 12 and frames[0].shape == (360, 640, 3)
    adam = theme.racer_color("adam")
    assert 0 < pixels_near(frames[0], adam) < pixels_near(frames[-1], adam)  # the trail grows


@pytest.mark.parametrize("animate", ["panels", "both"])
def test_panels_and_side_by_side_animations(scene, tmp_path, animate) -> None:
    path = export(scene, tmp_path / f"{animate}.gif", size=SMALL, fps=10, frames=6, animate=animate)
    frames = frames_of(path)
    assert len(frames) == 6
    for name in ("rmsprop", "adam"):  # the curves grow from frame to frame
        color = theme.racer_color(name)
        counts = [pixels_near(f, color) for f in frames]
        assert counts[0] < counts[-1], (name, counts)
    left = frames[-1][:, : SMALL[0] // 2]
    slate = theme.SURFACE_STOPS[-1][1]
    assert (pixels_near(left, slate, 16) > 500) == (animate == "both")  # the colour map on the left


@pytest.mark.parametrize("animate", ["panels", "both"])
def test_an_optimizer_racing_twice_is_animated_in_the_panels(qapp, tmp_path, animate) -> None:
    """Its second racer's key (adam#2) was looked up as an optimizer: KeyError, no file."""
    racers = (RacerConfig("adam", {"lr": 0.05}), RacerConfig("adam", {"lr": 0.2}))
    scene = build_scene(SessionConfig(loss="himmelblau", start=(0.1, 0.2), steps=60, racers=racers))
    path = export(scene, tmp_path / f"{animate}.gif", size=SMALL, fps=10, frames=4, animate=animate)
    frames = frames_of(path)
    assert len(frames) == 4
    for racer in scene.config.racers:  # both racers' curves, each in its own colour, grow
        counts = [pixels_near(f, racer.color) for f in frames]
        assert counts[0] < counts[-1], (racer.key, counts)


def test_gif_frames_are_written_as_they_come(scene, tmp_path) -> None:
    """A 2,000-frame 4K GIF kept every frame in memory until the end; now each goes to disk."""
    path = tmp_path / "long.gif"
    sizes = []
    for done, _total, text in iter_export_animation(scene, path, SMALL, 10, 10):
        temporary = [p for p in tmp_path.iterdir() if p.name != "long.gif"]
        if text.startswith("frame") and done >= 5 and temporary:
            sizes.append(temporary[0].stat().st_size)
    assert len(sizes) >= 4 and sizes == sorted(sizes) and sizes[-1] > sizes[0] > 10_000, sizes
    assert len(frames_of(path)) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["long.gif"]


def test_an_empty_range_is_refused(scene, tmp_path) -> None:
    with pytest.raises(ExportError, match="starts at 500 but the race has 400 steps"):
        export(scene, tmp_path / "x.gif", size=SMALL, steps_range=(500, None))
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(
    not mp4_available() or shutil.which("ffprobe") is None, reason="needs imageio-ffmpeg and ffprobe"
)
def test_mp4_of_the_whole_window_read_by_ffprobe(scene, tmp_path) -> None:
    path = export(
        scene, tmp_path / "both.mp4", size=(641, 361), fps=12, frames=9, animate="both", steps_range=(0, 60)
    )
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-of", "json", "-show_entries",
         "stream=codec_name,width,height,nb_read_frames,r_frame_rate", str(path)],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    stream = json.loads(probe.stdout)["streams"][0]
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (640, 360)  # H.264 wants even sides
    assert int(stream["nb_read_frames"]) == 9 and stream["r_frame_rate"] == "12/1"


def test_dialog_exports_an_animation_of_race_and_panels(window, qtbot, tmp_path) -> None:
    from gui.export_dialog import ExportDialog
    from tests.gui.test_export import finish, run_race

    run_race(window, qtbot, 60)
    dialog = ExportDialog(window)
    dialog.set_choice("animation-both", tmp_path / "both.gif", size=SMALL, fps=10, frames=5, steps=(0, 40))
    assert Path(dialog.path_edit.text()).name == "both.gif"
    job = dialog.start_export()
    finish(job, qtbot)
    assert job.result == "done", job.message
    assert len(frames_of(tmp_path / "both.gif")) == 5
