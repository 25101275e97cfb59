"""The test run's kernel seed (tests/kernel_seed.py): how it merges its parts' caches."""

from __future__ import annotations

from pathlib import Path

from tests import kernel_seed


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def test_a_kernel_comes_whole_from_the_first_part_that_has_it_and_typed_losses_stay_out(
    tmp_path: Path,
) -> None:
    first, second, merged = tmp_path / "a", tmp_path / "b", tmp_path / "merged"
    _write(
        first,
        {"numba-f/engine_1/_k.f-3.py311.nbi": b"f index a", "numba-f/engine_1/_k.f-3.py311.1.nbc": b"f a"},
    )
    _write(
        second,
        {
            # f compiled in both parts for other signatures: its index and data files come from one
            "numba-f/engine_1/_k.f-3.py311.nbi": b"f index b",
            "numba-f/engine_1/_k.f-3.py311.1.nbc": b"f b1",
            "numba-f/engine_1/_k.f-3.py311.2.nbc": b"f b2",
            "numba-f/engine_1/_k.g-9.py311.nbi": b"g index",
            "numba-f/engine_1/_k.g-9.py311.1.nbc": b"g",
            "numba-f/expressions_2/loss_1.f-1.py311.nbi": b"named after that cache's path",
            "numba-f/expressions/loss_1.py": b"a typed loss's module",
            "numba-f/damaged/_k.h-1.py311.nbi": b"moved aside",
        },
    )
    assert kernel_seed.merge([first, second], merged) == 4
    assert _files(merged) == {
        "numba-f/engine_1/_k.f-3.py311.nbi": b"f index a",
        "numba-f/engine_1/_k.f-3.py311.1.nbc": b"f a",
        "numba-f/engine_1/_k.g-9.py311.nbi": b"g index",
        "numba-f/engine_1/_k.g-9.py311.1.nbc": b"g",
    }


def test_a_worker_without_a_usable_seed_says_so_and_copies_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert "no kernel seed" in kernel_seed.take(tmp_path / "never-started", cache)
    folder = tmp_path / "seed"
    folder.mkdir()
    (folder / kernel_seed.LOCK).touch()
    (folder / kernel_seed.STATUS).write_text('{"ok": false, "why": "failed: data (exit 1)"}')
    (folder / kernel_seed.MERGED / "numba-f").mkdir(parents=True)
    note = kernel_seed.take(folder, cache)
    assert note == "no kernel seed (failed: data (exit 1)): this worker compiles its kernels itself"
    assert not cache.exists()
    (folder / kernel_seed.STATUS).write_text('{"ok": true, "files": 0}')
    assert kernel_seed.take(folder, cache) == "kernel seed copied" and (cache / "numba-f").is_dir()
