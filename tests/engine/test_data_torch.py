"""Minibatch runs on data losses against torch.optim on the same rows (skipped without torch).

A torch model with the same two parameters (float64) sees, at step t, exactly the rows
``engine.data.batch_indices`` says the engine used; every torch-backed optimizer's weights must
then agree with the engine's to 1e-9 relative at every step.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.data import DataSpec, batch_indices, data_surface
from engine.optimizers import OPTIMIZERS
from engine.simulate import simulate
from tests.engine.test_optimizers import TORCH_RULES

STEPS = 150
CASES = {
    "linear": (DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True), 16),
    "logistic": (DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo"), 8),
}


def _torch_weights(torch, opt: str, spec: DataSpec, size: int, seed: int, h: dict) -> np.ndarray:
    surface = data_surface(spec)
    X = torch.tensor(surface.data.X, dtype=torch.float64)
    Y = torch.tensor(surface.data.Y, dtype=torch.float64)
    p = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optim = TORCH_RULES[opt](torch, p, h)
    out = []
    for t in range(1, STEPS + 1):
        rows = torch.as_tensor(batch_indices(X.shape[0], size, seed, t))
        z = p[0] * X[rows] + p[1]
        if spec.model == "linear":
            loss = torch.nn.functional.mse_loss(z, Y[rows])
        else:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, Y[rows])
        optim.zero_grad()
        loss.backward()
        optim.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("opt", list(TORCH_RULES))
def test_minibatch_steps_match_torch_optim(opt: str, case: str) -> None:
    torch = pytest.importorskip("torch")
    spec, size = CASES[case]
    h = dict(OPTIMIZERS[opt].defaults)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # torch keeps scalar state in the default dtype
    try:
        ws = _torch_weights(torch, opt, spec, size, 21, h)
    finally:
        torch.set_default_dtype(previous)
    t = simulate(data_surface(spec), opt, (0.0, 0.0), STEPS, batch_size=size, seed=21, **h)
    assert t.steps == STEPS
    np.testing.assert_allclose(t.w[1:], ws, rtol=1e-9, atol=1e-12)
    assert np.ptp(ws[:, 0]) > 1e-3  # the weights really moved
