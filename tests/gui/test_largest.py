"""The largest ‖g‖, ‖M‖, ‖Δw‖ of the selected racer's record (the arrows' lengths), weighed once per row."""

from __future__ import annotations

import numpy as np
import pytest

from engine.simulate import Run
from gui.history import RacerHistory
from gui.views.contour import ContourView


def _expected(history: RacerHistory) -> dict[str, float]:
    out = {}
    for key in ("grad", "M", "dw"):
        v = history.vec(key)[1:]
        with np.errstate(invalid="ignore", over="ignore"):
            norms = np.hypot(v[:, 0], v[:, 1])
        finite = norms[np.isfinite(norms)]
        out[key] = float(finite.max()) if finite.size else 0.0
    return out


@pytest.fixture
def view(qtbot):
    widget = ContourView()
    qtbot.addWidget(widget)
    return widget


RUNS = {
    "converging": ("rosenbrock", "momentum", (-1.5, 2.0), 0.001),
    "diverging": ("quadratic", "sgd", (-3.5, 1.5), 1.5),
}


@pytest.mark.parametrize("loss, optimizer, start, lr", RUNS.values(), ids=RUNS.keys())
def test_the_largest_norms_are_the_whole_records_through_appends_thinning_and_new_races(
    view, loss, optimizer, start, lr
) -> None:
    """Appends of a few rows (a frame's), of many, a record thinned on a new stride (its cap is
    small here), a diverging run's overflow, and a new record of the same racer and length."""
    run = Run(loss, optimizer, start, tol=0.0, lr=lr)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=300, exact_first=50)
    view.set_racers({"r": "R"}, run.start)
    for n in [1, 2, 2, 3, 2, 150, 2, 2, 400, 1, 1, 2, 3, 900, 2, 2]:
        history.append(run.advance(n))
        view._histories = {"r": history}
        if len(history) >= 2:
            assert view._largest("r") == _expected(history)
    assert history.stride > 1 or history.status == "diverged"  # thinned on the way
    again = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=300, exact_first=50)
    fresh = Run(loss, optimizer, (start[0] / 2, start[1] / 2), tol=0.0, lr=lr)
    while len(again) < len(history) and not fresh.done:
        again.append(fresh.advance(1))
    view._histories = {"r": again}
    assert view._largest("r") == _expected(again)


def test_rows_weighed_once_are_not_weighed_again(view, monkeypatch) -> None:
    """A frame's two new rows cost two rows of work, not the whole record's (12,000 rows at the cap)."""
    run = Run("quadratic", "adam", (-3.5, 1.5), tol=0.0)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]))
    history.append(run.advance(5000))
    view._histories = {"a": history}
    view._largest("a")
    weighed: list[int] = []
    hypot = np.hypot
    monkeypatch.setattr(np, "hypot", lambda x, y: weighed.append(len(x)) or hypot(x, y))
    for _ in range(3):
        history.append(run.advance(2))
        expected = _expected(history)
        weighed.clear()
        assert view._largest("a") == expected
        assert 0 < max(weighed) <= 3
