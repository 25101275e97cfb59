"""Data losses and stochastic gradients against independent references (numpy, our own IRLS)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from engine.config import ConfigError, RacerConfig, SessionConfig
from engine.data import DataSpec, batch_indices, data_surface, epoch_at, steps_per_epoch
from engine.datasets import DATASETS, DataError, load_table
from engine.session import load_session, save_session
from engine.simulate import Run, run_for, simulate, surface_for
from engine.state import S_LOSS

LINEAR = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g")
LINEAR_STD = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)
LOGISTIC = DataSpec("penguins", "logistic", "bill_length_mm", "species", positive="Gentoo")
LOGISTIC_STD = DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo")


def penguins() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """flipper length, body mass, Gentoo? read with the csv module (rows with NA left out)."""
    with DATASETS["penguins"].path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    used = [r for r in rows if r["flipper_length_mm"] != "NA" and r["body_mass_g"] != "NA"]
    x = np.array([float(r["flipper_length_mm"]) for r in used])
    y = np.array([float(r["body_mass_g"]) for r in used])
    gentoo = np.array([r["species"] == "Gentoo" for r in rows if r["bill_length_mm"] != "NA"], dtype=float)
    return x, y, gentoo


def irls(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Logistic regression by iteratively reweighted least squares (the test's own reference)."""
    A = np.column_stack([X, np.ones_like(X)])
    w = np.zeros(2)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(A @ w)))
        W = p * (1.0 - p)
        z = A @ w + (Y - p) / W
        w_new = np.linalg.solve(A.T @ (W[:, None] * A), A.T @ (W * z))
        if np.max(np.abs(w_new - w)) < 1e-15:
            return w_new
        w = w_new
    return w


# -- the full-data loss ---------------------------------------------------------------------------
@pytest.mark.parametrize("spec", [LINEAR, LINEAR_STD], ids=["raw", "standardised"])
def test_linear_minimum_is_the_least_squares_solution(spec: DataSpec) -> None:
    surface = data_surface(spec)
    X, Y = surface.data.X, surface.data.Y
    ref = np.linalg.lstsq(np.column_stack([X, np.ones_like(X)]), Y, rcond=None)[0]
    assert np.allclose(surface.minima[0], ref, rtol=1e-8, atol=1e-8)
    _f, g1, g2 = surface.value_grad(*ref)
    scale = np.abs(surface.value_grad(0.0, 0.0)[1:]).max()
    assert max(abs(g1), abs(g2)) < 1e-9 * scale


