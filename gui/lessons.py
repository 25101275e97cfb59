"""Built-in lessons and compare presets: JSON files in ``resources/lessons/``, read without Qt.

Each file is one scene: a session (``SessionConfig.to_dict()``) plus the text that explains
it in every language of the interface, so a teacher can add or fix a lesson without
touching code. Loading is strict: a broken file raises ``LessonError`` naming the file and
the problem, so a mistake shows up when the menu is built rather than half-way through a class.
The format is documented in ``resources/lessons/README.md``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.config import ConfigError, SessionConfig
from engine.messages import message_of, msg, os_reason
from engine.reading import FileRefused, parse_json, read_regular_file, short_repr

LESSON_FORMAT = "optimizer-lab-lesson"
LESSON_VERSION = 1
#: Menus list the guided lessons first, then the side-by-side presets.
KINDS = ("lesson", "compare")
#: What a "watch this" hint may point at: a per-weight plot (``gui.views.panels.ROWS``),
#: the contour view or the step inspector.
TARGETS = ("lr", "G", "M", "grad", "w", "loss", "contour", "inspector")
#: Every lesson must carry its text in each language of the interface; English is the fallback.
REQUIRED_LANGUAGES = ("en", "fa")
FALLBACK_LANGUAGE = "en"
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 2, 4
MAX_SPEED = 10_000.0
MAX_LESSON_BYTES = 1_000_000
TEXT_FIELDS = ("title", "summary", "paragraphs")

LESSONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "lessons"
"""``resources/lessons`` beside ``gui/``: the checkout, or site-packages for an installed wheel."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_KEYS = {
    "format",
    "version",
    "id",
    "order",
    "kind",
    "title",
    "summary",
    "paragraphs",
    "watch",
    "speed",
    "session",
}
#: Fields a lesson may leave out.
_OPTIONAL_KEYS = {"map"}
_MAP_KEYS = {"kind", "grid", "color", "x", "y"}
MAP_GRIDS = (64, 128, 256, 512)


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True)
class WatchHint:
    """A "watch this" pointer: which view to highlight and what to look for there."""

    target: str
    text: Mapping[str, str] = field(hash=False)

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text[FALLBACK_LANGUAGE]


@dataclass(frozen=True)
class Lesson:
    """One scene: a session to play and the words that explain it."""

    id: str
    order: int
    kind: str
    title: Mapping[str, str] = field(hash=False)
    summary: Mapping[str, str] = field(hash=False)
    paragraphs: Mapping[str, tuple[str, ...]] = field(hash=False)
    watch: tuple[WatchHint, ...]
    #: Steps per second to play at.
    speed: float
    config: SessionConfig = field(hash=False)
    path: Path | None = field(default=None, compare=False)
    #: A map to open beside the race (``LessonMap``), or None.
    map: LessonMap | None = None

    def text(self, field_name: str, language: str) -> Any:
        """``title``/``summary`` (str) or ``paragraphs`` (tuple of str) in ``language``, else English."""
        if field_name not in TEXT_FIELDS:
            raise ValueError(f"unknown lesson text {field_name!r}; choose one of: {', '.join(TEXT_FIELDS)}")
        values: Mapping[str, Any] = getattr(self, field_name)
        return values.get(language) or values[FALLBACK_LANGUAGE]

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages every text of this lesson is available in."""
        common = set(self.title) & set(self.summary) & set(self.paragraphs)
        for hint in self.watch:
            common &= set(hint.text)
        return tuple(sorted(common))


@dataclass(frozen=True)
class LessonMap:
    """The Maps panel's settings for a lesson: a basin map, or two axes of a hyperparameter map."""

    kind: str
    grid: int
    color: str
    x: str = ""
    y: str = ""


