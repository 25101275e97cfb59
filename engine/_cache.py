"""Where numba keeps compiled kernels.

The cache must live in a user-writable directory so a read-only install (a lab
machine, a system package) still starts from cache instead of recompiling. The
directory name carries a hash of the kernel sources: numba only checks the
timestamp of the file that defines a kernel, not of the files it calls into, so
an upgrade that changes a loss but not the runner would otherwise load stale
machine code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickletools
import shutil
import sys
import tempfile
import time
from pathlib import Path

APP_NAME = "optimizer-lab"
# Typed losses whose compiled code is kept (a module each for single runs and for sweeps):
# a course types dozens; a shared lab account over a term, thousands.
MAX_EXPRESSION_MODULES = 200
# A cache of another version of the kernels is deleted once no start has used it for this long
# (an upgrade leaves the old one behind; two installs in use keep theirs).
STALE_VERSION_DAYS = 60
_KERNEL_SOURCES = ("_ids.py", "_kernels.py", "_surfaces.py", "_fn_kernels.py")


def _user_cache_root() -> Path:
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - platformdirs is a declared dependency
        return Path.home() / ".cache" / APP_NAME
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def source_fingerprint() -> str:
    """Hash of the kernel sources, so a changed engine never loads old machine code."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _KERNEL_SOURCES:
        path = here / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _index_is_whole(index: Path) -> bool:
    """numba unpickles ``*.nbi`` without catching errors: a half-written one breaks every start.

    The pickles are walked opcode by opcode (``pickletools``), never loaded, so checking
    imports nothing (numba's classes live in them) and executes nothing.
    """
    try:
        stream = io.BytesIO(index.read_bytes())
        for _op in pickletools.genops(stream):  # numba's version tag
            pass
        names = [
            arg
            for _op, arg, _pos in pickletools.genops(io.BytesIO(stream.read()))  # (stamp, overloads)
            if isinstance(arg, str) and arg.endswith(".nbc")
        ]
    except (OSError, ValueError):
        return False
    return all((index.parent / name).is_file() for name in names)


def repair_cache(path: Path) -> bool:
    """Empty the cache folder if an index is truncated or names a missing file; True if it did.

    The scan costs milliseconds; a crash mid-write (or a full disk) would otherwise make
    every later start fail until the user found and deleted the folder by hand.
    """
    if all(_index_is_whole(p) for p in path.rglob("*.nbi")):
        return False
    clear_cache(path)
    return True


def clear_cache(path: Path) -> None:
    """Delete and recreate the cache folder (numba then compiles afresh)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)


def mark_used(path: Path) -> None:
    """Record a use in the access time only: numba keys its cache on the modification time."""
    try:
        stat = path.stat()
        os.utime(path, ns=(time.time_ns(), stat.st_mtime_ns))
    except OSError:
        pass  # a read-only cache still works; it is just never pruned


def prune_expressions(folder: Path, keep: int | None = None) -> list[str]:
    """Delete the least recently used generated modules beyond ``keep``, with numba's files.

    numba keeps a module's machine code beside the other generated modules' in
    ``<cache>/expressions_<hash of the folder path>/<module>.<function>-….nbi/.nbc``.
    Returns the names of the modules deleted. ``keep`` defaults to MAX_EXPRESSION_MODULES.
    """
    keep = MAX_EXPRESSION_MODULES if keep is None else keep
    try:
        modules = sorted(folder.glob("*.py"), key=lambda p: p.stat().st_atime_ns, reverse=True)
    except OSError:
        return []
    gone = []
    for module in modules[keep:]:
        try:
            module.unlink()
            for machine_code in folder.parent.glob(f"{folder.name}_*/{module.stem}.*"):
                machine_code.unlink()
        except OSError:
            continue  # in use on another platform, or read-only: try again next time
        gone.append(module.stem)
    return gone


def prune_stale_versions(current: Path, days: float = STALE_VERSION_DAYS) -> list[str]:
    """Delete caches of other kernel versions beside ``current`` that no start used for ``days``."""
    cutoff = time.time() - days * 86400
    gone = []
    for other in current.parent.glob("numba-*"):
        try:
            if other == current or not other.is_dir() or other.stat().st_atime >= cutoff:
                continue
        except OSError:
            continue
        shutil.rmtree(other, ignore_errors=True)
        gone.append(other.name)
    return gone


def configure_cache_dir() -> Path:
    """Point numba's cache at the user cache dir; falls back to the temp dir if that is read-only.

    Respects an explicit ``OPTIMIZER_LAB_CACHE_DIR`` (tests, portable installs).
    """
    root = Path(os.environ.get("OPTIMIZER_LAB_CACHE_DIR") or _user_cache_root())
    path = root / f"numba-{source_fingerprint()}"
    if not _writable(path):
        path = Path(tempfile.gettempdir()) / APP_NAME / f"numba-{source_fingerprint()}"
        path.mkdir(parents=True, exist_ok=True)
    repair_cache(path)
    mark_used(path)
    prune_stale_versions(path)
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:  # numba imported first (e.g. in a notebook): set it live
        numba_config.CACHE_DIR = str(path)
    return path


CACHE_DIR = configure_cache_dir()
