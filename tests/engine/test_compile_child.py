"""Typed losses are differentiated in a bounded child process and refused in words past its limits."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from engine import _compile_child
from engine._compile_child import MEMORY_LIMIT, TIME_LIMIT, CompileCancelled, cancel_all, generated_source
from engine._parser import ExpressionError
from engine.expressions import compile_expression

ROOT = Path(__file__).resolve().parents[2]
FREEZER = "(((((2*x)^100)^100)^100)^100)^100"  # 33 characters: a minute and 2 GB in sympy, uncapped


def refusal(text: str, **limits: float) -> str:
    with pytest.raises(ExpressionError) as info:
        generated_source(text, **limits)
    message = str(info.value)
    assert len(message) <= 300, message
    assert "4300 digits" not in message and "Traceback" not in message
    return message


def test_the_limits_are_the_stated_ones() -> None:
    assert TIME_LIMIT == 5.0
    assert MEMORY_LIMIT == 2**30


def test_a_formula_over_the_time_limit_is_stopped_and_refused_in_words() -> None:
    start = time.monotonic()
    message = refusal(FREEZER, time_limit=1.0)
    assert message == (
        f"{FREEZER} took longer than 1 s to differentiate and was stopped; "
        "try a shorter formula or smaller powers"
    )
    assert time.monotonic() - start < 1.0 * _compile_child.WALL_FACTOR + 3  # hang guard only


def test_a_formula_over_the_memory_limit_is_stopped_and_refused_in_words() -> None:
    message = refusal(FREEZER, memory_limit=2**29, time_limit=30.0)
    assert message.startswith(f"{FREEZER} needs more than 0.5 GiB of memory to differentiate")


@pytest.mark.parametrize(
    ("text", "shown", "number"),
    [
        ("(x*1e300)^100", "(x*1e+300)^100", "1.0e+30000"),
        ("(((2*x)^100)^100)^100", "(((2*x)^100)^100)^100", "9.9e+301029"),
        ("x*1e308*1e308", "x*1e+308*1e+308", "1.0e+616"),
    ],
)
def test_numbers_beyond_a_double_are_named_in_three_digits(text: str, shown: str, number: str) -> None:
    assert refusal(text) == (
        f"cannot compile {shown}: it needs the number {number}, beyond the largest a double holds "
        "(about 1.8e308); use smaller constants or powers"
    )


def test_a_long_formula_is_quoted_shortened() -> None:
    text = "x*1e308*1e308 + " + " + ".join(f"x*{i}" for i in range(1, 60))
    message = refusal(text)
    assert "…" in message and "1.0e+616" in message


def test_parse_errors_come_back_as_they_are() -> None:
    with pytest.raises(ExpressionError) as info:
        generated_source("x +* y")
    assert str(info.value) == "unexpected '*' at column 4: expected a number, x, y, a function or '('"
    assert info.value.column == 4


def test_a_decimal_inside_tanh_of_exp_compiles_and_is_exact() -> None:
    """sympy's exact rational of 0.3 made this run without end; as a float it differentiates at once."""
    surface = compile_expression("tanh(exp(0.3*y)) + x")
    x, y = 0.4, -1.1
    value, gx, gy = surface.kernels_module.loss_value_grad(0, x, y, np.zeros(1))
    u = math.exp(0.3 * y)
    assert value == pytest.approx(math.tanh(u) + x, rel=1e-15)
    assert gx == 1.0
    assert gy == pytest.approx((1 - math.tanh(u) ** 2) * 0.3 * u, rel=1e-14)


def test_cancel_stops_the_child_at_once() -> None:
    errors: list[BaseException] = []

    def compile_it() -> None:
        try:
            generated_source(FREEZER, time_limit=60.0)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=compile_it)
    thread.start()
    deadline = time.monotonic() + 30
    while not _compile_child._active and time.monotonic() < deadline:
        time.sleep(0.01)
    children = list(_compile_child._active)
    assert cancel_all() == 1
    thread.join(10)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], CompileCancelled)
    assert str(errors[0]) == f"compiling {FREEZER} was cancelled"
    assert children[0].returncode is not None  # the child is gone, not left running


def _run_script(code: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_cached_formula_starts_no_child_and_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The child runs only its own bootstrap: a notebook-style script is not run again inside it."""
    env = {"OPTIMIZER_LAB_CACHE_DIR": str(tmp_path / "cache")}
    script = """
        from engine import get_loss
        print("ran", get_loss("x^2 + 2.5*y^2 - cos(x)").formula)
    """
    first = _run_script(script, env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "ran L = x^2 + 2.5*y^2 - cos(x)\n"
    no_children = """
        from engine import _compile_child

        def refuse():
            raise AssertionError("a child was started for a cached formula")

        _compile_child._start_child = refuse
        from engine import get_loss
        print("ran", get_loss("x^2 + 2.5*y^2 - cos(x)").formula)
    """
    second = _run_script(no_children, env)
    assert second.returncode == 0, second.stderr
    assert second.stdout == "ran L = x^2 + 2.5*y^2 - cos(x)\n"


@pytest.mark.parametrize("text", ["sqrt(x^2 + y^2)", "(x^2 + y^2)^0.5", "sqrt(x*x + y*y)"])
def test_the_typed_cone_has_its_exact_gradient_at_tiny_radii(text: str) -> None:
    fn = compile_expression(text).kernels_module.loss_value_grad
    value, gx, gy = fn(0, 1e-170, 1e-170, np.zeros(1))
    assert value == pytest.approx(math.sqrt(2) * 1e-170, rel=1e-15)
    assert gx == pytest.approx(1 / math.sqrt(2), rel=1e-15)
    assert gy == pytest.approx(1 / math.sqrt(2), rel=1e-15)
    assert tuple(fn(0, 0.0, 0.0, np.zeros(1))) == (0.0, 0.0, 0.0)  # the tip: subgradient 0
    assert tuple(fn(0, 3.0, -4.0, np.zeros(1))) == pytest.approx((5.0, 0.6, -0.8), rel=1e-15)


def test_a_frozen_build_runs_the_child_through_main_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a PyInstaller build sys.executable is the app: main.py serves ``--differentiate-child``."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert _compile_child._child_command() == [sys.executable, _compile_child.CHILD_OPTION]
    monkeypatch.setattr(sys, "frozen", False)
    app = [sys.executable, str(ROOT / "main.py"), _compile_child.CHILD_OPTION]
    monkeypatch.setattr(_compile_child, "_child_command", lambda: app)
    assert "def loss_value_grad(loss_id, x, y, p):" in generated_source("x^2 + 3*y^2")
    assert refusal("x*1e308*1e308").endswith("use smaller constants or powers")
