"""Loss functions typed by the user: text → validated tree → sympy → exact gradient → numba.

``compile_expression("x^2 + 10*y^2")`` returns a ``Surface`` that runs on the shared runners of
``engine/_fn_kernels.py`` (the stepping loop of ``engine/_kernels.py`` with the loss passed as a
function pointer): a formula compiles only its own ``loss_value_grad``, in a small module file.
Why a module file: numba caches compiled code by source file, so writing the module once under a
name that hashes the normalized expression (and the runner's source) means reopening the same
expression, even in a new process, loads machine code from numba's disk cache.

Safety: the text is parsed by our own tokenizer and parser (``engine._parser``) into
whitelisted nodes; only that tree, never the text, reaches sympy and the generated
source. Sizes are capped before anything is computed, so bad input is refused quickly.

Semantics the learner sees:

* ``x`` and ``y`` (or ``w1``, ``w2``) are the two weights; ``^`` and ``**`` are powers.
* Kinks use a subgradient, never NaN: abs'(0) = 0, relu'(0) = 0, sign' = 0,
  hypot at (0, 0) has gradient 0, max/min on a tie split the gradient half and half.
* Where L is undefined (``log(x)`` at x ≤ 0, ``1/x`` at 0, ``sqrt`` of a negative) the
  kernels return NaN: the contour shows a gap and a run that steps there ends as
  ``diverged``.
* View window ``DEFAULT_VIEW`` = [-3, 3]²; the start is the first of ``START_CANDIDATES``
  where L and its gradient are finite (so ``log(x)`` starts at (2, 2), not in the gap).

A formula new to the disk cache is differentiated *and* compiled by numba in the bounded child
process (``engine._compile_child``: 10 s of CPU, 1 GiB), which leaves the sealed loss module and
its machine code in the private cache; this process only loads them (~0.03 s), so numba never
holds the GIL here for a typed loss. ``compile_expression`` still waits for the child and holds
a lock meanwhile: call it from a worker thread, never the GUI thread. A formula typed before
loads from the cache without a child and without importing sympy. The value, grid and
single-run kernels (``engine._fn_kernels``, which also fast-forward) and the many-run batch (the
Maps panel: ``engine._fn_batch``) are shared runners, compiled once for every formula;
``engine.simulate.surface_for`` runs the first step once, so the window's first frame never waits.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from engine._parser import MAX_DEPTH, MAX_LENGTH, MAX_NODES, ExpressionError, Node, fold, has_variables
from engine._parser import parse as _parse
from engine._parser import render as _render
from engine.messages import msg
from engine.surface import Surface

__all__ = [
    "DEFAULT_VIEW",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NODES",
    "START_CANDIDATES",
    "ExpressionError",
    "compile_expression",
    "normalize",
    "parse_expression",
]

DEFAULT_VIEW = (-3.0, 3.0, -3.0, 3.0)
START_CANDIDATES = (
    (-2.0, 2.0),
    (2.0, 2.0),
    (2.0, -2.0),
    (-2.0, -2.0),
    (-1.0, 1.0),
    (1.0, 1.0),
    (0.5, 0.5),
    (-0.5, 0.5),
    (0.5, -0.5),
    (-0.5, -0.5),
    (0.1, 0.1),
)
_LOSS_MARK = "# <LOSS>"
_LOSS_NAME = "loss_value_grad"
_KINKED = {"abs", "sign", "min", "max", "relu", "hypot"}

_lock = threading.Lock()
_surfaces: dict[str, Surface] = {}
_by_formula: dict[str, ExpressionKernels] = {}


def parse_expression(text: str) -> tuple[Node, Node]:
    """(tree as typed, tree with constants folded), or ExpressionError; has no side effects."""
    tree = _parse(text)
    return tree, fold(tree)


def normalize(text: str) -> str:
    """The canonical text of an expression: ``"w1^2+10*w2 ^2"`` → ``"x^2 + 10*y^2"``."""
    return _render(_parse(text))


def _functions_used(node: Node, out: set[str]) -> set[str]:
    for child in getattr(node, "args", ()) or ():
        _functions_used(child, out)
    for name in ("operand", "left", "right"):
        child = getattr(node, name, None)
        if child is not None:
            _functions_used(child, out)
    func = getattr(node, "func", None)
    if func:
        out.add(func)
    return out


def _cache_folder() -> Path:
    from engine import _cache

    return Path(_cache.CACHE_DIR) / "expressions"


def _module_key(formula: str, kernels: str, shared: list[str]) -> str:
    """Hash of what the module computes and of every source that shapes its text.

    Reads the generator's files without importing them: a cached formula loads without sympy.
    """
    here = Path(__file__).parent
    digest = hashlib.sha256()
    sources = ("_parser.py", "_symbolic.py", "expressions.py")
    generator = b"".join((here / name).read_bytes() for name in sources)
    for part in (formula.encode(), kernels.encode(), ",".join(shared).encode(), generator):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def _import(path: Path, name: str, source: str) -> ModuleType:
    """Run a generated module's checked ``source`` under a stable name (numba's cache refers to it).

    Executed from the text that was checked, never from a ``.pyc`` (which Python trusts on
    its time stamp alone).
    """
    if name in sys.modules:
        return sys.modules[name]
    module = ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)  # our generated, sealed text
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _checked_source(path: Path, formula: str) -> str | None:
    """The text of a cached module if its seal holds and it computes ``formula``; else None.

    A file that fails is moved aside with a one-line note (engine._cache.move_aside).
    """
    from engine._cache import move_aside, unseal_source

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    source = unseal_source(path.name, data)
    if source is None:
        move_aside(path, "damaged (its seal does not match)")
        return None
    if not source.startswith(_header_line(formula) + "\n"):
        move_aside(path, "for another expression")
        return None
    return source


def _header_line(formula: str) -> str:
    return f"# Generated by engine.expressions for: L = {formula}"


def _cached_module(
    path: Path, name: str, make_source: Callable[[], str], formula: str | None = None
) -> ModuleType:
    """Import a generated module, writing it first if it is not on disk (sympy runs only then).

    The file is sealed to its name and carries its expression; both are checked before it
    runs, so a damaged or swapped module is moved aside and written again. An existing good
    file is never rewritten (that would change its timestamp and make numba discard its cache).
    """
    from engine._cache import mark_used

    if name in sys.modules:
        return sys.modules[name]
    source = _checked_source(path, formula) if formula is not None else _unsealed(path)
    if source is not None:
        try:
            module = _import(path, name, source)
        except Exception:  # pragma: no cover - a sealed file we wrote always runs
            sys.modules.pop(name, None)
        else:
            mark_used(path)
            return module
    source = make_source()
    _write_module(path, source)
    return _import(path, name, source)


def _write_module(path: Path, source: str) -> None:
    """Write a generated module sealed to its name, then keep the cache to its size."""
    from engine._cache import prune_expressions, seal_source
    from engine.atomic import atomic_write_text

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, seal_source(path.name, source))
    prune_expressions(path.parent)  # the new module is the most recently used: never pruned


def _unsealed(path: Path) -> str | None:
    """A cached module's text when no expression is given to check (tests of the pruning)."""
    from engine._cache import unseal_source

    try:
        return unseal_source(path.name, path.read_bytes())
    except FileNotFoundError:
        return None


