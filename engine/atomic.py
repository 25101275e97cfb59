"""Atomic, verified file writes: a crash or a full disk never leaves half a file in place of a good one.

Every file the app writes (sessions, exports, data) goes through here:

1. The data goes to a temporary file beside the target, named ``.<name>.olab-tmp-<pid>-<token><suffix>``
   so it is recognisably ours and keeps the target's suffix (ffmpeg picks its format by it).
2. The file gets the mode a normal write would give it: ``0666 & ~umask`` for a new file (the
   kernel applies the umask and default ACLs at creation, exactly as for ``open(path, "w")``),
   the old file's mode (and, where allowed, owner and group) when replacing one.
   ``tempfile.mkstemp`` would leave ``0600`` — owner-only files a teacher cannot share.
3. Before the rename the data is fsynced and the file's size compared with what was written: a
   short write (a full disk, a quota) raises ``WriteError`` in words and the old file stays untouched.
4. ``os.replace`` puts it in place, then the folder is fsynced so the rename survives a power cut.

Temporary files left by a killed process are removed by ``clean_leftovers``: only names of our
pattern, only files owned by this user, only when the process that wrote them is gone (or a day
has passed), and only in folders we write to — each folder is cleaned on the first write into it,
and the window cleans its remembered folders when it starts.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.messages import msg, os_reason

__all__ = [
    "PendingFile",
    "WriteError",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_mp4",
    "clean_leftovers",
    "is_leftover_name",
]

#: The marker in every temporary file name (``.<name>.olab-tmp-<pid>-<token><suffix>``).
TMP_MARK = ".olab-tmp-"
#: A leftover whose writer is gone is removed once it is this old (seconds): a writer on another
#: machine sharing the folder (NFS) has a pid we cannot check, but it touches its file as it writes.
GRACE_SECONDS = 60.0
#: Any leftover of ours this old is removed even if its pid is alive again (pids are reused).
MAX_AGE_SECONDS = 24 * 3600.0
#: Names written by the previous version (``tempfile.mkstemp``: ``.<name>.<8 chars>.tmp``), for files
#: whose suffix is one we write; removed only when older than an hour.
_LEGACY_SUFFIXES = (".olab.json", ".json", ".csv", ".npz", ".png", ".svg", ".gif", ".mp4", ".py")
_LEGACY_AGE_SECONDS = 3600.0

_TMP_NAME = re.compile(
    r"^\..+" + re.escape(TMP_MARK) + r"(?P<pid>\d{1,10})-[0-9a-f]{8}(\.[A-Za-z0-9]{1,8})?$"
)
_LEGACY_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
#: Room left in a 255-byte file name for the marker, pid, token and suffix.
_MAX_STEM = 160

_cleaned: set[str] = set()


class WriteError(OSError):
    """A write that did not complete; the message (a translatable ``Msg``) names the path and why.

    ``errno`` is the operating system's code when there is one (``ENOSPC`` for a full disk).
    """


def _error(path: Path, exc: OSError) -> WriteError:
    err = WriteError(msg("cannot write {path}: {reason}", path=str(path), reason=os_reason(exc)))
    err.errno = exc.errno
    return err


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _temp_name(path: Path) -> str:
    name = path.name
    suffix = path.suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", path.suffix) else ""
    stem = name.encode("utf-8")[:_MAX_STEM].decode("utf-8", "ignore")
    return f".{stem}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}{suffix}"


def is_leftover_name(name: str) -> bool:
    """Whether ``name`` is one of our temporary file names (current or previous pattern)."""
    if _TMP_NAME.match(name):
        return True
    legacy = _LEGACY_NAME.match(name)
    return bool(legacy and legacy.group("name").lower().endswith(_LEGACY_SUFFIXES))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid < 2**31  # another user's live process
    return True


def clean_leftovers(folder: str | Path, *, now: float | None = None) -> list[Path]:
    """Remove our temporary files in ``folder`` whose writer was killed; return what was removed.

    Only regular files (never symlinks) owned by this user with our name pattern are touched, and
    only when their process is gone and they are over ``GRACE_SECONDS`` old, or are over
    ``MAX_AGE_SECONDS`` old. Problems (a folder we cannot list) are ignored: cleaning is a courtesy.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    uid = os.geteuid()
    for entry in entries:
        name = entry.name
        if TMP_MARK not in name and not name.endswith(".tmp"):
            continue
        current = _TMP_NAME.match(name)
        if not current and not is_leftover_name(name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != uid:
            continue
        age = now - st.st_mtime
        if current:
            stale = age > MAX_AGE_SECONDS or (age > GRACE_SECONDS and not _pid_alive(int(current["pid"])))
        else:
            stale = age > _LEGACY_AGE_SECONDS
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def clean_leftovers_in(folders: Iterable[str | Path]) -> list[Path]:
    """``clean_leftovers`` for each existing folder once per process (the window's remembered folders)."""
    removed: list[Path] = []
    for folder in folders:
        key = os.path.abspath(folder)
        if key in _cleaned:
            continue
        _cleaned.add(key)
        removed += clean_leftovers(folder)
    return removed


def _create(path: Path, mode: int) -> int:
    """Create a new file for writing (``O_EXCL``: never an existing file or a planted symlink)."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; file systems that cannot sync a folder (some network ones) are skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EINVAL):
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EROFS):
            raise
    finally:
        os.close(fd)


class _LoopingFile(io.FileIO):
    """A raw file whose ``write`` writes everything or raises (raw writes may be short)."""

    end = 0

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            n = super().write(view[done:])
            if not n:  # a raw write that writes nothing and raises nothing: treat it as a full disk
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += n
        self.end = max(self.end, self.tell())
        return done


class PendingFile:
    """A temporary file beside ``path``: ``commit()`` checks it and puts it in place, ``discard()`` drops it.

    Write through ``write`` (or pass ``file`` to ``np.savez``, PIL, ``csv`` via a text wrapper), or
    hand ``tmp`` to an external writer such as ffmpeg and commit when it has finished. Use it as a
    context manager (``atomic_open``): a clean exit commits, an exception discards. ``mode`` forces
    the final mode (e.g. ``0o600``); by default it is what a normal write would give. Every error is a
    ``WriteError`` naming ``path``; after one, the old file at ``path`` is untouched.
    """

    def __init__(self, path: str | Path, *, mode: int | None = None) -> None:
        target = Path(path)
        # A normal write goes through a symlink to the file it points at; so do we.
        with contextlib.suppress(OSError):
            if target.is_symlink():
                target = Path(os.path.realpath(target))
        self.path = target
        folder = _folder(target)
        key = os.path.abspath(folder)
        if key not in _cleaned:
            _cleaned.add(key)
            clean_leftovers(folder)
        self.tmp = folder / _temp_name(target)
        self._old: os.stat_result | None = None
        try:
            with contextlib.suppress(FileNotFoundError):
                self._old = os.stat(target)
            if self._old is not None and stat.S_ISDIR(self._old.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
            # A new file: 0666 less the umask, applied by the kernel as for any new file. Replacing:
            # never more open than the old file while the data is written; the exact mode comes at commit.
            create = 0o666 if self._old is None else stat.S_IMODE(self._old.st_mode) & 0o666
            if mode is not None:
                create = mode & 0o600
            fd = _create(self.tmp, create)
        except OSError as exc:
            raise _error(target, exc) from exc
        self.file = _LoopingFile(fd, "wb", closefd=True)
        self._mode = mode
        self._done = False

    def write(self, data: Any) -> int:
        try:
            return self.file.write(data)
        except OSError as exc:
            self.discard()
            raise _error(self.path, exc) from exc

    def commit(self, expected_size: int | None = None) -> None:
        """fsync, check the size, give the file its mode, rename over ``path``, fsync the folder.

        ``expected_size`` defaults to what went through ``write``/``file``; for an external writer
        pass it if known, else the file must at least not be empty.
        """
        if self._done:
            return
        try:
            fd = self.file.fileno()
            self.file.flush()
            os.fsync(fd)
            size = os.fstat(fd).st_size
            expected = self.file.end if expected_size is None and self.file.end else expected_size
            if expected is None and size == 0:
                raise _short(self.path, 0, None)
            if expected is not None and size != expected:
                raise _short(self.path, size, expected)
            if self._mode is not None:
                os.fchmod(fd, self._mode)
            elif self._old is not None:
                old = self._old
                if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):
                        os.fchown(fd, old.st_uid, old.st_gid)
                os.fchmod(fd, stat.S_IMODE(old.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
            self.file.close()
            os.replace(self.tmp, self.path)
        except WriteError:
            self.discard()
            raise
        except OSError as exc:
            self.discard()
            raise _error(self.path, exc) from exc
        self._done = True
        try:
            _fsync_folder(_folder(self.path))
        except OSError as exc:
            raise _error(self.path, exc) from exc

    def discard(self) -> None:
        """Remove the temporary file; the old file at ``path`` was never touched."""
        self._done = True
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            os.unlink(self.tmp)

    def __enter__(self) -> PendingFile:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.commit()
            return
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):  # e.g. from ``file`` in a library
            raise _error(self.path, exc) from exc


def _short(path: Path, size: int, expected: int | None) -> WriteError:
    if expected is None:
        text = msg("cannot write {path}: nothing was written (is the disk full?)", path=str(path))
    else:
        text = msg(
            "cannot write {path}: only {size} of {expected} bytes reached the disk (is the disk full?)",
            path=str(path),
            size=f"{size:,}",
            expected=f"{expected:,}",
        )
    err = WriteError(text)
    err.errno = errno.ENOSPC
    return err


def atomic_open(path: str | Path, *, mode: int | None = None) -> PendingFile:
    """``with atomic_open(path) as f: f.write(...)``: streamed writes that replace ``path`` once complete."""
    return PendingFile(path, mode=mode)


def atomic_write_bytes(path: str | Path, payload: bytes, *, mode: int | None = None) -> None:
    """Write ``payload`` to ``path`` atomically and verified; ``WriteError`` (an ``OSError``) says why not.

    ``mode`` forces a mode (``0o600`` for a private cache file); by default a normal write's mode.
    """
    with PendingFile(path, mode=mode) as pending:
        pending.write(payload)
        pending.commit(expected_size=len(payload))


def atomic_write_text(path: str | Path, text: str, *, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def check_mp4(path: str | Path, target: str | Path | None = None) -> None:
    """Raise ``WriteError`` unless ``path`` is a complete MP4 (its top-level boxes tile the file, with
    ``ftyp``, ``mdat`` and ``moov``).

    ffmpeg run through imageio reports nothing when it fails to finish a file (a full disk, a killed
    encoder): the file just ends early, without the ``moov`` index written last. Checking the box
    structure costs a few reads, however long the video.
    """
    path = Path(path)
    seen: set[bytes] = set()
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            pos = 0
            while pos < size:
                fh.seek(pos)
                head = fh.read(16)
                if len(head) < 8:
                    break
                length, kind = int.from_bytes(head[:4], "big"), head[4:8]
                if length == 1 and len(head) == 16:
                    length = int.from_bytes(head[8:16], "big")
                elif length == 0:
                    length = size - pos
                if length < 8 or pos + length > size:
                    break
                seen.add(kind)
                pos += length
    except OSError as exc:
        raise _error(Path(target or path), exc) from exc
    if pos != size or not seen >= {b"ftyp", b"mdat", b"moov"}:
        err = WriteError(
            msg(
                "cannot write {path}: the video encoder stopped before the file was complete "
                "(is the disk full?)",
                path=str(target or path),
            )
        )
        err.errno = errno.EIO
        raise err
