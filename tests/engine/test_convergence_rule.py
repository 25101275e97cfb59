"""One convergence/divergence rule for ``simulate`` and ``batch``; ε = 0 is refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import batch, get_loss, simulate
from engine._kernels import grad_norm, grad_norm_below
from engine.optimizers import OPTIMIZERS
from engine.simulate import Run


def outcome_of_simulate(loss, opt: str, start, steps: int, tol: float, **hyper) -> tuple[str, int, tuple]:
    traj = simulate(loss, opt, start=start, steps=steps, tol=tol, **hyper)
    return traj.status, len(traj.loss) - 1, tuple(traj.w[-1])


def outcome_of_batch(loss, opt: str, start, steps: int, tol: float, **hyper) -> tuple[str, int, tuple]:
    result = batch(loss, opt, starts=[start], steps=steps, tol=tol, **hyper)
    status = "diverged" if result.diverged[0] else "converged" if result.converged[0] else "finished"
    return status, int(result.steps[0]), tuple(result.final_w[0])


@pytest.mark.parametrize("tol", [1e-8, 1e-300, 0.0])
def test_a_finite_loss_with_a_nan_gradient_is_diverged_in_both(tol: float) -> None:
    """SGD from (1, 0) with η = 0.5 lands on (0, 0): L = 0, but ∂atan2/∂y there is 0/0 = NaN."""
    loss = get_loss("x^2 + y^2 + atan2(y, x)^2")
    one = outcome_of_simulate(loss, "sgd", (1.0, 0.0), 10, tol, lr=0.5)
    many = outcome_of_batch(loss, "sgd", (1.0, 0.0), 10, tol, lr=0.5)
    assert one == many == ("diverged", 1, (0.0, 0.0))  # the step that needs the NaN gradient fails
    assert simulate(loss, "sgd", start=(1.0, 0.0), steps=10, tol=tol, lr=0.5).diverged_at == 2


@pytest.mark.parametrize("opt", ["sgd", "adam", "rmsprop"])
@pytest.mark.parametrize("tol", [1e-170, 1e-162, 1e-150, 1e-8])
def test_tiny_gradients_are_judged_alike_at_the_start_and_on_the_way(opt: str, tol: float) -> None:
    """‖g‖ = 1e-163: its square underflows, so √(gx² + gy²) said 0 while hypot says 1e-163."""
    loss = get_loss("1e-163*x + y^2")
    one = outcome_of_simulate(loss, opt, (1.0, 0.0), 5, tol, lr=0.1)
    many = outcome_of_batch(loss, opt, (1.0, 0.0), 5, tol, lr=0.1)
    assert one == many
    expected_status = "converged" if tol > 1e-163 else "finished"
    assert one[0] == expected_status
    assert Run(loss, opt, (1.0, 0.0), tol=tol, lr=0.1).done == (tol > 1e-163)


@pytest.mark.parametrize(
    ("gx", "gy"),
    [
        (3.0, 4.0),
        (1e-163, 0.0),
        (3e-170, 4e-170),
        (5e-324, 5e-324),
        (1e200, 1e200),
        (1e308, 1e308),
        (-2.5, 0.0),
    ],
)
def test_grad_norm_is_hypot_to_an_ulp(gx: float, gy: float) -> None:
    assert grad_norm(gx, gy) == pytest.approx(math.hypot(gx, gy), rel=2.3e-16)


def test_grad_norm_edges() -> None:
    assert grad_norm(0.0, 0.0) == 0.0
    assert math.isnan(grad_norm(math.nan, 1.0)) and math.isnan(grad_norm(1.0, math.nan))
    assert grad_norm(math.inf, 1.0) == math.inf
    assert not grad_norm_below(math.nan, 0.0, 1.0)  # NaN is never converged
    assert grad_norm_below(1e-163, 0.0, 1e-162) and not grad_norm_below(1e-163, 0.0, 1e-164)


EPS_OPTIMIZERS = [name for name, opt in OPTIMIZERS.items() if "eps" in opt.defaults]


def test_the_nine_optimizers_with_eps_are_all_checked() -> None:
    assert len(EPS_OPTIMIZERS) >= 9  # AdaGrad, RMSprop, the Adams, AdaDelta, QHAdam (and newer ones)


@pytest.mark.parametrize("opt", EPS_OPTIMIZERS)
def test_eps_zero_is_refused_and_the_smallest_allowed_eps_runs_fine(opt: str) -> None:
    """ε = 0 made 0/0 = NaN for a weight whose G and g are 0, and a fine run 'diverged at step 1'."""
    for eps in (0.0, 5e-324, 1e-301):
        with pytest.raises(ValueError, match=r"^eps = .* is out of range: ε must be in \[1e-300, 1\)$"):
            simulate("quadratic", opt, start=(1.0, 0.0), steps=5, eps=eps)
    traj = simulate("quadratic", opt, start=(1.0, 0.0), steps=50, tol=0.0, eps=1e-300)
    assert traj.status == "finished" and traj.diverged_at is None
    assert np.all(traj.w[:, 1] == 0.0)  # the weight with zero gradient does not move
