"""``main.py run --data …`` and ``--noise``, and the datasets in ``main.py list``, run as a user would."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.data import DataSpec, data_surface, epoch_at
from engine.datasets import load_table
from engine.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
DATA_COLUMNS = "step,epoch,w1,w2,loss,g1,g2,G1,G2,M1,M2,lr1,lr2"
PENGUINS = ("--data", "penguins", "--model", "linear", "--x", "flipper_length_mm", "--y", "body_mass_g")


def main(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def table(text: str) -> tuple[list[str], np.ndarray]:
    """The csv module's reading, the metadata lines (``#``) left out as a reader is told to."""
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))
    return rows[0], np.array([[float(c) if c else 0.0 for c in r] for r in rows[1:]])


def metadata(text: str) -> dict[str, object]:
    """The ``# key: value`` lines (value in JSON), read by hand."""
    lines = [line for line in text.splitlines() if line.startswith("#")]
    return {k: json.loads(v) for k, v in (line[2:].split(": ", 1) for line in lines)}


def test_the_penguins_minibatch_run_is_the_engines_run_bit_for_bit(tmp_path: Path) -> None:
    out = tmp_path / "run.csv"
    r = main("run", *PENGUINS, "--standardize", "--optimizer", "sgd", "--batch-size", "32", "--seed", "7",
             "--steps", "2000", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "2 of 344 rows have a missing flipper_length_mm or body_mass_g" in r.stderr
    header, data = table(out.read_text())
    assert ",".join(header) == DATA_COLUMNS and data.shape[0] == 2001
    spec = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g", standardize=True)
    ref = simulate(data_surface(spec), "sgd", steps=2000, batch_size=32, seed=7)
    np.testing.assert_array_equal(data[:, 0], np.arange(2001))
    np.testing.assert_array_equal(data[:, 1], [epoch_at(t, 32, 342) for t in range(2001)])
    np.testing.assert_array_equal(data[:, 2:4], ref.w)
    np.testing.assert_array_equal(data[:, 4], ref.loss)
    np.testing.assert_array_equal(data[1:, 5:7], ref.grad[1:])
    assert data[11, 1] == 1.0 and data[-1, 1] == pytest.approx(181 + 9 * 32 / 342)  # 2000 = 181·11 + 9
    # what reproduces it, in lines after the header that CSV readers skip as comments
    text = out.read_text()
    assert metadata(text) == {
        "dataset": "penguins", "sha256": load_table("penguins").sha256, "model": "linear",
        "x": "flipper_length_mm", "y": "body_mass_g", "standardize": True, "rows": 342,
        "batch_size": 32, "noise": 0.0, "seed": 7,
    }  # fmt: skip
    assert text.splitlines()[0] == DATA_COLUMNS and text.splitlines()[1].startswith("# dataset: ")
    named = np.genfromtxt(out, delimiter=",", names=True)  # numpy's readers, as they are
    assert named.dtype.names == tuple(DATA_COLUMNS.split(",")) and named.shape == (2001,)
    np.testing.assert_array_equal(np.column_stack([named["w1"], named["w2"]]), ref.w)
    np.testing.assert_array_equal(np.loadtxt(out, delimiter=",", skiprows=1, usecols=(0, 4))[:, 1], ref.loss)


def test_a_user_csv_with_a_positive_class(tmp_path: Path) -> None:
    path = tmp_path / "fruit.csv"
    path.write_text("weight;kind\n1.0;apple\n2.0;apple\n2.5;pear\n4.0;pear\n3.0;apple\nNA;pear\n")
    out = tmp_path / "fit.json"
    r = main("run", "--data", str(path), "--model", "logistic", "--x", "weight", "--y", "kind",
             "--positive", "pear", "--batch-size", "2", "--seed", "4", "--optimizer", "adam", "--steps", "50",
             "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "1 of 6 rows have a missing weight or kind" in r.stderr
    saved = json.loads(out.read_text())
    meta = saved["stochastic"]
    assert meta["data"] == {
        "dataset": str(path), "model": "logistic", "x": "weight", "y": "kind", "standardize": False,
        "positive": "pear", "sha256": load_table(str(path)).sha256,
    }  # fmt: skip
    assert (meta["rows"], meta["batch_size"], meta["seed"], meta["noise"]) == (5, 2, 4, 0.0)
    assert saved["steps"] == 50 and saved["status"] == "finished"


def test_noise_on_a_formula_loss_is_reproducible_from_its_seed() -> None:
    args = (
        "run",
        "--loss",
        "rosenbrock",
        "--optimizer",
        "adam",
        "--lr",
        "0.01",
        "--steps",
        "200",
        "--noise",
        "0.5",
    )
    a, b, c = main(*args, "--seed", "3"), main(*args, "--seed", "3"), main(*args, "--seed", "4")
    assert a.returncode == b.returncode == c.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stdout != c.stdout
    header, data = table(a.stdout)
    assert "epoch" not in header  # a formula loss has no epochs
    assert metadata(a.stdout) == {"noise": 0.5, "seed": 3}
    ref = simulate("rosenbrock", "adam", steps=200, lr=0.01, noise=0.5, seed=3)
    np.testing.assert_array_equal(data[:, 1:3], ref.w)
    assert data.shape[0] == 201  # a noisy run takes every step


def test_an_exact_formula_run_has_no_metadata_lines() -> None:
    r = main("run", "--loss", "booth", "--optimizer", "sgd", "--steps", "3")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("step,w1,w2,loss") and "#" not in r.stdout


def test_a_user_csvs_path_and_hash_are_in_the_run_csv_and_read_back(tmp_path: Path) -> None:
    """A path with a space, a comma and Persian letters stays on its line, and ``Trajectory.load``
    gives back the same ``stochastic`` as the JSON file of the same run."""
    path = tmp_path / "ماهی, fish.csv"
    path.write_text("length,mass\n1,2.5\n2,4.1\n3,6.2\n4,7.9\n5,10.1\n", encoding="utf-8")
    args = ("run", "--data", str(path), "--x", "length", "--y", "mass", "--batch-size", "2", "--seed", "9",
            "--noise", "0.125", "--optimizer", "adam", "--steps", "20")  # fmt: skip
    out_csv, out_json = tmp_path / "fit.csv", tmp_path / "fit.json"
    assert main(*args, "--out", str(out_csv)).returncode == 0
    assert main(*args, "--out", str(out_json)).returncode == 0
    meta = metadata(out_csv.read_text(encoding="utf-8"))
    assert meta["dataset"] == str(path) and meta["sha256"] == load_table(str(path)).sha256
    assert (meta["model"], meta["x"], meta["y"], meta["standardize"]) == ("linear", "length", "mass", False)
    assert (meta["rows"], meta["batch_size"], meta["noise"], meta["seed"]) == (5, 2, 0.125, 9)
    from engine.trajectory import Trajectory

    back, full = Trajectory.load(out_csv), Trajectory.load(out_json)
    assert back.stochastic == full.stochastic and back.stochastic["data"]["dataset"] == str(path)
    np.testing.assert_array_equal(back.w, full.w)
    np.testing.assert_array_equal(back.epoch, full.epoch)


def test_list_shows_the_datasets_and_their_columns() -> None:
    r = main("list")
    assert r.returncode == 0, r.stderr
    text = r.stdout
    assert "penguins          Palmer penguins" in text
    assert "344 rows: species (t), island (t), bill_length_mm (n)" in text
    assert "--model logistic --x bill_length_mm --y species --positive Gentoo --standardize" in text
    assert "--model linear --x flipper_length_mm --y body_mass_g --standardize" in text  # as the window
    assert "Gorman, Williams & Fraser (2014)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--x", "a", "--y", "b"), "--x, --y describe a data loss: add --data"),
        (("--batch-size", "8"), "--batch-size describes a data loss: add --data"),
        (("--standardize",), "--standardize describes a data loss"),
        (
            ("--data", "penguins", "--loss", "booth", "--x", "a", "--y", "b"),
            "--loss and --data are two kinds",
        ),
        (("--data", "penguins", "--x", "flipper_length_mm"), "--data needs --y: the columns to fit"),
        ((*PENGUINS, "--batch-size", "-1"), "--batch-size must be a whole number in 0…200,000"),
        ((*PENGUINS, "--seed", "1.5"), "--seed must be a whole number in 0…9,007,199,254,740,991"),
        (("--noise", "-2"), "--noise must be a finite number ≥ 0"),
        (("--noise", "nan"), "--noise must be a finite number ≥ 0"),
        (
            ("--data", "penguins", "--x", "island", "--y", "body_mass_g"),
            "line 2 has 'Torgersen'; numeric columns",
        ),
        (
            ("--data", "penguins", "--x", "bill", "--y", "body_mass_g"),
            "no column 'bill' for x; its columns are:",
        ),
        (("--data", "nowhere.csv", "--x", "a", "--y", "b"), "cannot read nowhere.csv: no such file"),
        ((*PENGUINS, "--model", "cubic"), "model 'cubic' is not known; use one of linear, logistic"),
    ],
)
def test_bad_data_options_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    r = main("run", "--steps", "2", *args)
    assert r.returncode == 2
    assert message in r.stderr, r.stderr


