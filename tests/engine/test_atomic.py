"""Atomic writes: a normal write's mode, data and folder synced, verified size, no success on a full disk,
and leftovers of a killed writer removed on the next start (only ours, only old ones)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from engine import atomic
from engine.atomic import (
    GRACE_SECONDS,
    PendingFile,
    WriteError,
    atomic_open,
    atomic_write_bytes,
    atomic_write_text,
    check_mp4,
    clean_leftovers,
)
from engine.config import SessionConfig
from engine.messages import message_of
from engine.session import SessionError, load_session, save_session

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_folders(monkeypatch) -> None:
    """Each test starts as a new process would: no folder cleaned yet."""
    monkeypatch.setattr(atomic, "_cleaned", set())


@pytest.fixture
def umask() -> Iterator[callable]:
    old = os.umask(0o022)
    os.umask(old)

    def set_umask(value: int) -> None:
        os.umask(value)

    yield set_umask
    os.umask(old)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if atomic.is_leftover_name(p.name))


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_a_normal_write_gives(tmp_path, umask, mask, expected) -> None:
    umask(mask)
    normal = tmp_path / "normal.txt"
    normal.write_text("x")
    atomic_write_text(tmp_path / "a.txt", "hello")
    assert mode_of(tmp_path / "a.txt") == mode_of(normal) == expected
    assert (tmp_path / "a.txt").read_text() == "hello"


@pytest.mark.parametrize("mask", [0o022, 0o077])
@pytest.mark.parametrize("old_mode", [0o644, 0o640, 0o600, 0o664])
def test_replacing_a_file_keeps_its_mode(tmp_path, umask, mask, old_mode) -> None:
    path = tmp_path / "race.olab.json"
    path.write_text("old")
    path.chmod(old_mode)
    umask(mask)
    save_session(SessionConfig(steps=77), path)
    assert mode_of(path) == old_mode
    assert load_session(path).steps == 77


def test_a_forced_mode_is_exact(tmp_path, umask) -> None:
    umask(0o002)
    atomic_write_bytes(tmp_path / "private.bin", b"x", mode=0o600)
    assert mode_of(tmp_path / "private.bin") == 0o600
    (tmp_path / "shared.bin").write_bytes(b"old")
    (tmp_path / "shared.bin").chmod(0o644)
    atomic_write_bytes(tmp_path / "shared.bin", b"new", mode=0o600)
    assert mode_of(tmp_path / "shared.bin") == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_root_replacing_another_users_file_keeps_its_owner(tmp_path) -> None:
    path = tmp_path / "theirs.csv"
    path.write_text("old")
    os.chown(path, 4242, 4243)
    atomic_write_text(path, "new")
    st = path.stat()
    assert (st.st_uid, st.st_gid, path.read_text()) == (4242, 4243, "new")


def test_data_is_synced_before_the_rename_and_the_folder_after(tmp_path, monkeypatch) -> None:
    events: list[tuple[str, object]] = []
    real_fsync, real_replace, real_folder = os.fsync, os.replace, atomic._fsync_folder

    def fsync(fd: int) -> None:
        events.append(("fsync", stat.S_ISDIR(os.fstat(fd).st_mode)))
        real_fsync(fd)

    def replace(src: object, dst: object) -> None:
        events.append(("replace", Path(dst).name))
        real_replace(src, dst)

    def fsync_folder(folder: Path) -> None:
        events.append(("folder", (tmp_path / "f.txt").read_text()))
        real_folder(folder)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(atomic, "_fsync_folder", fsync_folder)
    atomic_write_text(tmp_path / "f.txt", "data")
    assert events[0] == ("fsync", False)  # the file's data
    assert events[1] == ("replace", "f.txt")
    assert events[2] == ("folder", "data")  # the folder, once the new file is in place
    assert events[3] == ("fsync", True)


def test_a_short_file_is_never_put_in_place(tmp_path) -> None:
    """An external writer that stopped early: the size check refuses it and the old file stays."""
    path = tmp_path / "movie.mp4"
    path.write_bytes(b"good old file")
    pending = PendingFile(path)
    pending.tmp.write_bytes(b"12345")
    with pytest.raises(WriteError, match=r"only 5 of 10 bytes reached the disk"):
        pending.commit(expected_size=10)
    assert path.read_bytes() == b"good old file"
    assert leftovers(tmp_path) == []
    empty = PendingFile(path)
    with pytest.raises(WriteError, match="nothing was written"):
        empty.commit()
    assert path.read_bytes() == b"good old file"


def test_an_error_while_streaming_discards_the_temporary_file(tmp_path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_open(path) as out:
        out.write(b"step,w1\n")
        raise RuntimeError("the run failed half-way")
    assert path.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_streamed_and_seeking_writers_are_verified(tmp_path) -> None:
    """``np.savez`` seeks back to patch zip headers: the size check uses the furthest byte written."""
    path = tmp_path / "run.npz"
    with atomic_open(path) as out:
        np.savez(out.file, w=np.arange(1000.0))
    with np.load(path) as npz:
        assert npz["w"][-1] == 999.0


def test_a_symlink_is_written_through(tmp_path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new" and mode_of(real) == 0o640


def test_a_folder_in_the_way_is_named(tmp_path) -> None:
    (tmp_path / "out.png").mkdir()
    with pytest.raises(WriteError, match=r"cannot write .*out\.png: it is a folder"):
        atomic_write_bytes(tmp_path / "out.png", b"x")


def test_temporary_names_are_recognisable_and_keep_the_suffix(tmp_path) -> None:
    pending = PendingFile(tmp_path / ("long-" * 46 + "name.mp4"))
    try:
        name = pending.tmp.name
        assert name.startswith(".long-") and name.endswith(".mp4") and len(name.encode()) <= 255
        assert f"{atomic.TMP_MARK}{os.getpid()}-" in name
        assert atomic.is_leftover_name(name)
    finally:
        pending.discard()
    assert not pending.tmp.exists()
    with pytest.raises(WriteError, match="the name is too long"):
        atomic_write_bytes(tmp_path / ("x" * 300), b"x")


# -- leftovers of a killed writer ----------------------------------------------------------------
def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


def _aged(path: Path, seconds: float) -> Path:
    t = time.time() - seconds
    os.utime(path, (t, t), follow_symlinks=False)
    return path


def test_leftovers_of_a_killed_writer_are_removed_on_the_next_start(tmp_path) -> None:
    """A real writer killed with SIGKILL mid-write; the next process writing there removes its file."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from engine.atomic import PendingFile
        p = PendingFile({str(tmp_path / "race.olab.json")!r})
        p.write(b"half a session")
        print(p.tmp, flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        tmp = Path(proc.stdout.readline().strip())
    finally:
        proc.kill()
        proc.wait()
    assert tmp.exists() and not (tmp_path / "race.olab.json").exists()
    _aged(tmp, GRACE_SECONDS + 5)
    next_start = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from engine.atomic import atomic_write_text; atomic_write_text(sys.argv[1], 'ok')",
            str(tmp_path / "other.csv"),
        ],
        cwd=ROOT,
        check=True,
    )
    assert next_start.returncode == 0
    assert not tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv"]


