"""A message held in the middle of a plot (the contour's "loading", the panels' step-0 hint)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


class CentredNote(pg.TextItem):
    """Text in the middle of a view box, hidden until shown; it moves with the box's size."""

    def __init__(self, vb: pg.ViewBox, text: str = "", *, z: float, **style: object) -> None:
        super().__init__(text, anchor=(0.5, 0.5), **style)
        self.setParentItem(vb)
        self.setZValue(z)
        self.setVisible(False)
        vb.sigResized.connect(self.place)

    def place(self, *_: object) -> None:
        """Centre it, wrapped to the box's width: a narrow column (after a splitter move) cut
        "Each step adds a point…" off at both sides."""
        vb = self.parentItem()
        room = max(vb.width() - 8.0, 40.0)
        self.setTextWidth(-1)
        if self.textItem.boundingRect().width() > room:
            self.setTextWidth(room)
        self.setPos(vb.width() / 2, vb.height() / 2)

    def show_html(self, html: str) -> None:
        """Show a message (empty hides it). Plots are left to right in every language, so a
        Persian message is told to read right to left itself."""
        rtl = QGuiApplication.layoutDirection() == Qt.RightToLeft
        direction = "dir='rtl' align='right'" if rtl else ""
        self.setHtml(f"<div {direction} style='margin: 8px;'>{html}</div>" if html else "")
        self.setVisible(bool(html))
        self.place()
