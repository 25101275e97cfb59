"""Differentiate and compile a typed loss in a child process bounded in time and memory.

sympy's cost is not bounded by the length of the text: ``(((((2*x)^100)^100)^100)^100)^100``
(33 characters) asks for a ten-billion-bit integer, and it held the GIL for a minute while
the window froze and memory grew past 2 GB. numba's is not either: a long valid formula takes
it seconds, and numba holds the GIL while it compiles. So parsing, differentiation, printing
(``engine._symbolic.loss_function_source``) and numba's compile of the loss module
(``engine.expressions.build_light_module``, into the private sealed disk cache) run in a child
process that may use at most ``TIME_LIMIT`` seconds of CPU and ``MEMORY_LIMIT`` bytes of address
space; past either it is killed and the formula refused in words. The caller then only loads the
machine code from the cache (a cached formula starts no child at all).

Why ``subprocess`` and not ``multiprocessing``: a multiprocessing child (spawn or
forkserver) first re-imports the caller's ``__main__``, so a notebook-style script that
calls ``simulate("x^2 + y^2", …)`` without an ``if __name__ == "__main__"`` guard would run
again inside every child. This child runs only its own bootstrap (``_BOOT``), which loads
``engine._parser``, ``engine._symbolic``, ``engine._cache`` and numba without ``engine/__init__``
(no kernels). Nothing is forked from the caller: ``subprocess`` execs at once, which is safe from
a process with Qt threads. One child is kept started and waiting (a "spare", sympy and numba
already imported and numba's compiler warmed up), so a formula costs its differentiation and
compile, not an interpreter start; each child serves one formula and exits.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from engine._parser import ExpressionError, shorten
from engine.messages import msg

__all__ = [
    "MEMORY_LIMIT",
    "TIME_LIMIT",
    "CompileCancelled",
    "cancel_all",
    "compile_in_child",
    "generated_source",
    "prestart",
    "shutdown",
]

#: CPU seconds the child may spend on one formula, differentiating and compiling (a typical one
#: needs 0.3–1 s; the tests' 337-character one 1.7 s, and 4.7 s on a day this VM ran ≈ 2× slower,
#: when 5 s refused it under CI's load: a slow lab PC must not refuse a learner's long formula).
#: A formula that blows up needs minutes or more: any of these limits stops it. CPU time, not
#: wall-clock time, so a busy machine does not refuse a good formula;
#: the wall clock still stops a child after WALL_FACTOR times as long plus START_GRACE seconds
#: (one that sleeps or waits; the grace covers starting Python, sympy and numba; on Linux the time
#: the child waits for a CPU is not counted).
TIME_LIMIT = 10.0
WALL_FACTOR = 2.0
START_GRACE = 10.0
#: Address space of the child (RLIMIT_AS), in bytes: 1 GiB (it starts at about 0.1 GiB).
MEMORY_LIMIT = 1 << 30
_SIGXCPU = getattr(signal, "SIGXCPU", -1000)
_POLL = 0.02  # seconds between looks at the child, the time limit and Cancel

# Run by ``python -c``: an ``engine`` package without its __init__ (which loads numba and sets
# up the kernel cache), then the child's loop.
# It also lowers its priority, so loading sympy and differentiating never slow the window on a busy
# machine (its limit is CPU time, so a lower priority refuses nothing).
_BOOT = (
    "import sys, types; engine = types.ModuleType('engine'); "
    "engine.__path__ = [sys.argv[1]]; sys.modules['engine'] = engine; "
    "from engine._compile_server import serve; serve()"
)
#: In a frozen build (PyInstaller) ``sys.executable`` is the app, not Python: main.py hands this
#: option straight to ``engine._compile_server.serve``.
CHILD_OPTION = "--differentiate-child"

_lock = threading.Lock()
_spare: subprocess.Popen[bytes] | None = None
_keep_spare = False
_active: dict[subprocess.Popen[bytes], bool] = {}  # running child → cancelled


class CompileCancelled(ExpressionError):
    """The user cancelled the compile (``cancel_all``): the formula was not refused."""


# -- the parent -------------------------------------------------------------------------------------


def _child_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_OPTION]
    return [sys.executable, "-c", _BOOT, str(Path(__file__).resolve().parent)]


def _start_child() -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    cache = sys.modules.get("engine._cache")
    if cache is not None:  # the child checks and uses the same private cache as this process
        env["OPTIMIZER_LAB_CACHE_DIR"] = str(Path(cache.CACHE_DIR).parent)
    return subprocess.Popen(
        _child_command(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        env=env,
    )


def prestart() -> None:
    """Keep a child started from now on, so a typed formula does not wait for Python and sympy.

    The window calls this; the command line does not (it would start a child it never uses).
    """
    global _spare, _keep_spare
    with _lock:
        _keep_spare = True
        if _spare is None or _spare.poll() is not None:
            _spare = _start_child()


def _take_child() -> subprocess.Popen[bytes]:
    global _spare
    with _lock:
        child, _spare = _spare, None
    if child is None or child.poll() is not None:
        child = _start_child()
    return child


def shutdown() -> None:
    """Stop every compile in progress and the waiting child, and start no more spares.

    The window calls this as it closes, so no child outlives it (a compile in progress would
    otherwise run on to its limit, and its end would start a new spare).
    """
    global _keep_spare
    _keep_spare = False
    cancel_all()
    _stop_spare()


@atexit.register
def _stop_spare() -> None:
    global _spare
    with _lock:
        child, _spare = _spare, None
    if child is not None:
        child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()


def _cpu_wait(pid: int) -> float:
    """Seconds the process's main thread has been runnable but waiting for a CPU (Linux, from the
    run-queue wait in /proc/PID/schedstat; 0 elsewhere)."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def _run(child: subprocess.Popen[bytes], request: bytes, time_limit: float) -> tuple[bytes | None, bool]:
    """(the child's answer or None, whether the time limit passed); kills the child when it stops.

    The limit is on the clock less the time the child waited for a CPU: the wall clock is a
    backstop for a child that sleeps or blocks, and on a busy machine (load 12 on 2 cores, where
    the low-priority child got a tenth of a core) counting the wait refused good formulas.
    """
    deadline = time.monotonic() + time_limit
    try:
        while True:
            try:
                answer, _ = child.communicate(request, timeout=_POLL)
                return answer, False
            except subprocess.TimeoutExpired:
                request = None  # type: ignore[assignment]  # sent once; communicate keeps it
            if _active.get(child):
                return None, False
            if time.monotonic() > deadline and time.monotonic() - _cpu_wait(child.pid) > deadline:
                return None, True
    finally:
        if child.poll() is None:
            child.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.communicate(timeout=5)


