"""Where numba keeps compiled kernels, and why what it loads from there can be trusted.

numba's cache index (``*.nbi``) is a pickle and its data files (``*.nbc``) hold machine
code: whoever can write the cache folder can run code in the app, and one damaged file
can abort the process while numba links it. So:

* **Private.** The cache is a per-user folder created 0700 (platformdirs' user cache, or
  ``OPTIMIZER_LAB_CACHE_DIR``), used only if it is ours, not a symbolic link, writable by
  no one else, and every folder above it belongs to root or us and is writable by no one
  else (a sticky ``/tmp`` is fine). Otherwise the kernels go to a folder made for this
  session by ``mkdtemp`` (exclusive, 0700) and deleted at exit — never a fixed name under
  the shared temporary folder, which another user could create first — and a one-line note
  says so.
* **Sealed.** Every file numba writes there starts with a seal: a magic tag and the SHA-256
  of the file's name and content. The seal is checked before numba unpickles anything;
  an empty, truncated, random, bit-flipped, renamed or foreign file is moved to
  ``damaged/`` with a one-line note and the kernel is compiled again. The generated
  typed-loss modules carry the same kind of seal and their expression (engine.expressions).
* **Versioned.** The folder name carries a hash of the kernel sources and of this cache
  format: numba only checks the timestamp of the file that defines a kernel, not of the
  files it calls into, so an upgrade would otherwise load stale machine code.
* **Machine-wide, read-only.** A lab can fill a cache once (``optimizer-lab-cli cache
  --fill``); each start copies what the private cache lacks from it, checking every seal,
  and only if it and every folder above it belong to root, us or the owner of the installed
  code and are writable by no one else (see :func:`machine_cache_dirs`).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.abc
import importlib.util
import io
import os
import pickle
import shutil
import stat
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

APP_NAME = "optimizer-lab"
# Bump when the layout or the seal of cached files changes: old caches are then left alone
# (and pruned after STALE_VERSION_DAYS) instead of being reported as damaged.
CACHE_FORMAT = 2
# Typed losses whose compiled code is kept (a module each for single runs and for sweeps):
# a course types dozens; a shared lab account over a term, thousands.
MAX_EXPRESSION_MODULES = 200
# A cache of another version of the kernels is deleted once no start has used it for this long
# (an upgrade leaves the old one behind; two installs in use keep theirs).
STALE_VERSION_DAYS = 60
# Damaged files kept for a post-mortem (the oldest go first).
MAX_DAMAGED_FILES = 20
MACHINE_CACHE_ENV = "OPTIMIZER_LAB_MACHINE_CACHE"
_KERNEL_SOURCES = (
    "_ids.py",
    "state.py",
    "_kernels.py",
    "_surfaces.py",
    "_fn_kernels.py",
    "_fn_batch.py",
    "_fn_steps.py",
    "_loss_type.py",
    "_stochastic.py",
)
_SEAL_MAGIC = b"OLABNB2\n"
_SEAL_LENGTH = len(_SEAL_MAGIC) + 32
_SOURCE_SEAL = "# optimizer-lab seal sha256="

_said: set[str] = set()
NOTES: list[str] = []  # the one-line notes of this process, for the About box and tests


def note(text: str, key: str | None = None) -> None:
    """Print a one-line note on stderr, once per ``key`` (default: the text) per process."""
    key = key or text
    if key in _said:
        return
    _said.add(key)
    NOTES.append(text)
    print(f"optimizer-lab: {text}", file=sys.stderr, flush=True)


def _user_cache_root() -> Path:
    try:
        from platformdirs import user_cache_dir
    except ImportError:  # pragma: no cover - platformdirs is a declared dependency
        return Path.home() / ".cache" / APP_NAME
    return Path(user_cache_dir(APP_NAME, appauthor=False))


def source_fingerprint() -> str:
    """Hash of the kernel sources and the cache format, so a change never loads old machine code."""
    here = Path(__file__).parent
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for name in _KERNEL_SOURCES:
        path = here / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# -- who may have written a folder -------------------------------------------------------------
def _posix() -> bool:
    return hasattr(os, "geteuid")


def _others_can_write(mode: int) -> bool:
    return bool(mode & (stat.S_IWGRP | stat.S_IWOTH))


def _owner_name(uid: int) -> str:
    try:
        import pwd

        return f"user {pwd.getpwuid(uid).pw_name}"
    except (ImportError, KeyError):
        return f"uid {uid}"


def _ancestors_problem(folder: Path, owners: set[int]) -> str | None:
    """Why a folder above ``folder`` (resolved) lets someone else swap it, or None."""
    for above in [folder, *folder.parents]:
        try:
            st = os.stat(above)
        except OSError as exc:
            return f"{above} cannot be checked ({exc.strerror})"
        if st.st_uid not in owners:
            return f"{above} belongs to {_owner_name(st.st_uid)}"
        if _others_can_write(st.st_mode) and not st.st_mode & stat.S_ISVTX:
            return f"others can write to {above}"
    return None


def _folder_problem(path: Path, owners: set[int]) -> str | None:
    """Why ``path`` (a folder, not followed if a link) is not safe to load code from, or None."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"{path} cannot be checked ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return f"{path} is a symbolic link"
    if not stat.S_ISDIR(st.st_mode):
        return f"{path} is not a folder"
    if st.st_uid not in owners:
        return f"{path} belongs to {_owner_name(st.st_uid)}"
    if _others_can_write(st.st_mode):
        return f"others can write to {path}"
    return None


