"""Runs: chunked = one-shot, mid-run changes, divergence, convergence, bad input, thinning, batch, cache."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine import OPTIMIZERS, Run, batch, simulate
from engine.state import S_MU_PROD
from engine.trajectory import ARRAYS

ROOT = Path(__file__).resolve().parents[2]
SAFE_LR = {"sgd": 1e-3, "momentum-lecture": 5e-4, "momentum": 1e-4, "nesterov": 1e-4, "qhm": 1e-3}
#: Rules whose step is at most about η whatever the gradient (Lion: η·sign(c); Adamax: η·M̂/max|g|)
#: and that never square g: a huge gradient does not overflow them, so they need their own way to
#: diverge: Lion through its weight decay λ·w (which grows geometrically at a huge η), Adamax by
#: walking down the saddle L = w1² − w2² until L overflows.
BOUNDED_STEP = {
    "lion": ("rosenbrock", {"lr": 1e70, "weight_decay": 0.5}),
    "adamax": ("saddle", {"lr": 1e153}),
}


def _lr(opt: str) -> float:
    return SAFE_LR.get(opt, OPTIMIZERS[opt].defaults["lr"] / 10)


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_chunked_equals_one_shot_bit_for_bit(opt: str) -> None:
    one = simulate("rosenbrock", opt, (-1.2, 1.0), 300, tol=0.0, lr=_lr(opt), schedule="cosine:T=200,min=0")
    for sizes in ([1] * 300, [7, 1, 50, 0, 242], [299, 1]):
        run = Run("rosenbrock", opt, (-1.2, 1.0), tol=0.0, lr=_lr(opt), schedule="cosine:T=200,min=0")
        rows = [run.advance(n) for n in sizes]
        chunked = run.trajectory()
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(chunked, name), getattr(one, name), err_msg=name)
            # the chunks handed out are exactly the rows of the record
            np.testing.assert_array_equal(
                np.concatenate([getattr(c, name) for c in rows]), getattr(one, name)[1:]
            )
        np.testing.assert_array_equal(np.concatenate([c.step for c in rows]), np.arange(1, 301))


def test_update_mid_run_applies_from_the_next_step_and_recomputes_bias_corrections() -> None:
    run = Run("quadratic", "adam", (2.0, 1.0), tol=0.0, lr=0.1)
    run.advance(10)
    run.update(lr=0.05, alpha=0.5, beta=0.99)
    run.advance(1)
    t = run.trajectory()
    # step 11 by hand from the recorded state after step 10
    g = t.grad[11]
    np.testing.assert_array_equal(g, [t.w[10, 0], 10.0 * t.w[10, 1]])
    M = 0.5 * t.M[10] + 0.5 * g
    G = 0.99 * t.G[10] + 0.01 * g * g
    m_hat = M / (1 - 0.5**11)  # α^t, β^t as if the new α, β had been used from the start
    v_hat = G / (1 - 0.99**11)
    rate = 0.05 / (np.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(t.M[11], M, rtol=1e-15)
    np.testing.assert_allclose(t.G[11], G, rtol=1e-15)
    np.testing.assert_allclose(t.lr[11], rate, rtol=1e-12)
    np.testing.assert_allclose(t.dw[11], -rate * m_hat, rtol=1e-12)
    assert t.hyperparameters["lr"] == 0.05


def test_update_of_nadam_recomputes_its_momentum_product() -> None:
    run = Run("rosenbrock", "nadam", tol=0.0, lr=0.01)
    run.advance(20)
    run.update(alpha=0.8)
    mu = 0.8 * (1 - 0.5 * 0.96 ** (np.arange(1, 21) * 4e-3))
    assert run._S[S_MU_PROD] == pytest.approx(np.prod(mu), rel=1e-13)
    # with unchanged values, update() changes nothing: the run is still bit-identical to one-shot
    a = Run("rosenbrock", "adam", tol=0.0, lr=0.01)
    a.advance(20)
    a.update(lr=0.01)
    a.advance(20)
    np.testing.assert_array_equal(
        a.trajectory().w, simulate("rosenbrock", "adam", steps=40, tol=0.0, lr=0.01).w
    )


def test_update_of_the_schedule_and_bad_updates() -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, lr=0.1)
    run.advance(3)
    run.update(schedule="exponential:gamma=0.5")
    c = run.advance(2)
    np.testing.assert_array_equal(c.lr[:, 0], [0.1 * 0.5**3, 0.1 * 0.5**4])
    with pytest.raises(ValueError, match=r"lr = -1.*\(0, ∞\)"):
        run.update(lr=-1.0)
    with pytest.raises(ValueError, match="no hyperparameter 'beta'"):
        run.update(beta=0.5)


@pytest.mark.parametrize("opt", list(OPTIMIZERS))
def test_divergence_stops_at_the_step_keeps_finite_rows_and_never_raises(opt: str) -> None:
    # Adaptive rules move about η per step whatever the gradient: η = 1e70 overflows L at step 2.
    # The others blow up from η = 1e6 after a few steps (AdaDelta, whose η scales a ratio, late).
    lr = 1e70 if OPTIMIZERS[opt].adaptive and opt not in ("adamw", "adadelta") else 1e6
    loss, h = BOUNDED_STEP.get(opt, ("rosenbrock", {"lr": lr}))
    t = simulate(loss, opt, (-1.2, 1.0), 5000, **h)
    assert t.status == "diverged" and t.diverged_at >= 2  # at least one finite step recorded
    assert t.diverged_at == t.steps + 1
    for name in ARRAYS:
        assert np.all(np.isfinite(getattr(t, name))), name
    run = Run(loss, opt, (-1.2, 1.0), **h)
    run.advance(t.diverged_at - 1)
    c = run.advance(10)
    assert len(c) == 0 and c.status == "diverged" and c.diverged_at == t.diverged_at
    assert run.advance(5).status == "diverged"


def test_divergence_by_hand_sgd_on_rosenbrock() -> None:
    # η = 1 from (−1.2, 1): g = (−215.6, −88) so w(1) = (214.4, 89); L grows like x⁴ and overflows
    t = simulate("rosenbrock", "sgd", (-1.2, 1.0), 100, lr=1.0)
    np.testing.assert_allclose(t.w[1], [214.4, 89.0], rtol=1e-14)
    assert t.status == "diverged"
    assert 2 <= t.diverged_at <= 6
    assert t.w.shape[0] == t.diverged_at
    assert np.all(np.isfinite(t.loss))


def test_convergence_status() -> None:
    t = simulate("quadratic", "sgd", (2.0, 1.0), 10_000, lr=0.1, tol=1e-6)
    assert t.status == "converged"
    assert math.hypot(t.w[-1, 0], 10 * t.w[-1, 1]) < 1e-6
    assert math.hypot(t.w[-2, 0], 10 * t.w[-2, 1]) >= 1e-6
    # starting at the minimum: converged at step 0
    t = simulate("quadratic", "adam", (0.0, 0.0), 10)
    assert t.status == "converged" and t.steps == 0 and t.w.shape == (1, 2)
    assert simulate("quadratic", "sgd", (2.0, 1.0), 5, lr=0.1).status == "finished"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 0.0}, r"lr = 0.0 is out of range: η must be in \(0, ∞\)"),
        ({"lr": -0.1}, r"lr .*\(0, ∞\)"),
        ({"lr": math.nan}, r"lr = nan"),
        ({"beta": 1.0}, r"beta = 1.0 is out of range: β must be in \[0, 1\)"),
        ({"beta": -0.1}, r"β must be in \[0, 1\)"),
        ({"alpha": 1.5}, r"α must be in \[0, 1\)"),
        ({"eps": -1e-8}, r"eps = -1e-08 is out of range: ε must be in \[1e-300, 1\)"),
        ({"start": (math.inf, 0.0)}, r"start must be finite"),
        ({"start": (0.0, math.nan)}, r"start must be finite"),
        ({"start": (1.0,)}, r"start must be two numbers"),
        ({"steps": -1}, r"steps must be a whole number ≥ 0, got -1"),
        ({"steps": 2.5}, r"steps must be a whole number"),
        ({"tol": -1.0}, r"tol must be a finite number ≥ 0"),
        ({"schedule": "step:size=0"}, r"size must be an integer ≥ 1"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter_and_range(kwargs: dict, message: str) -> None:
    args = {"start": (-1.2, 1.0), "steps": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        simulate("rosenbrock", "adam", **args)


def test_bad_optimizer_and_hyperparameter_names() -> None:
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'; choose one of: sgd"):
        simulate("quadratic", "adamm")
    with pytest.raises(ValueError, match="sgd has no hyperparameter 'beta'; it takes: lr"):
        simulate("quadratic", "sgd", beta=0.9)


def test_thinning_keeps_memory_bounded_and_step_numbers_right() -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, max_rows=100, lr=1e-4)
    for n in (50, 150, 1, 999, 3000):
        chunk = run.advance(n)
        assert len(chunk) == n  # every chunk is complete
    assert run.t == 4200
    capacity = run._step.shape[0]
    run.advance(20_000)
    assert run._step.shape[0] == capacity  # storage stays bounded however long the run goes
    assert run.trajectory().w.shape[0] <= 101
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, max_rows=100, lr=1e-4)
    for n in (50, 150, 1, 999, 3000):
        run.advance(n)
    t = run.trajectory()
    assert t.w.shape[0] <= 101
    assert t.step[0] == 0 and t.step[-1] == 4200 and t.steps == 4200
    stride = t.step[1] - t.step[0]
    assert stride > 1
    np.testing.assert_array_equal(t.step[:-1], np.arange(0, t.step[-2] + 1, stride))
    # each kept row is the same as in an unthinned run, at its step number
    full = simulate("quadratic", "sgd", (2.0, 1.0), 4200, tol=0.0, lr=1e-4)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(t, name), getattr(full, name)[t.step], err_msg=name)


def test_batch_equals_individual_runs_exactly() -> None:
    rng = np.random.default_rng(1)
    starts = np.column_stack([rng.uniform(-2, 2, 300), rng.uniform(-1, 3, 300)])
    starts[5] = (1.0, 1.0)  # already at the minimum: converged at step 0
    starts[7] = (2e76, 2e76)  # L is finite there, g² is not: every rule that squares g diverges at step 1
    for opt in OPTIMIZERS:
        # at its safe rate each rule converges from some starts on the way and runs out of steps from
        # others; a plain-gradient rule at 100× that rate also blows up from many starts mid-run
        for lr in (_lr(opt), _lr(opt) * 100) if opt in SAFE_LR else (_lr(opt),):
            res = batch("rosenbrock", opt, starts, 200, lr=lr, tol=0.1)
            diverged = np.flatnonzero(res.diverged & (res.steps > 0))
            partway = np.flatnonzero(res.converged & (res.steps > 0))
            finished = np.flatnonzero(~res.converged & ~res.diverged)
            assert res.converged[5] and res.steps[5] == 0, (opt, lr)
            assert res.diverged[7] != (opt in BOUNDED_STEP), (opt, lr)  # Lion, Adamax step by ≈ η
            assert diverged.size if lr > _lr(opt) else partway.size and finished.size, (opt, lr)
            picked = (0, 5, 7, 17, 128, 299, *diverged[:2], *partway[:2], *finished[:2])
            for i in picked:
                t = simulate("rosenbrock", opt, starts[i], 200, lr=lr, tol=0.1)
                np.testing.assert_array_equal(res.final_w[i], t.w[-1], err_msg=f"{opt} run {i}")
                assert res.final_loss[i] == t.loss[-1]
                assert res.steps[i] == t.steps, (opt, i)
                assert res.diverged[i] == (t.status == "diverged")
                assert res.converged[i] == (t.status == "converged")


def test_batch_over_a_hyperparameter_grid_and_schedule() -> None:
    lrs = np.array([1e-4, 1e-3, 1e-2, 1.0])
    res = batch(
        "rosenbrock",
        "sgd",
        np.tile([-1.2, 1.0], (4, 1)),
        100,
        hyper_grid={"lr": lrs},
        schedule="inverse:decay=0.1",
    )
    for i, lr in enumerate(lrs):
        t = simulate("rosenbrock", "sgd", (-1.2, 1.0), 100, lr=lr, schedule="inverse:decay=0.1")
        np.testing.assert_array_equal(res.final_w[i], t.w[-1])
    assert res.diverged.tolist() == [False, False, True, True]
    with pytest.raises(ValueError, match=r"lr = 0\.0 is out of range"):
        batch("rosenbrock", "sgd", np.zeros((2, 2)), 10, hyper_grid={"lr": np.array([0.0, 1.0])})


def test_first_call_in_a_new_process_loads_kernels_from_cache() -> None:
    """A second process finds every kernel it calls in numba's on-disk cache: no recompilation."""
    code = (
        "import json, numpy as np\n"
        "from engine import simulate, batch\n"
        "from engine import _kernels as K\n"
        "simulate('rosenbrock', 'adam', steps=3)\n"
        "batch('rosenbrock', 'adam', np.zeros((3, 2)), 3)\n"
        "def count(d): return sum(d.values())\n"
        "print(json.dumps({f.__name__: [count(f.stats.cache_hits), count(f.stats.cache_misses)]\n"
        "                  for f in (K.run_chunk, K.init_state, K.run_batch)}))\n"
    )
    runs = []
    for _ in range(2):  # the first may compile (a fresh cache); the second must not
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert all(hits == 1 and misses == 0 for hits, misses in runs[1].values()), runs[1]


