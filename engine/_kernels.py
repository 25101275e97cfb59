"""The compiled core: one optimizer step, a recorded chunk of steps, many runs at once.

All kernels are ``@njit(cache=True, nogil=True, error_model="numpy")``: ``nogil`` lets
the GUI thread run while a worker computes, and the numpy error model lets LLVM
vectorise divisions. The loss is reached through ``loss_value_grad(loss_id, ...)``;
for a typed expression, ``engine.expressions`` compiles a copy of this file in which
the import line marked ``<LOSS>`` is replaced by the generated function, so each
expression gets its own runner that numba can cache on disk.

The state vector ``S`` of one run, the hyperparameter vector ``H`` and a batch block's
quantities are addressed by the named slots of ``engine.state`` (``S[S_W1]``, ``H[H_LR]``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange, types
from numba.extending import intrinsic, overload

from engine._surfaces import loss_value_grad  # <LOSS>

_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}
#: Helpers that take arrays are inlined into their callers at numba-IR level: an out-of-line call
#: passes each array with an atomic reference-count increment and decrement, which cost ~80 ns a step.
_INLINE = {**_JIT, "inline": "always"}

from engine._ids import (  # noqa: E402  (numba reads them as compile-time constants)
    ADADELTA,
    ADAGRAD,
    ADAM,
    ADAM_LECTURE,
    ADAMAX,
    ADAMW,
    AMSGRAD,
    CONSTANT,
    CONVERGED,
    COSINE,
    COSINE_ANNEALING,
    DIVERGED,
    EXPONENTIAL,
    INVERSE,
    LION,
    MOMENTUM,
    MOMENTUM_LECTURE,
    NADAM,
    NESTEROV,
    QHADAM,
    QHM,
    RADAM,
    RMSPROP,
    RUNNING,
    SGD,
    STEP,
    WARMUP,
)
from engine.state import (  # noqa: E402  (generated names: numba reads them as constants)
    B_A1,
    B_A2,
    B_ALPHA,
    B_ALPHA_T,
    B_BETA,
    B_BETA_T,
    B_EPS,
    B_F,
    B_FN,
    B_G1,
    B_G2,
    B_GX,
    B_GXN,
    B_GY,
    B_GYN,
    B_L1,
    B_L2,
    B_LANE,
    B_LR,
    B_LR_T,
    B_M1,
    B_M2,
    B_MIX,
    B_MOMENTUM_DECAY,
    B_MU_PROD,
    B_NU,
    B_NU2,
    B_RHO,
    B_TAKEN,
    B_WEIGHT_DECAY,
    B_X,
    B_XN,
    B_Y,
    B_YN,
    BLOCK,
    H_ALPHA,
    H_BETA,
    H_EPS,
    H_LR,
    H_MIX,
    H_MOMENTUM_DECAY,
    H_NU,
    H_NU2,
    H_RHO,
    H_WEIGHT_DECAY,
    NBLOCK_QUANTITIES,
    NHYPER,
    S_A1,
    S_A2,
    S_ALPHA_T,
    S_BETA_T,
    S_G1,
    S_G2,
    S_GRAD1,
    S_GRAD2,
    S_LOSS,
    S_M1,
    S_M2,
    S_MU_PROD,
    S_T,
    S_W1,
    S_W2,
)


@njit(**_INLINE)
def _lr_at(kind: int, s0: float, s1: float, eta: float, t: int) -> float:
    """η_t for step t (t counts from 1), as torch's schedulers stepped once per step."""
    if kind == STEP:
        return eta * s1 ** ((t - 1) // int(s0))
    if kind == EXPONENTIAL:
        return eta * s0 ** (t - 1)
    if kind == INVERSE:
        return eta / (1.0 + s0 * (t - 1))
    if kind == COSINE:
        tt = min(float(t - 1), s0)
        return s1 + (eta - s1) * (1.0 + math.cos(math.pi * tt / s0)) / 2.0
    if kind == WARMUP:
        return eta * min(float(t), s0) / s0
    if kind == COSINE_ANNEALING:  # torch's CosineAnnealingLR: past T the cosine rises again
        return s1 + (eta - s1) * (1.0 + math.cos(math.pi * (t - 1) / s0)) / 2.0
    return eta


#: For tol in [FAST_TOL_LOW, FAST_TOL_HIGH], ``√(gx² + gy²) < tol`` decides exactly as ``grad_norm``:
#: where the squares under- or overflow the norm is far below or above tol anyway.
FAST_TOL_LOW = 1e-140
FAST_TOL_HIGH = 1e140


@njit(**_INLINE)
def grad_norm(gx: float, gy: float) -> float:
    """‖g‖ = √(gx² + gy²), scaled by 2^±600 where the squares would underflow or overflow.

    The one norm of every convergence test (``simulate``, ``batch``, the start): the plain formula
    called a gradient of 1e-160 zero (its square underflows), so a tol below ~1e-154 decided
    differently from ``math.hypot``. NaN stays NaN, and NaN is never below tol.
    """
    s = gx * gx + gy * gy
    if s > 1e-300 and s < 1e300:
        return math.sqrt(s)
    ax = abs(gx)
    ay = abs(gy)
    a = ax if ax > ay else ay
    if s != s or a == 0.0 or a == math.inf:
        return s if s != s else a
    k = 2.0**600 if a < 1.0 else 2.0**-600
    x = gx * k
    y = gy * k
    return math.sqrt(x * x + y * y) / k


@njit(**_INLINE)
def _below_tol(gx: float, gy: float, tol: float) -> bool:
    """``grad_norm(gx, gy) < tol``, as one compare and one square root for the usual tol."""
    if tol >= FAST_TOL_LOW and tol <= FAST_TOL_HIGH:
        return math.sqrt(gx * gx + gy * gy) < tol
    return grad_norm(gx, gy) < tol


@njit(**_JIT)
def grad_norm_below(gx: float, gy: float, tol: float) -> bool:
    """The convergence test of the kernels, for the start check in Python (engine.simulate)."""
    return _below_tol(gx, gy, tol)


@njit(**_JIT)
def scheduled_lr(kind: int, sp, eta: float, t: int) -> float:
    """η_t for step t, read from the schedule's parameter vector ``sp``."""
    return _lr_at(kind, sp[0], sp[1], eta, t)


@njit(**_INLINE)
def _power_step(power: float, base: float) -> float:
    """base^t from base^(t−1), flushed to 0 once it no longer changes 1 − base^t (below 2⁻⁵⁴).

    Repeated multiplication would otherwise stick at the smallest subnormal (5e-324·0.9 rounds
    back up), and subnormal arithmetic costs ~100 cycles a step; 1 − α^t is bit-identical either way.
    """
    p = power * base
    return p if p > 1e-30 else 0.0


@njit(**_INLINE)
def _nadam_mu(alpha: float, psi: float, t: int) -> float:
    """NAdam's momentum schedule μ_t = α·(1 − ½·0.96^(tψ))."""
    return alpha * (1.0 - 0.5 * 0.96 ** (t * psi))


@njit(**_INLINE)
def _sign(x: float) -> float:
    """sign(x) with sign(0) = 0 (and NaN for NaN), as torch.sign."""
    return 1.0 if x > 0.0 else -1.0 if x < 0.0 else x


@njit(**_INLINE)
def _update(
    opt, lr, alpha, beta, eps, wd, rho, nu1, nu2, mix, g, w, G, M, A, bc1, bc2, mu_t, mu_next, pt, pn, t
):
    """One weight's update, on scalars only: returns (Δw, effective rate, G, M, aux).

    Scalars only, so the compiled loops keep the state in registers and, in a batch,
    LLVM can vectorise over runs. ``A`` is the rule's auxiliary state (g(t−1) for the
    lecture's momentum, AMSGrad's max v, Adadelta's U); bc1 = 1 − αᵗ, bc2 = 1 − βᵗ;
    mu_t, mu_next, pt = ∏μ up to t, pn = ∏μ up to t+1 are NAdam's; t is the step (from 1).
    Every rule has its own branch: an id with none returns NaN, so its run stops as diverged
    at step 1 instead of silently running another rule.
    """
    if opt == SGD:
        return -lr * g, lr, G, M, A
    if opt == MOMENTUM_LECTURE:
        v = g + alpha * A  # A holds g(t−1), g(0) = 0: Δw = −η·g(t) − α·η·g(t−1)
        return -lr * v, lr, G, v, g
    if opt == MOMENTUM:
        v = alpha * M + g  # torch: b₁ = g₁ (dampening 0), then b ← α·b + g
        return -lr * v, lr, G, v, A
    if opt == NESTEROV:
        v = alpha * M + g
        return -lr * (g + alpha * v), lr, G, v, A
    if opt == ADAGRAD:
        G = G + g * g
        le = lr / (math.sqrt(G) + eps)
        return -le * g, le, G, M, A
    if opt == RMSPROP:
        G = beta * G + (1.0 - beta) * g * g
        le = lr / (math.sqrt(G) + eps)
        return -le * g, le, G, M, A
    if opt == ADAM_LECTURE:
        M = alpha * M + (1.0 - alpha) * g
        G = beta * G + (1.0 - beta) * g * g
        le = lr / (math.sqrt(G) + eps)
        return -le * M, le, G, M, A
    if opt == ADADELTA:
        G = rho * G + (1.0 - rho) * g * g
        ratio = math.sqrt(A + eps) / math.sqrt(G + eps)
        delta = ratio * g
        return -lr * delta, lr * ratio, G, M, rho * A + (1.0 - rho) * delta * delta
    if opt == QHM:
        M = alpha * M + (1.0 - alpha) * g
        return -lr * ((1.0 - nu1) * g + nu1 * M), lr, G, M, A
    if opt == ADAM or opt == AMSGRAD or opt == ADAMW or opt == NADAM or opt == QHADAM:  # noqa: SIM109 (folds)
        M = alpha * M + (1.0 - alpha) * g
        G = beta * G + (1.0 - beta) * g * g
        if opt == AMSGRAD:
            A = max(A, G)  # torch keeps the max of the raw v_t, then bias-corrects it
            v_hat = A / bc2
        else:
            v_hat = G / bc2
        m_hat = mu_next * M / (1.0 - pn) + (1.0 - mu_t) * g / (1.0 - pt) if opt == NADAM else M / bc1
        if opt == QHADAM:
            le = lr / (math.sqrt((1.0 - nu2) * g * g + nu2 * v_hat) + eps)
            return -le * ((1.0 - nu1) * g + nu1 * m_hat), le, G, M, A
        le = lr / (math.sqrt(v_hat) + eps)
        dw = -le * m_hat
        if opt == ADAMW:
            dw -= lr * wd * w  # decoupled weight decay: θ ← θ − η·λ·θ, then the Adam step
        return dw, le, G, M, A
    if opt == LION:
        # Chen et al. 2023, Algorithm 2: c = β₁·m + (1−β₁)·g; θ ← θ − η·(sign(c) + λ·θ); m ← β₂·m + (1−β₂)·g
        c = mix * M + (1.0 - mix) * g
        return -lr * (_sign(c) + wd * w), lr, G, alpha * M + (1.0 - alpha) * g, A
    if opt == RADAM:
        # torch.optim.RAdam: the variance rectification r(t), or plain momentum while ρ(t) ≤ 5
        M = alpha * M + (1.0 - alpha) * g
        G = beta * G + (1.0 - beta) * g * g
        rho_inf = 2.0 / (1.0 - beta) - 1.0
        rho_t = rho_inf - 2.0 * t * (1.0 - bc2) / bc2
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)
            )
            le = lr * rect * math.sqrt(bc2) / (math.sqrt(G) + eps)
        else:
            le = lr
        return -le * (M / bc1), le, G, M, A
    if opt == ADAMAX:
        # torch.optim.Adamax: G is the decaying infinity norm u ← max(β·u, |g| + ε)
        M = alpha * M + (1.0 - alpha) * g
        G = max(beta * G, abs(g) + eps)
        le = lr / G
        return -le * (M / bc1), le, G, M, A
    return math.nan, math.nan, math.nan, math.nan, math.nan


