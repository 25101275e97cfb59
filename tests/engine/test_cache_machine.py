"""The machine-wide lab cache: filled once by an installer, used read-only only when trusted.

Kernels are copied from it into the user's private cache, each seal checked; a folder anyone
else can write is ignored with a one-line note (its pickles would run as the user).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from engine import _cache

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


def test_fill_into_a_folder_of_ones_own_says_how_starts_find_it(tmp_path, monkeypatch, capsys) -> None:
    """``main.py cache --fill DIR``: the folder given is filled, and the user is told to point starts at it.

    The real fill (compiling and installing the kernels, the modes, a student then compiling
    nothing) runs once in the suite, where the offline installer runs it:
    tests/test_offline_install.py::test_wheelhouse_installs_with_the_network_off.
    """
    import main
    from engine import cache_cli

    filled: list[Path] = []

    def fake_fill(dest: Path) -> tuple[Path, int, str | None]:
        filled.append(dest)
        return dest / "numba-x", 7, None

    monkeypatch.setattr(cache_cli, "fill_machine_cache", fake_fill)
    monkeypatch.setenv(_cache.MACHINE_CACHE_ENV, "")
    assert main.main(["cache", "--fill", str(tmp_path / "lab")]) == 0
    out, err = capsys.readouterr()
    assert filled == [tmp_path / "lab"]
    assert f"wrote 7 kernel files to {tmp_path / 'lab' / 'numba-x'}\n" in out
    assert f"starts look there when {_cache.MACHINE_CACHE_ENV}={tmp_path / 'lab'} is set" in err


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
    monkeypatch.setattr(engine, "Run", lambda *a, **k: type("R", (), {"skip": lambda self, n: None})())
    import engine.data

    monkeypatch.setattr(engine.data, "data_surface", lambda spec: engine.get_loss("quadratic"))
    cache_cli.warm_up()
    assert len(limits) >= 2 and {limit for _loss, limit in limits} == {cache_cli.FILL_TIME_LIMIT}
