"""The offline lab install works with pip cut off from every index.

Runs the real scripts: make_wheelhouse.sh (needs the network, or pip's cache, like a teacher's
connected machine), then install_offline.sh into a fresh venv with pip's configuration
ignored and every index and proxy pointed at a closed local port, so any attempt to reach
the network would fail. About 20 s here: the wheels come from pip's cache. The install fills the
machine-wide kernel cache (the one real ``cache --fill`` of the suite, ~100 s of CPU); a student
with a fresh home then gets every start-up kernel from it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.cache_helpers import RUN, TYPED_LINES, notes

#: A Pause fast-forwards runs (``Run.skip``): a kernel of its own, missing from the fill, once kept a
#: student's first race waiting 6–8 s; it must come from the fill like every other.
FAST_FORWARD = """
from engine.data import DataSpec, data_surface
from engine.simulate import Run
Run('quadratic', 'adam').skip(1)
Run(data_surface(DataSpec('penguins', 'linear', 'flipper_length_mm', 'body_mass_g')), 'adam').skip(1)
"""

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "resources" / "packaging"
CLOSED = "http://127.0.0.1:9"


def _offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and "proxy" not in k.lower()}
    env.update(
        PIP_CONFIG_FILE=os.devnull,  # no find-links or extra indexes from the machine's pip.conf
        PIP_INDEX_URL=f"{CLOSED}/simple",
        http_proxy=CLOSED,
        https_proxy=CLOSED,
        HTTP_PROXY=CLOSED,
        HTTPS_PROXY=CLOSED,
        PYTHON=sys.executable,
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def test_scripts_use_no_index_and_exist_for_windows() -> None:
    assert "--no-index --find-links" in (PACKAGING / "install_offline.sh").read_text(encoding="utf-8")
    bat = (PACKAGING / "install_offline.bat").read_text(encoding="utf-8")
    assert "--no-index --find-links" in bat
    assert b"\r\n" in (PACKAGING / "install_offline.bat").read_bytes()  # cmd.exe mis-parses LF-only files
    assert "pip download" in (PACKAGING / "make_wheelhouse.bat").read_text(encoding="utf-8")
    for name in ("make_wheelhouse.sh", "install_offline.sh"):
        assert os.access(PACKAGING / name, os.X_OK)
        assert subprocess.run(["bash", "-n", str(PACKAGING / name)]).returncode == 0


#: A guard against a hung step, not a speed limit: the install compiles every kernel (≈ 3 min
#: alone), and beside another test worker on a loaded 2-core machine it passed 600 s once.
LONG_S = 1800


@pytest.mark.slow
def test_wheelhouse_installs_with_the_network_off(tmp_path: Path) -> None:
    wheelhouse, venv = tmp_path / "wheelhouse", tmp_path / "lab-venv"
    # a Python without pip, as Debian's python3 is without python3-pip: the script makes a venv for it
    no_pip = tmp_path / "no-pip"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(no_pip)], check=True, timeout=300)
    assert subprocess.run([str(no_pip / "bin" / "python"), "-m", "pip", "--version"]).returncode != 0
    made = subprocess.run(
        ["bash", str(PACKAGING / "make_wheelhouse.sh"), str(wheelhouse)],
        env={**os.environ, "PYTHON": str(no_pip / "bin" / "python")},
        capture_output=True,
        text=True,
        timeout=LONG_S,
    )
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-3000:]
    assert "has no pip: using a temporary virtual environment" in made.stderr
    names = {p.name.split("-")[0].lower() for p in wheelhouse.glob("*.whl")}
    assert {"optimizer_lab", "pyside6_essentials", "numba", "llvmlite", "sympy", "pytest"} <= names

    installed = subprocess.run(
        ["bash", str(PACKAGING / "install_offline.sh"), str(wheelhouse), str(venv)],
        env=_offline_env(),
        capture_output=True,
        text=True,
        timeout=LONG_S,
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-3000:]
    assert "Optimizer Lab " in installed.stdout
    # The installer filled the machine-wide cache (`cache --fill`): the kernels compiled once for every
    # account, readable by all, without typed losses (those hash each user's own cache path).
    machine = venv / "var" / "cache" / "optimizer-lab"
    (kernels,) = machine.glob("numba-*")
    files = list(kernels.rglob("*.nb[ic]"))
    assert f"wrote {len(files)} kernel files to {kernels}" in installed.stdout, installed.stderr[-2000:]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in files)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o755 for p in [kernels, *kernels.rglob("*")] if p.is_dir())
    assert not list(kernels.glob("expressions*"))

    bin_dir = venv / "bin"
    # A student with a fresh home: every start-up kernel comes from that cache (none is compiled
    # and saved); the typed loss is compiled by its child into the student's own cache.
    student = {
        **_offline_env(),
        "OPTIMIZER_LAB_CACHE_DIR": str(tmp_path / "student"),
        "NUMBA_DEBUG_CACHE": "1",
    }
    for name in ("NUMBA_CACHE_DIR", "OPTIMIZER_LAB_MACHINE_CACHE"):
        student.pop(name, None)  # the installed app's own default: <venv>/var/cache/optimizer-lab
    run = subprocess.run(
        [str(bin_dir / "python"), "-c", RUN + FAST_FORWARD],
        cwd=tmp_path,
        env=student,
        capture_output=True,
        text=True,
        timeout=LONG_S,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert [line for line in run.stdout.splitlines() if line.startswith("[cache] data saved")] == []
    loaded = [line for line in run.stdout.splitlines() if line.startswith("[cache] sealed data loaded")]
    assert any(f"{tmp_path / 'student'}" in line and "/expressions_" in line for line in loaded)
    assert any(f"{tmp_path / 'student'}" in line and "/engine_" in line for line in loaded)  # copied in
    answers = [line for line in run.stdout.splitlines() if not line.startswith("[cache]")]
    assert answers[1:] == TYPED_LINES
    assert notes(run.stderr) == []

    check = subprocess.run([str(bin_dir / "python"), "-m", "pip", "check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    run = subprocess.run(
        [str(bin_dir / "optimizer-lab-cli"), "run", "--steps", "3"],
        cwd=tmp_path,
        env={**_offline_env(), "OPTIMIZER_LAB_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(run.stdout.strip().splitlines()) == 1 + 4  # header, steps 0..3
    site = subprocess.run(
        [str(bin_dir / "python"), "-c", "import main, gui; print(main.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert str(venv) in site.stdout, "the app must come from the wheel, not the checkout"

    if (ROOT / "gui" / "main_window.py").exists():
        shown = subprocess.run(
            [str(bin_dir / "optimizer-lab")],
            cwd=tmp_path,
            env={**_offline_env(), "OPTIMIZER_LAB_EXIT_AFTER_SHOWN": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "window-shown" in shown.stdout, shown.stderr[-3000:]