@njit(**_JIT)
def init_state(loss_id, P, H, x0, y0, S):
    """Reset S to t = 0 at (x0, y0): zero moments, the loss and gradient at the start."""
    _init(loss_value_grad, loss_id, P, x0, y0, S)


@njit(**_INLINE)
def _init(loss, loss_id, P, x0, y0, S):
    """``init_state`` for any loss: the built-in dispatch here, a typed expression in _fn_kernels."""
    S[:] = 0.0
    S[S_MU_PROD] = 1.0
    S[S_ALPHA_T] = 1.0
    S[S_BETA_T] = 1.0
    f, gx, gy = loss(loss_id, x0, y0, P)
    S[S_W1] = x0
    S[S_W2] = y0
    S[S_LOSS] = f
    S[S_GRAD1] = gx
    S[S_GRAD2] = gy


#: The stochastic settings and rows scratch of an exact run (``exact_grad`` reads neither).
_NO_Z = np.zeros(0)
_NO_ROWS = np.zeros(0, dtype=np.int64)


@njit(**_INLINE)
def exact_grad(loss_id, P, Z, rows, t, x, y, gx, gy):
    """The gradient hook of an exact run: g(t) is the gradient at w(t−1) that the last step's loss
    call computed (``engine._stochastic`` draws a minibatch's or a noisy one instead)."""
    return gx, gy


