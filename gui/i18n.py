"""Interface languages: Qt translators, right-to-left layout, and a font that has the glyphs.

Strings are marked with ``tr()`` in the GUI and translated from ``resources/translations``
(``.ts`` sources a translator edits in Qt Linguist, compiled ``.qm`` files the app loads).
The engine's registry texts (optimizer names' notes, hyperparameter descriptions, surface
titles) are translated in the ``engine`` context by ``tr_engine``, so the engine stays Qt-free.
In Persian the layout runs right to left; plots, formulas and numbers stay left to right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QRawFont
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
TRANSLATIONS = RESOURCES / "translations"
FONTS = RESOURCES / "fonts"
LANGUAGES = {"en": "English", "fa": "فارسی"}
RTL_LANGUAGES = {"fa"}
#: Bundled because lab machines may lack a Persian font (SIL OFL, see resources/fonts/OFL.txt).
PERSIAN_FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")

_installed: list[QTranslator] = []
_current = ["en"]


def current_language() -> str:
    """The language installed last (what lesson texts should be shown in)."""
    return _current[0]


def system_language() -> str:
    """The interface language the system asks for, if we have it; else English."""
    name = QLocale.system().name().split("_")[0]
    return name if name in LANGUAGES else "en"


def saved_language() -> str:
    value = str(QSettings().value("language", "") or "")
    return value if value in LANGUAGES else system_language()


def save_language(language: str) -> None:
    QSettings().setValue("language", language)


def qm_path(language: str) -> Path:
    return TRANSLATIONS / f"optimizer_lab_{language}.qm"


#: Latin fonts worth trying first, before scanning every installed family (see ``symbol_font_family``).
LATIN_FONT_CANDIDATES = (
    "Noto Sans",
    "Liberation Sans",
    "Nimbus Sans",
    "Arial",
    "Helvetica",
    "Calibri",
    "Cantarell",
    "FreeSans",
)
MINUS = "\u2212"


def _latin_only(family: str) -> bool:
    """The font ``family`` resolves to has a minus sign and Latin letters but no Arabic letters
    (asked of the font file itself: an alias like "Sans Serif" may be DejaVu Sans, with Arabic)."""
    raw = QRawFont.fromFont(QFont(family))
    return (
        raw.isValid()
        and raw.supportsCharacter(ord(MINUS))
        and raw.supportsCharacter(ord("g"))
        and not raw.supportsCharacter(ord("\u0633"))  # ARABIC LETTER SEEN
        and not QFontDatabase.isFixedPitch(raw.familyName())
    )


def symbol_font_family(base: QFont) -> str | None:
    """An installed family with a true minus sign and no Arabic letters, or None.

    Vazirmatn has no U+2212, and Qt's shaper then draws a hyphen: "−g" and "(1−α)" read "-g",
    "(1-α)". Put first, such a family draws the Latin text, the symbols and "−", while every
    Persian letter (which it lacks) still falls back to Vazirmatn.
    """
    for family in dict.fromkeys([*base.families(), *LATIN_FONT_CANDIDATES]):
        if _installed_as(family) and _latin_only(family):
            return family

    # plain sans families first (the interface's own style), not narrow or condensed ones
    def preference(f: str) -> tuple[bool, bool, int, str]:
        name = f.lower()
        return "sans" not in name, "narrow" in name or "condensed" in name, len(f), f

    for family in sorted(QFontDatabase.families(), key=preference):
        if not QFontDatabase.isPrivateFamily(family) and _installed_as(family) and _latin_only(family):
            return family
    return None


def _installed_as(family: str) -> bool:
    """A font is installed under that name, not an alias ("Serif") or whatever Qt substitutes for a
    missing one. An alias passed the test as the font it stands for (DejaVu Serif on a bare Debian),
    but for a Persian line Qt resolves it again, to a font without "−", and Vazirmatn's hyphen showed."""
    return QRawFont.fromFont(QFont(family)).familyName().lower().startswith(family.lower())


#: The application's font before any language changed it.
_default_font: list[QFont] = []