def _gib(size: int) -> str:
    return f"{size / 2**30:.3g} GiB"


def generated_source(
    text: str,
    *,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    build: tuple[str, str, str, str] | None = None,
) -> str:
    """The source ``engine._symbolic.loss_function_source`` makes for ``text``, computed in a child.

    With ``build = (cache_dir, path, name, formula)`` the child also writes the loss module to
    ``path`` and compiles it with numba into the disk cache ``cache_dir`` (see
    ``engine.expressions.build_light_module``), inside the same limits; ``built`` then says whether
    it did. Raises ExpressionError (one short message) for a bad formula and for one over the time
    or memory limit (default TIME_LIMIT and MEMORY_LIMIT), CompileCancelled when ``cancel_all``
    stopped it. Thread-safe.
    """
    return compile_in_child(text, time_limit=time_limit, memory_limit=memory_limit, build=build)[0]


def compile_in_child(
    text: str,
    *,
    time_limit: float | None = None,
    memory_limit: int | None = None,
    build: tuple[str, str, str, str] | None = None,
) -> tuple[str, bool]:
    """(the generated source, whether the child compiled the module ``build`` names); see above."""
    time_limit = TIME_LIMIT if time_limit is None else time_limit
    memory_limit = MEMORY_LIMIT if memory_limit is None else memory_limit
    quoted = shorten(text.strip())
    child = _take_child()
    with _lock:
        _active[child] = False
    try:
        request = pickle.dumps((text, memory_limit, time_limit, build))
        answer, timed_out = _run(child, request, WALL_FACTOR * time_limit + START_GRACE)
    finally:
        with _lock:
            cancelled = _active.pop(child, False)
    if _keep_spare:
        prestart()  # the next formula finds a child ready
    if cancelled:
        raise CompileCancelled(msg("compiling {text} was cancelled", text=quoted))
    if timed_out or child.returncode == -_SIGXCPU:
        raise ExpressionError(
            msg(
                "{text} took longer than {seconds} s of CPU time to differentiate and compile and "
                "was stopped; try a shorter formula or smaller powers",
                text=quoted,
                seconds=f"{time_limit:g}",
            )
        )
    try:
        reply = pickle.loads(answer) if answer else None
    except Exception:  # cut short: it died while writing
        reply = None
    if reply is None:  # killed by a signal (over its address space in C code), or crashed
        code = child.returncode
        reply = ("memory",) if code is None or code < 0 else ("crash", f"exit code {code}")
    kind = reply[0]
    if kind == "ok":
        return str(reply[1]), bool(reply[2])
    if kind == "error":
        raise ExpressionError(reply[1], reply[2])
    if kind == "memory":
        raise ExpressionError(
            msg(
                "{text} needs more than {limit} of memory to differentiate and compile and was "
                "stopped; try a shorter formula or smaller powers",
                text=quoted,
                limit=_gib(memory_limit),
            )
        )
    raise ExpressionError(
        msg(
            "compiling {text} failed ({reason}); try a shorter formula",
            text=quoted,
            reason=str(reply[1])[:120],
        )
    )


def cancel_all() -> int:
    """Stop every compile in progress (their callers get CompileCancelled); returns how many."""
    with _lock:
        running = list(_active)
        for child in running:
            _active[child] = True
    for child in running:
        with contextlib.suppress(OSError):
            child.kill()
    return len(running)