@njit(**_INLINE)
def _advance(
    loss, draw, loss_id, P, Z, rows, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr,
    dw, record, deferred,
):  # fmt: skip
    """The stepping loop of every single run: exact, minibatch and noisy (one loop, two hooks).

    ``loss(loss_id, w1, w2, P)`` → (L, ∂L/∂w1, ∂L/∂w2) at the point a step reached: the built-in
    dispatch here (inlined), a typed expression's compiled loss passed as a function pointer by
    ``engine._fn_kernels``, or a data loss (``engine._stochastic``). ``draw(loss_id, P, Z, rows, t,
    w1, w2, gx, gy)`` → the gradient step t uses, at w(t−1): ``exact_grad`` passes the loss's own
    on; the stochastic hook draws a minibatch's from the rows scratch ``rows`` and adds noise (Z).
    ``record`` and ``deferred`` are compile-time constants. ``deferred``: a NaN loss from ``loss``
    means "not computed here" (a data loss whose full-data value costs a pass over the rows): the
    row's L is left NaN for the caller to fill where it keeps the row, and S's loss for the wrapper.

    Rows go to row0 + 1, row0 + 2, … but only the steps kept by a thinned record move on to the
    next row: every step when ``stride`` is 1, else steps t ≤ ``pin`` and multiples of ``stride`` (a
    power of two; ``engine.record.on_stride``). A step not kept is still written, into the row the
    next step takes, so the last step taken is always in the row after the kept ones: a flat-out
    tick of the live window writes the ≈ 1,000 rows it sends, not 16,384 it would copy them from.
    """
    eta, alpha, beta, eps = H[H_LR], H[H_ALPHA], H[H_BETA], H[H_EPS]
    wd, rho, nu1, nu2, psi = H[H_WEIGHT_DECAY], H[H_RHO], H[H_NU], H[H_NU2], H[H_MOMENTUM_DECAY]
    mix = H[H_MIX]
    s0 = sp[0]
    s1 = sp[1]
    G1, G2, M1, M2, A1, A2 = S[S_G1], S[S_G2], S[S_M1], S[S_M2], S[S_A1], S[S_A2]
    at, bt, prod = S[S_ALPHA_T], S[S_BETA_T], S[S_MU_PROD]
    t = int(S[S_T])
    x, y, val, gx, gy = S[S_W1], S[S_W2], S[S_LOSS], S[S_GRAD1], S[S_GRAD2]
    taken = 0
    status = RUNNING
    mu_carry = 0.0
    r = row0 + 1
    mask = stride - 1
    for k in range(n):
        t += 1
        if not (math.isfinite(gx) and math.isfinite(gy)):
            status = DIVERGED
            break
        bx, by = draw(loss_id, P, Z, rows, t, x, y, gx, gy)
        lr_t = _lr_at(kind, s0, s1, eta, t)
        at = _power_step(at, alpha)
        bt = _power_step(bt, beta)
        bc1 = 1.0 - at
        bc2 = 1.0 - bt
        mu_t = 0.0
        mu_next = 0.0
        pt = 1.0
        pn = 1.0
        if opt == NADAM:
            # μ_t is last step's μ_{t+1}: one power (≈20 ns) a step instead of two
            mu_t = mu_carry if k > 0 else _nadam_mu(alpha, psi, t)
            mu_next = _nadam_mu(alpha, psi, t + 1)
            mu_carry = mu_next
            pt = _power_step(prod, mu_t)
            pn = pt * mu_next
            prod = pt
        d1, l1, G1, M1, A1 = _update(
            opt,
            lr_t,
            alpha,
            beta,
            eps,
            wd,
            rho,
            nu1,
            nu2,
            mix,
            bx,
            x,
            G1,
            M1,
            A1,
            bc1,
            bc2,
            mu_t,
            mu_next,
            pt,
            pn,
            t,
        )
        d2, l2, G2, M2, A2 = _update(
            opt,
            lr_t,
            alpha,
            beta,
            eps,
            wd,
            rho,
            nu1,
            nu2,
            mix,
            by,
            y,
            G2,
            M2,
            A2,
            bc1,
            bc2,
            mu_t,
            mu_next,
            pt,
            pn,
            t,
        )
        xn = x + d1
        yn = y + d2
        vn, gxn, gyn = loss(loss_id, xn, yn, P)
        if not (
            math.isfinite(xn)
            and math.isfinite(yn)
            and (math.isfinite(vn) or (deferred and math.isnan(vn)))
            and math.isfinite(G1)
            and math.isfinite(G2)
            and math.isfinite(M1)
            and math.isfinite(M2)
            and math.isfinite(l1)
            and math.isfinite(l2)
        ):
            status = DIVERGED
            break
        if record:
            w[r, 0] = xn
            w[r, 1] = yn
            f[r] = vn
            g[r, 0] = bx
            g[r, 1] = by
            G[r, 0] = G1
            G[r, 1] = G2
            M[r, 0] = M1
            M[r, 1] = M2
            lr[r, 0] = l1
            lr[r, 1] = l2
            dw[r, 0] = d1
            dw[r, 1] = d2
            if mask == 0 or t <= pin or (t & mask) == 0:
                r += 1
        x, y, val, gx, gy = xn, yn, vn, gxn, gyn
        taken += 1
        if _below_tol(gx, gy, tol):
            status = CONVERGED
            break
    S[S_G1], S[S_G2], S[S_M1], S[S_M2], S[S_A1], S[S_A2] = G1, G2, M1, M2, A1, A2
    S[S_ALPHA_T], S[S_BETA_T], S[S_MU_PROD] = at, bt, prod
    S[S_T] = t
    S[S_W1], S[S_W2], S[S_LOSS], S[S_GRAD1], S[S_GRAD2] = x, y, val, gx, gy
    return taken, status


