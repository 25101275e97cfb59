"""Stop and report every write under the real home, in the test process and in the Pythons it starts.

tests/conftest.py points HOME and the XDG folders at a temporary home, which covers the app and
every library that asks where the home is. What could still reach the real one: code that looks
the home up by itself, or a child process started with an environment of its own making. An
audit hook (PEP 578) sees each file opened for writing, each folder made, each rename or
deletion; one under a real home is refused (the operation raises PermissionError, so the test
that did it fails, named) and logged, and the session fails at its end with the list. The same
hook is installed in child Pythons through a ``sitecustomize`` on PYTHONPATH (see
``sitecustomize``). Scanning the home for new files instead would also blame whatever else runs
on the machine meanwhile.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
#: Audit events that change the file system, and which of their arguments are paths written.
_EVENTS: dict[str, tuple[int, ...]] = {
    "open": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.utime": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
    "shutil.move": (0, 1),
    "shutil.rmtree": (0,),
}


def install(homes: Iterable[Path], allowed: Iterable[Path], log: Path) -> None:
    """Refuse and log writes under ``homes``.

    An ``allowed`` folder inside a home (the session's files, the checkout, the venv, the temp
    folder when they live in the home) may be written; one that contains a home changes nothing.
    """
    guarded = [os.path.abspath(h) for h in homes if os.path.abspath(h) != os.path.abspath(os.sep)]
    exempt = [os.path.abspath(a) for a in allowed]
    log_path = os.path.abspath(log)
    busy = False

    def within(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

    def refused(path: str) -> bool:
        return any(
            within(path, home) and not any(within(path, a) and within(a, home) for a in exempt)
            for home in guarded
        )

    def hook(event: str, args: tuple) -> None:
        nonlocal busy
        positions = _EVENTS.get(event)
        if positions is None or busy:
            return
        if event == "open":
            mode, flags = args[1], args[2]
            if not (any(c in mode for c in "wax+") if isinstance(mode, str) else flags & _WRITE_FLAGS):
                return
        for i in positions:
            raw = args[i] if i < len(args) else None
            if not isinstance(raw, (str, bytes, os.PathLike)):
                continue  # a file descriptor: its path was checked when it was opened
            path = os.path.abspath(os.fsdecode(raw))
            if refused(path):
                test = os.environ.get("PYTEST_CURRENT_TEST", "outside a test").removesuffix(" (call)")
                busy = True
                try:
                    with open(log_path, "a", encoding="utf-8") as f:
                        f.write(f"{event} {path}  (pid {os.getpid()}, {test})\n")
                finally:
                    busy = False
                raise PermissionError(
                    f"a test wrote under the real home: {event} {path} (see tests/home_guard.py)"
                )

    sys.addaudithook(hook)


def sitecustomize(homes: Iterable[Path], allowed: Iterable[Path], log: Path) -> str:
    """The source of a ``sitecustomize`` module that installs the same guard in a child Python."""
    here = str(Path(__file__).resolve().parent)
    return (
        "import sys\n"
        f"sys.path.insert(0, {here!r})\n"
        "try:\n"
        "    import home_guard\n"
        "finally:\n"
        "    sys.path.pop(0)\n"
        f"home_guard.install({[str(h) for h in homes]!r}, {[str(a) for a in allowed]!r}, {str(log)!r})\n"
    )


def writes(log: Path) -> list[str]:
    """The writes refused so far, one line each ('event path (pid, test)')."""
    try:
        return log.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
