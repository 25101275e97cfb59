"""Compiled data losses and stochastic gradients: minibatches without replacement, Gaussian noise.

Data losses (``engine.data``) have two weights, y ≈ w1·x + w2: linear regression's mean squared
error L = (1/n)·Σ (w1·xᵢ + w2 − yᵢ)², and logistic regression's mean cross-entropy
L = (1/n)·Σ [log(1 + e^zᵢ) − yᵢ·zᵢ], zᵢ = w1·xᵢ + w2. Their parameter vector P is the
``engine.state.DATA`` header, then the n inputs, then the n targets.

A stochastic step t draws its gradient at the start of the step, at w(t−1):
- the minibatch gradient over the rows of step t, or the full-data gradient (batch size 0 or ≥ n);
- plus σ·N(0, 1) per weight when the noise σ > 0 (on any surface, formula or data).
The rows of step t: epoch e = ⌊(t−1)/k⌋ with k = ⌈n/B⌉ batches an epoch, batch j = (t−1) mod k, the
rows perm_e[j·B : min((j+1)·B, n)] of a per-epoch permutation perm_e (Fisher–Yates driven by
splitmix64 of (seed, e)), so each epoch uses every row once (sampling without replacement) and the
last batch of an epoch is smaller when B does not divide n. The noise of step t comes from
splitmix64 of (seed, t) through Box–Muller. Both depend only on (seed, t, n, B): a run is
reproducible bit for bit from its seed, and chunked runs equal one-go runs.

Convergence: a stochastic gradient never vanishes, so a run with a minibatch or noise takes all its
steps (no early stop); only an exact run (full batch, σ = 0) stops at ‖g‖ < tol — ``engine.simulate``
passes tol = −1 for the others. The recorded L is the full-data loss at w(t); the recorded g is
the gradient the step used (minibatch + noise).

The step loop is ``_kernels._advance``'s with the gradient drawn at the start of the step; the
update rules are the same ``_update``. The exact runner stays untouched (and as fast).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange, types

from engine._ids import CONVERGED, DIVERGED, LINEAR, RUNNING
from engine._kernels import _INLINE, _JIT, _advance, _below_tol, _grid, _init
from engine._loss_type import LOSS_SIGNATURE, LOSS_TYPE
from engine._surfaces import loss_value_grad as _builtin_value_grad
from engine.state import (
    D_X_MEAN,
    D_X_VAR,
    D_XY_COV,
    D_Y_MEAN,
    D_Y_VAR,
    NDATA,
    NSTATE,
    S_GRAD1,
    S_GRAD2,
    S_LOSS,
    S_W1,
    S_W2,
    Z_BATCH_SIZE,
    Z_NOISE,
    Z_ROWS,
    Z_SEED,
)

# splitmix64 (Steele, Lea & Flood 2014): the golden-ratio increment and the finaliser's multipliers.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
#: Streams of the counter-based generator: the permutations of epochs, the noise of steps.
_PERMUTATION = np.uint64(1)
_NOISE = np.uint64(2)
_U53 = 2.0**-53
_TAU = 2.0 * math.pi


@njit(**_INLINE)
def _mix64(z):
    """splitmix64's finaliser: a bijection of uint64 whose outputs pass BigCrush as a counter stream."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(**_INLINE)
def _key(seed, stream, counter):
    """The generator state of (seed, stream, counter): independent of every other counter."""
    return _mix64(_mix64(seed * _GOLDEN + stream) + np.uint64(counter) * _GOLDEN)


@njit(**_JIT)
def permute_epoch(seed, epoch, n, out):
    """out[:n] = the row order of ``epoch``: Fisher–Yates driven by splitmix64 of (seed, epoch).

    j is drawn by multiply-shift from the top 32 bits (uniform to within n/2³², n ≤ 2³¹).
    """
    state = _key(np.uint64(seed), _PERMUTATION, epoch)
    for i in range(n):
        out[i] = i
    for i in range(n - 1, 0, -1):
        state += _GOLDEN
        r = _mix64(state)
        j = np.int64(((r >> np.uint64(32)) * np.uint64(i + 1)) >> np.uint64(32))
        tmp = out[i]
        out[i] = out[j]
        out[j] = tmp


@njit(**_INLINE)
def _normal_pair(seed, step):
    """Two independent N(0, 1) draws for step ``step`` (Box–Muller from two 53-bit uniforms in (0, 1))."""
    r1 = _key(seed, _NOISE, step)
    r2 = _mix64(r1 + _GOLDEN)
    u1 = (float(r1 >> np.uint64(11)) + 0.5) * _U53
    u2 = (float(r2 >> np.uint64(11)) + 0.5) * _U53
    radius = math.sqrt(-2.0 * math.log(u1))
    return radius * math.cos(_TAU * u2), radius * math.sin(_TAU * u2)


@njit(**_JIT)
def normal_pair(seed, step):
    """The noise draws of step ``step`` (for tests and the inspector): σ times these is added to g."""
    return _normal_pair(np.uint64(seed), step)


