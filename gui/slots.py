"""Slots that do not keep their widget alive.

A lambda connected to a signal of a widget's own graphics item (a ViewBox, its "A" button)
holds the widget through its closure, and the connection holds the lambda. When PySide tears
down what is left at exit, destroying the item frees the lambda, which frees the widget,
whose QGraphicsScene then clears the half-destroyed item: a segfault after the last test.
A bound method is held weakly by PySide; ``weak_slot`` does the same for a method plus
arguments.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


def weak_slot(method: Callable[..., object], *args: Any, signal_args: int = 0) -> Callable[..., None]:
    """A slot calling ``method(*args, *first signal_args of the signal's values)`` while its object lives."""
    ref = weakref.WeakMethod(method)  # type: ignore[arg-type]

    def slot(*values: Any) -> None:
        bound = ref()
        if bound is not None:
            bound(*args, *values[:signal_args])

    return slot
