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
#: Helpers that take arrays are inlined into their callers at numba-IR level: an out-of-line call
#: passes each array with an atomic reference-count increment and decrement, which cost ~80 ns a step.
_INLINE = {**_JIT, "inline": "always"}

NSTATE = 15
NHYPER = 9

# Optimizer ids (positions in engine.optimizers.OPTIMIZERS).
SGD, MOMENTUM_LECTURE, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP = 0, 1, 2, 3, 4, 5
ADAM_LECTURE, ADAM, AMSGRAD, ADAMW, NADAM, ADADELTA, QHM, QHADAM = 6, 7, 8, 9, 10, 11, 12, 13

# Schedule ids (engine.schedules).
CONSTANT, STEP, EXPONENTIAL, INVERSE, COSINE, WARMUP = 0, 1, 2, 3, 4, 5

# Run status codes.
RUNNING, CONVERGED, DIVERGED = 0, 1, 2


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
    return eta


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
def _update(opt, lr, alpha, beta, eps, wd, rho, nu1, nu2, g, w, G, M, A, bc1, bc2, mu_t, mu_next, pt, pn):
    """One weight's update, on scalars only: returns (Δw, effective rate, G, M, aux).

    Scalars only, so the compiled loops keep the state in registers and, in a batch,
    LLVM can vectorise over runs. ``A`` is the rule's auxiliary state (g(t−1) for the
    lecture's momentum, AMSGrad's max v, Adadelta's U); bc1 = 1 − α^t, bc2 = 1 − β^t;
    mu_t, mu_next, pt = ∏μ up to t, pn = ∏μ up to t+1 are NAdam's.
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
    # the bias-corrected family: ADAM, AMSGRAD, ADAMW, NADAM, QHADAM
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


@njit(**_INLINE)
def _advance(loss_id, P, opt, H, kind, sp, S, n, tol, row0, w, f, g, G, M, lr, dw, record):
    """The stepping loop of ``run_chunk`` / ``run_steps``; ``record`` is a compile-time constant."""
    eta, alpha, beta, eps, wd, rho, nu1, nu2, psi = H[0], H[1], H[2], H[3], H[4], H[5], H[6], H[7], H[8]
    s0 = sp[0]
    s1 = sp[1]
    G1, G2, M1, M2, A1, A2 = S[0], S[1], S[2], S[3], S[4], S[5]
    at, bt, prod = S[6], S[7], S[8]
    t = int(S[9])
    x, y, val, gx, gy = S[10], S[11], S[12], S[13], S[14]
    taken = 0
    status = RUNNING
    for k in range(n):
        t += 1
        if not (math.isfinite(gx) and math.isfinite(gy)):
            status = DIVERGED
            break
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
            mu_t = _nadam_mu(alpha, psi, t)
            mu_next = _nadam_mu(alpha, psi, t + 1)
            pt = _power_step(prod, mu_t)
            pn = pt * mu_next
            prod = pt
        d1, l1, G1, M1, A1 = _update(
            opt, lr_t, alpha, beta, eps, wd, rho, nu1, nu2, gx, x, G1, M1, A1, bc1, bc2, mu_t, mu_next, pt, pn
        )
        d2, l2, G2, M2, A2 = _update(
            opt, lr_t, alpha, beta, eps, wd, rho, nu1, nu2, gy, y, G2, M2, A2, bc1, bc2, mu_t, mu_next, pt, pn
        )
        xn = x + d1
        yn = y + d2
        vn, gxn, gyn = loss_value_grad(loss_id, xn, yn, P)
        if not (
            math.isfinite(xn)
            and math.isfinite(yn)
            and math.isfinite(vn)
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
            r = row0 + 1 + k
            w[r, 0] = xn
            w[r, 1] = yn
            f[r] = vn
            g[r, 0] = gx
            g[r, 1] = gy
            G[r, 0] = G1
            G[r, 1] = G2
            M[r, 0] = M1
            M[r, 1] = M2
            lr[r, 0] = l1
            lr[r, 1] = l2
            dw[r, 0] = d1
            dw[r, 1] = d2
        x, y, val, gx, gy = xn, yn, vn, gxn, gyn
        taken += 1
        if math.sqrt(gx * gx + gy * gy) < tol:
            status = CONVERGED
            break
    S[0], S[1], S[2], S[3], S[4], S[5] = G1, G2, M1, M2, A1, A2
    S[6], S[7], S[8] = at, bt, prod
    S[9] = t
    S[10], S[11], S[12], S[13], S[14] = x, y, val, gx, gy
    return taken, status


@njit(**_JIT)
def run_chunk(loss_id, P, opt, H, kind, sp, S, n, tol, row0, w, f, g, G, M, lr, dw):
    """Take up to n steps from state S, writing rows row0+1 … of the record arrays.

    Returns (steps taken, status). A step whose new point, loss, rate or state is not
    finite is not recorded: the run stops there as diverged, keeping every finite step
    (S[9] then counts the failed step, so it is the step at which the run diverged).
    A run stops as converged once ‖g‖ at the new point falls below tol.
    """
    return _advance(loss_id, P, opt, H, kind, sp, S, n, tol, row0, w, f, g, G, M, lr, dw, True)


@njit(**_JIT)
def run_steps(loss_id, P, opt, H, kind, sp, S, n, tol):
    """``run_chunk`` without the record: only the state S advances (fast-forward, benchmarks)."""
    e1 = np.empty((0, 2))
    e0 = np.empty(0)
    return _advance(loss_id, P, opt, H, kind, sp, S, n, tol, -1, e1, e0, e1, e1, e1, e1, e1, False)


#: Runs that step together in one block of a batch: their state fits in L1 and the loop over
#: them is what LLVM vectorises.
BLOCK = 128


@njit(**_JIT)
def _batch_update(
    opt,
    t,
    nb,
    eta,
    alpha,
    beta,
    eps,
    wd,
    rho,
    nu1,
    nu2,
    psi,
    kind,
    s0,
    s1,
    at,
    bt,
    prod,
    x,
    y,
    gx,
    gy,
    G1,
    G2,
    M1,
    M2,
    A1,
    A2,
    xn,
    yn,
    l1,
    l2,
):
    """Step t of every run in a block: new state in place, the proposed points in xn, yn."""
    for i in range(nb):
        lr_t = _lr_at(kind, s0, s1, eta[i], t)
        a = _power_step(at[i], alpha[i])
        b = _power_step(bt[i], beta[i])
        at[i] = a
        bt[i] = b
        mu_t = 0.0
        mu_next = 0.0
        pt = 1.0
        pn = 1.0
        if opt == NADAM:
            mu_t = _nadam_mu(alpha[i], psi[i], t)
            mu_next = _nadam_mu(alpha[i], psi[i], t + 1)
            pt = _power_step(prod[i], mu_t)
            pn = pt * mu_next
            prod[i] = pt
        d1, r1, G1[i], M1[i], A1[i] = _update(
            opt,
            lr_t,
            alpha[i],
            beta[i],
            eps[i],
            wd[i],
            rho[i],
            nu1[i],
            nu2[i],
            gx[i],
            x[i],
            G1[i],
            M1[i],
            A1[i],
            1.0 - a,
            1.0 - b,
            mu_t,
            mu_next,
            pt,
            pn,
        )
        d2, r2, G2[i], M2[i], A2[i] = _update(
            opt,
            lr_t,
            alpha[i],
            beta[i],
            eps[i],
            wd[i],
            rho[i],
            nu1[i],
            nu2[i],
            gy[i],
            y[i],
            G2[i],
            M2[i],
            A2[i],
            1.0 - a,
            1.0 - b,
            mu_t,
            mu_next,
            pt,
            pn,
        )
        xn[i] = x[i] + d1
        yn[i] = y[i] + d2
        l1[i] = r1
        l2[i] = r2


@njit(**_JIT)
def _batch_loss(loss_id, P, nb, xn, yn, fn, gxn, gyn):
    for i in range(nb):
        fn[i], gxn[i], gyn[i] = loss_value_grad(loss_id, xn[i], yn[i], P)


@njit(**_JIT, parallel=True)
def run_batch(loss_id, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    """Many independent runs (one row of Hs and starts each), in parallel over cores.

    Records only the outcome per run: final point and loss, steps taken, status. Each
    step is the same arithmetic as ``run_chunk``'s, so a run's final point is bit-identical
    to ``simulate``'s. Runs are processed in blocks of ``BLOCK``, all runs of a block
    stepping together: the loops over a block's runs are branch-free (finished runs are
    masked) so LLVM vectorises them; the optimizer and loss branches are loop-invariant.
    """
    n = starts.shape[0]
    nblocks = (n + BLOCK - 1) // BLOCK
    s0 = sp[0]
    s1 = sp[1]
    for blk in prange(nblocks):
        lo = blk * BLOCK
        nb = min(BLOCK, n - lo)
        hv = np.empty((NHYPER, BLOCK))
        st = np.empty((21, BLOCK))
        code = np.empty(BLOCK, dtype=np.int64)
        taken = np.zeros(BLOCK, dtype=np.int64)
        eta, alpha, beta, eps, wd, rho, nu1, nu2, psi = (
            hv[0],
            hv[1],
            hv[2],
            hv[3],
            hv[4],
            hv[5],
            hv[6],
            hv[7],
            hv[8],
        )
        x, y, f, gx, gy = st[0], st[1], st[2], st[3], st[4]
        G1, G2, M1, M2, A1, A2 = st[5], st[6], st[7], st[8], st[9], st[10]
        at, bt, prod = st[11], st[12], st[13]
        xn, yn, fn, gxn, gyn, l1, l2 = st[14], st[15], st[16], st[17], st[18], st[19], st[20]
        live = 0
        for i in range(nb):
            for j in range(NHYPER):
                hv[j, i] = Hs[lo + i, j]
            x[i] = starts[lo + i, 0]
            y[i] = starts[lo + i, 1]
            f[i], gx[i], gy[i] = loss_value_grad(loss_id, x[i], y[i], P)
            G1[i] = G2[i] = M1[i] = M2[i] = A1[i] = A2[i] = 0.0
            at[i] = bt[i] = prod[i] = 1.0
            if not math.isfinite(f[i]):
                code[i] = DIVERGED
            elif math.sqrt(gx[i] * gx[i] + gy[i] * gy[i]) < tol:
                code[i] = CONVERGED
            else:
                code[i] = RUNNING
                live += 1
        for k in range(steps):
            if live == 0:
                break
            t = k + 1
            _batch_update(
                opt,
                t,
                nb,
                eta,
                alpha,
                beta,
                eps,
                wd,
                rho,
                nu1,
                nu2,
                psi,
                kind,
                s0,
                s1,
                at,
                bt,
                prod,
                x,
                y,
                gx,
                gy,
                G1,
                G2,
                M1,
                M2,
                A1,
                A2,
                xn,
                yn,
                l1,
                l2,
            )
            _batch_loss(loss_id, P, nb, xn, yn, fn, gxn, gyn)
            live = 0
            for i in range(nb):
                running = code[i] == RUNNING
                grad_ok = math.isfinite(gx[i]) and math.isfinite(gy[i])
                ok = (
                    grad_ok
                    and math.isfinite(xn[i])
                    and math.isfinite(yn[i])
                    and math.isfinite(fn[i])
                    and math.isfinite(G1[i])
                    and math.isfinite(G2[i])
                    and math.isfinite(M1[i])
                    and math.isfinite(M2[i])
                    and math.isfinite(l1[i])
                    and math.isfinite(l2[i])
                )
                move = running and ok
                x[i] = xn[i] if move else x[i]
                y[i] = yn[i] if move else y[i]
                f[i] = fn[i] if move else f[i]
                gx[i] = gxn[i] if move else gx[i]
                gy[i] = gyn[i] if move else gy[i]
                taken[i] += move
                converged = math.sqrt(gxn[i] * gxn[i] + gyn[i] * gyn[i]) < tol
                new = DIVERGED if not ok else (CONVERGED if converged else RUNNING)
                code[i] = new if running else code[i]
                live += code[i] == RUNNING
        for i in range(nb):
            final_w[lo + i, 0] = x[i]
            final_w[lo + i, 1] = y[i]
            final_loss[lo + i] = f[i]
            n_steps[lo + i] = taken[i]
            status[lo + i] = code[i]


@njit(**_JIT, parallel=True)
def loss_grid(loss_id, P, xs, ys, out):
    """L on the grid out[j, i] = L(xs[i], ys[j]); NaN where L is undefined (shown as a gap)."""
    for j in prange(ys.shape[0]):
        for i in range(xs.shape[0]):
            val, _gx, _gy = loss_value_grad(loss_id, xs[i], ys[j], P)
            out[j, i] = val