def test_only_our_old_files_of_dead_writers_are_removed(tmp_path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    grace, day, hour = GRACE_SECONDS + 5, atomic.MAX_AGE_SECONDS + 5, 3600 + 5
    mark = atomic.TMP_MARK

    def make(name: str, age: float) -> Path:
        path = tmp_path / name
        path.write_text("x")
        return _aged(path, age)

    gone = [
        make(f".a.csv{mark}{dead}-0123abcd.csv", grace),  # its writer was killed
        make(f".b.png{mark}{alive}-0123abcd.png", day),  # a day old: the pid is someone else's now
        make(".race.olab.json.k3j_x9ab.tmp", hour),  # the previous version's mkstemp name
    ]
    kept = [
        make(f".c.csv{mark}{alive}-0123abcd.csv", grace),  # its writer is running
        make(f".d.csv{mark}{dead}-0123abcd.csv", 1),  # too fresh: maybe another machine's writer
        make(".notes.txt.k3j_x9ab.tmp", hour),  # not a suffix we write
        make(".race.olab.json.zzzzzzzz.tmp", 60),  # the previous pattern, but recent
        make("e.csv", day),  # the user's own files
        make(f"e.csv{mark}{dead}-0123abcd", grace),  # not hidden: not our name
    ]
    link = tmp_path / f".f.csv{mark}{dead}-0123abcd.csv"
    link.symlink_to(tmp_path / "e.csv")
    kept.append(_aged(link, grace))  # a symlink is never followed or removed
    if os.geteuid() == 0:
        foreign = make(f".g.csv{mark}{dead}-0123abcd.csv", grace)
        os.chown(foreign, 4242, 4242)
        kept.append(foreign)  # another user's file
    assert sorted(clean_leftovers(tmp_path)) == sorted(gone)
    assert not any(p.exists() for p in gone)
    assert all(p.is_symlink() or p.exists() for p in kept)
    assert (tmp_path / "e.csv").read_text() == "x"


def test_an_unlistable_folder_is_no_error(tmp_path) -> None:
    assert clean_leftovers(tmp_path / "missing") == []


# -- full disks ------------------------------------------------------------------------------------
@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 64 kB tmpfs (root only); skipped cleanly where mounting is not permitted."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Fill the disk, then free ``leave`` bytes (rounded to pages by tmpfs)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


def test_a_session_that_does_not_fit_reports_the_full_disk_and_keeps_the_old_file(small_disk) -> None:
    path = small_disk / "race.olab.json"
    save_session(SessionConfig(steps=10), path)
    good = path.read_bytes()
    fill(small_disk)
    with pytest.raises(SessionError, match=r"cannot write .*race\.olab\.json: the disk is full"):
        save_session(SessionConfig(steps=20, loss="x^2 + 3*y^2 + " + "0*x + " * 400), path)
    assert path.read_bytes() == good
    assert load_session(path).steps == 10
    assert leftovers(small_disk) == []


def test_a_png_sized_export_that_does_not_fit_reports_and_keeps_the_old_file(small_disk) -> None:
    path = small_disk / "race.png"
    path.write_bytes(b"old picture")
    payload = np.random.default_rng(1).integers(0, 256, 200_000, dtype=np.uint8).tobytes()
    with pytest.raises(WriteError) as info:
        atomic_write_bytes(path, payload)
    assert info.value.errno == 28
    assert message_of(info.value) == f"cannot write {path}: the disk is full"
    assert path.read_bytes() == b"old picture"
    assert leftovers(small_disk) == []


def test_a_trajectory_that_does_not_fit_is_refused(small_disk) -> None:
    from engine import simulate

    path = small_disk / "run.json"
    path.write_text(json.dumps({"old": True}))
    traj = simulate("rosenbrock", "adam", steps=3000)
    with pytest.raises(OSError, match="the disk is full"):
        traj.save(path)
    assert json.loads(path.read_text()) == {"old": True}
    assert leftovers(small_disk) == []


# -- MP4 check --------------------------------------------------------------------------------------
def _boxes(*items: tuple[bytes, int]) -> bytes:
    return b"".join(len_.to_bytes(4, "big") + kind + b"\0" * (len_ - 8) for kind, len_ in items)


def test_check_mp4_accepts_a_complete_file_and_refuses_a_cut_one(tmp_path) -> None:
    whole = _boxes((b"ftyp", 32), (b"free", 8), (b"mdat", 4000), (b"moov", 900))
    (tmp_path / "ok.mp4").write_bytes(whole)
    check_mp4(tmp_path / "ok.mp4")
    for cut in (len(whole) - 1, 3000, 40, 0):  # the moov index is written last: a full disk loses it
        (tmp_path / "cut.mp4").write_bytes(whole[:cut])
        with pytest.raises(WriteError, match=r"cannot write .*race\.mp4: the video encoder stopped"):
            check_mp4(tmp_path / "cut.mp4", tmp_path / "race.mp4")
    no_index = _boxes((b"ftyp", 32), (b"mdat", 4000))
    (tmp_path / "cut.mp4").write_bytes(no_index)
    with pytest.raises(WriteError):
        check_mp4(tmp_path / "cut.mp4")
