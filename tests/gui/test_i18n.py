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
from PySide6.QtGui import QFont, QTextCursor, QTextDocument, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QToolBar

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


def _glyph_x(text: str, font: QFont) -> tuple[dict[int, float], dict[int, str]]:
    """Where each character of ``text`` is drawn in a right-to-left line, and by which font:
    the layout QPainter.drawText (menus, buttons, labels) uses for it."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(Qt.RightToLeft)
    layout.setTextOption(option)
    layout.beginLayout()
    layout.createLine().setLineWidth(2000)
    layout.endLayout()
    flags = QTextLayout.GlyphRunRetrievalFlag
    wanted = flags.RetrieveGlyphIndexes | flags.RetrieveGlyphPositions | flags.RetrieveStringIndexes
    xs: dict[int, float] = {}
    families: dict[int, str] = {}
    for run in layout.glyphRuns(-1, -1, wanted):
        for index, pos in zip(run.stringIndexes(), run.positions(), strict=True):
            xs[index] = pos.x()
            families[index] = run.rawFont().familyName()
    return xs, families


SYMBOLS = ("−g", "−M", "Δw", "√G", "−η")


def test_in_persian_every_symbol_reads_left_to_right_with_a_true_minus(
    qtbot, isolated_settings, persian
) -> None:
    """The View menu read "g-" for "−g": in a right-to-left line a minus before a Latin letter
    goes to its right unless isolated, and Vazirmatn (no U+2212) draws the minus as a hyphen.
    Every menu entry and toolbar button with a symbol is laid out as Qt draws it, and each
    symbol must run left to right, its minus drawn by a font that has one."""
    from gui.i18n import symbol_font_family
    from gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    font = QApplication.font()
    latin = symbol_font_family(QFont())
    if latin is None:
        pytest.skip("no installed font has a minus sign without Arabic letters")
    texts = []
    menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
    while menus:
        menu = menus.pop()
        for action in menu.actions():
            texts.append(action.text())
            if action.menu():
                menus.append(action.menu())
    for toolbar in window.findChildren(QToolBar):
        texts += [a.iconText() for a in toolbar.actions()]
    checked = 0
    for text in texts:
        xs, families = _glyph_x(text, font)
        for symbol in SYMBOLS:
            start = text.find(symbol)
            if start < 0:
                continue
            checked += 1
            first, second = xs[start], xs[start + 1]
            assert first < second, f"{symbol!r} drawn right to left in {text!r}"
            if symbol.startswith("−"):
                assert "vazir" not in families[start].lower(), f"a hyphen-like minus in {text!r}"
    assert checked >= 4  # the −g, −M, Δw and √G arrows at least
    # Persian words are still drawn by the Persian font
    _xs, families = _glyph_x("پیکان", font)
    assert all("vazir" in f.lower() for f in families.values()), families
    window.close()


def test_back_in_english_no_persian_font_is_left(qapp: QApplication) -> None:
    english = QFont(qapp.font()).families()
    install_language(qapp, "fa")
    assert any("vazir" in f.lower() for f in qapp.font().families())
    install_language(qapp, "en")
    assert qapp.font().families() == english
    _xs, families = _glyph_x("−g", qapp.font())
    assert not any("vazir" in f.lower() for f in families.values())


def test_the_command_line_export_draws_the_same_true_minus_as_the_window(qapp: QApplication) -> None:
    """``main.py export --lang fa`` drew "−g" and "(1−α)" with Vazirmatn's hyphen-wide minus while
    the window's exports used a Latin font's true minus: both now set the same fonts."""
    from gui.export_cli import _ensure_app
    from gui.i18n import symbol_font_family

    if symbol_font_family(QFont()) is None:
        pytest.skip("no installed font has a minus sign without Arabic letters")
    try:
        install_language(qapp, "fa")
        window_families = qapp.font().families()
        install_language(qapp, "en")
        assert _ensure_app("fa") is qapp
        assert qapp.font().families() == window_families
        for text in ("−g", "(1−α)", "1e−08"):
            _xs, families = _glyph_x(text, qapp.font())
            minus = text.index("−")
            assert "vazir" not in families[minus].lower(), (text, families)
        _xs, families = _glyph_x("روی", qapp.font())  # Persian letters still from Vazirmatn
        assert all("vazir" in f.lower() for f in families.values()), families
    finally:
        install_language(qapp, "en")


def test_the_symbol_font_is_a_font_installed_under_its_name_never_an_alias(qapp: QApplication) -> None:
    """On a bare Debian (DejaVu only) the scan returned the alias "Serif": it passed as DejaVu
    Serif, but Qt resolved it again for a Persian line, Vazirmatn drew "−g" as "-g" and the
    true-minus test above failed there (not here, where Nimbus Sans is found first)."""
    from PySide6.QtGui import QRawFont

    from gui.i18n import _installed_as, symbol_font_family

    assert not _installed_as("Serif") and not _installed_as("Sans Serif")
    resolved = QRawFont.fromFont(QFont("Serif")).familyName()
    assert _installed_as(resolved)
    family = symbol_font_family(QFont())
    assert family is None or _installed_as(family)


def _x_of(text: str, direction: Qt.LayoutDirection = Qt.RightToLeft) -> list[float]:
    """Where each character of ``text`` starts in a line of that direction (cursor x, pixels)."""
    layout = QTextLayout(text, QFont())
    option = QTextOption()
    option.setTextDirection(direction)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(1000)
    layout.endLayout()
    return [line.cursorToX(i)[0] for i in range(len(text))]


def test_a_racers_name_stays_whole_after_its_colour_sample_in_persian(qapp) -> None:
    """The legend's and the key's rows are a colour sample, then the name. In Persian "Adam (درس)"
    read "(درس) ━● Adam": the sample between the name's words. Kept whole, the name is all on
    the sample's left (after it, reading right to left), as "تکانه (درس)" and "SGD" are."""
    from gui.i18n import whole_name

    sample = "\u200e━●\u200e\u00a0"
    assert whole_name("Adam (درس)") == "Adam (درس)"  # left to right: as it is
    qapp.setLayoutDirection(Qt.RightToLeft)
    try:
        for name in ("Adam (درس)", "تکانه (درس)", "SGD"):
            x = _x_of(sample + whole_name(name))
            dot = x[sample.index("●")]
            start = len(sample) + 1  # after the embedding's opening mark
            assert all(x[i] < dot for i in range(start, start + len(name))), (name, x)
        x = _x_of(sample + "Adam (درس)")  # as it was: Adam right of the sample, (درس) left
        assert max(x[len(sample) :]) > x[sample.index("●")]
    finally:
        qapp.setLayoutDirection(Qt.LeftToRight)


