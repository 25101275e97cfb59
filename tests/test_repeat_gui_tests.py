"""tests/repeat_gui_tests.py tells a passed run from a failed one and a crash, and names the test."""

from __future__ import annotations

from tests.repeat_gui_tests import classify

PASSED = """tests/gui/test_a.py::test_one PASSED                                   [ 50%]
tests/gui/test_a.py::test_two PASSED                                   [100%]
============================== 2 passed in 3.10s ==============================="""

FAILED = """tests/gui/test_a.py::test_one PASSED                                   [ 33%]
tests/gui/test_a.py::test_two[x-1] FAILED                              [ 66%]
tests/gui/test_a.py::test_three PASSED                                 [100%]
=========================== 1 failed, 2 passed in 4.20s ==========================="""

CRASHED = """tests/gui/test_a.py::test_one PASSED                                   [ 33%]
tests/gui/test_a.py::test_two Fatal Python error: Segmentation fault

Current thread 0x00007f (most recent call first):
  File "/venv/lib/python3.11/site-packages/pytestqt/wait_signal.py", line 216 in _quit_loop_by_signal"""


def test_a_run_that_passed() -> None:
    assert classify(0, PASSED) == ("passed", [])


def test_a_run_with_a_failure_names_it() -> None:
    assert classify(1, FAILED) == ("failed", ["tests/gui/test_a.py::test_two[x-1]"])


def test_a_crash_names_the_test_that_was_running_and_the_signal() -> None:
    assert classify(-11, CRASHED) == ("crashed", ["tests/gui/test_a.py::test_two (SIGSEGV)"])
    assert classify(134, CRASHED) == ("crashed", ["tests/gui/test_a.py::test_two (exit code 134)"])
