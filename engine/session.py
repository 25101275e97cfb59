"""Session files: a versioned, human-readable JSON form of ``SessionConfig``.

A session file is data. Reading one never executes anything in it; every field is
type-checked, and a loss expression in it is compiled later by the same safe parser
as typed text. Writes are atomic, so a crash never leaves half a session behind.
"""

from __future__ import annotations

import json
from pathlib import Path

from engine.atomic import atomic_write_text
from engine.config import ConfigError, SessionConfig

#: A session is a few kB; refusing anything huge keeps a hostile file from eating memory.
MAX_SESSION_BYTES = 1_000_000
SUFFIX = ".olab.json"


class SessionError(ValueError):
    """A session file that cannot be used; the message names the file and the problem."""


def save_session(config: SessionConfig, path: str | Path) -> None:
    """Write ``config`` as indented JSON, atomically; SessionError names an unwritable path."""
    try:
        atomic_write_text(path, json.dumps(config.to_dict(), indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise SessionError(str(exc)) from None


def load_session(path: str | Path) -> SessionConfig:
    """Read and validate a session file; raise SessionError saying what is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SESSION_BYTES:
            raise SessionError(f"{path.name}: {size:,} bytes is too large for a session file")
        raw = path.read_bytes()
    except OSError as exc:
        raise SessionError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionError(f"{path.name} is not a text (UTF-8) file") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise SessionError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "it may be truncated"
        ) from None
    except ValueError as exc:
        raise SessionError(f"{path.name}: {exc}") from None
    except RecursionError:
        raise SessionError(f"{path.name} is nested too deeply to be a session file") from None
    try:
        config = SessionConfig.from_dict(data)
    except ConfigError as exc:
        raise SessionError(f"{path.name}: {exc}") from None
    _check_loss(config.loss, path.name)
    return config


def _check_loss(loss: str, name: str) -> None:
    """Refuse a loss that is neither built in nor accepted by the safe expression parser.

    Parsing only (no compilation): the file is refused while the current session is
    still untouched, and nothing in it is ever evaluated.
    """
    from engine.expressions import ExpressionError
    from engine.losses import check_loss_spec

    try:
        check_loss_spec(loss)
    except ExpressionError as exc:
        raise SessionError(
            f"{name}: loss is neither a built-in surface nor a valid expression: {exc}"
        ) from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not an allowed number in a session file")
