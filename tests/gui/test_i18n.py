"""Every user-visible string is translatable, the Persian translation is complete and compiled,
and the Persian window runs right to left with its plots and numbers left to right."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.i18n import install_language

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "gui"

#: Qt calls whose string arguments a user reads.
TEXT_CALLS = {
    "setText",
    "setToolTip",
    "setTitle",
    "setWindowTitle",
    "setPlaceholderText",
    "showMessage",
    "addTab",
    "addMenu",
    "addRow",
    "setLabelText",
    "setInformativeText",
    "setStatusTip",
    "addButton",
    "QLabel",
    "QPushButton",
    "QAction",
    "QGroupBox",
    "QToolBar",
    "QCheckBox",
    "QRadioButton",
    "QProgressDialog",
    "QMessageBox",
    "warning",
    "information",
    "critical",
    "about",
    "question",
    "_action",
    "addItem",
    "setHorizontalHeaderLabels",
}
#: Text in a literal that is not words: tags, entities, formulas, units, keys.
NOT_WORDS = re.compile(r"<[^>]*>|&\w+;|\{[^}]*\}|\b(?:px|w[12]|log|min|max|exp|sqrt|Ctrl|Shift)\b")


def _is_words(text: str) -> bool:
    """True when a literal holds a word of three or more Latin letters (a phrase to translate)."""
    return re.search(r"[A-Za-z]{3,}", NOT_WORDS.sub(" ", text)) is not None


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return " ".join(p for p in parts if p)
    return None


def unmarked_strings(path: Path, root: Path = ROOT) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in TEXT_CALLS:
            continue
        for arg in node.args[:3]:
            text = _literal_text(arg)
            if text is not None and _is_words(text):
                yield f"{path.relative_to(root)}:{arg.lineno}: {text!r} is not marked with tr()"


def test_the_checker_finds_an_unmarked_string(tmp_path: Path) -> None:
    sample = tmp_path / "gui" / "_sample_for_test.py"  # never in the source tree others are reading
    sample.parent.mkdir()
    sample.write_text(
        'label.setText("Learning rate")\nlabel.setText(self.tr("Learning rate"))\n'
        'box.setTitle(f"{name}: w1")\n'
    )
    found = list(unmarked_strings(sample, root=tmp_path))
    assert found == ["gui/_sample_for_test.py:1: 'Learning rate' is not marked with tr()"]


def test_every_user_visible_string_is_marked_for_translation() -> None:
    problems = [p for path in sorted(GUI.rglob("*.py")) for p in unmarked_strings(path)]
    assert not problems, "\n".join(problems)


def test_translations_are_up_to_date_and_compiled() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "resources/translations/update.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_persian_translation_is_complete_and_persian() -> None:
    ts = (ROOT / "resources/translations/optimizer_lab_fa.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    translations = re.findall(r"<translation>(.*?)</translation>", ts, flags=re.S)
    assert len(translations) >= 150
    persian = [t for t in translations if re.search("[\u0600-\u06ff]", t)]
    assert len(persian) >= 0.8 * len(translations)
    assert "نرخ یادگیری" in ts and "\u200c" in ts  # the course's term; ZWNJ used


@pytest.fixture
def persian(qapp: QApplication) -> Iterator[None]:
    install_language(qapp, "fa")
    yield
    install_language(qapp, "en")


def test_persian_window_is_right_to_left_with_left_to_right_plots(qtbot, isolated_settings, persian) -> None:
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert window.layoutDirection() == Qt.RightToLeft
    assert window.contour.layoutDirection() == Qt.LeftToRight
    assert window.contour.plot.layoutDirection() == Qt.LeftToRight
    assert all(p.layoutDirection() == Qt.LeftToRight for p in window.panels.plots.values())
    menus = [a.text() for a in window.menuBar().actions()]
    assert all(re.search("[\u0600-\u06ff]", m) for m in menus), menus
    assert re.search("[\u0600-\u06ff]", window.play_action.text())
    assert re.search("[\u0600-\u06ff]", window.controls.hyper_box.title())
    window.close()


def test_english_is_the_fallback_for_an_unknown_language(qapp: QApplication) -> None:
    assert install_language(qapp, "xx") == "en"
    assert qapp.layoutDirection() == Qt.LeftToRight
