"""Data losses in the window, as a learner uses them: pick the penguins, play on minibatches of 8,
see SGD's noisy path and the fitted line move, flip "standardise", open a CSV (bad ones refused in
words), and get every number back from a saved session and its seeds."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtWidgets import QDialogButtonBox

from engine.data import DataSpec, batch_indices, epoch_at
from engine.datasets import DATASETS
from engine.race import replay
from engine.simulate import surface_for
from gui.data_dialog import DataDialog
from gui.panels.controls import DATA_PREFIX, OPEN_CSV, preset_key
from tests.engine.test_data_steadiness import step_cosine
from tests.gui.conftest import ENGINE_TIMEOUT_MS

#: The picker's penguins, as a learner gets them: standardised (engine.datasets.Preset says why).
PENGUINS = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)


def pick(window, qtbot, data: str) -> None:
    """Choose the loss picker's entry whose item data is ``data``, as a click would."""
    combo = window.controls.surface_combo
    index = combo.findData(data)
    assert index >= 0, data
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        combo.setCurrentIndex(index)
        combo.activated.emit(index)


def play_steps(window, qtbot, n: int) -> None:
    """Take every racer to step ``n`` (the worker's own advance, paused)."""
    window.worker.advance_to(n)
    qtbot.waitUntil(
        lambda: all(
            h.last_step >= n or h.status in ("diverged", "converged") for h in window.histories.values()
        ),
        timeout=ENGINE_TIMEOUT_MS,  # a cold cache compiles the stochastic kernels on first use
    )


def test_the_picker_offers_every_preset_and_open_csv(window) -> None:
    combo = window.controls.surface_combo
    keys = [combo.itemData(i) for i in range(combo.count())]
    for name, dataset in DATASETS.items():
        for i, _preset in enumerate(dataset.presets):
            assert f"{DATA_PREFIX}{name}:{i}" in keys
    assert OPEN_CSV in keys
    assert "Palmer penguins: flipper length → body mass (linear)" in [
        combo.itemText(i) for i in range(combo.count())
    ]


def test_penguins_with_batch_8_give_a_noisy_sgd_path_and_a_moving_line(window, qtbot) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    # standardised from the start: raw millimetres and grams send SGD's default η off at once (lesson 12)
    assert window.config.data == PENGUINS and window.surface.data is not None
    assert window.controls.standardize_check.isChecked()
    n = window.surface.data.n
    assert window.controls.batch_spin.maximum() == n and window.controls.batch_spin.value() == n
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(8)
    assert window.config.batch_size == 8 and window.config.data.standardize
    window.data_dock.show()
    qtbot.waitUntil(window.data_dock.isVisible)
    play_steps(window, qtbot, 40)
    window._redraw()
    # the path the window drew is the engine's, replayed from the session alone (same seeds)
    expected = replay(replace(window.config, steps=40), surface_for(window.config))
    for key, history in window.histories.items():
        np.testing.assert_array_equal(history.vec("w")[:41], expected[key].w[:41])
    # SGD's minibatch gradient is not the full-data gradient: a noisy path
    sgd = window.histories["sgd"]
    w, g = sgd.vec("w"), sgd.vec("grad")
    full = np.array([window.surface.value_grad(*w[i])[1:] for i in range(0, 40)])
    assert np.abs(g[1:41] - full).max() > 1e-3 * np.abs(full).max()
    # the line over the data is the selected racer's model at its current weights
    window._racer_selected("sgd")
    window._redraw()
    xs, ys = window.data_dock.view.shown_model
    np.testing.assert_array_equal(ys, window.surface.data.predict(*w[-1], xs))
    first = ys.copy()
    play_steps(window, qtbot, 80)
    window._redraw()
    assert not np.array_equal(window.data_dock.view.shown_model[1], first), "the line moves as SGD trains"
    # SGD's path turns about a right angle a step; Adam's keeps its heading (test_data_steadiness)
    cosines = {k: step_cosine(window.histories[k].vec("w")[:121]) for k in ("sgd", "adam-lecture")}
    assert abs(cosines["sgd"]) < 0.25 < 0.7 < cosines["adam-lecture"]
    # the batch ringed is the one that step used, 8 rows
    rows = window.data_dock.view.shown_batch
    step = window.histories["sgd"].last_step
    np.testing.assert_array_equal(rows, batch_indices(n, 8, window.config.seed, step))
    assert len(rows) == 8
    # the step counter says the epoch
    window._update_readout()
    assert f"step {step:,} · epoch {epoch_at(step, 8, n):.1f}" in window._readout_html


