"""The step inspector's text: one recorded step with its numbers substituted into the update rule.

A learner hovering step 12 of AdaGrad should read, for each weight,
``G₁(12) = G₁(11) + g₁(12)² = 3.402 + (−0.5170)² = 3.669`` and
``Δw₁(12) = −η/(√G₁(12)+ε)·g₁(12) = −0.1/(1.915 + 1e−08)·(−0.5170) = +0.02700``, in the
lecture's notation, plus one sentence on what changed most since step 11.

Every result shown (G(t), M(t), lr(t), Δw(t), w(t)) is the engine's recorded value of row t,
and every input is a recorded value of row t or t−1 or a hyperparameter. Display-only
intermediates (√G, the bias corrections 1−αᵗ, η_t from the schedule, NAdam's μ) are computed
here the way the kernel computes them. The rule is re-evaluated on the shown inputs; if that
does not reproduce the record (e.g. a hyperparameter was changed after this step), a note says so.
State the engine does not record (AMSGrad's G_max, Adadelta's U) is recovered from the recorded
rate lr(t) and labelled as such.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from engine.messages import join_and, msg
from engine.optimizers import Optimizer, get_optimizer, resolve_hyperparameters
from engine.record import FIELDS, NAMES
from engine.schedules import Schedule
from engine.trajectory import RecordedRows

__all__ = [
    "RecordedRows",
    "StepExplanation",
    "StepRows",
    "VecRows",
    "explain_step",
    "format_number",
    "rows_of",
]

_SUB = ("₁", "₂")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MINUS = "−"
#: Relative mismatch above which the shown formula is reported as not reproducing the record.
_CHECK_RTOL = 1e-9
#: Beyond this many steps the bias powers use pow() instead of the kernel's repeated product.
_MAX_PRODUCT_STEPS = 1_000_000

_BIAS_CORRECTED = ("adam", "amsgrad", "adamw", "qhadam", "radam")


# -- rows ---------------------------------------------------------------------------------------
class StepRows(Protocol):
    """The recorded arrays of one run: a ``Trajectory``, a ``Chunk`` or ``RecordedRows``."""

    @property
    def step(self) -> np.ndarray: ...
    @property
    def w(self) -> np.ndarray: ...
    @property
    def loss(self) -> np.ndarray: ...
    @property
    def grad(self) -> np.ndarray: ...
    @property
    def G(self) -> np.ndarray: ...
    @property
    def M(self) -> np.ndarray: ...
    @property
    def lr(self) -> np.ndarray: ...
    @property
    def dw(self) -> np.ndarray: ...


class VecRows(Protocol):
    """Rows kept as ``step``, ``loss`` and ``vec(name)`` (the GUI's ``RacerHistory``)."""

    @property
    def step(self) -> np.ndarray: ...
    @property
    def loss(self) -> np.ndarray: ...
    def vec(self, name: str) -> np.ndarray: ...


def rows_of(history: VecRows) -> RecordedRows:
    """``StepRows`` from a history that keeps its vectors together (adapted without importing the GUI)."""
    vec: Callable[[str], np.ndarray] = history.vec
    arrays = {f.name: vec(f.name) if f.per_weight else history.loss for f in FIELDS}
    return RecordedRows(history.step, **arrays)


@dataclass
class StepExplanation:
    """What the inspector shows for one row: the filled-in rule per weight and one summary sentence.

    ``shared_lines`` hold what both weights use (η(t) from a schedule, 1−αᵗ, NAdam's μ);
    ``notes`` say what could not be shown from the record or did not match it; ``values``
    holds every number used, at full precision, keyed ``g1``, ``G1_prev``, ``G1``, ``lr1``,
    ``dw1``, ``w1_prev``, …, ``eta_t``, ``bc1``, ``bc2`` (for tests and for the GUI's plots).
    """

    title: str
    lines_by_weight: list[list[str]]
    summary: str
    values: dict[str, float]
    shared_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    step: int = 0
    row: int = 0

    def text(self) -> str:
        """Everything as plain text, in reading order."""
        parts = [self.title, *self.shared_lines]
        for lines in self.lines_by_weight:
            parts += ["", *lines]
        parts += ["", self.summary, *self.notes]
        return "\n".join(parts)


# -- number formatting -----------------------------------------------------------------------------
def _unicode(text: str) -> str:
    mant, e, exp = text.partition("e")
    mant = mant.replace("-", _MINUS)
    if e:
        exp = exp.replace("-", _MINUS)
    return mant + e + exp


def format_number(x: float, *, signed: bool = False) -> str:
    """A recorded value to 4 significant digits, Unicode minus, ``1.234e−05`` when tiny.

    Trailing zeros are kept (``0.02700``) so the precision shown is visible; ``signed``
    puts an explicit ``+`` on positive numbers, as on Δw.
    """
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return (_MINUS if x < 0 else "+" if signed else "") + "∞"
    if x == 0:
        return "0"
    mant, e, exp = f"{x:#.4g}".partition("e")
    text = _unicode(mant.rstrip(".") + e + exp)
    return "+" + text if signed and x > 0 else text


def format_hyper(x: float) -> str:
    """A hyperparameter as typed: shortest form up to 6 digits (``0.1``, ``1e−08``)."""
    return _unicode(f"{float(x):.6g}")


def _par(text: str) -> str:
    """Parenthesise a negative operand: ``(−0.5170)``."""
    return f"({text})" if text.startswith(_MINUS) else text


def _num(x: float) -> str:
    return _par(format_number(x))


def _sup(n: int) -> str:
    return str(n).translate(_SUP)


# -- the kernel's display-only quantities ---------------------------------------------------------
def _bias_power(base: float, t: int) -> float:
    """baseᵗ exactly as ``_kernels._power_step`` builds it: a repeated product, flushed below 1e-30."""
    if t > _MAX_PRODUCT_STEPS:
        return base**t
    p = 1.0
    for _ in range(t):
        p = p * base
        if not p > 1e-30:
            return 0.0
    return p


def _nadam_mu(alpha: float, psi: float, t: int) -> float:
    return alpha * (1.0 - 0.5 * 0.96 ** (t * psi))


def _nadam_product(alpha: float, psi: float, t: int) -> float:
    """∏_{k≤t} μ_k, as the kernel accumulates it (flushed below 1e-30)."""
    p = 1.0
    for k in range(1, t + 1):
        p = p * _nadam_mu(alpha, psi, k)
        if not p > 1e-30:
            return 0.0
    return p


def _schedule_line(sched: Schedule, eta: float, s: int, eta_t: float) -> str:
    """``η(12) = η·γ^(t−1) = 0.1·0.99^11 = 0.08953``."""
    p = sched.params
    h = format_hyper
    e = h(eta)
    if sched.kind == "step":
        k = int(p["size"])
        numbers = f"{e}·{h(p['gamma'])}^⌊{s - 1}/{k}⌋"
    elif sched.kind == "exponential":
        numbers = f"{e}·{h(p['gamma'])}^{s - 1}"
    elif sched.kind == "inverse":
        numbers = f"{e}/(1 + {h(p['decay'])}·{s - 1})"
    elif sched.kind == "cosine":
        big_t = int(p["T"])
        numbers = f"{h(p['min'])} + ({e} − {h(p['min'])})·(1+cos(π·{min(s - 1, big_t)}/{big_t}))/2"
    elif sched.kind == "cosine_annealing":
        numbers = f"{h(p['min'])} + ({e} − {h(p['min'])})·(1+cos(π·{s - 1}/{int(p['T'])}))/2"
    else:  # warmup
        w = int(p["steps"])
        numbers = f"{e}·{min(s, w)}/{w}"
    formula = sched.formula.split(" = ", 1)[1]
    return f"η({s}) = {formula} = {numbers} = {format_number(eta_t)}"


# -- one step --------------------------------------------------------------------------------------
@dataclass
class _Step:
    """What every weight's lines share: the step, the hyperparameters, η(t) and the bias terms."""

    opt: Optimizer
    hyper: dict[str, float]
    arrays: dict[str, np.ndarray]
    row: int
    s: int
    eta_t: float
    eta_sym: str
    eta_txt: str
    values: dict[str, float]
    mismatches: list[str] = field(default_factory=list)

    def h(self, name: str) -> str:
        return format_hyper(self.hyper[name])

    def rec(self, name: str, i: int, row: int | None = None) -> float:
        return float(self.arrays[name][self.row if row is None else row, i])

    def check(self, label: str, shown: float, recorded: float) -> None:
        """Note when the rule on the shown inputs does not give the recorded result."""
        if not abs(shown - recorded) <= _CHECK_RTOL * max(abs(shown), abs(recorded)):
            self.mismatches.append(
                msg(
                    "{label}: the formula gives {shown} but the engine recorded {recorded}",
                    label=label,
                    shown=format_number(shown),
                    recorded=format_number(recorded),
                )
            )


def _ema(
    c: _Step, sym: str, sym_prev: str, decay: str, prev: float, g: float, squared: bool
) -> tuple[str, float]:
    """``G₁(12) = β·G₁(11) + (1−β)·g₁(12)²`` with its numbers; returns (line tail, recomputed)."""
    d = c.hyper[decay]
    dsym = {"alpha": "α", "beta": "β", "rho": "ρ"}[decay]
    gs = sym + ("²" if squared else "")
    gn = _num(g) + ("²" if squared else "")
    value = d * prev + (1.0 - d) * g * g if squared else d * prev + (1.0 - d) * g
    tail = f"{dsym}·{sym_prev} + (1−{dsym})·{gs} = {c.h(decay)}·{_num(prev)} + {format_hyper(1.0 - d)}·{gn}"
    return tail, value


@dataclass
class _Weight:
    """One weight's recorded numbers at row t and t−1, their symbols, and the lines built so far."""

    c: _Step
    i: int
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        c, i = self.c, self.i
        self.k, self.sb, self.s, self.p = str(i + 1), _SUB[i], c.s, c.s - 1
        self.g, self.lr, self.dw = c.rec("grad", i), c.rec("lr", i), c.rec("dw", i)
        self.G, self.Gp = c.rec("G", i), c.rec("G", i, c.row - 1)
        self.M, self.Mp = c.rec("M", i), c.rec("M", i, c.row - 1)
        self.w, self.wp = c.rec("w", i), c.rec("w", i, c.row - 1)
        k, v = self.k, c.values
        v.update(
            {f"g{k}": self.g, f"lr{k}": self.lr, f"dw{k}": self.dw, f"w{k}": self.w, f"w{k}_prev": self.wp}
        )
        if c.opt.g_meaning:
            v.update({f"G{k}": self.G, f"G{k}_prev": self.Gp})
        if c.opt.m_meaning:
            v.update({f"M{k}": self.M, f"M{k}_prev": self.Mp})
        p = self.p
        self.gs, self.Gs, self.Gps = self.sym("g"), self.sym("G"), self.sym("G", p)
        self.Ms, self.Mps, self.lrs, self.dws = (
            self.sym("M"),
            self.sym("M", p),
            self.sym("lr"),
            self.sym("Δw"),
        )
        self.E, self.e = c.eta_sym, c.eta_txt
        self.eps_txt = c.h("eps") if "eps" in c.hyper else ""

    def sym(self, name: str, step: int | None = None) -> str:
        return f"{name}{self.sb}({self.s if step is None else step})"

    def add(self, symbol: str, tail: str, result: float, recomputed: float, *, signed: bool = False) -> None:
        self.lines.append(f"{symbol} = {tail} = {format_number(result, signed=signed)}")
        self.c.check(symbol, recomputed, result)

    def add_G(self, decay: str = "beta") -> None:
        tail, value = _ema(self.c, self.gs, self.Gps, decay, self.Gp, self.g, True)
        self.add(self.Gs, tail, self.G, value)

    def add_M_ema(self) -> None:
        tail, value = _ema(self.c, self.gs, self.Mps, "alpha", self.Mp, self.g, False)
        self.add(self.Ms, tail, self.M, value)

    def add_hats(self) -> tuple[str, float, str, float]:
        """M̂ and Ĝ lines of the bias-corrected family; returns their symbols and values."""
        v, s = self.c.values, self.s
        bc1, bc2 = v["bc1"], v["bc2"]
        mh, gh = self.M / bc1, self.G / bc2
        mhs, ghs = self.sym("M̂"), self.sym("Ĝ")
        self.lines.append(
            f"{mhs} = {self.Ms}/(1−α{_sup(s)}) = {_num(self.M)}/{format_number(bc1)} = {format_number(mh)}"
        )
        self.lines.append(
            f"{ghs} = {self.Gs}/(1−β{_sup(s)}) = {_num(self.G)}/{format_number(bc2)} = {format_number(gh)}"
        )
        v.update({f"m_hat{self.k}": mh, f"v_hat{self.k}": gh})
        return mhs, mh, ghs, gh

    def add_m_hat(self) -> tuple[str, float]:
        """M̂ = M/(1−αᵗ) alone (rules whose denominator is not Ĝ)."""
        v, s = self.c.values, self.s
        mh, mhs = self.M / v["bc1"], self.sym("M̂")
        self.lines.append(
            f"{mhs} = {self.Ms}/(1−α{_sup(s)}) = {_num(self.M)}/{format_number(v['bc1'])} = "
            f"{format_number(mh)}"
        )
        v[f"m_hat{self.k}"] = mh
        return mhs, mh

    def add_rate(self, ghs: str, gh: float) -> float:
        """lr = η/(√X+ε), X = G or Ĝ; returns the recomputed rate."""
        c = self.c
        root = math.sqrt(gh)
        le = c.eta_t / (root + c.hyper["eps"]) if c.eta_t else 0.0
        self.add(
            self.lrs, f"{self.E}/(√{ghs}+ε) = {self.e}/({format_number(root)} + {self.eps_txt})", self.lr, le
        )
        return le

    def add_w(self) -> None:
        x = self
        x.add(
            x.sym("w"),
            f"{x.sym('w', x.p)} + {x.dws} = {format_number(x.wp)} + {_num(x.dw)}",
            x.w,
            x.wp + x.dw,
        )


def _sgd_lines(c: _Step, x: _Weight) -> None:
    x.add(x.dws, f"−{x.E}·{x.gs} = −{x.e}·{_num(x.g)}", x.dw, -c.eta_t * x.g, signed=True)


def _momentum_lecture_lines(c: _Step, x: _Weight) -> None:
    gp = c.rec("grad", x.i, c.row - 1)
    c.values[f"g{x.k}_prev"] = gp
    a, E = c.hyper["alpha"], x.E
    tail = f"{x.gs} + α·{x.sym('g', x.p)} = {format_number(x.g)} + {c.h('alpha')}·{_num(gp)}"
    x.add(x.Ms, tail, x.M, x.g + a * gp)
    tail = f"−{E}·{x.gs} − α·{E}·{x.sym('g', x.p)} = −{E}·{x.Ms} = −{x.e}·{_num(x.M)}"
    x.add(x.dws, tail, x.dw, -c.eta_t * x.M, signed=True)


def _heavy_ball_lines(c: _Step, x: _Weight) -> None:
    """Momentum and Nesterov (torch's form): M ← α·M + g."""
    a = c.hyper["alpha"]
    x.add(x.Ms, f"α·{x.Mps} + {x.gs} = {c.h('alpha')}·{_num(x.Mp)} + {_num(x.g)}", x.M, a * x.Mp + x.g)
    if c.opt.id == "momentum":
        x.add(x.dws, f"−{x.E}·{x.Ms} = −{x.e}·{_num(x.M)}", x.dw, -c.eta_t * x.M, signed=True)
    else:
        tail = f"−{x.E}·({x.gs} + α·{x.Ms}) = −{x.e}·({format_number(x.g)} + {c.h('alpha')}·{_num(x.M)})"
        x.add(x.dws, tail, x.dw, -c.eta_t * (x.g + a * x.M), signed=True)


def _qhm_lines(c: _Step, x: _Weight) -> None:
    x.add_M_ema()
    nu, g, M = c.hyper["nu"], x.g, x.M
    tail = (
        f"−{x.E}·((1−ν)·{x.gs} + ν·{x.Ms}) = "
        f"−{x.e}·({format_hyper(1.0 - nu)}·{_num(g)} + {c.h('nu')}·{_num(M)})"
    )
    x.add(x.dws, tail, x.dw, -c.eta_t * ((1.0 - nu) * g + nu * M), signed=True)


def _plain_adaptive_lines(c: _Step, x: _Weight) -> None:
    """AdaGrad, RMSprop and the lecture's Adam: the rate η/(√G+ε), no bias correction."""
    oid = c.opt.id
    if oid == "adam-lecture":
        x.add_M_ema()
    if oid == "adagrad":
        x.add(x.Gs, f"{x.Gps} + {x.gs}² = {_num(x.Gp)} + {_num(x.g)}²", x.G, x.Gp + x.g * x.g)
    else:
        x.add_G()
    root = math.sqrt(x.G)
    le = x.add_rate(x.Gs, x.G)
    top, top_v = (x.Ms, x.M) if oid == "adam-lecture" else (x.gs, x.g)
    tail = f"−{x.E}/(√{x.Gs}+ε)·{top} = −{x.e}/({format_number(root)} + {x.eps_txt})·{_num(top_v)}"
    x.add(x.dws, tail, x.dw, -le * top_v, signed=True)


def _adam_lines(c: _Step, x: _Weight) -> None:
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
            f"{format_number(mu_n)}·{_num(M)}/(1 − {format_number(pn)}) + "
            f"(1 − {format_number(mu_t)})·{_num(g)}/(1 − {format_number(pt)}) = {format_number(mh)}"
        )
        x.lines.append(
            f"{ghs} = {x.Gs}/(1−β{_sup(s)}) = {_num(G)}/{format_number(v['bc2'])} = {format_number(gh)}"
        )
        v.update({f"m_hat{x.k}": mh, f"v_hat{x.k}": gh})
    else:
        mhs, mh, ghs, gh = x.add_hats()
    root = math.sqrt(gh)
    le = x.add_rate(ghs, gh)
    formula = f"−{x.E}/(√{ghs}+ε)·{mhs}"
    numbers = f"−{x.e}/({format_number(root)} + {x.eps_txt})·{_num(mh)}"
    if c.opt.id == "adamw":
        lam = c.hyper["weight_decay"]
        formula += f" − {x.E}·λ·{x.sym('w', x.p)}"
        numbers += f" − {x.e}·{c.h('weight_decay')}·{_num(x.wp)}"
        x.add(x.dws, f"{formula} = {numbers}", x.dw, -le * mh - c.eta_t * lam * x.wp, signed=True)
    else:
        x.add(x.dws, f"{formula} = {numbers}", x.dw, -le * mh, signed=True)


