"""The step inspector's text: recorded numbers substituted into each rule, and honest about it.

Every test re-evaluates the rule from the numbers the explanation shows (its ``values``)
and demands the engine's recorded results back to 1e-12, so the display cannot drift from
the kernel.
"""

import math

import numpy as np
import pytest

from engine import OPTIMIZERS, Schedule, simulate
from engine.explain import RecordedRows, explain_step, format_hyper, format_number, rows_of

RTOL = 1e-12
ROWS = (1, 2, 3, 7, 15, 40)
#: Plain-gradient rules diverge on Rosenbrock at their default rate; use a rate that does not.
SAFE_ON_ROSENBROCK = {
    "sgd": 1e-3,
    "momentum-lecture": 1e-3,
    "momentum": 1e-3,
    "nesterov": 1e-3,
    "qhm": 1e-3,
    "radam": 1e-3,
}


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) or a == b


def _reevaluate(oid: str, v: dict[str, float], k: str) -> dict[str, float]:
    """The update rule written out independently, from the explanation's shown inputs only."""
    eta, g, wp = v["eta_t"], v[f"g{k}"], v[f"w{k}_prev"]
    a, b, eps = v.get("alpha", 0.0), v.get("beta", 0.0), v.get("eps", 0.0)
    out: dict[str, float] = {}
    if oid == "sgd":
        out["lr"], out["dw"] = eta, -eta * g
    elif oid == "momentum-lecture":
        out["M"] = g + a * v[f"g{k}_prev"]
        out["lr"], out["dw"] = eta, -eta * out["M"]
    elif oid in ("momentum", "nesterov"):
        out["M"] = a * v[f"M{k}_prev"] + g
        out["lr"] = eta
        out["dw"] = -eta * out["M"] if oid == "momentum" else -eta * (g + a * out["M"])
    elif oid == "qhm":
        out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
        out["lr"], out["dw"] = eta, -eta * ((1 - v["nu"]) * g + v["nu"] * out["M"])
    elif oid == "adagrad":
        out["G"] = v[f"G{k}_prev"] + g * g
        out["lr"] = eta / (math.sqrt(out["G"]) + eps)
        out["dw"] = -out["lr"] * g
    elif oid in ("rmsprop", "adam-lecture"):
        out["G"] = b * v[f"G{k}_prev"] + (1 - b) * g * g
        out["lr"] = eta / (math.sqrt(out["G"]) + eps)
        if oid == "rmsprop":
            out["dw"] = -out["lr"] * g
        else:
            out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
            out["dw"] = -out["lr"] * out["M"]
    elif oid == "adadelta":
        rho = v["rho"]
        out["G"] = rho * v[f"G{k}_prev"] + (1 - rho) * g * g
        ratio = v[f"sqrt_U{k}_prev"] / math.sqrt(out["G"] + eps)
        out["lr"], out["dw"] = eta * ratio, -eta * (ratio * g)
    elif oid == "lion":
        c = v["mix"] * v[f"M{k}_prev"] + (1 - v["mix"]) * g
        assert c == v[f"c{k}"]
        out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
        out["lr"], out["dw"] = eta, -eta * (np.sign(c) + v["weight_decay"] * wp)
    elif oid == "radam":
        out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
        out["G"] = b * v[f"G{k}_prev"] + (1 - b) * g * g
        out["m_hat"] = out["M"] / v["bc1"]
        rho_inf = 2 / (1 - b) - 1
        rho_t = rho_inf - 2 * v["step"] * (1 - v["bc2"]) / v["bc2"]
        if rho_t > 5:
            r = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            out["lr"] = eta * r * math.sqrt(v["bc2"]) / (math.sqrt(out["G"]) + eps)
        else:
            out["lr"] = eta
        out["dw"] = -out["lr"] * out["m_hat"]
    elif oid == "adamax":
        out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
        out["G"] = max(b * v[f"G{k}_prev"], abs(g) + eps)
        out["m_hat"] = out["M"] / v["bc1"]
        out["lr"] = eta / out["G"]
        out["dw"] = -out["lr"] * out["m_hat"]
    elif oid in ("adam", "amsgrad", "adamw", "nadam", "qhadam"):  # the bias-corrected family
        out["M"] = a * v[f"M{k}_prev"] + (1 - a) * g
        out["G"] = b * v[f"G{k}_prev"] + (1 - b) * g * g
        if oid == "nadam":
            m_hat = v["mu_next"] * out["M"] / (1 - v["prod_next"]) + (1 - v["mu_t"]) * g / (1 - v["prod_t"])
        else:
            m_hat = out["M"] / v["bc1"]
        out["m_hat"] = m_hat
        if oid == "amsgrad":
            out["lr"] = eta / (v[f"sqrt_v_hat{k}"] + eps)
        elif oid == "qhadam":
            nu2 = v["nu2"]
            out["lr"] = eta / (math.sqrt((1 - nu2) * g * g + nu2 * out["G"] / v["bc2"]) + eps)
        else:
            out["lr"] = eta / (math.sqrt(out["G"] / v["bc2"]) + eps)
        if oid == "qhadam":
            out["dw"] = -out["lr"] * ((1 - v["nu"]) * g + v["nu"] * m_hat)
        else:
            out["dw"] = -out["lr"] * m_hat
        if oid == "adamw":
            out["dw"] -= eta * v["weight_decay"] * wp
    else:
        raise AssertionError(f"no independent re-evaluation of {oid!r}: add one here")
    out["w"] = wp + out["dw"]
    return out