def test_a_session_config_starts_the_same_runs_as_simulate() -> None:
    from engine.config import RacerConfig, SessionConfig
    from engine.simulate import run_for, surface_for

    config = SessionConfig(
        loss="quadratic",
        loss_params={"condition": 25.0, "ignored": 3.0},
        start=(1.0, -1.0),
        steps=40,
        racers=(RacerConfig("rmsprop", {"lr": 0.03}, "step:size=10,gamma=0.5"),),
    )
    surface = surface_for(config)
    assert surface.params == {"condition": 25.0}  # parameters the surface does not take are dropped
    run = run_for(config, config.racers[0], surface)
    run.advance(40)
    ref = simulate(surface, "rmsprop", (1.0, -1.0), 40, lr=0.03, schedule="step:size=10,gamma=0.5")
    np.testing.assert_array_equal(run.trajectory().w, ref.w)


@pytest.mark.parametrize("kind", ["built-in", "data"])
def test_a_skip_runs_the_kernel_the_run_steps_with_and_needs_none_of_its_own(kind) -> None:
    """The window's Pause recomputes the rows around the newest step from a checkpoint on the GUI
    thread (``Run.skip``). Skipping had a kernel of its own for each kind of loss, compiled on
    a fresh cache at the first race's start (6 s for the bowl, 8 s for the penguins) or, before,
    at the first Pause with the window frozen. A run that has stepped has every kernel its skip
    needs: no signature is added to any of the engine's kernels."""
    import numba

    from engine import _fn_kernels, _kernels, _stochastic
    from engine.data import DataSpec, data_surface

    def compiled() -> dict[str, int]:
        return {
            f"{module.__name__}.{name}": len(kernel.signatures)
            for module in (_kernels, _stochastic, _fn_kernels)
            for name, kernel in vars(module).items()
            if isinstance(kernel, numba.core.registry.CPUDispatcher)
        }

    spec = DataSpec("penguins", "logistic", "bill_length_mm", "species", standardize=True, positive="Gentoo")
    run = Run("quadratic" if kind == "built-in" else data_surface(spec), "adam", tol=0.0)
    run.advance(5)
    before = compiled()
    run.skip(50)
    assert run.t == 55
    assert compiled() == before