def _map(value: Any, config: SessionConfig) -> LessonMap:
    """Check a lesson's ``map``: its axes must be the first racer's hyperparameters or the surface's."""
    from engine.maps import HYPER, Axis, MapError
    from engine.maps import KINDS as MAP_KINDS
    from engine.optimizers import get_optimizer

    if not isinstance(value, dict) or not {"kind", "grid", "color"} <= set(value) or set(value) - _MAP_KEYS:
        raise ConfigError(
            msg("'map' must be an object with kind, grid and color (and x, y for a hyperparameter map)")
        )
    kind, grid, color = value["kind"], value["grid"], value["color"]
    if kind not in MAP_KINDS:
        raise ConfigError(
            msg("map: kind must be one of {kinds}, got {value}", kinds=", ".join(MAP_KINDS), value=repr(kind))
        )
    if grid not in MAP_GRIDS:
        raise ConfigError(
            msg(
                "map: grid must be one of {grids}, got {value}",
                grids=", ".join(map(str, MAP_GRIDS)),
                value=repr(grid),
            )
        )
    if color not in ("basin", "loss", "steps"):
        raise ConfigError(msg("map: color must be basin, loss or steps, got {value}", value=repr(color)))
    x = y = ""
    if kind == HYPER:
        x, y = value.get("x"), value.get("y")
        if not (isinstance(x, str) and isinstance(y, str)):
            raise ConfigError(msg('map: a hyperparameter map needs x and y, like "lr:1e-4:10:log"'))
        allowed = [*get_optimizer(config.enabled_racers()[0].optimizer).defaults, *config.loss_params]
        for text in (x, y):
            try:
                axis = Axis.parse(text, grid)
            except MapError as exc:
                raise ConfigError(msg("map: {problem}", problem=message_of(exc))) from None
            if axis.name not in allowed:
                raise ConfigError(
                    msg(
                        "map: {name} is not a setting of the first racer or the surface; "
                        "use one of: {allowed}",
                        name=repr(axis.name),
                        allowed=", ".join(allowed),
                    )
                )
    elif "x" in value or "y" in value:
        raise ConfigError(msg("map: a basin map's axes are w1 and w2; x and y are for a hyperparameter map"))
    return LessonMap(kind=kind, grid=grid, color=color, x=x, y=y)


def _texts(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(
            msg("{what} must be an object of texts by language, like {{'en': …, 'fa': …}}", what=repr(what))
        )
    out: dict[str, str] = {}
    for lang, text in value.items():
        if not _LANGUAGE.match(str(lang)):
            raise ConfigError(
                msg(
                    "{what} has a bad language code {lang}; use codes like 'en' or 'fa'",
                    what=repr(what),
                    lang=repr(lang),
                )
            )
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(
                msg("{what} in {lang} must be non-empty text", what=repr(what), lang=repr(lang))
            )
        out[lang] = text.strip()
    _require_languages(out, what)
    return out


def _require_languages(values: Mapping[str, Any], what: str) -> None:
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in values]
    if missing:
        raise ConfigError(
            msg("{what} is missing language(s): {missing}", what=repr(what), missing=", ".join(missing))
        )


def _paragraphs(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(msg("'paragraphs' must be an object of paragraph lists by language"))
    out: dict[str, tuple[str, ...]] = {}
    for lang, items in value.items():
        if not _LANGUAGE.match(str(lang)):
            raise ConfigError(
                msg(
                    "'paragraphs' has a bad language code {lang}; use codes like 'en' or 'fa'",
                    lang=repr(lang),
                )
            )
        if not isinstance(items, list) or not all(isinstance(p, str) and p.strip() for p in items):
            raise ConfigError(
                msg("'paragraphs' in {lang} must be a list of non-empty texts", lang=repr(lang))
            )
        if not MIN_PARAGRAPHS <= len(items) <= MAX_PARAGRAPHS:
            raise ConfigError(
                msg(
                    "'paragraphs' in {lang} has {count}; a lesson has {low} to {high} short paragraphs",
                    lang=repr(lang),
                    count=len(items),
                    low=MIN_PARAGRAPHS,
                    high=MAX_PARAGRAPHS,
                )
            )
        out[lang] = tuple(p.strip() for p in items)
    _require_languages(out, "paragraphs")
    return out


def _watch(value: Any) -> tuple[WatchHint, ...]:
    if not isinstance(value, list):
        raise ConfigError(msg('\'watch\' must be a list of {"target": …, "text": {…}} hints'))
    hints = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, dict) or set(item) != {"target", "text"}:
            raise ConfigError(msg("watch hint {i} must be an object with exactly 'target' and 'text'", i=i))
        target = item["target"]
        if target not in TARGETS:
            choices = ", ".join(TARGETS)
            raise ConfigError(
                msg(
                    "watch hint {i} has unknown target {target}; choose one of: {choices}",
                    i=i,
                    target=repr(target),
                    choices=choices,
                )
            )
        hints.append(WatchHint(target, _texts(item["text"], f"watch hint {i} text")))
    return tuple(hints)


def _check_loss(loss: str) -> None:
    """A built-in surface, or an expression the safe parser accepts (never evaluated here)."""
    from engine.expressions import ExpressionError
    from engine.losses import check_loss_spec

    try:
        check_loss_spec(loss)
    except ExpressionError as exc:
        raise ConfigError(
            msg(
                "session: loss is neither a built-in surface nor a valid expression: {problem}",
                problem=message_of(exc),
            )
        ) from None


def _refuse_constant(name: str) -> float:
    raise ValueError(msg("{name} is not an allowed number in a lesson file", name=name))


