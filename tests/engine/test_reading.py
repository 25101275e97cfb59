"""Files handed to the app: only regular files, size-bounded, never blocking; numbers that do not fit a
float are refused with the field's own message (never OverflowError or Python's digit-limit text)."""

from __future__ import annotations

import concurrent.futures
import json
import os
from pathlib import Path

import numpy as np
import pytest

from engine import simulate
from engine.config import ConfigError, RacerConfig, SessionConfig
from engine.reading import FileRefused, OutOfRange, parse_json, read_regular_file, short_repr
from engine.session import MAX_SESSION_BYTES, SessionError, load_session, save_session
from engine.trajectory import Trajectory

HUGE = "1" + "0" * 400  # 401 digits
ENORMOUS = "9" * 5000  # past Python's 4300-digit limit for int(str)


def in_time(fn, *args, seconds: float = 20.0):
    """Call ``fn`` in a thread; a hang fails the test instead of freezing the run."""
    pool = concurrent.futures.ThreadPoolExecutor(1)
    try:
        return pool.submit(fn, *args).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def session_text(**changes: str) -> str:
    """A valid session file's text with some JSON values replaced verbatim (e.g. lr=HUGE)."""
    data = SessionConfig(
        racers=(RacerConfig("adam"),), start=(1.0, 2.0), view=(-3.0, 3.0, -3.0, 3.0)
    ).to_dict()
    for key in changes:
        marker = f"@{key}@"
        if key == "lr":
            data["racers"][0]["hyperparameters"]["lr"] = marker
        elif key == "start":
            data["start"] = [marker, 2.0]
        elif key == "view":
            data["view"] = [-3.0, marker, -3.0, 3.0]
        elif key == "condition":
            data["loss_params"] = {"condition": marker}
        else:
            data[key] = marker
    text = json.dumps(data)
    for key, raw in changes.items():
        text = text.replace(json.dumps(f"@{key}@"), raw)
    return text


# -- special files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_at_once(device) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    with pytest.raises(SessionError, match=r"zero|urandom") as info:
        in_time(load_session, device)
    assert (
        str(info.value)
        == f"{Path(device).name} is a device, not a regular file, so it cannot be a session file"
    )


def test_a_fifo_named_like_a_session_never_blocks(tmp_path) -> None:
    fifo = tmp_path / "x.olab.json"
    os.mkfifo(fifo)
    with pytest.raises(SessionError, match=r"x\.olab\.json is a named pipe \(FIFO\), not a regular file"):
        in_time(load_session, fifo)
    with pytest.raises(FileRefused, match="named pipe"):
        in_time(Trajectory.load, fifo.rename(tmp_path / "x.npz"))


def test_a_folder_is_refused(tmp_path) -> None:
    (tmp_path / "s.olab.json").mkdir()
    with pytest.raises(SessionError, match="is a folder, not a regular file"):
        load_session(tmp_path / "s.olab.json")


def test_a_symlink_to_a_session_is_read(tmp_path) -> None:
    save_session(SessionConfig(steps=321), tmp_path / "real.olab.json")
    (tmp_path / "link.olab.json").symlink_to(tmp_path / "real.olab.json")
    assert load_session(tmp_path / "link.olab.json").steps == 321


def test_the_size_limit_is_stated(tmp_path) -> None:
    path = tmp_path / "big.olab.json"
    path.write_bytes(b" " * (MAX_SESSION_BYTES + 1))
    with pytest.raises(SessionError) as info:
        load_session(path)
    assert str(info.value) == (
        "big.olab.json: 1,000,001 bytes is too large for a session file (the limit is 1,000,000 bytes)"
    )