def _check_row(traj, oid: str, row: int, schedule: str = "constant") -> None:
    ex = explain_step(oid, traj.hyperparameters, schedule, traj, row)
    v = ex.values
    s = int(traj.step[row])
    opt = OPTIMIZERS[oid]
    assert ex.title == f"{opt.title}, step {s}"
    assert not any("do not all follow" in n for n in ex.notes), ex.notes
    assert v["eta_t"] == Schedule.parse(schedule).lr(traj.hyperparameters["lr"], s)
    if "bc1" in v:
        assert v["bc1"] == pytest.approx(1 - v["alpha"] ** s, rel=1e-12)
    if "bc2" in v:
        assert v["bc2"] == pytest.approx(1 - v["beta"] ** s, rel=1e-12)
    for i in (0, 1):
        k = str(i + 1)
        text = "\n".join(ex.lines_by_weight[i])
        # the shown inputs and results are the recorded ones
        recorded = {"g": traj.grad[row, i], "dw": traj.dw[row, i], "w": traj.w[row, i], "lr": traj.lr[row, i]}
        if opt.g_meaning:
            recorded |= {"G": traj.G[row, i], "G_prev": traj.G[row - 1, i]}
        if opt.m_meaning:
            recorded |= {"M": traj.M[row, i], "M_prev": traj.M[row - 1, i]}
        for name, value in recorded.items():
            key = f"{name}{k}" if "_" not in name else name.replace("_", f"{k}_")
            assert v[key] == value, key
        assert v[f"w{k}_prev"] == traj.w[row - 1, i]
        # and the lines show them
        shown = [format_number(traj.grad[row, i]), format_number(traj.dw[row, i], signed=True)]
        shown.append(format_number(traj.w[row, i]))
        if opt.g_meaning:
            shown += [format_number(traj.G[row, i]), format_number(traj.lr[row, i])]
        if opt.m_meaning:
            shown.append(format_number(traj.M[row, i]))
        for s_text in shown:
            assert s_text in text, (s_text, text)
        # the rule on the shown inputs gives the recorded results back
        again = _reevaluate(oid, v, k)
        for name, value in again.items():
            if name == "m_hat":
                assert _close(value, v[f"m_hat{k}"]), (oid, row, name)
                continue
            target = {"G": traj.G, "M": traj.M, "lr": traj.lr, "dw": traj.dw, "w": traj.w}[name][row, i]
            assert _close(value, float(target)), (oid, row, name, value, target)


@pytest.mark.parametrize("oid", list(OPTIMIZERS))
@pytest.mark.parametrize("loss", ["rosenbrock", "quadratic"])
def test_every_optimizer_shows_its_recorded_numbers_and_they_reproduce(oid: str, loss: str) -> None:
    overrides = {"lr": SAFE_ON_ROSENBROCK[oid]} if loss == "rosenbrock" and oid in SAFE_ON_ROSENBROCK else {}
    traj = simulate(loss, oid, steps=40, **overrides)
    assert traj.status == "finished"
    for row in ROWS:
        _check_row(traj, oid, row)


