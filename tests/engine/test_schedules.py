"""Learning-rate schedules: exact against torch.optim.lr_scheduler's closed forms (t = last_epoch + 1)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import Schedule, simulate

ETA = 0.1
T = np.arange(1, 401)


def torch_closed_forms(kind: str, p: dict, e: int) -> float:
    """torch's documented closed forms at last_epoch e = t − 1."""
    if kind == "step":  # StepLR: η·γ^⌊e/K⌋
        return ETA * p["gamma"] ** (e // p["size"])
    if kind == "exponential":  # ExponentialLR: η·γ^e
        return ETA * p["gamma"] ** e
    if kind == "inverse":  # LambdaLR(lambda e: 1/(1 + d·e))
        return ETA / (1 + p["decay"] * e)
    if kind == "cosine":  # CosineAnnealingLR's closed form up to T, then held at η_min
        e = min(e, p["T"])
        return p["min"] + (ETA - p["min"]) * (1 + math.cos(math.pi * e / p["T"])) / 2
    if kind == "cosine_annealing":  # CosineAnnealingLR: η_min + (η − η_min)(1 + cos(π·e/T))/2 for every e
        return p["min"] + (ETA - p["min"]) * (1 + math.cos(math.pi * e / p["T"])) / 2
    if kind == "warmup":  # LinearLR(start_factor=1/W, end_factor=1, total_iters=W−1): η·(e+1)/W, then η
        return ETA * min(e + 1, p["steps"]) / p["steps"]
    return ETA


CASES = [
    ("constant", {}),
    ("step", {"size": 30, "gamma": 0.5}),
    ("exponential", {"gamma": 0.99}),
    ("inverse", {"decay": 0.05}),
    ("cosine", {"T": 250, "min": 0.001}),
    ("cosine_annealing", {"T": 150, "min": 0.001}),
    ("warmup", {"steps": 40}),
]


@pytest.mark.parametrize(("kind", "params"), CASES)
def test_schedule_matches_torch_formula_and_is_what_a_run_applies(kind: str, params: dict) -> None:
    spec = kind + (":" + ",".join(f"{k}={v}" for k, v in params.items()) if params else "")
    sched = Schedule.parse(spec)
    expected = np.array([torch_closed_forms(kind, params, t - 1) for t in T])
    # (numba raises to an integer power by repeated squaring: a few ulps from Python's pow)
    np.testing.assert_allclose([sched.lr(ETA, int(t)) for t in T], expected, rtol=1e-13)
    run = simulate("quadratic", "sgd", (2.0, 1.0), 400, tol=0.0, lr=ETA, schedule=spec)
    np.testing.assert_allclose(run.lr[1:, 0], expected, rtol=1e-13)
    np.testing.assert_array_equal(run.lr[1:, 0], run.lr[1:, 1])
    assert str(Schedule.parse(str(sched))) == str(sched)


def test_schedule_values_by_hand() -> None:
    assert Schedule.parse("step:size=10,gamma=0.5").lr(1.0, 10) == 1.0
    assert Schedule.parse("step:size=10,gamma=0.5").lr(1.0, 11) == 0.5
    assert Schedule.parse("exponential:gamma=0.5").lr(1.0, 3) == 0.25
    assert Schedule.parse("inverse:decay=1").lr(1.0, 4) == 0.25
    assert Schedule.parse("cosine:T=100,min=0").lr(1.0, 51) == pytest.approx(0.5, abs=1e-15)
    assert Schedule.parse("cosine:T=100,min=0.1").lr(1.0, 101) == pytest.approx(0.1, abs=1e-15)
    assert Schedule.parse("cosine:T=100,min=0.1").lr(1.0, 500) == pytest.approx(0.1, abs=1e-15)
    assert Schedule.parse("warmup:steps=4").lr(1.0, 1) == 0.25
    assert Schedule.parse("warmup:steps=4").lr(1.0, 4) == 1.0
    assert Schedule.parse("warmup:steps=4").lr(1.0, 9) == 1.0
    assert Schedule.parse("").kind == "constant"


def test_adaptive_rate_includes_the_schedule() -> None:
    t = simulate("quadratic", "adagrad", (2.0, 1.0), 20, lr=0.3, schedule="exponential:gamma=0.9")
    eta_t = 0.3 * 0.9 ** (t.step[1:, None] - 1)
    np.testing.assert_allclose(t.lr[1:], eta_t / (np.sqrt(t.G[1:]) + 1e-8), rtol=1e-15)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("linear", "unknown schedule 'linear'; choose one of: constant, step"),
        ("step:size=0", "schedule step: size = 0 is not allowed; size must be an integer ≥ 1"),
        ("step:size=2.5", "size must be an integer ≥ 1"),
        ("exponential:gamma=1.5", "gamma must be in \\(0, 1\\]"),
        ("exponential:gamma=0", "gamma must be in \\(0, 1\\]"),
        ("inverse:decay=-1", "decay must be ≥ 0"),
        ("cosine:T=0", "T must be an integer ≥ 1"),
        ("cosine:min=nan", "min = nan is not allowed"),
        ("warmup:steps=x", "schedule parameter steps='x' is not a number"),
        ("warmup:steps", "must be written name=value"),
        ("step:gama=0.5", "schedule 'step' has no parameter 'gama'; it takes size, gamma"),
    ],
)
def test_bad_schedules_raise_value_error_naming_the_parameter(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Schedule.parse(spec)


@pytest.mark.parametrize(("kind", "params"), CASES[1:])
def test_against_torch_lr_scheduler(kind: str, params: dict) -> None:
    torch = pytest.importorskip("torch")
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=ETA)
    sch = torch.optim.lr_scheduler
    steps = {
        "step": lambda: sch.StepLR(opt, step_size=params.get("size", 1), gamma=params.get("gamma", 1)),
        "exponential": lambda: sch.ExponentialLR(opt, gamma=params.get("gamma", 1)),
        "inverse": lambda: sch.LambdaLR(opt, lambda e: 1 / (1 + params.get("decay", 0) * e)),
        "cosine": lambda: sch.CosineAnnealingLR(opt, T_max=params.get("T", 1), eta_min=params.get("min", 0)),
        "cosine_annealing": lambda: sch.CosineAnnealingLR(
            opt, T_max=params.get("T", 1), eta_min=params.get("min", 0)
        ),
        "warmup": lambda: sch.LinearLR(
            opt,
            start_factor=1 / params.get("steps", 1),
            end_factor=1.0,
            total_iters=params.get("steps", 1) - 1,
        ),
    }
    scheduler = steps[kind]()
    spec = kind + ":" + ",".join(f"{k}={v}" for k, v in params.items())
    sched = Schedule.parse(spec)
    # "cosine" follows torch up to T only (then holds η_min); "cosine_annealing" over 3T, rising again
    horizon = 3 * params["T"] if kind == "cosine_annealing" else params.get("T", 400)
    for t in range(1, horizon + 1):
        assert sched.lr(ETA, t) == pytest.approx(opt.param_groups[0]["lr"], rel=1e-12, abs=1e-15), t
        opt.step()
        scheduler.step()


def test_the_two_cosines_agree_up_to_t_and_differ_after() -> None:
    """``cosine`` holds η_min after T; ``cosine_annealing`` (torch's) climbs back to η by 2T."""
    hold = Schedule.parse("cosine:T=100,min=0.1")
    torch_like = Schedule.parse("cosine_annealing:T=100,min=0.1")
    assert [hold.lr(1.0, t) for t in range(1, 102)] == [torch_like.lr(1.0, t) for t in range(1, 102)]
    assert hold.lr(1.0, 151) == pytest.approx(0.1, abs=1e-15)
    assert torch_like.lr(1.0, 151) == pytest.approx(0.55, abs=1e-15)  # 0.1 + 0.9·(1 + cos(1.5π))/2
    assert torch_like.lr(1.0, 201) == pytest.approx(1.0, abs=1e-15)
    assert "min(t−1,T)" in hold.formula and "min(" not in torch_like.formula
