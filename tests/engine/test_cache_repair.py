"""Damaged or swapped cached kernels are moved aside and rebuilt, never fatal, never wrong.

numba unpickles ``*.nbi`` index files and links the machine code in ``*.nbc`` files without
checking them: an empty, half-written, random or bit-flipped file ended in EOFError,
UnpicklingError or an abort ("st_name … past the end of the string table", rc -6) on every
start, and a typed loss's module swapped for another's silently computed the other function.
Each case runs in a subprocess, so an abort cannot take pytest with it.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from engine._cache import unseal
from tests.engine.cache_helpers import OTHER, TYPED, TYPED_LINES, engine_env, kernels_folder, notes, restore
from tests.engine.cache_helpers import run_engine as _run

pytestmark = pytest.mark.slow

FILL = f"from engine import get_loss\nget_loss({OTHER!r})\n"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """(cache folder, a pristine copy of it, the reference output), filled once for the module."""
    base = tmp_path_factory.mktemp("filled")
    cache = base / "cache"
    first = _run(engine_env(cache))
    assert first.returncode == 0, first.stderr[-3000:]
    assert notes(first.stderr) == []
    second = _run(engine_env(cache), FILL)
    assert second.returncode == 0, second.stderr[-3000:]
    assert all(line in first.stdout.splitlines() for line in TYPED_LINES), first.stdout
    pristine = base / "pristine"
    shutil.copytree(cache, pristine, symlinks=True)
    return cache, pristine, first.stdout.splitlines()


def _damage(path: Path, kind: str, rng: random.Random) -> None:
    data = path.read_bytes()
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "random":
        path.write_bytes(rng.randbytes(len(data)))
    else:  # one bit flipped past the header, in the pickled or machine-code part
        at = rng.randrange(len(data) // 4, len(data))
        path.write_bytes(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :])


def _cached_files(cache: Path, kernels: str) -> list[Path]:
    pattern = "engine_*" if kernels == "built-in" else "expressions_*"
    files = sorted(p for p in kernels_folder(cache).glob(f"{pattern}/*") if p.suffix in (".nbi", ".nbc"))
    if kernels == "typed":
        files = [p for p in files if p.name.startswith(f"{_entry(cache, TYPED)}.")]
    return files


DAMAGES = ("empty", "truncated", "random", "bit flip")
#: The typed loss's few files take each damage in a run of its own (a run recompiles a typed loss
#: in about a second); the built-in kernels' dozens take the four in turn, in one run (each run
#: recompiles every damaged built-in kernel: ≈ 30 s of CI's core).
CASES = [("built-in", DAMAGES)] + [("typed", (kind,)) for kind in DAMAGES]


@pytest.mark.parametrize(("kernels", "kinds"), CASES, ids=[f"{k}-{'+'.join(d)}" for k, d in CASES])
def test_a_damaged_cached_kernel_is_moved_aside_and_rebuilt(
    filled, kernels: str, kinds: tuple[str, ...]
) -> None:
    cache, pristine, reference = filled
    restore(pristine, cache)
    files = _cached_files(cache, kernels)
    assert len(files) >= len(kinds), f"the fill should have cached {kernels} kernels"
    rng = random.Random(f"{kernels}-{kinds}")
    for i, path in enumerate(files):
        _damage(path, kinds[i % len(kinds)], rng)

    damaged = _run(engine_env(cache))
    assert damaged.returncode == 0, damaged.stderr[-3000:]
    assert damaged.stdout.splitlines() == reference  # the same numbers: the true functions
    (line,) = notes(damaged.stderr)  # one line, however many files were bad
    assert line.startswith("optimizer-lab: cached kernel ") and line.endswith("compiling it again"), line
    moved = {p.name.rsplit(".", 2)[0] for p in (kernels_folder(cache) / "damaged").iterdir()}
    assert moved and moved <= {p.name for p in files}
    for path in files:  # each bad file was moved aside or written afresh (numba reuses the names)
        assert unseal(path.name, path.read_bytes()) is not None, path.name

    again = _run(engine_env(cache))  # and the rebuilt cache is whole: no note, same numbers
    assert again.returncode == 0, again.stderr[-3000:]
    assert notes(again.stderr) == []
    assert again.stdout.splitlines() == reference


def _entry(cache: Path, formula: str) -> str:
    """The module name (``loss_<key>``) of the cached single-run module of ``formula``."""
    for module in (kernels_folder(cache) / "expressions").glob("loss_*.py"):
        if f"for: L = {formula}\n" in module.read_text():
            return module.stem
    raise AssertionError(f"no cached module for {formula}")


@pytest.mark.parametrize("swapped", ["module", "machine code", "both"])
def test_a_swapped_typed_loss_computes_its_own_function(filled, swapped: str) -> None:
    """The cached files of x^4 + y^4 put in place of those of x^2 + 3*y^2 are caught."""
    cache, pristine, reference = filled
    restore(pristine, cache)
    mine, theirs = _entry(cache, TYPED), _entry(cache, OTHER)
    expressions = kernels_folder(cache) / "expressions"
    if swapped in ("module", "both"):
        shutil.copy2(expressions / f"{theirs}.py", expressions / f"{mine}.py")
    if swapped in ("machine code", "both"):
        (numba_folder,) = kernels_folder(cache).glob("expressions_*")
        for path in numba_folder.glob(f"{theirs}.*"):
            shutil.copy2(path, numba_folder / path.name.replace(theirs, mine))

    run = _run(engine_env(cache))
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines() == reference
    assert all(line in run.stdout.splitlines() for line in TYPED_LINES)
    (line,) = notes(run.stderr)
    assert line.startswith(f"optimizer-lab: cached kernel {mine}.") and "compiling it again" in line, line
    assert list((kernels_folder(cache) / "damaged").iterdir())
