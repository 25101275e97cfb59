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
from engine.messages import message_of, msg, os_reason
from engine.reading import FileRefused, parse_json, read_regular_file

#: A session is a few kB; refusing anything larger than 1 MB keeps a hostile file from eating memory.
MAX_SESSION_BYTES = 1_000_000
SUFFIX = ".olab.json"


class SessionError(ValueError):
    """A session file that cannot be used; the message names the file and the problem."""


def save_session(config: SessionConfig, path: str | Path) -> None:
    """Write ``config`` as indented JSON, atomically; SessionError names an unwritable path.

    A data loss from a CSV is saved with the file's SHA-256 (``engine.data.pinned``), so opening
    the session later reports a file that changed since."""
    if config.data is not None:
        from dataclasses import replace

        from engine.data import pinned

        config = replace(config, data=pinned(config.data))
    try:
        atomic_write_text(path, json.dumps(config.to_dict(), indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise SessionError(message_of(exc)) from None


def load_session(path: str | Path) -> SessionConfig:
    """Read and validate a session file; raise SessionError saying what is wrong."""
    path = Path(path)
    try:
        raw = read_regular_file(path, MAX_SESSION_BYTES, msg("a session file"))
    except FileRefused as exc:
        raise SessionError(message_of(exc)) from None
    except OSError as exc:
        raise SessionError(
            msg("cannot read {path}: {reason}", path=str(path), reason=os_reason(exc))
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionError(msg("{file} is not a text (UTF-8) file", file=path.name)) from None
    try:
        data = parse_json(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise SessionError(
            msg(
                "{file} is not valid JSON (line {line}, column {column}: {reason}); it may be truncated",
                file=path.name,
                line=exc.lineno,
                column=exc.colno,
                reason=exc.msg,
            )
        ) from None
    except ValueError as exc:
        raise SessionError(msg("{file}: {error}", file=path.name, error=message_of(exc))) from None
    except RecursionError:
        raise SessionError(msg("{file} is nested too deeply to be a session file", file=path.name)) from None
    try:
        config = SessionConfig.from_dict(data)
    except ConfigError as exc:
        raise SessionError(msg("{file}: {error}", file=path.name, error=message_of(exc))) from None
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
            msg(
                "{file}: loss is neither a built-in surface nor a valid expression: {error}",
                file=name,
                error=message_of(exc),
            )
        ) from None


def _refuse_constant(name: str) -> float:
    raise ValueError(msg("{name} is not an allowed number in a session file", name=name))