@njit(**_JIT)
def run_chunk(loss_id, P, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr, dw):
    """Take up to n steps from state S, writing rows row0+1 … of the record arrays: every step's
    (``stride`` 1) or those a thinned record keeps and the last (``_advance``).

    Returns (steps taken, status). A step whose new point, loss, rate or state is not
    finite is not recorded: the run stops there as diverged, keeping every finite step
    (S[S_T] then counts the failed step, so it is the step at which the run diverged).
    A run stops as converged once ‖g‖ at the new point falls below tol.
    """
    return _advance(
        loss_value_grad, exact_grad, loss_id, P, _NO_Z, _NO_ROWS, opt, H, kind, sp, S, n, tol, row0,
        stride, pin, w, f, g, G, M, lr, dw, True, False,
    )  # fmt: skip


@njit(**_JIT)
def run_steps(loss_id, P, opt, H, kind, sp, S, n, tol):
    """``run_chunk`` without the record: only the state S advances. The floor a recorded step is
    measured against (benchmarks/bench_engine.py); ``Run.skip`` fast-forwards with ``run_chunk``
    itself, which every run has loaded already."""
    e1 = np.empty((0, 2))
    e0 = np.empty(0)
    return _advance(
        loss_value_grad, exact_grad, loss_id, P, _NO_Z, _NO_ROWS, opt, H, kind, sp, S, n, tol, -1, 1, 0,
        e1, e0, e1, e1, e1, e1, e1, False, False,
    )  # fmt: skip


#: A block's state lives in ONE flat array, quantity k of run i at [k·BLOCK + i] (the ``B_*`` offsets
#: of ``engine.state``). With one base pointer and constant offsets LLVM proves the loops free of
#: aliasing and vectorises them; with one array per quantity it would need more run-time overlap
#: checks than it allows, and stays scalar.
#: Lane codes of ``_adam_block``, floats so that every lane quantity shares the block's base pointer:
#: running with no step proposed (before step 1), running with a proposed step whose state is
#: finite, or not (refused at its commit), and the two ends.
_LANE_START, _LANE_PROPOSED, _LANE_REFUSED, _LANE_CONVERGED, _LANE_DIVERGED = 0.0, 1.0, 2.0, 3.0, 4.0