def test_the_plots_key_reads_right_to_left_each_sample_beside_its_own_name(qapp, qtbot) -> None:
    """In Persian the key under the plots showed "RMSprop ━ AdaGrad ━ تکانه (درس) ━ SGD ━ | …",
    SGD's black sample beside RMSprop: Latin names ran together with the samples between them.
    Each entry is one unit now: read from the right, every sample comes just before its name,
    and the entries keep their order."""
    from gui.views.panels import PerWeightPanels

    names = ["sgd", "momentum", "adagrad", "adam"]
    labels = {"sgd": "SGD", "momentum": "تکانه (درس)", "adagrad": "AdaGrad", "adam": "Adam (درس)"}
    qapp.setLayoutDirection(Qt.RightToLeft)
    try:
        panels = PerWeightPanels()
        qtbot.addWidget(panels)
        panels.resize(2000, 600)  # one line
        panels.set_key(names, labels)
        document = QTextDocument()
        document.setHtml(panels.title.text)
        text = document.toPlainText()
    finally:
        qapp.setLayoutDirection(Qt.LeftToRight)
    assert_key_reads_right_to_left(text, [labels[n] for n in names])


def assert_key_reads_right_to_left(text: str, labels: list[str]) -> None:
    """In a plots key's first line ``text``, read from the right, every "━━" sample comes just
    before its own name and the entries keep their order, whichever way its paragraph runs
    (pyqtgraph's LabelItem may lay it out either way)."""
    text = text.split("\n")[0]
    # each sample's second stroke: the cursor before the first may be at a direction boundary,
    # where a left-to-right line puts it at the line's start
    samples = [i for i, ch in enumerate(text) if ch == "━"][1::2]
    assert len(samples) == len(labels)
    for direction in (Qt.RightToLeft, Qt.LeftToRight):
        x = _x_of(text, direction)
        for k, label in enumerate(labels):
            start = text.index(label, samples[k])
            sample = x[samples[k]]
            assert all(x[i] < sample for i in range(start, start + len(label))), (direction, label)
            if k:  # after the previous entry: to its left
                before = text.index(labels[k - 1])
                assert sample < min(x[before + j] for j in range(len(labels[k - 1]))), (direction, label)


def test_the_exported_plots_key_reads_right_to_left_in_persian(qapp) -> None:
    """The Persian export's key under the plots ran left to right ("━━ SGD (η=0.05)" first, at
    the left, each sample left of its name) while the window's read from the right. Each entry
    is one unit now, as in the window's key; English is as it was (``ltr`` and ``whole_name``
    change nothing there)."""
    from engine.config import RacerConfig, SessionConfig
    from gui.export import build_scene, panels_key_html, racer_look

    config = SessionConfig(
        steps=20, racers=(RacerConfig("sgd"), RacerConfig("momentum-lecture"), RacerConfig("adam-lecture"))
    )
    scene = build_scene(config)
    try:
        install_language(qapp, "fa")
        labels = [racer_look(scene, key)[0] for key in scene.trajectories]
        document = QTextDocument()
        document.setHtml(panels_key_html(scene))
    finally:
        install_language(qapp, "en")
    assert "تکانه (درس)" in labels
    assert_key_reads_right_to_left(document.toPlainText(), labels)