@njit(**_INLINE)
def _sigmoid(z: float) -> float:
    """σ(z) = 1/(1 + e^−z) without a branch (a data-dependent one mispredicts on half the rows):
    for z ≪ 0, e^−z overflows to inf and σ to 0, its limit."""
    return 1.0 / (1.0 + math.exp(-z))


@njit(**_INLINE)
def data_value_grad(model, w1, w2, P):
    """(L, ∂L/∂w1, ∂L/∂w2) over all rows: the contour, the recorded L, the exact gradient.

    Linear, from the centred moments in P's header, in O(1):
    L = (w1·x̄ + w2 − ȳ)² + w1²·var x − 2·w1·cov(x, y) + var y.
    Logistic, in O(n): L = (1/n)·Σ [softplus(zᵢ) − yᵢ·zᵢ], ∇L = (1/n)·Σ (σ(zᵢ) − yᵢ)·(xᵢ, 1).
    """
    if model == LINEAR:
        r = w1 * P[D_X_MEAN] + w2 - P[D_Y_MEAN]
        c = w1 * P[D_X_VAR] - P[D_XY_COV]
        value = r * r + w1 * (c - P[D_XY_COV]) + P[D_Y_VAR]
        return max(value, 0.0), 2.0 * (P[D_X_MEAN] * r + c), 2.0 * r
    n = (P.shape[0] - NDATA) // 2
    total = 0.0
    g1 = 0.0
    g2 = 0.0
    for i in range(n):
        x = P[NDATA + i]
        y = P[NDATA + n + i]
        z = w1 * x + w2
        e = math.exp(-abs(z))  # softplus(z) = max(z, 0) + log1p(e^−|z|); σ(z) from the same e
        p = 1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)
        total += max(z, 0.0) + math.log1p(e) - y * z
        d = p - y
        g1 += d * x
        g2 += d
    return total / n, g1 / n, g2 / n


@njit(**_JIT)
def loss_value_grad(model, w1, w2, P):
    """``data_value_grad`` as a callable kernel (``Surface.value_grad``)."""
    return data_value_grad(model, w1, w2, P)


@njit(**_INLINE)
def _batch_grad(model, P, w1, w2, rows, lo, hi):
    """∇L over the rows rows[lo:hi] only (the mean over the minibatch, as torch's losses take it)."""
    n = (P.shape[0] - NDATA) // 2
    g1 = 0.0
    g2 = 0.0
    for k in range(lo, hi):
        i = rows[k]
        x = P[NDATA + i]
        y = P[NDATA + n + i]
        z = w1 * x + w2
        d = 2.0 * (z - y) if model == LINEAR else _sigmoid(z) - y
        g1 += d * x
        g2 += d
    m = hi - lo
    return g1 / m, g2 / m


@njit(**_INLINE)
def drawn_grad(loss_id, P, Z, rows, t, x, y, gx, gy):
    """The gradient hook of a stochastic run (``_kernels._advance``): g(t) drawn at w(t−1).

    The minibatch gradient over the rows of step t when Z asks for batches of a data loss (P holds
    the rows), else the exact gradient (gx, gy) at w(t−1); plus σ·N(0, 1) per weight when σ > 0.
    ``rows`` (n + 1 int64) keeps the current epoch's permutation and, in rows[n], its epoch (−1: none).
    """
    n = np.int64(Z[Z_ROWS])
    size = np.int64(Z[Z_BATCH_SIZE])
    seed = np.uint64(np.int64(Z[Z_SEED]))
    bx = gx
    by = gy
    if 0 < size < n:
        per_epoch = (n + size - 1) // size
        epoch = (t - 1) // per_epoch
        if epoch != rows[n]:
            permute_epoch(seed, epoch, n, rows)
            rows[n] = epoch
        lo = ((t - 1) % per_epoch) * size
        bx, by = _batch_grad(loss_id, P, x, y, rows, lo, min(lo + size, n))
    sigma = Z[Z_NOISE]
    if sigma > 0.0:
        z1, z2 = _normal_pair(seed, t)
        bx += sigma * z1
        by += sigma * z2
    return bx, by


@njit(**_INLINE)
def _rows_scratch(Z):
    """The ``rows`` scratch of ``drawn_grad``: an epoch's permutation, and no epoch drawn yet."""
    n = np.int64(Z[Z_ROWS])
    size = np.int64(Z[Z_BATCH_SIZE])
    rows = np.empty(n + 1 if 0 < size < n else 1, dtype=np.int64)
    rows[rows.shape[0] - 1] = -1
    return rows


@njit(**_INLINE)
def _data_after_step(model, w1, w2, P):
    """A data loss at the point a step reached, as the next exact step needs it: the gradient, and
    the value only where it is O(1) (linear); logistic's (a log1p per row) is NaN = deferred."""
    if model == LINEAR:
        return data_value_grad(model, w1, w2, P)
    n = (P.shape[0] - NDATA) // 2
    g1 = 0.0
    g2 = 0.0
    for i in range(n):
        x = P[NDATA + i]
        d = _sigmoid(w1 * x + w2) - P[NDATA + n + i]
        g1 += d * x
        g2 += d
    return math.nan, g1 / n, g2 / n


