"""Exports as a teacher uses them: pictures with the map's and the racers' colours, animations, exact data."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QPushButton

from engine import simulate
from engine.config import RacerConfig, SessionConfig
from engine.expressions import ExpressionError
from engine.session import save_session
from gui import theme
from gui.export import (
    ExportCancelled,
    ExportError,
    build_scene,
    drain,
    export,
    image_rgb,
    iter_export_animation,
    mp4_available,
    read_data_csv,
    scene_from_window,
)
from gui.export_dialog import ExportDialog
from tests.gui.conftest import contour_settled

SMALL = (640, 360)
RACERS = ("adagrad", "rmsprop", "adam")
FIELDS = ("w", "loss", "grad", "G", "M", "lr", "dw", "step")


def race(steps: int = 300) -> SessionConfig:
    return SessionConfig(
        loss="rosenbrock",
        start=(-1.2, 1.0),
        steps=steps,
        racers=(
            RacerConfig("adagrad", {"lr": 0.5}),
            RacerConfig("rmsprop", {"lr": 0.01}),
            RacerConfig("adam", {"lr": 0.05}),
        ),
    )


@pytest.fixture(scope="module")
def scene(qapp):
    return build_scene(race())


def pixels_near(rgb: np.ndarray, color: str | tuple[int, int, int], tol: int = 12) -> int:
    target = np.array(QColor(color).getRgb()[:3] if isinstance(color, str) else color)
    return int(np.sum(np.all(np.abs(rgb.astype(int) - target) <= tol, axis=-1)))


def assert_race_picture(rgb: np.ndarray) -> None:
    """The colour map's low and high ends and each racer's colour are all on the picture."""
    assert pixels_near(rgb, theme.SURFACE_STOPS[1][1], 10) > 500  # pale, near the valley
    assert pixels_near(rgb, theme.SURFACE_STOPS[-1][1], 16) > 500  # slate, the high loss
    for name in RACERS:
        assert pixels_near(rgb, theme.racer_color(name)) > 20, name


def test_png_has_the_requested_size_and_the_race_on_it(scene, tmp_path) -> None:
    path = export(scene, tmp_path / "race.png", size=SMALL)
    image = QImage(str(path))
    assert (image.width(), image.height()) == SMALL
    assert_race_picture(image_rgb(image))


def test_big_png_scales_text_and_lines_instead_of_shrinking_them(scene, tmp_path) -> None:
    small = image_rgb(QImage(str(export(scene, tmp_path / "a.png", size=(1280, 720)))))
    big = image_rgb(QImage(str(export(scene, tmp_path / "b.png", size=(2560, 1440)))))
    assert big.shape == (1440, 2560, 3)
    for name in RACERS:  # twice the size each way: about four times the trail pixels
        ratio = pixels_near(big, theme.racer_color(name)) / pixels_near(small, theme.racer_color(name))
        assert 2.5 < ratio < 6, (name, ratio)


def test_svg_is_xml_with_the_trails_as_paths(scene, tmp_path) -> None:
    path = export(scene, tmp_path / "race.svg", size=SMALL)
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    strokes = {}
    for group in root.iter():
        color = group.get("stroke", "").lower()
        for child in group:
            if child.tag.split("}")[-1] in ("path", "polyline"):
                strokes.setdefault(color, 0)
                strokes[color] += 1
    for name in RACERS:
        assert strokes.get(theme.racer_color(name).lower(), 0) >= 1, name
    assert any(e.text and "Rosenbrock" in e.text for e in root.iter())


def test_svg_renders_back_at_another_size(scene, tmp_path) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    path = export(scene, tmp_path / "race.svg", size=SMALL)
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(1600, 900, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 1600, 900))
    painter.end()
    assert_race_picture(image_rgb(image))


def test_panels_png_and_svg(scene, tmp_path) -> None:
    png = export(scene, tmp_path / "panels.png", "panels", size=SMALL)
    rgb = image_rgb(QImage(str(png)))
    assert rgb.shape == (360, 640, 3)
    for name in RACERS:
        assert pixels_near(rgb, theme.racer_color(name)) > 20, name
    ET.parse(export(scene, tmp_path / "panels.svg", "panels", size=SMALL))


def test_gif_has_the_requested_frames_and_a_growing_trail(scene, tmp_path) -> None:
    path = export(scene, tmp_path / "race.gif", size=SMALL, fps=10, frames=8)
    with Image.open(path) as gif:
        assert gif.n_frames == 8
        assert gif.size == SMALL
        assert gif.info["duration"] == 100
        gif.seek(1)
        early = np.asarray(gif.convert("RGB"))
        gif.seek(7)
        late = np.asarray(gif.convert("RGB"))
    adam = theme.racer_color("adam")
    assert pixels_near(late, adam) > pixels_near(early, adam) > 0


def test_animation_reports_progress_and_can_be_cancelled(scene, tmp_path) -> None:
    seen: list[tuple[int, int]] = []
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return len(seen) >= 3

    path = tmp_path / "c.gif"
    with pytest.raises(ExportCancelled):
        drain(
            iter_export_animation(scene, path, SMALL, 10, 20, cancel=cancel),
            lambda d, t, _s: seen.append((d, t)),
        )
    assert seen[:3] == [(1, 22), (2, 22), (3, 22)]
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


@pytest.mark.skipif(not mp4_available(), reason="the optional mp4 extra is not installed")
def test_mp4_is_written(scene, tmp_path) -> None:
    import imageio.v2 as imageio

    path = export(scene, tmp_path / "race.mp4", size=SMALL, fps=10, frames=8)
    reader = imageio.get_reader(str(path))
    try:
        assert reader.count_frames() == 8
        assert reader.get_meta_data()["size"] == SMALL
    finally:
        reader.close()


def test_csv_and_json_round_trip_to_the_engines_arrays(scene, tmp_path) -> None:
    csv_path = export(scene, tmp_path / "race.csv")
    header = csv_path.read_text().splitlines()[0]
    assert header.startswith("optimizer,step,w1,w2,loss,g1,g2,G1,G2,M1,M2,lr1,lr2")
    back = read_data_csv(csv_path.read_text())
    assert list(back) == list(RACERS)
    data = json.loads(export(scene, tmp_path / "race.json").read_text())
    assert SessionConfig.from_dict(data["session"]) == scene.config
    for name, t in zip(RACERS, data["trajectories"], strict=True):
        ref = simulate(
            "rosenbrock", name, (-1.2, 1.0), 300, **scene.config.racers[RACERS.index(name)].hyperparameters
        )
        for field in ("w", "loss", "grad", "G", "M", "lr", "step"):
            np.testing.assert_array_equal(getattr(back[name], field), getattr(ref, field))
            written = np.array(t[field], dtype=float)  # null (a value that does not exist) → nan
            np.testing.assert_array_equal(np.where(np.isnan(written), 0.0, written), getattr(ref, field))
        assert t["grad"][0] == [None, None] and (t["M"][1] == [None, None]) == (name != "adam")
        assert t["optimizer"] == name and t["status"] == ref.status


def csv_blocks(text: str) -> list[tuple[dict[str, object], set[str]]]:
    """Each racer's ``# key: value`` lines (read by hand, values in JSON) and the names in the first
    cell of the rows under them."""
    blocks: list[tuple[dict[str, object], set[str]]] = []
    for line in text.splitlines()[1:]:
        if line.startswith("# "):
            if not blocks or blocks[-1][1]:
                blocks.append(({}, set()))
            key, value = line[2:].split(": ", 1)
            blocks[-1][0][key] = json.loads(value)
        else:
            blocks[-1][1].add(line.split(",")[0])
    return blocks


@pytest.mark.parametrize("twins", [False, True], ids=["plain", "twin racers"])
def test_a_data_race_csv_says_each_racers_dataset_batch_and_seed(qapp, tmp_path, twins) -> None:
    """The issue: "exports store the dataset reference (…) plus a content hash, the columns, the
    standardisation, the batch size and the seeds" — in CSV too, above each racer's rows, where
    numpy's readers skip them; the streamed command-line export writes the same text."""
    from engine.data import DataSpec
    from engine.datasets import load_table
    from gui.export import data_csv
    from gui.export_cli import _stream_data_csv

    spec = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)
    second = RacerConfig("sgd" if twins else "adam", {"lr": 0.01}, seed=12)
    config = SessionConfig(
        data=spec, batch_size=8, seed=5, steps=30, racers=(RacerConfig("sgd", {"lr": 0.05}), second)
    )
    scene = build_scene(config)
    text = data_csv(scene)
    assert text.splitlines()[0].startswith("optimizer,step,epoch,w1,w2,loss")
    rows = list(csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#")))
    keys = list(scene.trajectories)
    assert len(keys) == 2 and {r["racer" if twins else "optimizer"] for r in rows} == set(keys)
    common = {
        "dataset": "penguins", "sha256": load_table("penguins").sha256, "model": "linear",
        "x": "flipper_length_mm", "y": "body_mass_g", "standardize": True, "rows": 342,
        "batch_size": 8, "noise": 0.0,
    }  # fmt: skip
    blocks = csv_blocks(text)
    assert [meta for meta, _ in blocks] == [{**common, "seed": 5}, {**common, "seed": 12}]
    assert [rows for _, rows in blocks] == ([{"sgd"}, {"sgd"}] if twins else [{"sgd"}, {"adam"}])
    back = read_data_csv(text)
    for key, t in scene.trajectories.items():
        got = back[key if twins else t.optimizer]
        assert got.stochastic == t.stochastic and got.stochastic["seed"] == config.seed_of(config.racer(key))
        np.testing.assert_array_equal(got.w, t.w)
        np.testing.assert_array_equal(got.epoch, t.epoch)
    if twins:  # the twin's key "sgd#2" is quoted: a reader that cuts lines at "#" keeps it whole
        assert {r["racer"] for r in rows} == {"sgd", "sgd#2"}
        assert all(line.count("#") == line.count('"sgd#2"') for line in text.splitlines() if line[0] != "#")
    else:  # twin racers take the scene's path on the command line too
        table = np.genfromtxt(io.StringIO(text), delimiter=",", names=True, dtype=None, encoding="utf-8")
        assert table.shape == (62,) and table.dtype.names[:4] == ("optimizer", "step", "epoch", "w1")
        np.testing.assert_array_equal(table["w1"][:31], scene.trajectories["sgd"].w[:, 0])
        out = tmp_path / "race.csv"
        assert _stream_data_csv(config, out) == 0
        assert out.read_text() == text


def test_unwritable_or_wrong_paths_give_a_message(scene, tmp_path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export(scene, tmp_path / "missing" / "x.png", size=SMALL)
    with pytest.raises(ExportError, match=r"use \.png, \.svg"):
        export(scene, tmp_path / "x.bmp", "contour", size=SMALL)
    with pytest.raises(ExportError, match="out of range"):
        export(scene, tmp_path / "x.png", size=(10, 10))


def test_failed_write_keeps_the_previous_file(scene, tmp_path, monkeypatch) -> None:
    path = export(scene, tmp_path / "keep.csv")
    good = path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ExportError, match=r"cannot write .*keep\.csv: the disk is full"):
        export(scene, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_hostile_loss_is_refused_by_the_parser_when_building(qapp) -> None:
    with pytest.raises(ExpressionError, match="strings are not allowed"):
        build_scene(SessionConfig(loss="__import__('os').system('echo hi')"))


# -- from the window ----------------------------------------------------------------------------
def run_race(window, qtbot, steps: int = 120) -> None:
    from gui.main_window import SPEEDS

    window.speed_slider.setValue(SPEEDS.index(float("inf")))
    window.controls.steps_spin.setValue(steps)
    with qtbot.waitSignal(window.worker.race_finished, timeout=20_000):
        window.play_action.trigger()
    qtbot.waitUntil(lambda: contour_settled(window), timeout=10_000)  # no regrid still to come
    window._redraw()


def finish(job, qtbot) -> None:
    assert job is not None
    qtbot.waitUntil(lambda: job.done, timeout=30_000)


def test_window_export_is_what_the_learner_sees(window, qtbot, tmp_path) -> None:
    run_race(window, qtbot)
    scene = scene_from_window(window)
    for name, h in window.histories.items():
        np.testing.assert_array_equal(scene.trajectories[name].w, h.vec("w"))
        np.testing.assert_array_equal(scene.trajectories[name].lr, h.vec("lr"))
    dialog = ExportDialog(window)
    dialog.set_choice("contour", tmp_path / "w.png", size=SMALL)
    finish(dialog.start_export(), qtbot)
    rgb = image_rgb(QImage(str(tmp_path / "w.png")))
    assert rgb.shape == (360, 640, 3)
    for name in window.histories:
        assert pixels_near(rgb, theme.racer_color(name)) > 10, name


def test_window_exports_every_kind_from_the_dialog(window, qtbot, tmp_path) -> None:
    run_race(window, qtbot, 60)
    for what, name in (
        ("panels", "p.svg"),
        ("window", "win.png"),
        ("window", "win.svg"),
        ("animation", "a.gif"),
        ("data", "d.json"),
    ):
        dialog = ExportDialog(window)
        dialog.set_choice(what, tmp_path / name, size=SMALL, fps=10, frames=4)
        job = dialog.start_export()
        finish(job, qtbot)
        assert job.result == "done", (name, job.message)
        assert (tmp_path / name).stat().st_size > 1000
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 4
    win = QImage(str(tmp_path / "win.png"))
    assert win.width() / win.height() == pytest.approx(window.width() / window.height(), rel=0.02)
    data = json.loads((tmp_path / "d.json").read_text())
    assert [t["optimizer"] for t in data["trajectories"]] == list(window.histories)


def test_window_stays_usable_and_export_can_be_cancelled(window, qtbot, tmp_path) -> None:
    run_race(window, qtbot, 60)
    dialog = ExportDialog(window)
    dialog.set_choice("animation", tmp_path / "long.gif", size=SMALL, fps=10, frames=400)
    job = dialog.start_export()
    qtbot.waitUntil(lambda: job.progress.value() > 0, timeout=10_000)
    window.controls.steps_spin.setValue(100)
    with qtbot.waitSignal(window.worker.chunks_ready, timeout=5000):  # the race still steps
        window.step_action.trigger()
    assert not job.done
    job.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    finish(job, qtbot)
    assert job.result == "cancelled"
    assert not (tmp_path / "long.gif").exists()


def test_dialog_shows_a_message_for_an_unwritable_path(window, qtbot, tmp_path, monkeypatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: messages.append(text))
    dialog = ExportDialog(window)
    dialog.set_choice("data", tmp_path / "no" / "such" / "d.csv")
    job = dialog.start_export()
    finish(job, qtbot)
    assert job.result == "failed"
    assert messages and "does not exist" in messages[0]
    dialog = ExportDialog(window)
    dialog.set_choice("data", tmp_path / "d.txt")
    assert dialog.start_export() is None
    assert "use .csv, .json" in messages[-1]


# -- sessions in the window ---------------------------------------------------------------------
def test_session_saved_and_reopened_in_the_window_reproduces_the_race(window, qtbot, tmp_path) -> None:
    path = tmp_path / "race.olab.json"
    save_session(race(150), path)
    with qtbot.waitSignal(window.worker.race_reset, timeout=60_000):
        assert window.open_session(path)
    qtbot.waitUntil(
        lambda: window.surface is not None and window.surface.name == "rosenbrock", timeout=10_000
    )
    assert [r.optimizer for r in window.config.enabled_racers()] == list(RACERS)
    run_race(window, qtbot, 150)
    expected = build_scene(race(150))
    for name in RACERS:
        for field in ("w", "lr", "G"):
            np.testing.assert_array_equal(
                window.histories[name].vec(field), getattr(expected.trajectories[name], field)
            )
    again = tmp_path / "again.olab.json"
    assert window.save_session(again)
    from engine.session import load_session

    assert load_session(again).enabled_racers() == race(150).enabled_racers()


BAD_SESSIONS = {
    "truncated.olab.json": '{"format": "optimizer-lab-session", "version": 1, "loss": "rosen',
    "version.olab.json": '{"format": "optimizer-lab-session", "version": 7}',
    "hostile.olab.json": json.dumps(
        {"format": "optimizer-lab-session", "version": 1, "loss": "__import__('os').system('touch PWNED')"}
    ),
    "nan.olab.json": '{"format": "optimizer-lab-session", "version": 1, "loss": "quadratic", "tol": NaN}',
}


@pytest.mark.parametrize("name", list(BAD_SESSIONS))
def test_bad_session_leaves_the_window_untouched(window, tmp_path, monkeypatch, name) -> None:
    monkeypatch.chdir(tmp_path)
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: messages.append(text))
    path = tmp_path / name
    path.write_text(BAD_SESSIONS[name], encoding="utf-8")
    config, racers, histories = window.config, dict(window.racers), dict(window.histories)
    assert window.open_session(path) is False
    assert len(messages) == 1 and name in messages[0]
    assert window.config == config and window.racers == racers and window.histories == histories
    assert not (tmp_path / "PWNED").exists()


def test_the_panels_title_fits_in_the_image(scene) -> None:
    """The optimizers' settings and the w1/w2 key on one line ran off the right edge."""
    from gui.export import SceneRenderer

    renderer = SceneRenderer(scene)
    view = renderer.view_for("panels", (1920, 1080))
    text = renderer.panels.title.item.sceneBoundingRect()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(text), (text, visible)
    assert "w1" in renderer.panels.title.text and "<br>" in renderer.panels.title.text


def test_an_export_at_step_0_leaves_out_the_windows_press_play_hint(window) -> None:
    from gui.export import SceneRenderer, scene_from_window

    renderer = SceneRenderer(scene_from_window(window))  # nothing played yet
    renderer.view_for("panels", (800, 600))
    assert window.panels.empty_hint.isVisible()
    assert not renderer.panels.empty_hint.isVisible()


# -- the dialog's file names --------------------------------------------------------------------
def test_each_what_gets_its_own_default_name_in_the_last_folder(window, qtbot, tmp_path) -> None:
    """Switching from the race to the panels kept the race's file name and overwrote it."""
    window.settings.setValue("export_dir", str(tmp_path))
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    names = {}
    for what in ("contour", "panels", "window", "animation", "data"):
        dialog.what_combo.setCurrentIndex(dialog.what_combo.findData(what))
        path = Path(dialog.path_edit.text())
        assert path.parent == tmp_path, what
        names[what] = path.name
    assert len(set(names.values())) == 5, names
    assert names["contour"].endswith("-race.png") and names["panels"].endswith("-panels.png")
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData("contour"))
    (tmp_path / names["contour"]).write_bytes(b"earlier")
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData("panels"))
    dialog.what_combo.setCurrentIndex(dialog.what_combo.findData("contour"))
    assert Path(dialog.path_edit.text()).name == names["contour"].replace(".png", "-2.png")


