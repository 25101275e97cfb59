"""The lesson panel: a lesson's text beside the race, with "watch this" hints that point at a plot.

It only lays out what ``gui.lessons`` loaded; playing the session and highlighting a view
are the window's job (``play_requested``, ``highlight``). Persian text is shown right to
left, with formulas, symbols and numbers wrapped in Unicode left-to-right embeddings so they
stay left to right inside it.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import table_html
from gui.lessons import Lesson
from gui.slots import weak_slot

RTL_LANGUAGES = frozenset({"fa", "ar", "he", "ur"})
LRE, PDF = "\u202a", "\u202c"
"""Left-to-right embedding and its end: a formula inside Persian text keeps its own order.

In a Qt 6.11 screenshot a QLabel drew "G1 ≈ 4.6·10⁴" reversed inside LRI…PDI isolates, and right
inside LRE…PDF, so the older embedding controls are used."""

#: Letters of right-to-left scripts (Arabic/Persian blocks, Hebrew) and the ZWNJ/RLM joiners.
_RTL_RUN = re.compile(r"[\u0590-\u08FF\u200c\u200f\uFB1D-\uFDFF\uFE70-\uFEFF]+")
_TRIM = " \t\n.,:;!?"
#: Formulas up to this length are kept on one line; longer ones must wrap to fit ~300 px.
_KEEP_WHOLE = 36
_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
#: Plot symbols as the per-weight plots label them (``gui.views.panels.ROWS``).
_PLOT_SYMBOLS = {"lr": "η/(√G+ε)", "G": "G", "M": "M", "grad": "g", "w": "w", "loss": "L"}


def isolate_ltr(text: str) -> str:
    """Wrap each left-to-right stretch (formula, number, Latin name) of RTL text in LRE…PDF.

    Without them the bidi algorithm reorders the neutral characters of ``G ← β·G + (1−β)·g²``
    around the Persian words; unbalanced brackets and sentence punctuation at a stretch's ends
    stay outside, so they pair with the surrounding RTL text.
    """
    out: list[str] = []
    pos = 0
    for match in _RTL_RUN.finditer(text):
        out.append(_isolate_segment(text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_isolate_segment(text[pos:]))
    return "".join(out)


def _isolate_segment(segment: str) -> str:
    """Embed the left-to-right parts of one stretch between RTL words; unmatched brackets stay out."""
    unmatched: list[int] = []
    open_at: list[int] = []
    for i, ch in enumerate(segment):
        if ch == "(":
            open_at.append(i)
        elif ch == ")":
            if open_at:
                open_at.pop()
            else:
                unmatched.append(i)
    unmatched = sorted(unmatched + open_at)
    pieces, pos = [], 0
    for i in unmatched:
        pieces += [_embed(segment[pos:i]), segment[i]]
        pos = i + 1
    pieces.append(_embed(segment[pos:]))
    return "".join(pieces)


def _embed(segment: str) -> str:
    start, end = 0, len(segment)
    while start < end and segment[start] in _TRIM:
        start += 1
    while end > start and segment[end - 1] in _TRIM:
        end -= 1
    core = segment[start:end]
    if not any(ch.isalnum() for ch in core):
        return segment
    core = _HYPHEN.sub("\u2060-\u2060", core)  # word joiners: "adam-lecture" never breaks at its hyphen
    if len(core) <= _KEEP_WHOLE:
        core = core.replace(" ", "\u00a0")  # a short formula split over two RTL lines reads backwards
    return f"{segment[:start]}{LRE}{core}{PDF}{segment[end:]}"


def rich_text(text: str, language: str) -> str:
    """Escaped HTML for one text, direction set for ``language``."""
    if language in RTL_LANGUAGES:
        return f"<div dir='rtl' align='right'>{html.escape(isolate_ltr(text))}</div>"
    return f"<div dir='ltr'>{html.escape(text)}</div>"


class LessonPanel(QWidget):
    """Shows one lesson or compare preset; about 300 px wide, beside the plots."""

    #: A hint was clicked: the target to highlight (``lr``, ``G``, …, ``contour``, ``inspector``).
    highlight = Signal(str)
    #: "Play this lesson" was clicked: the window applies ``panel.lesson.config`` and plays it.
    play_requested = Signal()
    closed = Signal()
    #: A lesson was picked from the list the panel shows while none is open (``show_choices``).
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_panel")
        self.setMinimumWidth(240)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)
        self._lesson: Lesson | None = None
        self._language = "en"
        self._choices: dict[str, Lesson] = {}  # id → lesson, listed while none is open
        self.hint_buttons: list[QToolButton] = []

        self.kind_label = QLabel()
        self.kind_label.setStyleSheet("color: #777; font-size: 9pt;")
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.closed)
        header = QHBoxLayout()
        header.addWidget(self.kind_label)
        header.addStretch(1)
        header.addWidget(self.close_button)

        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.RichText)
        self.title_label.setStyleSheet("font-size: 12pt; font-weight: bold;")

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.RichText)
        self.summary_label.setObjectName("lesson_summary")
        self.summary_label.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)

        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setFrameShape(QFrame.NoFrame)
        # through the palette and font, not a style sheet: a style sheet on the browser reached
        # its scroll bar, whose handle then drew as a black block
        viewport = self.body.viewport()  # (its own palette: the scroll bar keeps the style's)
        palette = viewport.palette()
        palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.transparent)
        viewport.setPalette(palette)
        font = self.body.font()
        font.setPointSizeF(10)
        self.body.setFont(font)
        self.body.document().setDocumentMargin(2)
        self.body.anchorClicked.connect(self._link_clicked)

        self.watch_label = QLabel()
        self.watch_label.setStyleSheet("font-weight: bold; color: #444;")
        self.hints_box = QVBoxLayout()
        self.hints_box.setSpacing(4)

        self.play_button = QPushButton()
        self.play_button.setDefault(True)
        self.play_button.clicked.connect(self.play_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.watch_label)
        layout.addLayout(self.hints_box)
        layout.addWidget(self.play_button)
        self._retranslate()

    # -- public --------------------------------------------------------------------------------
    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    @property
    def language(self) -> str:
        return self._language

    def show_lesson(self, lesson: Lesson, language: str = "en") -> None:
        """Lay out ``lesson`` in ``language`` (English where the lesson lacks it)."""
        self._lesson = lesson
        self._set_language(language)
        for widget in (self.close_button, self.play_button):
            widget.setVisible(True)

        self.title_label.setText(rich_text(lesson.text("title", language), language))
        self.summary_label.setText(rich_text(lesson.text("summary", language), language))
        if lesson.kind == "compare":
            self.summary_label.setStyleSheet(
                "QLabel#lesson_summary { background: #fff6d6; border: 1px solid #e0c870;"
                " border-radius: 4px; padding: 6px; font-size: 11pt; font-weight: bold; }"
            )
        else:
            self.summary_label.setStyleSheet("QLabel#lesson_summary { color: #555; font-style: italic; }")
        paragraphs = lesson.text("paragraphs", language)
        self.body.setHtml(
            "".join(
                rich_text(p, language).replace("<div ", "<div style='margin-bottom:8px' ", 1)
                for p in paragraphs
            )
        )
        self._show_hints(lesson, language)
        self._retranslate()

    def show_choices(self, lessons: list[Lesson], language: str = "en") -> None:
        """With no lesson open, every lesson and comparison as a link that opens it.

        The tab was blank but for a "Play this lesson" button that did nothing: a learner who
        opened it found no way on but the menus.
        """
        if self._lesson is not None:
            return
        self._choices = {lesson.id: lesson for lesson in lessons}
        self._set_language(language)
        self.title_label.setText(html.escape(self.tr("Choose a lesson")))
        self.summary_label.setStyleSheet("QLabel#lesson_summary { color: #555; font-style: italic; }")
        self.summary_label.setText(
            html.escape(self.tr("Each sets up a race and says what to watch. Click one to open it."))
        )
        parts = []
        for kind, heading in (("lesson", self.tr("Lessons")), ("compare", self.tr("Comparisons"))):
            items = [lesson for lesson in lessons if lesson.kind == kind]
            if not items:
                continue
            # in a right-to-left language the number on the right (``table_html`` mirrors the
            # row), and the table as wide as the text, so that it starts at the right edge
            rows = [self._choice_row(lesson, language) for lesson in items]
            rtl = language in RTL_LANGUAGES
            table = table_html(rows, f"{'width=100% ' if rtl else ''}cellspacing=0 cellpadding=2", rtl)
            parts.append(f"<p style='margin:8px 0 4px 0'><b>{html.escape(heading)}</b></p>{table}")
        if not parts:
            none = self.tr("No lessons were found.")
            parts.append(f"<p>{html.escape(none)}</p>")
        self.body.setHtml("".join(parts))
        self._show_hints(None, language)
        for widget in (self.close_button, self.play_button):
            widget.setVisible(False)
        self._retranslate()

    # -- internals -----------------------------------------------------------------------------
    def _set_language(self, language: str) -> None:
        self._language = language
        rtl = language in RTL_LANGUAGES
        self.setLayoutDirection(Qt.RightToLeft if rtl else Qt.LeftToRight)
        option = self.body.document().defaultTextOption()
        option.setTextDirection(Qt.RightToLeft if rtl else Qt.LeftToRight)
        self.body.document().setDefaultTextOption(option)

    @staticmethod
    def _choice_row(lesson: Lesson, language: str) -> list[str]:
        """A lesson's number and linked title, as table cells in reading order (right to left,
        the title's cell takes the table's width: a left-to-right one then squeezed the number
        to a digit a line)."""
        rtl = language in RTL_LANGUAGES
        title = lesson.text("title", language)
        link = f"<a href='lesson:{lesson.id}'>{html.escape(isolate_ltr(title) if rtl else title)}</a>"
        number = f"<td nowrap align=right valign=top>{lesson.order}.</td>"
        return [number, f"<td{' width=100%' if rtl else ''} align=left>{link}</td>"]

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "lesson" and (lesson := self._choices.get(url.path())) is not None:
            self.chosen.emit(lesson)

    def _show_hints(self, lesson: Lesson | None, language: str) -> None:
        while self.hints_box.count():
            item = self.hints_box.takeAt(0)
            row = item.layout()
            if row is not None:
                while row.count():
                    widget = row.takeAt(0).widget()
                    if widget is not None:
                        widget.deleteLater()
        self.hint_buttons = []
        watch = lesson.watch if lesson is not None else ()
        for hint in watch:
            button = QToolButton()
            button.setProperty("target", hint.target)
            button.setCursor(Qt.PointingHandCursor)
            button.clicked.connect(weak_slot(self._hint_clicked, hint.target))
            text = QLabel(rich_text(hint.text_in(language), language))
            text.setWordWrap(True)
            text.setTextFormat(Qt.RichText)
            text.setStyleSheet("font-size: 9pt;")
            row = QHBoxLayout()
            row.addWidget(button, 0, Qt.AlignTop)
            row.addWidget(text, 1)
            self.hints_box.addLayout(row)
            self.hint_buttons.append(button)
        self.watch_label.setVisible(bool(watch))

    def _hint_clicked(self, target: str) -> None:
        self.highlight.emit(target)

    def _target_name(self, target: str) -> str:
        if target == "contour":
            return self.tr("surface")
        if target == "inspector":
            return self.tr("inspector")
        return _PLOT_SYMBOLS.get(target, target)

    def _retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Close the lesson"))
        self.watch_label.setText(self.tr("Watch this:"))
        compare = self._lesson is not None and self._lesson.kind == "compare"
        self.play_button.setText(self.tr("Play this comparison") if compare else self.tr("Play this lesson"))
        if self._lesson is None:
            self.kind_label.setText("")
        elif compare:
            self.kind_label.setText(self.tr("Compare {0}").format(self._lesson.order))
        else:
            self.kind_label.setText(self.tr("Lesson {0}").format(self._lesson.order))
        for button in self.hint_buttons:
            target = str(button.property("target"))
            button.setText("▸ " + self._target_name(target))
            button.setToolTip(self.tr("Highlight it"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