def _amsgrad_lines(c: _Step, x: _Weight) -> None:
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
        f"√{ghs} = √({x.sym('Gmax')}/(1−β{_sup(s)})) = {E}/{x.lrs} − ε = "
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
        f"{x.sym('Gmax')} = {ghs}·(1−β{_sup(s)}) = {format_number(gmax_hat)}·{format_number(v['bc2'])} = "
        f"{format_number(gmax)}"
    )
    x.lines.append(msg("{formula} {relation}", formula=formula, relation=relation))
    le = x.add_rate(ghs, gmax_hat)
    tail = f"−{E}/(√{ghs}+ε)·{mhs} = −{e}/({format_number(root)} + {x.eps_txt})·{_num(mh)}"
    x.add(x.dws, tail, x.dw, -le * mh, signed=True)


def _qhadam_lines(c: _Step, x: _Weight) -> None:
    x.add_M_ema()
    x.add_G()
    mhs, mh, ghs, gh = x.add_hats()
    nu, nu2, eps, g = c.hyper["nu"], c.hyper["nu2"], c.hyper["eps"], x.g
    root = math.sqrt((1.0 - nu2) * g * g + nu2 * gh)
    le = c.eta_t / (root + eps)
    tail = (
        f"{x.E}/(√((1−ν₂)·{x.gs}² + ν₂·{ghs})+ε) = "
        f"{x.e}/(√({format_hyper(1.0 - nu2)}·{_num(g)}² + {c.h('nu2')}·{format_number(gh)}) + {x.eps_txt})"
    )
    x.add(x.lrs, tail, x.lr, le)
    tail = (
        f"−{x.lrs}·((1−ν₁)·{x.gs} + ν₁·{mhs}) = "
        f"−{format_number(x.lr)}·({format_hyper(1.0 - nu)}·{_num(g)} + {c.h('nu')}·{_num(mh)})"
    )
    x.add(x.dws, tail, x.dw, -x.lr * ((1.0 - nu) * g + nu * mh), signed=True)


