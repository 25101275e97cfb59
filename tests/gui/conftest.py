"""A main window with isolated settings, its engine loaded and the first race set up.

Waiting for a signal of the worker thread needs care. ``qtbot.waitSignal`` connects a plain
Python method (``SignalBlocker._quit_loop_by_signal``) to the signal, and PySide keeps only a
borrowed pointer to that method's ``self``. A signal emitted in another thread reaches the GUI
thread as a queued call; calls already queued are delivered even after the blocker has
disconnected, and after it has been freed: at maximum speed ``playing_changed(True)`` and
``playing_changed(False)`` are both queued before the GUI thread runs. The late call then runs
on freed memory: a crash in ``_quit_loop_by_signal``, an ``AttributeError`` when a newer
``MultiSignalBlocker`` (``qtbot.wait``) took the address, or a newer wait that returns before
its own signal came (a test that fails only in the full suite). Here ``qtbot.waitSignal`` routes
every signal through a ``_Relay``: a QObject living in the GUI thread, which Python keeps alive
for the rest of the session once its wait is over, so a call still queued for it finds it and
is passed on to no one. ``tests/gui/test_signal_waits.py`` shows the difference.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QSettings
from pytestqt.wait_signal import SignalBlocker, _AbstractSignalBlocker

from gui.main_window import MainWindow

ENGINE_TIMEOUT_MS = 120_000  # a cold numba cache compiles the kernels on first use


class _Relay(QObject):
    """Receives a (possibly cross-thread) signal in the GUI thread and hands it to one blocker."""

    def __init__(self, target: Callable[..., None]) -> None:
        super().__init__()
        self.target: Callable[..., None] | None = target

    def forward(self, *args: Any) -> None:
        if self.target is not None:
            self.target(*args)


_SPENT_RELAYS: list[_Relay] = []


class RelayedSignalBlocker(SignalBlocker):
    """pytest-qt's SignalBlocker, connected through a GUI-thread QObject instead of directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._relays: list[tuple[Any, _Relay]] = []

    def connect(self, signal: Any) -> None:
        self.signal_name = self.determine_signal_name(potential_signal_tuple=signal)
        actual = self.get_signal_from_potential_signal_tuple(signal)
        relay = _Relay(self._quit_loop_by_signal)
        actual.connect(relay.forward)
        self._relays.append((actual, relay))
        self._signals.append(actual)

    def _cleanup(self) -> None:
        _AbstractSignalBlocker._cleanup(self)  # SignalBlocker's would disconnect a slot never connected
        for signal, relay in self._relays:
            relay.target = None
            with contextlib.suppress(TypeError, RuntimeError, SystemError):  # the sender is gone
                signal.disconnect(relay.forward)
            # Not deleted: this may run inside the relay's own queued call, and a call queued
            # before the disconnect may still come. Kept, it receives it and passes nothing on.
            _SPENT_RELAYS.append(relay)
        self._relays = []
        self._signals = []


@pytest.fixture
def qtbot(qtbot: Any) -> Any:
    """pytest-qt's qtbot whose ``waitSignal`` is safe for signals of other threads (see above)."""

    def wait_signal(
        signal: Any,
        *,
        timeout: int = 5000,
        raising: bool | None = None,
        check_params_cb: Callable[..., bool] | None = None,
    ) -> RelayedSignalBlocker:
        if signal is None:
            raise ValueError(f"Passing None as signal isn't supported, use qtbot.wait({timeout}) instead.")
        blocker = RelayedSignalBlocker(
            timeout=timeout, raising=qtbot._should_raise(raising), check_params_cb=check_params_cb
        )
        blocker.connect(signal)
        return blocker

    qtbot.waitSignal = qtbot.wait_signal = wait_signal
    return qtbot


def shown(qtbot, widget, size: tuple[int, int]):
    """``widget`` on screen at ``size``, closed and deleted after the test."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


def close_and_join(qtbot, window: MainWindow) -> None:
    """Close ``window`` and wait (processing events) until its worker thread has ended.

    ``close()`` joins the worker for 3 s; a worker still compiling takes longer on a loaded
    machine, and a QThread deleted while it runs aborts the process, so wait it out here.
    """
    window.close()
    qtbot.waitUntil(window.worker.isFinished, timeout=ENGINE_TIMEOUT_MS)
    # The maps' thread stops at its next block, but a first map compiles the batch kernel
    # (parallel, a minute on a loaded machine) and cannot be interrupted. numba compiles one
    # thing at a time per process, so the next test's typed loss would wait behind it: let it end.
    maps = window.maps.panel.worker._thread
    if maps is not None:
        qtbot.waitUntil(lambda: not maps.is_alive(), timeout=3 * ENGINE_TIMEOUT_MS)


def contour_settled(window: MainWindow) -> bool:
    """No regrid waiting and the drawn grid covers exactly what the plot shows.

    A resize or splitter move regrids a moment later, in the worker: a picture taken before
    that (an export, a pixel comparison) shows the old grid stretched, and one taken twice may
    differ. Wait for this before looking at the contour.
    """
    import numpy as np

    contour = window.contour
    if contour._regrid_timer.isActive():
        return False
    rect = contour.image.mapRectToParent(contour.image.boundingRect())
    have = (rect.left(), rect.right(), rect.top(), rect.bottom())
    return bool(np.allclose(contour.current_view(), have, rtol=0, atol=1e-6))


def choose_loss_and_wait(qtbot, window: MainWindow, spec: str, timeout: int = 60_000) -> None:
    """Choose a loss and wait until its own surface is drawn.

    ``surface_ready`` also fires for a regrid of the surface already racing (a fitted view, a
    resize), and such a late one can arrive after the next ``choose_loss``: waiting for any
    ``surface_ready`` then reads the previous surface. Only a payload built for a configuration
    with this loss counts.
    """
    mine = lambda payload: payload.config is not None and payload.config.loss == spec  # noqa: E731
    with qtbot.waitSignal(window.worker.surface_ready, timeout=timeout, check_params_cb=mine):
        window.choose_loss(spec)


@pytest.fixture(scope="session")
def typed_loss_runners() -> None:
    """The shared runners every typed loss races on, compiled once per worker (as a filled cache has them).

    A window's first typed loss loads (on a fresh cache: compiles) the single-run runners
    (``engine._fn_kernels``, which also fast-forward) in its worker thread, while the test waits with a
    time limit, and how long depends on what the worker ran before. Here they are compiled once, before
    the window, with no time limit: the formula's own compile (in its child) is all that is left.
    """
    import engine._fn_kernels  # noqa: F401


@pytest.fixture
def isolated_settings(tmp_path) -> Iterator[None]:
    QCoreApplication.setOrganizationName("optimizer-lab-tests")
    QCoreApplication.setApplicationName("Optimizer Lab tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def window(qtbot, isolated_settings) -> Iterator[MainWindow]:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()
    yield w
    close_and_join(qtbot, w)
