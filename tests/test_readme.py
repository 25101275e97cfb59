"""The README's test command is what CI runs, word for word."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _command_after(marker: str, text: str) -> str:
    lines = text.splitlines()
    return lines[lines.index(marker) + 1].strip()


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _command_after("# install and run the tests", readme)
    assert "pytest" in command
    assert command in ci.splitlines()


def test_readme_starts_with_a_quick_start() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.index("## Quick start") < readme.index("## Headless use")
    assert "main.py" in _command_after("# install and launch the app", readme)
