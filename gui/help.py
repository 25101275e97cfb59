"""Help ▸ Keyboard shortcuts and Help ▸ Symbols: what a learner needs beside the lecture.

The shortcuts are read from the window's own actions (one source: what the keys really do);
the symbols are written in the lecture's notation (Δwᵢ(t) = −η/(√Gᵢ(t)+ε)·∂L/∂wᵢ(t), …).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from gui.i18n import is_rtl

#: (symbol, what it is) in the lecture's notation, in the order the lecture meets them.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("wᵢ", QT_TRANSLATE_NOOP("Help", "a weight; i = 1, 2 are the two axes of the contour (w1, w2)")),
    ("gᵢ(t) = ∂L/∂wᵢ(t)", QT_TRANSLATE_NOOP("Help", "the gradient of the loss L for weight i at step t")),
    ("Δwᵢ(t)", QT_TRANSLATE_NOOP("Help", "the step taken: wᵢ(t) = wᵢ(t−1) + Δwᵢ(t)")),
    ("η", QT_TRANSLATE_NOOP("Help", "the learning rate (lr): how far one step goes")),
    (
        "Gᵢ(t)",
        QT_TRANSLATE_NOOP(
            "Help",
            "accumulated squared gradient: AdaGrad sums gᵢ², RMSprop and Adam average it "
            "(Gᵢ(t) = β·Gᵢ(t−1) + (1−β)·gᵢ(t)²); Gᵢ(0) = 0",
        ),
    ),
    (
        "η/(√Gᵢ(t)+ε)",
        QT_TRANSLATE_NOOP("Help", "the effective learning rate of weight i: large G, small steps"),
    ),
    ("ε", QT_TRANSLATE_NOOP("Help", "a tiny number (eps) that keeps η/(√G+ε) finite while G is 0")),
    (
        "Mᵢ(t)",
        QT_TRANSLATE_NOOP(
            "Help",
            "momentum, an average of past gradients: Mᵢ(t) = α·Mᵢ(t−1) + (1−α)·gᵢ(t); the step goes along −M",
        ),
    ),
    ("α", QT_TRANSLATE_NOOP("Help", "how much of the past M keeps (alpha, e.g. 0.9)")),
    ("β", QT_TRANSLATE_NOOP("Help", "how much of the past G keeps (beta, e.g. 0.999)")),
    ("t", QT_TRANSLATE_NOOP("Help", "the step number; step 0 is the start, before any gradient")),
)


def glossary_html() -> str:
    """The symbols table, in the interface language (the symbols themselves left to right)."""
    rows = "".join(
        f"<tr><td style='padding:3px 10px'><span dir='ltr'><b>{html.escape(symbol)}</b></span></td>"
        f"<td style='padding:3px'>{html.escape(QCoreApplication.translate('Help', text))}</td></tr>"
        for symbol, text in GLOSSARY
    )
    return f"<table dir='{'rtl' if is_rtl() else 'ltr'}'>{rows}</table>"


def shortcuts_html(actions: list[QAction]) -> str:
    """Every action with a shortcut: its key and what it does, as the menus name it."""
    rows = []
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()
        ]
        if not keys:
            continue
        name = html.escape(action.text().replace("&", ""))
        key_text = html.escape(" / ".join(keys))
        rows.append(
            f"<tr><td style='padding:3px 10px'><span dir='ltr'><b>{key_text}</b></span></td>"
            f"<td style='padding:3px'>{name}</td></tr>"
        )
    return f"<table dir='{'rtl' if is_rtl() else 'ltr'}'>{''.join(rows)}</table>"


def show_text(parent: QWidget, title: str, body: str) -> QDialog:
    """A small non-modal window with ``body`` (HTML); a teacher can keep it open beside the race."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    text = QTextBrowser(dialog)
    text.setHtml(body)
    buttons = QDialogButtonBox(QDialogButtonBox.Close, dialog)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text)
    layout.addWidget(buttons)
    dialog.resize(560, 420)
    dialog.show()
    return dialog