@pytest.mark.parametrize("oid", ["sgd", "adagrad", "adam", "nadam", "adadelta", "qhadam"])
@pytest.mark.parametrize(
    "schedule",
    [
        "step:size=5,gamma=0.5",
        "exponential:gamma=0.95",
        "cosine:T=30,min=0.001",
        "cosine_annealing:T=8,min=0.001",
        "warmup:steps=10",
    ],
)
def test_scheduled_rates_are_shown_and_reproduce(oid: str, schedule: str) -> None:
    traj = simulate("quadratic", oid, steps=40, schedule=schedule)
    for row in ROWS:
        _check_row(traj, oid, row, schedule)
    ex = explain_step(oid, traj.hyperparameters, schedule, traj, 12)
    assert ex.shared_lines[0].startswith("η(12) = ")
    assert ex.shared_lines[0].endswith(
        format_number(Schedule.parse(schedule).lr(traj.hyperparameters["lr"], 12))
    )


def test_adagrad_first_two_steps_by_hand() -> None:
    # L = (x² + κy²)/2, κ = 10: g = (x, 10·y). Step 1 at (2, 1): g = (2, 10), G = (4, 100),
    # rates 0.5/(2+ε), 0.5/(10+ε), Δw = (−0.5, −0.5), w = (1.5, 0.5).
    # Step 2: g = (1.5, 5), G = (6.25, 125), √G = (2.5, 11.18), rates (0.2, 0.04472),
    # Δw = (−0.3, −0.2236), w = (1.2, 0.2764).
    traj = simulate("quadratic", "adagrad", start=(2.0, 1.0), steps=2, lr=0.5, eps=1e-8)
    one = explain_step("adagrad", {"lr": 0.5, "eps": 1e-8}, "constant", traj, 1)
    assert one.title == "AdaGrad, step 1"
    assert one.shared_lines == []
    assert one.lines_by_weight == [
        [
            "G₁(1) = G₁(0) + g₁(1)² = 0 + 2.000² = 4.000",
            "lr₁(1) = η/(√G₁(1)+ε) = 0.5/(2.000 + 1e−08) = 0.2500",
            "Δw₁(1) = −η/(√G₁(1)+ε)·g₁(1) = −0.5/(2.000 + 1e−08)·2.000 = −0.5000",
            "w₁(1) = w₁(0) + Δw₁(1) = 2.000 + (−0.5000) = 1.500",
        ],
        [
            "G₂(1) = G₂(0) + g₂(1)² = 0 + 10.00² = 100.0",
            "lr₂(1) = η/(√G₂(1)+ε) = 0.5/(10.00 + 1e−08) = 0.05000",
            "Δw₂(1) = −η/(√G₂(1)+ε)·g₂(1) = −0.5/(10.00 + 1e−08)·10.00 = −0.5000",
            "w₂(1) = w₂(0) + Δw₂(1) = 1.000 + (−0.5000) = 0.5000",
        ],
    ]
    assert "|Δw₁| = 1.000·η and |Δw₂| = 1.000·η" in one.summary
    two = explain_step("adagrad", {"lr": 0.5, "eps": 1e-8}, "constant", traj, 2)
    assert two.lines_by_weight == [
        [
            "G₁(2) = G₁(1) + g₁(2)² = 4.000 + 1.500² = 6.250",
            "lr₁(2) = η/(√G₁(2)+ε) = 0.5/(2.500 + 1e−08) = 0.2000",
            "Δw₁(2) = −η/(√G₁(2)+ε)·g₁(2) = −0.5/(2.500 + 1e−08)·1.500 = −0.3000",
            "w₁(2) = w₁(1) + Δw₁(2) = 1.500 + (−0.3000) = 1.200",
        ],
        [
            "G₂(2) = G₂(1) + g₂(2)² = 100.0 + 5.000² = 125.0",
            "lr₂(2) = η/(√G₂(2)+ε) = 0.5/(11.18 + 1e−08) = 0.04472",
            "Δw₂(2) = −η/(√G₂(2)+ε)·g₂(2) = −0.5/(11.18 + 1e−08)·5.000 = −0.2236",
            "w₂(2) = w₂(1) + Δw₂(2) = 0.5000 + (−0.2236) = 0.2764",
        ],
    ]
    # g₁ fell 25%, g₂ halved, lr₁ fell 20%, lr₂ fell 11%: the halved gradient is the biggest change
    assert two.summary == "The gradient g₂ fell 50% since step 1 (flatter ground along w₂)."
    assert two.values["G2"] == pytest.approx(125.0, rel=1e-8) and two.values["G2_prev"] == 100.0