def test_reading_stops_at_the_limit(tmp_path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular_file(path, 100, "a file") == b"x" * 100
    with pytest.raises(FileRefused, match="100 bytes is too large for a file"):
        read_regular_file(path, 99, "a file")


# -- numbers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("lr", HUGE, "racer 1 lr must be a finite number, got 1000…000 (401 digits)"),
        ("lr", "-" + HUGE, "racer 1 lr must be a finite number, got -100…000 (401 digits)"),
        ("lr", ENORMOUS, "racer 1 lr must be a finite number, got 9999…999 (5000 digits)"),
        ("lr", "1e400", "racer 1 lr must be a finite number, got 1e400"),
        ("start", HUGE, "start w1 must be a finite number, got 1000…000 (401 digits)"),
        ("tol", HUGE, "tol must be a finite number, got 1000…000 (401 digits)"),
        ("tol", "-1e999", "tol must be a finite number, got -1e999"),
        ("view", HUGE, "view must be a finite number, got 1000…000 (401 digits)"),
        ("condition", HUGE, "loss parameter condition must be a finite number, got 1000…000 (401 digits)"),
        ("steps", HUGE, "steps must be a whole number in [1, 100,000,000], got 1000…000 (401 digits)"),
    ],
)
def test_numbers_that_do_not_fit_a_float_give_the_file_error(tmp_path, field, raw, expected) -> None:
    path = tmp_path / "s.olab.json"
    path.write_text(session_text(**{field: raw}))
    with pytest.raises(SessionError) as info:
        load_session(path)
    assert str(info.value) == f"s.olab.json: {expected}"
    assert len(str(info.value)) < 300


def test_numbers_that_fit_are_checked_against_their_range(tmp_path) -> None:
    path = tmp_path / "s.olab.json"
    path.write_text(session_text(lr="1" + "0" * 300, tol="1e-300"))  # 300 digits still fit a float
    config = load_session(path)
    assert config.racers[0].hyperparameters["lr"] == 1e300 and config.tol == 1e-300
    path.write_text(session_text(lr="-" + "1" * 300))
    with pytest.raises(SessionError, match=r"lr = -1\.1+2?e\+299 is out of range: η must be in \(0, ∞\)"):
        load_session(path)


@pytest.mark.parametrize(
    "value",
    [10**400, -(10**400), 10**5000, float("inf"), float("nan")],
    ids=["401", "-401", "5001", "inf", "nan"],
)
def test_the_api_refuses_huge_numbers_with_a_message(value) -> None:
    with pytest.raises(ConfigError, match="must be a finite number") as info:
        SessionConfig(tol=value)
    assert len(str(info.value)) < 120
    with pytest.raises(ConfigError, match="lr must be a finite number"):
        RacerConfig("adam", {"lr": value})
    with pytest.raises(ConfigError, match="start w2 must be a finite number"):
        SessionConfig(start=(0.0, value))


def test_parse_json_keeps_numbers_that_fit_and_marks_those_that_do_not() -> None:
    data = parse_json(f'[1, -2, 0.5, 1e308, {HUGE}, 1e309, "{HUGE}"]')
    assert data[:4] == [1, -2, 0.5, 1e308] and type(data[0]) is int
    assert isinstance(data[4], OutOfRange) and isinstance(data[5], OutOfRange)
    assert type(data[6]) is str
    with pytest.raises(ValueError, match="NaN is not an allowed number"):
        parse_json("[NaN]")


def test_short_repr_never_prints_thousands_of_digits() -> None:
    assert short_repr(10**400) == "1000…000 (401 digits)"
    assert short_repr(0.1) == "0.1"
    assert short_repr(10**5000).startswith("a whole number of about 5001 digits")
    assert len(short_repr([1.0] * 1000)) <= 24


def test_a_trajectory_file_with_huge_numbers_loads_without_overflow(tmp_path) -> None:
    traj = simulate("quadratic", "adam", steps=5)
    traj.save(tmp_path / "t.json")
    data = json.loads((tmp_path / "t.json").read_text())
    text = json.dumps(data).replace(json.dumps(data["loss"][1]), HUGE, 1)
    (tmp_path / "t.json").write_text(text)
    back = Trajectory.load(tmp_path / "t.json")
    assert np.isinf(back.loss[1]) and back.loss[2] == traj.loss[2]
