"""Exports on a full disk: an error in words, the old file untouched, no temporary file left."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine import atomic
from engine.config import RacerConfig, SessionConfig
from gui.export import ExportError, build_scene, export, mp4_available

SMALL = (320, 180)


@pytest.fixture(scope="module")
def scene(qapp):
    return build_scene(
        SessionConfig(
            loss="rosenbrock", start=(-1.2, 1.0), steps=200, racers=(RacerConfig("adam", {"lr": 0.05}),)
        )
    )


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 64 kB tmpfs (root only); skipped cleanly where mounting is not permitted."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def ours(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if atomic.is_leftover_name(p.name)]


@pytest.mark.skipif(not mp4_available(), reason="the optional mp4 extra is not installed")
def test_an_mp4_that_does_not_fit_is_reported_and_the_old_one_kept(scene, small_disk, tmp_path) -> None:
    good = export(scene, tmp_path / "good.mp4", size=SMALL, fps=10, frames=4).read_bytes()
    assert len(good) < 30_000
    path = small_disk / "race.mp4"
    path.write_bytes(good)
    path.chmod(0o640)
    # ffmpeg itself reports nothing when the disk fills: the file just ends early
    with pytest.raises(ExportError, match=r"cannot write .*race\.mp4: .*(disk is full|encoder stopped)"):
        export(scene, path, size=(1280, 720), fps=10, frames=60)
    assert path.read_bytes() == good
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert ours(small_disk) == []


@pytest.mark.skipif(not mp4_available(), reason="the optional mp4 extra is not installed")
def test_an_mp4_that_fits_replaces_the_old_one_keeping_its_mode(scene, small_disk) -> None:
    path = small_disk / "race.mp4"
    path.write_bytes(b"old")
    path.chmod(0o644)
    export(scene, path, size=SMALL, fps=10, frames=4)
    atomic.check_mp4(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert ours(small_disk) == []


def test_a_png_that_does_not_fit_is_reported_and_the_old_one_kept(scene, small_disk) -> None:
    path = small_disk / "race.png"
    path.write_bytes(b"old picture")
    with pytest.raises(ExportError, match=r"cannot write .*race\.png: the disk is full"):
        export(scene, path, size=(1920, 1080))
    assert path.read_bytes() == b"old picture"
    assert ours(small_disk) == []
