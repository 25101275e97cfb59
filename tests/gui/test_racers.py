"""Racers in the window: add, race again with…, remove, reorder; the lecture's RMSprop trio; exact replay."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from engine import get_loss, simulate
from engine.config import MAX_RACERS, RacerConfig, SessionConfig
from engine.race import replay
from gui.export import build_scene, data_csv, data_json, read_data_csv, scene_from_window
from gui.panels.controls import NumberField
from tests.gui.conftest import ENGINE_TIMEOUT_MS

ARRAYS = ("w", "loss", "grad", "G", "M", "lr", "dw")


def from_json(values: list) -> np.ndarray:
    """A JSON array back to numbers: null (a value that does not exist, e.g. step 0's g) as 0."""
    return np.array(
        [[0.0 if v is None else v for v in r] if isinstance(r, list) else r or 0.0 for r in values]
    )


def press_step(window, qtbot, times: int = 1) -> None:
    for _ in range(times):
        with qtbot.waitSignal(window.worker.chunks_ready, timeout=5000):
            window.step_action.trigger()


def list_texts(window) -> list[str]:
    racers = window.controls.racer_list
    return [racers.item(i).text() for i in range(racers.count())]


def table_texts(window) -> list[str]:
    table = window.status_table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def race(window, qtbot, config: SessionConfig) -> None:
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window._apply_session(config)


def trio() -> SessionConfig:
    racers = tuple(RacerConfig("rmsprop", {"lr": 0.01, "beta": b}) for b in (0.5, 0.9, 0.99))
    return SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=2000, racers=racers, tol=0.0)


def test_race_again_with_adds_a_copy_that_catches_up_and_keeps_the_others_runs(window, qtbot) -> None:
    press_step(window, qtbot, 3)
    before = dict(window.histories)
    window._racer_selected("rmsprop")
    window.controls.duplicate_button.click()
    assert list(window.histories) == [
        "sgd",
        "momentum-lecture",
        "adagrad",
        "rmsprop",
        "rmsprop#2",
        "adam-lecture",
    ]
    assert all(window.histories[k] is h for k, h in before.items())  # the others' records are kept
    assert window.histories["rmsprop#2"].last_step == 3  # ran at once up to the others' step
    assert window.controls.selected == "rmsprop#2"
    # the copy races with other settings: give it β = 0.5 from the form
    field = window.controls.findChild(NumberField, "hyper_beta")
    field.committed.emit(0.5)
    assert window.racers["rmsprop#2"].hyperparameters["beta"] == 0.5
    assert window.racers["rmsprop"].hyperparameters["beta"] == 0.9
    # the list, the status table and the legend tell the two apart by their settings
    assert "RMSprop β=0.9" in list_texts(window) and "RMSprop β=0.5" in list_texts(window)
    window._redraw()
    assert "● RMSprop β=0.5" in table_texts(window)
    key = window.panels.title.text  # the plots' colour key follows the new labels too
    assert "RMSprop β=0.5" in key and "RMSprop β=0.9" in key and "#1" not in key
    colors = {r.color for r in window.config.racers}
    assert len(colors) == len(window.config.racers)  # each racer its own colour


def test_remove_and_reorder_from_the_list(window, qtbot) -> None:
    press_step(window, qtbot, 2)
    window._racer_selected("adagrad")
    window.controls.remove_button.click()
    assert "adagrad" not in window.histories and "AdaGrad" not in list_texts(window)
    assert window.status_table.rowCount() == 4
    window._racer_selected("adam-lecture")
    window.controls.up_button.click()
    assert list(window.histories) == ["sgd", "momentum-lecture", "adam-lecture", "rmsprop"]
    assert list_texts(window) == ["SGD", "Momentum (lecture)", "Adam (lecture)", "RMSprop"]
    window._redraw()
    assert table_texts(window)[2] == "● Adam (lecture)"
    press_step(window, qtbot)
    assert all(h.last_step == 3 for h in window.histories.values())
    window.controls.down_button.click()
    assert list(window.histories)[-1] == "adam-lecture"