def test_full_batch_gradient_descent_reaches_the_least_squares_solution() -> None:
    surface = data_surface(LINEAR_STD)
    X, Y = surface.data.X, surface.data.Y
    ref = np.linalg.lstsq(np.column_stack([X, np.ones_like(X)]), Y, rcond=None)[0]
    traj = simulate(surface, "sgd", steps=5000, lr=0.1, tol=1e-12)
    assert traj.status == "converged"
    assert np.allclose(traj.w[-1], ref, rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("spec", [LOGISTIC, LOGISTIC_STD], ids=["raw", "standardised"])
def test_logistic_minimum_is_the_irls_solution(spec: DataSpec) -> None:
    surface = data_surface(spec)
    ref = irls(surface.data.X, surface.data.Y)
    assert np.allclose(surface.minima[0], ref, rtol=1e-8, atol=1e-10)


def test_full_batch_adam_reaches_the_irls_solution() -> None:
    surface = data_surface(LOGISTIC_STD)
    ref = irls(surface.data.X, surface.data.Y)
    traj = simulate(surface, "sgd", steps=200_000, lr=2.0, tol=1e-11)
    assert traj.status == "converged"
    assert np.allclose(traj.w[-1], ref, rtol=1e-8, atol=1e-9)


def test_the_loss_and_gradient_equal_numpy_on_the_raw_rows() -> None:
    x, y, gentoo = penguins()
    linear = data_surface(LINEAR)
    logistic = data_surface(LOGISTIC)
    bill = logistic.data.X
    assert np.array_equal(linear.data.X, x) and np.array_equal(linear.data.Y, y)
    assert np.array_equal(logistic.data.Y, gentoo) and bill.size == gentoo.size == 342
    rng = np.random.default_rng(0)
    for w1, w2 in rng.normal(size=(5, 2)) * [20, 3000]:
        r = w1 * x + w2 - y
        expected = (np.mean(r**2), np.mean(2 * r * x), np.mean(2 * r))
        assert np.allclose(linear.value_grad(w1, w2), expected, rtol=1e-10)
    for w1, w2 in rng.normal(size=(5, 2)) * [0.3, 10]:
        z = w1 * bill + w2
        p = 1 / (1 + np.exp(-z))
        expected = (
            np.mean(np.logaddexp(0, z) - gentoo * z),
            np.mean((p - gentoo) * bill),
            np.mean(p - gentoo),
        )
        assert np.allclose(logistic.value_grad(w1, w2), expected, rtol=1e-10)


def test_standardised_data_and_predict() -> None:
    surface = data_surface(LINEAR_STD)
    data = surface.data
    x, y, _ = penguins()
    assert np.allclose(data.X, (x - x.mean()) / x.std()) and np.allclose(data.Y, (y - y.mean()) / y.std())
    assert (data.x_mean, data.x_std) == pytest.approx((x.mean(), x.std()))
    # standardised, w1 at the minimum is the correlation and the bowl is round (Hessian 2·I)
    assert surface.minima[0][0] == pytest.approx(np.corrcoef(x, y)[0, 1], rel=1e-12)
    assert np.array_equal(data.predict(2.0, 1.0, np.array([0.0, 1.0])), [1.0, 3.0])
    logistic = data_surface(LOGISTIC).data
    assert np.allclose(logistic.predict(1.0, -2.0, np.array([2.0, 0.0])), [0.5, 1 / (1 + np.e**2)])
    assert data_surface(LINEAR).data.x_std == 1.0  # raw: nothing was rescaled


def test_view_holds_the_start_and_the_minimum() -> None:
    for spec in (LINEAR, LINEAR_STD, LOGISTIC, LOGISTIC_STD):
        s = data_surface(spec)
        x0, x1, y0, y1 = s.view
        for px, py in (s.start, s.minima[0]):
            assert x0 < px < x1 and y0 < py < y1


# -- minibatches and noise ------------------------------------------------------------------------
def test_every_epoch_uses_every_row_once() -> None:
    n, size = 342, 32
    k = steps_per_epoch(size, n)
    assert k == 11
    for epoch in range(3):
        rows = np.concatenate([batch_indices(n, size, 7, epoch * k + j + 1) for j in range(k)])
        assert np.array_equal(np.sort(rows), np.arange(n))
    first = np.concatenate([batch_indices(n, size, 7, j + 1) for j in range(k)])
    second = np.concatenate([batch_indices(n, size, 7, k + j + 1) for j in range(k)])
    assert not np.array_equal(first, second)  # a new order each epoch
    assert batch_indices(n, size, 7, k).size == n - 10 * size  # the last batch is what is left
    assert np.array_equal(batch_indices(n, 0, 7, 5), np.arange(n))


def test_epoch_counts_passes_over_the_data() -> None:
    assert epoch_at(0, 32, 342) == 0.0
    assert epoch_at(1, 32, 342) == pytest.approx(32 / 342)
    assert epoch_at(11, 32, 342) == 1.0
    assert epoch_at(12, 32, 342) == pytest.approx(1 + 32 / 342)
    assert epoch_at(7, 0, 342) == 7.0 and epoch_at(7, 342, 342) == 7.0 and epoch_at(7, 500, 342) == 7.0


def test_each_step_uses_the_minibatch_gradient_of_its_rows() -> None:
    surface = data_surface(LINEAR_STD)
    X, Y = surface.data.X, surface.data.Y
    traj = simulate(surface, "sgd", steps=40, lr=0.05, batch_size=8, seed=11)
    for t in range(1, 41):
        rows = batch_indices(X.size, 8, 11, t)
        w1, w2 = traj.w[t - 1]
        r = w1 * X[rows] + w2 - Y[rows]
        assert np.allclose(traj.grad[t], [np.mean(2 * r * X[rows]), np.mean(2 * r)], rtol=1e-12, atol=1e-15)
        assert traj.loss[t] == pytest.approx(surface.value_grad(*traj.w[t])[0], rel=1e-14)


def test_noise_is_sigma_times_the_seeded_normals_on_any_surface() -> None:
    from engine._stochastic import normal_pair
    from engine.losses import get_loss

    surface = get_loss("rosenbrock")
    traj = simulate(surface, "sgd", steps=30, lr=1e-4, noise=0.5, seed=3)
    assert traj.status == "finished" and traj.steps == 30
    for t in (1, 2, 30):
        exact = np.array(surface.value_grad(*traj.w[t - 1])[1:])
        assert np.allclose(traj.grad[t] - exact, 0.5 * np.array(normal_pair(3, t)), rtol=1e-9, atol=1e-12)
    draws = np.array([normal_pair(5, t) for t in range(1, 20001)]).ravel()
    assert abs(draws.mean()) < 0.03 and abs(draws.std() - 1) < 0.03


def test_noise_on_a_typed_loss() -> None:
    from engine.losses import get_loss

    surface = get_loss("x^2 + 3*y^2")
    a = simulate(surface, "adam", steps=50, noise=1.0, seed=9, lr=0.1)
    b = simulate(surface, "adam", steps=50, lr=0.1)
    exact = np.array([surface.value_grad(*w)[1:] for w in a.w[:-1]])
    assert not np.allclose(a.grad[1:], exact) and a.steps == 50 and b.steps == 50


@pytest.mark.parametrize(
    ("spec", "options"),
    [
        (LINEAR_STD, {"batch_size": 16}),
        (LOGISTIC_STD, {"batch_size": 5, "noise": 0.3}),
        (None, {"noise": 2.0}),
    ],
    ids=["minibatch", "minibatch+noise", "noise on a formula"],
)
def test_same_seed_same_bits_in_chunks_or_at_once(spec: DataSpec | None, options: dict) -> None:
    surface = data_surface(spec) if spec else "rosenbrock"
    one = simulate(surface, "adam", steps=300, lr=0.01, seed=42, **options)
    run = Run(surface, "adam", lr=0.01, seed=42, **options)
    for n in (1, 7, 100, 64, 128):
        run.advance(n)
    chunked = run.trajectory()
    for name in ("w", "loss", "grad", "G", "M", "lr"):
        assert np.array_equal(getattr(one, name), getattr(chunked, name)), name
    other = simulate(surface, "adam", steps=300, lr=0.01, seed=43, **options)
    assert not np.array_equal(one.w, other.w)
    again = simulate(surface, "adam", steps=300, lr=0.01, seed=42, **options)
    assert np.array_equal(one.w.view(np.int64), again.w.view(np.int64))


def test_a_stochastic_run_takes_every_step_and_an_exact_one_converges() -> None:
    surface = data_surface(LINEAR_STD)
    noisy = simulate(surface, "sgd", steps=3000, lr=0.1, batch_size=32, seed=1)
    exact = simulate(surface, "sgd", steps=3000, lr=0.1)
    assert noisy.status == "finished" and noisy.steps == 3000
    assert exact.status == "converged" and exact.steps < 3000
    full = simulate(surface, "sgd", steps=50, lr=0.1, batch_size=342, seed=1)  # B = n is the full batch
    assert np.array_equal(full.w, exact.w[:51])


@pytest.mark.parametrize("batch_size", [8, 0], ids=["minibatch", "full batch"])
def test_every_kept_row_has_the_exact_full_data_loss_though_the_kernel_defers_it(batch_size: int) -> None:
    """A logistic step leaves L (a log1p per data row) to the rows that are kept: the kernel writes
    NaN, and every row a run, a thinned race chunk or a record hands out has the exact value."""
    from engine import _stochastic
    from engine.race import advance_thinned

    surface = data_surface(LOGISTIC_STD)

    def exact(w: np.ndarray) -> np.ndarray:
        return np.array([surface.value_grad(a, b)[0] for a, b in w])

    raw = Run(surface, "adam", lr=0.05, batch_size=batch_size, seed=4)
    bufs = tuple(np.zeros((201, 2)) if i != 1 else np.zeros(201) for i in range(7))
    kernel = _stochastic.run_chunk_minibatch if batch_size else _stochastic.run_chunk_data
    z = raw._z if raw._z is not None else np.zeros(4)
    kernel(surface.kernel_id, surface.p, z, raw.optimizer.kernel_id, raw._h, 0, np.zeros(2), raw._S.copy(),
           200, -1.0, 0, 1, 0, *bufs)  # fmt: skip
    assert np.isnan(bufs[1][1:]).all()  # deferred, not computed
    run = Run(surface, "adam", lr=0.05, batch_size=batch_size, seed=4)
    chunk = run.advance(300)
    assert np.array_equal(chunk.loss[1:], exact(chunk.w[1:]))
    assert run.checkpoint().state[S_LOSS] == surface.value_grad(*run.point)[0]  # S is settled
    thinned = advance_thinned(run, 20_000, [], 64)
    assert len(thinned) < 20_000 // 8 and not np.isnan(thinned.loss).any()  # steps ≤ 2048 and a stride
    assert np.array_equal(thinned.loss, exact(thinned.w))
    whole = run.trajectory()
    assert np.array_equal(whole.loss, exact(whole.w))
    linear = Run(data_surface(LINEAR_STD), "sgd", lr=0.1, batch_size=batch_size, seed=4).advance(50)
    assert not np.isnan(linear.loss).any()


def test_many_runs_on_a_data_loss_match_single_runs() -> None:
    from engine.simulate import batch

    surface = data_surface(LOGISTIC_STD)
    starts = np.array([[0.0, 0.0], [1.0, -1.0], [-2.0, 2.0]])
    result = batch(surface, "adam", starts, 200, lr=0.05)
    for i, start in enumerate(starts):
        single = simulate(surface, "adam", start=start, steps=200, lr=0.05)
        assert np.array_equal(result.final_w[i], single.w[-1])


# -- the race's settings: seeds, sessions ---------------------------------------------------------
def test_racers_share_the_race_seed_unless_they_have_their_own() -> None:
    config = SessionConfig(
        data=LINEAR_STD,
        batch_size=8,
        seed=5,
        racers=(RacerConfig("sgd"), RacerConfig("sgd", key="own", seed=6)),
    )
    surface = surface_for(config)
    a, b = (run_for(config, r, surface) for r in config.racers)
    assert (a.seed, b.seed) == (5, 6) and a.batch_size == b.batch_size == 8
    ta, tb = a.record_all(20), b.record_all(20)
    assert not np.array_equal(ta.grad, tb.grad)
    assert ta.stochastic["seed"] == 5 and ta.stochastic["data"]["sha256"] == load_table("penguins").sha256


def test_racers_that_differ_only_in_their_seed_are_labelled_by_it() -> None:
    from engine.config import racer_label
    from engine.optimizers import OPTIMIZERS

    sgd = OPTIMIZERS["sgd"].title
    own = (RacerConfig("sgd", key="a", seed=6), RacerConfig("sgd", key="b", seed=7))
    assert not own[0].settings_equal(own[1])
    assert [racer_label(r, own) for r in own] == [f"{sgd} seed 6", f"{sgd} seed 7"]
    mixed = (RacerConfig("sgd", key="a", seed=6, hyperparameters={"lr": 0.1}), RacerConfig("sgd", key="b"))
    assert racer_label(mixed[0], mixed) == f"{sgd} η=0.1, seed 6"
    twins = (RacerConfig("sgd", key="a"), RacerConfig("sgd", key="b"))
    assert [racer_label(r, twins) for r in twins] == [f"{sgd} #1", f"{sgd} #2"]


def test_with_own_batches_a_new_racer_draws_its_own_and_with_the_same_it_shares() -> None:
    from engine.race import Race

    own = SessionConfig(
        data=LINEAR_STD,
        batch_size=8,
        seed=5,
        racers=(RacerConfig("sgd", key="sgd", seed=6), RacerConfig("adam", key="adam", seed=8)),
    )
    race = Race(own)
    race.start(own, surface_for(own))
    added = race.add("rmsprop")
    copy = race.duplicate("sgd")
    seeds = {r.key: r.seed for r in race.config.racers}
    assert seeds == {"sgd": 6, "adam": 8, added: 7, copy: 9}
    assert not np.array_equal(race.runs()[copy].record_all(5).grad, race.runs()["sgd"].record_all(5).grad)
    same = replace(own, racers=(RacerConfig("sgd", key="sgd"),))
    race = Race(same)
    race.start(same, surface_for(same))
    key = race.add("adam")  # first: ``race.config`` is a new object after the add
    assert race.config.racer(key).seed is None


def test_a_session_keeps_the_data_batch_noise_and_seeds(tmp_path: Path) -> None:
    config = SessionConfig(
        data=LOGISTIC_STD,
        batch_size=8,
        noise=0.25,
        seed=77,
        racers=(RacerConfig("sgd"), RacerConfig("adam", seed=3)),
    )
    path = tmp_path / "data.olab.json"
    save_session(config, path)
    raw = json.loads(path.read_text())
    assert raw["version"] == 3 and raw["data"]["positive"] == "Gentoo" and raw["racers"][1]["seed"] == 3
    assert load_session(path) == config
    plain = SessionConfig()
    assert plain.to_dict()["version"] == 2  # older versions still open a race without data


def test_a_version_2_file_refuses_the_new_fields() -> None:
    data = {**SessionConfig().to_dict(), "batch_size": 8}
    with pytest.raises(ConfigError, match="unknown session field"):
        SessionConfig.from_dict(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": -1}, "batch size must be a whole number in 0…200,000"),
        ({"batch_size": 2.5}, "batch size must be a whole number"),
        ({"noise": -0.1}, "noise σ must be ≥ 0"),
        ({"noise": float("nan")}, "noise σ must be a finite number"),
        ({"seed": -1}, "seed must be a whole number in 0…9,007,199,254,740,991"),
        ({"seed": True}, "seed must be a whole number"),
    ],
)
def test_bad_stochastic_settings_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        SessionConfig(**changes)


