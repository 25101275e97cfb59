"""Engine speed: ns per optimizer step, recording overhead, and the many-runs batch.

Every figure is printed with ratios against references measured in the same run:

* per optimizer, Rosenbrock from (−1.2, 1), the full state recorded (``run_chunk`` into
  preallocated arrays), against the same rule as a plain-Python loop (the kernels' own
  source run by the interpreter), a numpy-per-step loop (the independent references of
  tests/engine/test_optimizers.py) and torch.optim with autograd when torch is installed;
* the cost of recording (``run_chunk`` against ``run_steps``, which keeps only the state);
* the batch of 256×256 starts × 500 Adam steps, in ns per run·step on 1 thread and on all
  cores (medians, the two alternating so that both see the same machine), against Adam in
  numpy vectorised over the whole grid;
* data losses on the penguins (342 rows): one racer's recorded step with a minibatch of 32 and
  with the full batch, linear and logistic, against the same step vectorised in numpy.

    .venv/bin/python benchmarks/bench_engine.py [--quick] [--batch-only | --data-only]
"""

from __future__ import annotations

import argparse
import math
import mmap
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import OPTIMIZERS, _surfaces, batch, get_loss  # noqa: E402
from engine import _kernels as K  # noqa: E402
from engine._ids import NADAM  # noqa: E402
from engine.simulate import hyper_vector, simulate  # noqa: E402
from engine.state import NSTATE  # noqa: E402
from tests.engine.test_optimizers import (  # noqa: E402
    REFERENCES,
    ROSENBROCK_LR,
    START,
    TORCH_RULES,
    rosenbrock_grad,
)


