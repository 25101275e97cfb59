"""Session files reopen bit for bit; broken or hostile ones are refused with a message; writes are atomic."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest

from engine import Run, Trajectory, atomic, get_loss
from engine.config import (
    PLAIN_SESSION_VERSION,
    SESSION_FORMAT,
    SESSION_VERSION,
    RacerConfig,
    SessionConfig,
)
from engine.expressions import ExpressionError
from engine.session import MAX_SESSION_BYTES, SessionError, load_session, save_session

HOSTILE_LOSS = "__import__('os').system('touch PWNED')"


def race_config() -> SessionConfig:
    return SessionConfig(
        loss="quadratic",
        loss_params={"condition": 25.0},
        start=(-3.1, 1.7),
        steps=400,
        racers=(
            RacerConfig("adagrad", {"lr": 0.4}),
            RacerConfig("rmsprop", {"lr": 0.013, "beta": 0.95}, schedule="step:size=100,gamma=0.5"),
            RacerConfig("adam", {"lr": 0.05, "eps": 1e-7}),
            RacerConfig("sgd", enabled=False),
        ),
        view=(-4.0, 4.0, -2.5, 2.5),
        tol=1e-12,
    )


def run_all(config: SessionConfig) -> dict[str, Trajectory]:
    surface = get_loss(config.loss).with_params(**config.loss_params)
    out = {}
    for racer in config.enabled_racers():
        run = Run(
            surface,
            racer.optimizer,
            config.start,
            schedule=racer.schedule,
            tol=config.tol,
            **racer.hyperparameters,
        )
        run.advance(config.steps)
        out[racer.optimizer] = run.trajectory()
    return out


def write(tmp_path: Path, data: object, name: str = "s.olab.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_saved_session_is_versioned_readable_json(tmp_path) -> None:
    path = tmp_path / "race.olab.json"
    save_session(race_config(), path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    # a race without data or stochastic settings is written as version 2, which older versions open
    assert data["format"] == SESSION_FORMAT and data["version"] == PLAIN_SESSION_VERSION == 2
    assert "\n  " in text  # indented for people, not one long line
    assert data["racers"][1]["schedule"] == "step:size=100,gamma=0.5"


def test_reopened_session_reproduces_trajectories_bit_for_bit(tmp_path) -> None:
    config = race_config()
    path = tmp_path / "race.olab.json"
    save_session(config, path)
    reopened = load_session(path)
    assert reopened == config
    before, after = run_all(config), run_all(reopened)
    assert list(before) == list(after) == ["adagrad", "rmsprop", "adam"]
    for name in before:
        for field in ("w", "loss", "grad", "G", "M", "lr", "dw", "step"):
            np.testing.assert_array_equal(getattr(before[name], field), getattr(after[name], field))


def test_awkward_floats_survive_the_round_trip(tmp_path) -> None:
    config = SessionConfig(start=(0.1 + 0.2, -1 / 3), racers=(RacerConfig("adam", {"lr": 1 / 7}),))
    path = tmp_path / "f.olab.json"
    save_session(config, path)
    again = load_session(path)
    assert again.start == (0.1 + 0.2, -1 / 3)
    assert again.racers[0].hyperparameters["lr"] == 1 / 7


def _mutate(**changes: object) -> dict:
    data = race_config().to_dict()
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    return data


_HEAD = '{"format": "' + SESSION_FORMAT + '", "version": 1, "loss": "quadratic", '

BROKEN = {
    "truncated": (json.dumps(race_config().to_dict())[:57], "not valid JSON"),
    "empty": ("", "not valid JSON"),
    "not an object": ("[1, 2, 3]", "must hold a JSON object"),
    "other format": (_mutate(format="something-else"), "not an Optimizer Lab session"),
    "no format": (_mutate(format=...), "not an Optimizer Lab session"),
    "wrong version": (_mutate(version=0), "session version 0 is not supported"),
    "newer version": (_mutate(version=99), "saved by a newer Optimizer Lab (file version 99)"),
    "version as text": (_mutate(version="1"), "session version '1' is not supported"),
    "unknown field": (_mutate(exec="rm -rf /"), "unknown session field(s): exec"),
    "steps as text": (_mutate(steps="500"), "steps must be a whole number"),
    "steps negative": (_mutate(steps=-5), "steps must be a whole number"),
    "steps huge": (_mutate(steps=10**12), "steps must be a whole number"),
    "steps a float": (_mutate(steps=12.5), "steps must be a whole number"),
    "start one number": (_mutate(start=[1.0]), "start must be two numbers"),
    "start text": (_mutate(start=["a", "b"]), "start w1 must be a finite number"),
    "start overflow": (_HEAD + '"start": [1e999, 0]}', "start w1 must be a finite number"),
    "NaN constant": (_HEAD + '"tol": NaN}', "NaN is not an allowed number"),
    "Infinity constant": (_HEAD + '"start": [-Infinity, 0]}', "-Infinity is not an allowed number"),
    "view min > max": (_mutate(view=[1, -1, 0, 1]), "view must have min < max"),
    "loss a number": (_mutate(loss=5), "loss must be a built-in surface name"),
    "racers not a list": (_mutate(racers={"adam": 1}), "'racers' must be a list"),
    "racer without name": (_mutate(racers=[{"lr": 1}]), "racer 1 must be an object with an 'optimizer'"),
    "unknown optimizer": (_mutate(racers=[{"optimizer": "sgd2"}]), "racer 1: unknown optimizer 'sgd2'"),
    "lr out of range": (
        _mutate(racers=[{"optimizer": "adam", "hyperparameters": {"lr": -1}}]),
        "racer 1: lr = -1.0 is out of range",
    ),
    "enabled as text": (_mutate(racers=[{"optimizer": "sgd", "enabled": "yes"}]), "'enabled' true/false"),
    "too many racers": (_mutate(racers=[{"optimizer": "sgd"}] * 13), "at most 12 racers, got 13"),
    "deeply nested": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "hostile loss": (_mutate(loss=HOSTILE_LOSS), "loss is neither a built-in surface nor a valid expression"),
    "unknown name in loss": (_mutate(loss="x**2 + z"), "unknown name 'z'"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_or_hostile_file_is_refused_with_its_reason(tmp_path, case, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    content, message = BROKEN[case]
    path = write(tmp_path, content)
    with pytest.raises(SessionError) as info:
        load_session(path)
    text = str(info.value)
    assert message in text, text
    assert path.name in text  # the message names the file
    assert not (tmp_path / "PWNED").exists()


def test_binary_huge_and_missing_files_are_refused(tmp_path) -> None:
    binary = tmp_path / "b.olab.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SessionError, match="not a text"):
        load_session(binary)
    huge = tmp_path / "h.olab.json"
    huge.write_bytes(b" " * (MAX_SESSION_BYTES + 1))
    with pytest.raises(SessionError, match="too large"):
        load_session(huge)
    with pytest.raises(SessionError, match="cannot read"):
        load_session(tmp_path / "missing.olab.json")


def test_hostile_loss_is_refused_by_the_safe_parser_when_the_race_is_built(tmp_path, monkeypatch) -> None:
    """A config holding a hostile loss (e.g. built in code) still never executes it."""
    monkeypatch.chdir(tmp_path)
    config = SessionConfig(loss=HOSTILE_LOSS)
    with pytest.raises(ExpressionError, match="not allowed"):
        get_loss(config.loss)
    assert not (tmp_path / "PWNED").exists()


def test_failed_write_leaves_the_previous_file_intact(tmp_path, monkeypatch) -> None:
    path = tmp_path / "keep.olab.json"
    save_session(race_config(), path)
    good = path.read_bytes()

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(SessionError, match=r"cannot write .*keep\.olab\.json: the disk is full"):
        save_session(SessionConfig(loss="rosenbrock"), path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["keep.olab.json"]  # no temporary file left behind


def test_read_only_folder_gives_a_message_and_keeps_the_file(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "s.olab.json"
    save_session(race_config(), path)
    good = path.read_bytes()
    folder.chmod(0o500)
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # root writes anyway: refuse as the OS refuses others

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(atomic, "_create", refuse)
    try:
        with pytest.raises(SessionError, match=r"cannot write .*s\.olab\.json: permission denied"):
            save_session(SessionConfig(), path)
        assert path.read_bytes() == good
    finally:
        folder.chmod(0o700)


def test_missing_folder_gives_a_message(tmp_path) -> None:
    with pytest.raises(SessionError, match="cannot write"):
        save_session(SessionConfig(), tmp_path / "nope" / "s.olab.json")


DATA = Path(__file__).resolve().parents[1] / "data"


def test_a_version_1_file_opens_migrated_and_races_as_it_did() -> None:
    """tests/data/session-v1.olab.json was written by the version-1 code (one racer per optimizer)."""
    raw = json.loads((DATA / "session-v1.olab.json").read_text())
    assert raw["version"] == 1 and "edits" not in raw
    config = load_session(DATA / "session-v1.olab.json")
    # the racing optimizers become racers, in order; the listed-but-not-racing one is left out
    assert [(r.key, r.optimizer) for r in config.racers] == [
        ("sgd", "sgd"),
        ("rmsprop", "rmsprop"),
        ("adam", "adam"),
    ]
    assert config.racer("adam").schedule == "step:size=300,gamma=0.5"
    assert config.racer("rmsprop").hyperparameters == {"lr": 0.01, "beta": 0.9, "eps": 1e-08}
    assert [r.color for r in config.racers] == ["#000000", "#0072B2", "#D55E00"]  # the colours they had
    assert (config.loss, config.start, config.steps, config.view, config.edits) == (
        "rosenbrock",
        (-1.5, 2.0),
        1500,
        (-2.0, 2.0, -1.0, 3.0),
        (),
    )
    # saved again it is a version-2 file that reads back the same
    data = config.to_dict()
    assert data["version"] == PLAIN_SESSION_VERSION == 2 and data["edits"] == []
    assert SessionConfig.from_dict(data) == config


def test_a_file_from_a_newer_version_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    data = {**race_config().to_dict(), "version": SESSION_VERSION + 1, "ghosts": True}
    path = tmp_path / "future.olab.json"
    path.write_text(json.dumps(data))
    expected = r"saved by a newer Optimizer Lab \(file version 4\).*1 to 3.*update"
    with pytest.raises(SessionError, match=expected):
        load_session(path)


def test_duplicate_racers_and_edits_survive_a_save(tmp_path: Path) -> None:
    from engine.config import Edit

    racers = tuple(RacerConfig("rmsprop", {"beta": b}) for b in (0.5, 0.9, 0.99))
    config = SessionConfig(
        racers=racers, edits=(Edit("rmsprop#2", 40, {"lr": 0.1, "beta": 0.9, "eps": 1e-8}),)
    )
    path = tmp_path / "trio.olab.json"
    save_session(config, path)
    again = load_session(path)
    assert again == config and [r.key for r in again.racers] == ["rmsprop", "rmsprop#2", "rmsprop#3"]
    assert again.settings_at("rmsprop#2", 41).hyperparameters["lr"] == 0.1
    bad = json.loads(path.read_text())
    bad["edits"][0]["racer"] = "adam"
    path.write_text(json.dumps(bad))
    with pytest.raises(SessionError, match="edit names racer 'adam', which is not in the race"):
        load_session(path)