def test_a_racer_seed_is_checked() -> None:
    with pytest.raises(ConfigError, match="a racer's seed must be a whole number"):
        RacerConfig("sgd", seed=-3)


# -- what is wrong with a table -------------------------------------------------------------------
def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_rows_with_a_missing_value_are_left_out_and_said(tmp_path: Path) -> None:
    surface = data_surface(LINEAR)
    assert surface.data.n == 342 and surface.data.dropped == 2
    assert "2 of 344 rows have a missing flipper_length_mm or body_mass_g and are left out" in surface.note
    path = _csv(tmp_path, "a,b\n1,2\nNA,3\n2,\n3,5\n4,9\n")
    s = data_surface(DataSpec(path, "linear", "a", "b"))
    assert s.data.n == 3 and s.data.dropped == 2 and s.data.source == "t.csv"


@pytest.mark.parametrize(
    ("text", "spec", "message"),
    [
        (
            "a,b\n1,2\n2,x7\n",
            ("linear", "a", "b", ""),
            "column 'b' of t.csv must hold numbers for y, but line 3 has 'x7'",
        ),
        (
            "a,b\n1,2\nNA,3\n",
            ("linear", "a", "b", ""),
            "t.csv has 1 usable rows for a → b .1 with a missing value",
        ),
        ("a,b\n1,2\n2,3\n", ("linear", "a", "c", ""), "t.csv has no column 'c' for y; its columns are: a, b"),
        ("a,b\n1,cat\n2,cat\n", ("logistic", "a", "b", "cat"), "every usable row of column 'b' is 'cat'"),
        (
            "a,b\n1,cat\n2,dog\n",
            ("logistic", "a", "b", ""),
            "choose the positive one .counted as 1.: cat, dog",
        ),
        (
            "a,b\n1,cat\n2,dog\n",
            ("logistic", "a", "b", "cow"),
            "column 'b' has no class 'cow'; its classes are: cat, dog",
        ),
        ("a,b\n1,0\n2,2\n", ("logistic", "a", "b", ""), "logistic regression needs 0 and 1"),
        ("a,b\n1,2\n2\n", ("linear", "a", "b", ""), "t.csv, line 3: 1 cells, but the header names 2 columns"),
        ("", ("linear", "a", "b", ""), "t.csv is empty"),
        ("a,a\n1,2\n", ("linear", "a", "b", ""), "every column needs its own name"),
    ],
    ids=[
        "text in a number column",
        "fewer than 2 rows",
        "unknown column",
        "one class only",
        "no positive class",
        "unknown positive class",
        "numbers not 0/1",
        "ragged row",
        "empty",
        "repeated name",
    ],
)
def test_data_errors_say_what_is_wrong(tmp_path: Path, text: str, spec: tuple, message: str) -> None:
    path = _csv(tmp_path, text)
    model, x, y, positive = spec
    with pytest.raises(DataError, match=message):
        data_surface(DataSpec(path, model, x, y, positive=positive))


