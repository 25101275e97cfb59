"""``optimizer-lab-cli cache``: where the kernel cache is, and filling a machine-wide one for a lab.

Lab machines often give each login a fresh home folder, so every student would compile the
kernels (22 s on a quiet 2-core machine, longer on a busy one) at every session.
An installer runs ::

    optimizer-lab-cli cache --fill            # into <sys.prefix>/var/cache/optimizer-lab
    optimizer-lab-cli cache --fill /var/cache/optimizer-lab

once; each start then copies the sealed kernels it lacks from there into the user's private
cache (engine._cache), checking every seal, and only if the folder and every folder above it
belong to root, the user or the owner of the installed code and no one else can write them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from engine import _cache

if TYPE_CHECKING:
    from engine.losses import Surface

#: What the fill takes, for the lines that announce it (≈ 150 s of compiling on a quiet 2-core machine).
FILL_TAKES = "two or three minutes on a 2-core machine"
#: The typed loss of the warm-up is ours, not a learner's: its compile gets this many seconds, not
#: the 5 s that bound a learner's formula (a busy machine took longer, and the fill then failed).
FILL_TIME_LIMIT = 600.0


def warm_up() -> None:
    """Compile what a start compiles before the first race (gui/worker.py's warm-up), plus a
    typed loss's shared runners, the many-run sweep, data losses and gradient noise. Runs in the
    fill's own child process."""
    warm_up_surfaces()
    warm_up_data()


def warm_up_surfaces() -> None:
    """The built-in surfaces' and typed losses' kernels: single runs, grids, sweeps, noise."""
    import numpy as np

    from engine import _compile_child, batch, get_loss, simulate

    _compile_child.TIME_LIMIT = FILL_TIME_LIMIT

    simulate("quadratic", "adam", steps=2)
    get_loss("quadratic").grid([0.0, 1.0], [0.0, 1.0])
    simulate(get_loss("x^2 + y^2"), "adam", steps=2)
    batch(get_loss("x^2 + y^2"), "adam", np.zeros((2, 2)), 2)
    batch("quadratic", "adam", np.zeros((2, 2)), 2)
    simulate("quadratic", "adam", steps=2, noise=0.1)


def warm_up_data() -> Surface:
    """The data losses' kernels (full batch and minibatches with noise); the penguins' surface."""
    import numpy as np

    from engine import simulate
    from engine.data import DataSpec, data_surface

    penguins = data_surface(DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g"))
    penguins.grid(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    simulate(penguins, "adam", steps=2)
    simulate(penguins, "adam", steps=2, batch_size=8, noise=0.1)
    return penguins


def default_machine_cache() -> Path:
    """Where ``cache --fill`` writes when no folder is given: the first place a start looks."""
    places = _cache.machine_cache_dirs()
    return places[0] if places else Path(sys.prefix) / "var" / "cache" / _cache.APP_NAME


def fill_machine_cache(dest: Path) -> tuple[Path, int, str | None]:
    """Compile the start-up kernels and install them, sealed and read-only, under ``dest``.

    Returns (the kernels folder, how many files, why a start would ignore it or None). The
    kernels are compiled in a child process with an empty private cache, then copied into
    ``dest/numba-<fingerprint>`` (folders 0755, files 0644), replacing an older fill at once.
    """
    here = Path(_cache.__file__).resolve().parent
    with tempfile.TemporaryDirectory(prefix="optimizer-lab-fill-") as staging:
        env = {**os.environ, "OPTIMIZER_LAB_CACHE_DIR": staging, _cache.MACHINE_CACHE_ENV: ""}
        env.pop("NUMBA_CACHE_DIR", None)
        # A frozen build's executable takes no -c: it runs the warm-up as a hidden command.
        frozen = getattr(sys, "frozen", False)
        code = "from engine.cache_cli import warm_up; warm_up()"
        command = [sys.executable, "cache", "--warm-up"] if frozen else [sys.executable, "-c", code]
        done = subprocess.run(command, cwd=here.parent, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"compiling the kernels failed:\n{done.stderr[-2000:]}")
        (compiled,) = Path(staging).glob("numba-*")
        dest.mkdir(mode=0o755, parents=True, exist_ok=True)
        partial = dest / f".{compiled.name}.{uuid.uuid4().hex[:8]}"
        count = 0
        for source in sorted(compiled.rglob("*.nb[ic]")):
            relative = source.relative_to(compiled)
            if relative.parts[0].startswith(("expressions", "damaged")):
                continue  # typed losses are named after each user's own cache path
            target = partial / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            target.chmod(0o644)
            count += 1
        for folder, _dirs, _files in os.walk(partial):
            os.chmod(folder, 0o755)  # readable by every user, whatever the umask
    final = dest / compiled.name
    old = dest / f".old-{uuid.uuid4().hex[:8]}"
    if final.exists():
        os.replace(final, old)
    os.replace(partial, final)
    shutil.rmtree(old, ignore_errors=True)
    return final, count, _cache.machine_cache_problem(final)


def add_cache_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--fill",
        nargs="?",
        const="",
        metavar="DIR",
        help="compile the kernels once into a machine-wide read-only cache for every user "
        f"(default DIR: {default_machine_cache()})",
    )
    parser.add_argument("--warm-up", action="store_true", help=argparse.SUPPRESS)


def cmd_cache(args: argparse.Namespace) -> int:
    """Print where the kernels are cached; with ``--fill``, fill a machine-wide cache first."""
    if args.warm_up:
        warm_up()  # in the child of ``--fill`` (a frozen build has no ``python -c``)
        return 0
    if args.fill is not None:
        dest = Path(args.fill) if args.fill else default_machine_cache()
        print(f"compiling the kernels for {dest} ({FILL_TAKES})…", file=sys.stderr)
        try:
            final, count, problem = fill_machine_cache(dest)
        except (OSError, RuntimeError) as exc:
            print(f"optimizer-lab cache: error: cannot fill {dest}: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {count} kernel files to {final}")
        if problem:
            print(f"warning: starts will ignore it: {problem}", file=sys.stderr)
            return 1
        if dest.resolve() not in [p.resolve() for p in _cache.machine_cache_dirs()]:
            print(f"starts look there when {_cache.MACHINE_CACHE_ENV}={dest} is set", file=sys.stderr)
    print(f"private kernel cache: {_cache.CACHE_DIR}")
    for place in _cache.machine_cache_dirs():
        folder = place / _cache.CACHE_DIR.name
        if not folder.is_dir():
            status = "not filled"
        else:
            status = f"ignored: {problem}" if (problem := _cache.machine_cache_problem(folder)) else "used"
        print(f"machine-wide cache: {place} ({status})")
    return 0