def test_replacing_a_file_is_asked_first_and_no_keeps_it(window, qtbot, tmp_path, monkeypatch) -> None:
    run_race(window, qtbot, 40)
    target = tmp_path / "race.png"
    target.write_bytes(b"the teacher's earlier picture")
    asked: list[str] = []

    def answer(reply):
        def question(_parent, _title, text, *_args):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_choice("contour", target, size=SMALL)
    assert dialog.start_export() is None
    assert target.read_bytes() == b"the teacher's earlier picture"
    assert len(asked) == 1 and "race.png already exists" in asked[0]
    assert dialog.result() == 0  # the dialog stays open to choose another name
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    finish(dialog.start_export(), qtbot)
    assert QImage(str(target)).width() == SMALL[0]
    assert len(asked) == 2


def test_the_replace_question_is_a_real_message_box_that_defaults_to_no(window, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    target = tmp_path / "d.csv"
    target.write_text("old")
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_choice("data", target)
    seen: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press_enter)
            return
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default button

    QTimer.singleShot(0, press_enter)
    assert dialog.start_export() is None
    assert seen and "d.csv already exists" in seen[0]
    assert target.read_text() == "old"


def test_the_last_export_folder_is_remembered(window, qtbot, tmp_path) -> None:
    run_race(window, qtbot, 40)
    folder = tmp_path / "slides"
    folder.mkdir()
    dialog = ExportDialog(window)
    dialog.set_choice("data", folder / "mine.csv")
    finish(dialog.start_export(), qtbot)
    again = ExportDialog(window)
    qtbot.addWidget(again)
    assert Path(again.path_edit.text()).parent == folder
    assert Path(again.path_edit.text()).name != "mine.csv"


