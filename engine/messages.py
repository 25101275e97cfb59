"""User-facing engine messages that a Qt-free engine can still have translated.

``msg("unknown name '{name}' at column {column} — use x and y", name="z", column="5")`` is a
plain ``str`` holding the English text (so the CLI, logs and tests read it unchanged), but it
also keeps its template and values: the GUI translates the template in the Qt context
``engine`` and fills in the values (see ``gui.i18n.translate_message``). Templates are string
literals so ``resources/translations/update.py`` can collect them; values that are themselves
``Msg`` are translated too, so composed messages ("racer 2: …") stay translatable.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable

__all__ = ["Msg", "join_and", "message_of", "msg", "os_reason"]


class Msg(str):
    """English text that remembers the template and values it was formatted from."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, values: dict[str, object] | None = None) -> Msg:
        values = dict(values or {})
        # Without values the template is the text: registry texts may hold braces.
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self) -> tuple[type[Msg], tuple[str, dict[str, object]]]:
        """Pickle as (template, values): a message may cross to a worker process and back."""
        return (Msg, (self.template, self.values))


def msg(template: str, **values: object) -> Msg:
    """A translatable message: ``template.format(**values)`` that keeps ``template`` and ``values``."""
    return Msg(template, values)


def message_of(exc: BaseException) -> str:
    """The exception's message, as the ``Msg`` it was raised with when there is one."""
    if exc.args and isinstance(exc.args[0], Msg):
        return exc.args[0]
    return str(exc)


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, translatable for the usual causes.

    The operating system's own text (``strerror``) is in its language, not the window's; the
    causes a learner meets (a protected or full disk, a missing folder) get a message here.
    """
    return _OS_REASONS.get(exc.errno or 0) or str(exc.strerror or exc)


_OS_REASONS = {
    errno.EACCES: msg("permission denied"),
    errno.EPERM: msg("permission denied"),
    errno.ENOENT: msg("no such file or folder"),
    errno.ENOTDIR: msg("part of the path is not a folder"),
    errno.EISDIR: msg("it is a folder"),
    errno.ENOSPC: msg("the disk is full"),
    errno.EDQUOT: msg("the disk quota is used up"),
    errno.EROFS: msg("the disk is read-only"),
    errno.ENAMETOOLONG: msg("the name is too long"),
}


def join_and(items: Iterable[str]) -> str:
    """``a and b and c`` built from translatable pieces."""
    result: str | None = None
    for item in items:
        result = item if result is None else msg("{first} and {second}", first=result, second=item)
    return result or ""