def install_language(app: QApplication, language: str) -> str:
    """Load the translators for ``language`` and set direction and font; returns the language used.

    The window and the command-line export both come through here, so a Persian export draws
    "−" the same from either (a Latin font with a true minus first, Vazirmatn for the letters).
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language not in LANGUAGES:
        language = "en"
    if language != "en":
        ours = QTranslator(app)
        if ours.load(str(qm_path(language))):
            app.installTranslator(ours)
            _installed.append(ours)
        qt_own = QTranslator(app)  # Qt's standard dialogs (file dialog, message boxes)
        if qt_own.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_own)
            _installed.append(qt_own)
    _current[0] = language
    rtl = language in RTL_LANGUAGES
    app.setLayoutDirection(Qt.RightToLeft if rtl else Qt.LeftToRight)
    if not _default_font:
        _default_font.append(QFont(app.font()))
    # back from Persian: the system font again
    app.setFont(_default_font[0])
    if rtl:
        families = []
        for name in PERSIAN_FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(FONTS / name))
            if font_id >= 0:
                families += QFontDatabase.applicationFontFamilies(font_id)
        if families:
            font = QFont(app.font())
            latin = symbol_font_family(font)
            font.setFamilies([*([latin] if latin else []), families[0], *QFont(app.font()).families()])
            app.setFont(font)
    # Numbers keep Latin digits and "." in every language: they must match the formulas and plots.
    QLocale.setDefault(QLocale.c())
    return language


def tr_engine(text: str) -> str:
    """A registry text from the engine, translated in the ``engine`` context (a ``Msg`` with values,
    such as a data loss's note, through ``translate_message``)."""
    if getattr(text, "values", None):
        return translate_message(text)
    return QCoreApplication.translate("engine", text) if text else text


def translate_message(message: object) -> str:
    """An engine message (or the exception raised with it) in the interface language.

    A ``Msg`` has its template translated in the ``engine`` context and its values filled in,
    themselves translated when they are messages ("racer 2: <the racer's problem>"). Anything
    else, and a translation that does not fit its values, falls back to the English ``str``.
    """
    # Imported here, not at the top: importing ``engine`` loads numba, which waits until the window shows.
    from engine.messages import Msg, message_of

    if isinstance(message, BaseException):
        message = message_of(message)
    if not isinstance(message, Msg):
        return str(message)
    template = QCoreApplication.translate("engine", message.template)
    if not message.values:
        return template
    values = {k: translate_message(v) if isinstance(v, Msg) else v for k, v in message.values.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return str(message)


def is_rtl() -> bool:
    """Whether the interface language runs right to left (text runs; plots and numbers stay LTR)."""
    app = QApplication.instance()
    return app is not None and app.layoutDirection() == Qt.RightToLeft


def whole_name(name: str) -> str:
    """A racer's name (or a whole key entry) kept one unit in a right-to-left line.

    In Persian "Adam (درس)" after "━●" read "(درس) ━● Adam": the name's Latin word joined the
    sample's left-to-right run and its Persian word went to the other side of the sample; in the
    plots' key, entries of Latin names ran together and SGD's sample landed beside RMSprop. A
    right-to-left embedding (RLE…PDF: Qt drew isolates wrongly, see ``lesson_panel``) keeps it
    one unit, in the line's order.
    """
    return f"\u202b{name}\u202c" if is_rtl() else name


def ltr(text: str) -> str:
    """Text that must read left to right inside a right-to-left line (formulas, η=0.05, ━●)."""
    return f"\u200e{text}\u200e" if is_rtl() else text  # LRM marks: Qt's rich text ignores span dir


_CELL_ALIGN = re.compile(r"^(<td\b[^>]*\balign=)(left|right)\b")
_CELL_SPAN = re.compile(r"^<td\b[^>]*\bcolspan=(\d+)")


def table_html(rows: Iterable[Sequence[str]], attributes: str, rtl: bool | None = None) -> str:
    """A rich-text table from rows of ``<td>`` cells given in reading order (a racer's colour,
    name, settings, then its loss), mirrored in a right-to-left language.

    Qt lays a table's columns out left to right even with ``dir=rtl``: in Persian the legend
    read like the English one, the name at the left and the loss at the right. So each row's
    cells go in reverse order, their ``align=left``/``align=right`` swapped, a short row filled
    up first so its cells stay under their own columns; ``dir=rtl`` still runs every cell's own
    lines right to left (``whole_name``, ``ltr`` inside them). ``rtl``: the text's direction
    where it is not the interface's (a lesson in a language of its own); None: the interface's.
    """
    if not (is_rtl() if rtl is None else rtl):
        return f"<table {attributes}>" + "".join("<tr>" + "".join(row) + "</tr>" for row in rows) + "</table>"

    def span(row: Sequence[str]) -> int:
        return sum(int(m[1]) if (m := _CELL_SPAN.match(c)) else 1 for c in row)

    def mirrored(cell: str) -> str:
        return _CELL_ALIGN.sub(lambda m: m[1] + ("left" if m[2] == "right" else "right"), cell)

    rows = list(rows)
    width = max((span(row) for row in rows), default=0)
    body = "".join(
        "<tr>" + "<td></td>" * (width - span(row)) + "".join(mirrored(c) for c in reversed(row)) + "</tr>"
        for row in rows
    )
    return f"<table dir=rtl {attributes}>{body}</table>"