def test_session_and_export_take_the_data_options_and_keep_them(tmp_path: Path) -> None:
    """``session`` and ``export`` describe a data race as ``run`` does; the session file and the
    JSON export name the dataset (a CSV by path and SHA-256), the columns, the standardisation, the
    batch size and the seeds, and the export's numbers are the engine's run of those settings."""
    csv_path = tmp_path / "fish.csv"
    csv_path.write_text("length,mass\n1,2.5\n2,4.1\n3,6.2\n4,7.9\n5,10.1\n", encoding="utf-8")
    session = tmp_path / "fish.olab.json"
    r = main("session", "--data", str(csv_path), "--x", "length", "--y", "mass", "--standardize",
             "--batch-size", "2", "--seed", "9", "--optimizers", "sgd,adam", "--steps", "40",
             "--out", str(session))  # fmt: skip
    assert r.returncode == 0, r.stderr
    # the summary names the data loss that races (it said "quadratic", the surface kept for later)
    assert f"{csv_path.name}: length → mass (linear, standardised), batch size 2" in r.stderr
    assert "quadratic" not in r.stderr
    saved = json.loads(session.read_text(encoding="utf-8"))
    sha = load_table(str(csv_path)).sha256
    assert saved["data"] == {**saved["data"], "dataset": str(csv_path), "x": "length", "y": "mass",
                             "standardize": True, "sha256": sha}  # fmt: skip
    assert (saved["batch_size"], saved["seed"]) == (2, 9)
    out = tmp_path / "race.json"
    r = main("export", *PENGUINS, "--batch-size", "8", "--seed", "5", "--optimizers", "sgd,adam",
             "--steps", "30", "--out", str(out))  # fmt: skip
    assert r.returncode == 0, r.stderr
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["session"]["data"]["x"] == "flipper_length_mm" and exported["session"]["batch_size"] == 8
    spec = DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g")
    for t in exported["trajectories"]:
        meta = t["stochastic"]
        assert (meta["batch_size"], meta["seed"], meta["rows"]) == (8, 5, 342)
        assert (
            meta["data"]["sha256"] == load_table("penguins").sha256 and meta["data"]["standardize"] is False
        )
        ref = simulate(data_surface(spec), t["optimizer"], steps=30, batch_size=8, seed=5,
                       **t["hyperparameters"])  # fmt: skip
        assert np.array_equal(np.array(t["w"]), ref.w) and np.array_equal(np.array(t["loss"]), ref.loss)
    again = tmp_path / "again.json"
    r = main("export", "--session", str(session), "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert json.loads(again.read_text(encoding="utf-8"))["trajectories"][0]["stochastic"]["seed"] == 9


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("session", ("--x", "a", "--out", "s.olab.json"), "--x describes a data loss: add --data"),
        ("export", ("--loss", "rosenbrock", *PENGUINS, "--out", "r.json"), "--loss and --data are two kinds"),
        ("export", (*PENGUINS[:6], "--out", "r.json"), "--data needs --y"),
        ("export", ("--data", "penguins", "--x", "nope", "--y", "body_mass_g", "--out", "r.json"), "nope"),
        ("session", (*PENGUINS, "--batch-size", "-3", "--out", "s.olab.json"), "--batch-size"),
    ],
)
def test_bad_data_options_of_session_and_export_are_usage_errors(
    tmp_path: Path, command: str, args: tuple[str, ...], message: str
) -> None:
    r = main(command, *args[:-1], str(tmp_path / args[-1]))
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not list(tmp_path.iterdir())


def test_the_readmes_csv_example_is_what_run_writes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = [b for b in readme.split("```text\n")[1:] if b.startswith("step,epoch,")]
    example = example.split("```", 1)[0]
    r = main("run", *PENGUINS, "--standardize", "--optimizer", "sgd", "--batch-size", "32", "--seed", "7",
             "--steps", "1")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(example)