@njit(**_INLINE)
def _update_block(opt, t, nb, b):
    """Step t of every run in a block: new state in place, the proposed points at B_XN, B_YN."""
    for i in range(nb):
        alpha = b[B_ALPHA + i]
        beta = b[B_BETA + i]
        at = _power_step(b[B_ALPHA_T + i], alpha)
        bt = _power_step(b[B_BETA_T + i], beta)
        b[B_ALPHA_T + i] = at
        b[B_BETA_T + i] = bt
        mu_t = 0.0
        mu_next = 0.0
        pt = 1.0
        pn = 1.0
        if opt == NADAM:
            mu_t = _nadam_mu(alpha, b[B_MOMENTUM_DECAY + i], t)
            mu_next = _nadam_mu(alpha, b[B_MOMENTUM_DECAY + i], t + 1)
            pt = _power_step(b[B_MU_PROD + i], mu_t)
            pn = pt * mu_next
            b[B_MU_PROD + i] = pt
        lr, eps, wd, rho, nu1, nu2, mix = (
            b[B_LR_T + i],
            b[B_EPS + i],
            b[B_WEIGHT_DECAY + i],
            b[B_RHO + i],
            b[B_NU + i],
            b[B_NU2 + i],
            b[B_MIX + i],
        )
        x = b[B_X + i]
        y = b[B_Y + i]
        d1, r1, b[B_G1 + i], b[B_M1 + i], b[B_A1 + i] = _update(
            opt,
            lr,
            alpha,
            beta,
            eps,
            wd,
            rho,
            nu1,
            nu2,
            mix,
            b[B_GX + i],
            x,
            b[B_G1 + i],
            b[B_M1 + i],
            b[B_A1 + i],
            1.0 - at,
            1.0 - bt,
            mu_t,
            mu_next,
            pt,
            pn,
            t,
        )
        d2, r2, b[B_G2 + i], b[B_M2 + i], b[B_A2 + i] = _update(
            opt,
            lr,
            alpha,
            beta,
            eps,
            wd,
            rho,
            nu1,
            nu2,
            mix,
            b[B_GY + i],
            y,
            b[B_G2 + i],
            b[B_M2 + i],
            b[B_A2 + i],
            1.0 - at,
            1.0 - bt,
            mu_t,
            mu_next,
            pt,
            pn,
            t,
        )
        b[B_XN + i] = x + d1
        b[B_YN + i] = y + d2
        b[B_L1 + i] = r1
        b[B_L2 + i] = r2


@njit(**_JIT)
def _batch_update(opt, t, nb, b):
    """``_update_block`` with ``opt`` a constant for the lecture's main rules, so their loops are
    branch-free and vectorise (Adam 2.6× faster than the generic loop, SGD 6×); the other rules
    share one generic loop. Every specialised copy adds ~1.5 s to the first, uncached compile."""
    if opt == ADAM:
        _update_block(ADAM, t, nb, b)
    elif opt == SGD:
        _update_block(SGD, t, nb, b)
    elif opt == RMSPROP:
        _update_block(RMSPROP, t, nb, b)
    elif opt == ADAGRAD:
        _update_block(ADAGRAD, t, nb, b)
    else:
        _update_block(opt, t, nb, b)


@njit(**_INLINE)
def _loss_block(loss_id, P, nb, b):
    for i in range(nb):
        b[B_FN + i], b[B_GXN + i], b[B_GYN + i] = loss_value_grad(loss_id, b[B_XN + i], b[B_YN + i], P)


def _block_loss(loss, loss_id, P, nb, b):
    """The loss at a block's proposed points: ``_batch_loss`` for the built-ins' ``loss_value_grad``,
    a plain loop for a typed loss passed as a function pointer (``engine._fn_kernels``)."""


@overload(_block_loss, inline="always")
def _block_loss_overload(loss, loss_id, P, nb, b):
    if isinstance(loss, types.FunctionType):  # decided at compile time: one copy of the loop

        def pointer(loss, loss_id, P, nb, b):
            for i in range(nb):
                b[B_FN + i], b[B_GXN + i], b[B_GYN + i] = loss(loss_id, b[B_XN + i], b[B_YN + i], P)

        return pointer

    def builtin(loss, loss_id, P, nb, b):
        _batch_loss(loss_id, P, nb, b)

    return builtin


@njit(**_JIT)
def _batch_loss(loss_id, P, nb, b):
    """The loss over a block, its dispatch on ``loss_id`` unswitched by hand: with the id a constant
    the inlined ``loss_value_grad`` folds to one surface and the loop vectorises. One branch per
    built-in surface (tests/test_registry.py checks the list against ``engine.losses.LOSSES``)."""
    if loss_id == 0:
        _loss_block(0, P, nb, b)
    elif loss_id == 1:
        _loss_block(1, P, nb, b)
    elif loss_id == 2:
        _loss_block(2, P, nb, b)
    elif loss_id == 3:
        _loss_block(3, P, nb, b)
    elif loss_id == 4:
        _loss_block(4, P, nb, b)
    elif loss_id == 5:
        _loss_block(5, P, nb, b)
    elif loss_id == 6:
        _loss_block(6, P, nb, b)
    elif loss_id == 7:
        _loss_block(7, P, nb, b)
    elif loss_id == 8:
        _loss_block(8, P, nb, b)
    elif loss_id == 9:
        _loss_block(9, P, nb, b)
    elif loss_id == 10:
        _loss_block(10, P, nb, b)
    elif loss_id == 11:
        _loss_block(11, P, nb, b)
    elif loss_id == 12:
        _loss_block(12, P, nb, b)
    else:
        _loss_block(loss_id, P, nb, b)


@njit(**_INLINE)
def _finite(v: float) -> bool:
    """isfinite without a branch (NaN fails the comparison), so masks stay vectorisable."""
    return abs(v) < math.inf