def _adadelta_lines(c: _Step, x: _Weight) -> None:
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
        f"{format_number(root_u)}/{format_number(root_g)}·{_num(x.g)} = {format_number(delta)}"
    )
    x.add(
        x.dws,
        f"−{E}·{x.sym('Δ')} = −{e}·{_num(delta)}",
        x.dw,
        -c.eta_t * delta if c.eta_t else 0.0,
        signed=True,
    )


def _lion_lines(c: _Step, x: _Weight) -> None:
    """c = β₁·M(t−1) + (1−β₁)·g; Δw = −η·(sign(c) + λ·w(t−1)); then M ← α·M + (1−α)·g."""
    mix, lam, g = c.hyper["mix"], c.hyper["weight_decay"], x.g
    d = mix * x.Mp + (1.0 - mix) * g
    sign = 1.0 if d > 0 else -1.0 if d < 0 else 0.0
    cs = x.sym("c")
    c.values.update({f"c{x.k}": d, f"sign_c{x.k}": sign})
    x.lines.append(
        f"{cs} = β₁·{x.Mps} + (1−β₁)·{x.gs} = {c.h('mix')}·{_num(x.Mp)} + {format_hyper(1.0 - mix)}·{_num(g)}"
        f" = {format_number(d)}"
    )
    formula = f"−{x.E}·(sign({cs}) + λ·{x.sym('w', x.p)})"
    numbers = f"−{x.e}·({format_number(sign, signed=True)} + {c.h('weight_decay')}·{_num(x.wp)})"
    x.add(x.dws, f"{formula} = {numbers}", x.dw, -c.eta_t * (sign + lam * x.wp), signed=True)
    x.add_M_ema()