def best_of(fn: Callable[[], object], repeats: int) -> float:
    """Smallest wall time of ``repeats`` calls (the least disturbed by other processes)."""
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def wall_time(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


# -- one run, per optimizer -------------------------------------------------------------------------


def numba_recorded(opt: str, n: int) -> tuple[float, float, float]:
    """ns per step of the compiled kernels: recorded into reused arrays, unrecorded, and recorded
    into fresh pages (a new anonymous mapping for each run, 4 KiB pages, each touched first by the
    kernel: what any record in new memory costs when the allocator has none to reuse)."""
    surface = get_loss("rosenbrock")
    h = hyper_vector(dict(OPTIMIZERS[opt].defaults, lr=ROSENBROCK_LR[opt]))
    kid, p, sp = surface.kernel_id, surface.p, np.zeros(2)
    o = OPTIMIZERS[opt].kernel_id
    bufs = (np.empty((n + 1, 2)), np.empty(n + 1), *(np.empty((n + 1, 2)) for _ in range(5)))
    S = np.empty(NSTATE)

    def recorded() -> None:
        K.init_state(kid, p, h, *START, S)
        taken, _ = K.run_chunk(kid, p, o, h, 0, sp, S, n, 0.0, 0, 1, 0, *bufs)
        assert taken == n, (opt, taken)

    def unrecorded() -> None:
        K.init_state(kid, p, h, *START, S)
        taken, _ = K.run_steps(kid, p, o, h, 0, sp, S, n, 0.0)
        assert taken == n, (opt, taken)

    def fresh() -> None:
        block = np.frombuffer(mmap.mmap(-1, 13 * (n + 1) * 8), dtype=np.float64)
        arrays = (
            block[: 2 * (n + 1)].reshape(n + 1, 2),
            block[2 * (n + 1) : 3 * (n + 1)],
            *(block[(3 + 2 * i) * (n + 1) : (5 + 2 * i) * (n + 1)].reshape(n + 1, 2) for i in range(5)),
        )
        K.init_state(kid, p, h, *START, S)
        taken, _ = K.run_chunk(kid, p, o, h, 0, sp, S, n, 0.0, 0, 1, 0, *arrays)
        assert taken == n, (opt, taken)

    recorded()
    unrecorded()
    return tuple(best_of(f, 5) / n * 1e9 for f in (recorded, unrecorded, fresh))  # type: ignore[return-value]


def simulate_per_step(opt: str, n: int) -> float:
    """ns per recorded step of ``simulate`` itself: checks, state, the arrays it returns, the result."""
    h = dict(OPTIMIZERS[opt].defaults, lr=ROSENBROCK_LR[opt])

    def run() -> None:
        t = simulate("rosenbrock", opt, START, n, tol=0.0, **h)
        assert t.steps == n, (opt, t.steps)

    run()
    return best_of(run, 5) / n * 1e9


def python_loop(opt: str, n: int) -> float:
    """The same rule in the interpreter: the kernels' Python source (``py_func``), state recorded."""
    update = K._update.py_func
    lr_at = K._lr_at.py_func
    mu = K._nadam_mu.py_func
    power = K._power_step.py_func
    loss = _surfaces.rosenbrock.py_func
    h = dict(OPTIMIZERS[opt].defaults, lr=ROSENBROCK_LR[opt])
    o = OPTIMIZERS[opt].kernel_id
    eta, alpha, beta = h["lr"], h.get("alpha", 0.0), h.get("beta", 0.0)
    eps, wd, rho = h.get("eps", 0.0), h.get("weight_decay", 0.0), h.get("rho", 0.0)
    nu1, nu2, psi = h.get("nu", 0.0), h.get("nu2", 0.0), h.get("momentum_decay", 0.0)
    mix = h.get("mix", 0.0)
    p = np.zeros(1)

    def run() -> None:
        x, y = START
        _f, gx, gy = loss(x, y, p)
        G1 = G2 = M1 = M2 = A1 = A2 = 0.0
        at = bt = prod = 1.0
        rows = []
        for t in range(1, n + 1):
            lr = lr_at(0, 0.0, 0.0, eta, t)
            at, bt = power(at, alpha), power(bt, beta)
            mu_t = mu_next = 0.0
            pt = pn = 1.0
            if o == NADAM:
                mu_t, mu_next = mu(alpha, psi, t), mu(alpha, psi, t + 1)
                pt = prod = power(prod, mu_t)
                pn = pt * mu_next
            args = (1.0 - at, 1.0 - bt, mu_t, mu_next, pt, pn)
            hp = (lr, alpha, beta, eps, wd, rho, nu1, nu2, mix)
            d1, l1, G1, M1, A1 = update(o, *hp, gx, x, G1, M1, A1, *args, t)
            d2, l2, G2, M2, A2 = update(o, *hp, gy, y, G2, M2, A2, *args, t)
            x, y = x + d1, y + d2
            f, gx2, gy2 = loss(x, y, p)
            rows.append((x, y, f, gx, gy, G1, G2, M1, M2, l1, l2, d1, d2))
            gx, gy = gx2, gy2

    return best_of(run, 3) / n * 1e9


def numpy_loop(opt: str, n: int) -> float:
    """The test suite's independent reference: numpy on length-2 vectors, one step at a time."""
    h = dict(OPTIMIZERS[opt].defaults, lr=ROSENBROCK_LR[opt])
    step = REFERENCES[opt]

    def run() -> None:
        w = np.array(START)
        state: dict = {}
        rows = []
        for t in range(1, n + 1):
            g = rosenbrock_grad(w)
            w_new, G, M, lr = step(state, w, g, t, h)
            rows.append((w_new, g, G, M, lr, w_new - w))
            w = w_new

    return best_of(run, 3) / n * 1e9


def torch_loop(opt: str, n: int) -> float | None:
    """torch.optim with autograd on a 2-element float64 tensor, the point recorded every step."""
    if opt not in TORCH_RULES:
        return None
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    h = dict(OPTIMIZERS[opt].defaults, lr=ROSENBROCK_LR[opt])

    def run() -> None:
        p = torch.tensor(START, dtype=torch.float64, requires_grad=True)
        optim = TORCH_RULES[opt](torch, p, h)
        rows = []
        for _ in range(n):
            optim.zero_grad()
            loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
            loss.backward()
            optim.step()
            rows.append(p.detach().numpy().copy())

    return best_of(run, 3) / n * 1e9


# -- many runs ---------------------------------------------------------------------------------------


def grid_starts(side: int) -> np.ndarray:
    xs = np.linspace(-2.0, 2.0, side)
    ys = np.linspace(-1.0, 3.0, side)
    X, Y = np.meshgrid(xs, ys)
    return np.column_stack([X.ravel(), Y.ravel()])


def numpy_grid_adam(starts: np.ndarray, steps: int, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """Adam (torch's algorithm) vectorised over every start at once, one numpy pass per step."""
    x, y = starts[:, 0].copy(), starts[:, 1].copy()
    m1, m2, v1, v2 = (np.zeros_like(x) for _ in range(4))
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        a = 1.0 - x
        b = y - x * x
        g1 = -2.0 * a - 400.0 * x * b
        g2 = 200.0 * b
        m1 = b1 * m1 + (1 - b1) * g1
        m2 = b1 * m2 + (1 - b1) * g2
        v1 = b2 * v1 + (1 - b2) * g1 * g1
        v2 = b2 * v2 + (1 - b2) * g2 * g2
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        x = x - lr / (np.sqrt(v1 / bc2) + eps) * (m1 / bc1)
        y = y - lr / (np.sqrt(v2 / bc2) + eps) * (m2 / bc1)
    return x, y


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            line.split(":", 1)[1].strip() for line in out.splitlines() if line.startswith("Model name")
        )
    except (OSError, StopIteration):
        pass
    return f"{model}, {os.cpu_count()} cores; numpy {np.__version__}, numba {numba.__version__}"


# -- data losses ------------------------------------------------------------------------------------


def data_step_numba(spec: object, opt: str, size: int, n: int) -> float:
    """ns per recorded step of one racer on a data loss (``run_chunk_data``, minibatch or full)."""
    from engine import _stochastic
    from engine.data import data_surface
    from engine.state import NSTOCHASTIC, Z_BATCH_SIZE, Z_ROWS, Z_SEED

    surface = data_surface(spec)
    h = hyper_vector(dict(OPTIMIZERS[opt].defaults))
    o, kid, p, sp = OPTIMIZERS[opt].kernel_id, surface.kernel_id, surface.p, np.zeros(2)
    z = np.zeros(NSTOCHASTIC)
    z[Z_SEED], z[Z_BATCH_SIZE], z[Z_ROWS] = 7, size, surface.data.n
    bufs = (np.empty((n + 1, 2)), np.empty(n + 1), *(np.empty((n + 1, 2)) for _ in range(5)))
    S = np.empty(NSTATE)

    def run() -> None:
        _stochastic.init_state(kid, p, h, 0.0, 0.0, S)
        kernel = _stochastic.run_chunk_minibatch if 0 < size < surface.data.n else _stochastic.run_chunk_data
        taken, _ = kernel(kid, p, z, o, h, 0, sp, S, n, -1.0, 0, 1, 0, *bufs)
        assert taken == n, taken

    run()
    return best_of(run, 5) / n * 1e9


def data_step_numpy(spec: object, size: int, n: int) -> float:
    """ns per step of the same SGD step vectorised in numpy: the minibatch gradient by fancy
    indexing, the update, and the full-data loss at the new point (what a step records)."""
    from engine.data import data_surface, steps_per_epoch

    data = data_surface(spec).data
    X, Y, rows = data.X, data.Y, data.n
    linear = data.spec.model == "linear"
    per_epoch = steps_per_epoch(size, rows)
    rng = np.random.default_rng(7)

    def run() -> None:
        w = np.zeros(2)
        order = np.arange(rows)
        for t in range(n):
            j = t % per_epoch
            if j == 0 and per_epoch > 1:
                order = rng.permutation(rows)
            idx = order[j * size : (j + 1) * size] if per_epoch > 1 else order
            x, y = X[idx], Y[idx]
            z = w[0] * x + w[1]
            d = 2.0 * (z - y) if linear else 1.0 / (1.0 + np.exp(-z)) - y
            w -= 0.05 * np.array([np.mean(d * x), np.mean(d)])
            zz = w[0] * X + w[1]
            _loss = np.mean((zz - Y) ** 2) if linear else np.mean(np.logaddexp(0.0, zz) - Y * zz)

    return best_of(run, 3) / n * 1e9


def data_table(n_numba: int, n_np: int) -> None:
    from engine.data import DataSpec

    linear = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)
    logistic = DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo")
    print("\nData losses on the penguins (342 rows), one racer, full state recorded (ns per step)\n")
    print("| loss | batch | numba SGD | numba Adam | numpy vectorised SGD (× numba SGD) |")
    print("|---|---:|---:|---:|---:|")
    for name, spec in (("linear (MSE)", linear), ("logistic (cross-entropy)", logistic)):
        for size, label in ((32, "32"), (0, "full (342)")):
            sgd = data_step_numba(spec, "sgd", size, n_numba)
            adam = data_step_numba(spec, "adam", size, n_numba)
            npy = data_step_numpy(spec, size, n_np)
            print(
                f"| {name} | {label} | {sgd:,.0f} | {adam:,.0f} | {npy:,.0f} ({ratio(npy, sgd)}) |",
                flush=True,
            )