def lesson_from_dict(data: Any, path: Path | None = None) -> Lesson:
    """Validate a decoded lesson file; problems raise ``ConfigError`` (``load_lesson`` adds the file name)."""
    if not isinstance(data, dict):
        raise ConfigError(msg("a lesson file must hold a JSON object"))
    if data.get("format") != LESSON_FORMAT:
        raise ConfigError(
            msg("not an Optimizer Lab lesson (its 'format' is not {expected})", expected=repr(LESSON_FORMAT))
        )
    if data.get("version") != LESSON_VERSION:
        raise ConfigError(
            msg(
                "lesson version {version} is not supported; this Optimizer Lab reads version {supported}",
                version=repr(data.get("version")),
                supported=LESSON_VERSION,
            )
        )
    unknown = sorted(set(data) - _KEYS - _OPTIONAL_KEYS)
    if unknown:
        raise ConfigError(msg("unknown field(s): {fields}", fields=", ".join(unknown)))
    missing = sorted(_KEYS - set(data))
    if missing:
        raise ConfigError(msg("missing field(s): {fields}", fields=", ".join(missing)))
    lesson_id = data["id"]
    if not isinstance(lesson_id, str) or not _ID.match(lesson_id):
        raise ConfigError(
            msg("'id' must be lower-case letters, digits and '-', got {value}", value=repr(lesson_id))
        )
    order = data["order"]
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise ConfigError(msg("'order' must be a whole number ≥ 1, got {value}", value=short_repr(order)))
    kind = data["kind"]
    if kind not in KINDS:
        raise ConfigError(
            msg("'kind' must be one of: {kinds}; got {value}", kinds=", ".join(KINDS), value=repr(kind))
        )
    speed = data["speed"]
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not 0 < speed <= MAX_SPEED:
        raise ConfigError(
            msg(
                "'speed' must be steps per second in (0, {most}], got {value}",
                most=f"{MAX_SPEED:g}",
                value=short_repr(speed),
            )
        )
    try:
        config = SessionConfig.from_dict(data["session"])
    except ConfigError as exc:
        raise ConfigError(msg("session: {problem}", problem=message_of(exc))) from None
    if not config.enabled_racers():
        raise ConfigError(msg("session: no racer is enabled, so there is nothing to watch"))
    _check_loss(config.loss)
    return Lesson(
        id=lesson_id,
        order=order,
        kind=kind,
        title=_texts(data["title"], "title"),
        summary=_texts(data["summary"], "summary"),
        paragraphs=_paragraphs(data["paragraphs"]),
        watch=_watch(data["watch"]),
        speed=float(speed),
        config=config,
        path=path,
        map=_map(data["map"], config) if "map" in data else None,
    )


def load_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file; ``LessonError`` says which file and what is wrong."""
    name = path.name
    try:
        raw = read_regular_file(path, MAX_LESSON_BYTES, msg("a lesson file"))
    except FileRefused as exc:
        raise LessonError(message_of(exc)) from None
    except OSError as exc:
        raise LessonError(msg("{file}: cannot read it: {reason}", file=name, reason=os_reason(exc))) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LessonError(msg("{file}: not a text (UTF-8) file", file=name)) from None
    try:
        data = parse_json(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise LessonError(
            msg(
                "{file}: not valid JSON (line {line}, column {column}: {reason})",
                file=name,
                line=exc.lineno,
                column=exc.colno,
                reason=exc.msg,
            )
        ) from None
    except (ValueError, RecursionError) as exc:
        raise LessonError(msg("{file}: {problem}", file=name, problem=message_of(exc))) from None
    try:
        return lesson_from_dict(data, path)
    except ConfigError as exc:
        raise LessonError(msg("{file}: {problem}", file=name, problem=message_of(exc))) from None


def load_lessons(folder: Path | None = None) -> list[Lesson]:
    """Every ``*.json`` lesson in ``folder`` (default: the built-in ones), lessons first, by order.

    Strict: one broken file fails the whole load, so a teacher sees the mistake at once.
    """
    folder = LESSONS_DIR if folder is None else Path(folder)
    if not folder.is_dir():
        raise LessonError(msg("{folder}: lesson folder not found", folder=str(folder)))
    lessons: list[Lesson] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        lesson = load_lesson(path)
        if lesson.id in seen:
            raise LessonError(
                msg(
                    "{file}: id {id} is already used by {other}",
                    file=path.name,
                    id=repr(lesson.id),
                    other=seen[lesson.id],
                )
            )
        seen[lesson.id] = path.name
        lessons.append(lesson)
    lessons.sort(key=lambda lesson: (KINDS.index(lesson.kind), lesson.order, lesson.id))
    return lessons