def _radam_lines(c: _Step, x: _Weight) -> None:
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
            f"{E}·r({x.s})·√(1−β{_sup(x.s)})/(√{x.Gs}+ε) = "
            f"{e}·{format_number(v['rect'])}·{format_number(sq)}/({format_number(root)} + {x.eps_txt})"
        )
        x.add(x.lrs, tail, x.lr, le)
        x.add(x.dws, f"−{x.lrs}·{mhs} = −{format_number(x.lr)}·{_num(mh)}", x.dw, -x.lr * mh, signed=True)
    else:
        x.add(x.lrs, E, x.lr, c.eta_t)
        x.add(x.dws, f"−{E}·{mhs} = −{e}·{_num(mh)}", x.dw, -c.eta_t * mh, signed=True)


def _adamax_lines(c: _Step, x: _Weight) -> None:
    """G ← max(β·G, |g|+ε), the rate η/G applied to M̂ = M/(1−αᵗ)."""
    x.add_M_ema()
    b, eps, g = c.hyper["beta"], c.hyper["eps"], x.g
    tail = (
        f"max(β·{x.Gps}, |{x.gs}|+ε) = max({c.h('beta')}·{_num(x.Gp)}, {format_number(abs(g))} + {x.eps_txt})"
    )
    x.add(x.Gs, tail, x.G, max(b * x.Gp, abs(g) + eps))
    mhs, mh = x.add_m_hat()
    x.add(x.lrs, f"{x.E}/{x.Gs} = {x.e}/{format_number(x.G)}", x.lr, c.eta_t / x.G if x.G else math.inf)
    x.add(x.dws, f"−{x.lrs}·{mhs} = −{format_number(x.lr)}·{_num(mh)}", x.dw, -x.lr * mh, signed=True)


