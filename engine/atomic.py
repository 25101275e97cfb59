"""Atomic file writes: a crash or a full disk never leaves half a file in place of a good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from engine.messages import msg, os_reason


def atomic_write_bytes(path: str | Path, payload: bytes) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it.

    Raises ``OSError`` with a message (a translatable ``Msg``) naming the path when the folder
    is not writable.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OSError(msg("cannot write {path}: {reason}", path=str(path), reason=os_reason(exc))) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OSError(msg("cannot write {path}: {reason}", path=str(path), reason=os_reason(exc))) from exc


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
