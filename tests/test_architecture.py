"""The engine stays Qt-free: checked by import-linter and by importing it with Qt blocked."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contract_holds() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    contracts = (ROOT / "pyproject.toml").read_text(encoding="utf-8").count("[[tool.importlinter.contracts]]")
    assert contracts >= 4  # Qt-free engine; gui above engine; app > window > views; views only draw
    assert f"{contracts} kept, 0 broken" in result.stdout


def test_no_import_circles() -> None:
    """No module of engine/ or gui/ imports one that imports it back (lazy imports count too):
    e.g. the loss compiler no longer runs a race (expressions ↔ simulate), the crash handler no
    longer imports the entry point for its version."""
    import grimp

    graph = grimp.build_graph("engine", "gui", exclude_type_checking_imports=True, cache_dir=None)
    circles = sorted(
        {
            tuple(sorted((a, b)))
            for a in graph.modules
            for b in graph.find_modules_directly_imported_by(a)
            if graph.chain_exists(importer=b, imported=a)
        }
    )
    assert circles == []
    crash = (ROOT / "gui" / "crash.py").read_text(encoding="utf-8")
    assert "from main import" not in crash and "import main" not in crash


def test_engine_runs_with_qt_unimportable() -> None:
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'PySide6', 'pyqtgraph', 'superqt', 'shiboken6'}:\n"
        "            raise ImportError('Qt is blocked in this test: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from engine import simulate\n"
        "t = simulate('quadratic', 'sgd', steps=3)\n"
        "print(t.steps)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