def test_a_thirteenth_racer_is_refused_with_a_message(window, qtbot) -> None:
    for _ in range(MAX_RACERS - 5):
        window._add_racer("sgd")
    assert len(window.racers) == MAX_RACERS
    assert not window.controls.add_button.isEnabled()
    assert "at most 12 racers" in window.controls.add_button.toolTip()
    window._add_racer("adam")  # as the menu would, were the button not disabled
    assert len(window.racers) == MAX_RACERS
    assert window.controls.racer_message.isVisible() or not window.isVisible()
    assert "at most 12 racers, got 13" in window.controls.racer_message.text()


def test_the_lectures_rmsprop_trio_each_with_its_own_rates(window, qtbot) -> None:
    race(window, qtbot, trio())
    press_step(window, qtbot, 25)
    assert list(window.histories) == ["rmsprop", "rmsprop#2", "rmsprop#3"]
    assert list_texts(window) == ["RMSprop β=0.5", "RMSprop β=0.9", "RMSprop β=0.99"]
    for key, beta in zip(window.histories, (0.5, 0.9, 0.99), strict=True):
        ref = simulate("rosenbrock", "rmsprop", (-1.5, 2.0), 25, tol=0.0, lr=0.01, beta=beta)
        h = window.histories[key]
        for name in ("w", "lr", "G"):
            np.testing.assert_array_equal(h.vec(name)[: len(h)], getattr(ref, name))
    # the panels' per-weight rates differ by β (what the learner compares)
    rates = [window.histories[k].vec("lr")[25, 0] for k in window.histories]
    assert len(set(rates)) == 3
    # the inspector names the racer and uses its own β
    window._racer_selected("rmsprop#3")
    window.bottom_tabs.setCurrentWidget(window.inspector)
    window._redraw()
    text = window.inspector.toPlainText()
    assert "RMSprop β=0.99" in text and "0.99" in text


def test_a_mid_run_eta_change_exports_to_json_and_csv_and_replays_bit_for_bit(
    window, qtbot, tmp_path
) -> None:
    race(
        window,
        qtbot,
        SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=60, racers=(RacerConfig("adam"),)),
    )
    press_step(window, qtbot, 20)
    window._racer_selected("adam")
    window.controls.findChild(NumberField, "hyper_lr").committed.emit(0.2)
    press_step(window, qtbot, 15)
    (edit,) = window.config.edits
    assert (edit.racer, edit.after_step, edit.hyperparameters["lr"]) == ("adam", 20, 0.2)
    assert window.config.settings_at("adam", 20).hyperparameters["lr"] == 0.05  # step 20 used the old η
    scene = scene_from_window(window)
    shown = window.histories["adam"]
    # JSON: the session with its edit, the trajectory with the η in force from step 21 on
    data = json.loads(data_json(scene))
    (t,) = data["trajectories"]
    assert t["hyperparameters"]["lr"] == 0.05 and t["edits"][0]["after_step"] == 20
    again = SessionConfig.from_dict(data["session"])
    replayed = replay(again, get_loss("rosenbrock"))["adam"]
    for name in ARRAYS:
        exported = from_json(t[name])
        np.testing.assert_array_equal(exported, getattr(replayed, name)[:36], err_msg=name)
        window_rows = shown.loss if name == "loss" else shown.vec(name)
        np.testing.assert_array_equal(window_rows[:36], exported, err_msg=name)
    # CSV: every row says the η in force at its step
    text = data_csv(scene)
    header = text.splitlines()[0].split(",")
    rows = [line.split(",") for line in text.splitlines()[1:]]
    lr_in_force = [float(r[header.index("lr")]) for r in rows]
    assert lr_in_force[:21] == [0.05] * 21 and lr_in_force[21:] == [0.2] * 15
    back = read_data_csv(text)["adam"]
    np.testing.assert_array_equal(back.w, replayed.w[:36])
    # and the export command's own run of the saved session gives the same numbers
    full = build_scene(again).trajectories["adam"]
    np.testing.assert_array_equal(full.w[:36], back.w)
    assert full.edits == t["edits"]


