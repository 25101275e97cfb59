"""The optimizer registry: one entry per update rule, read by the CLI, the GUI, the docs and tests.

Adding an optimizer is one entry here, one id in ``engine._ids``, one branch in
``engine._kernels._update``, its step-inspector lines in ``engine.explain.RULE_LINES`` and one
reference in tests/engine/test_optimizers.py (README, "Adding an optimizer");
tests/test_registry.py fails until every place that lists optimizers knows the new one.
Notation follows the lecture: g = ∂L/∂w at the current point, G and M start at 0,
ε is added outside the square root, t counts from 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from engine import _ids as K
from engine.messages import msg
from engine.state import HYPER, S_MU_PROD


@dataclass(frozen=True)
class Hyperparameter:
    """A tunable number with its allowed range; ``low``/``high`` are open unless ``*_closed``."""

    name: str
    symbol: str
    description: str
    low: float
    high: float
    low_closed: bool = False
    high_closed: bool = False
    log_scale: bool = False

    def range_text(self) -> str:
        lo = "[" if self.low_closed else "("
        hi = "]" if self.high_closed else ")"
        high = "∞" if math.isinf(self.high) else f"{self.high:g}"
        return f"{lo}{self.low:g}, {high}{hi}"

    def check(self, value: float) -> None:
        """Raise ValueError naming the parameter and its allowed range."""
        ok = isinstance(value, int | float) and math.isfinite(value)
        if ok:
            ok = (value >= self.low if self.low_closed else value > self.low) and (
                value <= self.high if self.high_closed else value < self.high
            )
        if not ok:
            raise ValueError(
                msg(
                    "{name} = {value} is out of range: {symbol} must be in {range}",
                    name=self.name,
                    value=repr(value),
                    symbol=self.symbol,
                    range=self.range_text(),
                )
            )


LR = Hyperparameter("lr", "η", "learning rate", 0.0, math.inf, log_scale=True)
ALPHA = Hyperparameter("alpha", "α", "momentum / first-moment decay", 0.0, 1.0, low_closed=True)
BETA = Hyperparameter("beta", "β", "second-moment (G) decay", 0.0, 1.0, low_closed=True)
# ε = 0 gave 0/0 = NaN for a weight whose G and g are both 0 (a fine run "diverged at step 1"), and
# an ε below ~1e-307 an infinite rate η/ε there: from 1e-300 the rate stays finite for η up to 1e8
EPS = Hyperparameter("eps", "ε", "added to √G to avoid division by 0", 1e-300, 1.0, low_closed=True)
WEIGHT_DECAY = Hyperparameter("weight_decay", "λ", "decoupled weight decay", 0.0, 1.0, low_closed=True)
RHO = Hyperparameter("rho", "ρ", "Adadelta's decay of G and of Δ²", 0.0, 1.0, low_closed=True)
NU = Hyperparameter(
    "nu", "ν", "weight of the momentum term (ν₁)", 0.0, 1.0, low_closed=True, high_closed=True
)
NU2 = Hyperparameter(
    "nu2", "ν₂", "weight of v̂ in QHAdam's denominator", 0.0, 1.0, low_closed=True, high_closed=True
)
MOMENTUM_DECAY = Hyperparameter(
    "momentum_decay", "ψ", "NAdam's momentum decay", 0.0, math.inf, low_closed=True
)
MIX = Hyperparameter("mix", "β₁", "Lion's weight of M in the direction c", 0.0, 1.0, low_closed=True)

HYPERPARAMETERS: dict[str, Hyperparameter] = {
    h.name: h for h in (LR, ALPHA, BETA, EPS, WEIGHT_DECAY, RHO, NU, NU2, MOMENTUM_DECAY, MIX)
}
#: Position of each hyperparameter in the kernels' H vector (``engine.state.HYPER``).
HYPER_INDEX = {name: i for i, name in enumerate(HYPER)}
assert tuple(HYPERPARAMETERS) == HYPER, "engine.state.HYPER must list HYPERPARAMETERS in order"


#: ``state_hook(old, new, t, S)``: bring state that depends on the settings up to date when they
#: change mid-run (in place, as if the new values had been used from step 1).
StateHook = Callable[[Mapping[str, float], Mapping[str, float], int, np.ndarray], None]


def _nadam_state(old: Mapping[str, float], new: Mapping[str, float], t: int, S: np.ndarray) -> None:
    """NAdam's ∏_{i≤t} μ_i with μ_i = α·(1 − ½·0.96^(iψ)) for the new α and ψ."""
    if new["alpha"] == old.get("alpha") and new["momentum_decay"] == old.get("momentum_decay"):
        return
    i = np.arange(1, t + 1, dtype=np.float64)
    mu = new["alpha"] * (1.0 - 0.5 * 0.96 ** (i * new["momentum_decay"]))
    S[S_MU_PROD] = float(np.prod(mu)) if t else 1.0