def test_files_that_are_not_tables_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="folder"):
        load_table(str(tmp_path))
    with pytest.raises(DataError, match="no such file"):
        load_table(str(tmp_path / "missing.csv"))
    with pytest.raises(DataError, match=r"neither a built-in dataset \(penguins\) nor a CSV file"):
        load_table("pinguins")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00a")
    with pytest.raises(DataError, match="not a text"):
        load_table(str(tmp_path / "bin.csv"))
    with pytest.raises(DataError, match="model 'cubic' is not known; use one of linear, logistic"):
        DataSpec("penguins", "cubic", "a", "b")


def test_a_changed_file_is_reported(tmp_path: Path) -> None:
    path = _csv(tmp_path, "a,b\n1,2\n2,3\n3,5\n")
    sha = load_table(path).sha256
    assert "has changed" not in data_surface(DataSpec(path, "linear", "a", "b", sha256=sha)).note
    Path(path).write_text("a,b\n1,2\n2,3\n3,6\n")
    assert (
        "t.csv has changed since this session was saved"
        in data_surface(DataSpec(path, "linear", "a", "b", sha256=sha)).note
    )


def test_a_saved_session_keeps_the_csv_hash(tmp_path: Path) -> None:
    csv_path = _csv(tmp_path, "a,b\n1,2\n2,3\n3,5\n")
    config = SessionConfig(data=DataSpec(csv_path, "linear", "a", "b"), batch_size=2)
    save_session(config, tmp_path / "s.olab.json")
    loaded = load_session(tmp_path / "s.olab.json")
    assert loaded.data.sha256 == load_table(csv_path).sha256 and loaded.batch_size == 2
    Path(csv_path).write_text("a,b\n1,2\n2,3\n3,7\n")
    assert "has changed since this session was saved" in surface_for(loaded).note
