"""The optimizer registry: one entry per update rule, read by the CLI, the GUI, the docs and tests.

Adding an optimizer is one entry here (with its step-inspector lines, ``explain``, written with
``engine.step_lines``), one id in ``engine._ids``, one branch in ``engine._kernels._update`` and one
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
from engine.step_lines import Step, Weight, format_hyper, format_number, num, sup


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


# -- each rule's step-inspector lines (engine.explain puts them together) -----------------------
def _sgd_lines(c: Step, x: Weight) -> None:
    x.add(x.dws, f"−{x.E}·{x.gs} = −{x.e}·{num(x.g)}", x.dw, -c.eta_t * x.g, signed=True)


def _momentum_lecture_lines(c: Step, x: Weight) -> None:
    gp = c.rec("grad", x.i, c.row - 1)
    c.values[f"g{x.k}_prev"] = gp
    a, E = c.hyper["alpha"], x.E
    tail = f"{x.gs} + α·{x.sym('g', x.p)} = {format_number(x.g)} + {c.h('alpha')}·{num(gp)}"
    x.add(x.Ms, tail, x.M, x.g + a * gp)
    tail = f"−{E}·{x.gs} − α·{E}·{x.sym('g', x.p)} = −{E}·{x.Ms} = −{x.e}·{num(x.M)}"
    x.add(x.dws, tail, x.dw, -c.eta_t * x.M, signed=True)


def _heavy_ball_lines(c: Step, x: Weight) -> None:
    """Momentum and Nesterov (torch's form): M ← α·M + g."""
    a = c.hyper["alpha"]
    x.add(x.Ms, f"α·{x.Mps} + {x.gs} = {c.h('alpha')}·{num(x.Mp)} + {num(x.g)}", x.M, a * x.Mp + x.g)
    if c.opt.id == "momentum":
        x.add(x.dws, f"−{x.E}·{x.Ms} = −{x.e}·{num(x.M)}", x.dw, -c.eta_t * x.M, signed=True)
    else:
        tail = f"−{x.E}·({x.gs} + α·{x.Ms}) = −{x.e}·({format_number(x.g)} + {c.h('alpha')}·{num(x.M)})"
        x.add(x.dws, tail, x.dw, -c.eta_t * (x.g + a * x.M), signed=True)


def _qhm_lines(c: Step, x: Weight) -> None:
    x.add_M_ema()
    nu, g, M = c.hyper["nu"], x.g, x.M
    tail = (
        f"−{x.E}·((1−ν)·{x.gs} + ν·{x.Ms}) = "
        f"−{x.e}·({format_hyper(1.0 - nu)}·{num(g)} + {c.h('nu')}·{num(M)})"
    )
    x.add(x.dws, tail, x.dw, -c.eta_t * ((1.0 - nu) * g + nu * M), signed=True)


def _plain_adaptive_lines(c: Step, x: Weight) -> None:
    """AdaGrad, RMSprop and the lecture's Adam: the rate η/(√G+ε), no bias correction."""
    oid = c.opt.id
    if oid == "adam-lecture":
        x.add_M_ema()
    if oid == "adagrad":
        x.add(x.Gs, f"{x.Gps} + {x.gs}² = {num(x.Gp)} + {num(x.g)}²", x.G, x.Gp + x.g * x.g)
    else:
        x.add_G()
    root = math.sqrt(x.G)
    le = x.add_rate(x.Gs, x.G)
    top, top_v = (x.Ms, x.M) if oid == "adam-lecture" else (x.gs, x.g)
    tail = f"−{x.E}/(√{x.Gs}+ε)·{top} = −{x.e}/({format_number(root)} + {x.eps_txt})·{num(top_v)}"
    x.add(x.dws, tail, x.dw, -le * top_v, signed=True)


def _adam_lines(c: Step, x: Weight) -> None:
    """Adam, AdamW and NAdam: Δw = −η/(√Ĝ+ε)·M̂ (AdamW: − η·λ·w)."""
    x.add_M_ema()
    x.add_G()
    v, s, g, M, G = c.values, x.s, x.g, x.M, x.G
    if c.opt.id == "nadam":
        mu_t, mu_n, pt, pn = v["mu_t"], v["mu_next"], v["prod_t"], v["prod_next"]
        mh = mu_n * M / (1.0 - pn) + (1.0 - mu_t) * g / (1.0 - pt)
        gh = G / v["bc2"]
        mhs, ghs = x.sym("M̂"), x.sym("Ĝ")
        x.lines.append(
            f"{mhs} = μ({s + 1})·{x.Ms}/(1−∏μ({s + 1})) + (1−μ({s}))·{x.gs}/(1−∏μ({s})) = "
            f"{format_number(mu_n)}·{num(M)}/(1 − {format_number(pn)}) + "
            f"(1 − {format_number(mu_t)})·{num(g)}/(1 − {format_number(pt)}) = {format_number(mh)}"
        )
        x.lines.append(
            f"{ghs} = {x.Gs}/(1−β{sup(s)}) = {num(G)}/{format_number(v['bc2'])} = {format_number(gh)}"
        )
        v.update({f"m_hat{x.k}": mh, f"v_hat{x.k}": gh})
    else:
        mhs, mh, ghs, gh = x.add_hats()
    root = math.sqrt(gh)
    le = x.add_rate(ghs, gh)
    formula = f"−{x.E}/(√{ghs}+ε)·{mhs}"
    numbers = f"−{x.e}/({format_number(root)} + {x.eps_txt})·{num(mh)}"
    if c.opt.id == "adamw":
        lam = c.hyper["weight_decay"]
        formula += f" − {x.E}·λ·{x.sym('w', x.p)}"
        numbers += f" − {x.e}·{c.h('weight_decay')}·{num(x.wp)}"
        x.add(x.dws, f"{formula} = {numbers}", x.dw, -le * mh - c.eta_t * lam * x.wp, signed=True)
    else:
        x.add(x.dws, f"{formula} = {numbers}", x.dw, -le * mh, signed=True)


def _amsgrad_lines(c: Step, x: Weight) -> None:
    x.add_M_ema()
    x.add_G()
    mhs, mh, _ghs, _gh = x.add_hats()
    v, s, E, e, lr, G = c.values, x.s, x.E, x.e, x.lr, x.G
    eps = c.hyper["eps"]
    root = c.eta_t / lr - eps if lr else math.nan  # η(t) = 0: nothing to recover from
    gmax_hat = root * root
    gmax = gmax_hat * v["bc2"]
    v.update({f"sqrt_v_hat{x.k}": root, f"v_hat{x.k}": gmax_hat, f"G_max{x.k}": gmax})
    ghs = x.sym("Ĝmax")
    x.lines.append(
        f"√{ghs} = √({x.sym('Gmax')}/(1−β{sup(s)})) = {E}/{x.lrs} − ε = "
        f"{e}/{format_number(lr)} − {x.eps_txt} = {format_number(root)}"
    )
    if math.isnan(gmax):
        relation = msg("(cannot be recovered: {eta} = 0 at this step)", eta=E)
    elif abs(gmax - G) <= 1e-9 * max(abs(G), 1e-300):
        relation = msg("= {G}: this step's G is the largest so far", G=x.Gs)
    else:
        relation = msg(
            "> {G} = {value}: a larger G from an earlier step is remembered", G=x.Gs, value=format_number(G)
        )
    formula = (
        f"{x.sym('Gmax')} = {ghs}·(1−β{sup(s)}) = {format_number(gmax_hat)}·{format_number(v['bc2'])} = "
        f"{format_number(gmax)}"
    )
    x.lines.append(msg("{formula} {relation}", formula=formula, relation=relation))
    le = x.add_rate(ghs, gmax_hat)
    tail = f"−{E}/(√{ghs}+ε)·{mhs} = −{e}/({format_number(root)} + {x.eps_txt})·{num(mh)}"
    x.add(x.dws, tail, x.dw, -le * mh, signed=True)


def _qhadam_lines(c: Step, x: Weight) -> None:
    x.add_M_ema()
    x.add_G()
    mhs, mh, ghs, gh = x.add_hats()
    nu, nu2, eps, g = c.hyper["nu"], c.hyper["nu2"], c.hyper["eps"], x.g
    root = math.sqrt((1.0 - nu2) * g * g + nu2 * gh)
    le = c.eta_t / (root + eps)
    tail = (
        f"{x.E}/(√((1−ν₂)·{x.gs}² + ν₂·{ghs})+ε) = "
        f"{x.e}/(√({format_hyper(1.0 - nu2)}·{num(g)}² + {c.h('nu2')}·{format_number(gh)}) + {x.eps_txt})"
    )
    x.add(x.lrs, tail, x.lr, le)
    tail = (
        f"−{x.lrs}·((1−ν₁)·{x.gs} + ν₁·{mhs}) = "
        f"−{format_number(x.lr)}·({format_hyper(1.0 - nu)}·{num(g)} + {c.h('nu')}·{num(mh)})"
    )
    x.add(x.dws, tail, x.dw, -x.lr * ((1.0 - nu) * g + nu * mh), signed=True)


def _adadelta_lines(c: Step, x: Weight) -> None:
    x.add_G("rho")
    eps, lr, E, e = c.hyper["eps"], x.lr, x.E, x.e
    ratio = lr / c.eta_t if c.eta_t else math.nan  # η(t) = 0: nothing to recover from
    root_g = math.sqrt(x.G + eps)
    root_u = ratio * root_g
    delta = ratio * x.g
    c.values.update({f"ratio{x.k}": ratio, f"sqrt_U{x.k}_prev": root_u})
    us = f"√({x.sym('U', x.p)}+ε)"
    x.lines.append(
        f"{us} = {x.lrs}/{E}·√({x.Gs}+ε) = {format_number(lr)}/{e}·{format_number(root_g)} = "
        f"{format_number(root_u)}"
    )
    x.add(
        x.lrs,
        f"{E}·{us}/√({x.Gs}+ε) = {e}·{format_number(root_u)}/{format_number(root_g)}",
        lr,
        c.eta_t * (root_u / root_g) if c.eta_t else 0.0,
    )
    x.lines.append(
        f"{x.sym('Δ')} = {us}/√({x.Gs}+ε)·{x.gs} = "
        f"{format_number(root_u)}/{format_number(root_g)}·{num(x.g)} = {format_number(delta)}"
    )
    x.add(
        x.dws,
        f"−{E}·{x.sym('Δ')} = −{e}·{num(delta)}",
        x.dw,
        -c.eta_t * delta if c.eta_t else 0.0,
        signed=True,
    )


def _lion_lines(c: Step, x: Weight) -> None:
    """c = β₁·M(t−1) + (1−β₁)·g; Δw = −η·(sign(c) + λ·w(t−1)); then M ← α·M + (1−α)·g."""
    mix, lam, g = c.hyper["mix"], c.hyper["weight_decay"], x.g
    d = mix * x.Mp + (1.0 - mix) * g
    sign = 1.0 if d > 0 else -1.0 if d < 0 else 0.0
    cs = x.sym("c")
    c.values.update({f"c{x.k}": d, f"sign_c{x.k}": sign})
    x.lines.append(
        f"{cs} = β₁·{x.Mps} + (1−β₁)·{x.gs} = {c.h('mix')}·{num(x.Mp)} + {format_hyper(1.0 - mix)}·{num(g)}"
        f" = {format_number(d)}"
    )
    formula = f"−{x.E}·(sign({cs}) + λ·{x.sym('w', x.p)})"
    numbers = f"−{x.e}·({format_number(sign, signed=True)} + {c.h('weight_decay')}·{num(x.wp)})"
    x.add(x.dws, f"{formula} = {numbers}", x.dw, -c.eta_t * (sign + lam * x.wp), signed=True)
    x.add_M_ema()


def _radam_lines(c: Step, x: Weight) -> None:
    """M̂ as Adam's; while ρ(t) ≤ 5 the step is −η·M̂, then the rate is η·r(t)·√(1−βᵗ)/(√G+ε)."""
    x.add_M_ema()
    x.add_G()
    mhs, mh = x.add_m_hat()
    v, E, e = c.values, x.E, x.e
    if v["rho_t"] > 5.0:
        root = math.sqrt(x.G)
        sq = math.sqrt(v["bc2"])
        le = c.eta_t * v["rect"] * sq / (root + c.hyper["eps"]) if c.eta_t else 0.0
        tail = (
            f"{E}·r({x.s})·√(1−β{sup(x.s)})/(√{x.Gs}+ε) = "
            f"{e}·{format_number(v['rect'])}·{format_number(sq)}/({format_number(root)} + {x.eps_txt})"
        )
        x.add(x.lrs, tail, x.lr, le)
        x.add(x.dws, f"−{x.lrs}·{mhs} = −{format_number(x.lr)}·{num(mh)}", x.dw, -x.lr * mh, signed=True)
    else:
        x.add(x.lrs, E, x.lr, c.eta_t)
        x.add(x.dws, f"−{E}·{mhs} = −{e}·{num(mh)}", x.dw, -c.eta_t * mh, signed=True)


def _adamax_lines(c: Step, x: Weight) -> None:
    """G ← max(β·G, |g|+ε), the rate η/G applied to M̂ = M/(1−αᵗ)."""
    x.add_M_ema()
    b, eps, g = c.hyper["beta"], c.hyper["eps"], x.g
    tail = (
        f"max(β·{x.Gps}, |{x.gs}|+ε) = max({c.h('beta')}·{num(x.Gp)}, {format_number(abs(g))} + {x.eps_txt})"
    )
    x.add(x.Gs, tail, x.G, max(b * x.Gp, abs(g) + eps))
    mhs, mh = x.add_m_hat()
    x.add(x.lrs, f"{x.E}/{x.Gs} = {x.e}/{format_number(x.G)}", x.lr, c.eta_t / x.G if x.G else math.inf)
    x.add(x.dws, f"−{x.lrs}·{mhs} = −{format_number(x.lr)}·{num(mh)}", x.dw, -x.lr * mh, signed=True)


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
    #: The step inspector's lines for one weight: the rule with the recorded numbers filled in.
    explain: Callable[[Step, Weight], None] | None = None
    hyper: tuple[Hyperparameter, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hyper", tuple(HYPERPARAMETERS[n] for n in self.defaults))
        if not callable(self.explain):
            raise TypeError(f"optimizer {self.id!r} has no step-inspector lines (explain=…)")

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
            explain=_sgd_lines,
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
            explain=_momentum_lecture_lines,
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
            explain=_heavy_ball_lines,
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
            explain=_heavy_ball_lines,
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
            explain=_plain_adaptive_lines,
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
            explain=_plain_adaptive_lines,
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
            explain=_plain_adaptive_lines,
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
            explain=_adam_lines,
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
            explain=_amsgrad_lines,
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
            explain=_adam_lines,
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
            explain=_adam_lines,
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
            explain=_adadelta_lines,
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
            explain=_qhm_lines,
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
            explain=_qhadam_lines,
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
            explain=_lion_lines,
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
            explain=_radam_lines,
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
            explain=_adamax_lines,
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