@pytest.mark.parametrize("flag", [Qt.Unchecked])
def test_unticking_a_racer_lets_it_sit_out_and_the_others_go_on(window, qtbot, flag) -> None:
    press_step(window, qtbot, 2)
    item = window.controls.racer_list.item(0)
    item.setCheckState(flag)
    assert "sgd" not in window.histories and "sgd" in window.racers
    press_step(window, qtbot)
    assert all(h.last_step == 3 for h in window.histories.values())
    item = window.controls.racer_list.item(0)
    item.setCheckState(Qt.Checked)
    assert window.histories["sgd"].last_step == 3  # caught up


def test_csv_gives_each_row_the_schedule_in_force_even_one_with_commas() -> None:
    from engine.config import Edit

    racers = (RacerConfig("sgd", {"lr": 0.001}), RacerConfig("sgd", {"lr": 0.002}))
    step_schedule = "step:size=5,gamma=0.5"
    edit = Edit("sgd#2", 10, {"lr": 0.002}, step_schedule)
    config = SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=20, racers=racers, edits=(edit,))
    scene = build_scene(config)
    text = data_csv(scene)
    back = read_data_csv(text)
    assert list(back) == ["sgd", "sgd#2"]
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(text)))
    twin = [r for r in rows if r["racer"] == "sgd#2"]
    assert [r["schedule"] for r in twin] == ["constant"] * 11 + [step_schedule] * 10
    np.testing.assert_array_equal(back["sgd#2"].w, scene.trajectories["sgd#2"].w)
    ref = simulate("rosenbrock", "sgd", (-1.5, 2.0), 10, tol=config.tol, lr=0.002)
    np.testing.assert_array_equal(back["sgd#2"].w[:11], ref.w)


def test_twelve_racers_stand_in_two_short_columns_of_the_readout_clear_of_the_start_and_minimum(
    window, qtbot
) -> None:
    """Twelve full rows (name, η, L) covered a third of the contour, Rosenbrock's start and its
    minimum ☆ among it: more than six racers stand in two columns, without η (in the list)."""
    from gui.main_window import READOUT_FULL_RACERS

    window.resize(1366, 768)
    names = ("sgd", "momentum", "adagrad", "rmsprop", "adam", "nesterov",
             "amsgrad", "adamw", "nadam", "adadelta", "lion", "radam")  # fmt: skip
    race(window, qtbot, SessionConfig(loss="rosenbrock", racers=tuple(RacerConfig(n) for n in names)))
    window._update_readout()
    html = window._readout_html
    assert html.count("<tr>") == 1 + 6 and html.count("L=") == 12 and "η=" not in html
    contour = window.contour
    contour.place_readout()
    box = contour.readout.sceneBoundingRect()
    for marks in (contour.start_marker, contour.minima):
        x, y = marks.getData()
        for point in zip(x, y, strict=True):
            assert not box.contains(contour.plot.vb.mapViewToScene(QPointF(*point)))
    # a projector's narrow plot has no room for two columns: one, within the plot
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: contour.plot.vb.width() < box.width() + 12)
    window._update_readout()
    assert window._readout_html.count("<tr>") == 1 + 12
    assert contour.readout.boundingRect().width() <= contour.plot.vb.width() - 12
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: contour.plot.vb.width() > box.width() + 12)
    window._update_readout()
    assert window._readout_html.count("<tr>") == 1 + 6  # room again: two columns
    fewer = names[:READOUT_FULL_RACERS]
    race(window, qtbot, SessionConfig(loss="rosenbrock", racers=tuple(RacerConfig(n) for n in fewer)))
    window._update_readout()
    assert window._readout_html.count("<tr>") == 1 + 6 and window._readout_html.count("η=") == 6


def test_on_a_projectors_plot_the_legend_fades_over_a_racer_and_comes_back_when_it_leaves(
    window, qtbot
) -> None:
    """At 1024×768 twelve racers' legend covers half the plot; a racer under it showed nothing."""
    from gui.views.contour import READOUT_FADED

    window.resize(1024, 700)
    names = ("sgd", "momentum", "adagrad", "rmsprop", "adam", "nesterov",
             "amsgrad", "adamw", "nadam", "adadelta", "lion", "radam")  # fmt: skip
    race(window, qtbot, SessionConfig(loss="rosenbrock", racers=tuple(RacerConfig(n) for n in names)))
    press_step(window, qtbot, 3)
    window._dirty = True
    window._redraw()
    contour, vb = window.contour, window.contour.plot.vb
    contour.readout.setPos(-2000, -2000)  # off the plot: nothing under it
    window._dirty = True
    window._redraw()
    assert contour.readout.opacity() == 1.0
    point = vb.mapFromView(QPointF(*contour.marker_position("adam")))
    contour.readout.setPos(point.x() - 20, point.y() - 20)  # over Adam's dot
    window._dirty = True
    window._redraw()  # a paused frame: at once
    assert contour.readout.opacity() == READOUT_FADED
    contour.readout.setPos(-2000, -2000)
    window._dirty = True
    window._redraw()
    assert contour.readout.opacity() == 1.0


