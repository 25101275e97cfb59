"""Waiting for a worker thread's signal: what crashed pytest-qt, and why the relay fixes it.

A worker that emits a signal several times before the GUI thread runs leaves that many calls
queued. pytest-qt's blocker disconnects at the first; the others still arrive, and PySide hands
them a borrowed pointer to the blocker, which is freed memory by then (tests/gui/conftest.py).
"""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QThread, Signal
from pytestqt.wait_signal import SignalBlocker

from tests.gui.conftest import RelayedSignalBlocker


class Burst(QThread):
    """Emits ``fired(0)`` … ``fired(n-1)`` back to back from its own thread."""

    fired = Signal(int)

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def run(self) -> None:
        for i in range(self.n):
            self.fired.emit(i)


def test_calls_queued_before_a_plain_blocker_disconnects_still_reach_it(qtbot) -> None:
    """The cause: Qt delivers queued calls after the disconnect (kept alive here, so no crash)."""
    late: list[int] = []

    class Counting(SignalBlocker):
        def _quit_loop_by_signal(self, *args: int) -> None:
            if self.signal_triggered:
                late.append(args[0])
            super()._quit_loop_by_signal(*args)

    burst = Burst(5)
    blocker = Counting(timeout=5000)
    blocker.connect(burst.fired)
    burst.start()
    assert burst.wait(10_000)  # all five calls are queued before the wait begins
    blocker.wait()
    qtbot.wait(50)
    assert late == [1, 2, 3, 4]  # a freed blocker would have received these four
    assert blocker.args == [4]  # and the wait reports the last call, not the one that ended it


def test_a_relayed_wait_gets_the_first_call_and_nothing_after_it_is_gone(qtbot, monkeypatch) -> None:
    calls: list[int] = []
    original = RelayedSignalBlocker._quit_loop_by_signal

    def counting(self: RelayedSignalBlocker, *args: int) -> None:
        calls.append(args[0])
        original(self, *args)

    monkeypatch.setattr(RelayedSignalBlocker, "_quit_loop_by_signal", counting)
    burst = Burst(5)
    with qtbot.waitSignal(burst.fired, timeout=5000) as blocker:
        burst.start()
        assert burst.wait(10_000)
    assert isinstance(blocker, RelayedSignalBlocker)
    assert blocker.args == [0]
    gone = weakref.ref(blocker)
    del blocker
    gc.collect()
    assert gone() is None  # freed, as every blocker is after its ``with`` block
    qtbot.wait(50)  # the four calls still queued are delivered now
    assert calls == [0]


def test_a_relayed_wait_still_times_out_and_checks_parameters(qtbot) -> None:
    burst = Burst(3)
    with qtbot.waitSignal(burst.fired, timeout=5000, check_params_cb=lambda i: i == 2) as blocker:
        burst.start()
    assert blocker.args == [2]
    assert burst.wait(10_000)
    silent = Burst(0)
    blocker = qtbot.waitSignal(silent.fired, timeout=50, raising=False)
    blocker.wait()
    assert not blocker.signal_triggered
