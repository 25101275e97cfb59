"""Long runs on the command line: CSV is streamed in bounded memory; what must be held in memory is
refused with a message naming the limit and the option that lifts it — never a raw MemoryError."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

import main as main_module
from engine import cli, simulate
from engine.cli import UsageError, stream_csv, whole_number
from engine.config import RacerConfig, SessionConfig
from engine.simulate import Run

ROOT = Path(__file__).resolve().parents[2]
#: A run that neither converges nor diverges for millions of steps.
SLOW = ["--loss", "rosenbrock", "--optimizer", "sgd", "--lr", "1e-6"]


def main(*args: str, pipe: str | None = None) -> subprocess.CompletedProcess[str]:
    if pipe:
        cmd = f"{sys.executable} main.py {' '.join(args)} | {pipe}; exit ${{PIPESTATUS[0]}}"
        return subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True, timeout=300)
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("text", "value"), [("2000", 2000), ("1e9", 10**9), ("3E7", 3 * 10**7), ("1_000", 1000), ("2.5e3", 2500)]
)
def test_step_counts_may_be_written_in_scientific_notation(text, value) -> None:
    assert whole_number(text, "--steps", 0, 10**12) == value


@pytest.mark.parametrize("text", ["1.5", "1e13", "-1", "abc", "nan", "inf", "1e999999999"])
def test_other_step_counts_are_refused_with_the_range(text) -> None:
    with pytest.raises(UsageError, match=r"--steps must be a whole number in 0…1,000,000,000,000, got"):
        whole_number(text, "--steps", 0, 10**12)


def test_a_billion_steps_to_npz_is_refused_naming_the_limit_and_the_option(tmp_path) -> None:
    out = tmp_path / "x.npz"
    r = main("run", *SLOW, "--steps", "1e9", "--out", str(out))
    assert r.returncode == 2
    assert r.stderr.strip().endswith(
        "--steps 1,000,000,000 would hold up to 1,000,000,001 rows (about 104.3 GiB) in memory to write "
        f"{out}; the limit is 1,000,000 rows: pass --max-rows 1000000001 to lift it, "
        "or write .csv, which is streamed to disk at any length"
    )
    assert "MemoryError" not in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_limit_applies_only_to_runs_that_are_still_going(tmp_path) -> None:
    """A run that converges long before --steps is written whole."""
    out = tmp_path / "x.npz"
    r = main("run", "--steps", "1e9", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "(converged)" in r.stderr and out.stat().st_size > 0


def test_max_rows_lifts_the_limit(tmp_path) -> None:
    out = tmp_path / "x.json"
    refused = main("run", *SLOW, "--steps", "3000", "--max-rows", "1000", "--out", str(out))
    assert refused.returncode == 2 and "the limit is 1,000 rows: pass --max-rows 3001" in refused.stderr
    lifted = main("run", *SLOW, "--steps", "3000", "--max-rows", "3001", "--out", str(out))
    assert lifted.returncode == 0, lifted.stderr
    assert "wrote 3000 steps" in lifted.stderr


def test_thirty_million_steps_to_stdout_stream_and_stop_with_the_reader() -> None:
    r = main("run", *SLOW, "--steps", "3e7", pipe="head -3")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert (
        lines[0].startswith("step,w1,w2") and lines[1].startswith("0,-1.2,1.0") and lines[2].startswith("1,")
    )


@pytest.mark.parametrize(
    ("loss", "optimizer", "hyper"),
    [("rosenbrock", "adam", {"lr": 0.02}), ("rosenbrock", "sgd", {"lr": 1.0}), ("quadratic", "adagrad", {})],
)
def test_streamed_csv_is_exactly_the_one_shot_csv(monkeypatch, loss, optimizer, hyper) -> None:
    """Finished, diverged and converged runs, in chunks far smaller than the run."""
    monkeypatch.setattr(cli, "STREAM_CHUNK", 37)
    parts: list[str] = []
    run = Run(loss, optimizer, None, max_rows=16, **hyper)
    stream_csv(run, 1000, parts.append)
    assert "".join(parts) == simulate(loss, optimizer, None, 1000, **hyper).to_csv()
    assert len(parts) == 1 + -(-run.t // 37)  # the start row, then one piece per chunk


def _streaming_peak(steps: int) -> tuple[int, int]:
    written = [0]

    def sink(text: str) -> None:
        written[0] += len(text)

    run = Run("rosenbrock", "sgd", None, max_rows=16, lr=1e-6)
    tracemalloc.start()
    try:
        stream_csv(run, steps, sink)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.t == steps
    return peak, written[0]


def test_streaming_holds_a_bounded_amount_of_memory() -> None:
    """200,000 steps: the whole CSV is ~24 MB and the record 22 MB; streaming peaks at a few MB,
    the same as for a run a quarter as long."""
    short_peak, _ = _streaming_peak(50_000)
    peak, written = _streaming_peak(200_000)
    assert written > 20_000_000
    assert peak < 10_000_000, f"peak {peak:,} bytes"
    assert peak < 1.2 * short_peak, (peak, short_peak)


def test_a_streamed_csv_on_a_full_disk_is_an_error_and_keeps_the_old_file(
    tmp_path, monkeypatch, capsys
) -> None:
    from engine import atomic

    out = tmp_path / "run.csv"
    out.write_text("old")
    real = atomic.PendingFile.write

    def full_after_a_while(self, data):  # the disk fills up half-way through the run
        if self.file.end > 100_000:
            raise atomic._error(self.path, OSError(28, "No space left on device"))
        return real(self, data)

    monkeypatch.setattr(atomic.PendingFile, "write", full_after_a_while)
    monkeypatch.setattr(cli, "STREAM_CHUNK", 500)
    assert main_module.cli_main(["run", *SLOW, "--steps", "20000", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip().endswith(f"--out: cannot write {out}: the disk is full")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["run.csv"]


# -- export -----------------------------------------------------------------------------------------------
def test_export_csv_is_streamed_and_equals_the_scene_export(tmp_path, qapp) -> None:
    from gui.export import build_scene, data_csv

    out = tmp_path / "race.csv"
    r = main(
        "export",
        "--loss",
        "rosenbrock",
        "--optimizers",
        "sgd,adam",
        "--steps",
        "3e3",
        "--lr",
        "0.001",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    config = SessionConfig(
        loss="rosenbrock",
        steps=3000,
        racers=(RacerConfig("sgd", {"lr": 0.001}), RacerConfig("adam", {"lr": 0.001})),
    )
    assert out.read_text() == data_csv(build_scene(config))


def test_export_json_of_a_long_race_is_refused_naming_the_limit(tmp_path) -> None:
    out = tmp_path / "race.json"
    r = main(
        "export",
        "--loss",
        "rosenbrock",
        "--optimizers",
        "sgd",
        "--lr",
        "1e-6",
        "--steps",
        "5000",
        "--max-rows",
        "1000",
        "--out",
        str(out),
    )
    assert r.returncode == 2
    assert "--steps 5,000 would hold up to 5,001 rows" in r.stderr
    assert "the limit is 1,000 rows: pass --max-rows 5001 to lift it, or write .csv" in r.stderr
    assert not out.exists()


def test_export_picture_of_a_long_run_keeps_a_thinned_record(tmp_path, monkeypatch, qapp) -> None:
    """Pictures of runs past PICTURE_ROWS steps are drawn from a bounded record (the last step exact)."""
    from gui import export as export_module
    from gui import export_cli

    seen: dict[str, int] = {}
    real = export_module.export

    def spy(scene, path, what=None, **kw):
        seen.update({name: t.w.shape[0] for name, t in scene.trajectories.items()})
        seen["last"] = int(next(iter(scene.trajectories.values())).step[-1])
        return real(scene, path, what, **kw)

    monkeypatch.setattr(export_cli, "PICTURE_ROWS", 500)
    monkeypatch.setattr(export_module, "export", spy)
    out = tmp_path / "race.png"
    code = main_module.cli_main(
        [
            "export",
            "--loss",
            "rosenbrock",
            "--optimizers",
            "sgd",
            "--lr",
            "1e-6",
            "--steps",
            "4e3",
            "--size",
            "320x180",
            "--out",
            str(out),
        ]
    )
    assert code == 0 and out.stat().st_size > 0
    assert seen["sgd"] <= 501 and seen["last"] == 4000