def _light_source(function_source: str, formula: str) -> str:
    """Just the loss, compiled against the function type the shared runner takes."""
    marker = "def loss_value_grad(loss_id, x, y, p):"
    lines = function_source.splitlines()
    i = lines.index(marker)
    decorator = lines[i - 1]
    if not decorator.startswith("@njit(") or not decorator.endswith(")"):  # pragma: no cover
        raise RuntimeError("unexpected loss source from engine._symbolic")
    lines[i - 1] = "@njit(LOSS_SIGNATURE, " + decorator[len("@njit(") :]
    header = [
        _header_line(formula),
        "# The loss alone; engine._fn_kernels runs it. Safe to delete.",
        "import math",
        "",
        "from numba import njit",
        "",
        "from engine._loss_type import LOSS_SIGNATURE",
        "",
    ]
    return "\n".join([*header, *lines]) + "\n"


def _light_module_place(formula: str) -> tuple[Path, str]:
    """Where the formula's loss module is cached, and the name it runs under."""
    runner = Path(__file__).with_name("_fn_kernels.py").read_text(encoding="utf-8")
    key = _module_key(formula, runner, ["light"])
    return _cache_folder() / f"loss_{key}.py", f"optimizer_lab_loss_{key}"


def _machine_code_cached(path: Path) -> bool:
    """Whether numba's index for the module's loss is in the cache (``prune_expressions`` names it so)."""
    return any(path.parent.parent.glob(f"{path.parent.name}_*/{path.stem}.{_LOSS_NAME}-*.nbi"))


def build_light_module(function_source: str, formula: str, path: Path, name: str) -> None:
    """Write the formula's loss module and have numba compile it into the disk cache.

    Runs in the bounded compile child (``engine._compile_child``): numba holds the GIL while it
    compiles (seconds for a long formula), which stalled the window when it ran there. The app
    then only loads the machine code (``_load_light_module``).
    """
    source = _light_source(function_source, formula)
    if _checked_source(path, formula) != source:
        _write_module(path, source)
    _import(path, name, source)  # @njit with a signature: compiled (and cached) now


