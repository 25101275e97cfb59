"""Named slots of the kernels' vectors, generated from one tuple of names each.

The compiled kernels keep a run's state in one float64 vector ``S``, its hyperparameters in
``H``, and a batch block's quantities in one flat array (quantity k of run i at k·BLOCK + i).
Code indexes them by these names (``S[S_W1]``, ``b[B_X + i]``), never by bare numbers, so a
new quantity is one name here. Numba reads module-level integers as compile-time constants,
so the names cost nothing in the compiled loops. No numba here: the registries import it.
"""

from __future__ import annotations

#: One run's state vector S, in order. G/M are the second/first moments per weight (the
#: lecture's G and M); A is a rule's auxiliary state (g(t−1) for the lecture's momentum,
#: AMSGrad's max v, Adadelta's U); alpha_t, beta_t are αᵗ and βᵗ; mu_prod is
#: NAdam's ∏μ; t the steps taken; w, loss, g the current point, L(w) and ∇L(w).
STATE = (
    "G1", "G2", "M1", "M2", "A1", "A2",
    "alpha_t", "beta_t", "mu_prod", "t",
    "w1", "w2", "loss", "grad1", "grad2",
)  # fmt: skip

#: The hyperparameter vector H, in order: the names of ``engine.optimizers.HYPERPARAMETERS``.
HYPER = ("lr", "alpha", "beta", "eps", "weight_decay", "rho", "nu", "nu2", "momentum_decay", "mix")

#: Quantities of one run in a block of a batch, after the H entries (which come first, in
#: ``HYPER`` order): the current point and its L and gradient, the state, αᵗ, βᵗ, ∏μ, the
#: proposed point and its L and gradient, the rates, η at this step, and two lane fields of
#: the fast Adam path (status code, steps taken).
BLOCK_QUANTITIES = (
    *HYPER,
    "x", "y", "f", "gx", "gy",
    "G1", "G2", "M1", "M2", "A1", "A2",
    "alpha_t", "beta_t", "mu_prod",
    "xn", "yn", "fn", "gxn", "gyn",
    "l1", "l2", "lr_t", "lane", "taken",
)  # fmt: skip

#: Runs that step together in one block of a batch: the quantities a step touches fit in L1 and the
#: loops over them are what LLVM vectorises (256 measured faster than 128, whose per-step calls
#: cost more per run, and than 512, which spills out of L1).
BLOCK = 256

#: A data loss's parameter vector P (engine.data): this header, then the n inputs x, then the n
#: targets y. The moments give linear regression's full-data MSE and gradient in O(1) a step
#: (centred, so the loss near the minimum does not cancel catastrophically).
DATA = ("rows", "x_mean", "y_mean", "x_var", "xy_cov", "y_var")

#: A stochastic run's vector Z (engine._stochastic): its seed, batch size B (0 or ≥ rows = the full
#: batch), the rows of its data (0 for a formula loss) and σ of the Gaussian gradient noise.
STOCHASTIC = ("seed", "batch_size", "rows", "noise")

NSTATE = len(STATE)
NDATA = len(DATA)
NSTOCHASTIC = len(STOCHASTIC)
NHYPER = len(HYPER)
NBLOCK_QUANTITIES = len(BLOCK_QUANTITIES)


def _constants(prefix: str, names: tuple[str, ...], scale: int = 1) -> dict[str, int]:
    return {f"{prefix}{name.upper()}": i * scale for i, name in enumerate(names)}


# S_G1 = 0, S_G2 = 1, …, S_GRAD2 = 14; H_LR = 0, …; B_X = (index of "x")·BLOCK, …; D_ROWS = 0; Z_SEED = 0
_SLOTS = {
    **_constants("S_", STATE),
    **_constants("H_", HYPER),
    **_constants("B_", BLOCK_QUANTITIES, BLOCK),
    **_constants("D_", DATA),
    **_constants("Z_", STOCHASTIC),
}
assert len(_SLOTS) == NSTATE + NHYPER + NBLOCK_QUANTITIES + NDATA + NSTOCHASTIC, "two slots share a name"
globals().update(_SLOTS)
__all__ = [
    "BLOCK",
    "BLOCK_QUANTITIES",
    "DATA",
    "HYPER",
    "NBLOCK_QUANTITIES",
    "NDATA",
    "NHYPER",
    "NSTATE",
    "NSTOCHASTIC",
    "STATE",
    "STOCHASTIC",
    *_SLOTS,
]
