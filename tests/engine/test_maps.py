"""Maps: every pixel is the ``simulate`` run of its start or setting; the pictures say true things."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from engine import simulate
from engine.losses import get_loss
from engine.maps import (
    CONVERGED,
    DIVERGED,
    NO_BASIN,
    NOT_CONVERGED,
    Axis,
    MapJob,
    MapResult,
    basin_map,
    hyper_map,
)
from engine.trajectory import Trajectory

_STATUS = {"converged": CONVERGED, "diverged": DIVERGED, "finished": NOT_CONVERGED}


def _check_pixels_against_simulate(
    result: MapResult, run: Callable[[int, int], Trajectory], picks: list[tuple[int, int]]
) -> None:
    for j, i in picks:
        t = run(j, i)
        np.testing.assert_array_equal(result.end[j, i], t.w[-1], err_msg=f"pixel {(j, i)}")
        assert result.final_loss[j, i] == t.loss[-1]
        assert result.steps[j, i] == t.steps, (j, i)
        assert result.status[j, i] == _STATUS[t.status], (j, i, t.status)


def _picks(result: MapResult, rng: np.random.Generator, n: int = 12) -> list[tuple[int, int]]:
    """Random pixels, plus some of each status present."""
    picks = [(int(rng.integers(result.y.n)), int(rng.integers(result.x.n))) for _ in range(n)]
    for code in (CONVERGED, DIVERGED, NOT_CONVERGED):
        js, is_ = np.nonzero(result.status == code)
        for k in rng.choice(js.size, size=min(3, js.size), replace=False) if js.size else ():
            picks.append((int(js[k]), int(is_[k])))
    return picks


@pytest.mark.parametrize(
    ("lr", "outcomes"), [(0.02, {CONVERGED, NOT_CONVERGED}), (0.03, {DIVERGED, NOT_CONVERGED})]
)
def test_every_basin_pixel_is_the_simulate_run_of_its_start(lr: float, outcomes: set[int]) -> None:
    # SGD on Himmelblau in 150 steps: at η = 0.02 runs converge or are still on their way;
    # at 0.03 the steep walls throw many starts out
    result = basin_map("himmelblau", "sgd", grid=40, steps=150, lr=lr)
    assert set(np.unique(result.status).tolist()) == outcomes
    xs, ys = result.x.values, result.y.values
    _check_pixels_against_simulate(
        result,
        lambda j, i: simulate("himmelblau", "sgd", (xs[i], ys[j]), 150, lr=lr),
        _picks(result, np.random.default_rng(3)),
    )


def test_every_hyperparameter_pixel_is_the_simulate_run_of_its_setting() -> None:
    x, y = Axis.parse("lr:1e-3:1:log", 24), Axis.parse("alpha:0:0.95", 20)
    result = hyper_map("quadratic", "momentum", x, y, steps=200, start=(-3.5, 1.5), tol=1e-6)
    assert {CONVERGED, DIVERGED, NOT_CONVERGED} <= set(np.unique(result.status).tolist())
    _check_pixels_against_simulate(
        result,
        lambda j, i: simulate(
            "quadratic", "momentum", (-3.5, 1.5), 200, tol=1e-6, lr=x.values[i], alpha=y.values[j]
        ),
        _picks(result, np.random.default_rng(5)),
    )


def test_the_heavy_ball_diverges_where_theory_says_on_the_bowl() -> None:
    """On L = (w1² + κ·w2²)/2 the heavy ball is stable iff η·κ < 2·(1 + α) (the steep axis sets it)."""
    kappa = 10.0
    x, y = Axis.parse("lr:0.01:1:log", 40), Axis.parse("alpha:0:0.9", 10)
    result = hyper_map("quadratic", "momentum", x, y, steps=3000, tol=0.0)
    lr, alpha = np.meshgrid(x.values, y.values)
    edge = 2 * (1 + alpha) / kappa
    diverged = result.status == DIVERGED
    assert diverged[lr >= 1.3 * edge].all()
    assert not diverged[lr <= 0.95 * edge].any()
    assert (lr >= 1.3 * edge).sum() > 50 and (lr <= 0.95 * edge).sum() > 50


def test_himmelblau_has_four_basins_and_each_pixel_ends_at_its_minimum() -> None:
    result = basin_map("himmelblau", "sgd", grid=32, steps=500, lr=0.01)
    assert (result.status == CONVERGED).all()
    assert sorted(np.unique(result.basin).tolist()) == [0, 1, 2, 3]
    minima = np.array(result.targets)
    nearest = np.argmin(np.linalg.norm(result.end[:, :, None, :] - minima[None, None], axis=-1), axis=-1)
    np.testing.assert_array_equal(result.basin, nearest)
    # the start in the middle of each quadrant's basin goes to the minimum in that quadrant
    for j, i in ((28, 28), (28, 3), (3, 3), (3, 28)):
        m = minima[result.basin[j, i]]
        assert np.sign(m[0]) == np.sign(result.x.values[i]) and np.sign(m[1]) == np.sign(result.y.values[j])


def test_a_typed_loss_gets_its_minima_from_the_end_points() -> None:
    result = basin_map(
        "(x^2 - 1)^2 + y^2", "sgd", grid=21, steps=2000, lr=0.02, view=(-2, 2, -1, 1), tol=1e-8
    )
    assert len(result.targets) == 2
    np.testing.assert_allclose(sorted(result.targets), [(-1.0, 0.0), (1.0, 0.0)], atol=1e-6)
    xs = result.x.values
    right = next(k for k, t in enumerate(result.targets) if t[0] > 0)
    for i, x0 in enumerate(xs):
        column = result.basin[:, i]
        if x0 > 0:
            assert (column == right).all()
        elif x0 < 0:
            assert (column == 1 - right).all()
        else:  # on the ridge x = 0 the gradient has no x part: the run stops on the saddle (0, 0)
            assert (column == NO_BASIN).all() and (result.status[:, i] == CONVERGED).all()


def test_a_cancelled_map_keeps_the_rows_done_and_they_are_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("engine.maps.RUNS_PER_BLOCK", 64)  # 2 rows a block on a 32-wide grid
    cancel = threading.Event()
    seen: list[int] = []

    def progress(rows: int, total: int) -> None:
        seen.append(rows)
        if rows >= 4:
            cancel.set()

    job = MapJob("rosenbrock", "adam", "basin", grid=32, steps=100)
    partial = job.run(cancel=cancel, progress=progress)
    assert partial.cancelled and partial.rows_done == 4 and seen == [2, 4]
    assert np.isnan(partial.end[4:]).all()
    full = basin_map("rosenbrock", "adam", grid=32, steps=100)
    np.testing.assert_array_equal(partial.end[:4], full.end[:4])
    np.testing.assert_array_equal(partial.status[:4], full.status[:4])


def test_npz_holds_the_axes_end_points_and_names(tmp_path: Path) -> None:
    x, y = Axis.parse("lr:1e-3:0.1:log", 5), Axis.parse("beta:0.5:0.999", 4)
    result = hyper_map("quadratic", "rmsprop", x, y, steps=50)
    result.save_npz(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as f:
        np.testing.assert_array_equal(f["x"], x.values)
        np.testing.assert_array_equal(f["y"], y.values)
        assert f["end"].shape == (4, 5, 2) and f["steps"].shape == (4, 5) and f["status"].shape == (4, 5)
        assert str(f["x_name"]) == "lr" and str(f["y_name"]) == "beta" and str(f["kind"]) == "hyper"
        np.testing.assert_array_equal(f["end"], result.end)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Axis.parse("lr:1e-3", 8), r"NAME:LOW:HIGH"),
        (lambda: Axis.parse("lr:a:b", 8), r"must be numbers"),
        (lambda: Axis.parse("lr:0:1:log", 8), r"log axis needs low > 0"),
        (lambda: Axis.parse("lr:1:0.5", 8), r"low < high"),
        (lambda: Axis("lr", 0.1, 1, 5000), r"2 to 2048 pixels, got 5000"),
        (lambda: MapJob("quadratic", "sgd", "hyper"), r"needs two axes"),
        (lambda: MapJob("quadratic", "sgd", "sideways"), r"one of basin, hyper"),
        (
            lambda: MapJob("quadratic", "sgd", "hyper", x=Axis("lr", 0.1, 1, 4), y=Axis("beta", 0.1, 0.9, 4)),
            r"sgd has no hyperparameter 'beta'; it takes: lr, condition",
        ),
        (
            lambda: MapJob("quadratic", "adam", "hyper", x=Axis("lr", 0.1, 1, 4), y=Axis("lr", 0.2, 1, 4)),
            r"different hyperparameters",
        ),
        (
            lambda: MapJob(
                "quadratic", "adam", "hyper", x=Axis("lr", 0.1, 1, 4), y=Axis("beta", 0.5, 1.5, 4)
            ),
            r"beta",
        ),
    ],
)
def test_bad_maps_are_refused_with_what_is_allowed(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):  # MapError is a ValueError, like the range checks'
        make()


def test_sgd_diverges_beyond_two_over_kappa_on_an_eta_kappa_map() -> None:
    """The lesson's claim: on the bowl SGD multiplies w2 by 1 − η·κ each step, so it diverges iff η > 2/κ."""
    x, y = Axis.parse("lr:1e-3:1:log", 48), Axis.parse("condition:1:100:log", 32)
    result = hyper_map("quadratic", "sgd", x, y, steps=2000, tol=0.0)
    lr, kappa = np.meshgrid(x.values, y.values)
    diverged = result.status == DIVERGED
    # "diverged" is a non-finite step: |1 − η·κ|ⁿ must pass 1e308 within the 2000 steps
    assert diverged[lr >= 1.3 * 2 / kappa].all()
    assert not diverged[lr <= 0.95 * 2 / kappa].any()
    # a pixel is the run on the bowl with that κ
    surface = get_loss("quadratic").with_params(condition=float(y.values[20]))
    t = simulate(surface, "sgd", surface.start, 2000, tol=0.0, lr=float(x.values[30]))
    np.testing.assert_array_equal(result.end[20, 30], t.w[-1])
    assert result.steps[20, 30] == t.steps


