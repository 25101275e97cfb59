"""The user cache stays bounded: old typed losses and other versions' kernels are deleted."""

from __future__ import annotations

import os
import time
from pathlib import Path

from engine._cache import mark_used, prune_expressions, prune_stale_versions

DAY = 86400


def _age(path: Path, days: float) -> None:
    """Set both times ``days`` back, as if untouched since."""
    t = time.time() - days * DAY
    os.utime(path, (t, t))


def _modules(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """``count`` generated modules loss_0 … (loss_0 used last) and numba's files for each."""
    folder = tmp_path / "expressions"
    numba_dir = tmp_path / "expressions_0123abcd"
    folder.mkdir()
    numba_dir.mkdir()
    for i in range(count):
        (folder / f"loss_{i}.py").write_text("# generated\n")
        for suffix in (".loss_value_grad-9.py311.nbi", ".loss_value_grad-9.py311.1.nbc"):
            (numba_dir / f"loss_{i}{suffix}").write_bytes(b"x")
        _age(folder / f"loss_{i}.py", i)
    return folder, numba_dir


def test_the_least_recently_used_modules_go_with_their_machine_code(tmp_path) -> None:
    folder, numba_dir = _modules(tmp_path, 5)
    gone = prune_expressions(folder, keep=3)
    assert sorted(gone) == ["loss_3", "loss_4"]
    assert sorted(p.stem for p in folder.glob("*.py")) == ["loss_0", "loss_1", "loss_2"]
    assert sorted({p.name.split(".")[0] for p in numba_dir.iterdir()}) == ["loss_0", "loss_1", "loss_2"]


def test_a_use_keeps_a_module_and_leaves_the_time_numba_checks_alone(tmp_path) -> None:
    folder, _numba_dir = _modules(tmp_path, 3)
    oldest = folder / "loss_2.py"
    mtime = oldest.stat().st_mtime_ns
    mark_used(oldest)
    assert oldest.stat().st_mtime_ns == mtime  # numba would otherwise recompile it
    assert prune_expressions(folder, keep=2) == ["loss_1"]


def test_other_versions_caches_go_once_unused_for_long(tmp_path) -> None:
    names = ("numba-aaa", "numba-bbb", "numba-ccc", "notes")
    current, recent, stale, unrelated = (tmp_path / n for n in names)
    for d in (current, recent, stale, unrelated):
        d.mkdir()
        (d / "f.nbi").write_bytes(b"x")
    _age(current, 400)  # the current one is never deleted, however old its times say it is
    _age(recent, 10)
    _age(stale, 90)
    _age(unrelated, 400)
    assert prune_stale_versions(current, days=60) == ["numba-ccc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes", "numba-aaa", "numba-bbb"]


def test_typing_many_losses_keeps_at_most_the_limit(tmp_path, monkeypatch) -> None:
    """Through compile_expression's own module loader, with a tiny limit."""
    from engine import _cache, expressions

    monkeypatch.setattr(_cache, "CACHE_DIR", tmp_path / "numba-test")
    monkeypatch.setattr(_cache, "MAX_EXPRESSION_MODULES", 2)
    for i in range(4):
        path = expressions._cache_folder() / f"loss_t{i}.py"
        expressions._cached_module(path, f"optimizer_lab_test_prune_{i}", lambda: "X = 1\n")
        _age(path, 4 - i)  # written in order: the last is the newest
    assert sorted(p.name for p in expressions._cache_folder().glob("*.py")) == ["loss_t2.py", "loss_t3.py"]