@njit(**_JIT)
def _batch_commit(nb, tol, b, code, taken):
    """Accept each running run's proposed step, or stop it as diverged / converged; returns runs left."""
    live = 0
    for i in range(nb):
        running = code[i] == RUNNING
        ok = (
            _finite(b[B_GX + i])
            & _finite(b[B_GY + i])
            & _finite(b[B_XN + i])
            & _finite(b[B_YN + i])
            & _finite(b[B_FN + i])
            & _finite(b[B_G1 + i])
            & _finite(b[B_G2 + i])
            & _finite(b[B_M1 + i])
            & _finite(b[B_M2 + i])
            & _finite(b[B_L1 + i])
            & _finite(b[B_L2 + i])
        )
        move = running & ok
        gxn = b[B_GXN + i]
        gyn = b[B_GYN + i]
        b[B_X + i] = b[B_XN + i] if move else b[B_X + i]
        b[B_Y + i] = b[B_YN + i] if move else b[B_Y + i]
        b[B_F + i] = b[B_FN + i] if move else b[B_F + i]
        b[B_GX + i] = gxn if move else b[B_GX + i]
        b[B_GY + i] = gyn if move else b[B_GY + i]
        taken[i] += 1 if move else 0
        # NaN is not below tol: a finite loss with a NaN gradient runs on, and the next step,
        # which needs that gradient, is refused as diverged (as in _advance)
        new = CONVERGED if _below_tol(gxn, gyn, tol) else RUNNING
        new = new if ok else DIVERGED
        c = new if running else code[i]
        code[i] = c
        live += 1 if c == RUNNING else 0
    return live


@intrinsic
def _fma(typingctx, a, b, c):
    """a·b + c rounded once (LLVM's fma intrinsic, which vectorises to vfmadd)."""
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        return builder.fma(*args)

    return sig, codegen


#: |a| inside [2⁻⁹⁰⁰, 2⁹⁰⁰] and a divisor inside [2⁻¹⁰⁰, 2¹⁰⁰]: no intermediate of ``_div_by`` can
#: underflow or overflow, so it equals a / b. Zeros, subnormals, infinities and NaN fall outside.
_DIV_LO = 2.0**-900
_DIV_HI = 2.0**900


@njit(**_INLINE)
def _div_by(a: float, b: float, rb: float) -> float:
    """a / b, bit-identical to IEEE division, from rb = 1/b computed once for a whole block.

    The divider is the bottleneck of a batch step (vdivpd ≈ 0.5 ns a lane here, vsqrtpd 0.74);
    Adam's bias corrections divide every run by the same 1 − α^t and 1 − β^t. a·rb is within
    1.5 ulp; one fma correction makes it faithful; Markstein's theorem (rb = RN(1/b), q faithful,
    r = a − b·q exact by fma) then gives RN(q + r·rb) = RN(a/b), i.e. the bits of a / b.
    Valid where ``_DIV_LO`` ≤ |a| ≤ ``_DIV_HI`` (checked per lane; others are redone).
    """
    q = a * rb
    q = _fma(_fma(-q, b, a), rb, q)
    return _fma(_fma(-q, b, a), rb, q)


@njit(**_INLINE)
def _nonfinite_acc(acc: float, v: float) -> float:
    """acc + 0·v in one fma: stays ±0 while every v folded in is finite, NaN once one is ±∞ or NaN.

    A chain of these tests many values for finiteness in one instruction each, branch-free."""
    return _fma(v, 0.0, acc)


@njit(**_INLINE)
def _outside_div_range(M1: float, M2: float, G1: float, G2: float) -> bool:
    """Some finite operand of ``_div_by`` outside [``_DIV_LO``, ``_DIV_HI``] (zero, subnormal, huge).

    G ≥ 0 (a sum of β·G and (1 − β)·g²), so only the moments need an abs."""
    lo = min(min(abs(M1), abs(M2)), min(G1, G2))
    hi = max(max(abs(M1), abs(M2)), max(G1, G2))
    return (lo < _DIV_LO) | (hi > _DIV_HI)


@njit(**_JIT)
def _below_tol_threshold(tol: float) -> float:
    """The smallest s with √s ≥ tol, so ``s < T`` ⇔ ``math.sqrt(s) < tol`` for every double s.

    √ is correctly rounded, hence monotonic: the comparison has one threshold, within an ulp
    or two of tol². The convergence test then costs a compare instead of a third square root.
    """
    t = tol * tol
    while t > 0.0 and math.sqrt(t) >= tol:
        t = np.nextafter(t, 0.0)
    while math.sqrt(t) < tol:
        t = np.nextafter(t, math.inf)
    return t


@njit(**_INLINE)
def _commit_lane(b, i, tol2, t_prev):
    """Accept or refuse lane i's step t_prev as ``_advance`` does; returns (lane code, x, y, gx, gy).

    A refused step ends a run, so a running lane's point and gradient are always the last proposal's
    (set to the start's before step 1): they are read from B_XN … B_GYN, and only an accepted point is
    stored to B_X, B_Y (masked stores, no reload), with t_prev as the steps taken. L is not carried:
    the final loss is computed again at the final point, which gives the same bits.
    ``tol2`` is ``_below_tol_threshold(tol)``.
    """
    code = b[B_LANE + i]
    x = b[B_XN + i]
    y = b[B_YN + i]
    gx = b[B_GXN + i]
    gy = b[B_GYN + i]
    fn_ok = _finite(b[B_FN + i])
    proposed = code == _LANE_PROPOSED
    move = proposed & fn_ok
    if move:
        b[B_X + i] = x
        b[B_Y + i] = y
        b[B_TAKEN + i] = t_prev
    code = _LANE_DIVERGED if (code == _LANE_REFUSED) | (proposed & ~fn_ok) else code
    code = _LANE_CONVERGED if move & (gx * gx + gy * gy < tol2) else code
    return code, x, y, gx, gy