def test_while_playing_the_data_view_changes_with_the_numbers_and_paused_at_once(
    window, qtbot, monkeypatch
) -> None:
    """Playing, the model's line and rings change on the frames the numbers change on (5 Hz, with
    rows: its line is at the step the readout says; each repaint covers the whole plot), at 1×
    (rows every third frame) and flat out (every frame). Paused, the newest weights are drawn at
    the next frame."""
    from gui.main_window import NUMBERS_EVERY

    pick(window, qtbot, preset_key(PENGUINS))
    qtbot.waitUntil(window.data_dock.isVisible)
    play_steps(window, qtbot, 40)
    window._redraw()
    drawn: list[int] = []
    show_model = window.data_dock.show_model
    monkeypatch.setattr(
        window.data_dock, "show_model", lambda *a, **k: (drawn.append(window._frame), show_model(*a, **k))
    )
    numbers: list[int] = []
    update_readout = window._update_readout
    monkeypatch.setattr(window, "_update_readout", lambda: (numbers.append(window._frame), update_readout()))
    window.playing = True  # frames as while playing (the worker is not asked to play)
    # the frames and their rows are this test's: a row the worker sends late (a loaded machine)
    # made one more frame bring rows, and the numbers' gaps 6 and 8
    take_chunks = window._take_chunks
    monkeypatch.setattr(window, "_take_chunks", lambda: None)
    window.redraw_timer.stop()
    for rows_every in (3, 1):
        drawn.clear()
        numbers.clear()
        for tick in range(4 * NUMBERS_EVERY):
            window._dirty = tick % rows_every == 0
            window._redraw()
        assert drawn == numbers and len(drawn) >= 3, (rows_every, drawn, numbers)
        gaps = {b - a for a, b in itertools.pairwise(drawn)}
        assert gaps == {NUMBERS_EVERY}, gaps  # 5 Hz at 30 frames a second
    monkeypatch.setattr(window, "_take_chunks", take_chunks)
    window.redraw_timer.start()
    window.playing = False
    before = len(drawn)
    play_steps(window, qtbot, 60)
    window._redraw()
    assert len(drawn) == before + 1
    xs, ys = window.data_dock.view.shown_model
    w = window.histories[window.controls.selected].vec("w")[-1]
    np.testing.assert_array_equal(ys, window.surface.data.predict(*w, xs))


def test_the_line_stays_when_standardise_is_flipped_and_the_contour_regrids(window, qtbot) -> None:
    """A screenshot showed the points without the line after "standardise": the contour regrids the
    new surface's view, the Data dock was given the same problem again and cleared the line, and
    the restarted race (paused at step 0) sent nothing to draw it again."""
    pick(window, qtbot, preset_key(PENGUINS))
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(8)
    qtbot.waitUntil(window.data_dock.isVisible)  # opened with the data
    window._racer_selected("sgd")
    play_steps(window, qtbot, 10)
    window._redraw()
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.standardize_check.setChecked(False)
    window._redraw()
    problem = window.data_dock.problem
    assert problem is window.surface.data and not problem.spec.standardize
    xs, ys = window.data_dock.view.shown_model
    np.testing.assert_array_equal(ys, problem.predict(0.0, 0.0, xs))  # step 0: w = (0, 0)
    with qtbot.waitSignal(window.worker.surface_ready, timeout=ENGINE_TIMEOUT_MS):
        window.worker_regrid(window.surface.view)  # what a zoom, or the new surface's view, asks
    assert window.data_dock.problem is problem
    assert window.data_dock.view.shown_model is not None, "the line is still drawn"
    window._redraw()
    assert window.data_dock.view.shown_model is not None
    np.testing.assert_array_equal(window.data_dock.view.shown_model[1], problem.predict(0.0, 0.0, xs))


