"""The machine-wide lab cache: filled once by an installer, used read-only only when trusted.

Kernels are copied from it into the user's private cache, each seal checked; a folder anyone
else can write is ignored with a one-line note (its pickles would run as the user).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from engine import _cache
from tests.engine.cache_helpers import ROOT, TYPED_LINES, engine_env, notes, run_engine

AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as other users"
)


def _machine(tmp_path: Path, name: str = "numba-test") -> Path:
    """A machine cache with one good sealed index and one damaged data file."""
    folder = tmp_path / "machine" / name / "engine_abc"
    folder.mkdir(parents=True)
    (folder / "k.run-1.py311.nbi").write_bytes(_cache.seal("k.run-1.py311.nbi", b"index"))
    (folder / "k.run-1.py311.1.nbc").write_bytes(b"not sealed")
    for path in [tmp_path / "machine", *(tmp_path / "machine").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return tmp_path / "machine" / name


def test_sealed_kernels_are_copied_from_a_trusted_machine_cache(tmp_path, monkeypatch) -> None:
    machine = _machine(tmp_path)
    monkeypatch.setenv(_cache.MACHINE_CACHE_ENV, str(machine.parent))
    private = tmp_path / "private" / machine.name
    private.mkdir(parents=True, mode=0o700)
    assert _cache.machine_cache_problem(machine) is None
    assert _cache._copy_from_machine(private) == 1  # the damaged one is compiled here instead
    copied = private / "engine_abc" / "k.run-1.py311.nbi"
    assert copied.read_bytes() == (machine / "engine_abc" / "k.run-1.py311.nbi").read_bytes()
    assert not (private / "engine_abc" / "k.run-1.py311.1.nbc").exists()
    assert _cache._copy_from_machine(private) == 0  # what is there already is left alone


@pytest.mark.parametrize("opened", ["machine", "kernels folder", "subfolder", "parent"])
def test_a_machine_cache_others_can_write_is_ignored_with_a_note(tmp_path, monkeypatch, opened) -> None:
    machine = _machine(tmp_path)
    target = {
        "machine": machine.parent,
        "kernels folder": machine,
        "subfolder": machine / "engine_abc",
        "parent": tmp_path,
    }[opened]
    target.chmod(0o777)
    monkeypatch.setenv(_cache.MACHINE_CACHE_ENV, str(machine.parent))
    monkeypatch.setattr(_cache, "_said", set())
    monkeypatch.setattr(_cache, "NOTES", [])
    private = tmp_path / "private" / machine.name
    private.mkdir(parents=True, mode=0o700)
    assert _cache.machine_cache_problem(machine) == f"others can write to {target}"
    assert _cache._copy_from_machine(private) == 0
    (said,) = _cache.NOTES
    assert said == f"machine-wide kernel cache ignored: others can write to {target}"
    assert list(private.iterdir()) == []


@AS_ROOT
def test_a_machine_cache_of_another_user_is_ignored(tmp_path, monkeypatch) -> None:
    machine = _machine(tmp_path)
    os.chown(machine / "engine_abc", 4242, 4242)
    assert _cache.machine_cache_problem(machine) == f"{machine / 'engine_abc'} belongs to uid 4242"
    os.chown(machine / "engine_abc", 0, 0)
    os.chown(machine / "engine_abc" / "k.run-1.py311.nbi", 4242, 4242)  # a file of theirs: skipped
    monkeypatch.setenv(_cache.MACHINE_CACHE_ENV, str(machine.parent))
    private = tmp_path / "private" / machine.name
    private.mkdir(parents=True, mode=0o700)
    assert _cache._copy_from_machine(private) == 0


def test_an_empty_setting_turns_the_machine_cache_off(monkeypatch) -> None:
    monkeypatch.setenv(_cache.MACHINE_CACHE_ENV, "")
    assert _cache.machine_cache_dirs() == []
    monkeypatch.delenv(_cache.MACHINE_CACHE_ENV)
    assert _cache.machine_cache_dirs()[0] == Path(sys.prefix) / "var" / "cache" / "optimizer-lab"


@pytest.mark.slow
def test_a_filled_machine_cache_gives_a_fresh_user_every_start_up_kernel(tmp_path: Path) -> None:
    """``main.py cache --fill DIR`` as an installer runs it; then a user with an empty cache."""
    machine = tmp_path / "machine"
    fill = subprocess.run(
        [sys.executable, "main.py", "cache", "--fill", str(machine)],
        cwd=ROOT,
        env=engine_env(tmp_path / "installer-cache"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert fill.returncode == 0, fill.stderr[-3000:]
    (kernels,) = machine.glob("numba-*")
    files = list(kernels.rglob("*.nb[ic]"))
    assert f"wrote {len(files)} kernel files to {kernels}" in fill.stdout
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o755 for p in [kernels, *kernels.rglob("*")] if p.is_dir())
    assert not list(kernels.glob("expressions*"))  # typed losses hash each user's own path

    env = engine_env(tmp_path / "student", OPTIMIZER_LAB_MACHINE_CACHE=str(machine), NUMBA_DEBUG_CACHE="1")
    run = run_engine(env)
    assert run.returncode == 0, run.stderr[-3000:]
    saved = [line for line in run.stdout.splitlines() if line.startswith("[cache] data saved")]
    assert saved == []  # every start-up kernel came from the machine cache; the typed loss from the child
    loaded = [line for line in run.stdout.splitlines() if line.startswith("[cache] sealed data loaded")]
    assert any("/expressions_" in line for line in loaded)  # … which compiled it into this user's cache
    answers = [line for line in run.stdout.splitlines() if not line.startswith("[cache]")]
    assert answers[1:] == TYPED_LINES
    assert notes(run.stderr) == []


def test_the_fills_own_typed_loss_is_not_held_to_a_learners_time_limit(monkeypatch) -> None:
    """On a busy machine 'x^2 + y^2' took over the 5 s a learner's formula gets, and the fill failed."""
    import engine
    from engine import _compile_child, cache_cli

    limits = []
    monkeypatch.setattr(_compile_child, "TIME_LIMIT", 0.001)
    monkeypatch.setattr(
        engine, "simulate", lambda loss, *a, **k: limits.append((loss, _compile_child.TIME_LIMIT))
    )
    monkeypatch.setattr(engine, "get_loss", lambda spec: type("L", (), {"grid": lambda self, *a: None})())
    monkeypatch.setattr(engine, "batch", lambda *a, **k: None)
    import engine.data

    monkeypatch.setattr(engine.data, "data_surface", lambda spec: engine.get_loss("quadratic"))
    cache_cli.warm_up()
    assert len(limits) >= 2 and {limit for _loss, limit in limits} == {cache_cli.FILL_TIME_LIMIT}
