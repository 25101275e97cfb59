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
from engine.step_lines import SUB as _SUB
from engine.step_lines import Step as _Step
from engine.step_lines import Weight as _Weight
from engine.step_lines import format_hyper, format_number
from engine.step_lines import sup as _sup
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


def _weight_lines(c: _Step, i: int) -> list[str]:
    """The rule of ``c.opt`` for weight i, numbers substituted, results from the record."""
    x = _Weight(c, i)
    c.opt.explain(c, x)  # the registry entry's lines (engine.optimizers)
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