def _load_light_module(folded: Node, formula: str) -> ModuleType:
    """The expression's loss alone: what the window and single runs need.

    A formula not in the disk cache is differentiated and compiled in the bounded child process,
    which leaves the module and its machine code in the cache; this process only loads them.
    """
    from engine import _cache
    from engine._compile_child import compile_in_child

    path, name = _light_module_place(formula)
    if name in sys.modules:
        return sys.modules[name]
    source = _checked_source(path, formula)
    if source is None or not _machine_code_cached(path):  # e.g. a compile stopped at its limit
        function_source, built = compile_in_child(
            formula, build=(str(_cache.CACHE_DIR), str(path), name, formula)
        )
        source = _checked_source(path, formula) if built else None
        if source is None:  # the child could not use this cache: numba compiles here, unbounded
            _cache.note(
                "a typed loss is compiled in this process: the compile process could not use "
                "the kernel cache",
                key="compile-here",
            )
            source = _light_source(function_source, formula)
            _write_module(path, source)
    module = _import(path, name, source)
    _cache.mark_used(path)
    return module


Array = Any  # a float64 numpy array, as the kernels take it


class ExpressionKernels:
    """The kernel interface of ``engine._kernels`` for one expression.

    Everything goes through the shared function-pointer runners of ``engine._fn_kernels`` and
    ``engine._fn_batch``, compiled once and cached on disk, so no formula compiles a runner in this
    process (numba would hold the GIL for seconds, beyond the compile child's limits).
    """

    def __init__(self, light: ModuleType) -> None:
        from engine import _fn_kernels

        self._fn = _fn_kernels
        self.loss_value_grad = light.loss_value_grad
        self.ZERO_GRADIENT = light.ZERO_GRADIENT

    def init_state(self, loss_id: int, P: Array, H: Array, x0: float, y0: float, S: Array) -> None:
        self._fn.init_state_fn(self.loss_value_grad, P, H, float(x0), float(y0), S)

    def run_chunk(
        self,
        loss_id: int,
        P: Array,
        opt: int,
        H: Array,
        kind: int,
        sp: Array,
        S: Array,
        n: int,
        tol: float,
        row0: int,
        stride: int,
        pin: int,
        *arrays: Array,
    ) -> tuple[int, int]:
        return self._fn.run_chunk_fn(
            self.loss_value_grad, P, opt, H, kind, sp, S, n, float(tol), row0, stride, pin, *arrays
        )

    def loss_grid(self, loss_id: int, P: Array, xs: Array, ys: Array, out: Array) -> None:
        self._fn.loss_grid_fn(self.loss_value_grad, P, xs, ys, out)

    def run_batch(
        self, loss_id: int, P: Array, opt: int, Hs: Array, kind: int, sp: Array, *rest: Any
    ) -> None:
        from engine import _fn_batch

        starts, steps, tol, *outputs = rest
        _fn_batch.run_batch_fn(
            self.loss_value_grad, P, opt, Hs, kind, sp, starts, int(steps), float(tol), *outputs
        )


def _choose_start(module: ModuleType) -> tuple[float, float]:
    import numpy as np

    p = np.zeros(1)
    for x, y in START_CANDIDATES:
        values = module.loss_value_grad(0, x, y, p)
        if all(np.isfinite(values)):
            return x, y
    return START_CANDIDATES[0]


def compile_expression(text: str) -> Surface:
    """A ``Surface`` for a formula typed by the user, or ExpressionError saying what is wrong.

    Thread-safe; the same text twice gives the same Surface at once. See the module
    docstring for the accepted language, the subgradients and the view window.
    """
    if not isinstance(text, str):
        raise ExpressionError(msg("the expression must be text, got {type}", type=type(text).__name__))
    stripped = text.strip()
    surface = _surfaces.get(stripped)
    if surface is not None:
        return surface
    tree, folded = parse_expression(stripped)
    formula = _render(tree)
    with _lock:
        surface = _surfaces.get(stripped)
        if surface is not None:
            return surface
        module = _by_formula.get(formula)
        if module is None:  # texts that differ only in spacing share one compiled module
            module = _by_formula[formula] = ExpressionKernels(_load_light_module(folded, formula))
        # messages, so the window and an export show them in the interface's language
        notes = []
        if not has_variables(tree):
            notes.append(msg("L does not depend on x or y: the gradient is zero everywhere."))
        elif module.ZERO_GRADIENT:
            notes.append(msg("The gradient of L is zero everywhere, so no optimizer will move."))
        if _functions_used(tree, set()) & _KINKED:
            notes.append(
                msg(
                    "At kinks the gradient is a subgradient: abs'(0) = 0, relu'(0) = 0, "
                    "max/min on a tie take half of each side."
                )
            )
        note = notes[0] if notes else ""
        for more in notes[1:]:
            note = msg("{note} {more}", note=note, more=more)
        surface = Surface(
            name="custom",
            title=msg("Custom loss"),
            formula=f"L = {formula}",
            view=DEFAULT_VIEW,
            start=_choose_start(module),
            kernels_module=module,
            kernel_id=0,
            expression=stripped,
            note=note,
        )
        _surfaces[stripped] = surface
    return surface
