"""The README's commands work as written: CI runs its test command, and its examples run verbatim."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
VENV_PYTHON = ".venv/bin/python"


def _command_after(marker: str, text: str) -> str:
    lines = text.splitlines()
    return lines[lines.index(marker) + 1].strip()


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


def shell_commands(text: str) -> list[str]:
    """The command lines of the README's bash blocks, continuation lines joined, comments dropped."""
    commands = []
    for block in code_blocks(text, "bash"):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                commands.append(re.sub(r"\s+#\s.*$", "", line))
    return commands


#: The examples a test can run: the app's commands, not the window and not the installers.
EXAMPLES = [c for c in shell_commands(README) if c.startswith(f"{VENV_PYTHON} main.py ")]
#: Steps above which an example shows a long run (a billion-step CSV): checked, not run.
LONG_RUN = 100_000


def steps_of(command: str) -> float:
    match = re.search(r"--steps[ =](\S+)", command)
    return float(match.group(1)) if match else 0.0


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _command_after("# install and run the tests", README)
    assert "pytest" in command
    assert command in ci.splitlines()


def test_readme_starts_with_a_quick_start() -> None:
    assert README.index("## Quick start") < README.index("## Headless use")
    assert _command_after("# install and launch the app", README).endswith(f"{VENV_PYTHON} main.py")


def test_the_quick_start_shows_first_the_apt_line_ci_runs() -> None:
    """One package list: .ci/run builds its apt-get line from it, the README shows that very line."""
    printed = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print-apt-line"], capture_output=True, text=True, check=True
    ).stdout.strip()
    from gui.system_check import apt_command

    assert printed == apt_command()
    assert printed.startswith("apt-get update && apt-get install -y --no-install-recommends libgl1 ")
    quick_start = README[README.index("## Quick start") : README.index("## What it shows")]
    commands = shell_commands(quick_start)
    assert commands[0] == printed  # first, before the install
    assert commands[1].startswith("python3 -m venv .venv")


def test_the_troubleshooting_section_shows_the_apps_own_words() -> None:
    from gui.system_check import dnf_command, message

    assert f"`{dnf_command()}`" in README
    example = code_blocks(README[README.index("**A system library is missing (Linux).**") :], "")[0]
    lines = message("libglib-2.0.so.0").splitlines()
    assert example.splitlines() == lines[:2]


def inline_commands(text: str) -> list[str]:
    """The `code spans` of the prose (fenced blocks left out), whitespace collapsed."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", prose)]


def loose_python(command: str) -> bool:
    """A command that runs a bare `python`/`pip` (after any VAR=value), not the venv's."""
    bare = re.sub(r"^(\w+=\S*\s+)*", "", command)
    return bool(re.match(r"(python3?|pip3?) \S", bare)) and "-m venv" not in bare


def test_the_examples_are_found_and_use_the_venvs_python() -> None:
    assert len(EXAMPLES) >= 10
    loose = [c for c in shell_commands(README) + inline_commands(README) if loose_python(c)]
    assert loose == []  # Debian has no `python`; every example names the venv's


def test_a_bare_python_in_the_prose_is_caught() -> None:
    prose = "Run `PYTHONPATH=. python bench.py` or `.venv/bin/python x.py`, then `python3 -m venv .venv`.\n"
    assert [c for c in inline_commands(prose) if loose_python(c)] == ["PYTHONPATH=. python bench.py"]


@pytest.mark.slow
@pytest.mark.parametrize("command", EXAMPLES, ids=[c[len(VENV_PYTHON) + 9 :][:50] for c in EXAMPLES])
def test_every_readme_example_runs_verbatim(command: str, tmp_path: Path) -> None:
    """Run from a folder that looks like the checkout (main.py and resources/), so outputs land there."""
    if steps_of(command) > LONG_RUN:
        pytest.skip(f"a long run ({steps_of(command):g} steps): not run here")
    if command.split()[-1].endswith(".mp4"):
        pytest.importorskip("imageio_ffmpeg", reason="MP4 needs the optional extra .[mp4]")
    (tmp_path / "main.py").symlink_to(ROOT / "main.py")
    (tmp_path / "resources").symlink_to(ROOT / "resources")
    shell = shlex.quote(sys.executable) + command[len(VENV_PYTHON) :]
    result = subprocess.run(
        ["bash", "-c", shell], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = re.search(r"--out (\S+)", command)
    if out:
        assert (tmp_path / out.group(1)).stat().st_size > 0


def test_the_notebook_example_runs(tmp_path: Path) -> None:
    (code,) = code_blocks(README[README.index("## Headless use") :], "python")[:1]
    result = subprocess.run(
        [sys.executable, "-c", code + "\nprint(traj.status, traj.w[-1])"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] in ("converged", "finished", "running")
