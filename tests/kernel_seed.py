"""The kernels a whole test run needs, compiled once and shared by its pytest-xdist workers.

Each worker keeps a kernel cache of its own (two processes compiling into one numba cache can
drop each other's index entries), so each compiled the same kernel families: a run of the whole
suite spent about 200 s of a core on it twice (the parallel many-run sweeps alone take 30–50 s
each). Now the controller starts a seed before the workers start: two processes, one per core,
compile the families into caches of their own, and the seed merges them into one folder. Each
worker waits for it (a lock the seed holds until it is done: no polling) and copies it into its
own cache before it imports the engine; a worker then loads these kernels instead of compiling
them. A seed that fails or runs past ``LIMIT_S`` leaves the workers to compile as before.

Run as ``python -m tests.kernel_seed FOLDER`` (by ``tests/conftest.py`` only).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A seed's part that takes longer than this is stopped (it took 100 s on a quiet 2-core machine).
LIMIT_S = 900
LOCK, STATUS, MERGED = "lock", "status.json", "merged"
#: Environment variable naming the seed's folder, for the workers (and nested sessions).
ENV = "OPTIMIZER_LAB_TEST_SEED"


# The parts import the engine when they run, in the seed's children: imported with this module,
# in tests/conftest.py, it would choose its kernel cache before the test session isolates it.
def _part_surfaces() -> None:
    from engine.cache_cli import warm_up_surfaces

    warm_up_surfaces()


def _part_data() -> None:
    """The fill's data losses and, for the tests, their many-run sweep (≈ 50 s more)."""
    import numpy as np

    from engine import batch
    from engine.cache_cli import warm_up_data

    batch(warm_up_data(), "adam", np.zeros((2, 2)), 2)


#: The lab fill's warm-up (engine.cache_cli) in two parts of about the same compile time (≈ 100 s
#: each on a quiet core), one per CI core, plus what the tests use beyond it.
PARTS = {"built-in-and-typed": _part_surfaces, "data": _part_data}


def _kernel_files(folder: Path) -> dict[tuple[Path, str], list[Path]]:
    """numba's files in a cache, grouped by the kernel they belong to (its index's name).

    The typed losses' folders are left out: they are named after the cache's own path.
    """
    groups: dict[tuple[Path, str], list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.suffix not in (".nbi", ".nbc") or relative.parts[0].startswith(("expressions", "damaged")):
            continue
        kernel = path.name[: -len(".nbi")] if path.suffix == ".nbi" else path.name.rsplit(".", 2)[0]
        groups.setdefault((relative.parent, kernel), []).append(relative)
    return groups


def merge(parts: list[Path], into: Path) -> int:
    """Copy every kernel's files from the first part that has it (an index and its data files go
    together: the same kernel compiled in two parts numbers its data files alike)."""
    taken: set[tuple[Path, str]] = set()
    count = 0
    for part in parts:
        for folder in sorted(part.glob("numba-*")):
            for key, files in _kernel_files(folder).items():
                if (folder.name, *key) in taken:
                    continue
                taken.add((folder.name, *key))
                for relative in files:
                    target = into / folder.name / relative
                    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    shutil.copyfile(folder / relative, target)
                    count += 1
    return count


def _seed(folder: Path) -> dict[str, object]:
    env = {**os.environ, "OPTIMIZER_LAB_MACHINE_CACHE": ""}
    env.pop("NUMBA_CACHE_DIR", None)  # the engine points numba into OPTIMIZER_LAB_CACHE_DIR
    children = {}
    for name in PARTS:
        code = f"from tests.kernel_seed import PARTS; PARTS[{name!r}]()"
        log = open(folder / f"{name}.log", "wb")  # noqa: SIM115 - the child writes it
        children[name] = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "OPTIMIZER_LAB_CACHE_DIR": str(folder / name)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    failed = []
    for name, child in children.items():
        try:
            code = child.wait(timeout=LIMIT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            code = child.wait()
        if code != 0:
            failed.append(f"{name} (exit {code}, see {folder / name}.log)")
    if failed:
        return {"ok": False, "why": "failed: " + ", ".join(failed)}
    count = merge([folder / name for name in PARTS], folder / MERGED)
    return {"ok": True, "files": count}


def main(folder: Path) -> None:
    """Hold the lock, tell the controller so, compile the parts, merge them, write the status."""
    import fcntl

    with open(folder / LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        print("locked", flush=True)
        try:
            status = _seed(folder)
        except Exception as exc:  # a seed that breaks only costs the workers their compiles
            status = {"ok": False, "why": repr(exc)}
        (folder / STATUS).write_text(json.dumps(status))


def start(folder: Path) -> subprocess.Popen[bytes]:
    """Start the seed in ``folder`` and return once it holds the lock the workers wait on."""
    folder.mkdir(parents=True)
    seed = subprocess.Popen(
        [sys.executable, "-m", "tests.kernel_seed", str(folder)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert seed.stdout is not None
    if seed.stdout.readline() != b"locked\n":
        raise RuntimeError("the kernel seed did not start")
    return seed


def problem(folder: Path) -> str | None:
    """Wait for the seed in ``folder`` to end; why it cannot be used, or None."""
    import fcntl

    try:
        with open(folder / LOCK) as lock:
            fcntl.flock(lock, fcntl.LOCK_SH)  # blocks until the seed is done
        status = json.loads((folder / STATUS).read_text())
    except (OSError, ValueError) as exc:
        return str(exc)
    return None if status["ok"] else status["why"]


def take(folder: Path, cache: Path) -> str:
    """Wait for the seed in ``folder``, then copy its kernels into ``cache``; what happened, in words."""
    if (why := problem(folder)) is not None:
        return f"no kernel seed ({why}): this worker compiles its kernels itself"
    try:
        cache.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copytree(folder / MERGED, cache, dirs_exist_ok=True)
    except OSError as exc:  # a file cut short fails its seal (engine._cache): it is compiled again
        return f"kernel seed only partly copied ({exc}): this worker compiles the rest itself"
    return "kernel seed copied"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