#: Each optimizer's step-inspector lines, keyed by its registry id (tests/test_registry.py checks
#: that every entry of engine.optimizers.OPTIMIZERS has one).
RULE_LINES: dict[str, Callable[[_Step, _Weight], None]] = {
    "sgd": _sgd_lines,
    "momentum-lecture": _momentum_lecture_lines,
    "momentum": _heavy_ball_lines,
    "nesterov": _heavy_ball_lines,
    "adagrad": _plain_adaptive_lines,
    "rmsprop": _plain_adaptive_lines,
    "adam-lecture": _plain_adaptive_lines,
    "adam": _adam_lines,
    "amsgrad": _amsgrad_lines,
    "adamw": _adam_lines,
    "nadam": _adam_lines,
    "adadelta": _adadelta_lines,
    "qhm": _qhm_lines,
    "qhadam": _qhadam_lines,
    "lion": _lion_lines,
    "radam": _radam_lines,
    "adamax": _adamax_lines,
}


def _weight_lines(c: _Step, i: int) -> list[str]:
    """The rule of ``c.opt`` for weight i, numbers substituted, results from the record."""
    rule = RULE_LINES.get(c.opt.id)
    if rule is None:
        raise ValueError(f"the step inspector does not know the rule {c.opt.id!r}")
    x = _Weight(c, i)
    rule(c, x)
    if not c.opt.adaptive:
        c.check(x.lrs, c.eta_t, x.lr)
    x.add_w()
    return x.lines


# -- what changed most ----------------------------------------------------------------------------
#: A sign reversal counts at least as much as a 3× change.
_REVERSAL_SCORE = math.log(3.0)


def _change_score(new: float, old: float) -> float:
    """How much a quantity changed, symmetric in growth and decay: |log(new/old)|."""
    if old == 0 or new == 0:
        return 0.0 if new == old else math.inf
    score = abs(math.log(abs(new / old)))
    return max(score, _REVERSAL_SCORE) if new * old < 0 else score


def _percent(x: float) -> str:
    if x >= 10:
        return f"{x:.0f}%"
    if x >= 1:
        return f"{x:.1f}".rstrip("0").rstrip(".") + "%"
    return format_hyper(float(f"{x:.2g}")) + "%"


def _change_words(new: float, old: float) -> str:
    """``fell 38%``, ``grew 2.1×``, ``reversed sign``."""
    if old == 0:
        return msg("went from 0 to {value}", value=format_number(new))
    r = new / old
    if r < 0:
        return msg("reversed sign")
    if r == 0:
        return msg("fell to 0")
    if r >= 2:
        return msg("grew {factor}×", factor=f"{r:.2g}" if r < 100 else format_number(r))
    if r > 1:
        return msg("grew {percent}", percent=_percent((r - 1) * 100))
    return msg("fell {percent}", percent=_percent((1 - r) * 100))


def _state_names(opt: Optimizer) -> list[str]:
    return [n for n, used in (("G", opt.g_meaning), ("M", opt.m_meaning)) if used]


def _first_step_summary(c: _Step) -> str:
    a, r = c.arrays, c.row
    g = [float(a["grad"][r, i]) for i in (0, 1)]
    dw = [float(a["dw"][r, i]) for i in (0, 1)]
    if c.opt.id == "lion":
        return msg(
            "First step: Lion moves each weight by η·sign(c) (plus the decay η·λ·w), whatever the size "
            "of its gradient."
        )
    if c.opt.adaptive and c.eta_t > 0:
        k = [abs(d) / c.eta_t for d in dw]
        values = {
            "state": join_and(_state_names(c.opt)),
            "k1": format_number(k[0]),
            "k2": format_number(k[1]),
        }
        if abs(k[0] - k[1]) <= 0.01 * max(k) and abs(g[0]) != abs(g[1]):
            return msg(
                "First step, with {state} starting at 0: |Δw₁| = {k1}·η and |Δw₂| = {k2}·η, although the "
                "gradients differ: the per-weight rate divides out each gradient's size.",
                **values,
            )
        return msg("First step, with {state} starting at 0: |Δw₁| = {k1}·η and |Δw₂| = {k2}·η.", **values)
    if abs(g[0]) == abs(g[1]):
        return msg("First step: one rate η for both weights, and both gradients have the same size.")
    big = 0 if abs(g[0]) > abs(g[1]) else 1
    small = 1 - big
    return msg(
        "First step: one rate η for both weights, so w{big} moved farther because its gradient is "
        "larger (|g{big}| = {g_big} > |g{small}| = {g_small}).",
        big=_SUB[big],
        small=_SUB[small],
        g_big=format_number(abs(g[big])),
        g_small=format_number(abs(g[small])),
    )


