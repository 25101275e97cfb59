"""Reading files a user (or a stranger) handed us: regular files only, size-bounded, numbers that fit.

``read_regular_file`` never blocks and never reads without end: it checks what the path is before
opening it, opens with ``O_NONBLOCK`` (a FIFO named ``x.olab.json`` cannot hang the window or the
command line) and checks again on the open file, refuses devices (``/dev/zero``, ``/dev/urandom``),
folders, FIFOs and sockets, and reads at most ``limit`` bytes.

``parse_json`` decodes JSON whose numbers are all usable as floats: an integer too long for a float
(a 401-digit ``"lr"``) or a literal that overflows (``1e400``) becomes an ``OutOfRange`` value that
every field check refuses with the field's own message, never an ``OverflowError`` or Python's
"Exceeds the limit (4300 digits)" from deep inside ``json``.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.messages import msg

__all__ = ["FileRefused", "OutOfRange", "parse_json", "read_regular_file", "short_repr"]

#: Digits of the largest integer a float can hold (1.8e308).
_FLOAT_DIGITS = 309


class FileRefused(ValueError):
    """The path is not a regular file, or is larger than allowed; the message says which and what is."""


class OutOfRange(str):
    """A JSON number that does not fit a float, kept as its text so a message can quote it briefly."""

    def __repr__(self) -> str:
        return short_repr(str(self))


def short_repr(value: object, most: int = 24) -> str:
    """``repr`` that shortens long numbers: ``1000…000 (401 digits)``, never thousands of characters."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * most:
        try:
            value = str(value)
        except ValueError:  # past Python's 4300-digit limit for int → str
            return f"a whole number of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= most:
        return text
    digits = sum(c.isdigit() for c in text)
    return f"{text[:4]}…{text[-3:]} ({digits} digits)" if digits > most // 2 else f"{text[: most - 1]}…"


_KINDS = (
    (stat.S_ISDIR, msg("a folder")),
    (stat.S_ISFIFO, msg("a named pipe (FIFO)")),
    (stat.S_ISCHR, msg("a device")),
    (stat.S_ISBLK, msg("a device")),
    (stat.S_ISSOCK, msg("a socket")),
)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return msg("not a regular file")


def _check(path: Path, st: os.stat_result, limit: int, what: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(
            msg(
                "{file} is {kind}, not a regular file, so it cannot be {what}",
                file=path.name,
                kind=_kind(st.st_mode),
                what=what,
            )
        )
    if st.st_size > limit:
        raise FileRefused(
            msg(
                "{file}: {size} bytes is too large for {what} (the limit is {limit} bytes)",
                file=path.name,
                size=f"{st.st_size:,}",
                what=what,
                limit=f"{limit:,}",
            )
        )


def read_regular_file(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    ``what`` names the file's role in messages (``msg("a session file")``). Raises ``FileRefused``
    for anything else, and ``OSError`` (for the caller to word) when the file cannot be opened.
    """
    path = Path(path)
    _check(path, os.stat(path), limit, what)  # before opening: opening some devices has effects
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    fd = os.open(path, flags)
    try:
        _check(path, os.fstat(fd), limit, what)  # the path may have been swapped meanwhile
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:  # it grew while we read
        _check(path, os.stat_result((stat.S_IFREG, 0, 0, 0, 0, 0, size, 0, 0, 0)), limit, what)
    return b"".join(chunks)


def _parse_int(text: str) -> int | OutOfRange:
    if len(text.lstrip("-")) > _FLOAT_DIGITS:
        return OutOfRange(text)
    return int(text)


def _parse_float(text: str) -> float | OutOfRange:
    value = float(text)
    return value if math.isfinite(value) else OutOfRange(text)


def _refuse_constant(name: str) -> float:
    raise ValueError(msg("{name} is not an allowed number; use a finite number", name=name))


def parse_json(text: str | bytes, parse_constant: Callable[[str], Any] = _refuse_constant) -> Any:
    """``json.loads`` where every number fits a float (see ``OutOfRange``) and NaN/Infinity are refused.

    Raises ``json.JSONDecodeError``, ``ValueError`` (a refused constant) or ``RecursionError``, as
    ``json.loads`` does.
    """
    return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=parse_constant)