def ratio(a: float | None, b: float) -> str:
    return "–" if a is None else f"{a / b:,.0f}×"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and a smaller grid")
    parser.add_argument("--batch-only", action="store_true", help="only the many-runs table")
    parser.add_argument("--data-only", action="store_true", help="only the data-loss table")
    args = parser.parse_args()
    n_numba, n_py, n_np, n_torch = (
        (50_000, 3_000, 2_000, 500) if args.quick else (100_000, 20_000, 10_000, 2_000)
    )
    side, steps = (128, 200) if args.quick else (256, 500)

    print(f"Machine: {machine()}")
    if args.data_only:
        data_table(n_numba, n_np)
        return
    if not args.batch_only:
        print()
        print(
            f"One run on Rosenbrock from {START}, full state recorded (ns per step; × = slower than numba)\n"
        )
        print(
            "| optimizer | numba recorded | unrecorded | recording cost | into fresh 4 KiB pages (× kernel) "
            "| simulate() (× kernel) | plain Python | numpy per step | torch.optim |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for opt in OPTIMIZERS:
            rec, unrec, fresh = numba_recorded(opt, n_numba)
            sim = simulate_per_step(opt, n_numba)
            py = python_loop(opt, n_py)
            npy = numpy_loop(opt, n_np)
            th = torch_loop(opt, n_torch)
            th_text = "–" if th is None else f"{th:,.0f} ({ratio(th, rec)})"
            cost = 100 * (rec / unrec - 1)
            print(
                f"| {opt} | {rec:.1f} | {unrec:.1f} | {cost:+.0f}% | {fresh:.1f} ({fresh / rec:.2f}×) "
                f"| {sim:.1f} ({sim / rec:.2f}×) "
                f"| {py:,.0f} ({ratio(py, sim)} simulate) "
                f"| {npy:,.0f} ({ratio(npy, rec)}) | {th_text} |",
                flush=True,
            )

    starts = grid_starts(side)
    runs = starts.shape[0]
    repeats = 3 if args.quick else 7
    print(f"\nMany runs: {side}×{side} starts × {steps} steps on Rosenbrock, lr 0.01 (ns per run·step)")
    print(
        f"Medians of {repeats} runs, 1 thread and all cores alternating; "
        f"load average before: {os.getloadavg()[0]:.2f}\n"
    )
    numpy_s = statistics.median(
        wall_time(lambda: numpy_grid_adam(starts, steps, 0.01)) for _ in range(repeats)
    )
    numpy_ns = numpy_s / (runs * steps) * 1e9
    cores = numba.config.NUMBA_NUM_THREADS
    print("| optimizer | numba, 1 thread | numba, all cores | speed-up on cores | numpy vectorised (Adam) |")
    print("|---|---:|---:|---:|---:|")
    for opt in ("adam", "sgd", "nadam"):
        batch("rosenbrock", opt, starts[:8], 2, lr=0.01)  # compile or load from cache
        timings: dict[int, list[float]] = {1: [], cores: []}
        for _ in range(repeats):
            for threads, times in timings.items():
                numba.set_num_threads(threads)
                times.append(wall_time(lambda o=opt: batch("rosenbrock", o, starts, steps, lr=0.01)))
        numba.set_num_threads(cores)
        one, many = (statistics.median(timings[k]) / (runs * steps) * 1e9 for k in (1, cores))
        print(
            f"| {opt} | {one:.2f} ({numpy_ns / one:.1f}× numpy) | {many:.2f} ({numpy_ns / many:.1f}× numpy) "
            f"| {one / many:.2f}× on {cores} | {numpy_ns:.2f} |",
            flush=True,
        )
    # the batch and numpy compute the same thing
    res = batch("rosenbrock", "adam", starts[:1000], steps, lr=0.01, tol=0.0)
    x, y = numpy_grid_adam(starts[:1000], steps, 0.01)
    assert np.allclose(res.final_w, np.column_stack([x, y]), rtol=1e-9, atol=1e-12)
    if not args.batch_only:
        data_table(n_numba, n_np)


if __name__ == "__main__":
    main()