def _make_private(path: Path) -> str | None:
    """Create ``path`` (and missing folders above it) 0700 and check it; None if it is usable.

    A folder of ours that others could write to (made by an older version under a 002
    umask) is tightened to 0700 and emptied: what it holds cannot be trusted.
    """
    path = Path(os.path.abspath(path))
    parent = Path(os.path.realpath(path.parent))
    path = parent / path.name
    missing = []
    for folder in [path, *path.parents]:
        if os.path.lexists(folder):
            break
        missing.append(folder)
    try:
        for folder in reversed(missing):
            os.mkdir(folder, 0o700)
    except FileExistsError:
        pass  # another start made it at the same moment: checked below like any other
    except OSError as exc:
        return f"{path} cannot be created ({exc.strerror})"
    if not _posix():
        return None if os.access(path, os.W_OK) else f"{path} is not writable"
    me = os.geteuid()
    problem = _ancestors_problem(parent, {0, me})
    if problem:
        return problem
    st = os.lstat(path)
    if stat.S_ISDIR(st.st_mode) and st.st_uid == me and _others_can_write(st.st_mode):
        try:
            os.chmod(path, 0o700)
            for child in path.iterdir():
                _remove(child)
        except OSError as exc:
            return f"others can write to {path} and it cannot be fixed ({exc.strerror})"
        note(f"the kernel cache {path} was writable by others: it is now 0700 and was emptied")
    problem = _folder_problem(path, {me})
    if problem:
        return problem
    if not os.access(path, os.W_OK | os.X_OK):
        return f"{path} is not writable"
    return None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _session_cache() -> Path:
    """A cache folder for this session only: made by mkdtemp (exclusive, 0700), deleted at exit."""
    folder = Path(tempfile.mkdtemp(prefix=f"{APP_NAME}-kernels-"))
    owner = os.getpid()

    def _delete() -> None:
        if os.getpid() == owner:  # not in a forked child
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(_delete)
    os.environ["OPTIMIZER_LAB_CACHE_DIR"] = str(folder)  # child processes share it, silently
    return folder


