"""The optimizer registry: one entry per update rule, read by the CLI, the GUI, the docs and tests.

Adding an optimizer is one entry here plus one branch in ``engine._kernels._coord``.
Notation follows the lecture: g = ∂L/∂w at the current point, G and M start at 0,
ε is added outside the square root, t counts from 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from engine import _ids as K
from engine.messages import msg
from engine.state import HYPER


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
EPS = Hyperparameter("eps", "ε", "added to √G to avoid division by 0", 0.0, 1.0, low_closed=True)
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

HYPERPARAMETERS: dict[str, Hyperparameter] = {
    h.name: h for h in (LR, ALPHA, BETA, EPS, WEIGHT_DECAY, RHO, NU, NU2, MOMENTUM_DECAY)
}
#: Position of each hyperparameter in the kernels' H vector (``engine.state.HYPER``).
HYPER_INDEX = {name: i for i, name in enumerate(HYPER)}
assert tuple(HYPERPARAMETERS) == HYPER, "engine.state.HYPER must list HYPERPARAMETERS in order"


@dataclass(frozen=True)
class Optimizer:
    """One update rule: what the learner reads (formula) and what the kernel needs (defaults)."""

    id: str
    kernel_id: int
    title: str
    formula: str
    defaults: Mapping[str, float]
    reference: str = ""
    #: What the recorded M means for this rule (empty: M stays 0).
    m_meaning: str = ""
    #: What the recorded G means for this rule (empty: G stays 0).
    g_meaning: str = ""
    notes: str = ""
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
            reference="the lecture",
        ),
        Optimizer(
            "momentum-lecture",
            K.MOMENTUM_LECTURE,
            "Momentum (lecture)",
            "w(t+1) = w(t) − η·g(t) − α·η·g(t−1),  g(0) = 0",
            {"lr": 0.02, "alpha": 0.9},
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
            reference="torch.optim.SGD(momentum=α, nesterov=True)",
            m_meaning="velocity M ← α·M + g",
        ),
        Optimizer(
            "adagrad",
            K.ADAGRAD,
            "AdaGrad",
            "G ← G + g²;  Δw = −η/(√G+ε)·g",
            {"lr": 0.3, "eps": 1e-8},
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
            reference="torch.optim.NAdam",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
        ),
        Optimizer(
            "adadelta",
            K.ADADELTA,
            "Adadelta",
            "G ← ρ·G + (1−ρ)·g²;  Δ = √(U+ε)/√(G+ε)·g;  U ← ρ·U + (1−ρ)·Δ²;  Δw = −η·Δ",
            {"lr": 3.0, "rho": 0.9, "eps": 1e-6},
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
            reference="Ma & Yarats, ICLR 2019 (their β is our α)",
            m_meaning=_ADAM_M,
        ),
        Optimizer(
            "qhadam",
            K.QHADAM,
            "QHAdam",
            "Δw = −η·((1−ν₁)·g + ν₁·M̂)/(√((1−ν₂)·g² + ν₂·Ĝ)+ε)",
            {"lr": 0.05, "alpha": 0.9, "beta": 0.999, "eps": 1e-8, "nu": 0.7, "nu2": 1.0},
            reference="Ma & Yarats, ICLR 2019",
            m_meaning=_ADAM_M,
            g_meaning=_ADAM_G,
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
