"""The compiled core: one optimizer step, a recorded chunk of steps, many runs at once.

All kernels are ``@njit(cache=True, nogil=True, error_model="numpy")``: ``nogil`` lets
the GUI thread run while a worker computes, and the numpy error model lets LLVM
vectorise divisions. The loss is reached through ``loss_value_grad(loss_id, ...)``;
for a typed expression, ``engine.expressions`` compiles a copy of this file in which
the import line marked ``<LOSS>`` is replaced by the generated function, so each
expression gets its own runner that numba can cache on disk.

State vector ``S`` of one run (float64, length ``NSTATE``):
0–1 G (second moment / squared-gradient accumulator), 2–3 M (velocity / first moment),
4–5 aux (previous gradient, AMSGrad's max v, Adadelta's accumulated Δ²),
6 α^t, 7 β^t, 8 NAdam's ∏μ, 9 t, 10–11 w, 12 L(w), 13–14 g at w.

Hyperparameter vector ``H`` (float64, length ``NHYPER``):
0 η, 1 α, 2 β, 3 ε, 4 weight decay λ, 5 ρ, 6 ν (ν₁), 7 ν₂, 8 NAdam's momentum decay ψ.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from engine._surfaces import loss_value_grad  # <LOSS>

_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}

NSTATE = 15
NHYPER = 9

# Optimizer ids (positions in engine.optimizers.OPTIMIZERS).
SGD, MOMENTUM_LECTURE, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP = 0, 1, 2, 3, 4, 5
ADAM_LECTURE, ADAM, AMSGRAD, ADAMW, NADAM, ADADELTA, QHM, QHADAM = 6, 7, 8, 9, 10, 11, 12, 13

# Schedule ids (engine.schedules).
CONSTANT, STEP, EXPONENTIAL, INVERSE, COSINE, WARMUP = 0, 1, 2, 3, 4, 5

# Run status codes.
RUNNING, CONVERGED, DIVERGED = 0, 1, 2


@njit(**_JIT)
def scheduled_lr(kind: int, sp, eta: float, t: int) -> float:
    """η_t for step t (t counts from 1), as torch's schedulers stepped once per step."""
    if kind == CONSTANT:
        return eta
    if kind == STEP:
        return eta * sp[1] ** ((t - 1) // int(sp[0]))
    if kind == EXPONENTIAL:
        return eta * sp[0] ** (t - 1)
    if kind == INVERSE:
        return eta / (1.0 + sp[0] * (t - 1))
    if kind == COSINE:
        big_t = sp[0]
        eta_min = sp[1]
        tt = min(float(t - 1), big_t)
        return eta_min + (eta - eta_min) * (1.0 + math.cos(math.pi * tt / big_t)) / 2.0
    if kind == WARMUP:
        w = sp[0]
        return eta * min(float(t), w) / w
    return eta


@njit(**_JIT)
def _coord(opt, lr, H, g, w, S, i, bc1, bc2, mu_t, mu_next, prod_t, prod_next):
    """Update one weight's state in place; return (Δw_i, effective learning rate of w_i)."""
    alpha = H[1]
    beta = H[2]
    eps = H[3]
    G = S[i]
    M = S[2 + i]
    A = S[4 + i]
    if opt == SGD:
        return -lr * g, lr
    if opt == MOMENTUM_LECTURE:
        v = g + alpha * A  # A holds g(t−1), g(0) = 0
        S[2 + i] = v
        S[4 + i] = g
        return -lr * v, lr
    if opt in (MOMENTUM, NESTEROV):
        v = alpha * M + g
        S[2 + i] = v
        if opt == NESTEROV:
            return -lr * (g + alpha * v), lr
        return -lr * v, lr
    if opt == ADAGRAD:
        G = G + g * g
        S[i] = G
        le = lr / (math.sqrt(G) + eps)
        return -le * g, le
    if opt == RMSPROP:
        G = beta * G + (1.0 - beta) * g * g
        S[i] = G
        le = lr / (math.sqrt(G) + eps)
        return -le * g, le
    if opt == ADAM_LECTURE:
        M = alpha * M + (1.0 - alpha) * g
        G = beta * G + (1.0 - beta) * g * g
        S[i] = G
        S[2 + i] = M
        le = lr / (math.sqrt(G) + eps)
        return -le * M, le
    if opt in (ADAM, AMSGRAD, ADAMW, NADAM, QHADAM):
        M = alpha * M + (1.0 - alpha) * g
        G = beta * G + (1.0 - beta) * g * g
        S[i] = G
        S[2 + i] = M
        if opt == AMSGRAD:
            A = max(A, G)
            S[4 + i] = A
            v_hat = A / bc2
        else:
            v_hat = G / bc2
        if opt == NADAM:
            m_hat = mu_next * M / (1.0 - prod_next) + (1.0 - mu_t) * g / (1.0 - prod_t)
        else:
            m_hat = M / bc1
        if opt == QHADAM:
            nu1 = H[6]
            nu2 = H[7]
            le = lr / (math.sqrt((1.0 - nu2) * g * g + nu2 * v_hat) + eps)
            return -le * ((1.0 - nu1) * g + nu1 * m_hat), le
        le = lr / (math.sqrt(v_hat) + eps)
        dw = -le * m_hat
        if opt == ADAMW:
            dw -= lr * H[4] * w
        return dw, le
    if opt == ADADELTA:
        rho = H[5]
        G = rho * G + (1.0 - rho) * g * g
        S[i] = G
        le = lr * math.sqrt(A + eps) / math.sqrt(G + eps)
        delta = math.sqrt(A + eps) / math.sqrt(G + eps) * g
        S[4 + i] = rho * A + (1.0 - rho) * delta * delta
        return -lr * delta, le
    if opt == QHM:
        nu = H[6]
        M = alpha * M + (1.0 - alpha) * g
        S[2 + i] = M
        return -lr * ((1.0 - nu) * g + nu * M), lr
    return math.nan, math.nan


@njit(**_JIT)
def _step(opt, H, kind, sp, S):
    """Advance one run by one step; return (Δw₁, Δw₂, lr₁, lr₂, g₁, g₂) of that step."""
    t = int(S[9]) + 1
    S[9] = t
    lr = scheduled_lr(kind, sp, H[0], t)
    S[6] *= H[1]
    S[7] *= H[2]
    bc1 = 1.0 - S[6]
    bc2 = 1.0 - S[7]
    mu_t = 0.0
    mu_next = 0.0
    prod_t = 1.0
    prod_next = 1.0
    if opt == NADAM:
        mu_t = H[1] * (1.0 - 0.5 * 0.96 ** (t * H[8]))
        mu_next = H[1] * (1.0 - 0.5 * 0.96 ** ((t + 1) * H[8]))
        prod_t = S[8] * mu_t
        prod_next = prod_t * mu_next
        S[8] = prod_t
    g1 = S[13]
    g2 = S[14]
    w1 = S[10]
    w2 = S[11]
    d1, l1 = _coord(opt, lr, H, g1, w1, S, 0, bc1, bc2, mu_t, mu_next, prod_t, prod_next)
    d2, l2 = _coord(opt, lr, H, g2, w2, S, 1, bc1, bc2, mu_t, mu_next, prod_t, prod_next)
    return d1, d2, l1, l2, g1, g2


@njit(**_JIT)
def init_state(loss_id, P, H, x0, y0, S):
    """Reset S to t = 0 at (x0, y0): zero moments, the loss and gradient at the start."""
    S[:] = 0.0
    S[8] = 1.0
    S[6] = 1.0
    S[7] = 1.0
    f, gx, gy = loss_value_grad(loss_id, x0, y0, P)
    S[10] = x0
    S[11] = y0
    S[12] = f
    S[13] = gx
    S[14] = gy


@njit(**_JIT)
def run_chunk(loss_id, P, opt, H, kind, sp, S, n, tol, row0, w, f, g, G, M, lr, dw):
    """Take up to n steps from state S, writing rows row0+1 … of the record arrays.

    Returns (steps taken, status). A step whose new point, loss or accumulator is not
    finite is not recorded: the run stops there as diverged, keeping every finite step.
    A run stops as converged once ‖g‖ at the new point falls below tol.
    """
    for k in range(n):
        if not (math.isfinite(S[13]) and math.isfinite(S[14])):
            S[9] += 1.0
            return k, DIVERGED
        d1, d2, l1, l2, g1, g2 = _step(opt, H, kind, sp, S)
        x = S[10] + d1
        y = S[11] + d2
        val, gx, gy = loss_value_grad(loss_id, x, y, P)
        if not (
            math.isfinite(x)
            and math.isfinite(y)
            and math.isfinite(val)
            and math.isfinite(S[0])
            and math.isfinite(S[1])
            and math.isfinite(S[2])
            and math.isfinite(S[3])
        ):
            return k, DIVERGED
        S[10] = x
        S[11] = y
        S[12] = val
        S[13] = gx
        S[14] = gy
        r = row0 + 1 + k
        w[r, 0] = x
        w[r, 1] = y
        f[r] = val
        g[r, 0] = g1
        g[r, 1] = g2
        G[r, 0] = S[0]
        G[r, 1] = S[1]
        M[r, 0] = S[2]
        M[r, 1] = S[3]
        lr[r, 0] = l1
        lr[r, 1] = l2
        dw[r, 0] = d1
        dw[r, 1] = d2
        if math.sqrt(gx * gx + gy * gy) < tol:
            return k + 1, CONVERGED
    return n, RUNNING


@njit(**_JIT, parallel=True)
def run_batch(loss_id, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    """Many independent runs (one row of Hs and starts each), in parallel over cores.

    Records only the outcome per run: final point and loss, steps taken, status.
    """
    n = starts.shape[0]
    for r in prange(n):
        S = np.empty(NSTATE)
        H = Hs[r]
        init_state(loss_id, P, H, starts[r, 0], starts[r, 1], S)
        st = RUNNING
        taken = 0
        if math.sqrt(S[13] * S[13] + S[14] * S[14]) < tol:
            st = CONVERGED
        else:
            for _k in range(steps):
                if not (math.isfinite(S[13]) and math.isfinite(S[14])):
                    st = DIVERGED
                    break
                d1, d2, _l1, _l2, _g1, _g2 = _step(opt, H, kind, sp, S)
                x = S[10] + d1
                y = S[11] + d2
                val, gx, gy = loss_value_grad(loss_id, x, y, P)
                if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(val)):
                    st = DIVERGED
                    break
                S[10] = x
                S[11] = y
                S[12] = val
                S[13] = gx
                S[14] = gy
                taken += 1
                if math.sqrt(gx * gx + gy * gy) < tol:
                    st = CONVERGED
                    break
        final_w[r, 0] = S[10]
        final_w[r, 1] = S[11]
        final_loss[r] = S[12]
        n_steps[r] = taken
        status[r] = st


@njit(**_JIT, parallel=True)
def loss_grid(loss_id, P, xs, ys, out):
    """L on the grid out[j, i] = L(xs[i], ys[j]); NaN where L is undefined (shown as a gap)."""
    for j in prange(ys.shape[0]):
        for i in range(xs.shape[0]):
            val, _gx, _gy = loss_value_grad(loss_id, xs[i], ys[j], P)
            out[j, i] = val
