"""The settings file, checked before Qt reads it, and remembered values read defensively.

``QSettings`` reads its whole file when it is first constructed, so a FIFO in its place would hang
every start and ``/dev/zero`` would eat memory. ``guard_settings_files`` looks first (``lstat``/``stat``
only, nothing is opened) and moves anything that is not a regular file of at most
``MAX_SETTINGS_BYTES`` aside, so the app starts with defaults and says so.
Values inside the file (the remembered race, the recent list) are parsed by
``remembered_json``: a value that fails is dropped, never fatal.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

from engine.messages import Msg, msg, os_reason
from engine.reading import parse_json

#: The app's settings are a few kB (window geometry, the remembered race, the recent list).
MAX_SETTINGS_BYTES = 1_000_000


def settings_files() -> list[Path]:
    """The per-user files Qt's native format reads on Linux and other Unixes (the app's, the organisation's).

    (macOS keeps settings in a property list and Windows in the registry, read by the system.)
    """
    if sys.platform in ("darwin", "win32"):
        return []
    base = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation))
    org = QCoreApplication.organizationName() or "Unknown Organization"
    app = QCoreApplication.applicationName()
    return [base / org / f"{app}.conf", base / f"{org}.conf"]


def guard_settings_files(paths: list[Path] | None = None) -> list[Msg]:
    """Move aside settings files that are not regular files or are too large; one message for each."""
    notes: list[Msg] = []
    for path in settings_files() if paths is None else paths:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:  # a symlink loop, a permission problem: Qt would not read it either
            if not path.is_symlink():
                continue
            st = None
            reason = os_reason(exc)
        if st is not None:
            if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_SETTINGS_BYTES:
                continue
            reason = (
                msg("it is not a regular file")
                if not stat.S_ISREG(st.st_mode)
                else msg(
                    "{size} bytes is over the limit of {limit}",
                    size=f"{st.st_size:,}",
                    limit=f"{MAX_SETTINGS_BYTES:,}",
                )
            )
        aside = path.with_name(f"{path.name}.unusable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(path, aside)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(path)
            notes.append(
                msg(
                    "The settings file {path} could not be used ({reason}); starting with defaults.",
                    path=str(path),
                    reason=reason,
                )
            )
            continue
        notes.append(
            msg(
                "The settings file {path} could not be used ({reason}); "
                "it was moved to {aside} and the window starts with defaults.",
                path=str(path),
                reason=reason,
                aside=aside.name,
            )
        )
    return notes


def remembered_json(settings: QSettings, key: str, default: Any) -> Any:
    """A JSON value remembered in the settings; ``ValueError`` (a message) when it is unusable.

    Numbers too large for a float come back as ``OutOfRange`` (see ``engine.reading``), which every
    field check refuses with its own message.
    """
    text = settings.value(key, None)
    if text is None or text == "":
        return default
    if not isinstance(text, str) or len(text) > MAX_SETTINGS_BYTES:
        raise ValueError(msg("the remembered {key} is not JSON text", key=key))
    try:
        return parse_json(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            msg("the remembered {key} is not valid JSON: {reason}", key=key, reason=exc.msg)
        ) from None
    except RecursionError:
        raise ValueError(msg("the remembered {key} is nested too deeply", key=key)) from None