@njit(**_INLINE)
def _adam_step_block(nb, b, alpha, beta, bc1, r1, bc2, r2, tol2, t):
    """Commit step t − 1 and propose step t for every running lane: Adam, α and β shared.

    One branch-free loop (masks are blends and masked stores) that LLVM vectorises over lanes; the
    bias corrections go through ``_div_by``, which leaves 2 divisions and 2 square roots per run·step
    instead of 6 and 3 (the convergence test compares ‖g‖² with ``_below_tol_threshold``). Returns
    (lanes stepping, lanes whose proposal ``_adam_redo`` must redo with true divisions).
    """
    live = 0
    nredo = 0
    t_prev = float(t - 1)
    for i in range(nb):
        code, x, y, gx, gy = _commit_lane(b, i, tol2, t_prev)
        upd = code <= _LANE_PROPOSED
        lr = b[B_LR_T + i]
        eps = b[B_EPS + i]
        M1 = alpha * b[B_M1 + i] + (1.0 - alpha) * gx
        M2 = alpha * b[B_M2 + i] + (1.0 - alpha) * gy
        G1 = beta * b[B_G1 + i] + (1.0 - beta) * gx * gx
        G2 = beta * b[B_G2 + i] + (1.0 - beta) * gy * gy
        l1 = lr / (math.sqrt(_div_by(G1, bc2, r2)) + eps)
        l2 = lr / (math.sqrt(_div_by(G2, bc2, r2)) + eps)
        xn = x + -l1 * _div_by(M1, bc1, r1)
        yn = y + -l2 * _div_by(M2, bc1, r1)
        # ``_advance`` refuses a step unless g, w, M, G and the rates are finite. With x finite, x_new
        # is not if M, g or the rate is not (∞·0 is NaN too), so only x_new, y_new and G remain to
        # test (G = ∞ makes the rate 0 and x_new finite); in exact and fast division alike.
        ok = _nonfinite_acc(_nonfinite_acc(_nonfinite_acc(_nonfinite_acc(0.0, xn), yn), G1), G2) == 0.0
        if upd:
            b[B_M1 + i] = M1
            b[B_M2 + i] = M2
            b[B_G1 + i] = G1
            b[B_G2 + i] = G2
        b[B_XN + i] = xn
        b[B_YN + i] = yn
        b[B_LANE + i] = (_LANE_PROPOSED if ok else _LANE_REFUSED) if upd else code
        live += 1 if upd else 0
        # not finite counts as outside too: a harmless redo, once, of a step about to be refused
        nredo += 1 if upd & _outside_div_range(M1, M2, G1, G2) else 0
    return live, nredo


@njit(**_JIT)
def _adam_redo(nb, b, bc1, bc2, every):
    """Proposals ``_div_by`` may not get exactly, redone with true divisions: lanes with a zero,
    subnormal or huge moment, or ``every`` lane stepping when 1 − α^t or 1 − β^t is out of range."""
    for i in range(nb):
        M1, M2, G1, G2 = b[B_M1 + i], b[B_M2 + i], b[B_G1 + i], b[B_G2 + i]
        if b[B_LANE + i] > _LANE_REFUSED or not (every or _outside_div_range(M1, M2, G1, G2)):
            continue
        lr = b[B_LR_T + i]
        eps = b[B_EPS + i]
        l1 = lr / (math.sqrt(G1 / bc2) + eps)
        l2 = lr / (math.sqrt(G2 / bc2) + eps)
        xn = b[B_X + i] + -l1 * (M1 / bc1)
        yn = b[B_Y + i] + -l2 * (M2 / bc1)
        b[B_XN + i] = xn
        b[B_YN + i] = yn
        ok = _finite(xn) and _finite(yn) and _finite(G1) and _finite(G2)
        b[B_LANE + i] = _LANE_PROPOSED if ok else _LANE_REFUSED


@njit(**_INLINE)
def _adam_commit_block(nb, b, tol2, steps):
    """The last step's commit (no step follows it)."""
    t_prev = float(steps)
    for i in range(nb):
        b[B_LANE + i] = _commit_lane(b, i, tol2, t_prev)[0]