@pytest.mark.parametrize("batch_size", [8, 0])
def test_a_skip_on_data_keeps_no_rows_fills_no_loss_and_goes_on_bit_for_bit(monkeypatch, batch_size) -> None:
    """``Run.skip`` fast-forwards to where rows are wanted (the window's Pause recomputes the rows
    around the newest step from a checkpoint). On a data loss it went through ``advance``: the run's
    own record kept rows and filled their full-data L, ≈ 50 ms of the GUI thread with twelve racers
    on the penguins. It keeps none and fills none now; the state it reaches is the one stepping to it
    reaches, and the rows after are the same bit for bit."""
    from engine import _stochastic
    from engine.config import RacerConfig, SessionConfig
    from engine.data import DataSpec
    from engine.simulate import run_for, surface_for

    spec = DataSpec("penguins", "logistic", "bill_length_mm", "species", standardize=True, positive="Gentoo")
    config = SessionConfig(data=spec, racers=(RacerConfig("adam"),), batch_size=batch_size, tol=0.0)
    surface = surface_for(config)
    skipped, stepped = (run_for(config, config.racers[0], surface, max_rows=130) for _ in range(2))
    stepped.advance(5_000)
    filled: list[int] = []
    original = _stochastic.deferred_losses
    monkeypatch.setattr(
        _stochastic,
        "deferred_losses",
        lambda model, p, w, f: filled.append(int(np.isnan(f).sum())) or original(model, p, w, f),
    )
    skipped.skip(5_000)
    assert sum(filled) == 0
    assert skipped.trajectory().step.tolist() == [5_000]  # no rows kept: the step reached alone
    assert skipped.t == stepped.t == 5_000
    np.testing.assert_array_equal(skipped.checkpoint().state, stepped.checkpoint().state)
    after, want = skipped.advance(300), stepped.advance(300)
    for name in ("step", *ARRAYS):
        np.testing.assert_array_equal(getattr(after, name), getattr(want, name), err_msg=name)