def _rate_cause(c: _Step, i: int, eta_prev: float) -> str:
    """Why an adaptive rate changed ("" if unknown): the schedule and/or the quantity under its root."""
    opt, a, r, s, p, sb = c.opt, c.arrays, c.row, c.s, c.s - 1, _SUB[i]
    new, old = float(a["lr"][r, i]), float(a["lr"][r - 1, i])
    causes = []
    if c.eta_t != eta_prev:
        causes.append(msg("the schedule lowered η") if c.eta_t < eta_prev else msg("the schedule raised η"))
    g_new, g_old, g = float(a["G"][r, i]), float(a["G"][r - 1, i]), float(a["grad"][r, i])
    if opt.id in ("adagrad", "rmsprop", "adam-lecture"):
        if g_new != g_old:
            values = {
                "sb": sb,
                "s": str(s),
                "p": str(p),
                "change": _change_words(g_new, g_old),
                "g2": format_number(g * g),
                "G_old": format_number(g_old),
            }
            if opt.id == "adagrad":
                causes.append(msg("G{sb} {change} (g{sb}({s})² = {g2} was added)", **values))
            elif g_new > g_old:
                causes.append(
                    msg("G{sb} {change} (g{sb}({s})² = {g2} is above G{sb}({p}) = {G_old})", **values)
                )
            else:
                causes.append(
                    msg(
                        "G{sb} {change} (g{sb}({s})² = {g2} is below G{sb}({p}) = {G_old}, "
                        "and G forgets: β = {beta})",
                        beta=c.h("beta"),
                        **values,
                    )
                )
    elif min(new, old, c.eta_t, eta_prev) <= 0:
        pass  # a rate of 0 (η(t) = 0) says nothing about the denominator
    elif opt.id in ("adamax", "radam"):
        # Adamax's rate is η/G; RAdam's η·r(t)·√(1−βᵗ)/(√G+ε), where r(t) and 1−βᵗ only creep towards 1
        if g_new != g_old:
            causes.append(msg("G{sb} {change}", sb=sb, change=_change_words(g_new, g_old)))
    elif opt.id == "adadelta":
        ratio_new, ratio_old = new / c.eta_t, old / eta_prev
        if ratio_new != ratio_old:
            causes.append(
                msg("√(U{sb}+ε)/√(G{sb}+ε) fell", sb=sb)
                if ratio_new < ratio_old
                else msg("√(U{sb}+ε)/√(G{sb}+ε) rose", sb=sb)
            )
    else:
        eps = c.hyper["eps"]
        root_new, root_old = c.eta_t / new - eps, eta_prev / old - eps
        name = {"amsgrad": f"Ĝmax{sb}", "qhadam": f"√((1−ν₂)·g{sb}² + ν₂·Ĝ{sb})"}.get(opt.id, f"Ĝ{sb}")
        if root_new != root_old and opt.id != "qhadam":
            causes.append(
                msg(
                    "{name} {change}",
                    name=name,
                    change=_change_words(root_new * root_new, root_old * root_old),
                )
            )
        elif root_new != root_old:
            causes.append(
                msg("{name} grew", name=name) if root_new > root_old else msg("{name} fell", name=name)
            )
    return join_and(causes)


def _summary(c: _Step, sched: Schedule) -> str:
    """One sentence on the largest change since the previous step among lr, M and g (G acts through lr).

    Changes are compared as |log(new/old)|, so a rate that halves counts as much as a gradient
    that doubles; a sign reversal counts at least as much as a 3× change.
    """
    if c.s == 1:
        return _first_step_summary(c)
    opt, a, r, s, p = c.opt, c.arrays, c.row, c.s, c.s - 1
    quantities = ["grad"]
    if opt.m_meaning:
        quantities.insert(0, "M")
    if opt.adaptive or sched.kind != "constant":
        quantities.insert(0, "lr")
    best: tuple[float, int, str, int] | None = None
    for prio, q in enumerate(quantities):
        for i in (0, 1) if (q != "lr" or opt.adaptive) else (0,):
            key = (_change_score(float(a[q][r, i]), float(a[q][r - 1, i])), -2 * prio - i, q, i)
            if best is None or key[:2] > best[:2]:
                best = key
    assert best is not None
    score, _prio, q, i = best
    if score == 0:
        return msg("Nothing that drives the step changed since step {p}.", p=str(p))
    new, old = float(a[q][r, i]), float(a[q][r - 1, i])
    v = {"sb": _SUB[i], "s": str(s), "p": str(p), "change": _change_words(new, old)}
    if q == "lr":
        eta_prev = sched.lr(c.hyper["lr"], p)
        if not opt.adaptive:
            if c.eta_t < eta_prev:
                return msg("The learning rate {change} since step {p} because the schedule lowered η.", **v)
            return msg("The learning rate {change} since step {p} because the schedule raised η.", **v)
        cause = _rate_cause(c, i, eta_prev)
        if cause:
            return msg("w{sb}'s learning rate {change} since step {p} because {cause}.", cause=cause, **v)
        return msg("w{sb}'s learning rate {change} since step {p}.", **v)
    if q == "M":
        if new * old < 0:
            g = format_number(float(a["grad"][r, i]))
            return msg(
                "M{sb} {change} since step {p} because g{sb}({s}) = {g} points the other way.", g=g, **v
            )
        return msg("M{sb} {change} since step {p}.", **v)
    if new * old < 0:
        return msg(
            "The gradient g{sb} reversed sign since step {p}: the slope along w{sb} flipped, "
            "so w{sb} is now pushed the other way.",
            **v,
        )
    if abs(new) > abs(old):
        return msg("The gradient g{sb} {change} since step {p} (steeper ground along w{sb}).", **v)
    return msg("The gradient g{sb} {change} since step {p} (flatter ground along w{sb}).", **v)