@njit(**_INLINE)
def _adam_block(loss, loss_id, P, kind, s0, s1, steps, tol, nb, b, code, taken):
    """All steps of one block of Adam runs that share α and β (the usual sweep over starts or η).

    Per step: α^t, β^t and the reciprocals of the bias corrections once for the block, then the
    vectorised commit-and-propose loop, the rare exact redo, and the loss at the proposed points.
    Takes the block as ``run_batch`` set it up; leaves the final point and L in B_X, B_Y, B_F and the
    status and steps taken in ``code`` and ``taken``.
    """
    alpha = b[B_ALPHA]
    beta = b[B_BETA]
    tol2 = _below_tol_threshold(tol)
    for i in range(nb):
        b[B_LANE + i] = (
            _LANE_START if code[i] == RUNNING else _LANE_CONVERGED if code[i] == CONVERGED else _LANE_DIVERGED
        )
        b[B_XN + i] = b[B_X + i]
        b[B_YN + i] = b[B_Y + i]
        b[B_GXN + i] = b[B_GX + i]
        b[B_GYN + i] = b[B_GY + i]
        b[B_LR_T + i] = b[B_LR + i]
    at = 1.0
    bt = 1.0
    for k in range(steps):
        t = k + 1
        if kind != CONSTANT:
            for i in range(nb):
                b[B_LR_T + i] = _lr_at(kind, s0, s1, b[B_LR + i], t)
        at = _power_step(at, alpha)
        bt = _power_step(bt, beta)
        bc1 = 1.0 - at
        bc2 = 1.0 - bt
        live, nredo = _adam_step_block(nb, b, alpha, beta, bc1, 1.0 / bc1, bc2, 1.0 / bc2, tol2, t)
        if live == 0:
            break
        every = not (2.0**-100 <= abs(bc1) <= 2.0**100 and 2.0**-100 <= abs(bc2) <= 2.0**100)
        if nredo > 0 or every:
            _adam_redo(nb, b, bc1, bc2, every)
        _block_loss(loss, loss_id, P, nb, b)
    _adam_commit_block(nb, b, tol2, steps)  # after a break no step is pending and this changes nothing
    for i in range(nb):
        lane = b[B_LANE + i]
        code[i] = RUNNING if lane <= _LANE_PROPOSED else CONVERGED if lane == _LANE_CONVERGED else DIVERGED
        taken[i] = int(b[B_TAKEN + i])
        b[B_F + i] = loss(loss_id, b[B_X + i], b[B_Y + i], P)[0]


@njit(**_JIT, parallel=True)
def run_batch(loss_id, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    """Many independent runs (one row of Hs and starts each), in parallel over cores.

    Records only the outcome per run: final point and loss, steps taken, status. Each
    step is the same arithmetic as ``run_chunk``'s, so a run's final point is bit-identical
    to ``simulate``'s. Runs go in blocks of ``BLOCK`` (prange over blocks), all runs of a
    block stepping together through loops that are branch-free over runs (finished runs
    are masked) and specialised on the loop-invariant optimizer and loss, so they vectorise.
    Adam, in blocks whose runs share α and β (any η, ε, start), takes ``_adam_block``: one
    fused loop a step, bound by the divider, with the bias corrections' divisions done by
    ``_div_by`` (3× faster than the generic loops; README, Benchmarks).
    """
    _batch(
        loss_value_grad,
        loss_id,
        P,
        opt,
        Hs,
        kind,
        sp,
        starts,
        steps,
        tol,
        final_w,
        final_loss,
        n_steps,
        status,
    )


@njit(**_INLINE)
def _batch(loss, loss_id, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    """``run_batch`` with its loss passed in (``engine._fn_kernels.run_batch_fn`` passes a typed one)."""
    n = starts.shape[0]
    nblocks = (n + BLOCK - 1) // BLOCK
    s0 = sp[0]
    s1 = sp[1]
    for blk in prange(nblocks):
        lo = blk * BLOCK
        nb = min(BLOCK, n - lo)
        b = np.zeros(NBLOCK_QUANTITIES * BLOCK)
        code = np.empty(BLOCK, dtype=np.int64)
        taken = np.zeros(BLOCK, dtype=np.int64)
        live = 0
        for i in range(nb):
            for j in range(NHYPER):
                b[j * BLOCK + i] = Hs[lo + i, j]
            x = starts[lo + i, 0]
            y = starts[lo + i, 1]
            f, gx, gy = loss(loss_id, x, y, P)
            b[B_X + i], b[B_Y + i], b[B_F + i], b[B_GX + i], b[B_GY + i] = x, y, f, gx, gy
            b[B_ALPHA_T + i] = b[B_BETA_T + i] = b[B_MU_PROD + i] = 1.0
            if not math.isfinite(f):
                code[i] = DIVERGED
            elif _below_tol(gx, gy, tol):
                code[i] = CONVERGED
            else:
                code[i] = RUNNING
                live += 1
        shared = True
        for i in range(nb):
            shared &= (b[B_ALPHA + i] == b[B_ALPHA]) & (b[B_BETA + i] == b[B_BETA])
        # the fused block compares ‖g‖² with tol²: the same decision as grad_norm in this range
        fast_tol = tol >= FAST_TOL_LOW and tol <= FAST_TOL_HIGH
        if opt == ADAM and shared and live > 0 and fast_tol:
            _adam_block(loss, loss_id, P, kind, s0, s1, steps, tol, nb, b, code, taken)
            live = 0
        for k in range(steps):
            if live == 0:
                break
            t = k + 1
            for i in range(nb):
                b[B_LR_T + i] = _lr_at(kind, s0, s1, b[B_LR + i], t)
            _batch_update(opt, t, nb, b)
            _block_loss(loss, loss_id, P, nb, b)
            live = _batch_commit(nb, tol, b, code, taken)
        for i in range(nb):
            final_w[lo + i, 0] = b[B_X + i]
            final_w[lo + i, 1] = b[B_Y + i]
            final_loss[lo + i] = b[B_F + i]
            n_steps[lo + i] = taken[i]
            status[lo + i] = code[i]


@njit(**_JIT, parallel=True)
def loss_grid(loss_id, P, xs, ys, out):
    """L on the grid out[j, i] = L(xs[i], ys[j]); NaN where L is undefined (shown as a gap)."""
    _grid(loss_value_grad, loss_id, P, xs, ys, out)


@njit(**_INLINE)
def _grid(loss, loss_id, P, xs, ys, out):
    for j in prange(ys.shape[0]):
        for i in range(xs.shape[0]):
            val, _gx, _gy = loss(loss_id, xs[i], ys[j], P)
            out[j, i] = val