def test_the_labels_kept_for_the_readout_follow_an_edit_and_the_language(window, qtbot, qapp) -> None:
    """The readout asks for the labels twice at 5 Hz while playing, so the model keeps them for
    one race and language: an edit (a new config) and a switch of language make them afresh."""
    from dataclasses import replace

    from gui.i18n import install_language

    racers = (RacerConfig("adam", {"lr": 0.05}), RacerConfig("adam", {"lr": 0.2}))
    race(window, qtbot, SessionConfig(loss="rosenbrock", start=(-1.2, 1.0), steps=100, racers=racers))
    model = window.race
    assert model.labels() == {"adam": "Adam η=0.05", "adam#2": "Adam η=0.2"}
    assert model.labels(leave_out=("lr",)) == {"adam": "Adam", "adam#2": "Adam"}
    assert model.labels() == {"adam": "Adam η=0.05", "adam#2": "Adam η=0.2"}  # kept, the same
    before = model.config
    second = model.current()["adam#2"]
    model.edit(replace(second, hyperparameters={**second.hyperparameters, "lr": 0.3}))
    qtbot.waitUntil(lambda: model.config is not before, timeout=ENGINE_TIMEOUT_MS)
    assert model.labels() == {"adam": "Adam η=0.05", "adam#2": "Adam η=0.3"}
    model.add("momentum-lecture")
    qtbot.waitUntil(lambda: "momentum-lecture" in model.current(), timeout=ENGINE_TIMEOUT_MS)
    keys = list(model.current())
    english = model.labels(keys)["momentum-lecture"]
    try:
        install_language(qapp, "fa")
        persian = model.labels(keys)["momentum-lecture"]
    finally:
        install_language(qapp, "en")
    assert re.search("[\u0600-\u06ff]", persian) and not re.search("[\u0600-\u06ff]", english), persian
    assert model.labels(keys)["momentum-lecture"] == english


def test_two_racers_of_one_rule_told_apart_by_eta_say_it_once_in_the_legend(
    window, qtbot, monkeypatch
) -> None:
    """The legend shows each racer's η beside its name; a name that is "Adam η=0.2" because its
    namesake has another η said it twice ("Adam η=0.2 η=0.2"). The list and the table keep it."""
    import re

    from gui import main_window

    racers = (
        RacerConfig("adam", {"lr": 0.05}),
        RacerConfig("sgd", {"lr": 0.001}),
        RacerConfig("adam", {"lr": 0.2}),
    )
    race(window, qtbot, SessionConfig(loss="rosenbrock", start=(-1.2, 1.0), steps=100, racers=racers))
    press_step(window, qtbot)
    window._redraw()
    window._update_readout()
    text = re.sub(r"<[^>]+>", "", window._readout_html)  # the legend as read
    assert text.count("η=0.05") == 1 and text.count("η=0.2") == 1 and text.count("η=0.001") == 1, text
    assert text.count("Adam") == 2
    assert "Adam η=0.05" in list_texts(window) and "● Adam η=0.2" in table_texts(window)
    trails = {r.label for r in window.contour._racers.values()}
    assert trails == {"Adam  η=0.05", "SGD  η=0.001", "Adam  η=0.2"}
    # a narrow plot's legend leaves η out of its rows: there the name tells them apart
    monkeypatch.setattr(main_window, "READOUT_COMPACT_BELOW_PX", 100_000)
    window._update_readout()
    text = re.sub(r"<[^>]+>", "", window._readout_html)
    assert text.count("Adam η=0.05") == 1 and text.count("Adam η=0.2") == 1 and "η=0.001" not in text, text
