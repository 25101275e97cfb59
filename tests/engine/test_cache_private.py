"""The kernel cache is never a folder another user can write: numba's index is a pickle.

Before, a user cache that could not be created sent the kernels to ``<tmp>/optimizer-lab``,
a fixed name another user could create first, world-writable, with a planted module and
index: the victim's ``run`` loaded both and ran the payload. The two-user test replays that
with ``os.setuid`` in forked children (root only; skipped otherwise).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engine import _cache
from tests.engine.cache_helpers import TYPED, TYPED_LINES, engine_env, notes, run_engine

AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to act as other users"
)
ATTACKER, VICTIM = 4242, 4343


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_new_cache_folder_and_the_folders_made_for_it_are_0700(tmp_path: Path) -> None:
    root = tmp_path / "made" / "cache"
    assert _cache._make_private(root) is None
    assert _mode(tmp_path / "made") == _mode(root) == 0o700


def test_a_symbolic_link_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert _cache._make_private(tmp_path / "link") == f"{tmp_path / 'link'} is a symbolic link"


def test_a_folder_others_can_write_above_the_cache_is_refused_unless_sticky(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert _cache._make_private(shared / "cache") == f"others can write to {shared}"
    shared.chmod(0o1777)  # like /tmp: others cannot rename or delete what is ours
    assert _cache._make_private(shared / "cache") is None


def test_our_folder_left_open_to_others_is_closed_and_emptied(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    root.mkdir()
    root.chmod(0o777)
    (root / "numba-x").mkdir()
    (root / "numba-x" / "planted.nbi").write_bytes(b"anything")
    assert _cache._make_private(root) is None
    assert _mode(root) == 0o700
    assert list(root.iterdir()) == []


@AS_ROOT
def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, ATTACKER, ATTACKER)
    assert _cache._make_private(theirs) == f"{theirs} belongs to uid {ATTACKER}"
    os.chown(tmp_path, ATTACKER, ATTACKER)  # and one whose folder above is theirs
    assert _cache._make_private(tmp_path / "mine") == f"{tmp_path} belongs to uid {ATTACKER}"


SHOW = "from engine import _cache; print(_cache.CACHE_DIR)"


def test_an_unusable_cache_folder_gives_a_private_session_folder_and_one_note(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(tmp_path / "real")
    session_tmp = tmp_path / "tmp"
    session_tmp.mkdir()
    code = f"{SHOW}\nimport os, stat; print(oct(stat.S_IMODE(os.stat(_cache.CACHE_DIR.parent).st_mode)))"
    run = run_engine(engine_env(tmp_path / "link", TMPDIR=str(session_tmp)), code)
    assert run.returncode == 0, run.stderr
    folder, mode = run.stdout.split()
    assert Path(folder).parent.parent == session_tmp and mode == "0o700"
    assert notes(run.stderr) == [
        f"optimizer-lab: kernel cache not used ({tmp_path / 'link'} is a symbolic link); compiled "
        "kernels are kept for this session only "
        "(set OPTIMIZER_LAB_CACHE_DIR to a folder of yours to keep them)"
    ]
    assert list(session_tmp.iterdir()) == []  # deleted at exit
    assert list((tmp_path / "real").iterdir()) == []  # nothing went through the link


class _Payload:
    """Unpickling this makes the marker folder: proof that the victim ran the attacker's code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (self.marker,)


