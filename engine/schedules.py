"""Learning-rate schedules: η_t as a function of the step t (t counts from 1).

The lecture files the adaptive optimizers under "learning rate schedules"; every
optimizer here also takes an explicit η schedule. The spec syntax is the CLI's and the
session file's: ``constant``, ``step:size=K,gamma=γ``, ``exponential:gamma=γ``,
``inverse:decay=d``, ``cosine:T=T,min=η_min``, ``cosine_annealing:T=T,min=η_min``,
``warmup:steps=W``.

Two cosines: ``cosine`` goes down to η_min in T steps and stays there (one decay, for a run
longer than T); ``cosine_annealing`` is torch's ``CosineAnnealingLR``, whose cosine goes on
past T, so η climbs back to η over the next T steps, and so on (period 2T).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine import _ids as K
from engine.messages import msg


@dataclass(frozen=True)
class _Kind:
    kernel_id: int
    formula: str
    params: tuple[tuple[str, float, str], ...]  # (name, default, allowed-range text)


KINDS: dict[str, _Kind] = {
    "constant": _Kind(K.CONSTANT, "η_t = η", ()),
    "step": _Kind(
        K.STEP,
        "η_t = η·γ^⌊(t−1)/K⌋",
        (("size", 100.0, msg("an integer ≥ 1")), ("gamma", 0.5, msg("in (0, 1]"))),
    ),
    "exponential": _Kind(K.EXPONENTIAL, "η_t = η·γ^(t−1)", (("gamma", 0.99, msg("in (0, 1]")),)),
    "inverse": _Kind(K.INVERSE, "η_t = η/(1 + d·(t−1))", (("decay", 0.01, msg("≥ 0")),)),
    "cosine": _Kind(
        K.COSINE,
        "η_t = η_min + (η−η_min)·(1+cos(π·min(t−1,T)/T))/2",
        (("T", 1000.0, msg("an integer ≥ 1")), ("min", 0.0, msg("≥ 0"))),
    ),
    "cosine_annealing": _Kind(
        K.COSINE_ANNEALING,
        "η_t = η_min + (η−η_min)·(1+cos(π·(t−1)/T))/2",
        (("T", 1000.0, msg("an integer ≥ 1")), ("min", 0.0, msg("≥ 0"))),
    ),
    "warmup": _Kind(K.WARMUP, "η_t = η·min(t, W)/W", (("steps", 100.0, msg("an integer ≥ 1")),)),
}


def _valid(kind: str, name: str, value: float) -> bool:
    if not math.isfinite(value):
        return False
    if name in ("size", "T", "steps"):
        return value >= 1 and value == int(value)
    if name == "gamma":
        return 0 < value <= 1
    return value >= 0


@dataclass(frozen=True)
class Schedule:
    """A parsed, validated schedule; ``str(schedule)`` gives the spec back."""

    kind: str = "constant"
    params: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                msg(
                    "unknown schedule {kind}; choose one of: {choices}",
                    kind=repr(self.kind),
                    choices=", ".join(KINDS),
                )
            )
        spec = KINDS[self.kind]
        allowed = {name: (default, text) for name, default, text in spec.params}
        values = {name: default for name, (default, _t) in allowed.items()}
        for name, value in self.params.items():
            if name not in allowed:
                names = ", ".join(allowed) or msg("no parameters")
                raise ValueError(
                    msg(
                        "schedule {kind} has no parameter {name}; it takes {names}",
                        kind=repr(self.kind),
                        name=repr(name),
                        names=names,
                    )
                )
            values[name] = float(value)
        for name, value in values.items():
            if not _valid(self.kind, name, value):
                raise ValueError(
                    msg(
                        "schedule {kind}: {name} = {value} is not allowed; {name} must be {allowed}",
                        kind=self.kind,
                        name=name,
                        value=f"{value:g}",
                        allowed=allowed[name][1],
                    )
                )
        object.__setattr__(self, "params", values)

    @classmethod
    def parse(cls, spec: str) -> Schedule:
        """Parse ``kind:name=value,name=value``."""
        text = spec.strip()
        kind, _, rest = text.partition(":")
        params: dict[str, float] = {}
        for item in filter(None, (p.strip() for p in rest.split(","))):
            name, eq, value = item.partition("=")
            if not eq:
                raise ValueError(msg("schedule parameter {item} must be written name=value", item=repr(item)))
            try:
                params[name.strip()] = float(value)
            except ValueError:
                raise ValueError(
                    msg(
                        "schedule parameter {name}={value} is not a number",
                        name=name.strip(),
                        value=repr(value),
                    )
                ) from None
        return cls(kind.strip() or "constant", params)

    def __str__(self) -> str:
        if not self.params:
            return self.kind
        return self.kind + ":" + ",".join(f"{k}={v:g}" for k, v in self.params.items())

    @property
    def formula(self) -> str:
        return KINDS[self.kind].formula

    def kernel_args(self) -> tuple[int, np.ndarray]:
        """(kind id, parameter vector) in the order the kernel reads them."""
        values = [self.params[name] for name, _d, _t in KINDS[self.kind].params]
        return KINDS[self.kind].kernel_id, np.array(values + [0.0] * (2 - len(values)))

    def lr(self, eta: float, t: int) -> float:
        """η_t, computed by the same kernel the runs use."""
        kind, sp = self.kernel_args()
        from engine._kernels import scheduled_lr  # numba loads on first use, not on import

        return float(scheduled_lr(kind, sp, eta, t))


CONSTANT = Schedule()