#: A wavy typed loss: its sin is where a batch runner with the formula inlined (vectorised) and the
#: single-run runner (scalar, through a function pointer) disagreed, by whole basins after 200 steps.
WAVY = "x^2 + 3*y^2 + 0.41*sin(3*x)"


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "momentum", "sgd"])
def test_every_typed_loss_pixel_is_the_simulate_run_of_its_start(optimizer: str) -> None:
    result = basin_map(WAVY, optimizer, grid=16, steps=200, tol=1e-6)
    xs, ys = result.x.values, result.y.values
    every = [(j, i) for j in range(result.y.n) for i in range(result.x.n)]
    _check_pixels_against_simulate(
        result, lambda j, i: simulate(WAVY, optimizer, (xs[i], ys[j]), 200, tol=1e-6), every
    )


def test_a_map_of_a_typed_loss_compiles_nothing_in_this_process() -> None:
    """numba holds the GIL while it compiles (seconds for a batch runner), unbounded by the compile
    child's limits: a map of a typed loss runs on the shared runner, compiled once for all formulas."""
    from numba.core import event

    from engine import _fn_batch, _fn_kernels, _fn_steps  # noqa: F401  (compiled once on a fresh cache)
    from engine.simulate import Run

    with event.install_recorder("numba:compile") as compiles:
        surface = get_loss("x^2 + 5*y^2 + 0.5*cos(2*y)")  # compiled by the compile child, loaded here
        basin_map(surface, "adam", grid=8, steps=50)
        x, y = Axis.parse("lr:1e-3:0.1:log", 4), Axis.parse("alpha:0:0.9", 4)
        hyper_map(surface, "momentum", x, y, steps=50)
        run = Run(surface, "nadam", lr=0.001)
        run.skip(100)  # the fast-forward runner
    assert [ev for _, ev in compiles.buffer] == []
    assert run.t == 100 and run.point == tuple(simulate(surface, "nadam", steps=100, lr=0.001).w[-1])