def _as_user(uid: int, work: Callable[[], object]) -> object:
    """``work()``'s result, computed in a forked child after ``os.setuid(uid)``.

    A fork, not a new interpreter: the interpreter lives under root's 0700 home here. The
    child's failure (even an abort) is reported, never fatal to pytest.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 1
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            result = work()
            code = 0
        except BaseException:
            result = traceback.format_exc()
        with os.fdopen(write, "w") as out:
            json.dump(result, out)
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as answer:
        data = answer.read()
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, data[-3000:]
    return json.loads(data)


@pytest.fixture
def machine() -> Iterator[Path]:
    """A folder both test users can reach (pytest's own tmp is root's, 0700)."""
    base = Path(tempfile.mkdtemp(prefix="olab-two-users-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _plant(old_fallback: Path, markers: Path) -> list[Path]:
    """Where the old code fell back to: a planted module and a pickled index for every kernel
    of the built-in runs (those of the typed losses' runners, ``engine._fn_kernels``, are looked
    up in the same folder; importing that module compiles them, 15 s of a fresh test session)."""
    from numba.core.registry import CPUDispatcher

    from engine import _kernels, _surfaces, expressions

    planted: list[tuple[Path, bytes]] = []
    for module in (_kernels, _surfaces):
        for kernel in vars(module).values():
            cache_file = getattr(getattr(kernel, "_cache", None), "_cache_file", None)
            if isinstance(kernel, CPUDispatcher) and cache_file is not None:
                relative = Path(cache_file._cache_path).relative_to(_cache.CACHE_DIR) / cache_file._index_name
                index = pickle.dumps(_Payload(str(markers / f"ran-{relative.name}")))
                planted.append((old_fallback / relative, index))
    runner = Path(expressions.__file__).with_name("_fn_kernels.py").read_text(encoding="utf-8")
    key = expressions._module_key(TYPED, runner, ["light"])
    module = f"import os\nos.mkdir({str(markers / 'ran-module')!r})\n"
    planted.append((old_fallback / "expressions" / f"loss_{key}.py", module.encode()))

    def plant() -> None:
        os.umask(0)
        for path, data in planted:
            path.parent.mkdir(mode=0o777, parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o666)

    _as_user(ATTACKER, plant)
    return [p for p, _ in planted]


def _victim_run(home: Path, shared_tmp: Path) -> dict[str, object]:
    """A fresh engine (as a new process would import it) running a built-in and a typed loss."""
    os.environ.update(HOME=str(home), TMPDIR=str(shared_tmp), OPTIMIZER_LAB_MACHINE_CACHE="")
    for name in ("OPTIMIZER_LAB_CACHE_DIR", "XDG_CACHE_HOME", "NUMBA_CACHE_DIR"):
        os.environ.pop(name, None)
    tempfile.tempdir = None
    for name in [n for n in sys.modules if n == "engine" or n.startswith(("engine.", "optimizer_lab_"))]:
        del sys.modules[name]
    import numpy as np

    from engine import _cache as fresh
    from engine import _compile_child, _surfaces, get_loss, simulate
    from engine._parser import fold, parse
    from engine._symbolic import loss_function_source

    # Differentiate and compile in this process: the test user may not be allowed to start this
    # Python (it lives under root's private /root here), and what is tested is the cache, not the child.
    def child_work_here(text: str, build: tuple[str, ...] | None = None, **_: object) -> tuple[str, bool]:
        from engine.expressions import build_light_module

        source = loss_function_source(fold(parse(text)))
        if build is not None:
            build_light_module(source, build[3], Path(build[1]), build[2])
        return source, build is not None

    _compile_child.generated_source = lambda text, **_: loss_function_source(fold(parse(text)))
    _compile_child.compile_in_child = child_work_here

    # a built-in kernel: the bowl's, for κ = 10 (every kernel's index is looked up in the same
    # cache folder; the race kernel's compile took 23 s of this child's 36, the bowl's 0.4 s)
    builtin = tuple(float(v) for v in _surfaces.quadratic(1.0, 2.0, np.array([10.0])))
    surface = get_loss(TYPED)
    value = tuple(float(v) for v in surface.kernels_module.loss_value_grad(0, 1.0, 1.0, np.zeros(1)))
    step = simulate(surface, "sgd", start=(-2.0, 2.0), steps=1, lr=0.1).w[-1]
    lines = [f"builtin {builtin!r}", f"typed {value!r}", f"step {tuple(round(float(v), 12) for v in step)!r}"]
    return {"lines": lines, "notes": fresh.NOTES, "cache": str(fresh.CACHE_DIR)}


@AS_ROOT
@pytest.mark.slow
def test_another_user_cannot_plant_kernels_where_the_cache_used_to_fall_back(machine: Path) -> None:
    import numba
    import sympy  # noqa: F401 - here the test users cannot read the standard library under /root

    # The child keeps the modules already imported, but imports the engine afresh and numba loads
    # more of itself: both must be readable by the other user (not so for a checkout or venv
    # under root's private /root).
    needed = [Path(_cache.__file__), Path(numba.__file__)]
    if not _as_user(VICTIM, lambda: all(os.access(p, os.R_OK) for p in needed)):
        pytest.skip("another user cannot read this checkout or its Python, so it cannot be that user")
    shared_tmp, markers, victim_home = machine / "tmp", machine / "markers", machine / "home"
    for folder, mode in ((shared_tmp, 0o1777), (markers, 0o1777), (victim_home, 0o755)):
        folder.mkdir()
        folder.chmod(mode)  # the victim's home is not writable by the victim: no user cache
    old_fallback = shared_tmp / "optimizer-lab" / f"numba-{_cache.source_fingerprint()}"
    planted = _plant(old_fallback, markers)
    assert _mode(shared_tmp / "optimizer-lab") == 0o777 and os.stat(planted[0]).st_uid == ATTACKER

    # The payloads are live: loaded by hand, as the victim, they run.
    _as_user(VICTIM, lambda: pickle.loads(planted[0].read_bytes()) and None)
    assert len(list(markers.iterdir())) == 1
    for marker in markers.iterdir():
        marker.rmdir()

    run = _as_user(VICTIM, lambda: _victim_run(victim_home, shared_tmp))
    assert isinstance(run, dict)
    assert list(markers.iterdir()) == []  # no payload ran
    # L = (1² + 10·2²)/2 = 20.5, ∂L/∂x = 1, ∂L/∂y = 10·2 = 20
    assert run["lines"] == ["builtin (20.5, 1.0, 20.0)", *TYPED_LINES]
    (line,) = run["notes"]
    assert "kernel cache not used" in line and "cannot be created (Permission denied)" in line, line
    cache = Path(run["cache"])
    assert cache.parent.parent == shared_tmp and cache.parent.name.startswith("optimizer-lab-kernels-")
    assert _mode(cache.parent) == 0o700 and cache.parent.stat().st_uid == VICTIM


def test_the_seal_binds_content_to_its_file_name() -> None:
    sealed = _cache.seal("a.nbi", b"payload")
    assert _cache.unseal("a.nbi", sealed) == b"payload"
    assert _cache.unseal("b.nbi", sealed) is None  # the same bytes under another name
    assert _cache.unseal("a.nbi", sealed[:-1]) is None
    assert _cache.unseal("a.nbi", b"") is None
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    assert _cache.unseal("a.nbi", bytes(flipped)) is None
    text = _cache.seal_source("loss_1.py", "X = 1\n")
    assert _cache.unseal_source("loss_1.py", text.encode()) == "X = 1\n"
    assert _cache.unseal_source("loss_2.py", text.encode()) is None
    assert _cache.unseal_source("loss_1.py", text.replace("1\n", "2\n").encode()) is None


@pytest.mark.slow
def test_a_cached_typed_loss_is_found_without_sympy() -> None:
    """Its cache key and checks read files, never import sympy (a cached formula loads fast)."""
    code = f"import sys\nfrom engine import get_loss\nget_loss({TYPED!r})\nprint('sympy' in sys.modules)\n"
    env = engine_env(None)
    first = run_engine(env, code)  # fills (or finds) the test session's cache
    assert first.returncode == 0, first.stderr[-3000:]
    again = run_engine(env, code)
    assert again.returncode == 0, again.stderr[-3000:]
    # sympy now runs only in the differentiating child, so neither process imports it; the second
    # finds the formula in the cache and starts no child either (tests/engine/test_compile_child.py)
    assert first.stdout.split()[-1] == "False" and again.stdout.split()[-1] == "False"