def _rows(w0: tuple[float, float], grads: list[tuple[float, float]], rule) -> RecordedRows:
    """Rows of a made-up run: the given gradients fed through ``rule(g, G, M) -> (G, M, lr, dw)``."""
    n = len(grads) + 1
    w, grad, G, M, lr, dw = (np.zeros((n, 2)) for _ in range(6))
    w[0] = w0
    for r, g in enumerate(grads, start=1):
        for i in (0, 1):
            G[r, i], M[r, i], lr[r, i], dw[r, i] = rule(g[i], G[r - 1, i], M[r - 1, i])
            grad[r, i] = g[i]
            w[r, i] = w[r - 1, i] + dw[r, i]
    return RecordedRows(np.arange(n), w, np.zeros(n), grad, G, M, lr, dw)


def test_summary_names_the_rate_and_the_growing_G_in_rmsprop() -> None:
    eta, beta, eps = 0.01, 0.9, 1e-8

    def rmsprop(g: float, G: float, M: float) -> tuple[float, float, float, float]:
        G = beta * G + (1.0 - beta) * g * g
        le = eta / (math.sqrt(G) + eps)
        return G, M, le, -le * g

    # w₁'s gradient barely moves; w₂'s jumps from 0.01 to 0.5: G₂ grows ~2500×, lr₂ falls ~98%
    rows = _rows((1.0, 1.0), [(1.0, 0.01), (1.05, 0.5)], rmsprop)
    ex = explain_step("rmsprop", {"lr": eta, "beta": beta, "eps": eps}, "constant", rows, 2)
    assert ex.notes == []
    assert ex.summary.startswith("w₂'s learning rate fell 98% since step 1 because G₂ grew")
    assert "is above G₂(1) = 1.000e−05" in ex.summary


def test_summary_says_when_momentum_reverses_sign() -> None:
    alpha, eta = 0.9, 0.01

    def momentum(g: float, G: float, M: float) -> tuple[float, float, float, float]:
        M = alpha * M + g
        return G, M, eta, -eta * M

    # M₁: 4 → 1.6 → −1.06 while g₁ only goes from −2 to −2.5
    rows = _rows((0.0, 0.0), [(4.0, 1.0), (-2.0, 1.0), (-2.5, 1.0)], momentum)
    ex = explain_step("momentum", {"lr": eta, "alpha": alpha}, "constant", rows, 3)
    assert ex.notes == []
    assert ex.summary == "M₁ reversed sign since step 2 because g₁(3) = −2.500 points the other way."


def test_summary_blames_the_schedule_for_a_plain_rate_change() -> None:
    traj = simulate("quadratic", "sgd", steps=10, lr=0.02, schedule="step:size=5,gamma=0.5")
    ex = explain_step("sgd", {"lr": 0.02}, "step:size=5,gamma=0.5", traj, 6)
    assert ex.summary == "The learning rate fell 50% since step 5 because the schedule lowered η."
    assert ex.shared_lines == ["η(6) = η·γ^⌊(t−1)/K⌋ = 0.02·0.5^⌊5/5⌋ = 0.01000"]


def test_row_zero_explains_the_start() -> None:
    traj = simulate("quadratic", "adam", start=(2.0, 1.0), steps=3)
    ex = explain_step("adam", traj.hyperparameters, "constant", traj, 0)
    assert ex.title == "Adam, start"
    assert ex.lines_by_weight[0][0] == "w₁(0) = 2.000 (the start)"
    assert "G₂(0) = 0" in ex.lines_by_weight[1] and "M₂(0) = 0" in ex.lines_by_weight[1]
    assert (
        ex.summary
        == "The start: w(0) = (2.000, 1.000) with L = 7.000; no step has been taken yet; G and M start at 0."
    )


@pytest.mark.parametrize("row", [-1, 4, 100])
def test_a_row_outside_the_record_is_a_clear_error(row: int) -> None:
    traj = simulate("quadratic", "sgd", steps=3)
    with pytest.raises(ValueError, match=r"row -?\d+ is out of range: this run has 4 recorded rows \(0–3\)"):
        explain_step("sgd", {}, "constant", traj, row)


def test_a_row_must_be_a_whole_number() -> None:
    traj = simulate("quadratic", "sgd", steps=3)
    with pytest.raises(ValueError, match="row must be a whole number"):
        explain_step("sgd", {}, "constant", traj, 1.5)  # type: ignore[arg-type]
    assert explain_step("sgd", {}, "constant", traj, np.int64(2)).step == 2


