"""The plain, validated configuration of a race: what the GUI edits and a session file stores.

It holds only data (strings and numbers), never compiled objects, so a session file is
JSON that reopens bit for bit and can never execute anything: the loss expression in it
goes through the same safe parser as typed text when the race is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from engine.messages import message_of, msg
from engine.optimizers import OPTIMIZERS, get_optimizer, resolve_hyperparameters
from engine.schedules import Schedule

SESSION_FORMAT = "optimizer-lab-session"
SESSION_VERSION = 1
MAX_RACERS = 14
MAX_STEPS = 100_000_000

#: The default race: the lecture's three adaptive methods plus plain SGD and momentum.
DEFAULT_RACERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")


class ConfigError(ValueError):
    """A configuration value that is not allowed; the message says what is."""


@dataclass(frozen=True)
class RacerConfig:
    """One optimizer in the race with its full set of hyperparameters."""

    optimizer: str
    hyperparameters: Mapping[str, float] = field(default_factory=dict)
    schedule: str = "constant"
    enabled: bool = True

    def __post_init__(self) -> None:
        try:
            opt = get_optimizer(self.optimizer)
            hyper = resolve_hyperparameters(opt, dict(self.hyperparameters))
            schedule = str(Schedule.parse(self.schedule))
        except ValueError as exc:
            raise ConfigError(message_of(exc)) from None
        object.__setattr__(self, "hyperparameters", hyper)
        object.__setattr__(self, "schedule", schedule)

    def with_values(self, **changes: Any) -> RacerConfig:
        """A copy with some hyperparameters (by name) or fields changed, validated."""
        fields = {k: changes.pop(k) for k in ("schedule", "enabled") if k in changes}
        hyper = {**self.hyperparameters, **changes}
        return replace(self, hyperparameters=hyper, **fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "hyperparameters": dict(self.hyperparameters),
            "schedule": self.schedule,
            "enabled": self.enabled,
        }


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(
            msg(
                "{what} must be a built-in surface name or an expression in x and y, got {type}",
                what=what,
                type=type(value).__name__,
            )
        )
    return value


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(msg("{what} must be a finite number, got {value}", what=what, value=repr(value)))
    return float(value)


@dataclass(frozen=True)
class SessionConfig:
    """Everything needed to reproduce a race exactly."""

    loss: str = "quadratic"
    loss_params: Mapping[str, float] = field(default_factory=dict)
    start: tuple[float, float] | None = None
    steps: int = 2000
    racers: tuple[RacerConfig, ...] = tuple(RacerConfig(o) for o in DEFAULT_RACERS)
    view: tuple[float, float, float, float] | None = None
    tol: float = 1e-10

    def __post_init__(self) -> None:
        if not isinstance(self.loss, str) or not self.loss.strip():
            raise ConfigError(msg("loss must be a built-in surface name or an expression in x and y"))
        params = {
            str(k): _finite(v, msg("loss parameter {name}", name=str(k)))
            for k, v in dict(self.loss_params).items()
        }
        object.__setattr__(self, "loss_params", params)
        if self.start is not None:
            if not isinstance(self.start, list | tuple) or len(self.start) != 2:
                raise ConfigError(
                    msg("start must be two numbers [w1, w2], got {value}", value=repr(self.start))
                )
            start = (_finite(self.start[0], "start w1"), _finite(self.start[1], "start w2"))
            object.__setattr__(self, "start", start)
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or not 0 < self.steps <= MAX_STEPS:
            raise ConfigError(
                msg(
                    "steps must be a whole number in [1, {limit}], got {value}",
                    limit=f"{MAX_STEPS:,}",
                    value=repr(self.steps),
                )
            )
        racers = tuple(self.racers)
        if not all(isinstance(r, RacerConfig) for r in racers):
            raise ConfigError(msg("racers must be RacerConfig entries"))
        if len(racers) > MAX_RACERS:
            raise ConfigError(msg("at most {limit} racers, got {count}", limit=MAX_RACERS, count=len(racers)))
        object.__setattr__(self, "racers", racers)
        if self.view is not None:
            if not isinstance(self.view, list | tuple) or len(self.view) != 4:
                raise ConfigError(msg("view must be [w1_min, w1_max, w2_min, w2_max]"))
            view = tuple(_finite(v, "view") for v in self.view)
            if not (view[0] < view[1] and view[2] < view[3]):
                raise ConfigError(
                    msg("view must have min < max on both axes, got {view}", view=str(list(view)))
                )
            object.__setattr__(self, "view", view)
        tol = _finite(self.tol, "tol")
        if tol < 0:
            raise ConfigError(msg("tol must be ≥ 0, got {value}", value=str(tol)))

    def enabled_racers(self) -> tuple[RacerConfig, ...]:
        return tuple(r for r in self.racers if r.enabled)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SESSION_FORMAT,
            "version": SESSION_VERSION,
            "loss": self.loss,
            "loss_params": dict(self.loss_params),
            "start": list(self.start) if self.start is not None else None,
            "steps": self.steps,
            "tol": self.tol,
            "view": list(self.view) if self.view is not None else None,
            "racers": [r.to_dict() for r in self.racers],
        }

    @classmethod
    def from_dict(cls, data: Any) -> SessionConfig:
        """Validate a decoded session file; every problem raises ConfigError naming it."""
        if not isinstance(data, dict):
            raise ConfigError(msg("a session file must hold a JSON object"))
        if data.get("format") != SESSION_FORMAT:
            raise ConfigError(
                msg(
                    "not an Optimizer Lab session (its 'format' is not {format})", format=repr(SESSION_FORMAT)
                )
            )
        version = data.get("version")
        if version != SESSION_VERSION:
            raise ConfigError(
                msg(
                    "session version {version} is not supported; "
                    "this Optimizer Lab reads version {supported}",
                    version=repr(version),
                    supported=SESSION_VERSION,
                )
            )
        known = {"format", "version", "loss", "loss_params", "start", "steps", "tol", "view", "racers"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(msg("unknown session field(s): {fields}", fields=", ".join(unknown)))
        racers_data = data.get("racers", [])
        if not isinstance(racers_data, list):
            raise ConfigError(msg("'racers' must be a list"))
        racers = []
        for i, item in enumerate(racers_data):
            if not isinstance(item, dict) or not isinstance(item.get("optimizer"), str):
                raise ConfigError(msg("racer {n} must be an object with an 'optimizer' name", n=i + 1))
            extra = sorted(set(item) - {"optimizer", "hyperparameters", "schedule", "enabled"})
            if extra:
                raise ConfigError(
                    msg("racer {n} has unknown field(s): {fields}", n=i + 1, fields=", ".join(extra))
                )
            hyper = item.get("hyperparameters", {})
            if not isinstance(hyper, dict):
                raise ConfigError(msg("racer {n}: 'hyperparameters' must be an object", n=i + 1))
            for k, v in hyper.items():
                _finite(
                    v, msg("racer {n} ({optimizer}) {name}", n=i + 1, optimizer=item["optimizer"], name=k)
                )
            schedule = item.get("schedule", "constant")
            enabled = item.get("enabled", True)
            if not isinstance(schedule, str) or not isinstance(enabled, bool):
                raise ConfigError(msg("racer {n}: 'schedule' must be text and 'enabled' true/false", n=i + 1))
            try:
                racers.append(RacerConfig(item["optimizer"], hyper, schedule, enabled))
            except ConfigError as exc:
                raise ConfigError(msg("racer {n}: {error}", n=i + 1, error=message_of(exc))) from None
        loss_params = data.get("loss_params", {}) or {}
        if not isinstance(loss_params, dict):
            raise ConfigError(msg("'loss_params' must be an object"))
        return cls(
            loss=_text(data.get("loss", "quadratic"), "loss"),
            loss_params=loss_params,
            start=data.get("start"),
            steps=data.get("steps", 2000),
            racers=tuple(racers),
            view=data.get("view"),
            tol=data.get("tol", 1e-10),
        )


def all_racers() -> tuple[RacerConfig, ...]:
    """Every optimizer with its defaults, the default ones enabled (what the GUI lists)."""
    return tuple(RacerConfig(o, enabled=o in DEFAULT_RACERS) for o in OPTIMIZERS)
