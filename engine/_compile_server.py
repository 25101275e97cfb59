"""The compile child's side of ``engine._compile_child``: one formula, within limits, then exit.

Run by the child's bootstrap (``engine._compile_child._BOOT``, or main.py's
``--differentiate-child`` in a frozen build), never imported by the app: it imports sympy, numba
and ``engine.expressions`` (which starts children through ``engine._compile_child``), so keeping
it apart keeps the import graph free of circles.
"""

from __future__ import annotations

import math
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from engine._parser import ExpressionError

__all__ = ["serve"]


def _limit_resources(memory: int, seconds: float) -> None:
    """Cap the address space, and the CPU time from now on (the kernel stops the child with SIGXCPU)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no rlimits; the parent's wall clock still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, hard))


def _warm_numba() -> None:
    """Import numba and compile a trivial function: its first compile sets up LLVM (≈ 0.3 s)."""
    from numba import njit

    # loaded ahead, not when the formula arrives; engine._cache points numba at the private cache
    # and seals what it writes
    from engine import _cache, _loss_type, expressions  # noqa: F401

    njit(lambda a: a + 1.0)(1.0)


def _use_cache(cache_dir: str) -> None:
    """Point this child at the caller's kernel cache (checked as private, like the caller's)."""
    from engine import _cache

    if str(_cache.CACHE_DIR) != cache_dir:
        os.environ["OPTIMIZER_LAB_CACHE_DIR"] = str(Path(cache_dir).parent)
        _cache.configure_cache_dir()
    if str(_cache.CACHE_DIR) != cache_dir:
        raise _CacheRefused(str(_cache.CACHE_DIR))


class _CacheRefused(Exception):
    """The caller's cache folder did not pass this child's checks: it compiles nothing there."""


def serve() -> None:
    """The child: import sympy and numba, wait for one request on stdin, answer on stdout, exit.

    A request is ``(text, memory, seconds, build)``; ``build`` is None (the source only) or
    ``(cache_dir, path, name, formula)``: also write the loss module and compile it into the cache.
    """
    if hasattr(os, "nice"):
        os.nice(5)
    # the pipes as files: a windowed frozen app has no sys.stdout / sys.stdin objects
    out = open(1, "wb", closefd=False)  # noqa: SIM115
    sys.stdout = sys.stderr  # nothing but the answer reaches the parent's pipe
    from engine._parser import fold, parse
    from engine._symbolic import loss_function_source

    loss_function_source(fold(parse("x^2 + sin(y)")))  # sympy loads parts of itself on first use
    _warm_numba()
    with open(0, "rb", closefd=False) as stdin:
        request = stdin.read()
    if not request:
        return  # the parent went away before asking (a spare that was not needed)
    text, memory, seconds, build = pickle.loads(request)
    try:
        _limit_resources(memory, seconds)
        source = loss_function_source(fold(parse(text)))
        built = False
        if build is not None:
            cache_dir, path, name, formula = build
            try:
                _use_cache(cache_dir)
            except _CacheRefused:
                pass  # the caller compiles it itself (and says so)
            else:
                from engine.expressions import build_light_module

                build_light_module(source, formula, Path(path), name)
                built = True
        reply: tuple[Any, ...] = ("ok", source, built)
    except ExpressionError as exc:
        reply = ("error", exc.args[0], exc.column)
    except (MemoryError, RecursionError):
        reply = ("memory",)
    except Exception as exc:  # reported in the parent as a refusal, never a traceback
        reply = ("crash", f"{type(exc).__name__}: {str(exc)[:200]}")
    try:
        data = pickle.dumps(reply)
    except MemoryError:
        data = pickle.dumps(("memory",))
    out.write(data)
    out.close()
