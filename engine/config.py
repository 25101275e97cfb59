"""The plain, validated configuration of a race: what the GUI edits and a session file stores.

It holds only data (strings and numbers), never compiled objects, so a session file is
JSON that reopens bit for bit and can never execute anything: the loss expression in it
goes through the same safe parser as typed text when the race is built.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from engine.errors import ConfigError
from engine.messages import message_of, msg
from engine.optimizers import OPTIMIZERS, get_optimizer, resolve_hyperparameters
from engine.reading import short_repr
from engine.schedules import Schedule

if TYPE_CHECKING:
    from engine.data import DataSpec

SESSION_FORMAT = "optimizer-lab-session"
#: 2: racers carry a key, label and colour, the same optimizer may race more than once,
#: and mid-run edits are kept. Version-1 files are migrated when read.
#: 3: a data loss, the batch size, gradient noise and seeds (the race's and a racer's own).
#: A session that uses none of them is written as version 2, so older versions still open it.
SESSION_VERSION = 3
PLAIN_SESSION_VERSION = 2
#: Seeds are whole numbers that the kernels' float64 vectors hold exactly.
MAX_SEED = 2**53 - 1
#: The largest batch size (engine.datasets.MAX_ROWS rows; anything ≥ the rows is the full batch).
MAX_BATCH_SIZE = 200_000
MAX_RACERS = 12
MAX_STEPS = 100_000_000
#: Colour-blind-safe racer colours: the Okabe–Ito (2008) palette without its yellow (lost on
#: the pale surface), then five darker colours that still read on it. One per racer, so 12.
PALETTE = (
    "#000000",
    "#009E73",
    "#E69F00",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#5E3C99",
    "#8C510A",
    "#B2182B",
    "#01665E",
    "#4D4D4D",
)
#: The colour an optimizer's first racer gets when it is free (the default race keeps its look).
PREFERRED_COLOR = {
    "sgd": "#000000",
    "momentum": "#009E73",
    "adagrad": "#E69F00",
    "rmsprop": "#0072B2",
    "adam": "#D55E00",
    "adam-lecture": "#CC79A7",
    "momentum-lecture": "#56B4E9",
    "nadam": "#5E3C99",
    "adamw": "#8C510A",
    "amsgrad": "#B2182B",
    "qhm": "#01665E",
    "adadelta": "#4D4D4D",
}
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_#")

#: The default race follows the lecture: SGD, its momentum (one remembered gradient), AdaGrad,
#: RMSprop and its Adam (no bias correction), in the order the lecture introduces them.
DEFAULT_RACERS = ("sgd", "momentum-lecture", "adagrad", "rmsprop", "adam-lecture")


@dataclass(frozen=True)
class RacerConfig:
    """One racer: an optimizer with its full set of hyperparameters, a label and a colour.

    The same optimizer may race several times with different settings, so a racer is
    known by its ``key`` (unique in its race; the optimizer's id for its first racer).
    An empty key, label or colour is filled in by the race (``SessionConfig``).
    """

    optimizer: str
    hyperparameters: Mapping[str, float] = field(default_factory=dict)
    schedule: str = "constant"
    enabled: bool = True
    key: str = ""
    #: What the legend, the list and the exports call it; "" → the optimizer's title (+ what
    #: differs from its namesakes, e.g. "RMSprop β=0.5").
    label: str = ""
    color: str = ""
    #: The racer's own seed for minibatches and noise; None = the race's (every racer sees the same).
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.seed is not None:
            check_seed(self.seed, msg("a racer's seed"))
        try:
            opt = get_optimizer(self.optimizer)
            given = {k: _finite(v, str(k)) for k, v in dict(self.hyperparameters).items()}
            hyper = resolve_hyperparameters(opt, given)
            schedule = str(Schedule.parse(self.schedule))
        except ValueError as exc:
            raise ConfigError(message_of(exc)) from None
        object.__setattr__(self, "optimizer", opt.id)
        object.__setattr__(self, "hyperparameters", hyper)
        object.__setattr__(self, "schedule", schedule)
        if not isinstance(self.enabled, bool):
            raise ConfigError(msg("'enabled' must be true or false"))
        if (
            not isinstance(self.key, str)
            or (self.key and not set(self.key) <= _KEY_CHARS)
            or len(self.key) > 40
        ):
            raise ConfigError(msg("racer key {key} must be up to 40 of a-z, 0-9, - _ #", key=repr(self.key)))
        if not isinstance(self.label, str) or len(self.label) > 80 or not self.label.isprintable():
            raise ConfigError(msg("a racer's label must be one line of at most 80 characters"))
        if not isinstance(self.color, str) or (self.color and self.color.upper() not in PALETTE):
            raise ConfigError(
                msg(
                    "racer colour {color} is not in the palette; use one of {choices}",
                    color=repr(self.color),
                    choices=", ".join(PALETTE),
                )
            )
        object.__setattr__(self, "label", self.label.strip())
        object.__setattr__(self, "color", self.color.upper())

    def with_values(self, **changes: Any) -> RacerConfig:
        """A copy with some hyperparameters (by name) or fields changed, validated."""
        fields = {
            k: changes.pop(k)
            for k in ("schedule", "enabled", "key", "label", "color", "seed")
            if k in changes
        }
        hyper = {**self.hyperparameters, **changes}
        return replace(self, hyperparameters=hyper, **fields)

    def settings_equal(self, other: RacerConfig) -> bool:
        """Same optimizer, hyperparameters, schedule and seed (what decides the numbers)."""
        return (self.optimizer, dict(self.hyperparameters), self.schedule, self.seed) == (
            other.optimizer,
            dict(other.hyperparameters),
            other.schedule,
            other.seed,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "optimizer": self.optimizer,
            "label": self.label,
            "color": self.color,
            "hyperparameters": dict(self.hyperparameters),
            "schedule": self.schedule,
            "enabled": self.enabled,
            **({"seed": self.seed} if self.seed is not None else {}),
        }


@dataclass(frozen=True)
class Edit:
    """A mid-run change of one racer's settings: in force from step ``after_step + 1`` on.

    A race keeps every edit, so a saved session, an export and the step inspector all use
    the value that was in force at each step, and a replay reproduces the run bit for bit.
    """

    racer: str
    after_step: int
    hyperparameters: Mapping[str, float]
    schedule: str = "constant"

    def __post_init__(self) -> None:
        if isinstance(self.after_step, bool) or not isinstance(self.after_step, int) or self.after_step < 0:
            raise ConfigError(
                msg("an edit's step must be a whole number ≥ 0, got {value}", value=repr(self.after_step))
            )
        object.__setattr__(self, "hyperparameters", dict(self.hyperparameters))

    def apply(self, racer: RacerConfig) -> RacerConfig:
        return racer.with_values(schedule=self.schedule, **self.hyperparameters)

    def to_dict(self) -> dict[str, Any]:
        return {
            "racer": self.racer,
            "after_step": self.after_step,
            "hyperparameters": dict(self.hyperparameters),
            "schedule": self.schedule,
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
    """``value`` as a finite float; a huge integer (401 digits in a file) is refused, not an OverflowError."""
    number = math.nan
    if not isinstance(value, bool) and isinstance(value, int | float):
        with contextlib.suppress(OverflowError):
            number = float(value)
    if not math.isfinite(number):
        raise ConfigError(
            msg("{what} must be a finite number, got {value}", what=what, value=short_repr(value))
        )
    return number


def check_seed(value: Any, what: str) -> int:
    """A seed: a whole number in [0, 2⁵³ − 1]; ConfigError naming ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise ConfigError(
            msg(
                "{what} must be a whole number in 0…{limit}, got {value}",
                what=what,
                limit=f"{MAX_SEED:,}",
                value=short_repr(value),
            )
        )
    return value


def unique_key(optimizer: str, taken: set[str]) -> str:
    """A racer's key: the optimizer's id, or ``id#2``, ``id#3``… if taken (as the window keys copies)."""
    if optimizer not in taken:
        return optimizer
    n = 2
    while f"{optimizer}#{n}" in taken:
        n += 1
    return f"{optimizer}#{n}"


def free_color(optimizer: str, taken: set[str]) -> str:
    """The optimizer's own colour if no racer has it yet, else the first free palette colour."""
    preferred = PREFERRED_COLOR.get(optimizer)
    if preferred is not None and preferred not in taken:
        return preferred
    return next((c for c in PALETTE if c not in taken), PALETTE[len(taken) % len(PALETTE)])


def _fill_racers(racers: tuple[RacerConfig, ...]) -> tuple[RacerConfig, ...]:
    """Give every racer a unique key and a colour no other racer has (kept when already set)."""
    keys = [r.key for r in racers if r.key]
    if len(set(keys)) != len(keys):
        duplicate = next(k for k in keys if keys.count(k) > 1)
        raise ConfigError(msg("two racers have the key {key}; each needs its own", key=repr(duplicate)))
    taken_keys = set(keys)
    colors = [r.color for r in racers if r.color]
    taken_colors = set(colors)
    out = []
    seen_colors: set[str] = set()
    for racer in racers:
        changes: dict[str, str] = {}
        if not racer.key:
            changes["key"] = unique_key(racer.optimizer, taken_keys)
            taken_keys.add(changes["key"])
        if not racer.color or racer.color in seen_colors:
            changes["color"] = free_color(racer.optimizer, taken_colors | seen_colors)
            taken_colors.add(changes["color"])
        racer = replace(racer, **changes) if changes else racer
        seen_colors.add(racer.color)
        out.append(racer)
    return tuple(out)


def _hyper_text(values: Mapping[str, float]) -> str:
    from engine.optimizers import HYPERPARAMETERS

    return ", ".join(f"{HYPERPARAMETERS[k].symbol}={v:g}" for k, v in values.items())


def label_parts(
    racer: RacerConfig, racers: tuple[RacerConfig, ...], leave_out: Collection[str] = ()
) -> tuple[str, str]:
    """(the optimizer's title, what tells this racer from its namesakes) for an automatic label.

    "RMSprop", "β=0.5": the settings that differ between racers of the same optimizer, so
    the lecture's three RMSprop racers read "RMSprop β=0.5 / β=0.9 / β=0.99". The title is
    kept apart so the GUI can translate it. ``leave_out``: hyperparameters the caller shows
    beside the label anyway (the window's legend shows every racer's η: "Adam η=0.1 η=0.1").
    """
    title = OPTIMIZERS[racer.optimizer].title
    namesakes = [r for r in racers if r.optimizer == racer.optimizer]
    if len(namesakes) < 2:
        return title, ""
    differ = {k: racer.hyperparameters[k] for k in telling_apart(racer, racers) if k not in leave_out}
    detail = _hyper_text(differ)
    if len({r.schedule for r in namesakes}) > 1 and racer.schedule != "constant":
        detail = f"{detail}, {racer.schedule}" if detail else racer.schedule
    if len({r.seed for r in namesakes}) > 1 and racer.seed is not None:  # own batches tell them apart
        detail = (
            msg("{settings}, seed {seed}", settings=detail, seed=racer.seed)
            if detail
            else msg("seed {seed}", seed=racer.seed)
        )
    same = [r for r in namesakes if r.settings_equal(racer)]
    if len(same) > 1:  # identical twins: number them
        detail = f"{detail} #{same.index(next(r for r in same if r.key == racer.key)) + 1}".strip()
    return title, detail


def telling_apart(racer: RacerConfig, racers: tuple[RacerConfig, ...]) -> list[str]:
    """The hyperparameters an automatic label names (``label_parts``): those in which the racer's
    namesakes (the racers of its optimizer) differ, in the racer's order."""
    namesakes = [r for r in racers if r.optimizer == racer.optimizer]
    if len(namesakes) < 2:
        return []
    return [k for k in racer.hyperparameters if len({r.hyperparameters.get(k) for r in namesakes}) > 1]


def racer_label(racer: RacerConfig, racers: tuple[RacerConfig, ...]) -> str:
    """The racer's own label, or the automatic one (see ``label_parts``)."""
    if racer.label:
        return racer.label
    title, detail = label_parts(racer, racers)
    return f"{title} {detail}" if detail else title


@dataclass(frozen=True)
class SessionConfig:
    """Everything needed to reproduce a race exactly: its racers as at step 0 and every later edit."""

    loss: str = "quadratic"
    loss_params: Mapping[str, float] = field(default_factory=dict)
    start: tuple[float, float] | None = None
    steps: int = 2000
    racers: tuple[RacerConfig, ...] = tuple(RacerConfig(o) for o in DEFAULT_RACERS)
    view: tuple[float, float, float, float] | None = None
    tol: float = 1e-10
    #: Mid-run changes, in the order they were made (see ``Edit``).
    edits: tuple[Edit, ...] = ()
    #: A loss made from data (``engine.data``); when set it is the race's loss and ``loss`` is unused.
    data: DataSpec | None = None
    #: Rows per minibatch for a data loss; 0 (or ≥ the rows) = the full batch, the exact gradient.
    batch_size: int = 0
    #: σ of the Gaussian noise added to every gradient (any surface); 0 = none.
    noise: float = 0.0
    #: The race's seed for minibatches and noise (a racer may have its own, ``RacerConfig.seed``).
    seed: int = 0

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
                    msg("start must be two numbers [w1, w2], got {value}", value=short_repr(self.start, 60))
                )
            start = (_finite(self.start[0], "start w1"), _finite(self.start[1], "start w2"))
            object.__setattr__(self, "start", start)
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or not 0 < self.steps <= MAX_STEPS:
            raise ConfigError(
                msg(
                    "steps must be a whole number in [1, {limit}], got {value}",
                    limit=f"{MAX_STEPS:,}",
                    value=short_repr(self.steps),
                )
            )
        racers = tuple(self.racers)
        if not all(isinstance(r, RacerConfig) for r in racers):
            raise ConfigError(msg("racers must be RacerConfig entries"))
        if len(racers) > MAX_RACERS:
            raise ConfigError(too_many_racers(len(racers)))
        object.__setattr__(self, "racers", _fill_racers(racers))
        edits = tuple(self.edits)
        keys = {r.key for r in self.racers}
        for edit in edits:
            if not isinstance(edit, Edit):
                raise ConfigError(msg("edits must be Edit entries"))
            if edit.racer not in keys:
                raise ConfigError(
                    msg("an edit names racer {key}, which is not in the race", key=repr(edit.racer))
                )
        object.__setattr__(self, "edits", edits)
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
        if self.data is not None:
            from engine.data import DataSpec

            if not isinstance(self.data, DataSpec):
                raise ConfigError(msg("data must be a DataSpec"))
        if (
            isinstance(self.batch_size, bool)
            or not isinstance(self.batch_size, int)
            or not 0 <= self.batch_size <= MAX_BATCH_SIZE
        ):
            raise ConfigError(
                msg(
                    "the batch size must be a whole number in 0…{limit} (0 = the full batch), got {value}",
                    limit=f"{MAX_BATCH_SIZE:,}",
                    value=short_repr(self.batch_size),
                )
            )
        noise = _finite(self.noise, msg("the gradient noise σ"))
        if noise < 0:
            raise ConfigError(msg("the gradient noise σ must be ≥ 0, got {value}", value=str(noise)))
        object.__setattr__(self, "noise", noise)
        check_seed(self.seed, msg("the seed"))

    def seed_of(self, racer: RacerConfig) -> int:
        """The seed a racer's minibatches and noise come from: its own, or the race's."""
        return self.seed if racer.seed is None else racer.seed

    @property
    def stochastic_fields(self) -> dict[str, Any]:
        """The version-3 fields that differ from a plain race (what makes a file version 3)."""
        out: dict[str, Any] = {}
        if self.data is not None:
            out["data"] = self.data.to_dict()
        if self.batch_size:
            out["batch_size"] = self.batch_size
        if self.noise:
            out["noise"] = self.noise
        if self.seed:
            out["seed"] = self.seed
        return out

    def enabled_racers(self) -> tuple[RacerConfig, ...]:
        return tuple(r for r in self.racers if r.enabled)

    def racer(self, key: str) -> RacerConfig:
        """The racer ``key`` as at step 0."""
        for racer in self.racers:
            if racer.key == key:
                return racer
        raise KeyError(key)

    def edits_of(self, key: str) -> tuple[Edit, ...]:
        return tuple(e for e in self.edits if e.racer == key)

    def settings_at(self, key: str, step: int) -> RacerConfig:
        """The racer's settings in force at ``step`` (the one step ``step`` used)."""
        racer = self.racer(key)
        for edit in self.edits:
            if edit.racer == key and step > edit.after_step:
                racer = edit.apply(racer)
        return racer

    def current_racers(self) -> tuple[RacerConfig, ...]:
        """Every racer with all its edits applied: what the controls show."""
        return tuple(self.settings_at(r.key, MAX_STEPS + 1) for r in self.racers)

    def label(self, key: str) -> str:
        """The racer's label, told apart from its namesakes by its current settings."""
        current = self.current_racers()
        return racer_label(next(r for r in current if r.key == key), current)

    def to_dict(self) -> dict[str, Any]:
        extra = self.stochastic_fields
        newer = bool(extra) or any(r.seed is not None for r in self.racers)
        return {
            "format": SESSION_FORMAT,
            "version": SESSION_VERSION if newer else PLAIN_SESSION_VERSION,
            **extra,
            "loss": self.loss,
            "loss_params": dict(self.loss_params),
            "start": list(self.start) if self.start is not None else None,
            "steps": self.steps,
            "tol": self.tol,
            "view": list(self.view) if self.view is not None else None,
            "racers": [r.to_dict() for r in self.racers],
            "edits": [e.to_dict() for e in self.edits],
        }

    @classmethod
    def from_dict(cls, data: Any) -> SessionConfig:
        """Validate a decoded session file; every problem raises ConfigError naming it.

        A version-1 file (one racer per optimizer, no edits) is migrated: its racing
        optimizers become racers; the ones it listed but did not race are left out.
        """
        if not isinstance(data, dict):
            raise ConfigError(msg("a session file must hold a JSON object"))
        if data.get("format") != SESSION_FORMAT:
            raise ConfigError(
                msg(
                    "not an Optimizer Lab session (its 'format' is not {format})", format=repr(SESSION_FORMAT)
                )
            )
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SESSION_VERSION:
            raise ConfigError(
                msg(
                    "this session was saved by a newer Optimizer Lab (file version {version}); "
                    "this one reads versions 1 to {supported}: update Optimizer Lab to open it",
                    version=version,
                    supported=SESSION_VERSION,
                )
            )
        if version not in (1, 2, SESSION_VERSION) or isinstance(version, bool):
            raise ConfigError(
                msg(
                    "session version {version} is not supported; "
                    "this Optimizer Lab reads version {supported}",
                    version=repr(version),
                    supported=SESSION_VERSION,
                )
            )
        known = {"format", "version", "loss", "loss_params", "start", "steps", "tol", "view", "racers"}
        if version >= 2:
            known.add("edits")
        if version >= 3:
            known |= {"data", "batch_size", "noise", "seed"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(msg("unknown session field(s): {fields}", fields=", ".join(unknown)))
        racers_data = data.get("racers", [])
        if not isinstance(racers_data, list):
            raise ConfigError(msg("'racers' must be a list"))
        racer_fields = {"optimizer", "hyperparameters", "schedule", "enabled"}
        if version >= 2:
            racer_fields |= {"key", "label", "color"}
        if version >= 3:
            racer_fields.add("seed")
        racers = []
        for i, item in enumerate(racers_data):
            if not isinstance(item, dict) or not isinstance(item.get("optimizer"), str):
                raise ConfigError(msg("racer {n} must be an object with an 'optimizer' name", n=i + 1))
            extra = sorted(set(item) - racer_fields)
            if extra:
                raise ConfigError(
                    msg("racer {n} has unknown field(s): {fields}", n=i + 1, fields=", ".join(extra))
                )
            hyper = _hyper_dict(item.get("hyperparameters", {}), msg("racer {n}", n=i + 1))
            schedule = item.get("schedule", "constant")
            enabled = item.get("enabled", True)
            if not isinstance(schedule, str) or not isinstance(enabled, bool):
                raise ConfigError(msg("racer {n}: 'schedule' must be text and 'enabled' true/false", n=i + 1))
            if version == 1 and not enabled:
                continue  # version 1 listed every optimizer; only the racing ones are racers
            texts = {k: item.get(k, "") for k in ("key", "label", "color")}
            try:
                racers.append(
                    RacerConfig(item["optimizer"], hyper, schedule, enabled, **texts, seed=item.get("seed"))
                )
            except ConfigError as exc:
                raise ConfigError(msg("racer {n}: {error}", n=i + 1, error=message_of(exc))) from None
        if len(racers) > MAX_RACERS:
            raise ConfigError(too_many_racers(len(racers)))
        edits = []
        edits_data = data.get("edits", [])
        if not isinstance(edits_data, list):
            raise ConfigError(msg("'edits' must be a list"))
        for i, item in enumerate(edits_data):
            if not isinstance(item, dict) or set(item) != {
                "racer",
                "after_step",
                "hyperparameters",
                "schedule",
            }:
                raise ConfigError(
                    msg("edit {n} must have exactly racer, after_step, hyperparameters and schedule", n=i + 1)
                )
            if not isinstance(item["racer"], str) or not isinstance(item["schedule"], str):
                raise ConfigError(msg("edit {n}: 'racer' and 'schedule' must be text", n=i + 1))
            hyper = _hyper_dict(item["hyperparameters"], msg("edit {n}", n=i + 1))
            try:
                edit = Edit(item["racer"], item["after_step"], hyper, item["schedule"])
                # the edited settings must be valid for that racer
                racer = next((r for r in racers if r.key == edit.racer), None)
                if racer is not None:
                    edit.apply(racer)
            except ConfigError as exc:
                raise ConfigError(msg("edit {n}: {error}", n=i + 1, error=message_of(exc))) from None
            edits.append(edit)
        loss_params = data.get("loss_params", {}) or {}
        if not isinstance(loss_params, dict):
            raise ConfigError(msg("'loss_params' must be an object"))
        spec = None
        if data.get("data") is not None:
            from engine.data import DataSpec

            spec = DataSpec.from_dict(data["data"])
        return cls(
            loss=_text(data.get("loss", "quadratic"), "loss"),
            loss_params=loss_params,
            start=data.get("start"),
            steps=data.get("steps", 2000),
            racers=tuple(racers),
            view=data.get("view"),
            tol=data.get("tol", 1e-10),
            edits=tuple(edits),
            data=spec,
            batch_size=data.get("batch_size", 0),
            noise=data.get("noise", 0.0),
            seed=data.get("seed", 0),
        )


def _hyper_dict(value: Any, where: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise ConfigError(msg("{where}: 'hyperparameters' must be an object", where=where))
    for k, v in value.items():
        _finite(v, msg("{where} {name}", where=where, name=k))
    return value


def too_many_racers(count: int) -> Any:
    """The refusal of a race past MAX_RACERS, naming the limit."""
    return msg(
        "a race holds at most {limit} racers, got {count}; remove one before adding another",
        limit=MAX_RACERS,
        count=count,
    )


def all_racers() -> tuple[RacerConfig, ...]:
    """Every optimizer with its defaults, the default ones enabled (what "Add racer" offers)."""
    return tuple(RacerConfig(o, enabled=o in DEFAULT_RACERS) for o in OPTIMIZERS)