@njit(**_INLINE)
def _data_after_batch(model, w1, w2, P):
    """``_data_after_step`` for a minibatch run, whose next step draws its own gradient: the full
    gradient is not needed (0 stands in; the wrapper restores it at the chunk's end)."""
    if model == LINEAR:
        return data_value_grad(model, w1, w2, P)
    return math.nan, 0.0, 0.0


@njit(**_INLINE)
def _settle(model, P, S):
    """S's loss and gradient made exact at the chunk's last point (a step may have deferred them)."""
    S[S_LOSS], S[S_GRAD1], S[S_GRAD2] = data_value_grad(model, S[S_W1], S[S_W2], P)


@njit(**_JIT)
def deferred_losses(model, P, w, f):
    """f[i] = L(w[i]) over all rows wherever a kernel deferred it (NaN): the rows a record keeps."""
    for i in range(f.shape[0]):
        if math.isnan(f[i]):
            f[i] = data_value_grad(model, w[i, 0], w[i, 1], P)[0]


# -- data losses: the kernel interface of engine._kernels, P holding the rows ----------------------
@njit(**_JIT)
def init_state(model, P, H, x0, y0, S):
    _init(data_value_grad, model, P, x0, y0, S)


@njit(**_JIT)
def run_chunk_data(model, P, Z, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr, dw):
    """``_kernels.run_chunk`` for a data loss with the full batch (Z: noise; zeros: exact).

    A logistic row's L comes NaN (deferred): ``deferred_losses`` fills the rows a record keeps."""
    out = _advance(
        _data_after_step, drawn_grad, model, P, Z, _rows_scratch(Z), opt, H, kind, sp, S, n, tol, row0,
        stride, pin, w, f, g, G, M, lr, dw, True, True,
    )  # fmt: skip
    _settle(model, P, S)
    return out


@njit(**_JIT)
def run_chunk_minibatch(model, P, Z, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr, dw):
    """``run_chunk_data`` with minibatches (Z's batch size < its rows): per step O(B), not O(n)."""
    out = _advance(
        _data_after_batch, drawn_grad, model, P, Z, _rows_scratch(Z), opt, H, kind, sp, S, n, tol, row0,
        stride, pin, w, f, g, G, M, lr, dw, True, True,
    )  # fmt: skip
    _settle(model, P, S)
    return out


@njit(**_JIT, parallel=True)
def loss_grid(model, P, xs, ys, out):
    """The full-data loss on a grid, out[j, i] = L(xs[i], ys[j]) (the contour)."""
    _grid(data_value_grad, model, P, xs, ys, out)


@njit(**_JIT, parallel=True)
def run_batch_data(model, P, Z, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    """Many runs of a data loss (maps), in parallel: each as ``run_chunk_data`` without the record."""
    count = starts.shape[0]
    e1 = np.empty((0, 2))
    e0 = np.empty(0)
    for i in prange(count):
        S = np.empty(NSTATE)
        _init(data_value_grad, model, P, starts[i, 0], starts[i, 1], S)
        taken = 0
        code = RUNNING
        if not math.isfinite(S[S_LOSS]):
            code = DIVERGED
        elif not _below_tol(S[S_GRAD1], S[S_GRAD2], tol):
            taken, code = _advance(
                _data_after_step, drawn_grad, model, P, Z, _rows_scratch(Z), opt, Hs[i], kind, sp, S,
                steps, tol, -1, 1, 0, e1, e0, e1, e1, e1, e1, e1, False, True,
            )  # fmt: skip
            _settle(model, P, S)
        else:
            code = CONVERGED
        final_w[i, 0] = S[S_W1]
        final_w[i, 1] = S[S_W2]
        final_loss[i] = S[S_LOSS]
        n_steps[i] = taken
        status[i] = code


# -- noise on a formula loss: the loss as a function pointer (built-in or typed) -------------------
@njit(LOSS_SIGNATURE, **_JIT)
def builtin_loss(loss_id, x, y, p):
    """The built-in surfaces' dispatch as a first-class function, for ``run_chunk_noisy``."""
    return _builtin_value_grad(loss_id, x, y, p)


_F = types.float64
_I = types.int64
_V = types.Array(_F, 1, "A")
_Mx = types.Array(_F, 2, "A")


@njit(
    types.UniTuple(_I, 2)(
        LOSS_TYPE, _I, _V, _V, _I, _V, _I, _V, _V, _I, _F, _I, _I, _I, _Mx, _V, _Mx, _Mx, _Mx, _Mx, _Mx
    ),
    **_JIT,
)
def run_chunk_noisy(
    loss, loss_id, P, Z, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr, dw
):
    """``_kernels.run_chunk`` on a formula loss with σ·N(0, 1) added to each step's gradient."""
    return _advance(
        loss, drawn_grad, loss_id, P, Z, _rows_scratch(Z), opt, H, kind, sp, S, n, tol, row0,
        stride, pin, w, f, g, G, M, lr, dw, True, False,
    )  # fmt: skip
