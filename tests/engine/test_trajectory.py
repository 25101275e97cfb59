"""Trajectory files: CSV, JSON and NPZ give back exactly the arrays that were written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest

from engine import Run, Trajectory, simulate
from engine.trajectory import ARRAYS, CSV_COLUMNS


@pytest.fixture
def traj() -> Trajectory:
    return simulate("rosenbrock", "adam", (-1.2, 1.0), 250, lr=0.02, schedule="cosine:T=200,min=0.001")


def _same(a: Trajectory, b: Trajectory, names=ARRAYS) -> None:
    for name in names:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    np.testing.assert_array_equal(a.step, b.step)


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_json_and_npz_round_trip_exactly(traj: Trajectory, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"run{suffix}"
    traj.save(path)
    back = Trajectory.load(path)
    _same(traj, back)
    assert back.metadata() == traj.metadata()
    assert back.hyperparameters == {"lr": 0.02, "alpha": 0.9, "beta": 0.999, "eps": 1e-8}
    assert back.schedule == "cosine:T=200,min=0.001"


def test_csv_round_trips_every_column_exactly(traj: Trajectory, tmp_path: Path) -> None:
    path = tmp_path / "run.csv"
    traj.save(path)
    text = path.read_text()
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 252 and rows[1][0] == "0" and rows[-1][0] == "250"
    assert [float(v) for v in rows[1][1:3]] == [-1.2, 1.0]
    back = Trajectory.load(path)
    _same(traj, back, names=("w", "loss", "grad", "G", "M", "lr"))
    # Δw is not a CSV column: it comes back as the difference of consecutive points
    np.testing.assert_allclose(back.dw, traj.dw, rtol=1e-12, atol=1e-15)


def test_thinned_and_diverged_runs_round_trip(tmp_path: Path) -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, max_rows=50, lr=1e-3)
    run.advance(1001)
    thinned = run.trajectory()
    diverged = simulate("rosenbrock", "sgd", (-1.2, 1.0), 100, lr=1.0)
    assert diverged.status == "diverged"
    for t in (thinned, diverged):
        for suffix in (".json", ".npz"):
            t.save(tmp_path / f"t{suffix}")
            back = Trajectory.load(tmp_path / f"t{suffix}")
            _same(t, back)
            assert (back.status, back.diverged_at, back.steps) == (t.status, t.diverged_at, t.steps)


def test_csv_extra_columns_and_bad_suffix(traj: Trajectory, tmp_path: Path) -> None:
    text = traj.to_csv(extra={"run": "a"})
    assert text.splitlines()[0] == "run," + ",".join(CSV_COLUMNS)
    assert text.splitlines()[1].startswith("a,0,-1.2,1.0,")
    with pytest.raises(ValueError, match=r"cannot write 'run.txt': use a .csv, .json or .npz file"):
        traj.save(tmp_path / "run.txt")
    with pytest.raises(ValueError, match=r"cannot read 'run.txt'"):
        Trajectory.load(tmp_path / "run.txt")


def test_unwritable_path_raises_oserror_naming_it(traj: Trajectory, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="cannot write"):
        traj.save(tmp_path / "missing" / "run.csv")


#: Which optimizers have a per-weight state G and a momentum M (from the lecture's formulas).
HAS_G = {"adagrad", "rmsprop", "adam", "adam-lecture", "amsgrad", "adamw", "nadam", "adadelta", "qhadam"}
HAS_M = {"momentum", "momentum-lecture", "nesterov", "adam", "adam-lecture", "amsgrad", "adamw", "nadam"}
HAS_M |= {"qhm", "qhadam"}


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "qhm"])
def test_files_leave_empty_what_does_not_exist(name: str, tmp_path: Path) -> None:
    """Step 0 took no step (no g, rate or Δw); SGD has no G; AdaGrad, RMSprop, Adadelta have no M."""
    t = simulate("quadratic", name, (1.0, 1.0), 3)
    rows = list(csv.DictReader(io.StringIO(t.to_csv())))
    assert [rows[0][c] for c in ("g1", "g2", "lr1", "lr2")] == ["", "", "", ""]
    assert rows[0]["w1"] == "1.0" and rows[0]["loss"] == repr(float(t.loss[0]))
    for row in rows:
        assert (row["G1"] == "" and row["G2"] == "") == (name not in HAS_G), row
        assert (row["M1"] == "" and row["M2"] == "") == (name not in HAS_M), row
        if row["step"] != "0":
            assert row["g1"] != "" and row["lr1"] != ""
    if name in HAS_G:
        assert rows[0]["G1"] == "0.0"  # the state starts at a real zero
    data = t.to_json_dict()
    assert data["grad"][0] == [None, None] and data["lr"][0] == [None, None] and data["dw"][0] == [None, None]
    assert data["grad"][1] == t.grad[1].tolist()
    assert (data["M"][2] == [None, None]) == (name not in HAS_M)
    assert (data["G"][2] == [None, None]) == (name not in HAS_G)
    for suffix in (".csv", ".json"):  # read back: the engine's arrays exactly (absent → 0.0)
        t.save(tmp_path / f"t{suffix}")
        back = Trajectory.load(tmp_path / f"t{suffix}")
        for field in ("w", "loss", "grad", "G", "M", "lr"):
            np.testing.assert_array_equal(getattr(back, field), getattr(t, field))
    assert "null" in (tmp_path / "t.json").read_text()


def test_the_record_schema_is_declared_once() -> None:
    """engine.record.FIELDS drives the CSV columns, the arrays of a trajectory and the kernels' buffers."""
    from engine import record

    assert ARRAYS == record.NAMES == ("w", "loss", "grad", "G", "M", "lr", "dw")
    assert CSV_COLUMNS == ("step", "w1", "w2", "loss", "g1", "g2", "G1", "G2", "M1", "M2", "lr1", "lr2")
    t = simulate("quadratic", "adam", steps=5)
    for f in record.FIELDS:
        assert getattr(t, f.name).shape == f.shape(6), f.name


def test_one_thinning_rule() -> None:
    """Rows on the smallest power-of-two stride that keeps fewer than the limit, and the last row."""
    import numpy as np

    from engine.record import thin_rows

    steps = np.arange(0, 1001, dtype=np.int64)
    idx, stride = thin_rows(steps, 300)
    assert stride == 4  # stride 2 would keep 500 of steps 0…999, 4 keeps 250
    np.testing.assert_array_equal(steps[idx], [*range(0, 1000, 4), 1000])
    idx, stride = thin_rows(steps, 300, keep_last=False)
    assert stride == 4 and steps[idx][-1] == 1000  # 1000 is on the stride anyway
    idx, stride = thin_rows(steps[::8], 300, stride=8)  # an already thinned record keeps its stride
    assert stride == 8 and idx.size == 126
    # fewer than 2 on the stride: 0, 64, 128 need 256 (128 would keep 0 and 128); then the last row
    idx, stride = thin_rows(np.array([0, 64, 128, 129], dtype=np.int64), 2)
    assert stride == 256 and list(idx) == [0, 3]