def test_standardise_restarts_the_race_on_the_round_bowl(window, qtbot) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    bowl = window.surface
    play_steps(window, qtbot, 5)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.standardize_check.setChecked(False)  # the raw features: the ravine
    raw = window.surface
    assert not window.config.data.standardize and raw is not bowl
    assert all(h.last_step == 0 for h in window.histories.values())
    play_steps(window, qtbot, 5)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.standardize_check.setChecked(True)  # flipped back: the bowl
    assert window.config.data.standardize and window.surface is not raw
    assert all(h.last_step == 0 for h in window.histories.values())
    # the full-data Hessian's condition: a ravine before, a round bowl after (finite differences of g)
    assert condition(window.surface) < 1.5 < 1e3 < condition(raw)
    assert condition(bowl) == condition(window.surface)
    assert window.controls.standardize_check.isChecked()


def condition(surface) -> float:
    w = np.array(surface.minima[0]) if surface.minima else np.array(surface.start)
    h = 1e-3 * max(1.0, float(np.abs(w).max()))
    hess = np.empty((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        hess[:, j] = (
            np.array(surface.value_grad(*(w + e))[1:]) - np.array(surface.value_grad(*(w - e))[1:])
        ) / (2 * h)
    eig = np.linalg.eigvalsh((hess + hess.T) / 2)
    return float(eig.max() / eig.min())


def test_the_inspector_names_the_batch_of_the_step(window, qtbot) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(8)
    play_steps(window, qtbot, 3)
    window._redraw()  # the timeline reaches step 3
    window.timeline.set_cursor(2)
    window.bottom_tabs.setCurrentWidget(window.inspector)
    window._racer_selected("adam-lecture")
    window._update_inspector()
    rows = batch_indices(window.surface.data.n, 8, window.config.seed, 2)
    text = window.inspector.toPlainText()
    assert "a minibatch of 8 of the" in text
    assert ", ".join(str(int(r) + 1) for r in rows[:8]) in text
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(window.surface.data.n)
    play_steps(window, qtbot, 2)
    window._redraw()
    window.timeline.set_cursor(1)
    window._update_inspector()
    assert "the full batch" in window.inspector.toPlainText()


def test_own_batches_give_each_racer_its_seed_and_noise_works_on_the_bowl(window, qtbot) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(8)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batches_combo.setCurrentIndex(1)
        window.controls.batches_combo.activated.emit(1)
    seeds = [r.seed for r in window.config.racers]
    assert None not in seeds and len(set(seeds)) == len(seeds)
    assert window.controls.batches_combo.currentIndex() == 1
    # noise σ on a formula surface
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.choose_loss("quadratic")
    assert not window.controls.batch_spin.isEnabled() and window.config.data is None
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.noise_field.setText("0.5")
        window.controls.noise_field.editingFinished.emit()
    assert window.config.noise == 0.5
    play_steps(window, qtbot, 3)
    sgd = window.histories["sgd"]
    w, g = sgd.vec("w"), sgd.vec("grad")
    exact = np.array(window.surface.value_grad(*w[0])[1:])
    assert not np.allclose(g[1], exact)


def test_a_session_round_trips_the_data_settings(window, qtbot, tmp_path) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    for change in (
        {"standardize": False},
        {"batch_size": 16},
        {"seed": 11},
        {"noise": 0.25},
        {"own_batches": True},
    ):
        with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            window.controls.gradient_changed.emit(change)
    saved = window.config
    assert not saved.data.standardize and saved.batch_size == 16 and saved.seed == 11 and saved.noise == 0.25
    path = tmp_path / "penguins.olab.json"
    assert window.save_session(path)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.choose_loss("rosenbrock")
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        assert window.open_session(path)
    c = window.config
    assert (c.data, c.batch_size, c.seed, c.noise) == (saved.data, 16, 11, 0.25)
    assert [r.seed for r in c.racers] == [r.seed for r in saved.racers]
    assert not window.controls.standardize_check.isChecked() and window.controls.batch_spin.value() == 16
    assert window.controls.seed_spin.value() == 11 and window.controls.batches_combo.currentIndex() == 1


def test_a_reopened_session_gives_the_same_numbers_and_the_csv_export_names_the_seeds(
    window, qtbot, tmp_path
) -> None:
    """The issue's last words: "every number is reproducible from the session's seeds" — played,
    saved, another surface chosen, the session reopened and played again: the same trajectories,
    bit for bit; the window's CSV export says the dataset and each racer's own seed."""
    from engine.trajectory import parse_csv_metadata
    from gui.export import data_csv, read_data_csv, scene_from_window

    pick(window, qtbot, preset_key(PENGUINS))
    assert window.config.data.standardize  # the picker's default
    for change in ({"batch_size": 8}, {"seed": 3}, {"own_batches": True}):
        with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            window.controls.gradient_changed.emit(change)
    play_steps(window, qtbot, 50)
    fields = ("w", "loss", "grad", "G", "M")
    before = {k: {f: h.field(f)[:51].copy() for f in fields} for k, h in window.histories.items()}
    assert all(len(b["w"]) == 51 for b in before.values())
    scene = scene_from_window(window)
    text = data_csv(scene)
    path = tmp_path / "penguins.olab.json"
    assert window.save_session(path)
    config = window.config
    seeds = {r.key: config.seed_of(r) for r in config.enabled_racers()}
    assert len(set(seeds.values())) == len(seeds)  # own batches: a seed each
    # the CSV: the header, then above each racer's rows the dataset, batch size and its seed
    assert text.splitlines()[0].startswith("optimizer,step,epoch,w1,w2")
    back = read_data_csv(text)
    for key, t in scene.trajectories.items():
        got = back[t.optimizer if t.optimizer in back else key].stochastic
        assert got["seed"] == seeds[key] and got["batch_size"] == 8 and got["rows"] == 342
        assert got["data"] == {**PENGUINS.to_dict(), "standardize": True, "sha256": got["data"]["sha256"]}
        np.testing.assert_array_equal(back[t.optimizer if t.optimizer in back else key].w, before[key]["w"])
    assert parse_csv_metadata(["# seed: 3", "# standardize: true"]) == {
        "seed": 3,
        "data": {"standardize": True, "positive": ""},
    }
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.choose_loss("rosenbrock")
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        assert window.open_session(path)
    assert all(h.last_step == 0 for h in window.histories.values())
    play_steps(window, qtbot, 50)
    assert set(window.histories) == set(before)
    for key, history in window.histories.items():
        for f in fields:
            np.testing.assert_array_equal(history.field(f)[:51], before[key][f], err_msg=f"{key} {f}")


# -- Open CSV… ----------------------------------------------------------------------------------------
@pytest.fixture
def dialog(qtbot) -> DataDialog:
    d = DataDialog()
    qtbot.addWidget(d)
    return d


@pytest.mark.parametrize(
    ("content", "setup", "words"),
    [
        ("a,b\n1,2\n", {}, "needs at least 2"),
        ("a,b\n1,2\n3,x\n4,5\n", {"y": "b"}, "line 3"),
        ("a,b\n1,cat\n3,cat\n4,cat\n", {"model": "logistic", "y": "b"}, "two classes"),
    ],
)
def test_a_bad_csv_is_refused_in_words_and_the_dialog_keeps_the_choice(
    dialog, tmp_path, content, setup, words
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    dialog.open_file(str(path))
    if "model" in setup:
        dialog.model_combo.setCurrentIndex(dialog.model_combo.findData(setup["model"]))
    if "y" in setup:
        dialog.y_combo.setCurrentText(setup["y"])
    if dialog.table is not None:
        dialog.accept()
    assert dialog.spec is None and dialog.result() == 0
    assert words in dialog.error.text().lower() or words in dialog.error.text()
    assert dialog.path_edit.text() == str(path)  # nothing the learner chose is lost


def test_a_missing_file_is_refused_in_words(dialog, tmp_path) -> None:
    assert not dialog.open_file(str(tmp_path / "nowhere.csv"))
    assert "nowhere.csv" in dialog.error.text()
    assert not dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()


def test_a_good_csv_gives_its_spec_with_the_content_hash(dialog, tmp_path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("height,weight,kind\n1.5,50,a\n1.7,65,b\n1.8,80,b\n1.6,55,a\n", encoding="utf-8")
    assert dialog.open_file(str(path))
    assert [dialog.x_combo.itemText(i) for i in range(dialog.x_combo.count())] == ["height", "weight"]
    dialog.model_combo.setCurrentIndex(dialog.model_combo.findData("logistic"))
    dialog.y_combo.setCurrentText("kind")
    assert [dialog.positive_combo.itemText(i) for i in range(dialog.positive_combo.count())] == ["a", "b"]
    dialog.positive_combo.setCurrentText("b")
    dialog.accept()
    assert dialog.spec is not None
    assert (dialog.spec.model, dialog.spec.x, dialog.spec.y, dialog.spec.positive) == (
        "logistic",
        "height",
        "kind",
        "b",
    )
    assert len(dialog.spec.sha256) == 64
    assert dialog.spec.standardize  # as the built-in presets start


def test_the_note_about_left_out_rows_is_in_persian_in_the_persian_interface(qapp) -> None:
    from engine.data import data_surface
    from gui.i18n import install_language, tr_engine

    csv_note = data_surface(PENGUINS).note  # 2 of 344 rows have no flipper length or body mass
    assert csv_note.startswith("2 of 344 rows have a missing")
    install_language(qapp, "fa")
    try:
        shown = tr_engine(csv_note)
    finally:
        install_language(qapp, "en")
    assert "سطر" in shown and "344" in shown and "flipper_length_mm" in shown
    assert tr_engine(csv_note) == csv_note


def test_a_racer_diverging_on_raw_features_offers_to_standardise(window, qtbot) -> None:
    pick(window, qtbot, preset_key(PENGUINS))
    qtbot.waitUntil(window.data_dock.isVisible)  # shown with the data (test_the_data_dock_opens…)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.standardize_check.setChecked(False)
    assert not window.config.data.standardize
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.batch_spin.setValue(8)
    assert not window.standardize_hint.isVisibleTo(window)
    play_steps(window, qtbot, 100)
    diverged = [k for k, h in window.histories.items() if h.status == "diverged"]
    assert diverged  # SGD and momentum on raw grams and millimetres: overshoots grow ×10 a step
    qtbot.waitUntil(lambda: window.standardize_hint.isVisibleTo(window), timeout=ENGINE_TIMEOUT_MS)
    text = window.standardize_hint_label.text()
    assert "diverged" in text and all(window.race.label(k) in text for k in diverged)
    # the data view says so too: its last weights are finite (1e140) but no line of theirs is drawn
    window._racer_selected(diverged[0])
    window._redraw()
    history = window.histories[diverged[0]]
    assert np.all(np.isfinite(history.vec("w")[-1]))
    assert window.data_dock.view.where == "The model's weights have diverged: no line."
    assert not np.isfinite(window.data_dock.view.shown_model[1]).any()
    window.timeline.set_cursor(1)  # a step before it blew up: its line then, on the plot
    window._redraw()
    assert window.data_dock.view.where != "The model's weights have diverged: no line."
    assert np.isfinite(window.data_dock.view.shown_model[1]).all()
    window.timeline.set_cursor(None)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.standardize_hint_button.click()
    assert window.config.data.standardize and window.controls.standardize_check.isChecked()
    assert not window.standardize_hint.isVisibleTo(window)
    play_steps(window, qtbot, 100)
    window._take_chunks()
    assert not any(h.status == "diverged" for h in window.histories.values())
    assert not window.standardize_hint.isVisibleTo(window)


def test_the_data_dock_opens_when_the_race_turns_to_data_and_closes_again_after(window, qtbot) -> None:
    """Picking the penguins shows the data with the model's line (hidden, a learner never saw the
    fit); a formula loss closes it again. Closed by the learner on a data loss, it stays closed
    for other data, and one the learner opened on a formula stays open."""
    assert window.surface.data is None and not window.data_dock.isVisible()
    pick(window, qtbot, preset_key(PENGUINS))
    qtbot.waitUntil(window.data_dock.isVisible)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.standardize_check.setChecked(False)  # the same data, another problem
    assert window.data_dock.isVisible()
    window.data_dock.close()  # the learner's choice
    pick(window, qtbot, f"{DATA_PREFIX}penguins:1")
    assert not window.data_dock.isVisible()
    pick(window, qtbot, "rosenbrock")
    assert not window.data_dock.isVisible()
    pick(window, qtbot, preset_key(PENGUINS))
    qtbot.waitUntil(window.data_dock.isVisible)
    pick(window, qtbot, "rosenbrock")
    qtbot.waitUntil(lambda: not window.data_dock.isVisible())
    window.data_dock.show()  # opened on a formula: the learner's, kept
    pick(window, qtbot, preset_key(PENGUINS))
    pick(window, qtbot, "quadratic")
    assert window.data_dock.isVisible()