# -- racers (engine.race) -------------------------------------------------------------------------
def test_a_racers_label_names_it_in_the_legend_and_the_panels_key(qapp) -> None:
    from gui.export import legend_html, panels_key_html

    config = SessionConfig(
        steps=20, racers=(RacerConfig("adam", {"lr": 0.05}, label="Adam, fast"), RacerConfig("sgd"))
    )
    scene = build_scene(config)
    for html in (legend_html(scene), panels_key_html(scene)):
        assert "Adam, fast" in html and "SGD" in html


def test_an_optimizer_racing_twice_is_exported_as_two_racers_not_dropped(qapp) -> None:
    from gui.export import legend_html, panels_key_html

    config = SessionConfig(
        steps=20, racers=(RacerConfig("adam", {"lr": 0.05}), RacerConfig("adam", {"lr": 0.1}))
    )
    scene = build_scene(config)
    assert list(scene.trajectories) == ["adam", "adam#2"]
    for key, lr in (("adam", 0.05), ("adam#2", 0.1)):
        ref = simulate("quadratic", "adam", scene.config.start, 20, tol=config.tol, lr=lr)
        np.testing.assert_array_equal(scene.trajectories[key].w, ref.w)
    legend = legend_html(scene)
    assert "<b>Adam η=0.05</b>" in legend and "<b>Adam η=0.1</b>" in legend
    for html in (legend, panels_key_html(scene)):  # each η once: the label names it, not the settings
        assert html.count("η=0.05") == 1 and html.count("η=0.1") == 1, html
        assert html.count("α=0.9, β=0.999, ε=1e-08") == 2


def test_settings_a_label_names_are_left_out_beside_it_and_nothing_is_left_empty(qapp) -> None:
    from gui.export import legend_html, panels_key_html

    racers = (
        RacerConfig("sgd", {"lr": 0.05}),
        RacerConfig("sgd", {"lr": 0.1}),
        RacerConfig("rmsprop", {"lr": 0.01, "beta": 0.5}, label="fast"),
        RacerConfig("rmsprop", {"lr": 0.01, "beta": 0.9}),
    )
    scene = build_scene(SessionConfig(steps=5, racers=racers))
    key = panels_key_html(scene)
    assert "SGD η=0.05" in key
    assert "()" not in key and key.count("η=0.05") == 1  # SGD has nothing left to show beside it
    legend = legend_html(scene)
    # an own label names nothing: all its settings beside it; its namesake's label names β
    assert "<b>fast</b>" in legend and "η=0.01, β=0.5, ε=1e-08" in legend
    assert "<b>RMSprop β=0.9</b>" in legend and "η=0.01, ε=1e-08" in legend and legend.count("β=0.9") == 1
