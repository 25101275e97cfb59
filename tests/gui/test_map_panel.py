"""The Maps panel: a preview then the full map, live on a changed setting, cancel, click to choose."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPointF, Qt

from engine.maps import BASIN_COLORS, MapJob
from gui.panels.map_panel import MapPanel
from tests.gui.conftest import shown

TIMEOUT_MS = 120_000  # a cold numba cache compiles the batch kernels on first use
HIMMELBLAU = {
    "loss": "himmelblau",
    "optimizer": "sgd",
    "hyperparameters": {"lr": 0.01},
    "start": (-0.5, -1.5),
    "view": (-5.0, 5.0, -5.0, 5.0),
    "steps": 300,
}


@pytest.fixture
def panel(qtbot) -> Iterator[MapPanel]:
    p = shown(qtbot, MapPanel(), (700, 700))
    p.live.setChecked(False)  # each test says when to compute
    yield p
    assert p.shutdown()


def _final_pictures(qtbot, panel: MapPanel) -> list[tuple[object, object, bool]]:
    seen: list[tuple[object, object, bool]] = []
    panel.worker.picture_ready.connect(lambda r, p, f: seen.append((r, p, f)))
    return seen


def test_a_basin_map_comes_as_a_preview_then_the_full_grid(qtbot, panel: MapPanel) -> None:
    seen = _final_pictures(qtbot, panel)
    panel.set_context(**HIMMELBLAU)
    panel.grid.setCurrentIndex(panel.grid.findData(128))
    panel.compute()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    sizes = [p.rgba.shape[:2] for _r, p, _f in seen]
    assert sizes[0] == (64, 64) and sizes[-1] == (128, 128)
    result, picture, _ = seen[-1]
    assert result.rows_done == 128 and (picture.rgba[..., 3] == 255).all()
    np.testing.assert_array_equal(panel.view.image.image, picture.rgba)
    # four basins, each in its colour in the key
    key = panel.view.key.text
    assert key.count("☆") == 4
    for colour in BASIN_COLORS[:4]:
        assert colour in key
    assert not panel.cancel_button.isEnabled() and panel.progress.value() == 100


def test_live_maps_recompute_when_the_racer_changes(qtbot, panel: MapPanel) -> None:
    seen = _final_pictures(qtbot, panel)
    panel.live.setChecked(True)
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    panel.set_context(**HIMMELBLAU)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    assert "diverged" not in panel.view.key.text
    seen.clear()
    # η = 0.05 is too large for Himmelblau's walls: starts near the edges diverge
    panel.set_context(**{**HIMMELBLAU, "hyperparameters": {"lr": 0.05}})
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    assert "diverged" in panel.view.key.text


def test_cancel_keeps_the_rows_done(qtbot, panel: MapPanel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("engine.maps.RUNS_PER_BLOCK", 256)  # 2 rows a block on a 128-wide grid
    monkeypatch.setattr("gui.map_worker.PREVIEW_GRID", 8)
    blocks = MapJob.blocks

    def held_after_the_first_full_block(job: MapJob) -> Iterator[int]:
        # the full grid's computation waits after its first block until the test has cancelled,
        # so what "cancel keeps" does not depend on how fast this machine is
        for rows in blocks(job):
            yield rows
            if job.y.n == 128:
                assert panel.worker._cancel.wait(30)

    monkeypatch.setattr(MapJob, "blocks", held_after_the_first_full_block)
    seen = _final_pictures(qtbot, panel)
    panel.set_context(**HIMMELBLAU)
    panel.grid.setCurrentIndex(panel.grid.findData(128))
    panel.compute()
    qtbot.waitUntil(lambda: any(p.rgba.shape[0] == 128 for _r, p, _f in seen), timeout=TIMEOUT_MS)
    panel.cancel()
    assert not panel.cancel_button.isEnabled()
    assert "Cancelled" in panel.message.text()
    last = [p for _r, p, _f in seen if p.rgba.shape[0] == 128][-1]
    done = last.rgba[..., 3] == 255
    assert done[0].all() and not done[-1].any(), "the first rows are drawn, the last were never computed"
    assert not any(f for _r, _p, f in seen)


def _click_pixel(qtbot, panel: MapPanel, x: float, y: float) -> None:
    view = panel.view
    scene = view.plot.vb.mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene))


def test_clicking_a_basin_pixel_chooses_that_start(qtbot, panel: MapPanel) -> None:
    seen = _final_pictures(qtbot, panel)
    panel.set_context(**HIMMELBLAU)
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    panel.compute()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    xs = seen[-1][0].x.values
    ys = seen[-1][0].y.values
    with qtbot.waitSignal(panel.start_chosen, timeout=5000) as blocker:
        _click_pixel(qtbot, panel, xs[40], ys[10])
    assert blocker.args == [pytest.approx(xs[40], abs=1e-12), pytest.approx(ys[10], abs=1e-12)]


def test_a_hyperparameter_map_marks_the_setting_and_a_click_chooses_one(qtbot, panel: MapPanel) -> None:
    seen = _final_pictures(qtbot, panel)
    panel.set_context(
        loss="quadratic",
        optimizer="rmsprop",
        hyperparameters={"lr": 0.01, "beta": 0.9, "eps": 1e-8},
        start=(-3.5, 1.5),
        view=(-4.0, 4.0, -2.0, 2.0),
        steps=200,
    )
    panel.kind.setCurrentIndex(panel.kind.findData("hyper"))
    panel.y_param.setCurrentIndex(panel.y_param.findData("beta"))
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    assert panel.x_param.currentData() == "lr" and panel.x_range.text() == "1e-4:10:log"
    panel.compute()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    result = seen[-1][0]
    assert (result.x.name, result.y.name, result.x.log) == ("lr", "beta", True)
    assert panel.view.mark.data["x"][0] == pytest.approx(np.log10(0.01))  # drawn on the log axis
    with qtbot.waitSignal(panel.setting_chosen, timeout=5000) as blocker:
        _click_pixel(qtbot, panel, np.log10(result.x.values[50]), result.y.values[20])
    name1, v1, name2, v2 = blocker.args
    assert (name1, name2) == ("lr", "beta")
    assert v1 == pytest.approx(result.x.values[50], rel=1e-12) and v2 == pytest.approx(result.y.values[20])


def test_a_bad_axis_range_is_said_in_words(qtbot, panel: MapPanel) -> None:
    panel.set_context(**{**HIMMELBLAU, "optimizer": "adam", "hyperparameters": {"lr": 0.05}})
    panel.kind.setCurrentIndex(panel.kind.findData("hyper"))
    panel.x_range.setText("0:1:log")
    panel.compute()
    qtbot.waitUntil(lambda: "log axis needs low > 0" in panel.message.text(), timeout=TIMEOUT_MS)
    panel.y_param.setCurrentIndex(panel.y_param.findData("lr"))
    panel.compute()
    assert "two different hyperparameters" in panel.message.text()


def test_a_finished_map_saves_as_picture_and_numbers(qtbot, panel: MapPanel, tmp_path: Path) -> None:
    seen = _final_pictures(qtbot, panel)
    assert not panel.save_button.isEnabled()
    panel.set_context(**HIMMELBLAU)
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    panel.compute()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    assert panel.save_button.isEnabled()
    for name in ("m.png", "m.svg", "m.csv", "m.npz"):
        assert panel.save(tmp_path / name), panel.message.text()
    with Image.open(tmp_path / "m.png") as image:
        assert image.size == (1600, 1200)
    assert b"<svg" in (tmp_path / "m.svg").read_bytes()[:400]
    assert len((tmp_path / "m.csv").read_text().splitlines()) == 1 + 64 * 64
    with np.load(tmp_path / "m.npz") as f:
        np.testing.assert_array_equal(f["end"], seen[-1][0].end)
    assert not panel.save(tmp_path / "m.gif") and "not m.gif" in panel.message.text()
    assert not panel.save(tmp_path / "missing" / "m.png")
    assert "missing" in panel.message.text() and not (tmp_path / "missing").exists()


def test_the_bowls_kappa_can_be_an_axis(qtbot, panel: MapPanel) -> None:
    seen = _final_pictures(qtbot, panel)
    panel.set_context(
        loss="quadratic",
        optimizer="sgd",
        hyperparameters={"lr": 0.05},
        start=(-3.5, 1.5),
        view=(-4.0, 4.0, -2.0, 2.0),
        steps=2000,
        tol=0.0,
        surface_params={"condition": 10.0},
    )
    panel.kind.setCurrentIndex(panel.kind.findData("hyper"))
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    assert panel.y_param.findData("condition") >= 0 and "κ" in panel.y_param.itemText(
        panel.y_param.findData("condition")
    )
    panel.y_param.setCurrentIndex(panel.y_param.findData("condition"))
    assert panel.y_range.text() == "1:100:log"
    panel.compute()
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    result = seen[-1][0]
    assert (result.x.name, result.y.name) == ("lr", "condition")
    assert "diverged" in panel.view.key.text
    # the race's own setting (η = 0.05, κ = 10) is marked, on the log axes
    assert panel.view.mark.data["x"][0] == pytest.approx(np.log10(0.05))
    assert panel.view.mark.data["y"][0] == pytest.approx(1.0)


def test_the_bar_is_busy_until_the_first_rows_come(qtbot, panel: MapPanel) -> None:
    """A first map may wait ~20 s for numba to compile its runner: not a bar stuck at 0 %."""
    seen = _final_pictures(qtbot, panel)
    panel.set_context(**HIMMELBLAU)
    panel.grid.setCurrentIndex(panel.grid.findData(64))
    panel.compute()
    assert (panel.progress.minimum(), panel.progress.maximum()) == (0, 0)  # busy
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    assert (panel.progress.maximum(), panel.progress.value()) == (100, 100)
    panel.compute()
    panel.cancel()
    assert panel.progress.maximum() == 100  # not left busy


def test_the_maps_key_is_in_the_interface_language(qtbot, qapp, panel: MapPanel) -> None:
    """In Persian the key read "greyed: still moving near that ☆ after 300 steps": the engine's
    words were shown as str(), which is English."""
    from gui.i18n import install_language
    from gui.views.map_view import MapView

    seen = _final_pictures(qtbot, panel)
    install_language(qapp, "fa")
    try:
        panel.set_context(**{**HIMMELBLAU, "steps": 20})  # too few: runs still moving, not converged
        panel.grid.setCurrentIndex(panel.grid.findData(64))
        panel.compute()
        qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
        key = panel.view.key.text
        made_in_persian = MapView()  # mirrored, w2's axis went to the right, unlike every other plot
        qtbot.addWidget(made_in_persian)
        assert made_in_persian.plot.layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert "steps" not in key and "converged" not in key, key
        assert "پس از 20 گام هنوز نزدیک آن ☆ در حرکت است" in key or "در 20 گام همگرا نشد" in key, key
    finally:
        install_language(qapp, "en")