# -- sealed files --------------------------------------------------------------------------------
def _seal_digest(name: str, payload: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\0" + payload).digest()


def seal(name: str, payload: bytes) -> bytes:
    """``payload`` with a header binding it to the file name ``name``."""
    return _SEAL_MAGIC + _seal_digest(name, payload) + payload


def unseal(name: str, data: bytes) -> bytes | None:
    """The payload of a sealed file called ``name``, or None if the seal does not hold."""
    if len(data) < _SEAL_LENGTH or not data.startswith(_SEAL_MAGIC):
        return None
    payload = data[_SEAL_LENGTH:]
    if data[len(_SEAL_MAGIC) : _SEAL_LENGTH] != _seal_digest(name, payload):
        return None
    return payload


def seal_source(name: str, source: str) -> str:
    """A generated module's text with a first line that seals it to its file name."""
    digest = hashlib.sha256(name.encode() + b"\0" + source.encode("utf-8")).hexdigest()
    return f"{_SOURCE_SEAL}{digest}\n{source}"


def unseal_source(name: str, data: bytes) -> str | None:
    """The text after the seal line of a generated module, or None if it does not hold."""
    head, newline, rest = data.partition(b"\n")
    if not newline or not head.startswith(_SOURCE_SEAL.encode()):
        return None
    digest = hashlib.sha256(name.encode() + b"\0" + rest).hexdigest()
    if head[len(_SOURCE_SEAL) :].decode("ascii", "replace") != digest:
        return None
    try:
        return rest.decode("utf-8")
    except UnicodeDecodeError:  # pragma: no cover - the digest matched text we wrote
        return None


def _current_cache_dir() -> str | None:
    """CACHE_DIR of the engine._cache in use (the hooks outlive a re-import of the engine)."""
    current = sys.modules.get(__name__)
    folder = getattr(current, "CACHE_DIR", None)
    return None if folder is None else str(folder)


def move_aside(path: Path, reason: str) -> None:
    """Move a damaged cache file to ``damaged/`` beside the kernels and say so once."""
    damaged = Path(_current_cache_dir() or path.parent) / "damaged"
    target = damaged / f"{path.name}.{time.strftime('%Y%m%d-%H%M%S')}.{uuid.uuid4().hex[:6]}"
    try:
        damaged.mkdir(mode=0o700, exist_ok=True)
        os.replace(path, target)
        kept = sorted(damaged.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in kept[:-MAX_DAMAGED_FILES]:
            old.unlink()
        where = f"moved to {damaged}"
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        where = "deleted"
    say = getattr(sys.modules.get(__name__), "note", note)
    say(f"cached kernel {path.name} was {reason}: {where}; compiling it again", key="damaged")


def _ours(path: str) -> bool:
    folder = _current_cache_dir()
    try:
        return folder is not None and os.path.commonpath([os.path.abspath(path), folder]) == folder
    except ValueError:  # another drive
        return False


def _read_sealed(path: str) -> bytes | None:
    """The payload of a sealed cache file; None after moving a bad one aside.

    FileNotFoundError propagates (numba's "not cached yet")."""
    with open(path, "rb") as fh:
        data = fh.read()
    payload = unseal(os.path.basename(path), data)
    if payload is None:
        reason = "empty" if not data else "damaged (its seal does not match)"
        move_aside(Path(path), reason)
    return payload


def _patch_numba_caching(caching: ModuleType) -> None:
    """Make numba seal what it writes in our cache and check the seal before it loads.

    Only files under CACHE_DIR are touched; a notebook's own numba caches elsewhere are not.
    """
    cls = caching.IndexDataCacheFile
    if getattr(cls, "_optimizer_lab_sealed", False):
        return
    load_index, load_data, open_for_write = cls._load_index, cls._load_data, cls._open_for_write

    def _load_index(self: Any) -> dict[Any, Any]:
        if not _ours(self._index_path):
            return load_index(self)
        try:
            payload = _read_sealed(self._index_path)
        except FileNotFoundError:
            return {}
        if payload is None:
            return {}
        try:
            stream = io.BytesIO(payload)
            version = pickle.load(stream)
            if version != self._version:
                return {}
            stamp, overloads = pickle.loads(stream.read())
        except Exception:  # sealed yet unreadable: written by a broken numba; start over
            move_aside(Path(self._index_path), "unreadable")
            return {}
        caching._cache_log("[cache] sealed index loaded from %r", self._index_path)
        return overloads if stamp == self._source_stamp else {}

    def _load_data(self: Any, name: str) -> Any:
        path = self._data_path(name)
        if not _ours(path):
            return load_data(self, name)
        payload = _read_sealed(path)
        if payload is None:
            raise OSError(f"{path} was damaged")  # numba's load() then compiles afresh
        try:
            data = pickle.loads(payload)
            caching._cache_log("[cache] sealed data loaded from %r", path)
            return data
        except Exception as exc:
            move_aside(Path(path), "unreadable")
            raise OSError(f"{path} was unreadable") from exc

    @contextlib.contextmanager
    def _open_for_write(self: Any, filepath: str) -> Iterator[Any]:
        if not _ours(filepath):
            with open_for_write(self, filepath) as fh:
                yield fh
            return
        buffer = io.BytesIO()
        yield buffer
        tmp = f"{filepath}.tmp.{uuid.uuid4().hex[:16]}"
        try:
            with open(tmp, "wb") as fh:
                fh.write(seal(os.path.basename(filepath), buffer.getvalue()))
            os.replace(tmp, filepath)
        except Exception:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    cls._load_index, cls._load_data, cls._open_for_write = _load_index, _load_data, _open_for_write
    cls._optimizer_lab_sealed = True


class _SealNumbaOnImport(importlib.abc.MetaPathFinder):
    """Patches numba's cache files class as numba imports it (so ``import engine`` stays light)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "numba.core.caching":
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:  # pragma: no cover
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def _exec_and_patch(module: ModuleType) -> None:
            exec_module(module)
            _patch_numba_caching(module)
            _copy_pending_from_machine()  # before numba reads any index: here, not at import engine

        loader.exec_module = _exec_and_patch  # type: ignore[method-assign]
        return spec


def _install_seal() -> None:
    caching = sys.modules.get("numba.core.caching")
    if caching is not None:  # numba imported first (e.g. in a notebook)
        _patch_numba_caching(caching)
    elif not any(isinstance(f, _SealNumbaOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _SealNumbaOnImport())


# -- the machine-wide cache ----------------------------------------------------------------------
def machine_cache_dirs() -> list[Path]:
    """Where a filled machine-wide cache is looked for, first found first used.

    ``OPTIMIZER_LAB_MACHINE_CACHE`` if set (empty: none); else ``<sys.prefix>/var/cache/
    optimizer-lab`` (beside a virtual environment or the offline install; for a standalone
    build, ``var/cache/optimizer-lab`` in the app's folder, beside its programs) and the
    system's site cache (``/var/cache/optimizer-lab`` on Linux).
    """
    if MACHINE_CACHE_ENV in os.environ:
        value = os.environ[MACHINE_CACHE_ENV]
        return [Path(value)] if value else []
    # a PyInstaller build's sys.prefix is its hidden _internal folder: use the folder people see
    install = Path(sys.executable).parent if getattr(sys, "frozen", False) else Path(sys.prefix)
    places = [install / "var" / "cache" / APP_NAME]
    with contextlib.suppress(ImportError):
        from platformdirs import site_cache_dir

        places.append(Path(site_cache_dir(APP_NAME, appauthor=False)))
    return places


def _trusted_owners() -> set[int]:
    """Root, us, and whoever owns the installed code (they could change it anyway)."""
    owners = {0, os.geteuid()}
    with contextlib.suppress(OSError):
        owners.add(os.stat(__file__).st_uid)
    return owners


def machine_cache_problem(folder: Path) -> str | None:
    """Why the machine cache ``folder`` (``<dir>/numba-<fingerprint>``) may not be used, or None."""
    if not _posix():  # no owners to check: only a folder the user named explicitly
        explicit = MACHINE_CACHE_ENV in os.environ
        return None if explicit else f"owners are not checked on this system; set {MACHINE_CACHE_ENV}"
    owners = _trusted_owners()
    problem = _ancestors_problem(Path(os.path.realpath(folder.parent)), owners)
    if problem:
        return problem
    for path in [folder, *(p for p in folder.rglob("*") if p.is_dir() or p.is_symlink())]:
        if problem := _folder_problem(path, owners):
            return problem
    return None


#: The private cache still to be filled from the machine cache, when numba loads (see configure_cache_dir).
_machine_copy_for: Path | None = None


def _copy_pending_from_machine() -> None:
    global _machine_copy_for
    path, _machine_copy_for = _machine_copy_for, None
    if path is not None:
        _copy_from_machine(path)


def _copy_from_machine(private: Path) -> int:
    """Copy the sealed kernels the private cache lacks from a trusted machine cache; how many."""
    for root in machine_cache_dirs():
        folder = root / private.name
        if not folder.is_dir():
            continue
        if problem := machine_cache_problem(folder):
            note(f"machine-wide kernel cache ignored: {problem}", key="machine")
            return 0
        copied = 0
        owners = _trusted_owners()
        for source in folder.rglob("*"):
            if source.suffix not in (".nbi", ".nbc"):
                continue
            target = private / source.relative_to(folder)
            if target.exists():
                continue
            try:
                st = os.lstat(source)
                if not stat.S_ISREG(st.st_mode) or st.st_uid not in owners or _others_can_write(st.st_mode):
                    continue
                data = source.read_bytes()
                if unseal(source.name, data) is None:
                    continue  # a damaged file there: compile it here instead
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                tmp = target.with_name(f"{target.name}.tmp.{uuid.uuid4().hex[:16]}")
                tmp.write_bytes(data)
                os.replace(tmp, target)
                copied += 1
            except OSError:
                continue
        return copied
    return 0


# -- upkeep --------------------------------------------------------------------------------------
def clear_cache(path: Path) -> None:
    """Delete and recreate the cache folder (numba then compiles afresh)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def mark_used(path: Path) -> None:
    """Record a use in the access time only: numba keys its cache on the modification time."""
    try:
        stat_ = path.stat()
        os.utime(path, ns=(time.time_ns(), stat_.st_mtime_ns))
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
    """Choose and check the kernel cache, point numba at it, seal what numba writes there.

    Respects an explicit ``OPTIMIZER_LAB_CACHE_DIR`` (tests, portable installs), checked
    like the default.
    """
    global CACHE_DIR, _machine_copy_for
    explicit = os.environ.get("OPTIMIZER_LAB_CACHE_DIR")
    root = Path(explicit) if explicit else _user_cache_root()
    path = root / f"numba-{source_fingerprint()}"
    problem = _make_private(root) or _make_private(path)
    if problem:
        session = _session_cache()
        note(
            f"kernel cache not used ({problem}); compiled kernels are kept for this session "
            f"only (set OPTIMIZER_LAB_CACHE_DIR to a folder of yours to keep them)",
            key="private",
        )
        path = session / f"numba-{source_fingerprint()}"
        path.mkdir(mode=0o700)
    CACHE_DIR = path
    # The kernels a fresh account lacks are copied (and their seals checked) when numba itself
    # loads, not here: ``import engine`` comes before the window's first paint, numba after it,
    # in the worker thread. A copy here cost a fresh lab account's first paint 20 ms of CPU and
    # ~60 ms of writing on a loaded machine.
    _machine_copy_for = path
    _install_seal()
    if "numba.core.caching" in sys.modules:  # numba imported first (a notebook): copy now
        _copy_pending_from_machine()
    mark_used(path)
    prune_stale_versions(path)
    os.environ["NUMBA_CACHE_DIR"] = str(path)
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:  # numba imported first (e.g. in a notebook): set it live
        numba_config.CACHE_DIR = str(path)
    return path


CACHE_DIR: Path = configure_cache_dir()