def _radam_shared_lines(c: _Step) -> list[str]:
    """ρ∞, ρ(t) and, past 5, the rectification r(t), as the kernel computes them from 1 − βᵗ."""
    v, s, beta = c.values, c.s, c.hyper["beta"]
    bc2 = v["bc2"]
    rho_inf = 2.0 / (1.0 - beta) - 1.0
    rho_t = rho_inf - 2.0 * s * (1.0 - bc2) / bc2
    v.update({"rho_inf": rho_inf, "rho_t": rho_t})
    lines = [
        f"ρ∞ = 2/(1−β) − 1 = {format_number(rho_inf)}",
        f"ρ({s}) = ρ∞ − 2t·β{_sup(s)}/(1−β{_sup(s)}) = {format_number(rho_t)}",
    ]
    if rho_t > 5.0:
        rect = math.sqrt(
            (rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)
        )
        v["rect"] = rect
        lines.append(f"r({s}) = √((ρ(t)−4)(ρ(t)−2)ρ∞/((ρ∞−4)(ρ∞−2)ρ(t))) = {format_number(rect)}")
    else:
        lines.append(
            msg("ρ({s}) ≤ 5: too few gradients to trust G yet, so the step is plain momentum", s=str(s))
        )
    return lines


# -- entry point ----------------------------------------------------------------------------------
def _read_rows(rows: StepRows) -> dict[str, np.ndarray]:
    arrays = {name: np.asarray(getattr(rows, name)) for name in ("step", *NAMES)}
    n = arrays["w"].shape[0]
    shapes = {"step": (n,), **{f.name: f.shape(n) for f in FIELDS}}
    for name, a in arrays.items():
        if a.shape != shapes[name]:
            raise ValueError(f"the recorded {name!r} has shape {a.shape}, expected {shapes[name]}")
    return arrays


def _check_row(t: int, n: int) -> int:
    try:
        if isinstance(t, bool):
            raise TypeError
        row = operator.index(t)
    except TypeError:
        raise ValueError(msg("row must be a whole number, got {value}", value=repr(t))) from None
    if not 0 <= row < n:
        raise ValueError(
            msg(
                "row {row} is out of range: this run has {n} recorded rows (0–{last})",
                row=str(row),
                n=str(n),
                last=str(n - 1),
            )
        )
    return row


def _explain_start(opt: Optimizer, a: dict[str, np.ndarray]) -> StepExplanation:
    w = [float(a["w"][0, i]) for i in (0, 1)]
    lines = []
    for i, sb in enumerate(_SUB):
        weight = [msg("w{sb}(0) = {w} (the start)", sb=sb, w=format_number(w[i]))]
        if opt.g_meaning:
            weight.append(f"G{sb}(0) = 0")
        if opt.m_meaning:
            weight.append(f"M{sb}(0) = 0")
        lines.append(weight)
    state = _state_names(opt)
    v = {
        "w1": format_number(w[0]),
        "w2": format_number(w[1]),
        "loss": format_number(float(a["loss"][0])),
        "state": join_and(state),
    }
    if not state:
        summary = msg("The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet.", **v)
    elif len(state) == 1:
        summary = msg(
            "The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet; "
            "{state} starts at 0.",
            **v,
        )
    else:
        summary = msg(
            "The start: w(0) = ({w1}, {w2}) with L = {loss}; no step has been taken yet; {state} start at 0.",
            **v,
        )
    values = {"w1": w[0], "w2": w[1], "loss": float(a["loss"][0]), "step": 0.0}
    title = msg("{optimizer}, start", optimizer=msg(opt.title))
    return StepExplanation(title, lines, summary, values, step=0, row=0)


def _explain_unkept(opt: Optimizer, a: dict[str, np.ndarray], row: int, s: int, sp: int) -> StepExplanation:
    """A thinned record: the step before ``s`` was dropped, so only row t's results can be shown."""
    values: dict[str, float] = {"step": float(s)}
    lines = []
    names = [("g", "grad"), ("G", "G"), ("M", "M"), ("lr", "lr"), ("Δw", "dw"), ("w", "w")]
    for i, sb in enumerate(_SUB):
        weight = []
        for symbol, name in names:
            if (name == "G" and not opt.g_meaning) or (name == "M" and not opt.m_meaning):
                continue
            x = float(a[name][row, i])
            values[f"{name}{i + 1}"] = x
            weight.append(f"{symbol}{sb}({s}) = {format_number(x, signed=name == 'dw')}")
        lines.append(weight)
    summary = msg(
        "Step {s} is shown without its formula: the record of this long run keeps only some steps "
        "(the previous kept one is step {sp}), so the values before step {s} are not known.",
        s=str(s),
        sp=str(sp),
    )
    title = msg("{optimizer}, step {step}", optimizer=msg(opt.title), step=str(s))
    return StepExplanation(title, lines, summary, values, step=s, row=row)