def table_rows_x(document: QTextDocument) -> dict[int, list[tuple[str, float]]]:
    """Each table row's characters, in logical order, with the x Qt lays each out at (the
    cursor's x before it, in the document's pixels): what the reader sees from left to right."""
    rows: dict[int, list[tuple[str, float]]] = {}
    layout = document.documentLayout()
    block = document.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        table = cursor.currentTable()
        if table is not None:
            left = layout.blockBoundingRect(block).x()
            lines = block.layout()
            row = rows.setdefault(table.cellAt(cursor).row(), [])
            for i, ch in enumerate(block.text()):
                row.append((ch, left + lines.lineForTextPosition(i).cursorToX(i)[0]))
        block = block.next()
    return rows


def racer_row_x(
    rows: dict[int, list[tuple[str, float]]], label: str, loss: str
) -> tuple[float, list[float], float]:
    """In the legend row of the racer ``label``: the x of its colour dot, of each of its name's
    characters, and of the "L" that starts its loss (``loss``: "L = " or "L=")."""
    for row in rows.values():
        text = "".join(ch for ch, _x in row)
        if label in text and loss in text:
            xs = [x for _ch, x in row]
            start = text.index(label)
            return xs[text.index("●")], xs[start : start + len(label)], xs[text.index(loss)]
    raise AssertionError(f"no legend row for {label!r}")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_exported_legend_reads_in_the_languages_direction(qapp, language: str) -> None:
    """Qt lays a table's columns out left to right even with dir=rtl: the Persian export's legend
    had the name at the left and the loss at the right, as in English. Read from the right now:
    the colour sample, the name just left of it, then the settings, the loss at the far left."""
    from engine.config import RacerConfig, SessionConfig
    from gui.export import build_scene, legend_html, racer_look

    scene = build_scene(SessionConfig(steps=20, racers=(RacerConfig("sgd"), RacerConfig("momentum-lecture"))))
    try:
        install_language(qapp, language)
        labels = [racer_look(scene, key)[0] for key in scene.trajectories]
        document = QTextDocument()
        document.setHtml(legend_html(scene))
        rows = table_rows_x(document)
    finally:
        install_language(qapp, "en")
    assert any(re.search("[\u0600-\u06ff]", label) for label in labels) == (language == "fa")
    for label in labels:
        sample, name, loss = racer_row_x(rows, label, "L = ")
        if language == "fa":
            assert loss < min(name) and max(name) < sample, (label, sample, name, loss)
        else:
            assert sample < min(name) and max(name) < loss, (label, sample, name, loss)


def test_the_windows_legend_reads_from_the_right_in_persian(qapp, persian, window) -> None:
    """The window's legend was a left-to-right table in Persian too (sample at the left, loss at
    the right): it reads from the right now, through the same mirrored table as the export."""
    document = window.contour.readout.textItem.document()
    rows = table_rows_x(document)
    labels = window.race.labels()
    assert len(labels) == 5
    for label in labels.values():
        sample, name, loss = racer_row_x(rows, label, "L=")
        assert loss < min(name) and max(name) < sample, (label, sample, name, loss)


def test_a_mirrored_tables_short_row_stays_under_its_own_column(qapp) -> None:
    """Racers stand in two columns when there are many; the last row may hold one racer. Mirrored,
    its cells stay under the first column (now the right one), not under the second. English is
    the table as given, byte for byte."""
    from gui.i18n import table_html

    def racer(n: int) -> list[str]:
        return [f"<td>s{n}</td>", f"<td>name{n}</td>", f"<td align=right>L{n}</td>"]

    rows = [["<td colspan=6>step</td>"], [*racer(0), "<td>&nbsp;</td>", *racer(2)], racer(1)]
    assert table_html(rows, "cellspacing=0") == (
        "<table cellspacing=0><tr><td colspan=6>step</td></tr><tr>"
        + "".join(rows[1])
        + "</tr><tr>"
        + "".join(rows[2])
        + "</tr></table>"
    )
    qapp.setLayoutDirection(Qt.RightToLeft)
    try:
        html = table_html(rows, "cellspacing=0")
    finally:
        qapp.setLayoutDirection(Qt.LeftToRight)
    assert "<td align=left>L0</td>" in html  # the loss at the table's outer edge, mirrored
    document = QTextDocument()
    document.setHtml(html)
    x = {}
    for row in table_rows_x(document).values():
        text = "".join(ch for ch, _x in row)
        for word in re.findall(r"[a-zL]+\d", text):
            x[word] = row[text.index(word)][1]
    assert x["s0"] > x["name0"] > x["L0"] > x["s2"] > x["name2"] > x["L2"], x
    assert x["s1"] > x["L0"] and x["L1"] > x["s2"], x  # racer 1 under racer 0, at the right
