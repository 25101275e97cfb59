"""The step inspector's building blocks: numbers as the lecture writes them, one step, one weight.

An optimizer's registry entry (``engine.optimizers``) writes its own inspector lines with these:
``Weight.add(symbol, formula with numbers, recorded result, recomputed result)`` shows a line and
notes when the rule on the shown inputs does not give what the engine recorded. ``engine.explain``
puts the lines of both weights, the shared lines and the summary together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from engine.messages import msg

if TYPE_CHECKING:
    from engine.optimizers import Optimizer

#: Subscripts of the two weights.
SUB = ("₁", "₂")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MINUS = "−"
#: Relative mismatch above which the shown formula is reported as not reproducing the record.
_CHECK_RTOL = 1e-9


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


def par(text: str) -> str:
    """Parenthesise a negative operand: ``(−0.5170)``."""
    return f"({text})" if text.startswith(_MINUS) else text


def num(x: float) -> str:
    return par(format_number(x))


def sup(n: int) -> str:
    return str(n).translate(_SUP)


# -- one step --------------------------------------------------------------------------------------
@dataclass
class Step:
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


def ema(
    c: Step, sym: str, sym_prev: str, decay: str, prev: float, g: float, squared: bool
) -> tuple[str, float]:
    """``G₁(12) = β·G₁(11) + (1−β)·g₁(12)²`` with its numbers; returns (line tail, recomputed)."""
    d = c.hyper[decay]
    dsym = {"alpha": "α", "beta": "β", "rho": "ρ"}[decay]
    gs = sym + ("²" if squared else "")
    gn = num(g) + ("²" if squared else "")
    value = d * prev + (1.0 - d) * g * g if squared else d * prev + (1.0 - d) * g
    tail = f"{dsym}·{sym_prev} + (1−{dsym})·{gs} = {c.h(decay)}·{num(prev)} + {format_hyper(1.0 - d)}·{gn}"
    return tail, value


@dataclass
class Weight:
    """One weight's recorded numbers at row t and t−1, their symbols, and the lines built so far."""

    c: Step
    i: int
    lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        c, i = self.c, self.i
        self.k, self.sb, self.s, self.p = str(i + 1), SUB[i], c.s, c.s - 1
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
        tail, value = ema(self.c, self.gs, self.Gps, decay, self.Gp, self.g, True)
        self.add(self.Gs, tail, self.G, value)

    def add_M_ema(self) -> None:
        tail, value = ema(self.c, self.gs, self.Mps, "alpha", self.Mp, self.g, False)
        self.add(self.Ms, tail, self.M, value)

    def add_hats(self) -> tuple[str, float, str, float]:
        """M̂ and Ĝ lines of the bias-corrected family; returns their symbols and values."""
        v, s = self.c.values, self.s
        bc1, bc2 = v["bc1"], v["bc2"]
        mh, gh = self.M / bc1, self.G / bc2
        mhs, ghs = self.sym("M̂"), self.sym("Ĝ")
        self.lines.append(
            f"{mhs} = {self.Ms}/(1−α{sup(s)}) = {num(self.M)}/{format_number(bc1)} = {format_number(mh)}"
        )
        self.lines.append(
            f"{ghs} = {self.Gs}/(1−β{sup(s)}) = {num(self.G)}/{format_number(bc2)} = {format_number(gh)}"
        )
        v.update({f"m_hat{self.k}": mh, f"v_hat{self.k}": gh})
        return mhs, mh, ghs, gh

    def add_m_hat(self) -> tuple[str, float]:
        """M̂ = M/(1−αᵗ) alone (rules whose denominator is not Ĝ)."""
        v, s = self.c.values, self.s
        mh, mhs = self.M / v["bc1"], self.sym("M̂")
        self.lines.append(
            f"{mhs} = {self.Ms}/(1−α{sup(s)}) = {num(self.M)}/{format_number(v['bc1'])} = {format_number(mh)}"
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
            f"{x.sym('w', x.p)} + {x.dws} = {format_number(x.wp)} + {num(x.dw)}",
            x.w,
            x.wp + x.dw,
        )
