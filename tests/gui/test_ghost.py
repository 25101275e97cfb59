"""Instant "what if": a slider move draws the selected racer's whole path before Play."""

from __future__ import annotations

import numpy as np

from engine.simulate import simulate


def _ghost(window) -> np.ndarray:
    x, y = window.contour.ghost.getData()
    return np.column_stack([x, y])


def test_moving_eta_draws_where_the_new_rate_leads_before_play(window, qtbot) -> None:
    window._racer_selected("sgd")
    window.controls.select_racer("sgd")
    assert not window.contour.ghost.isVisible()
    for lr in (0.18, 0.22):  # either side of SGD's 2/κ = 0.2 edge on the κ = 10 bowl
        with qtbot.waitSignal(window.worker.ghost_ready, timeout=10_000):
            window.controls._apply("sgd", {"lr": lr})  # as the slider and the field do
        reference = simulate(
            window.surface, "sgd", window.start_point, window.config.steps, lr=lr, tol=window.config.tol
        )
        np.testing.assert_allclose(_ghost(window), reference.w, rtol=0, atol=0)
        assert window.contour.ghost.isVisible()
        message = window.statusBar().currentMessage()
        if lr < 0.2:  # settles: nothing to warn about
            assert reference.status != "diverged" and "diverges" not in message
        else:  # |1 − κη| = 1.2: past the largest double after ~1,900 steps, off the plot long before
            assert reference.status == "diverged"
            steps = len(reference.w) - 1
            assert (
                message
                == f"What if: with these settings SGD diverges within {steps} steps (the dashed path)."
            )
        assert all(h.last_step == 0 for h in window.histories.values())  # nothing was raced
    # 0.22 > 2/κ: the path the learner sees runs away in w2, 0.18 settles
    assert np.abs(_ghost(window)[:, 1]).max() > 10
    window._racer_selected("adam-lecture")  # another racer: that "what if" is not about it
    window.controls.select_racer("adam-lecture")
    assert not window.contour.ghost.isVisible()


def test_a_new_start_draws_the_selected_racers_path_from_there(window, qtbot) -> None:
    with qtbot.waitSignal(window.worker.ghost_ready, timeout=10_000):
        window.set_start(2.0, -1.0)
    reference = simulate(window.surface, window.controls.selected, (2.0, -1.0), window.config.steps)
    np.testing.assert_allclose(_ghost(window), reference.w, rtol=0, atol=0)