def test_unknown_optimizer_is_a_clear_error() -> None:
    traj = simulate("quadratic", "sgd", steps=3)
    with pytest.raises(ValueError, match="unknown optimizer 'adafactor'"):
        explain_step("adafactor", {}, "constant", traj, 1)


def test_wrong_hyperparameters_are_reported_not_hidden() -> None:
    traj = simulate("quadratic", "rmsprop", steps=5, lr=0.02)
    ex = explain_step("rmsprop", {"lr": 0.03}, "constant", traj, 3)
    assert any("do not all follow from the hyperparameters" in n for n in ex.notes)
    # the results shown are still the recorded ones
    assert format_number(traj.lr[3, 0]) in ex.lines_by_weight[0][1]


@pytest.mark.parametrize("oid", list(OPTIMIZERS))
def test_a_schedule_that_reaches_zero_is_explained_without_errors(oid: str) -> None:
    traj = simulate("quadratic", oid, steps=8, schedule="cosine:T=5,min=0")
    for row in range(1, 9):
        ex = explain_step(oid, traj.hyperparameters, "cosine:T=5,min=0", traj, row)
        assert not any("do not all follow" in n for n in ex.notes), (row, ex.notes)
    assert ex.shared_lines[0].endswith("= 0")


def test_amsgrad_says_when_an_earlier_larger_G_is_remembered() -> None:
    traj = simulate("rosenbrock", "amsgrad", steps=40, beta=0.9)
    remembered = []
    for row in range(1, len(traj.step)):
        _check_row(traj, "amsgrad", row)
        ex = explain_step("amsgrad", traj.hyperparameters, "constant", traj, row)
        assert ex.values["G_max1"] >= traj.G[row, 0] * (1 - 1e-9)
        remembered.append(any("remembered" in line for line in ex.lines_by_weight[0]))
    assert remembered[0] is False and any(remembered)


def test_adadelta_recovers_sqrt_u_plus_eps_from_the_rate() -> None:
    traj = simulate("quadratic", "adadelta", steps=5)
    ex = explain_step("adadelta", traj.hyperparameters, "constant", traj, 1)
    # U starts at 0, so the recovered √(U(0)+ε) is √ε
    assert ex.values["sqrt_U1_prev"] == pytest.approx(math.sqrt(traj.hyperparameters["eps"]), rel=1e-12)
    assert any("not recorded" in n for n in ex.notes)


def test_thinned_rows_show_only_the_recorded_results() -> None:
    traj = simulate("quadratic", "adagrad", steps=8)
    keep = np.arange(0, 9, 2)
    rows = RecordedRows(
        *(getattr(traj, n)[keep] for n in ("step", "w", "loss", "grad", "G", "M", "lr", "dw"))
    )
    ex = explain_step("adagrad", traj.hyperparameters, "constant", rows, 2)
    assert ex.title == "AdaGrad, step 4"
    assert "previous kept one is step 2" in ex.summary
    assert f"G₁(4) = {format_number(traj.G[4, 0])}" in ex.lines_by_weight[0]
    assert ex.values["G1"] == traj.G[4, 0]


def test_history_adapter_gives_the_same_explanation() -> None:
    traj = simulate("quadratic", "adam", steps=10)

    class History:  # the shape of gui.history.RacerHistory
        step = traj.step
        loss = traj.loss

        def vec(self, name: str) -> np.ndarray:
            return getattr(traj, name)

    a = explain_step("adam", traj.hyperparameters, "constant", rows_of(History()), 6)
    b = explain_step("adam", traj.hyperparameters, "constant", traj, 6)
    assert a == b


@pytest.mark.parametrize(
    ("x", "signed", "text"),
    [
        (0.027, True, "+0.02700"),
        (-0.027, True, "−0.02700"),
        (3.6691, False, "3.669"),
        (-0.517, False, "−0.5170"),
        (46480.0, False, "4.648e+04"),
        (1234.0, False, "1234"),
        (1.5e-5, False, "1.500e−05"),
        (0.0, True, "0"),
        (math.inf, False, "∞"),
    ],
)
def test_format_number(x: float, signed: bool, text: str) -> None:
    assert format_number(x, signed=signed) == text


def test_hyperparameters_are_shown_as_typed() -> None:
    assert [format_hyper(x) for x in (1e-8, 0.1, 0.999, 1 - 0.999, 3.0)] == [
        "1e−08",
        "0.1",
        "0.999",
        "0.001",
        "3",
    ]