def explain_step(
    optimizer_id: str,
    hyperparameters: Mapping[str, float],
    schedule: str | Schedule,
    rows: StepRows,
    t: int,
) -> StepExplanation:
    """Explain row ``t`` of a recorded run: the step that took w(t−1) to w(t), numbers filled in.

    ``hyperparameters`` may be partial (the optimizer's defaults fill the rest); they and the
    schedule must be the ones the run used at that step, else a note says the record does not
    follow from them. Row 0 is the start. Raises ValueError for an unknown optimizer, bad
    hyperparameters or a row outside the record.
    """
    opt = get_optimizer(optimizer_id)
    hyper = resolve_hyperparameters(opt, hyperparameters)
    sched = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule)
    arrays = _read_rows(rows)
    row = _check_row(t, arrays["w"].shape[0])
    if row == 0:
        return _explain_start(opt, arrays)
    s, sp = int(arrays["step"][row]), int(arrays["step"][row - 1])
    if s - sp != 1:
        return _explain_unkept(opt, arrays, row, s, sp)

    eta = hyper["lr"]
    eta_t = sched.lr(eta, s)
    constant = sched.kind == "constant"
    values: dict[str, float] = {"step": float(s), "eta": eta, "eta_t": eta_t, **hyper}
    c = _Step(
        opt,
        hyper,
        arrays,
        row,
        s,
        eta_t,
        "η" if constant else f"η({s})",
        format_hyper(eta) if constant else format_number(eta_t),
        values,
    )
    shared: list[str] = [] if constant else [_schedule_line(sched, eta, s, eta_t)]
    sup = _sup(s)
    if opt.id in (*_BIAS_CORRECTED, "nadam"):
        beta = hyper["beta"]
        values["bc2"] = 1.0 - _bias_power(beta, s)
        if opt.id == "nadam":
            alpha, psi = hyper["alpha"], hyper["momentum_decay"]
            mu_t, mu_n = _nadam_mu(alpha, psi, s), _nadam_mu(alpha, psi, s + 1)
            pt = _nadam_product(alpha, psi, s)
            pn = pt * mu_n
            values.update({"mu_t": mu_t, "mu_next": mu_n, "prod_t": pt, "prod_next": pn})
            a_txt, psi_txt = c.h("alpha"), c.h("momentum_decay")
            for step, mu in ((s, mu_t), (s + 1, mu_n)):
                shared.append(
                    f"μ({step}) = α·(1 − ½·0.96^(t·ψ)) = {a_txt}·(1 − ½·0.96^({step}·{psi_txt})) = "
                    f"{format_number(mu)}"
                )
            product = "·".join(f"μ({k})" for k in range(1, s + 1)) if s <= 3 else f"μ(1)·μ(2)·…·μ({s})"
            shared.append(f"∏μ({s}) = {product} = {format_number(pt)}")
            shared.append(
                f"∏μ({s + 1}) = ∏μ({s})·μ({s + 1}) = {format_number(pt)}·{format_number(mu_n)} = "
                f"{format_number(pn)}"
            )
        else:
            values["bc1"] = 1.0 - _bias_power(hyper["alpha"], s)
            shared.append(f"1−α{sup} = 1 − {c.h('alpha')}{sup} = {format_number(values['bc1'])}")
        shared.append(f"1−β{sup} = 1 − {c.h('beta')}{sup} = {format_number(values['bc2'])}")
        if opt.id == "radam":
            shared += _radam_shared_lines(c)
    elif opt.id == "adamax":
        values["bc1"] = 1.0 - _bias_power(hyper["alpha"], s)
        shared.append(f"1−α{sup} = 1 − {c.h('alpha')}{sup} = {format_number(values['bc1'])}")

    lines = [_weight_lines(c, i) for i in (0, 1)]
    notes = []
    if opt.id == "momentum-lecture":
        notes.append(
            msg("g(0) = 0: at the first step there is no earlier gradient to remember.")
            if s == 1
            else msg(
                "g({p}) is the gradient the engine recorded at step {p} (the lecture's g(t−1)).", p=str(s - 1)
            )
        )
    elif opt.id == "amsgrad":
        notes.append(
            msg(
                "Gmax(t) = max(Gmax(t−1), G(t)), the largest G so far, is not recorded: "
                "√Ĝmax = √(Gmax/(1−βᵗ)) is recovered from the recorded rate lr = η/(√Ĝmax+ε)."
            )
        )
    elif opt.id == "adadelta":
        note = msg(
            "U, the running mean of Δ², is not recorded: √(U+ε) is recovered from the recorded rate "
            "lr = η·√(U+ε)/√(G+ε)."
        )
        if s == 1:
            note = msg(
                "{note} U starts at 0, so here √(U(0)+ε) = √ε = {root}.",
                note=note,
                root=format_number(math.sqrt(hyper["eps"])),
            )
        notes.append(note)
    if c.eta_t == 0 and opt.id in ("amsgrad", "adadelta"):
        notes.append(
            msg(
                "η({s}) = 0, so the unrecorded state cannot be recovered from the rate at this step.",
                s=str(s),
            )
        )
    if c.mismatches:
        found = c.mismatches[0]
        if len(c.mismatches) > 1:
            found = msg("{first}; {second}", first=found, second=c.mismatches[1])
        notes.append(
            msg(
                "These numbers do not all follow from the hyperparameters and schedule given (were they "
                "changed after this step?): {mismatches}.",
                mismatches=found,
            )
        )
    return StepExplanation(
        msg("{optimizer}, step {step}", optimizer=msg(opt.title), step=str(s)),
        lines,
        _summary(c, sched),
        values,
        shared_lines=shared,
        notes=notes,
        step=s,
        row=row,
    )
