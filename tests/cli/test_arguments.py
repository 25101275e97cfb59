"""Every argument is checked: a typo is an error with the usage, never a window; --version; sessions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from engine.session import load_session

ROOT = Path(__file__).resolve().parents[2]
Completed = subprocess.CompletedProcess
SHIPPED = ROOT / "resources" / "sessions" / "lab1.olab.json"
#: The command the README gives for the example session (tests/test_readme.py runs it verbatim too).
LAB1 = [
    "session",
    "--loss",
    "rosenbrock",
    "--optimizers",
    "adagrad,rmsprop,adam",
    "--start",
    "-1.2,1.0",
    "--steps",
    "1500",
    "--set",
    "adagrad.lr=0.5",
    "--set",
    "adam.lr=0.05",
]


def run_main(
    *args: str, cwd: Path = ROOT, timeout: float = 60, screen: bool = False
) -> subprocess.CompletedProcess:
    """``python main.py ARGS``; without ``screen``, a window could not open (X11 and no display)."""
    env = dict(os.environ)
    if not screen:
        env["QT_QPA_PLATFORM"] = "xcb"
        env.pop("DISPLAY", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "usage", "unknown"),
    [
        (["--instal-launcher"], "usage: optimizer-lab [-h]", "--instal-launcher"),
        (["--install"], "usage: optimizer-lab [-h]", "--install"),  # no abbreviations either
        (["--session=lab1.olab.json"], "usage: optimizer-lab [-h]", "--session=lab1.olab.json"),
        (["run", "--stps", "3"], "usage: optimizer-lab run", "--stps 3"),
        (["export", "--out", "x.png", "--frame", "3"], "usage: optimizer-lab export", "--frame 3"),
    ],
)
def test_an_unknown_option_is_an_error_with_the_usage(args, usage, unknown, tmp_path) -> None:
    result = run_main(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(usage)
    assert f"error: unrecognized arguments: {unknown}" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 only")
def test_the_window_without_a_display_says_so_instead_of_qts_abort() -> None:
    from gui.system_check import NO_DISPLAY

    result = run_main()
    assert result.returncode == 1
    assert result.stderr == NO_DISPLAY + "\n"


def test_an_unknown_command_is_an_error_with_the_commands() -> None:
    result = run_main("rnu")
    assert result.returncode == 2
    assert "invalid choice: 'rnu'" in result.stderr and "'session'" in result.stderr


def test_a_launcher_option_takes_no_command() -> None:
    result = run_main("--install-launcher", "list")
    assert result.returncode == 2
    assert "take no command ('list')" in result.stderr


@pytest.mark.parametrize("entry", [main.cli_main, main.gui_main])
def test_version_from_both_entry_points(entry, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"Optimizer Lab {main.__version__}\n"


def test_the_version_is_the_packages() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert main.__version__ == project["version"]


def test_an_optimizer_listed_twice_races_twice_and_set_names_the_second_by_its_key(tmp_path) -> None:
    """A slide comparing two learning rates of one rule: --optimizers adam,adam (the window's
    "race again with…"); the CLI once kept one Adam and said nothing."""
    out = tmp_path / "two-adams.olab.json"
    args = ["session", "--loss", "rosenbrock", "--optimizers", "adam,sgd,adam", "--set", "adam#2.lr=0.1"]
    result = run_main(*args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: rosenbrock, adam, sgd, adam#2, 2000 steps" in result.stderr
    racers = load_session(out).enabled_racers()
    assert [(r.key, r.optimizer) for r in racers] == [("adam", "adam"), ("sgd", "sgd"), ("adam#2", "adam")]
    assert racers[2].hyperparameters["lr"] == 0.1 and racers[0].hyperparameters["lr"] != 0.1
    assert racers[0].color != racers[2].color

    from gui.export import build_scene, legend_html

    legend = legend_html(build_scene(load_session(out)))  # each Adam named by what differs
    lr = racers[0].hyperparameters["lr"]
    assert f"<b>Adam η={lr:g}</b>" in legend and "<b>Adam η=0.1</b>" in legend

    wrong = run_main("session", "--optimizers", "adam,adam", "--set", "adam#3.lr=0.1", "--out", str(out))
    assert wrong.returncode == 2
    assert "--set adam#3.lr=0.1: 'adam#3' is not racing; racing: adam, adam#2" in wrong.stderr


def test_session_writes_a_file_that_export_and_the_window_open(tmp_path) -> None:
    out = tmp_path / "lab1.olab.json"
    result = run_main(*LAB1, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"wrote {out}: rosenbrock, adagrad, rmsprop, adam, 1500 steps" in result.stderr
    config = load_session(out)
    assert config.loss == "rosenbrock" and config.start == (-1.2, 1.0) and config.steps == 1500
    racing = {r.optimizer: r.hyperparameters for r in config.enabled_racers()}
    assert list(racing) == ["adagrad", "rmsprop", "adam"]
    assert racing["adagrad"]["lr"] == 0.5 and racing["adam"]["lr"] == 0.05
    race = tmp_path / "race.json"
    exported = run_main("export", "--session", str(out), "--out", str(race), timeout=120, screen=True)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(race.read_text())
    assert [t["optimizer"] for t in data["trajectories"]] == ["adagrad", "rmsprop", "adam"]


def test_the_shipped_example_session_is_the_one_the_readme_makes(tmp_path) -> None:
    """resources/sessions/lab1.olab.json: remake it with the README's command if this fails."""
    out = tmp_path / "lab1.olab.json"
    assert run_main(*LAB1, "--out", str(out)).returncode == 0
    assert load_session(SHIPPED) == load_session(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--loss", "x^2 + z"], "--loss: unknown name 'z'"),
        (["--optimizers", "adam,adamm"], "--optimizers:"),
        (["--set", "adam.lr=fast"], "--set adam.lr must be a number"),
    ],
)
def test_a_bad_session_is_refused_and_nothing_is_written(tmp_path, args, message) -> None:
    out = tmp_path / "bad.olab.json"
    result = run_main("session", *args, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("optimizer-lab session: error: ")
    assert message in result.stderr
    assert not out.exists()


def test_session_needs_an_out_file() -> None:
    result = run_main("session", "--loss", "rosenbrock")
    assert result.returncode == 2
    assert "the following arguments are required: --out" in result.stderr


def test_the_commands_a_session_file_is_told_from_are_the_parsers() -> None:
    _parser, commands = main.build_parser()
    assert set(main.COMMANDS) == set(commands)


@pytest.mark.parametrize(
    ("args", "window"),
    [
        (["lab1.olab.json"], "lab1.olab.json"),  # what a double-click on a session runs
        (["Lab 2.JSON"], "Lab 2.JSON"),
        ([str(SHIPPED)], str(SHIPPED)),
        ([], None),
    ],
)
def test_a_session_file_alone_opens_the_window_racing_it(args, window, monkeypatch) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(main, "open_window", lambda session=None: opened.append(session) or 0)
    assert main.main(args) == 0
    assert opened == [window]


def test_a_session_file_with_more_arguments_or_a_command_name_is_not_one(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(main, "open_window", lambda session=None: pytest.fail("no window for these"))
    assert run_main("lab1.olab.json", "--steps", "5").returncode == 2
    (tmp_path / "list").write_text("{}")  # a file named like a command: the command wins
    listed = run_main("list", cwd=tmp_path)
    assert listed.returncode == 0 and "adam" in listed.stdout
    assert run_main("lab1.txt").returncode == 2  # neither a session's name nor a file
