"""First steps of the lecture's rules, computed by hand on the bowl L = (x² + κy²)/2."""

import math

import numpy as np
import pytest

from engine import simulate

KAPPA = 10.0  # the default condition number: ∂L/∂x = x, ∂L/∂y = κ·y


def test_sgd_first_two_steps_by_hand() -> None:
    t = simulate("quadratic", "sgd", start=(2.0, 1.0), steps=2, lr=0.05)
    # step 1: g = (2, 10); w = (2 − 0.1, 1 − 0.5) = (1.9, 0.5)
    # step 2: g = (1.9, 5); w = (1.9 − 0.095, 0.5 − 0.25) = (1.805, 0.25)
    np.testing.assert_allclose(t.w, [[2.0, 1.0], [1.9, 0.5], [1.805, 0.25]], rtol=1e-15)
    np.testing.assert_allclose(t.grad[1:], [[2.0, 10.0], [1.9, 5.0]], rtol=1e-15)
    np.testing.assert_allclose(t.lr[1:], 0.05)
    assert t.loss[2] == pytest.approx((1.805**2 + KAPPA * 0.25**2) / 2, rel=1e-15)


def test_adagrad_first_step_gives_each_weight_its_own_rate() -> None:
    eta, eps = 0.5, 1e-8
    t = simulate("quadratic", "adagrad", start=(2.0, 1.0), steps=2, lr=eta, eps=eps)
    g1 = np.array([2.0, 10.0])
    G1 = g1**2
    lr1 = eta / (np.sqrt(G1) + eps)
    np.testing.assert_allclose(t.G[1], G1, rtol=1e-15)
    np.testing.assert_allclose(t.lr[1], lr1, rtol=1e-15)
    np.testing.assert_allclose(t.w[1], [2.0, 1.0] - lr1 * g1, rtol=1e-15)
    g2 = np.array([t.w[1, 0], KAPPA * t.w[1, 1]])
    np.testing.assert_allclose(t.G[2], G1 + g2**2, rtol=1e-15)
    assert t.lr[1, 0] != t.lr[1, 1]


def test_adagrad_G_never_falls_and_rate_never_rises() -> None:
    t = simulate("rosenbrock", "adagrad", start=(-1.2, 1.0), steps=400)
    assert np.all(np.diff(t.G[1:], axis=0) >= 0)
    assert np.all(np.diff(t.lr[1:], axis=0) <= 0)


def test_rmsprop_G_can_fall_again() -> None:
    t = simulate("quadratic", "rmsprop", start=(-3.5, 1.5), steps=200, beta=0.9)
    assert np.any(np.diff(t.G[1:], axis=0) < 0)
    # and it is the lecture's recurrence exactly
    g, G = t.grad[1:], t.G[1:]
    np.testing.assert_allclose(G[1:], 0.9 * G[:-1] + 0.1 * g[1:] ** 2, rtol=1e-14)
    assert math.isclose(G[0, 0], 0.1 * g[0, 0] ** 2, rel_tol=1e-15)