@dataclass(frozen=True)
class Optimizer:
    """One update rule: what the learner reads (formula), what the kernel needs (defaults), its colour."""

    id: str
    kernel_id: int
    title: str
    formula: str
    defaults: Mapping[str, float]
    #: The racer's colour (contour, panels, legend): Okabe–Ito first, then darker extras that read on
    #: the pale surface map (gui.theme). Each optimizer has its own.
    color: str
    reference: str = ""
    #: What the recorded M means for this rule (empty: M stays 0).
    m_meaning: str = ""
    #: What the recorded G means for this rule (empty: G stays 0).
    g_meaning: str = ""
    notes: str = ""
    state_hook: StateHook | None = None
    hyper: tuple[Hyperparameter, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hyper", tuple(HYPERPARAMETERS[n] for n in self.defaults))

    @property
    def adaptive(self) -> bool:
        """True when each weight gets its own rate η/(√G+ε)."""
        return bool(self.g_meaning)


_ADAM_G = "G ← β·G + (1−β)·g²"
_ADAM_M = "M ← α·M + (1−α)·g"

OPTIMIZERS: dict[str, Optimizer] = {
    o.id: o
    for o in (
        Optimizer(
            "sgd",
            K.SGD,
            "SGD",
            "Δw = −η·g",
            {"lr": 0.05},
            color="#000000",
            reference="the lecture",
        ),
        Optimizer(
            "momentum-lecture",
            K.MOMENTUM_LECTURE,
            "Momentum (lecture)",
            "w(t+1) = w(t) − η·g(t) − α·η·g(t−1),  g(0) = 0",
            {"lr": 0.02, "alpha": 0.9},
            color="#56B4E9",
            reference="the lecture",
            m_meaning="M = g(t) + α·g(t−1), so Δw = −η·M",
            notes="Remembers only the previous gradient.",
        ),
        Optimizer(
            "momentum",
            K.MOMENTUM,
            "Momentum (heavy ball)",
            "M ← α·M + g;  Δw = −η·M",
            {"lr": 0.01, "alpha": 0.9},
            color="#009E73",
            reference="torch.optim.SGD(momentum=α, dampening=0)",
            m_meaning="velocity M ← α·M + g",
            notes="Remembers every past gradient, geometrically fading.",
        ),
        Optimizer(
            "nesterov",
            K.NESTEROV,
            "Nesterov momentum",
            "M ← α·M + g;  Δw = −η·(g + α·M)",
            {"lr": 0.01, "alpha": 0.9},
            color="#1B7837",
            reference="torch.optim.SGD(momentum=α, nesterov=True)",
            m_meaning="velocity M ← α·M + g",
        ),
        Optimizer(
            "adagrad",
            K.ADAGRAD,
            "AdaGrad",
            "G ← G + g²;  Δw = −η/(√G+ε)·g",
            {"lr": 0.3, "eps": 1e-8},
            color="#E69F00",
            reference="the lecture; torch.optim.Adagrad(lr_decay=0)",
            g_meaning="G ← G + g² (only grows)",
            notes="G only grows, so each weight's rate only shrinks.",
        ),
        Optimizer(
            "rmsprop",
            K.RMSPROP,
            "RMSprop",
            "G ← β·G + (1−β)·g²;  Δw = −η/(√G+ε)·g",
            {"lr": 0.02, "beta": 0.9, "eps": 1e-8},
            color="#0072B2",
            reference="the lecture; torch.optim.RMSprop(alpha=β)",
            g_meaning=_ADAM_G + " (forgets)",
            notes="G forgets old gradients, so a rate can grow again.",
        ),
        Optimizer(
            "adam-lecture",
            K.ADAM_LECTURE,
            "Adam (lecture)",
            _ADAM_M + ";  " + _ADAM_G + ";  Δw = −η/(√G+ε)·M",
            {"lr": 0.01, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            color="#CC79A7",
            reference="the lecture (no bias correction)",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
            notes="Without bias correction the first steps are about 3× larger (β = 0.999).",
        ),
        Optimizer(
            "adam",
            K.ADAM,
            "Adam",
            _ADAM_M + ";  " + _ADAM_G + ";  M̂ = M/(1−αᵗ), Ĝ = G/(1−βᵗ);  Δw = −η/(√Ĝ+ε)·M̂",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            color="#D55E00",
            reference="Kingma & Ba 2015; torch.optim.Adam",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "amsgrad",
            K.AMSGRAD,
            "AMSGrad",
            _ADAM_M + ";  " + _ADAM_G + ";  G_max ← max(G_max, G);  Δw = −η/(√(G_max/(1−βᵗ))+ε)·M/(1−αᵗ)",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            color="#B2182B",
            reference="torch.optim.Adam(amsgrad=True)",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "adamw",
            K.ADAMW,
            "AdamW",
            "w ← w − η·λ·w;  then Adam",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8, "weight_decay": 0.01},
            color="#8C510A",
            reference="torch.optim.AdamW",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "nadam",
            K.NADAM,
            "NAdam",
            "μ_t = α·(1 − ½·0.96^(tψ));  M̂ = μ_{t+1}·M/(1−∏μ) + (1−μ_t)·g/(1−∏μ);  Δw = −η/(√Ĝ+ε)·M̂",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8, "momentum_decay": 4e-3},
            color="#5E3C99",
            reference="torch.optim.NAdam",
            state_hook=_nadam_state,
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "adadelta",
            K.ADADELTA,
            "Adadelta",
            "G ← ρ·G + (1−ρ)·g²;  Δ = √(U+ε)/√(G+ε)·g;  U ← ρ·U + (1−ρ)·Δ²;  Δw = −η·Δ",
            {"lr": 3.0, "rho": 0.9, "eps": 1e-6},
            color="#4D4D4D",
            reference="torch.optim.Adadelta",
            g_meaning="G ← ρ·G + (1−ρ)·g²",
            notes="The effective rate is η·√(U+ε)/√(G+ε).",
        ),
        Optimizer(
            "qhm",
            K.QHM,
            "QHM",
            "M ← α·M + (1−α)·g;  Δw = −η·((1−ν)·g + ν·M)",
            {"lr": 0.1, "alpha": 0.999, "nu": 0.7},
            color="#01665E",
            reference="Ma & Yarats, ICLR 2019 (their β is our α)",
            m_meaning=_ADAM_M,
        ),
        Optimizer(
            "qhadam",
            K.QHADAM,
            "QHAdam",
            "Δw = −η·((1−ν₁)·g + ν₁·M̂)/(√((1−ν₂)·g² + ν₂·Ĝ)+ε)",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8, "nu": 0.7, "nu2": 1.0},
            color="#C51B7D",
            reference="Ma & Yarats, ICLR 2019",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "lion",
            K.LION,
            "Lion",
            "c = β₁·M + (1−β₁)·g;  Δw = −η·(sign(c) + λ·w);  then M ← α·M + (1−α)·g",
            {"lr": 0.02, "alpha": 0.99, "mix": 0.9, "weight_decay": 0.0},
            color="#7F7F00",
            reference="Chen et al. 2023, Algorithm 2 (their β₂ is our α)",
            m_meaning="M ← α·M + (1−α)·g, after the step",
            notes="Every weight moves by exactly η (plus decay): only the sign of c is used.",
        ),
        Optimizer(
            "radam",
            K.RADAM,
            "RAdam",
            _ADAM_M
            + ";  "
            + _ADAM_G
            + ";  ρ(t) = ρ∞ − 2t·βᵗ/(1−βᵗ);  ρ(t) > 5: Δw = −η·r(t)·√(1−βᵗ)/(√G+ε)·M̂, else Δw = −η·M̂",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            color="#3B4CC0",
            reference="Liu et al. 2020; torch.optim.RAdam",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
            notes="Plain momentum for the first steps, until G has seen enough gradients to be trusted.",
        ),
        Optimizer(
            "adamax",
            K.ADAMAX,
            "Adamax",
            _ADAM_M + ";  G ← max(β·G, |g|+ε);  Δw = −η/G·M/(1−αᵗ)",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8},
            color="#A6611A",
            reference="Kingma & Ba 2015; torch.optim.Adamax",
            m_meaning=_ADAM_M,
            g_meaning="G ← max(β·G, |g|+ε) (a decaying largest |g|)",
        ),
    )
}

assert [o.kernel_id for o in OPTIMIZERS.values()] == list(range(len(OPTIMIZERS)))


def get_optimizer(name: str) -> Optimizer:
    """Look an optimizer up by id, with a message listing the ids that exist."""
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(
            msg(
                "unknown optimizer {name}; choose one of: {choices}",
                name=repr(name),
                choices=", ".join(OPTIMIZERS),
            )
        ) from None


def resolve_hyperparameters(optimizer: Optimizer, overrides: Mapping[str, float]) -> dict[str, float]:
    """The optimizer's defaults with overrides applied; unknown names and bad values raise."""
    values = dict(optimizer.defaults)
    for name, value in overrides.items():
        if name not in values:
            allowed = ", ".join(values)
            raise ValueError(
                msg(
                    "{optimizer} has no hyperparameter {name}; it takes: {allowed}",
                    optimizer=optimizer.id,
                    name=repr(name),
                    allowed=allowed,
                )
            )
        values[name] = float(value)
    for name, value in values.items():
        HYPERPARAMETERS[name].check(value)
    return values
